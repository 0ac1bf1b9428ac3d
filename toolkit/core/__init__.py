"""Pure rules: what the audit, moderation, allocation and profiles decide.

No SQLAlchemy, no ipywidgets."""
