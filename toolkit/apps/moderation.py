"""The moderation app: quality assurance draw and allocate the sample; a moderator opens a
moderation and sees the audit, read only, beside the moderation form.

Bexley's process (seed 002 L732–794): moderators re-audit audits from the last 6 months' (which
ones, and who moderates which, are the toolkit's settings, ``moderation_sample`` and
``moderator_allocation`` in ``forms/toolkit_decisions.yaml``), scale them, comment on good
practice and development, check the audit's actions, add their own, and agree or disagree; when
they disagree, they agree a grade with the auditor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as w

from toolkit.apps import session
from toolkit.apps.common import AppFrame, button, page_store
from toolkit.audit.completion import grade_of
from toolkit.audit.records import audit_record_html
from toolkit.core import moderation as rules
from toolkit.core.html import decision_html, esc, paragraphs
from toolkit.core.permissions import MODERATION_ORGANISER_ROLES
from toolkit.forms.loader import toolkit_decisions
from toolkit.forms.models import Field
from toolkit.store import Store, StoreError
from toolkit.store.demonstration import only_demonstrations
from toolkit.store.moderations import ModerationRecord, Moderations, moderation_form
from toolkit.training.mode import is_training_url
from toolkit.ui.a11y import grade_mark, name_button
from toolkit.ui.actions import ActionsEditor
from toolkit.ui.fields import FieldView

SELECTION_LABELS = {"inadequate": "Inadequate (always moderated)", "random": "Random share"}


class SelectionPanel(w.VBox):
    """Draw the sample of the last 6 months and allocate it to moderators, reproducibly."""

    def __init__(self, app: ModerationApp) -> None:
        self.app = app
        today = dt.date.today()
        style = {"description_width": "150px"}
        decisions = toolkit_decisions()
        sample = decisions.get("moderation_sample")
        self.share = w.BoundedIntText(
            value=sample.value, min=0, max=100, description="Random share (%)", style=style
        )
        self.share.add_class("moderation-share")
        self.seed = w.IntText(value=int(f"{today:%Y%m%d}"), description="Seed", style=style)
        self.seed.add_class("moderation-seed")
        self.demo = w.Checkbox(
            # the training store, and the run command's demonstration, have nothing else
            value=is_training_url(app.store.url) or only_demonstrations(app.store.engine),
            description="Include demonstration audits",
            indent=False,
        )
        self.demo.add_class("moderation-include-demo")
        go = button("Select and allocate", "moderation-select", style="primary", width="200px")
        go.on_click(app.guard(lambda _b: self.select()))
        super().__init__(
            [
                w.HTML(
                    '<div class="group-title"><h3>Select audits for moderation</h3></div>'
                    + "".join(
                        decision_html(decisions.get(d), default_seed=decisions.seed)
                        for d in ("moderation_sample", "moderator_allocation")
                    )
                ),
                w.HBox([self.share, self.seed, self.demo], layout=w.Layout(flex_flow="row wrap")),
                go,
            ]
        )
        self.add_class("group-box")
        self.add_class("moderation-selection")

    def select(self) -> None:
        made = self.app.book.select_and_allocate(
            self.app.person,
            dt.date.today(),
            self.share.value / 100,
            self.seed.value,
            include_demo=self.demo.value,
        )
        inadequate = sum(m.selection == "inadequate" for m in made)
        self.app.show_home()
        self.app.messages.show(
            f"Selected {len(made)} audits ({inadequate} Inadequate, {len(made) - inadequate} at "
            f"random) with seed {self.seed.value}, and allocated them.",
            "ok",
        )


class ModerationHome(w.VBox):
    """My moderations (all of them for quality assurance and business support)."""

    def __init__(self, app: ModerationApp) -> None:
        self.app = app
        person = app.person
        assert person is not None
        moderations = app.book.listed(person)
        names = {p.id: p.name for p in app.store.people()}
        heads = [
            "Moderation",
            "Audit",
            "Child’s ID",
            "Audit grade",
            "Auditor",
            "Moderator",
            "Selected",
            "State",
            "",
        ]
        rows: list[w.Widget] = [self._row([esc(h) for h in heads], head=True)]
        for m in moderations:
            audit = app.store.audit(m.audit_id)
            open_button = button("Open", "open-moderation", f"open-moderation-{m.id}", width="90px")
            name_button(open_button, f"Open moderation #{m.id}, {audit.child_id}")
            open_button.on_click(app.guard(lambda _b, mid=m.id: app.open_moderation(mid)))
            rows.append(
                self._row(
                    [
                        f"#{m.id}",
                        f"#{audit.id}",
                        esc(audit.child_id),
                        grade_mark(grade_of(app.store, audit.id)),
                        esc(names.get(audit.auditor_id, "?")),
                        esc(names.get(m.moderator_id, "?")),
                        esc(SELECTION_LABELS.get(m.selection, m.selection)),
                        '<span class="state-badge">'
                        f"{'Complete' if m.state == 'complete' else 'Allocated'}</span>",
                        open_button,
                    ],
                    css=f"moderation-row moderation-row-{m.id}",
                )
            )
        if not moderations:
            rows.append(w.HTML('<p class="empty-note">No moderations yet.</p>'))
        table = w.VBox(rows, layout=w.Layout(width="100%"))
        table.add_class("moderation-list")
        children: list[w.Widget] = [
            w.HTML(
                '<div class="section-title"><h2>Moderations</h2></div>'
                f'<p class="guidance">Moderations you can open: {len(moderations)}.</p>'
            ),
            table,
        ]
        if person.roles & MODERATION_ORGANISER_ROLES:
            children.append(SelectionPanel(app))
        super().__init__(children, layout=w.Layout(width="100%"))
        self.add_class("moderation-home")

    @staticmethod
    def _row(cells: list[Any], head: bool = False, css: str = "") -> w.GridBox:
        widgets = [c if isinstance(c, w.Widget) else w.HTML(c) for c in cells]
        grid = w.GridBox(
            widgets,
            layout=w.Layout(
                grid_template_columns="120px 70px 120px 150px 1fr 1fr 200px 100px 100px",
                width="100%",
                padding="4px 0",
            ),
        )
        grid.add_class("home-head" if head else "home-row")
        for name in css.split():
            grid.add_class(name)
        return grid


class ModerationScreen(w.VBox):
    """The audit, read only, beside the moderation form; every answer saved as it is given."""

    def __init__(self, app: ModerationApp, record: ModerationRecord) -> None:
        self.app, self.book, self.person = app, app.book, app.person
        assert self.person is not None
        self.record = record
        self.audit = self.book.audit_for(record.id, self.person)
        self.editable = record.state != "complete" and self.person.id == record.moderator_id
        self.views: dict[str, FieldView] = {}
        self._summary = w.HTML()
        self._summary.add_class("moderation-summary")
        back = button("← Moderations", "back-home", width="140px")
        back.on_click(app.guard(lambda _b: app.show_home()))
        audit_html = w.HTML(
            audit_record_html(app.store, self.audit.id, self.person, fragment=True),
            layout=w.Layout(width="100%"),
        )
        audit_pane = w.VBox(
            [w.HTML('<div class="group-title"><h3>The audit (read only)</h3></div>'), audit_html],
            layout=w.Layout(flex="1 1 0", min_width="0", max_height="1400px", overflow="auto"),
        )
        audit_pane.add_class("moderation-audit-pane")
        # the pane scrolls: the record in it is reached by Tab, so the arrow keys scroll it (a
        # Box's tabindex never reaches the page; an HTML widget's does)
        audit_html.tabbable = True
        form_pane = w.VBox(self._form_parts(), layout=w.Layout(flex="1 1 0", min_width="0"))
        form_pane.add_class("moderation-form-pane")
        super().__init__(
            [
                back,
                self._summary,
                w.HBox(
                    [audit_pane, form_pane],
                    layout=w.Layout(width="100%", grid_gap="14px", align_items="flex-start"),
                ),
            ],
            layout=w.Layout(width="100%"),
        )
        self.add_class("moderation-screen")
        self.add_class(f"moderation-{record.id}")
        self.refresh_summary()

    # --- header --------------------------------------------------------------------------------
    def refresh_summary(self) -> None:
        self.record = self.book.get(self.record.id)
        names = {p.id: p.name for p in self.app.store.people()}
        a, m = self.audit, self.record
        state = "Complete" if m.state == "complete" else "Allocated"
        role = "You are the moderator" if self.editable else "Read only for you"
        self._summary.value = (
            f"<div><b>Moderation #{m.id}</b> of audit #{a.id} · Child’s ID <b>{esc(a.child_id)}</b>"
            f" · Auditor: {esc(names.get(a.auditor_id, '?'))} · Moderator: "
            f"{esc(names.get(m.moderator_id, '?'))} · "
            f'<span class="state-badge moderation-state">{esc(state)}</span></div>'
            f'<div class="guidance">{esc(role)}. Every answer is saved as you give it.</div>'
            f'<div class="both-grades">{esc(self.book.grades(a.id).describe())}</div>'
        )

    # --- the form ------------------------------------------------------------------------------
    def save(self, key: str, value: Any, revision: int) -> tuple[Any, int]:
        """The revision loaded goes with the save: a stale one is a Conflict (FieldView shows
        who changed it, when, and their version)."""
        saved = self.book.save(self.record.id, key, value, self.person, expected_revision=revision)
        return saved.value, saved.revision

    def _view(self, key: str, field: Field, value: Any) -> FieldView:
        view = FieldView(key, field, self.editable, self.save)
        view.add_class("moderation-field")
        revision = self._revisions.get(key, 0)
        if value is not None or revision:
            view.load(value, revision)
        self.views[key] = view
        return view

    def _box(self, title: str, children: list[w.Widget], css: str) -> w.VBox:
        box = w.VBox(
            [w.HTML(f'<div class="group-title"><h3>{esc(title)}</h3></div>'), *children],
            layout=w.Layout(width="100%"),
        )
        box.add_class("group-box")
        box.add_class(css)
        return box

    def _form_parts(self) -> list[w.Widget]:
        mform = moderation_form()
        section = mform.sections[0]
        values = self.book.values(self.record.id)
        self._revisions = self.book.revisions(self.record.id)
        audit_values = self.app.store.answer_values(self.audit.id)
        audit_form = self.app.store.form_of(self.audit)
        by_section: dict[str, list[w.Widget]] = {}
        overall: list[w.Widget] = []
        for key in self.book.scale_keys(self.audit):
            audit_section, group, field = audit_form.field(key)
            field = field.model_copy(update={"label": "Moderator’s scale"})
            number = f"Area {group.number}: " if group.number else ""
            auditor = audit_values.get(key)
            parts = [
                w.HTML(
                    f'<div class="moderation-scale-title"><b>{esc(number + group.title)}</b>'
                    '<br><span class="guidance">In the audit: '
                    f"{'not scaled' if auditor is None else auditor}</span></div>"
                ),
                self._view(key, field, values.get(key)),
            ]
            if key == rules.OVERALL_RATING:
                overall = parts
            else:
                title = f"{audit_section.number}. {audit_section.title}"
                by_section.setdefault(title, []).extend(parts)
        areas = w.Accordion([w.VBox(parts) for parts in by_section.values()], selected_index=None)
        for i, title in enumerate(by_section):
            areas.set_title(i, f"Scale the areas of section {title}")
        areas.add_class("moderation-area-scales")
        scales = [
            w.HTML(
                '<p class="guidance">Scale each area as you find it on the file, then the '
                "overall rating. Open a section to scale its areas.</p>"
            ),
            areas,
            *overall,
        ]
        feedback = [self._view(k, mform.field(k)[2], values.get(k)) for k in rules.FORM_COLUMNS]
        by_key = dict(zip(rules.FORM_COLUMNS, feedback, strict=True))
        actions_field = mform.field("audit_actions.additional_actions")[2]
        mid, person = self.record.id, self.person
        additional = ActionsEditor(
            load=lambda: self.book.actions(mid),
            add=lambda: self.book.add_action(mid, person),
            update=lambda action_id, **changes: self.book.update_action(
                mid, action_id, person, **changes
            ),
            cancel=lambda action_id: self.book.update_action(
                mid, action_id, person, status="cancelled"
            ),
            editable=self.editable,
        )
        agreed = by_key["agreement.agreed_grade"]
        agrees_input = by_key["agreement.agrees"].input

        def show_agreed(*_: object) -> None:
            agreed.layout.display = None if agrees_input.value == "Disagree" else "none"

        agrees_input.observe(show_agreed, names="value")
        show_agreed()
        return [
            w.HTML(
                f'<div class="section-title"><h2>{esc(section.title)}</h2></div>'
                + paragraphs(section.guidance)
            ),
            self._box("Your scaling", scales, "moderation-scaling"),
            self._box(
                mform.field("feedback.good_practice")[1].title.capitalize(),
                [by_key["feedback.good_practice"], by_key["feedback.development"]],
                "moderation-feedback",
            ),
            self._box(
                "The audit’s actions",
                [
                    by_key["audit_actions.actions_completed"],
                    w.HTML(f'<div class="field-label">{esc(actions_field.label)}</div>'),
                    additional,
                ],
                "moderation-actions",
            ),
            self._box("Agreement", [by_key["agreement.agrees"], agreed], "moderation-agreement"),
            self._completion(),
        ]

    def _completion(self) -> w.Widget:
        status = w.HTML()
        status.add_class("completion-status")
        complete = button(
            "Complete moderation", "complete-moderation", style="success", width="220px"
        )
        complete.disabled = not self.editable

        def on_complete(_b: w.Button) -> None:
            try:
                self.book.complete(self.record.id, self.person)
            except StoreError as exc:
                status.value = f'<div class="msg msg-error" role="alert">{esc(exc)}</div>'
                return
            self.app.show_moderation(self.book.get(self.record.id, self.person))
            self.app.messages.show(f"Moderation #{self.record.id} is complete.", "ok")

        complete.on_click(self.app.guard(on_complete))
        if self.record.state == "complete":
            status.value = '<div class="msg msg-ok">This moderation is complete.</div>'
        return self._box("Complete the moderation", [status, complete], "moderation-completion")


class ModerationApp(AppFrame):
    notebook = "moderation.ipynb"

    def __init__(self, store: Store | None = None) -> None:
        super().__init__("Moderation", "audit-app", store or page_store())
        self.add_class("moderation-app")
        self.book = Moderations(self.store)
        self.begin()

    def start(self) -> None:
        moderation_id = session.query_int("moderation")
        if moderation_id is not None:
            self.guard(self.open_moderation)(moderation_id)
            if self.body.children and isinstance(self.body.children[0], ModerationScreen):
                return
        self.show_home(keep_message=moderation_id is not None)

    def show_home(self, keep_message: bool = False) -> None:
        if not keep_message:
            self.messages.clear()
        self.body.children = [ModerationHome(self)]

    def open_moderation(self, moderation_id: int) -> None:
        assert self.person is not None
        with self.looking("open", "moderation", moderation_id):
            record = self.book.get(moderation_id, self.person)  # NotAllowed / NotFound are shown
        self.show_moderation(record)

    def show_moderation(self, record: ModerationRecord) -> None:
        """The moderation's screen, already opened (after completing it: not a new look)."""
        self.messages.clear()
        self.body.children = [ModerationScreen(self, record)]


def app(store: Store | None = None) -> None:
    """Build the moderation app and show it (the one line in ``notebooks/moderation.ipynb``)."""
    from IPython.display import display

    display(ModerationApp(store))


__all__ = ["ModerationApp", "ModerationHome", "ModerationScreen", "app"]
