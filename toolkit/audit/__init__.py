"""The collaborative audit's workflow over the store.

Completion, follow-up, escalation, allocation, the people register, records and history.
"""
