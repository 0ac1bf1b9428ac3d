"""Writes only a demonstration makes: the training store's completed example audits dated into
the last whole quarter, where the reports and moderation's sample find them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import update

import toolkit.store.schema as schema
from toolkit.store.unit_of_work import UnitOfWork


def date_audits(work: UnitOfWork, audit_ids: Sequence[int]) -> None:
    """The audits made, completed and last changed at the unit of work's moment."""
    a = schema.audits
    work.conn.execute(
        update(a)
        .where(a.c.id.in_(audit_ids))
        .values(created_at=work.stamp, completed_at=work.stamp, updated_at=work.stamp)
    )
