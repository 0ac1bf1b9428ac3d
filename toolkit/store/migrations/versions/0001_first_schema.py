"""The schema before migrations (commit 073771b): sixteen tables

Revision 0001, the first: the store's schema as it was when migrations began, written out in
full (a revision never imports toolkit.store.schema, which moves on after it). It also adopts
a database made before migrations that lacks some of these tables (made by an older toolkit and
not opened since): a table already there is kept as it is, its columns completed beforehand
by :mod:`toolkit.store.migrations.adopt`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

#: the tables in the order they are made (each after the tables it refers to)
TABLES = (
    "people", "audits", "actions", "answers", "changes", "escalations", "follow_ups",
    "moderations", "supervision_sessions", "thematic_audits", "moderation_answers",
    "notifications", "supervision_notes", "supervision_ratings", "thematic_answers",
    "thematic_changes",
)  # fmt: skip


def _people_fk(column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["people.id"])


def _audit_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["audit_id"], ["audits.id"])


def _at(name: str, nullable: bool = False) -> sa.schema.SchemaItem:  # a column of table()
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    present = set(sa.inspect(op.get_bind()).get_table_names())

    def table(
        name: str,
        *elements: sa.schema.SchemaItem,  # columns and constraints
        indexes: dict[str, list[str]] | None = None,
    ) -> None:
        if name in present:
            return  # made before migrations: kept as it is
        op.create_table(name, *elements)
        for index_name, columns in (indexes or {}).items():
            op.create_index(index_name, name, columns, unique=False)

    table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("team", sa.String(length=200), nullable=True),
        sa.Column("service", sa.String(length=200), nullable=True),
        sa.Column("roles", sa.String(length=400), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    table(
        "audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.String(length=100), nullable=False),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.String(length=100), nullable=False),
        sa.Column("auditor_id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("staying_together_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=True),
        sa.Column("service", sa.String(length=200), nullable=True),
        sa.Column("demo", sa.Boolean(), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        _at("completed_at", nullable=True),
        _people_fk("auditor_id"),
        _people_fk("manager_id"),
        _people_fk("practitioner_id"),
        _people_fk("staying_together_id"),
        sa.PrimaryKeyConstraint("id"),
        indexes={
            "ix_audits_auditor": ["auditor_id"],
            "ix_audits_child": ["child_id"],
            "ix_audits_practitioner": ["practitioner_id"],
        },
    )
    table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("who", sa.String(length=300), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("completion_note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        _audit_fk(),
        _people_fk("created_by"),
        sa.PrimaryKeyConstraint("id"),
        indexes={"ix_actions_audit": ["audit_id"]},
    )
    table(
        "answers",
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("field_key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        _at("updated_at"),
        _audit_fk(),
        _people_fk("updated_by"),
        sa.PrimaryKeyConstraint("audit_id", "field_key"),
    )
    table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("field_key", sa.String(length=200), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.Integer(), nullable=False),
        _at("started_at"),
        _at("changed_at"),
        sa.Column("reason", sa.Text(), nullable=True),
        _audit_fk(),
        _people_fk("changed_by"),
        sa.PrimaryKeyConstraint("id"),
        indexes={"ix_changes_audit": ["audit_id", "id"]},
    )
    table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        _at("created_at"),
        sa.Column("created_by", sa.Integer(), nullable=False),
        _at("tasks_due_at"),
        sa.Column("state", sa.String(length=20), nullable=False),
        _at("closed_at", nullable=True),
        _audit_fk(),
        _people_fk("created_by"),
        sa.PrimaryKeyConstraint("id"),
        indexes={"ix_escalations_audit": ["audit_id"]},
    )
    table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        _at("done_at", nullable=True),
        sa.Column("done_by", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _audit_fk(),
        _people_fk("done_by"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("audit_id"),
    )
    table(
        "moderations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        _at("selected_at"),
        sa.Column("selection", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("agrees", sa.Boolean(), nullable=True),
        sa.Column("moderator_grade", sa.String(length=40), nullable=True),
        sa.Column("agreed_grade", sa.String(length=40), nullable=True),
        sa.Column("actions_completed", sa.String(length=20), nullable=True),
        sa.Column("good_practice", sa.Text(), nullable=True),
        sa.Column("development", sa.Text(), nullable=True),
        _at("completed_at", nullable=True),
        _audit_fk(),
        _people_fk("moderator_id"),
        sa.PrimaryKeyConstraint("id"),
        indexes={"ix_moderations_audit": ["audit_id"]},
    )
    table(
        "supervision_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column("supervisee_id", sa.Integer(), nullable=True),
        sa.Column("group_name", sa.String(length=200), nullable=True),
        sa.Column("child_id", sa.String(length=100), nullable=True),
        sa.Column("audit_id", sa.Integer(), nullable=True),
        sa.Column("demo", sa.Boolean(), nullable=False),
        _at("started_at"),
        _at("updated_at"),
        _audit_fk(),
        _people_fk("supervisee_id"),
        _people_fk("supervisor_id"),
        sa.PrimaryKeyConstraint("id"),
        indexes={
            "ix_supervision_child": ["child_id"],
            "ix_supervision_supervisee": ["supervisee_id"],
            "ix_supervision_supervisor": ["supervisor_id"],
        },
    )
    table(
        "thematic_audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authority", sa.String(length=40), nullable=False),
        sa.Column("service_areas", sa.Text(), nullable=False),
        sa.Column("child_id", sa.String(length=100), nullable=False),
        sa.Column("auditor_id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        _at("completed_at", nullable=True),
        sa.Column("completed_by", sa.Integer(), nullable=True),
        _audit_fk(),
        _people_fk("auditor_id"),
        _people_fk("completed_by"),
        sa.PrimaryKeyConstraint("id"),
        indexes={
            "ix_thematic_audits_audit": ["audit_id"],
            "ix_thematic_audits_auditor": ["auditor_id"],
        },
    )
    table(
        "moderation_answers",
        sa.Column("moderation_id", sa.Integer(), nullable=False),
        sa.Column("field_key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        _at("updated_at"),
        sa.ForeignKeyConstraint(["moderation_id"], ["moderations.id"]),
        _people_fk("updated_by"),
        sa.PrimaryKeyConstraint("moderation_id", "field_key"),
    )
    table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=True),
        sa.Column("recipient_role", sa.String(length=60), nullable=False),
        sa.Column("recipient_name", sa.String(length=200), nullable=True),
        sa.Column("recipient_email", sa.String(length=320), nullable=True),
        sa.Column("route", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _at("created_at"),
        _at("sent_at", nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        _audit_fk(),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"]),
        sa.PrimaryKeyConstraint("id"),
        indexes={"ix_notifications_audit": ["audit_id"]},
    )
    table(
        "supervision_notes",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        _at("updated_at"),
        sa.ForeignKeyConstraint(["session_id"], ["supervision_sessions.id"]),
        _people_fk("updated_by"),
        sa.PrimaryKeyConstraint("session_id", "key"),
    )
    table(
        "supervision_ratings",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        _at("updated_at"),
        sa.ForeignKeyConstraint(["session_id"], ["supervision_sessions.id"]),
        _people_fk("updated_by"),
        sa.PrimaryKeyConstraint("session_id", "participant"),
    )
    table(
        "thematic_answers",
        sa.Column("thematic_audit_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=100), nullable=False),
        sa.Column("rating", sa.String(length=20), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        _at("updated_at"),
        sa.ForeignKeyConstraint(["thematic_audit_id"], ["thematic_audits.id"]),
        _people_fk("updated_by"),
        sa.PrimaryKeyConstraint("thematic_audit_id", "item_id"),
    )
    table(
        "thematic_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thematic_audit_id", sa.Integer(), nullable=False),
        sa.Column("field_key", sa.String(length=200), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.Integer(), nullable=False),
        _at("changed_at"),
        _people_fk("changed_by"),
        sa.ForeignKeyConstraint(["thematic_audit_id"], ["thematic_audits.id"]),
        sa.PrimaryKeyConstraint("id"),
        indexes={"ix_thematic_changes_audit": ["thematic_audit_id", "id"]},
    )


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
