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
    UniqueConstraint,
    false,
    text,
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

#: The ``info`` key of a table that is only ever added to: the servers' role may insert into it
#: and read it, never update or delete (``toolkit/store/roles.py``).
APPEND_ONLY = "append_only"

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
    info={APPEND_ONLY: True},
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
    # an immediate action to improve to 'Good' (seeds/002 L683-684): below Good, completing
    # needs one (toolkit/core/lifecycle.py; from revision 0004)
    Column("immediate", Boolean, nullable=False, server_default=false()),
    Column("created_by", Integer, ForeignKey("people.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_actions_audit", actions.c.audit_id)

# What the auditor deliberately left unanswered when completing, and why (from revision 0004):
# one row per item of the completion checklist (an unscaled area, missing feedback), written
# with the completion and never changed (toolkit/audit/completion.py).
completion_skips = Table(
    "completion_skips",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False),
    Column("item", String(200), nullable=False),  # "area:area_7", "feedback:child_feedback"
    Column("reason", Text, nullable=False),
    Column("skipped_by", Integer, ForeignKey("people.id"), nullable=False),
    Column("skipped_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("audit_id", "item"),
    info={APPEND_ONLY: True},
)


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
    # worker, team_manager, service_manager, head_of_service, deputy_director
    Column("recipient_role", String(60), nullable=False),
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
    # the audit form's keys (area scales, overall rating)
    Column("field_key", String(200), primary_key=True),
    Column("value", Text),  # JSON
    Column("updated_by", Integer, ForeignKey("people.id"), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # revisioned like the audit's answers (toolkit/store/revisioned.py; from revision 0003)
    Column("revision", Integer, nullable=False, server_default=text("1")),
)


# --- reflective supervision (toolkit/store/supervision.py) ----------------------------------------
# A session of one kind (EARS, reflective tool, group case mapping, quality clinic, practice
# intensive, learning review); its notes one row per note key, saved as typed; and the
# participants' ratings on a group's 0–10 safety scale.

supervision_sessions = Table(
    "supervision_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("title", String(300), nullable=False, default=""),
    Column("supervisor_id", Integer, ForeignKey("people.id"), nullable=False),
    Column("supervisee_id", Integer, ForeignKey("people.id")),  # none for a group
    Column("group_name", String(200)),  # the team or group, for group supervision
    Column("child_id", String(100)),  # the LiquidLogic ID of the case discussed, if any
    Column("audit_id", Integer, ForeignKey("audits.id")),  # the audit it follows, if any
    Column("demo", Boolean, nullable=False, default=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_supervision_supervisor", supervision_sessions.c.supervisor_id)
Index("ix_supervision_supervisee", supervision_sessions.c.supervisee_id)
Index("ix_supervision_child", supervision_sessions.c.child_id)

supervision_notes = Table(
    "supervision_notes",
    metadata,
    Column("session_id", Integer, ForeignKey("supervision_sessions.id"), primary_key=True),
    Column("key", String(200), primary_key=True),  # e.g. "working_well.amplify.3.note"
    Column("value", Text),  # JSON
    Column("revision", Integer, nullable=False),
    Column("updated_by", Integer, ForeignKey("people.id"), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

supervision_ratings = Table(
    "supervision_ratings",
    metadata,
    Column("session_id", Integer, ForeignKey("supervision_sessions.id"), primary_key=True),
    Column("participant", String(200), primary_key=True),
    Column("value", Integer, nullable=False),  # 0–10
    Column("reason", Text, nullable=False, default=""),
    Column("updated_by", Integer, ForeignKey("people.id"), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # revisioned like the audit's answers (toolkit/store/revisioned.py; from revision 0003)
    Column("revision", Integer, nullable=False, server_default=text("1")),
)


# --- thematic audits against an authority's practice standards (toolkit/store/thematic.py) ------

thematic_audits = Table(
    "thematic_audits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("authority", String(40), nullable=False),  # bexley | leicester | manchester | durham
    Column(
        "service_areas", Text, nullable=False
    ),  # JSON list of area ids in forms/standards_*.yaml
    Column("child_id", String(100), nullable=False),  # the LiquidLogic ID of the file audited
    Column("auditor_id", Integer, ForeignKey("people.id"), nullable=False),
    # set when run as an added section of a collaborative audit
    Column("audit_id", Integer, ForeignKey("audits.id")),
    Column("state", String(20), nullable=False, default="in_progress"),  # in_progress | complete
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # set when the auditor completes it (the quarterly report counts it in that period)
    Column("completed_at", DateTime(timezone=True)),
    Column("completed_by", Integer, ForeignKey("people.id")),
)
Index("ix_thematic_audits_auditor", thematic_audits.c.auditor_id)
Index("ix_thematic_audits_audit", thematic_audits.c.audit_id)

thematic_answers = Table(
    "thematic_answers",
    metadata,
    Column("thematic_audit_id", Integer, ForeignKey("thematic_audits.id"), primary_key=True),
    Column("item_id", String(100), primary_key=True),  # a StandardItem id
    Column("rating", String(20)),  # met | partly_met | not_met | not_applicable
    Column("evidence", Text),
    Column("location", Text),  # where the evidence is on the file
    Column("revision", Integer, nullable=False),
    Column("updated_by", Integer, ForeignKey("people.id"), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


# --- training (toolkit/training/): ONLY in the training store (``<data dir>/training.sqlite``) --
# A metadata of their own, so ``Store()`` on live data never creates them.

training_metadata = MetaData()

calibration_exercises = Table(
    "calibration_exercises",
    training_metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(12), nullable=False, unique=True),  # what learners type or follow
    Column("case_id", String(100), nullable=False),  # an id in forms/example_cases.yaml
    Column("created_at", DateTime(timezone=True), nullable=False),
    # who started it, the only one to see its scores: "<register>:<person id>"
    # (toolkit/training/calibration.py); empty on an exercise started before this was kept
    Column("created_by", String(80)),
)

calibration_learners = Table(
    "calibration_learners",
    training_metadata,
    Column("id", Integer, primary_key=True),
    Column("exercise_id", Integer, ForeignKey("calibration_exercises.id"), nullable=False),
    Column("name", String(80), nullable=False),  # typed by the learner: no account
    Column("joined_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("exercise_id", "name"),
)

calibration_scores = Table(
    "calibration_scores",
    training_metadata,
    Column("learner_id", Integer, ForeignKey("calibration_learners.id"), primary_key=True),
    Column("item", String(40), primary_key=True),  # an area id ("area_7") or "overall"
    Column("value", Integer, nullable=False),  # 0–10
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # revisioned (toolkit/store/revisioned.py); added to a kept file by TRAINING_ADDED_COLUMNS
    Column("revision", Integer, nullable=False, server_default=text("1")),
)


# --- a thematic audit's change history (toolkit/store/thematic.py): who changed its state, when ---

thematic_changes = Table(
    "thematic_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("thematic_audit_id", Integer, ForeignKey("thematic_audits.id"), nullable=False),
    Column("field_key", String(200), nullable=False),  # "state"
    Column("old_value", Text),  # JSON
    Column("new_value", Text),  # JSON
    Column("changed_by", Integer, ForeignKey("people.id"), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    info={APPEND_ONLY: True},
)
Index("ix_thematic_changes_audit", thematic_changes.c.thematic_audit_id, thematic_changes.c.id)


# --- the change log of the records that are not audits (toolkit/store/revisioned.py) --------------
# Every revisioned save of a supervision note or rating, a thematic item or a calibration score
# appends old → new here with who and when (the audit's own changes, and a moderation's, go to
# ``changes``). Append-only, like ``changes``.

record_changes = Table(
    "record_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    # supervision_note | supervision_rating | thematic_answer | calibration_score
    Column("kind", String(40), nullable=False),
    Column("record_id", Integer, nullable=False),  # the session, thematic audit or learner
    Column("field_key", String(200), nullable=False),  # the note key, item.part, participant…
    Column("old_value", Text),  # JSON; None when there was nothing before
    Column("new_value", Text),  # JSON
    Column("changed_by", Integer, ForeignKey("people.id")),  # None: not in the register
    Column("actor", String(200)),  # who, by name (a learner has no account)
    Column("changed_at", DateTime(timezone=True), nullable=False),
    info={APPEND_ONLY: True},
)
Index(
    "ix_record_changes_record",
    record_changes.c.kind,
    record_changes.c.record_id,
    record_changes.c.id,
)


# --- who looked (toolkit/store/access.py): one row per opening, download, export or refusal -------
# Append-only: the servers' database role may insert here but never update or delete.

access_log = Table(
    "access_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("person_id", Integer, ForeignKey("people.id")),  # None: a command, or nobody known
    Column("actor", String(200), nullable=False),  # a username, or "system:<os user>"
    Column("action", String(40), nullable=False),  # open, download, export, command
    Column("record_kind", String(40), nullable=False),  # audit, supervision_session, …
    Column("record_id", String(100)),  # None for a period export
    Column("screen", String(200), nullable=False),  # the notebook or "cli:<command>"
    Column("allowed", Boolean, nullable=False),
    Column("detail", Text),  # why refused, or the period exported
    info={APPEND_ONLY: True},
)
Index("ix_access_log_record", access_log.c.record_kind, access_log.c.record_id, access_log.c.id)
Index("ix_access_log_at", access_log.c.at)
