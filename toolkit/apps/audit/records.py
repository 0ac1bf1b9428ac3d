"""What the audit screen shows after the meeting: both grades, the record for the child's file,
the history of changes, a grade change with its reason, and the export of a period.

The rules live in :mod:`toolkit.audit.records`, :mod:`toolkit.audit.history`,
:mod:`toolkit.store.moderations` and :meth:`Store.change_completed_grade`; these widgets ask and
report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ipywidgets as w

from toolkit.apps.audit.profile import ungraded_line
from toolkit.apps.common import Looking, button
from toolkit.audit import records
from toolkit.core import lifecycle
from toolkit.core.html import esc
from toolkit.core.permissions import AuditRecord, Person
from toolkit.core.profiles import audit_grade_bands
from toolkit.store import Store
from toolkit.store.moderations import Moderations
from toolkit.ui.downloads import data_link
from toolkit.ui.scale import ScaleInput


class RecordDownloads(w.VBox):
    """'Prepare the record' → links to the audit as HTML and as PDF for the child's file."""

    def __init__(
        self, store: Store, audit_id: int, reader: Person, guard: Callable, looking: Looking
    ) -> None:
        self._store, self._audit_id, self._reader = store, audit_id, reader
        self._looking = looking
        self.links = w.HTML()
        self.links.add_class("record-links")
        prepare = button("Prepare the record (HTML and PDF)", "prepare-record", width="300px")
        prepare.on_click(guard(lambda _b: self.prepare()))
        super().__init__(
            [
                w.HTML(
                    '<div class="group-title"><h3>Record for the child’s file</h3></div>'
                    '<p class="guidance">The whole audit with its grade, actions and moderation, '
                    "as a web page or a PDF that needs nothing else to open.</p>"
                ),
                prepare,
                self.links,
            ]
        )
        self.add_class("group-box")
        self.add_class("record-downloads")

    def prepare(self) -> None:
        with self._looking("download", "audit", self._audit_id, "HTML and PDF"):
            html = records.audit_record_html(self._store, self._audit_id, self._reader)
        pdf = records.html_to_pdf(html)
        stem = f"audit-{self._audit_id}"
        self.links.value = (
            data_link(
                html.encode("utf-8"),
                f"{stem}.html",
                records.MEDIA_TYPES["html"],
                "Download the record (HTML)",
                "download-html",
            )
            + " · "
            + data_link(
                pdf,
                f"{stem}.pdf",
                records.MEDIA_TYPES["pdf"],
                "Download the record (PDF)",
                "download-pdf",
            )
        )


class PeriodExport(w.VBox):
    """The audits of a period, one row each, as CSV or Excel (what the reader may read)."""

    def __init__(self, store: Store, reader: Person, guard: Callable, looking: Looking) -> None:
        self._store, self._reader = store, reader
        self._looking = looking
        today = dt.date.today()
        self.start = w.DatePicker(value=today.replace(day=1), description="From")
        self.end = w.DatePicker(value=today, description="To")
        self.start.add_class("export-from")
        self.end.add_class("export-to")
        self.demo = w.Checkbox(
            value=False, description="Include demonstration audits", indent=False
        )
        self.demo.add_class("export-include-demo")
        self.links = w.HTML()
        self.links.add_class("export-links")
        buttons = []
        for fmt, label in (("csv", "CSV"), ("xlsx", "Excel")):
            export = button(f"Export as {label}", f"export-{fmt}", width="150px")
            export.on_click(guard(lambda _b, fmt=fmt: self.export(fmt)))
            buttons.append(export)
        super().__init__(
            [
                w.HTML('<div class="group-title"><h3>Export the audits of a period</h3></div>'),
                w.HBox([self.start, self.end, self.demo], layout=w.Layout(flex_flow="row wrap")),
                w.HBox(buttons),
                self.links,
            ]
        )
        self.add_class("group-box")
        self.add_class("period-export")

    def export(self, fmt: str) -> None:
        if self.start.value is None or self.end.value is None:
            self.links.value = '<span class="status-error">Choose both dates.</span>'
            return
        name = f"audits-{self.start.value:%Y%m%d}-{self.end.value:%Y%m%d}.{fmt}"
        what = f"audits {self.start.value} to {self.end.value} as {fmt}" + (
            ", demonstration included" if self.demo.value else ""
        )
        with self._looking("export", "period_export", None, what):
            data = records.export_period(
                self._store, self.start.value, self.end.value, fmt, self._reader, self.demo.value
            )
        self.links.value = data_link(
            data, name, records.MEDIA_TYPES[fmt], f"Download {name}", f"download-{fmt}"
        )


class GradeChangePanel(w.VBox):
    def __init__(
        self,
        store: Store,
        audit_id: int,
        person: Person,
        guard: Callable,
        on_changed: Callable[[], None],
    ) -> None:
        self._store, self._audit_id, self._person = store, audit_id, person
        self._on_changed = on_changed
        self.rating = ScaleInput(description="New overall rating")
        self.rating.add_class("grade-change-rating")
        self.reason = w.Textarea(
            placeholder="Why the grade changes (for example, agreed with the moderator on …)",
            rows=2,
            layout=w.Layout(width="100%"),
        )
        self.reason.add_class("grade-change-reason")
        change = button("Change the grade", "grade-change-save", style="warning", width="180px")
        change.on_click(guard(lambda _b: self.change()))
        super().__init__(
            [
                w.HTML(
                    '<div class="group-title">'
                    "<h3>Change the grade of this completed audit</h3></div>"
                    '<p class="guidance">The audit is complete, so a new grade needs a reason. '
                    "The history keeps the old grade, the new one, who changed it and why.</p>"
                ),
                self.rating,
                w.HTML('<div class="field-label">Reason for the change</div>'),
                self.reason,
                change,
            ],
            layout=w.Layout(width="100%"),
        )
        self.add_class("group-box")
        self.add_class("grade-change")

    def change(self) -> None:
        """Raises the store's refusal (shown by ``guard``); nothing changes then."""
        self._store.change_completed_grade(
            self._audit_id, self.rating.value, self.reason.value, self._person
        )
        self._on_changed()


# --- the pieces the audit screen adds ---------------------------------------------------------


def grades_line(store: Store, audit: AuditRecord) -> str:
    """Both grades once graded (the auditor's and the moderation's), for the audit summary."""
    grades = Moderations(store).grades(audit.id)
    if audit_grade_bands() is None:  # an authority that sets no grades: its note instead
        return ungraded_line(store.answer_values(audit.id).get(lifecycle.OVERALL_RATING))
    if grades.auditor is None and not grades.moderated:
        return ""
    return f'<div class="both-grades">{esc(grades.describe())}</div>'
