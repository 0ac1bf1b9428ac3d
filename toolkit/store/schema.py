"""Tables of the store (SQLAlchemy Core), the same on SQLite and PostgreSQL.

One row per answered field (``answers``), saved on every change with who, when and a revision
number; an append-only ``changes`` log of old → new; actions as rows of their own because they
stay live after the audit.
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("username", String(200), unique=True),  # the login name under JupyterHub
    Column("email", String(320)),
    Column("team", String(200)),
    Column("service", String(200)),
    Column("roles", String(400), nullable=False, default=""),  # comma-separated role names
)

audits = Table(
    "audits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("form_id", String(100), nullable=False),
    Column("form_version", Integer, nullable=False),
    Column("child_id", String(100), nullable=False),  # the LiquidLogic ID: the file lives there
    Column("auditor_id", Integer, ForeignKey("people.id"), nullable=False),
    Column("practitioner_id", Integer, ForeignKey("people.id"), nullable=False),
    Column("manager_id", Integer, ForeignKey("people.id")),
    Column("staying_together_id", Integer, ForeignKey("people.id")),
    Column("state", String(40), nullable=False),
    # the practitioner's team and service when the audit was allocated: reports group by them
    Column("team", String(200)),
    Column("service", String(200)),
    Column("demo", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("completed_at", DateTime(timezone=True)),
)
Index("ix_audits_auditor", audits.c.auditor_id)
Index("ix_audits_practitioner", audits.c.practitioner_id)
Index("ix_audits_child", audits.c.child_id)

answers = Table(
    "answers",
    metadata,
    Column("audit_id", Integer, ForeignKey("audits.id"), primary_key=True),
    Column("field_key", String(200), primary_key=True),
    Column("value", Text),  # JSON
    Column("revision", Integer, nullable=False),
    Column("updated_by", Integer, ForeignKey("people.id"), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

changes = Table(
    "changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False),
    Column("field_key", String(200), nullable=False),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("changed_by", Integer, ForeignKey("people.id"), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("reason", Text),
)
Index("ix_changes_audit", changes.c.audit_id, changes.c.id)

actions = Table(
    "actions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False),
    Column("what", Text, nullable=False, default=""),
    Column("who", String(300), nullable=False, default=""),
    Column("due", Date),
    Column("status", String(40), nullable=False, default="open"),
    Column("completion_note", Text),
    Column("created_by", Integer, ForeignKey("people.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_actions_audit", actions.c.audit_id)


# --- after the audit meeting: follow-up, escalation, notifications, moderation --------------------
# Defined here, ahead of the code that uses them, as the contract between the lifecycle,
# reporting and proof work.

follow_ups = Table(
    "follow_ups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False, unique=True),
    Column("due_date", Date, nullable=False),  # the 5th working day after completion
    Column("done_at", DateTime(timezone=True)),
    Column("done_by", Integer, ForeignKey("people.id")),
    Column("note", Text),  # what has been done since the audit
)

escalations = Table(
    "escalations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False),
    Column("reason", String(40), nullable=False),  # "inadequate_audit" | "inadequate_moderation"
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", Integer, ForeignKey("people.id"), nullable=False),
    Column("tasks_due_at", DateTime(timezone=True), nullable=False),  # created_at + 24 hours
    Column("state", String(20), nullable=False, default="open"),  # open | closed
    Column("closed_at", DateTime(timezone=True)),
)
Index("ix_escalations_audit", escalations.c.audit_id)

notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False),
    Column("escalation_id", Integer, ForeignKey("escalations.id")),
    Column(
        "recipient_role", String(60), nullable=False
    ),  # worker, team_manager, service_manager, …
    Column("recipient_name", String(200)),
    Column("recipient_email", String(320)),
    Column("route", String(20), nullable=False),  # "smtp" | "copy" (a ready-to-copy message)
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("error", Text),
)
Index("ix_notifications_audit", notifications.c.audit_id)

moderations = Table(
    "moderations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False),
    Column("moderator_id", Integer, ForeignKey("people.id"), nullable=False),
    Column("selected_at", DateTime(timezone=True), nullable=False),
    Column("selection", String(20), nullable=False),  # "inadequate" | "random"
    Column("state", String(20), nullable=False, default="allocated"),  # allocated | complete
    Column("agrees", Boolean),  # agreement with the audit's grade
    Column("moderator_grade", String(40)),  # the moderator's own grade
    Column("agreed_grade", String(40)),  # agreed with the auditor when they disagreed
    Column("actions_completed", String(20)),  # yes | partly | no
    Column("good_practice", Text),
    Column("development", Text),
    Column("completed_at", DateTime(timezone=True)),
)
Index("ix_moderations_audit", moderations.c.audit_id)

moderation_answers = Table(
    "moderation_answers",
    metadata,
    Column("moderation_id", Integer, ForeignKey("moderations.id"), primary_key=True),
    Column(
        "field_key", String(200), primary_key=True
    ),  # the audit form's keys (area scales, overall)
    Column("value", Text),  # JSON
    Column("updated_by", Integer, ForeignKey("people.id"), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
