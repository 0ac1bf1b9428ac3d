"""The collaborative case audit app: home screen of my audits, then the audit section by section."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import ipywidgets as w

from toolkit.apps import resume, session
from toolkit.apps.audit.completion_record import completion_record
from toolkit.apps.audit.confirm_completion import ConfirmCompletion
from toolkit.apps.audit.profile import bands_legend_html, case_term_text, rating_grade_html
from toolkit.apps.audit.queues import QueuesPanel
from toolkit.apps.audit.records import (
    GradeChangePanel,
    PeriodExport,
    RecordDownloads,
    grades_line,
)
from toolkit.apps.common import AppFrame, display_app, page_store
from toolkit.apps.training.reveal import case_file_box, reveal_box
from toolkit.apps.who_looked import openings_panel
from toolkit.audit import completion
from toolkit.audit.history import history_html, history_lines
from toolkit.core import lifecycle
from toolkit.core.html import esc, paragraphs
from toolkit.core.permissions import READ_ALL_ROLES, AuditRecord, Person
from toolkit.core.profiles import audit_grade_bands
from toolkit.core.scoring import area_profile
from toolkit.forms.loader import load_rubric, registry
from toolkit.forms.models import Form, Group, Section
from toolkit.store import Store
from toolkit.store.moderations import moderation_form
from toolkit.ui.a11y import grade_mark, name_button
from toolkit.ui.actions import ActionsEditor
from toolkit.ui.fields import FieldView
from toolkit.ui.table import table_row
from toolkit.ui.watch import ChangeWatch

AUDIT_FORM = "collaborative_case_audit"
#: rows of *My audits*: quality assurance reads every audit, and a row per audit of thousands
#: take minutes to draw (quality assurance's 486 on the run command's demonstration, 3,900 widgets,
#: did not show within a minute in the browser test)
MY_AUDITS_LISTED = 50
#: sections with more groups than this show one group at a time (the areas of practice)
PAGED_SECTION_MIN_GROUPS = 6
#: the toolkit's label for an action marked as one of the source's immediate actions
IMMEDIATE_LABEL = "Immediate action to reach Good"


@lru_cache(maxsize=1)
def _rubric():
    return load_rubric()


def _button(description: str, *classes: str, style: str = "", width: str = "auto") -> w.Button:
    button = w.Button(description=description, button_style=style, layout=w.Layout(width=width))
    for css in classes:
        button.add_class(css)
    return button


class HomeScreen(w.VBox):
    """The audits I am part of, and starting a new one."""

    def __init__(self, app: AuditApp) -> None:
        self.app = app
        store, person = app.store, app.person
        assert person is not None
        audits = store.audits_for(person, include_demo=True)
        names = {p.id: p.name for p in store.people()}
        listed = (
            f" (the {MY_AUDITS_LISTED} most recently updated are listed; open any other by its "
            "number with ?audit=&lt;number&gt; in the address)"
            if len(audits) > MY_AUDITS_LISTED
            else ""
        )
        head = w.HTML(
            '<div class="section-title"><h2>My audits</h2></div>'
            '<p class="guidance">Audits you are part of, or read for your team or service: '
            f"{len(audits)}{listed}.</p>"
        )
        heads = ["Audit", "Child’s ID", "Practitioner", "Auditor", "State", "Grade", "Updated", ""]
        rows: list[w.Widget] = [self._row([esc(h) for h in heads], head=True)]
        for audit in audits[:MY_AUDITS_LISTED]:
            open_button = _button("Open", "open-audit", f"open-audit-{audit.id}", width="90px")
            name_button(open_button, f"Open audit #{audit.id}, {audit.child_id}")
            open_button.on_click(app.guard(lambda _b, audit_id=audit.id: app.open_audit(audit_id)))
            demo = (
                ' <span class="demo-tag" title="Fictional demonstration data">demo</span>'
                if audit.demo
                else ""
            )
            rows.append(
                self._row(
                    [
                        f"#{audit.id}",
                        esc(audit.child_id) + demo,
                        esc(names.get(audit.practitioner_id, "?")),
                        esc(names.get(audit.auditor_id, "?")),
                        '<span class="state-badge">'
                        f"{esc(lifecycle.STATE_LABELS[audit.state])}</span>",
                        grade_mark(self._grade(store, audit)),
                        f"{audit.updated_at:%d %b %Y}",
                        open_button,
                    ],
                    css=f"audit-row audit-row-{audit.id}",
                )
            )
        if not audits:
            rows.append(w.HTML('<p class="empty-note">No audits yet.</p>'))
        table = w.VBox(rows, layout=w.Layout(width="100%"))
        table.add_class("audit-list")
        queues = QueuesPanel(store, person, app.guard, app.messages.show)
        children: list[w.Widget] = [queues, head, table]
        if "auditor" in person.roles:  # the store refuses anyone else (toolkit/core/audit_rules.py)
            children.append(self._start_form())
        children += period_export_panel(app)
        super().__init__(children, layout=w.Layout(width="100%"))
        self.add_class("audit-home")

    @staticmethod
    def _row(cells: list[Any], head: bool = False, css: str = "") -> w.GridBox:
        """``cells`` are widgets or HTML already escaped by the caller."""
        return table_row(cells, "70px 130px 1fr 1fr 190px 150px 110px 100px", head, css)

    @staticmethod
    def _grade(store: Store, audit: AuditRecord) -> str | None:
        """The audit's grade from its overall rating, once given (said in words in the list,
        Inadequate marked); a "Graded" audit shows its grade before it is complete."""
        return completion.grade_of(store, audit.id)

    def _start_form(self) -> w.Widget:
        app, person = self.app, self.app.person
        assert person is not None
        others = [p for p in app.store.people() if p.id != person.id]
        child = w.Text(
            description="Child’s LiquidLogic ID",
            style={"description_width": "180px"},
            layout=w.Layout(width="420px"),
        )
        child.add_class("start-child-id")
        practitioner = w.Dropdown(
            options=[(p.name, p.id) for p in others if "practitioner" in p.roles],
            value=None,
            description="Practitioner",
            style={"description_width": "180px"},
            layout=w.Layout(width="420px"),
        )
        practitioner.add_class("start-practitioner")
        start = _button("Start audit", "start-audit", style="primary", width="140px")

        @app.guard
        def begin(_b: w.Button) -> None:
            if practitioner.value is None:
                app.messages.show("Choose the practitioner who holds the case.", "error")
                return
            form = registry().latest(AUDIT_FORM)
            audit = app.store.create_audit(
                form,
                child_id=child.value,
                auditor=person,
                practitioner=app.store.person(practitioner.value),
                created_by=person,
            )
            app.open_audit(audit.id)

        start.on_click(begin)
        box = w.VBox(
            [
                w.HTML('<div class="group-title"><h3>Start an audit</h3></div>'),
                child,
                practitioner,
                start,
            ],
            layout=w.Layout(margin="16px 0"),
        )
        box.add_class("group-box")
        box.add_class("start-form")
        return box


class AuditScreen(w.VBox):
    """One audit, one section (and in the areas of practice one area) at a time."""

    def __init__(
        self, app: AuditApp, audit: AuditRecord, place: resume.Place | None = None
    ) -> None:
        self.app, self.store, self.person = app, app.store, app.person
        assert self.person is not None
        self.audit = audit
        self.form: Form = self.store.form_of(audit)
        self.part = audit.part_of(self.person.id)
        self.names = {p.id: p.name for p in self.store.people()}
        self._summary = w.HTML()
        self._summary.add_class("audit-summary")
        back = _button("← My audits", "back-home", width="130px")
        back.on_click(app.guard(lambda _b: app.show_home()))
        self._section_tabs: dict[str, w.Button] = {}
        for section in self.form.sections:
            tab = _button(
                f"{section.number}. {section.title.split(' (')[0]}",
                "section-tab",
                f"section-tab-{section.id}",
            )
            tab.on_click(app.guard(lambda _b, sid=section.id: self.show_section(sid)))
            self._section_tabs[section.id] = tab
        self._history_tab = _button("Record and history", "section-tab", "history-tab")
        self._history_tab.on_click(app.guard(lambda _b: self.show_history()))
        nav = w.HBox(
            [*self._section_tabs.values(), self._history_tab],
            layout=w.Layout(flex_flow="row wrap", width="100%"),
        )
        nav.add_class("nav-row")
        nav.add_class("section-nav")
        self._content = w.VBox(layout=w.Layout(width="100%"))
        self.views: dict[str, FieldView] = {}
        # an area's page and the area pager are built once and kept: moving between areas then
        # changes a few widgets instead of building ~180 (what limits many users at once)
        self._area_pages: dict[tuple[str, bool], tuple[w.Widget, dict[str, FieldView]]] = {}
        self._pagers: dict[str, tuple[w.Widget, dict[str, w.Button]]] = {}
        super().__init__(
            [
                w.HBox([back], layout=w.Layout(margin="0 0 6px")),
                self._summary,
                case_file_box(self.store, audit),  # training store only
                nav,
                self._content,
            ],
            layout=w.Layout(width="100%"),
        )
        self.add_class("audit-screen")
        self.add_class(f"audit-{audit.id}")
        self.refresh_summary()
        # another person's (or window's) change shows here within seconds, never typed over
        self.watch = ChangeWatch(
            lambda: self.views,
            lambda: self.store.answers(self.audit.id),
            self.names.get,
            self.person.id,
            alive=lambda: app.screen is self,
        ).start()
        first = (
            "practitioner_preparation" if self.part == "practitioner" else self.form.sections[0].id
        )
        if place is not None and place.section_id in self._section_tabs:
            self.show_section(place.section_id, place.group_id)  # back where they were
        else:
            self.show_section(first)

    # --- header ------------------------------------------------------------------------------
    def refresh_summary(self) -> None:
        self.audit = self.store.audit(self.audit.id, self.person)
        a = self.audit
        part = {"auditor": "You are the auditor", "practitioner": "You are the practitioner"}.get(
            self.part or "", "You can read this audit"
        )
        st = (
            f" · Staying Together: {esc(self.names.get(a.staying_together_id, ''))}"
            if a.staying_together_id
            else ""
        )
        practitioner = esc(self.names.get(a.practitioner_id, "?"))
        auditor = esc(self.names.get(a.auditor_id, "?"))
        state = esc(lifecycle.STATE_LABELS[a.state])
        self._summary.value = (
            f"<div><b>Audit #{a.id}</b> · Child’s ID <b>{esc(a.child_id)}</b> · "
            f"Practitioner: {practitioner} · Auditor: {auditor}{st}{case_term_text(a)} · "
            f'<span class="state-badge audit-state">{state}</span></div>'
            f'<div class="guidance">{esc(part)}. '
            f"Form: {esc(self.form.title)}, version {self.form.version}. "
            "Every answer is saved as you give it.</div>"
        ) + grades_line(self.store, a)

    # --- saving ------------------------------------------------------------------------------
    def save(self, key: str, value: Any, revision: int) -> tuple[Any, int]:
        before = self.audit.state
        answer = self.store.save_answer(
            self.audit.id, key, value, self.person, expected_revision=revision
        )
        self.audit = self.store.audit(self.audit.id)
        if self.audit.state != before:
            self.refresh_summary()
        return answer.value, answer.revision

    def editable(self, section: Section) -> bool:
        return self.audit.state != "complete" and self.part == section.editable_by

    # --- sections ----------------------------------------------------------------------------
    def show_section(self, section_id: str, group_id: str | None = None) -> None:
        section = self.form.section(section_id)
        self._history_tab.button_style = ""
        for sid, tab in self._section_tabs.items():
            tab.button_style = "primary" if sid == section_id else ""
            (tab.add_class if sid == section_id else tab.remove_class)("current")
        answers = self.store.answers(self.audit.id, self.person)
        editable = self.editable(section)
        header = w.HTML(
            '<div class="section-title">'
            f"<h2>Section {section.number}: {esc(section.title)}</h2></div>"
            + (
                ""
                if editable
                else '<p class="guidance"><i>Read only for you in this section.</i></p>'
            )
        )
        parts: list[w.Widget] = [header]
        if section.guidance:
            guide = w.Accordion([w.HTML(paragraphs(section.guidance))], selected_index=None)
            guide.set_title(0, "Guidance for this section")
            guide.add_class("section-guidance")
            parts.append(guide)
        groups = section.groups
        if section.id == "audit_outcome":
            parts += self._outcome_parts(section, answers, editable)
        elif len(groups) >= PAGED_SECTION_MIN_GROUPS:
            current = next((g for g in groups if g.id == group_id), groups[0])
            parts.append(self._group_pager(section, current, answers))
            parts.append(self._area_page(current, section, answers, editable))
            parts.append(self._prev_next(section, current))
        else:
            parts += [self._group_box(g, section, answers, editable) for g in groups]
        self._content.children = parts
        self.views = {
            k: v
            for k, v in self.views.items()
            if any(k.startswith(f"{g.id}.") for g in section.groups)
        }
        self._content.add_class(f"showing-{section.id}")
        shown = group_id if len(groups) >= PAGED_SECTION_MIN_GROUPS else None
        resume.remember(self.person.id, resume.Place(self.audit.id, section.id, shown))

    def _group_box(self, group: Group, section: Section, answers: dict, editable: bool) -> w.Widget:
        number = f"{group.number}. " if group.number else ""
        children: list[w.Widget] = [
            w.HTML(f'<div class="group-title"><h3>{esc(number + group.title)}</h3></div>')
        ]
        if group.guidance:
            children.append(w.HTML(paragraphs(group.guidance)))
        for field in group.fields:
            key = f"{group.id}.{field.id}"
            if field.kind.value == "actions":
                if field.label != group.title:
                    children.append(w.HTML(f'<div class="field-label">{esc(field.label)}</div>'))
                if field.help:
                    children.append(w.HTML(f'<div class="field-help">{esc(field.help.text)}</div>'))
                children.append(self._actions_editor())
                continue
            view = FieldView(
                key,
                field,
                editable and (field.editable_by or section.editable_by) == self.part,
                self.save,
            )
            self.views[key] = view
            answer = answers.get(key)
            if answer is not None:
                view.load(answer.value, answer.revision)
            children.append(view)
        children.append(reveal_box(self.store, self.audit, group.id))  # training store only
        box = w.VBox(children, layout=w.Layout(width="100%"))
        box.add_class("group-box")
        box.add_class(f"group-{group.id.replace('_', '-')}")
        return box

    def _area_page(self, group: Group, section: Section, answers: dict, editable: bool) -> w.Widget:
        """One area's page, built on the first visit and kept; on a later visit each field shows
        what the store holds now (another person may have changed it meanwhile)."""
        cached = self._area_pages.get((group.id, editable))
        if cached is None:
            before = dict(self.views)
            box = self._group_box(group, section, answers, editable)
            views = {k: v for k, v in self.views.items() if before.get(k) is not v}
            self._area_pages[(group.id, editable)] = (box, views)
            return box
        box, views = cached
        for key, view in views.items():
            answer = answers.get(key)
            if answer is not None and answer.revision != view.revision:
                view.load(answer.value, answer.revision)
        self.views.update(views)
        return box

    def _group_pager(self, section: Section, current: Group, answers: dict) -> w.Widget:
        if section.id not in self._pagers:
            buttons = {}
            for group in section.groups:
                button = _button(
                    str(group.number), "area-tab", f"area-tab-{group.id}", width="58px"
                )
                name_button(button, f"Area {group.number}: {group.title}")
                button.on_click(
                    self.app.guard(lambda _b, gid=group.id: self.show_section(section.id, gid))
                )
                buttons[group.id] = button
            row = w.HBox(
                [w.HTML('<span class="field-label">Area:&nbsp;</span>'), *list(buttons.values())],
                layout=w.Layout(flex_flow="row wrap", align_items="center"),
            )
            row.add_class("nav-row")
            row.add_class("area-nav")
            self._pagers[section.id] = (row, buttons)
        row, buttons = self._pagers[section.id]
        for group in section.groups:
            scaled = any(
                k.startswith(f"{group.id}.")
                and k.endswith(("_scale", "_rating"))
                and a.value is not None
                for k, a in answers.items()
            )
            button = buttons[group.id]
            button.description = f"{group.number}" + (" ✓" if scaled else "")
            is_current = group.id == current.id
            button.button_style = "info" if is_current else ""
            (button.add_class if is_current else button.remove_class)("current")
        return row

    def _prev_next(self, section: Section, current: Group) -> w.Widget:
        ids = [g.id for g in section.groups]
        i = ids.index(current.id)
        items = []
        if i > 0:
            prev = _button(f"← Area {section.groups[i - 1].number}", "area-prev")
            prev.on_click(self.app.guard(lambda _b: self.show_section(section.id, ids[i - 1])))
            items.append(prev)
        if i < len(ids) - 1:
            nxt = _button(f"Area {section.groups[i + 1].number} →", "area-next", style="primary")
            nxt.on_click(self.app.guard(lambda _b: self.show_section(section.id, ids[i + 1])))
            items.append(nxt)
        return w.HBox(items, layout=w.Layout(justify_content="space-between", margin="8px 0"))

    # --- outcome -------------------------------------------------------------------------------
    def _actions_editor(self) -> ActionsEditor:
        audit_id, person = self.audit.id, self.person
        self.actions_editor = ActionsEditor(
            load=lambda: self.store.actions(audit_id),
            add=lambda: self.store.add_action(audit_id, person),
            update=lambda action_id, **changes: self.store.update_action(
                action_id, person, **changes
            ),
            cancel=lambda action_id: self.store.remove_action(action_id, person),
            editable=self.part == "auditor",
            # below Good completing needs one (the form quotes the rule, 002 L683-684)
            flag=IMMEDIATE_LABEL if lifecycle.immediate_action_rule(self.form) else None,
        )
        return self.actions_editor

    def _outcome_parts(self, section: Section, answers: dict, editable: bool) -> list[w.Widget]:
        """The overall rating beside the profile of the area scales, then the rubric, actions
        and completion: the grade is given with everything that informs it in view."""
        overall, *others = section.groups
        rating = self._group_box(overall, section, answers, editable)
        rating.layout.flex = "3 1 0"
        grade = w.HTML()
        grade.add_class("overall-grade")
        rating_input = self.views[lifecycle.OVERALL_RATING].input

        def show_grade(*_: object) -> None:
            value = rating_input.value
            grade.value = rating_grade_html(value)

        rating_input.observe(show_grade, names="value")
        show_grade()
        rating.children = (*rating.children[:2], grade, *rating.children[2:])
        profile = self._profile_panel(answers)
        profile.layout.flex = "2 1 0"
        side_by_side = w.HBox(
            [rating, profile],
            layout=w.Layout(width="100%", grid_gap="12px", align_items="flex-start"),
        )
        return (
            [side_by_side]
            + ([self._rubric_panel()] if audit_grade_bands() else [])  # a guide to grading
            + [self._group_box(g, section, answers, editable) for g in others]
            + [self._completion_panel()]
            + grade_change_panel(self)
        )

    def show_history(self) -> None:
        """The record for the child's file and every change to the audit."""
        for tab in self._section_tabs.values():
            tab.button_style = ""
            tab.remove_class("current")
        self._history_tab.button_style = "primary"
        self._content.children = history_panel(self)

    def _profile_panel(self, answers: dict) -> w.Widget:
        bands = audit_grade_bands()
        keys = self.form.scale_keys("area_scale")
        profile = area_profile([answers[k].value if k in answers else None for k in keys], bands)
        band_rows = "".join(
            f"<tr><td>{esc(g)}</td><td>{n}</td></tr>" for g, n in profile.per_band.items()
        )
        unanswered = (
            f"<p>{profile.unanswered} not yet scaled (not counted as 0).</p>"
            if profile.unanswered
            else ""
        )
        if profile.answered:
            summary = (
                f"<p>{profile.answered} of {profile.total} areas scaled · "
                f"lowest {profile.minimum} · "
                f"median {profile.median:g} · mean {profile.mean:g}</p>"
            ) + (
                "<p>The area scales point to "
                f'<b class="pointed-band">{esc(profile.pointed_band)}</b> '
                "(the band of the median: the toolkit’s guide, not the source’s). The grade "
                "is your judgement, weighing the evidence on file and the collaborative scaling "
                "— not an average.</p>"
                if profile.pointed_band
                else ""
            )
        else:
            summary = '<p class="empty-note">No area has been scaled yet.</p>'
        profile_html = w.HTML(
            f'<div class="profile-box"><b>Profile of the area scales</b>{summary}{unanswered}'
            + (
                '<table><tr><th align="left">Band</th><th align="left">Areas scaled in it</th>'
                f"</tr>{band_rows}</table>"
                if bands
                else ""
            )
            + f"{bands_legend_html(bands)}</div>"
        )
        profile_html.add_class("area-profile")
        return profile_html

    def _rubric_panel(self) -> w.Widget:
        rubric = _rubric()
        domains = []
        for domain in rubric.domains:
            levels = "".join(
                f'<div class="rubric-level"><h4>{esc(level)}</h4><ul>'
                + "".join(f"<li>{esc(c.text)}</li>" for c in items)
                + "</ul></div>"
                for level, items in domain.levels.items()
            )
            domains.append(w.HTML(levels))
        rubric_box = w.Accordion(domains, selected_index=None)
        for i, domain in enumerate(rubric.domains):
            rubric_box.set_title(
                i, f"What Good / Requires improvement / Inadequate look like: {domain.title}"
            )
        rubric_box.add_class("rubric")
        introduction = esc(rubric.introduction.text) if rubric.introduction else ""
        intro = w.HTML(f'<p class="guidance">{introduction}</p>')
        return w.VBox([intro, rubric_box], layout=w.Layout(width="100%"))

    def _completion_panel(self) -> w.Widget:
        status = w.HTML()
        status.add_class("completion-status")
        complete = _button("Complete audit", "complete-audit", style="success", width="180px")

        confirm_slot = w.VBox(layout=w.Layout(width="100%"))

        def refresh() -> None:
            values = self.store.answer_values(self.audit.id)
            live = [a for a in self.store.actions(self.audit.id) if a["status"] != "cancelled"]
            problems = lifecycle.completion_problems(values, live, self.form)
            if self.audit.state == "complete":
                status.value = (
                    '<div class="msg msg-ok">This audit was completed on '
                    f"{self.audit.completed_at:%d %b %Y}.</div>" + supervision_link(self.audit.id)
                )
                complete.disabled = True
            elif problems:
                status.value = (
                    '<ul class="checklist">'
                    + "".join(f'<li class="missing">{esc(p)}</li>' for p in problems)
                    + "</ul>"
                )
                complete.disabled = self.part != "auditor"
            else:
                status.value = '<div class="msg msg-info">Ready to complete.</div>'
                complete.disabled = self.part != "auditor"

        def completed(audit: AuditRecord) -> None:
            self.audit = audit
            self.app.messages.show(f"Audit #{self.audit.id} is complete.", "ok")
            self.refresh_summary()
            self.show_section("audit_outcome")

        def cancelled() -> None:
            confirm_slot.children = []
            complete.disabled = self.part != "auditor"
            refresh()
            self.app.messages.show("Not completed: nothing was changed.", "info")

        def actions_changed() -> None:
            editor = getattr(self, "actions_editor", None)
            if editor is not None:
                editor.refresh()
            ask()

        def ask() -> None:
            """Nothing is completed until the auditor confirms in the box."""
            refresh()
            confirm_slot.children = [
                ConfirmCompletion(
                    self.store, self.audit.id, self.person, completed, cancelled, actions_changed
                )
            ]
            complete.disabled = True

        @self.app.guard
        def on_complete(_b: w.Button) -> None:
            ask()

        check = _button("Check what is missing", "check-completion", width="200px")
        check.on_click(self.app.guard(lambda _b: refresh()))
        complete.on_click(on_complete)
        refresh()
        box = w.VBox(
            [
                w.HTML('<div class="group-title"><h3>Complete the audit</h3></div>'),
                status,
                w.HBox([check, complete]),
                confirm_slot,
                completion_record(self.store, self.audit, self.person),
            ]
        )
        box.add_class("group-box")
        box.add_class("completion-panel")
        return box


class AuditApp(AppFrame):
    notebook = "audit.ipynb"

    def __init__(self, store: Store | None = None) -> None:
        super().__init__("Collaborative case audit", "audit-app", store or page_store())
        self.screen: w.Widget | None = None
        self.begin()

    def start(self) -> None:
        self.screen = None  # a refused link must not leave the last person's screen standing
        audit_id = session.query_int("audit")
        if audit_id is not None:
            self.guard(self.open_audit)(audit_id)
            if isinstance(self.screen, AuditScreen):
                return
        self.show_home(keep_message=audit_id is not None)

    def show_home(self, keep_message: bool = False) -> None:
        if not keep_message:
            self.messages.clear()
        self.screen = HomeScreen(self)
        self.body.children = [self._continue_button(), self.screen]

    def _continue_button(self) -> w.Widget:
        """ "Continue where you left off": the audit, section and area last open (say after
        the page's kernel was culled), one click away."""
        assert self.person is not None
        place = resume.last(self.person.id)
        if place is None:
            return w.HTML("")
        # a button's description is plain text (never HTML), and ids are [a-z0-9_]
        where = f"audit #{place.audit_id}, {place.section_id.replace('_', ' ')}"
        if place.group_id:
            where += f", {place.group_id.replace('_', ' ')}"
        button = _button(f"Continue where you left off: {where}", "resume-place", width="auto")
        button.on_click(self.guard(lambda _b: self.open_audit(place.audit_id, place)))
        return button

    def open_audit(self, audit_id: int, place: resume.Place | None = None) -> None:
        assert self.person is not None
        with self.looking("open", "audit", audit_id):  # the one opening: one row, refused too
            audit = self.store.audit(audit_id, self.person)  # NotAllowed / NotFound are shown
        self.messages.clear()
        self.screen = AuditScreen(self, audit, place)
        self.body.children = [self.screen]


def supervision_link(audit_id: int) -> str:
    """A link opening the supervision app from this audit.

    The session starts with the audit's strengths, areas to develop and actions."""
    return (
        f'<p><a class="start-supervision" href="supervision.ipynb?audit={int(audit_id)}" '
        'target="_blank" rel="noopener">Start a supervision session from this audit</a></p>'
    )


def app(store: Store | None = None) -> None:
    """Build the audit app and show it (the one line in ``notebooks/audit.ipynb``)."""
    display_app(lambda: AuditApp(store))


__all__ = ["AuditApp", "AuditScreen", "HomeScreen", "Person", "app"]


# --- the panels of Record and history (widgets in toolkit/apps/audit/records.py) ----------


def period_export_panel(app: AuditApp) -> list[w.Widget]:
    """Quality assurance export the audits of a period from the home screen."""
    person = app.person
    if person is None or not person.roles & READ_ALL_ROLES:
        return []
    return [PeriodExport(app.store, person, app.guard, app.looking)]


def grade_change_panel(screen: AuditScreen) -> list[w.Widget]:
    """On a completed audit, its auditor may change the grade, giving a reason."""
    if screen.audit.state != "complete" or screen.part != "auditor":
        return []

    def changed() -> None:
        screen.app.messages.show("The grade was changed; the history shows why.", "ok")
        screen.refresh_summary()
        screen.show_section("audit_outcome")

    return [
        GradeChangePanel(screen.store, screen.audit.id, screen.person, screen.app.guard, changed)
    ]


def history_panel(screen: AuditScreen) -> list[w.Widget]:
    store, audit = screen.store, screen.audit
    names = {p.id: p.name for p in store.people()}
    lines = history_lines(
        store.history(audit.id, screen.person), [screen.form, moderation_form()], names
    )
    table = w.HTML(history_html(lines))
    table.add_class("history-panel")
    return [
        w.HTML('<div class="section-title"><h2>Record and history</h2></div>'),
        RecordDownloads(store, audit.id, screen.person, screen.app.guard, screen.app.looking),
        w.HTML(
            '<div class="group-title"><h3>History of changes</h3></div>'
            f'<p class="guidance">Every change to this audit, newest first ({len(lines)}). '
            "Typing in one answer for two minutes counts as one change.</p>"
        ),
        table,
        *openings_panel(store, screen.person, audit.id),
    ]
