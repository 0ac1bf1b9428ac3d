"""What only a demonstration needs: whether a store holds nothing but demonstration audits (the
run command's first run), and the training store's completed example audits dated into the last
whole quarter, where the reports and moderation's sample find them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, exists, select, update

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


def only_demonstrations(engine: Engine) -> bool:
    """True when the store has audits and every one of them is a demonstration (``demo``):
    the run command's demonstration data before anyone records a real audit."""
    a = schema.audits.c
    with engine.connect() as conn:
        demo, live = conn.execute(
            select(exists().where(a.demo.is_(True)), exists().where(a.demo.is_(False)))
        ).one()
    return bool(demo) and not live
