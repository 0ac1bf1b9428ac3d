"""The audit app: its screen, sections, records and completion panels."""
