"""The collaborative audit's workflow over the store: completion, follow-up, escalation, allocation, the people register, records and history."""
