"""Model answers revealed step by step: beside each area of an example case's audit, in the
training store only, a "Reveal the model answer" button showing the model scale and why."""

from __future__ import annotations

import ipywidgets as w

from toolkit.permissions import AuditRecord
from toolkit.store import Store
from toolkit.training.cases import ExampleCase, example_cases, model_grade
from toolkit.training.demo_store import case_of
from toolkit.training.mode import is_training_url
from toolkit.training.views import case_file_html
from toolkit.ui.text import esc


def example_case_for(store: Store, audit: AuditRecord) -> ExampleCase | None:
    """The example case this audit is, when it is one in the training store."""
    case_id = case_of(audit.child_id)
    if not is_training_url(store.url) or case_id is None:
        return None
    try:
        return example_cases().case(case_id)
    except KeyError:
        return None


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


def reveal_box(store: Store, audit: AuditRecord, group_id: str) -> w.Widget:
    """A button that shows the model answer for this group; nothing outside the training store."""
    case = example_case_for(store, audit)
    markup = model_markup(case, group_id) if case else None
    if markup is None:
        return w.HTML(layout=w.Layout(display="none"))
    shown = w.HTML()
    shown.add_class("model-answer")
    reveal = w.Button(description="Reveal the model answer", layout=w.Layout(width="220px"))
    reveal.add_class("reveal-model")

    def show(_b: w.Button) -> None:
        shown.value = f'<div class="model-answer-text">{markup}</div>'
        reveal.layout.display = "none"

    reveal.on_click(show)
    box = w.VBox([reveal, shown])
    box.add_class("model-reveal")
    return box


def case_file_box(store: Store, audit: AuditRecord) -> w.Widget:
    """The example case's file, folded, above the audit (nothing outside the training store)."""
    case = example_case_for(store, audit)
    if case is None:
        return w.HTML(layout=w.Layout(display="none"))
    folded = w.Accordion([w.HTML(case_file_html(case))], selected_index=None)
    folded.set_title(0, f"Case file: {case.family} (fictional)")
    folded.add_class("demo-case-file")
    return folded
