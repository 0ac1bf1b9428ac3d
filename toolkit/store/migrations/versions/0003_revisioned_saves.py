"""Revisioned saves everywhere and the change log of the records that are not audits

Revision 0003, after 0002: a revision on moderation answers and supervision ratings (rows kept
count as written once: revision 1), and ``record_changes``, append-only, where a supervision
note or rating, a thematic item or a calibration score's every change is logged old → new with
who and when. Written out in full: a revision never imports toolkit.store.schema.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

REVISIONED = ("moderation_answers", "supervision_ratings")


def upgrade() -> None:
    for table in REVISIONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("revision", sa.Integer(), nullable=False, server_default=sa.text("1"))
            )
    op.create_table(
        "record_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("field_key", sa.String(length=200), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["changed_by"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_record_changes_record", "record_changes", ["kind", "record_id", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("record_changes")
    for table in REVISIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("revision")
