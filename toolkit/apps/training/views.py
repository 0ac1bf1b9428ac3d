"""HTML for training screens: the demonstration banner, a case file, and a dot strip of scores."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from toolkit.core.errors import StoreError
from toolkit.core.html import esc
from toolkit.core.local_time import local_time
from toolkit.core.permissions import Person
from toolkit.store import Store
from toolkit.training.calibration import TRAINER_ROLE, AreaResult, exercises_in_progress
from toolkit.training.cases import Dated, ExampleCase, Passage, example_cases
from toolkit.training.demo_store import Reset, reset
from toolkit.training.mapping import mapping_html
from toolkit.training.mode import is_training_url
from toolkit.ui.confirm import Confirm

BANNER = "DEMONSTRATION — fictional example cases in the training store. Nothing here is live data."


class DemoBanner(w.VBox):
    """The banner every screen on the training store shows. A trainer is offered "Reset the
    demonstration", which asks first, says which calibration exercises in progress it will
    keep, and is refused by :func:`toolkit.training.demo_store.reset` to anyone else."""

    def __init__(
        self,
        store: Store,
        on_reset: Callable[[Reset], None] | None = None,
        live: Callable[[], Store] | None = None,
    ) -> None:
        self.store, self._on_reset, self._live = store, on_reset, live
        self.person: Person | None = None
        self.reset_button = w.Button(
            description="Reset the demonstration",
            tooltip="Drop every demonstration answer and start again (asks first)",
            layout=w.Layout(width="210px", display="none"),
        )
        self.reset_button.add_class("demo-reset")
        self.reset_button.on_click(lambda _b: self.ask())
        self.confirm_slot = w.VBox(layout=w.Layout(width="100%"))
        row = w.HBox(
            [w.HTML(f'<div class="demo-banner">{esc(BANNER)}</div>'), self.reset_button],
            layout=w.Layout(align_items="center", justify_content="space-between", width="100%"),
        )
        row.add_class("training-banner")
        super().__init__([row, self.confirm_slot], layout=w.Layout(width="100%"))

    def show_for(self, person: Person | None) -> None:
        """Offer the reset to a trainer only (the reset itself refuses anyone else)."""
        self.person = person
        trainer = person is not None and TRAINER_ROLE in person.roles
        self.reset_button.layout.display = None if trainer else "none"
        if not trainer:
            self.confirm_slot.children = []

    def ask(self) -> None:
        kept = exercises_in_progress(self.store)
        listed = "".join(
            f"<li><b>{esc(e.code)}</b>: {esc(e.case.family)}, started "
            f"{local_time(e.created_at):%d %b %Y %H:%M}</li>"
            for e in kept
            if e.created_at is not None
        )
        body = [
            w.HTML(
                "<p>Every demonstration audit, answer, supervision session and moderation is "
                "dropped, and the example cases start again from the beginning. Finished "
                "calibration exercises are deleted.</p>"
                + (
                    f"<p><b>Kept: {len(kept)} calibration exercise"
                    f"{'' if len(kept) == 1 else 's'} in progress</b> (a learner has not "
                    "given every score yet, or nobody has joined in the 12 hours since it was "
                    f'started):</p><ul class="reset-kept">{listed}</ul>'
                    if kept
                    else "<p>No calibration exercise is in progress.</p>"
                )
            )
        ]
        self.confirm_box = Confirm(
            "Reset the demonstration?",
            body,
            "Reset the demonstration",
            self._confirm,
            self._cancel,
            "reset-confirm",
            danger=True,
        )
        self.confirm_slot.children = [self.confirm_box]

    def _cancel(self) -> None:
        self.confirm_slot.children = []

    def _confirm(self) -> None:
        try:
            done = reset(self.store, self.person, self._live)
        except StoreError as exc:
            self.confirm_box.show_error(str(exc))
            return
        self.confirm_slot.children = []
        if self._on_reset:
            self._on_reset(done)


def demo_banner(
    store: Store,
    on_reset: Callable[[Reset], None] | None = None,
    live: Callable[[], Store] | None = None,
) -> w.Widget:
    """The demonstration banner on the training store (hidden and empty on live data)."""
    if not is_training_url(store.url):
        return w.HTML(layout=w.Layout(display="none"))
    return DemoBanner(store, on_reset, live)


def kept_message(done: Reset) -> str:
    """What the page says after a reset: which exercises in progress were kept."""
    if not done.kept:
        return "The demonstration is back at the start."
    codes = ", ".join(e.code for e in done.kept)
    return (
        f"The demonstration is back at the start. Kept {len(done.kept)} calibration exercise"
        f"{'' if len(done.kept) == 1 else 's'} in progress: {codes}."
    )


def _text(text: str) -> str:
    """A paragraph, or a list when the source set it out as bullets."""
    if "• " not in text:
        return f"<p>{esc(text)}</p>"
    items = [t.strip() for t in text.split("• ") if t.strip()]
    return "<ul>" + "".join(f"<li>{esc(t)}</li>" for t in items) + "</ul>"


def _passages(items: list[Passage]) -> str:
    return "".join(
        (f"<h4>{esc(p.heading)}</h4>" if p.heading else "") + _text(p.text) for p in items
    )


def _dated(items: list[Dated]) -> str:
    rows = "".join(f"<tr><th>{esc(d.date)}</th><td>{esc(d.text)}</td></tr>" for d in items)
    return f'<table class="case-dated">{rows}</table>'


def case_file_html(case: ExampleCase) -> str:
    """Everything an auditor reads before the audit, one section after another."""
    plan = case.plan
    bottom = "".join(f"<li>{esc(b.text)}</li>" for b in plan.bottom_lines)
    sections = [
        ("Case summary", _passages(case.summary)),
        ("Chronology", _dated(case.chronology)),
        ("Assessment", _passages(case.assessment)),
        (
            "Plan",
            "<h4>Danger statements</h4>"
            + _passages(plan.danger_statements).replace("<h4>", "<h5>").replace("</h4>", "</h5>")
            + "<h4>Safety goals</h4>"
            + _passages(plan.safety_goals).replace("<h4>", "<h5>").replace("</h4>", "</h5>")
            + (f"<h4>Bottom lines</h4><ul>{bottom}</ul>" if bottom else ""),
        ),
        ("Visit notes", _dated(case.visit_notes)),
        ("Feedback", _passages(case.feedback)),
    ]
    body = "".join(
        f'<details class="case-section" open><summary>{esc(title)}</summary>{html}</details>'
        for title, html in sections
    )
    # the model answer stays folded: learners read the file before they map or score the case
    body += (
        '<details class="case-section model-mapping-section"><summary>'
        "Model group case mapping (for the trainer)</summary>"
        f"{mapping_html(case)}</details>"
    )
    return (
        f'<div class="case-file"><h2>{esc(case.family)}</h2>'
        f'<p class="case-meta">{esc(case.service_area)}</p>'
        f'<p class="fictional">{esc(case.fictional)} {esc(example_cases().note)}</p>{body}</div>'
    )


def dot_strip(result: AreaResult, width: int = 330) -> str:
    """Inline SVG: the 0–10 line, a dot per learner (stacked when equal), the model as a bar."""
    step = (width - 20) / 10
    x = lambda v: 10 + v * step  # noqa: E731 - one-line scale
    ticks = "".join(
        f'<text x="{x(v):.0f}" y="58" font-size="10" text-anchor="middle">{v}</text>'
        for v in range(11)
    )
    seen: dict[int, int] = {}
    dots = []
    for value in sorted(result.values):
        level = seen[value] = seen.get(value, 0) + 1
        dots.append(
            f'<circle class="learner-dot" cx="{x(value):.0f}" cy="{42 - (level - 1) * 9}" r="4"'
            ' fill="#1f5fa8"/>'
        )
    model = (
        f'<rect class="model-mark" x="{x(result.model) - 2:.0f}" y="6" width="4" height="42"'
        f' fill="#b3261e"><title>Model {result.model}</title></rect>'
    )
    learners = ", ".join(map(str, sorted(result.values)))
    return (
        f'<svg class="dot-strip" width="{width}" height="62" role="img" '
        f'aria-label="Learners: {learners}; model {result.model}">'
        f'<line x1="10" y1="46" x2="{width - 10}" y2="46" stroke="#888"/>{model}{"".join(dots)}'
        f"{ticks}</svg>"
    )
