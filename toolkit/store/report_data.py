"""What the quality assurance report reads: a period's audits and what hangs off them as
DataFrames (one query per table, three for the answers), the services and teams for the
filters, and the thematic audits completed in a period.

Rows come straight from the driver's cursor: building SQLAlchemy rows for half a million
answers costs more than the query. Times and dates arrive as the driver gives them (text on
SQLite); :mod:`toolkit.reports.load` parses and shapes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Row,
    Select,
    Table,
    and_,
    or_,
    select,
)

import toolkit.store.schema as schema


def frame(conn: Connection, stmt: Select[Any]) -> pd.DataFrame:
    """The statement's rows from the driver's cursor, its columns named as selected."""
    result = conn.execute(stmt)
    return pd.DataFrame(result.cursor.fetchall(), columns=list(result.keys()))


@dataclass
class ReportRows:
    """A period's rows as read, before the report shapes them."""

    audits: pd.DataFrame  # id, child_id, auditor_id, practitioner_id, state, team, service, times
    scales: Sequence[Any]  # (audit_id, field_key, value) of the scale answers, from the cursor
    given: pd.DataFrame  # audit_id, field_key of feedback markers answered other than ``null``
    texts: Sequence[Any]  # (audit_id, field_key, value) of the free-text answers read whole
    actions: pd.DataFrame
    follow_ups: pd.DataFrame
    moderations: pd.DataFrame  # with the moderator's own rating as ``moderator_rating``
    escalations: pd.DataFrame
    people: pd.DataFrame  # every person's name


def _live(live_only: bool) -> list[ColumnElement[bool]]:
    return [schema.audits.c.demo.is_(False)] if live_only else []


def report_rows(
    engine: Engine,
    since: dt.datetime,
    until: dt.datetime,
    *,
    service: str | None,
    team: str | None,
    live_only: bool,
    scale_keys: Sequence[str],
    markers: Sequence[str],
    text_keys: Sequence[str],
    text_endings: Sequence[str],
    rating_key: str,
) -> ReportRows:
    """The audits allocated from ``since`` up to ``until`` (in ``service`` and ``team`` when
    given; demonstrations left out when ``live_only``) and their answers, actions, follow-ups,
    moderations (with the answer ``rating_key``) and escalations; texts are the answers whose
    key is one of ``text_keys`` or ends with one of ``text_endings``."""
    a = schema.audits.c
    scope = [*_live(live_only), a.created_at >= since, a.created_at < until]
    if service:
        scope.append(a.service == service)
    if team:
        scope.append(a.team == team)
    in_scope = select(a.id).where(and_(*scope))
    ans = schema.answers.c
    with engine.connect() as conn:
        audits = frame(
            conn,
            select(
                a.id,
                a.child_id,
                a.auditor_id,
                a.practitioner_id,
                a.state,
                a.team,
                a.service,
                a.created_at,
                a.completed_at,
            ).where(and_(*scope)),
        )
        answers = select(ans.audit_id, ans.field_key, ans.value).where(ans.audit_id.in_(in_scope))
        scales = conn.execute(answers.where(ans.field_key.in_(scale_keys))).cursor.fetchall()
        given = frame(
            conn,
            select(ans.audit_id, ans.field_key)
            .where(ans.audit_id.in_(in_scope), ans.field_key.in_(markers))
            .where(ans.value.is_(None) | (ans.value != "null")),
        )
        text_rows = conn.execute(
            answers.where(
                or_(
                    ans.field_key.in_(text_keys),
                    *(ans.field_key.like(f"%{ending}") for ending in text_endings),
                )
            )
        ).cursor.fetchall()
        actions = _of_audits(conn, schema.actions, ("what", "due", "status"), in_scope)
        follow_ups = _of_audits(conn, schema.follow_ups, ("due_date", "done_at"), in_scope)
        m, ma = schema.moderations.c, schema.moderation_answers.c
        moderations = frame(
            conn,
            select(
                m.id,
                m.audit_id,
                m.moderator_id,
                m.state,
                m.agrees,
                m.moderator_grade,
                m.agreed_grade,
                m.selection,
                ma.value.label("moderator_rating"),
            )
            .select_from(
                schema.moderations.outerjoin(
                    schema.moderation_answers,
                    and_(ma.moderation_id == m.id, ma.field_key == rating_key),
                )
            )
            .where(m.audit_id.in_(in_scope)),
        )
        escalations = _of_audits(
            conn,
            schema.escalations,
            ("reason", "created_at", "tasks_due_at", "state"),
            in_scope,
        )
        people = frame(conn, select(schema.people.c.name))
    return ReportRows(
        audits, scales, given, text_rows, actions, follow_ups, moderations, escalations, people
    )


def _of_audits(
    conn: Connection, table: Table, columns: Sequence[str], in_scope: Select[Any]
) -> pd.DataFrame:
    """``audit_id`` and ``columns`` of the table's rows for the audits in scope."""
    c = table.c
    return frame(conn, select(c.audit_id, *(c[n] for n in columns)).where(c.audit_id.in_(in_scope)))


def services_and_teams(engine: Engine, live_only: bool) -> list[Row[Any]]:
    """Each distinct (service, team) of the audits (demonstrations left out when ``live_only``)."""
    a = schema.audits.c
    with engine.connect() as conn:
        return list(conn.execute(select(a.service, a.team).where(*_live(live_only)).distinct()))


def thematic_rows(
    engine: Engine,
    start: dt.datetime,
    end: dt.datetime,
    service: str | None,
    team: str | None,
    live_only: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The thematic audits completed from ``start`` up to ``end`` (id, authority,
    service_areas) and their ratings (thematic_audit_id, item_id, rating): one query each.
    One run as a section of a collaborative audit takes that audit's service and team and is
    left out when it is a demonstration (and ``live_only``); one run on its own has neither."""
    t, a = schema.thematic_audits.c, schema.audits.c
    scope = [t.state == "complete", t.completed_at >= start, t.completed_at < end]
    if live_only:
        scope.append(or_(t.audit_id.is_(None), a.demo.is_(False)))
    if service:
        scope.append(a.service == service)
    if team:
        scope.append(a.team == team)
    joined = schema.thematic_audits.outerjoin(schema.audits, a.id == t.audit_id)
    in_scope = select(t.id).select_from(joined).where(and_(*scope))
    r = schema.thematic_answers.c
    with engine.connect() as conn:
        audits = frame(conn, select(t.id, t.authority, t.service_areas).where(t.id.in_(in_scope)))
        ratings = frame(
            conn,
            select(r.thematic_audit_id, r.item_id, r.rating).where(
                r.thematic_audit_id.in_(in_scope), r.rating.is_not(None)
            ),
        )
    return audits, ratings
