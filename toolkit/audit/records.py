"""Records for the child's file and for the quality assurance team, made offline.

One audit becomes a self-contained HTML document (inline CSS, no links out, every user text
escaped by Jinja2's autoescaping) and a PDF of the same HTML through WeasyPrint, which needs no
browser and fetches nothing. The audits of a period become one row each, as CSV or Excel; text
that a spreadsheet could run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from toolkit.core import lifecycle
from toolkit.core.permissions import AuditRecord, Person
from toolkit.forms.loader import registry
from toolkit.forms.models import Field, FieldKind, Form
from toolkit.store import Store
from toolkit.store.errors import InvalidAnswer
from toolkit.store.moderations import Moderations, moderation_form
from toolkit.store.past_audits import all_audit_ids

AUDIT_FORM = "collaborative_case_audit"
TEMPLATES = Path(__file__).parent / "templates"
NOT_ANSWERED = "Not answered"
#: a cell beginning with one of these can run as a formula in a spreadsheet
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# --- one audit as a document ------------------------------------------------------------------


@dataclass
class RecordField:
    label: str
    value: str
    kind: str
    answered: bool


@dataclass
class RecordGroup:
    title: str
    number: int | None
    fields: list[RecordField] = field(default_factory=list)


@dataclass
class RecordSection:
    number: int
    title: str
    groups: list[RecordGroup] = field(default_factory=list)


def show_answer(item: Field, value: Any) -> str:
    """A stored answer as it reads on paper."""
    if value is None or value == "":
        return NOT_ANSWERED
    if item.kind is FieldKind.scale:
        return f"{value} out of {item.scale.max if item.scale else 10}"
    if item.kind is FieldKind.date:
        return dt.date.fromisoformat(value).strftime("%d %B %Y")
    return str(value)


def record_sections(form: Form, values: dict[str, Any]) -> list[RecordSection]:
    """Every section, group and answerable field of the form with its answer (or none)."""
    sections = []
    for section in form.sections:
        groups = []
        for group in section.groups:
            fields = [
                RecordField(
                    f.label,
                    show_answer(f, values.get(f"{group.id}.{f.id}")),
                    f.kind.value,
                    values.get(f"{group.id}.{f.id}") not in (None, ""),
                )
                for f in group.fields
                if f.kind not in (FieldKind.statement, FieldKind.actions)
            ]
            if fields:
                groups.append(RecordGroup(group.title, group.number, fields))
        sections.append(RecordSection(section.number, section.title, groups))
    return sections


def _scale_label(form: Form, key: str) -> str:
    _section, group, _item = form.field(key)
    return f"Area {group.number}" if group.number else group.title


def _moderation_context(store: Store, audit: AuditRecord, names: dict[int, str]) -> list[dict]:
    book = Moderations(store)
    form, mform = store.form_of(audit), moderation_form()
    audit_values = store.answer_values(audit.id)
    found = []
    for m in book.for_audit(audit.id):
        values = book.values(m.id)
        found.append(
            {
                "id": m.id,
                "moderator": names.get(m.moderator_id, "?"),
                "state": "Complete" if m.state == "complete" else "Allocated",
                "selection": "every Inadequate audit" if m.selection == "inadequate" else "random",
                "completed_at": m.completed_at,
                "answers": [
                    (mform.field(key)[2].label, values.get(key) or NOT_ANSWERED)
                    for key in (
                        "feedback.good_practice",
                        "feedback.development",
                        "audit_actions.actions_completed",
                        "agreement.agrees",
                        "agreement.agreed_grade",
                    )
                ],
                "moderator_grade": m.moderator_grade,
                "scales": [
                    (
                        _scale_label(form, key),
                        audit_values.get(key),
                        values.get(key),
                    )
                    for key in book.scale_keys(audit)
                ],
            }
        )
    return found


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value is user text unless the template says otherwise
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def audit_record_html(
    store: Store, audit_id: int, reader: Person | None = None, fragment: bool = False
) -> str:
    """The whole audit as one HTML document (or, with ``fragment``, a block to embed in a page).

    ``reader`` is checked like any other read; ``None`` is the command line's administrator.
    """
    audit = store.audit(audit_id, reader)
    form = store.form_of(audit)
    names = {p.id: p.name for p in store.people()}
    values = store.answer_values(audit.id)
    actions = [a for a in store.actions(audit.id) if a["status"] != "cancelled"]
    return (
        _environment()
        .get_template("audit_record.html.j2")
        .render(
            fragment=fragment,
            audit=audit,
            form=form,
            state=lifecycle.STATE_LABELS[audit.state],
            names=names,
            sections=record_sections(form, values),
            actions=actions,
            skipped=skipped_at_completion(store, audit, form),
            rating=values.get(lifecycle.OVERALL_RATING),
            grades=Moderations(store).grades(audit.id),
            moderations=_moderation_context(store, audit, names),
            made_at=dt.datetime.now(dt.timezone.utc),
        )
    )


def skipped_at_completion(store: Store, audit: AuditRecord, form: Form) -> list[dict[str, str]]:
    """What the auditor left unanswered when completing: the item's label and the reason."""
    labels = {u.item: u.label for u in lifecycle.unanswered(form, {})}
    return [
        {"label": labels.get(s["item"], s["item"]), "reason": s["reason"]}
        for s in store.completion_skips(audit.id)
    ]


def _refuse_fetching(url: str, *args: Any, **kwargs: Any) -> dict:
    raise ValueError(f"records are made offline; {url[:60]!r} is not fetched")


def html_to_pdf(html: str) -> bytes:
    """PDF of an HTML document with WeasyPrint; nothing is fetched from anywhere."""
    from weasyprint import HTML  # heavy: imported only when a PDF is made

    return HTML(string=html, url_fetcher=_refuse_fetching).write_pdf()


def audit_record_pdf(store: Store, audit_id: int, reader: Person | None = None) -> bytes:
    return html_to_pdf(audit_record_html(store, audit_id, reader))


# --- the audits of a period -------------------------------------------------------------------


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (for CSV)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def period_audits(
    store: Store,
    start: dt.date,
    end: dt.date,
    reader: Person | None = None,
    include_demo: bool = False,
) -> list[AuditRecord]:
    """Audits allocated or completed from ``start`` to ``end`` (inclusive) that ``reader`` may
    read (all of them for ``None``, the command line)."""
    if end < start:
        raise InvalidAnswer(f"The period ends ({end}) before it starts ({start}).")
    if reader is None:
        audits = [store.audit(i) for i in all_audit_ids(store.engine)]
        audits = [a for a in audits if include_demo or not a.demo]
    else:
        audits = store.audits_for(reader, include_demo=include_demo)

    def within(moment: dt.datetime | None) -> bool:
        return moment is not None and start <= moment.date() <= end

    return sorted(
        (a for a in audits if within(a.created_at) or within(a.completed_at)),
        key=lambda a: a.id,
    )


def period_table(store: Store, audits: list[AuditRecord]) -> tuple[list[str], list[list[Any]]]:
    """(headings, rows): one row per audit with its area scales, rating and both grades."""
    book = Moderations(store)
    forms = [store.form_of(a) for a in audits] or [registry().latest(AUDIT_FORM)]
    scale_keys = list(dict.fromkeys(k for f in forms for k in f.scale_keys("area_scale")))
    headings = [
        "Audit",
        "Child’s ID",
        "Team",
        "Service",
        "Allocated",
        "Completed",
        "State",
        *[f"Area {k.split('.')[0].removeprefix('area_')}" for k in scale_keys],
        "Overall rating",
        "Grade",
        "Moderator’s grade",
        "Moderation agrees",
        "Grade after moderation",
    ]
    rows = []
    for audit in audits:
        values = store.answer_values(audit.id)
        grades = book.grades(audit.id)
        agrees = "" if not grades.moderated else ("yes" if grades.agrees else "no")
        rows.append(
            [
                audit.id,
                audit.child_id,
                audit.team or "",
                audit.service or "",
                audit.created_at.date().isoformat(),
                audit.completed_at.date().isoformat() if audit.completed_at else "",
                lifecycle.STATE_LABELS[audit.state],
                *[values.get(k) for k in scale_keys],
                values.get(lifecycle.OVERALL_RATING),
                grades.auditor or "",
                grades.moderator or "",
                agrees,
                (grades.final or "") if grades.moderated else "",
            ]
        )
    return headings, rows


def to_csv(headings: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads the accents), formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in headings])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(headings: list[str], rows: list[list[Any]]) -> bytes:
    """An Excel workbook; every text cell is stored as a string, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Audits"
    for r, row in enumerate([headings, *rows], start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would store "=…" as a formula otherwise
            if r == 1:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


EXPORTS = {"csv": to_csv, "xlsx": to_xlsx}
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
    "pdf": "application/pdf",
}


def export_period(
    store: Store,
    start: dt.date,
    end: dt.date,
    fmt: str,
    reader: Person | None = None,
    include_demo: bool = False,
) -> bytes:
    if fmt not in EXPORTS:
        raise InvalidAnswer(f"Audits are exported as {' or '.join(EXPORTS)}, not {fmt!r}.")
    headings, rows = period_table(store, period_audits(store, start, end, reader, include_demo))
    return EXPORTS[fmt](headings, rows)
