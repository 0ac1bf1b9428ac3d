"""Model answers revealed step by step, in the training store only: beside each area of an
example case's audit a "Reveal the model answer" button showing the model scale and why, and
beside each step of a group case mapping on an example case, its part of the model mapping."""

from __future__ import annotations

import ipywidgets as w

from toolkit.apps.training.views import case_file_html
from toolkit.core.html import esc
from toolkit.core.permissions import AuditRecord
from toolkit.store import Store
from toolkit.training.cases import ExampleCase, example_cases, model_grade
from toolkit.training.demo_store import case_of
from toolkit.training.mapping import parts_for_step
from toolkit.training.mode import is_training_url


def example_case(store: Store, child_id: str | None) -> ExampleCase | None:
    """The example case a child's ID names, when the store is the training store."""
    case_id = case_of(child_id or "")
    if not is_training_url(store.url) or case_id is None:
        return None
    try:
        return example_cases().case(case_id)
    except KeyError:
        return None


def example_case_for(store: Store, audit: AuditRecord) -> ExampleCase | None:
    """The example case this audit is, when it is one in the training store."""
    return example_case(store, audit.child_id)


def model_markup(case: ExampleCase, group_id: str) -> str | None:
    """The model answer for one group of the audit form (None where the model has none)."""
    audit = case.model_audit
    if group_id in audit.areas:
        area = audit.areas[group_id]
        return f"Model scale <b>{area.scale}</b> — {esc(area.rationale)}"
    if group_id == "overall":
        return (
            f"Model overall rating <b>{audit.overall_rating}</b> "
            f"({esc(model_grade(case))}) — {esc(audit.overall_rationale)}"
        )
    if group_id == "actions":
        items = "".join(
            f"<li>{esc(a.what)} — {esc(a.who)}, by {esc(a.due)}</li>" for a in audit.actions
        )
        return f"Model actions:<ul>{items}</ul>"
    return None


def _hidden() -> w.Widget:
    return w.HTML(layout=w.Layout(display="none"))


def reveal(markup: str, description: str = "Reveal the model answer", *classes: str) -> w.Widget:
    """A button that shows ``markup`` (escaped HTML) only when the trainer asks for it."""
    shown = w.HTML(layout=w.Layout(width="100%"))
    shown.add_class("model-answer")
    button = w.Button(description=description, layout=w.Layout(width="auto", min_width="220px"))
    button.add_class("reveal-model")

    def show(_b: w.Button) -> None:
        shown.value = f'<div class="model-answer-text">{markup}</div>'
        button.layout.display = "none"

    button.on_click(show)
    box = w.VBox([button, shown], layout=w.Layout(align_items="flex-start"))
    box.add_class("model-reveal")
    for css in classes:
        box.add_class(css)
    return box


def reveal_box(store: Store, audit: AuditRecord, group_id: str) -> w.Widget:
    """The model answer for this group of the audit; nothing outside the training store."""
    case = example_case_for(store, audit)
    markup = model_markup(case, group_id) if case else None
    return _hidden() if markup is None else reveal(markup)


def mapping_reveal(store: Store, child_id: str | None, step_id: str) -> w.Widget:
    """Beside a group case mapping step on an example case: one button per part of the model
    mapping this step answers; nothing outside the training store or for other cases."""
    case = example_case(store, child_id)
    parts = parts_for_step(case, step_id) if case else []
    if not parts:
        return _hidden()
    reveals = [
        reveal(
            f'<div class="model-part-title">{esc(part.title)}</div>{part.markup}',
            f"Reveal the model: {part.title}",
            f"reveal-part-{part.step_id.replace('_', '-')}",
        )
        for part in parts
    ]
    side_by_side = w.GridBox(  # the three columns' answers line up under the three columns
        reveals,
        layout=w.Layout(
            grid_template_columns=f"repeat({len(reveals)}, minmax(0, 1fr))",
            grid_gap="12px",
            width="100%",
        ),
    )
    head = w.HTML(
        '<div class="group-title"><h3>Model group case mapping</h3></div>'
        f'<p class="guidance">{esc(case.family)}: fictional example case. Reveal one part at a '
        "time, once the room has done its own.</p>"
    )
    box = w.VBox([head, side_by_side], layout=w.Layout(width="100%"))
    box.add_class("group-box")
    box.add_class("model-mapping")
    return box


def case_file_box(store: Store, audit: AuditRecord) -> w.Widget:
    """The example case's file, folded, above the audit (nothing outside the training store)."""
    return case_file_for(store, audit.child_id)


def case_file_for(store: Store, child_id: str | None) -> w.Widget:
    """The example case's file, folded, for any screen about that child's ID."""
    case = example_case(store, child_id)
    if case is None:
        return _hidden()
    folded = w.Accordion([w.HTML(case_file_html(case))], selected_index=None)
    folded.set_title(0, f"Case file: {case.family} (fictional)")
    folded.add_class("demo-case-file")
    return folded
