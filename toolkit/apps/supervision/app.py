"""The reflective supervision app: sessions listed by supervisee, case and date; a new session of
a kind; and each session on its own screen, with a projector mode and an exported record.

``?session=<id>`` opens a session; ``?audit=<id>`` starts one from a completed audit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from toolkit.apps import session as page
from toolkit.apps.common import AppFrame, page_store
from toolkit.apps.supervision.ears import EarsScreen
from toolkit.apps.supervision.frequencies import frequencies_panel
from toolkit.apps.supervision.group import GroupMappingScreen
from toolkit.apps.supervision.records import (
    QualityClinicScreen,
    learning_review,
    practice_intensive,
)
from toolkit.apps.supervision.reflective import ReflectiveToolScreen
from toolkit.apps.supervision.widgets import NoteContext, ProjectorView, button, html
from toolkit.apps.training.reveal import case_file_for
from toolkit.audit.records import html_to_pdf
from toolkit.core.html import esc
from toolkit.core.profiles import load_profile
from toolkit.store import Store
from toolkit.supervision.audit_link import audit_findings, findings_markup
from toolkit.supervision.export import export_html
from toolkit.supervision.frequency import GROUP_SUPERVISION_KINDS, group_cycles
from toolkit.supervision.store import KINDS, SUPERVISOR_ROLES, SessionRecord, SupervisionStore
from toolkit.ui.a11y import name_button
from toolkit.ui.downloads import data_link
from toolkit.ui.table import table_row
from toolkit.ui.watch import ChangeWatch

SCREENS: dict[str, Callable[[NoteContext, Callable[..., Any]], w.Widget]] = {
    "ears": EarsScreen,
    "reflective_tool": ReflectiveToolScreen,
    "group_mapping": GroupMappingScreen,
    "quality_clinic": QualityClinicScreen,
    "practice_intensive": practice_intensive,
    "learning_review": learning_review,
}
#: kinds with one supervisee; the others are a group
ONE_TO_ONE = ("ears", "reflective_tool")
WIDE = {"description_width": "160px"}


SESSION_COLUMNS = "56px 190px minmax(0, 1.4fr) minmax(0, 1fr) 110px 110px 90px"


def _row(cells: list[Any], head: bool = False, css: str = "") -> w.GridBox:
    return table_row(cells, SESSION_COLUMNS, head, css)


class HomeScreen(w.VBox):
    """My sessions (filtered by supervisee, case or kind) and starting a new one."""

    def __init__(self, app: SupervisionApp, audit_id: int | None = None) -> None:
        self.app = app
        person = app.person
        assert person is not None
        self.names = {p.id: p.name for p in app.store.people()}
        self._supervisee = w.Dropdown(
            options=[("Anyone", 0)] + [(p.name, p.id) for p in app.store.people()],
            value=0,
            description="Supervisee",
            style={"description_width": "90px"},
            layout=w.Layout(width="360px"),
        )
        self._case = w.Text(
            description="Child’s ID",
            style={"description_width": "80px"},
            layout=w.Layout(width="260px"),
        )
        self._kind = w.Dropdown(
            options=[("Any kind", "")] + [(label, k) for k, label in KINDS.items()],
            value="",
            description="Kind",
            style={"description_width": "50px"},
            layout=w.Layout(width="330px"),
        )
        for widget, css in (
            (self._supervisee, "filter-supervisee"),
            (self._case, "filter-case"),
            (self._kind, "filter-kind"),
        ):
            widget.add_class(css)
            widget.observe(app.guard(lambda _c: self.refresh()), names="value")
        filters = w.HBox(
            [self._supervisee, self._case, self._kind],
            layout=w.Layout(flex_flow="row wrap", grid_gap="8px"),
        )
        self._table = w.VBox(layout=w.Layout(width="100%"))
        self._table.add_class("session-list")
        children: list[w.Widget] = [
            html('<div class="section-title"><h2>Supervision sessions</h2></div>'),
            filters,
            self._table,
        ]
        if person.roles & SUPERVISOR_ROLES:
            children.append(self._start_form(audit_id))
        children.append(self._frequencies())
        super().__init__(children, layout=w.Layout(width="100%"))
        self.add_class("supervision-home")
        self.refresh()

    def refresh(self) -> None:
        app = self.app
        sessions = app.sup.sessions_for(
            app.person,
            supervisee_id=self._supervisee.value or None,
            child_id=self._case.value.strip() or None,
            kind=self._kind.value or None,
        )
        heads = ["#", "Kind", "Title", "With", "Case", "Date", ""]
        rows: list[w.Widget] = [_row([esc(h) for h in heads], head=True)]
        for s in sessions:
            open_button = button("Open", "open-session", f"open-session-{s.id}", width="80px")
            name_button(open_button, f"Open session #{s.id}, {s.title}")
            open_button.on_click(app.guard(lambda _b, sid=s.id: app.open_session(sid)))
            with_whom = self.names.get(s.supervisee_id, "") if s.supervisee_id else s.group_name
            rows.append(
                _row(
                    [
                        f"#{s.id}",
                        esc(s.kind_label),
                        esc(s.title or "—"),
                        esc(with_whom or "—"),
                        esc(s.child_id or "—"),
                        f"{s.started_at:%d %b %Y}",
                        open_button,
                    ],
                    css=f"session-row session-row-{s.id}",
                )
            )
        if not sessions:
            rows.append(html('<p class="empty-note">No sessions match.</p>'))
        self._table.children = rows

    def _frequencies(self) -> w.Widget:
        """How often the active profile says supervision meets; each group's next session."""
        today = dt.date.today()
        group_sessions = self.app.sup.sessions_for(self.app.person, kind=GROUP_SUPERVISION_KINDS[0])
        profile = load_profile()
        return frequencies_panel(profile, group_cycles(group_sessions, profile, today), today)

    def _start_form(self, audit_id: int | None) -> w.Widget:
        app = self.app
        others = [p for p in app.store.people() if p.id != app.person.id]
        kind = w.Dropdown(
            options=[(label, k) for k, label in KINDS.items()],
            value="ears",
            description="Kind of session",
            style=WIDE,
            layout=w.Layout(width="520px"),
        )
        title = w.Text(description="Title", style=WIDE, layout=w.Layout(width="520px"))
        supervisee = w.Dropdown(
            options=[("Choose who is supervised", 0)] + [(p.name, p.id) for p in others],
            value=0,
            description="Supervisee",
            style=WIDE,
            layout=w.Layout(width="520px"),
        )
        group = w.Text(description="Group or team", style=WIDE, layout=w.Layout(width="520px"))
        child = w.Text(
            description="Child’s ID (optional)", style=WIDE, layout=w.Layout(width="520px")
        )
        for widget, css in (
            (kind, "new-kind"),
            (title, "new-title"),
            (supervisee, "new-supervisee"),
            (group, "new-group"),
            (child, "new-child-id"),
        ):
            widget.add_class(css)
        findings = html("")
        if audit_id is not None:  # the audit's findings shown: an opening of the audit
            with app.looking("open", "audit", audit_id, "its findings, to start a session"):
                found = audit_findings(app.store, audit_id, app.person)
            findings.value = findings_markup(found)
            child.value = found.child_id
            child.disabled = True
            title.value = f"Supervision after audit #{audit_id}"
            if any(p.id == found.practitioner_id for p in others):
                supervisee.value = found.practitioner_id

        def shape(*_: object) -> None:
            one = kind.value in ONE_TO_ONE
            supervisee.layout.display = None if one else "none"
            group.layout.display = "none" if one else None

        kind.observe(shape, names="value")
        shape()
        start = button("Start session", "start-session", style="primary", width="160px")

        @app.guard
        def begin(_b: w.Button) -> None:
            chosen = app.store.person(supervisee.value) if supervisee.value else None
            one = kind.value in ONE_TO_ONE
            if one and chosen is None:
                app.messages.show("Choose who is being supervised.", "error")
                return
            record = app.sup.create_session(
                kind.value,
                app.person,
                title=title.value,
                supervisee=chosen if one else None,
                group_name=None if one else group.value,
                child_id=child.value.strip() or None,
                audit_id=audit_id,
            )
            app.open_session(record.id)

        start.on_click(begin)
        box = w.VBox(
            [
                html('<div class="group-title"><h3>Start a session</h3></div>'),
                findings,
                kind,
                title,
                supervisee,
                group,
                child,
                start,
            ],
            layout=w.Layout(margin="16px 0", width="100%"),
        )
        box.add_class("group-box")
        box.add_class("start-session-form")
        return box


class SessionScreen(w.VBox):
    """One session: who and what, the audit it follows, its screen, projector and record."""

    def __init__(self, app: SupervisionApp, record: SessionRecord) -> None:
        self.app, self.record = app, record
        self.ctx = NoteContext(app.sup, record, app.person)
        names = {p.id: p.name for p in app.store.people()}
        with_whom = (
            f" · with <b>{esc(names.get(record.supervisee_id, '?'))}</b>"
            if record.supervisee_id
            else (f" · {esc(record.group_name)}" if record.group_name else "")
        )
        case = f" · child’s ID <b>{esc(record.child_id)}</b>" if record.child_id else ""
        mode = "Every note is saved as you type." if self.ctx.editable else "Read only for you."
        summary = html(
            f"<div><b>{esc(record.kind_label)}</b> #{record.id}: {esc(record.title or '')}"
            f" · led by {esc(names.get(record.supervisor_id, '?'))}{with_whom}{case}"
            f' · started {record.started_at:%d %b %Y}</div><div class="guidance">{esc(mode)}</div>',
            "audit-summary",
            "session-summary",
        )
        back = button("← Sessions", "back-home", width="130px")
        back.on_click(app.guard(lambda _b: app.show_home()))
        self._projector = w.ToggleButton(
            value=False,
            description="Projector mode",
            icon="desktop",
            layout=w.Layout(width="170px"),
        )
        self._projector.add_class("projector-toggle")
        self._projector.observe(app.guard(lambda _c: self._show()), names="value")
        prepare = button("Record (HTML, PDF)", "prepare-record", width="170px")
        self._download = html("", "record-link")
        prepare.on_click(app.guard(lambda _b: self._prepare_record()))
        toolbar = w.HBox(
            [back, self._projector, prepare, self._download],
            layout=w.Layout(align_items="center", flex_flow="row wrap", grid_gap="8px"),
        )
        parts: list[w.Widget] = [toolbar, summary, case_file_for(app.store, record.child_id)]
        if record.audit_id is not None:
            found = audit_findings(app.store, record.audit_id, app.person)
            panel = w.Accordion([html(findings_markup(found))], selected_index=0)
            panel.set_title(0, f"What audit #{record.audit_id} found")
            panel.add_class("audit-findings-panel")
            parts.append(panel)
        self.screen = SCREENS[record.kind](self.ctx, app.guard)
        self._body = w.VBox([self.screen], layout=w.Layout(width="100%"))
        super().__init__([*parts, self._body], layout=w.Layout(width="100%"))
        self.add_class("session-screen")
        self.add_class(f"session-{record.id}")
        self.add_class(f"kind-{record.kind.replace('_', '-')}")
        # another person's (or window's) change to a note shows here within seconds
        self.watch = ChangeWatch(
            lambda: self.ctx.views,
            lambda: app.sup.notes(record.id),
            names.get,
            app.person.id if app.person else None,
            alive=lambda: app.screen is self,
        ).start()

    def _show(self) -> None:
        if self._projector.value:
            view = ProjectorView(
                self.screen.slides(), lambda: setattr(self._projector, "value", False)
            )
            self._body.children = [view]
            self.app.add_class("projecting")
        else:
            self._body.children = [self.screen]
            self.app.remove_class("projecting")

    def _prepare_record(self) -> None:
        """The session's record to download, as HTML and as PDF (made from that HTML offline)."""
        with self.app.looking("download", "supervision_session", self.record.id, "HTML and PDF"):
            page_html = export_html(self.app.sup, self.record.id, self.app.person)
        name = f"supervision-{self.record.id}"
        self._download.value = data_link(
            page_html.encode("utf-8"),
            f"{name}.html",
            "text/html",
            "Download the record (HTML)",
            "record-download",
        ) + data_link(
            html_to_pdf(page_html), f"{name}.pdf", "application/pdf", "PDF", "record-download-pdf"
        )


class SupervisionApp(AppFrame):
    notebook = "supervision.ipynb"

    def __init__(self, store: Store | None = None) -> None:
        super().__init__("Reflective supervision", "supervision-app", store or page_store())
        self.sup = SupervisionStore(self.store)
        self.screen: w.Widget | None = None
        self.begin()

    def start(self) -> None:
        self.screen = None  # a refused link must not leave the last person's screen standing
        session_id = page.query_int("session")
        if session_id is not None:
            self.guard(self.open_session)(session_id)
            if isinstance(self.screen, SessionScreen):
                return
        audit_id = page.query_int("audit")
        if audit_id is not None:
            self.guard(self.show_home)(audit_id=audit_id)
            if isinstance(self.screen, HomeScreen):
                return
        self.show_home(keep_message=session_id is not None or audit_id is not None)

    def show_home(self, keep_message: bool = False, audit_id: int | None = None) -> None:
        if not keep_message:
            self.messages.clear()
        screen = HomeScreen(self, audit_id)
        self.screen = screen
        self.body.children = [screen]

    def open_session(self, session_id: int) -> None:
        assert self.person is not None
        with self.looking("open", "supervision_session", session_id):
            record = self.sup.session(session_id, self.person)
        self.messages.clear()
        self.screen = SessionScreen(self, record)
        self.body.children = [self.screen]


def app(store: Store | None = None) -> None:
    """Build the supervision app and show it (the one line in ``notebooks/supervision.ipynb``)."""
    from IPython.display import display

    display(SupervisionApp(store))


__all__ = ["HomeScreen", "SessionScreen", "SupervisionApp", "app"]
