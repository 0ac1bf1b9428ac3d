"""The thematic audit app: a case checked against an authority's practice standards.

The auditor chooses the authority (the active profile by default) and one or more service
areas; each expectation is rated Met / Partly met / Not met / Not applicable (the toolkit's
scale, ``thematic_ratings`` in ``forms/toolkit_decisions.yaml``) with the evidence
and where it is on the file, saved as it is given. Bottom lines stand apart; any rated Not met
is flagged on the item and listed at the top for the auditor's action. ``?thematic=<id>`` opens
one; ``?audit=<id>`` runs it as an added section of that collaborative audit.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from toolkit.apps import session
from toolkit.apps.common import AppFrame, page_store
from toolkit.core.errors import Conflict
from toolkit.core.html import decision_html, esc
from toolkit.core.profiles import load_profile
from toolkit.forms.loader import toolkit_decisions
from toolkit.forms.models import Field, FieldKind
from toolkit.standards import store as thematic_store
from toolkit.standards.loader import available_authorities, load_standards
from toolkit.standards.models import KIND_LABELS, StandardItem, StandardsArea
from toolkit.standards.summary import RATINGS, ThematicSummary
from toolkit.store import Store
from toolkit.ui.a11y import name_button
from toolkit.ui.fields import FieldView

RATING_FIELD = Field(
    id="rating",
    kind=FieldKind.choice,
    label="Rating",
    options=list(RATINGS.values()),
    verbatim=False,
)
EVIDENCE_FIELD = Field(
    id="evidence", kind=FieldKind.long_text, label="Evidence", verbatim=False, max_length=20000
)
LOCATION_FIELD = Field(
    id="location", kind=FieldKind.text, label="Where it is on the file", verbatim=False
)


def _button(description: str, *classes: str, style: str = "") -> w.Button:
    button = w.Button(description=description, button_style=style, layout=w.Layout(width="auto"))
    for css in classes:
        button.add_class(css)
    return button


def _as_label(rating: str | None) -> str | None:
    return RATINGS.get(rating) if rating else None


# --- one item: its text, rating, evidence and location -------------------------------------------


class ItemView(w.VBox):
    """An expectation or bottom line with its three answers, sharing one revision in the store."""

    def __init__(self, screen: ThematicScreen, item: StandardItem, answer: Any) -> None:
        self.screen, self.item = screen, item
        self.revision = answer.revision if answer else 0
        editable = screen.editable
        self.views = {
            part: FieldView(f"{item.id}.{part}", field, editable, self._save)
            for part, field in (
                ("rating", RATING_FIELD),
                ("evidence", EVIDENCE_FIELD),
                ("location", LOCATION_FIELD),
            )
        }
        self.views["evidence"].input.rows = 2  # 30-odd items a page: keep each one short
        if answer:  # a part left empty is not shown as saved, though the item has a revision
            for part, value in (
                ("rating", _as_label(answer.rating)),
                ("evidence", answer.evidence),
                ("location", answer.location),
            ):
                self.views[part].load(value, answer.revision if value else 0)
            self._sync(answer.revision)
        where = "".join(
            f"<li>{esc(c.text)} "
            f'<span class="source">({esc(c.source.label(screen.standards.seed))})</span></li>'
            for c in item.where_to_look
        )
        text = (
            f'<div class="item-text"><span class="item-kind">{esc(KIND_LABELS[item.kind])}</span> '
            f"{esc(item.text)}</div>"
            f'<div class="item-source">{esc(item.id)} · '
            f"seed {esc(item.source.label(screen.standards.seed))}</div>"
            + (
                f'<div class="where-to-look">Where will we see this?<ul>{where}</ul></div>'
                if where
                else ""
            )
        )
        self.flag = w.HTML("")
        self.flag.add_class("item-flag")
        answers = w.HBox(
            [self.views["evidence"], self.views["location"]],
            layout=w.Layout(width="100%"),
        )
        answers.add_class("item-answers")
        super().__init__(
            [w.HTML(text), self.flag, self.views["rating"], answers], layout=w.Layout(width="100%")
        )
        self.add_class("thematic-item")
        self.add_class(f"item-{item.id.replace('_', '-')}")
        if item.is_bottom_line:
            self.add_class("bottom-line-item")
        self.show_flag(answer.rating if answer else None)

    def _save(self, key: str, value: Any, _revision: int) -> tuple[Any, int]:
        item_id, part = key.split(".")
        screen = self.screen
        try:
            saved = thematic_store.save_thematic_answer(
                screen.app.store,
                screen.app.person,
                screen.thematic.id,
                item_id,
                part,
                value,
                expected_revision=self.revision,
            )
        except Conflict as exc:
            current = _as_label(exc.current) if part == "rating" else exc.current
            self._sync(exc.revision)
            raise Conflict(
                str(exc),
                current,
                exc.revision,
                updated_by=exc.updated_by,
                updated_by_name=exc.updated_by_name,
                updated_at=exc.updated_at,
            ) from None
        self._sync(saved.revision)
        if part == "rating":
            self.show_flag(saved.rating)
            screen.refresh_summary()
            return _as_label(saved.rating), saved.revision
        return getattr(saved, part), saved.revision

    def _sync(self, revision: int) -> None:
        self.revision = revision
        for view in self.views.values():
            view.revision = revision

    def show_flag(self, rating: str | None) -> None:
        flagged = self.item.is_bottom_line and rating == "not_met"
        self.flag.value = (
            '<div class="flag" role="alert">⚑ Bottom line not met: for the auditor’s action</div>'
            if flagged
            else ""
        )
        if flagged:
            self.add_class("flagged")
        else:
            self.remove_class("flagged")


# --- the audit screen ---------------------------------------------------------------------------


class ThematicScreen(w.VBox):
    def __init__(self, app: ThematicApp, thematic: thematic_store.ThematicAudit) -> None:
        self.app, self.thematic = app, thematic
        self.standards = load_standards(thematic.authority)
        person = app.person
        self.editable = (
            person is not None and person.id == thematic.auditor_id and not thematic.complete
        )
        self.flags = w.HTML("")
        self.flags.add_class("bottom-line-flags")
        self.counts = w.HTML("")
        self.counts.add_class("thematic-counts")
        self.tabs = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.tabs.add_class("nav-row")
        self.area_box = w.VBox(layout=w.Layout(width="100%"))
        back = _button("← All thematic audits", "thematic-back")
        back.on_click(app.guard(lambda _b: app.show_home()))
        linked = (
            f" · section of collaborative audit #{thematic.audit_id}" if thematic.audit_id else ""
        )
        head = w.HTML(
            f'<div class="audit-summary thematic-summary">Thematic audit #{thematic.id} · '
            f"<b>{esc(load_profile(thematic.authority).name)}</b> · child {esc(thematic.child_id)}"
            f"{esc(linked)} · {_state_badge(thematic)}"
            + ("" if self.editable else " · <i>read only</i>")
            + "</div>"
        )
        super().__init__(
            [
                w.HBox([back]),
                head,
                w.HTML(decision_html(toolkit_decisions().get("thematic_ratings"))),
                self.flags,
                self.counts,
                self.tabs,
                self.area_box,
                self._completion(),
            ],
            layout=w.Layout(width="100%"),
        )
        self.add_class("thematic-screen")
        if not self.editable:
            self.add_class("read-only")
        self.answers = thematic_store.thematic_answers(app.store, thematic.id)
        self.refresh_summary()
        self.show_area(thematic.service_areas[0])

    def _completion(self) -> w.Widget:
        """The complete button for its auditor; once complete, who completed it and when."""
        if self.thematic.complete:
            lines = thematic_store.thematic_history(
                self.app.store, self.thematic.id, self.app.person
            )
            names = {p.id: p.name for p in self.app.store.people()}
            items = "".join(
                f"<li>{c.changed_at:%d %b %Y %H:%M} · {esc(names.get(c.changed_by, '?'))} · "
                f"{esc(STATE_WORDS.get(c.old, str(c.old)))} → "
                f"{esc(STATE_WORDS.get(c.new, str(c.new)))}</li>"
                for c in lines
            )
            box = w.HTML(f'<h3>History</h3><ul class="thematic-history">{items}</ul>')
        elif self.editable:
            complete = _button("Complete thematic audit", "complete-thematic", style="success")
            complete.on_click(self.app.guard(lambda _b: self.complete()))
            box = w.VBox(
                [
                    w.HTML(
                        '<h3>Complete the thematic audit</h3><p class="guidance">When every '
                        "expectation and bottom line of the areas audited has a rating, complete "
                        "the audit. It cannot be changed afterwards.</p>"
                    ),
                    w.HBox([complete]),
                ]
            )
        else:
            return w.HTML("")
        box.add_class("group-box")
        box.add_class("thematic-completion")
        return box

    def complete(self) -> None:
        app = self.app
        assert app.person is not None
        done = thematic_store.complete_thematic_audit(app.store, app.person, self.thematic.id)
        app.show_thematic(done)
        flagged = len(thematic_store.thematic_summary(app.store, done).bottom_lines_not_met)
        action = (
            f" {flagged} bottom line{'s' if flagged > 1 else ''} not met "
            f"{'are' if flagged > 1 else 'is'} flagged for your action."
            if flagged
            else ""
        )
        app.messages.show(f"Thematic audit #{done.id} is complete and read only.{action}", "ok")

    def refresh_summary(self) -> None:
        summary = thematic_store.thematic_summary(self.app.store, self.thematic)
        self.flags.value = _flags_html(summary)
        self.counts.value = _counts_html(summary)

    def show_area(self, area_id: str) -> None:
        self.answers = thematic_store.thematic_answers(self.app.store, self.thematic.id)
        tabs = []
        for other in self.thematic.service_areas:
            button = _button(self.standards.area(other).title, "area-tab", f"area-tab-{other}")
            if other == area_id:
                button.add_class("current")
            button.on_click(self.app.guard(lambda _b, a=other: self.show_area(a)))
            tabs.append(button)
        self.tabs.children = tabs if len(tabs) > 1 else []
        self.area_box.children = [self._area(self.standards.area(area_id))]

    def _area(self, area: StandardsArea) -> w.Widget:
        parts: list[w.Widget] = [
            w.HTML(f'<div class="section-title"><h2>{esc(area.title)}</h2></div>'),
        ]
        if area.introduction:
            parts.append(
                w.HTML("".join(f'<p class="guidance">{esc(c.text)}</p>' for c in area.introduction))
            )
        expectations, bottom_lines = area.expectations(), area.bottom_lines()
        heading = None
        if expectations:
            parts.append(w.HTML('<h3 class="items-heading">Practice expectations</h3>'))
        for item in expectations:
            label = self._heading(item)
            if label and label != heading:
                parts.append(w.HTML(f'<h4 class="principle-heading">{esc(label)}</h4>'))
                heading = label
            parts.append(ItemView(self, item, self.answers.get(item.id)))
        box = w.VBox(parts, layout=w.Layout(width="100%"))
        box.add_class("group-box")
        if not bottom_lines:
            note = area.note or "This area has no bottom lines."
            box.children = [*box.children, w.HTML(f'<p class="empty-note">{esc(note)}</p>')]
            return box
        lines = w.VBox(
            [w.HTML('<h3 class="items-heading">Bottom lines</h3>')]
            + [ItemView(self, item, self.answers.get(item.id)) for item in bottom_lines],
            layout=w.Layout(width="100%"),
        )
        lines.add_class("bottom-lines")
        return w.VBox([box, lines], layout=w.Layout(width="100%"))

    def _heading(self, item: StandardItem) -> str | None:
        principle = self.standards.principle(item.principle)
        parts = [p for p in (principle.title if principle else None, item.subheading) if p]
        return " — ".join(parts) or None


STATE_WORDS = {"in_progress": "In progress", "complete": "Complete"}


def _area_titles(thematic: thematic_store.ThematicAudit) -> list[str]:
    standards = load_standards(thematic.authority)
    return [standards.area(a).title for a in thematic.service_areas]


def _state_badge(thematic: thematic_store.ThematicAudit) -> str:
    when = f" {thematic.completed_at:%d %b %Y}" if thematic.completed_at else ""
    return (
        f'<span class="state-badge thematic-state state-{esc(thematic.state)}">'
        f"{esc(STATE_WORDS.get(thematic.state, thematic.state))}{when}</span>"
    )


def _flags_html(summary: ThematicSummary) -> str:
    if not summary.bottom_lines_not_met:
        return '<div class="msg msg-ok no-flags">No bottom line is rated Not met.</div>'
    items = "".join(
        f"<li><b>{esc(area.title)}</b>: {esc(item.text)}</li>"
        for area, item in summary.bottom_lines_not_met
    )
    count = len(summary.bottom_lines_not_met)
    return (
        f'<div class="msg msg-error flags" role="alert">⚑ {count} bottom line'
        f"{'s' if count > 1 else ''} not met: for the auditor’s action<ul>{items}</ul></div>"
    )


def _counts_html(summary: ThematicSummary) -> str:
    head = "".join(f"<th>{esc(label)}</th>" for label in RATINGS.values())
    rows = "".join(
        f"<tr><td>{esc(a.title)}</td>"
        + "".join(f'<td class="count-{k}">{a.counts[k]}</td>' for k in RATINGS)
        + f"<td>{a.counts['not_rated']}</td></tr>"
        for a in summary.areas
    )
    return (
        f'<table class="audit-table"><tr><th>Service area</th>{head}<th>Not yet rated</th></tr>'
        f"{rows}</table>"
    )


# --- home: the list, and starting one ------------------------------------------------------------


class ThematicHome(w.VBox):
    def __init__(self, app: ThematicApp) -> None:
        self.app = app
        person = app.person
        assert person is not None
        profile = load_profile()
        self.audit = app.store.audit(app.audit_id, person) if app.audit_id else None
        found = thematic_store.thematic_audits_for(app.store, person, app.audit_id)
        rows: list[w.Widget] = [w.HTML(_list_head())]
        for thematic in found:
            summary = thematic_store.thematic_summary(app.store, thematic)
            open_button = _button("Open", "open-thematic", f"open-thematic-{thematic.id}")
            name_button(open_button, f"Open thematic audit #{thematic.id}")
            open_button.layout.flex = "0 0 auto"  # a long row wraps its text, not the button
            open_button.layout.min_width = "80px"
            open_button.on_click(app.guard(lambda _b, t=thematic.id: app.open_thematic(t)))
            flags = len(summary.bottom_lines_not_met)
            rows.append(
                w.HBox(
                    [
                        w.HTML(
                            f'<div class="thematic-row">#{thematic.id} · '
                            f"{esc(thematic.authority.title())} · "
                            f"{esc(', '.join(_area_titles(thematic)))}"
                            f" · child {esc(thematic.child_id)} · {_state_badge(thematic)}"
                            + (
                                f' · <span class="flag">⚑ {flags} bottom line(s) not met</span>'
                                if flags
                                else ""
                            )
                            + "</div>",
                            layout=w.Layout(flex="1 1 auto", min_width="0"),
                        ),
                        open_button,
                    ],
                    layout=w.Layout(width="100%", align_items="center"),
                )
            )
        if not found:
            rows.append(w.HTML('<p class="empty-note">No thematic audits yet.</p>'))
        intro = (
            f"<p>Authority profile: <b>{esc(profile.name)}</b> "
            "(set with SOS_TOOLKIT_AUTHORITY).</p>"
        )
        if self.audit is not None:
            intro += (
                f'<p class="linked-audit">An added section of collaborative audit #{self.audit.id} '
                f"(child {esc(self.audit.child_id)}).</p>"
            )
        super().__init__(
            [w.HTML(intro), *rows, self._start_form(profile.authority)],
            layout=w.Layout(width="100%"),
        )
        self.add_class("thematic-home")

    def _start_form(self, default_authority: str) -> w.Widget:
        authorities = available_authorities()
        self.authority = w.Dropdown(
            options=[(load_profile(a).name, a) for a in authorities],
            value=default_authority if default_authority in authorities else authorities[0],
            description="Authority",
            layout=w.Layout(width="460px"),
        )
        self.authority.add_class("start-authority")
        self.areas_box = w.VBox(layout=w.Layout(width="100%"))
        self.areas_box.add_class("start-areas")
        self.authority.observe(lambda _c: self._show_areas(), names="value")
        self._show_areas()
        self.child_id = w.Text(
            description="LiquidLogic ID",
            style={"description_width": "initial"},
            layout=w.Layout(width="460px"),
        )
        self.child_id.add_class("start-child-id")
        if self.audit is not None:
            self.child_id.value, self.child_id.disabled = self.audit.child_id, True
        start = _button("Start thematic audit", "start-thematic", style="primary")
        start.on_click(self.app.guard(self._start))
        box = w.VBox(
            [
                w.HTML("<h3>Start a thematic audit</h3>"),
                self.authority,
                w.HTML('<div class="field-label">Service areas to audit</div>'),
                self.areas_box,
                self.child_id,
                w.HBox([start]),
            ],
            layout=w.Layout(width="100%"),
        )
        box.add_class("group-box")
        return box

    def _show_areas(self) -> None:
        standards = load_standards(self.authority.value)
        self.area_checks: dict[str, w.Checkbox] = {}
        for area in standards.areas:
            check = w.Checkbox(
                value=False, description=area.title, indent=False, layout=w.Layout(width="100%")
            )
            check.add_class(f"area-choice-{area.id}")
            self.area_checks[area.id] = check
        self.areas_box.children = list(self.area_checks.values())

    def _start(self, _button: w.Button) -> None:
        app = self.app
        assert app.person is not None
        chosen = [a for a, check in self.area_checks.items() if check.value]
        thematic = thematic_store.create_thematic_audit(
            app.store,
            app.person,
            self.authority.value,
            chosen,
            child_id=self.child_id.value,
            audit_id=app.audit_id,
        )
        app.open_thematic(thematic.id)


def _list_head() -> str:
    return "<h3>Thematic audits</h3>"


class ThematicApp(AppFrame):
    notebook = "thematic_audit.ipynb"

    def __init__(self, store: Store | None = None) -> None:
        super().__init__("Thematic audit: practice standards", "audit-app", store or page_store())
        self.add_class("thematic-app")
        self.audit_id = session.query_int("audit")
        self.screen: w.Widget | None = None
        self.begin()

    def start(self) -> None:
        self.screen = None  # a refused link must not leave the last person's screen standing
        thematic_id = session.query_int("thematic")
        if thematic_id is not None:
            self.guard(self.open_thematic)(thematic_id)
            if isinstance(self.screen, ThematicScreen):
                return
        self.guard(self.show_home)(keep_message=thematic_id is not None)

    def show_home(self, keep_message: bool = False) -> None:
        if not keep_message:
            self.messages.clear()
        self.screen = ThematicHome(self)
        self.body.children = [self.screen]

    def open_thematic(self, thematic_id: int) -> None:
        assert self.person is not None
        with self.looking("open", "thematic_audit", thematic_id):
            thematic = thematic_store.thematic_audit(self.store, thematic_id, self.person)
        self.show_thematic(thematic)

    def show_thematic(self, thematic: thematic_store.ThematicAudit) -> None:
        """The thematic audit's screen, already opened (after completing it: not a new look)."""
        self.messages.clear()
        self.screen = ThematicScreen(self, thematic)
        self.body.children = [self.screen]


def app(store: Store | None = None) -> None:
    """Build the thematic audit app and show it (the one line in the notebook)."""
    from IPython.display import display

    display(ThematicApp(store))


__all__ = ["ItemView", "ThematicApp", "ThematicHome", "ThematicScreen", "app"]
