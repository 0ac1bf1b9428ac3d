"""Completion as the source requires: immediate actions and the reasons items were skipped

Revision 0004, after 0003: ``actions.immediate`` (an immediate action to improve to 'Good',
seeds/002 L683-684; the actions kept are not), and ``completion_skips``, append-only: what the
auditor deliberately left unanswered when completing an audit, and why. Written out in full: a
revision never imports toolkit.store.schema.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("actions") as batch:
        batch.add_column(
            sa.Column("immediate", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "completion_skips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("skipped_by", sa.Integer(), nullable=False),
        sa.Column("skipped_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audits.id"]),
        sa.ForeignKeyConstraint(["skipped_by"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("audit_id", "item"),
    )


def downgrade() -> None:
    op.drop_table("completion_skips")
    with op.batch_alter_table("actions") as batch:
        batch.drop_column("immediate")
