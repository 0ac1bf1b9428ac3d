"""Business support's screen: allocate audits from a spreadsheet (seed 002 L566–575).

Download the template, fill one row per audit, upload it: every row with a problem is listed
with its row number and reason, and nothing is created until the whole file is right. A child
audited recently (the toolkit's setting, shown on the screen) is a warning: tick the box to
import anyway.
"""

from __future__ import annotations

import ipywidgets as w

from toolkit.apps.common import AppFrame, page_store
from toolkit.audit.allocation import (
    RECENTLY_AUDITED,
    TEMPLATE_NAME,
    AllocationCheck,
    check_file,
    import_allocation,
    recent_audit_months,
    template,
)
from toolkit.core.html import decision_html, esc
from toolkit.core.permissions import check_allocate
from toolkit.core.spreadsheets import XLSX_MIME, ImportRejected, RowProblem, SpreadsheetError
from toolkit.forms.loader import toolkit_decisions
from toolkit.store import NotAllowed, Store
from toolkit.ui.downloads import data_link

#: Rows shown in the preview of what will be allocated (problems are always all shown).
PREVIEW_ROWS = 15


def problems_table(problems: list[RowProblem]) -> str:
    rows = "".join(
        f'<tr class="problem-row problem-row-{p.row}"><td>{p.row}</td>'
        f'<td class="{"warning" if p.warning else "error"}">'
        f"{'Warning' if p.warning else 'Problem'}</td>"
        f"<td>{esc(p.reason)}</td></tr>"
        for p in problems
    )
    return (
        '<table class="audit-table problem-table"><tr><th style="width:70px">Row</th>'
        f'<th style="width:90px">Kind</th><th>Reason</th></tr>{rows}</table>'
    )


class AllocationScreen(w.VBox):
    def __init__(self, app: AllocationApp) -> None:
        self.app = app
        self._file: tuple[str, bytes] | None = None
        intro = w.HTML(
            '<div class="section-title"><h2>Allocate case audits from a spreadsheet</h2></div>'
            '<p class="guidance">One row per audit: the auditor, the child’s LiquidLogic ID, the '
            "allocated worker and, when there is one, the Staying Together worker. The auditor "
            "must be from another team than the worker’s. Nothing is allocated until every row "
            "is right.</p>"
            + decision_html(
                toolkit_decisions().get(RECENTLY_AUDITED), default_seed=toolkit_decisions().seed
            )
        )
        link = w.HTML(
            data_link(
                template(),
                TEMPLATE_NAME,
                XLSX_MIME,
                "Download the template (.xlsx)",
                "allocation-template",
            )
        )
        link.add_class("allocation-template")
        self.upload = w.FileUpload(accept=".xlsx,.csv", multiple=False, description="Choose file")
        self.upload.layout.width = "180px"
        self.upload.add_class("allocation-upload")
        self.upload.observe(app.guard(lambda _c: self.on_upload()), names="value")
        self.preview = w.HTML()
        self.preview.add_class("allocation-preview")
        self.accept = w.Checkbox(
            description="Import anyway: I have checked the children audited in the last "
            f"{recent_audit_months()} months",
            indent=False,
            layout=w.Layout(width="auto", display="none"),
        )
        self.accept.add_class("accept-warnings")
        self.go = w.Button(
            description="Import and allocate",
            button_style="primary",
            disabled=True,
            layout=w.Layout(width="200px"),
        )
        self.go.add_class("import-allocation")
        self.go.on_click(app.guard(lambda _b: self.on_import()))
        self.result = w.HTML()
        self.result.add_class("allocation-result")
        steps = w.VBox(
            [
                w.HTML('<div class="group-title"><h3>1. The template</h3></div>'),
                link,
                w.HTML(
                    '<div class="group-title"><h3>2. Your spreadsheet (.xlsx or .csv)</h3></div>'
                ),
                self.upload,
                self.preview,
                self.accept,
                self.go,
                self.result,
            ]
        )
        steps.add_class("group-box")
        super().__init__([intro, steps], layout=w.Layout(width="100%"))
        self.add_class("allocation-screen")

    def on_upload(self) -> None:
        self.result.value = ""
        self.app.messages.clear()
        if not self.upload.value:
            return
        item = self.upload.value[0]
        self._file = (item["name"], bytes(item["content"]))
        try:
            checked = check_file(self.app.store, self._file[1], self._file[0])
        except SpreadsheetError as exc:
            self._show(f'<div class="msg msg-error">{esc(exc)}</div>', ready=False, warnings=False)
            return
        self._show(
            self._summary(checked), ready=not checked.errors, warnings=bool(checked.warnings)
        )

    def _summary(self, checked: AllocationCheck) -> str:
        name = esc(self._file[0] if self._file else "")
        if checked.errors:
            head = (
                f'<div class="msg msg-error">{name}: {len(checked.errors)} problem(s) in '
                f"{len({p.row for p in checked.errors})} row(s). Nothing will be allocated: "
                "correct these rows and upload the file again.</div>"
            )
        else:
            head = (
                f'<div class="msg msg-ok">{name}: {len(checked.allocations)} audit(s) '
                "ready to allocate.</div>"
            )
        body = problems_table(checked.problems) if checked.problems else ""
        if not checked.errors:
            rows = "".join(
                f"<tr><td>{a.row}</td><td>{esc(a.auditor.name)}</td><td>{esc(a.child_id)}</td>"
                f"<td>{esc(a.practitioner.name)}</td>"
                f"<td>{esc(a.staying_together.name if a.staying_together else '')}</td>"
                f"<td>{esc(a.manager.name if a.manager else '')}</td></tr>"
                for a in checked.allocations[:PREVIEW_ROWS]
            )
            more = len(checked.allocations) - PREVIEW_ROWS
            body += (
                '<table class="audit-table allocation-rows"><tr><th>Row</th><th>Auditor</th>'
                "<th>Child’s ID</th><th>Allocated worker</th><th>Staying Together</th>"
                f"<th>Team manager</th></tr>{rows}</table>"
                + (f'<p class="guidance">… and {more} more.</p>' if more > 0 else "")
            )
        return head + body

    def _show(self, html: str, ready: bool, warnings: bool) -> None:
        self.preview.value = html
        self.accept.value = False
        self.accept.layout.display = None if warnings and ready else "none"
        self.go.disabled = not ready

    def on_import(self) -> None:
        if self._file is None:
            self.app.messages.show("Choose a spreadsheet first.", "error")
            return
        name, data = self._file
        try:
            ids = import_allocation(
                self.app.store, data, name, self.app.person, accept_warnings=self.accept.value
            )
        except ImportRejected as exc:
            warnings_only = not any(not p.warning for p in exc.problems)
            self.app.messages.show(exc.summary, "error")  # the rows are in the table
            self._show(problems_table(exc.problems), ready=warnings_only, warnings=warnings_only)
            return
        self._file = None
        self.go.disabled = True
        self.accept.layout.display = "none"
        self.preview.value = ""
        self.app.messages.show(f"{len(ids)} audit(s) allocated from {name}.", "ok")
        self.result.value = (
            f'<div class="msg msg-ok">Allocated audits #{ids[0]} to #{ids[-1]}: each is now '
            "in the Allocated state, on its auditor’s and practitioner’s home screen.</div>"
            if ids
            else ""
        )


class AllocationApp(AppFrame):
    def __init__(self, store: Store | None = None) -> None:
        super().__init__("Allocate case audits", "allocation-app", store or page_store())
        self.begin()

    def start(self) -> None:
        assert self.person is not None
        try:
            check_allocate(self.person)
        except NotAllowed as exc:
            self.messages.show(str(exc), "error")
            self.body.children = []
            return
        self.messages.clear()
        self.body.children = [AllocationScreen(self)]


def app(store: Store | None = None) -> None:
    """Build the allocation screen and show it (the one line in ``notebooks/allocation.ipynb``)."""
    from IPython.display import display

    display(AllocationApp(store))


__all__ = ["AllocationApp", "AllocationScreen", "app"]
