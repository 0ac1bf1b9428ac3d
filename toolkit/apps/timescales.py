"""The timescale check: enter a case's key dates, see which timescales were met.

A calculator over :mod:`toolkit.standards.timescales` for the chosen authority (the active
profile by default): nothing is stored. Where the source states a timescale two ways, both
readings are shown with their words and lines, and the result says when they disagree.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from toolkit.apps.common import AppFrame, page_store
from toolkit.core.html import esc
from toolkit.core.profiles import load_profile
from toolkit.standards.loader import available_authorities, load_timescales
from toolkit.standards.timescales import (
    OUTCOME_WORDS,
    TimescaleResult,
    Timescales,
    check_timescales,
)
from toolkit.store import Store
from toolkit.ui.fields import name_for_screen_readers


def _date(day: dt.date | None) -> str:
    return day.strftime("%a %d %b %Y") if day else "—"


def _result_html(result: TimescaleResult, timescales: Timescales) -> str:
    t, seed = result.timescale, timescales.seed
    readings = []
    for r in result.readings:
        note = f'<div class="field-help">{esc(r.reading.note)}</div>' if r.reading.note else ""
        readings.append(
            f'<div class="reading outcome-{r.outcome}">'
            f'<span class="badge badge-{r.outcome}">{esc(OUTCOME_WORDS[r.outcome])}</span> '
            f"{esc(r.reading.describe(t.direction))}: latest {_date(r.limit)}"
            f'<div class="quote">“{esc(r.reading.quote.text)}” '
            f'<span class="source">({esc(r.reading.quote.source.label(seed))})</span></div>'
            f"{note}</div>"
        )
    both = (
        '<div class="both-readings" role="status">The source reads two ways and they disagree '
        "for this case: both are shown.</div>"
        if result.both_readings_needed
        else ""
    )
    return (
        f'<tr class="timescale-row timescale-{esc(t.id)}"><td><b>{esc(t.title)}</b></td>'
        f'<td><div class="date-from">{esc(timescales.label(t.start))}: {_date(result.start)}</div>'
        f'<div class="date-to">{esc(timescales.label(t.end))}: {_date(result.end)}</div></td>'
        f"<td>{both}{''.join(readings)}</td></tr>"
    )


class TimescaleScreen(w.VBox):
    def __init__(self, app: TimescaleApp, authority: str) -> None:
        self.app = app
        self.authority = w.Dropdown(
            options=[(load_profile(a).name, a) for a in available_authorities()],
            value=authority,
            description="Authority",
            layout=w.Layout(width="460px"),
        )
        self.authority.add_class("timescale-authority")
        self.authority.observe(app.guard(lambda _c: self._build()), names="value")
        self.dates_box = w.VBox(layout=w.Layout(width="100%"))
        self.dates_box.add_class("timescale-dates")
        self.results = w.HTML("")
        self.results.add_class("timescale-results")
        note = w.HTML(
            '<p class="guidance">Enter the key dates of the case. Working days skip weekends and '
            "England’s bank holidays; where the source says only “days” they are calendar days. "
            "Nothing on this screen is saved.</p>"
        )
        super().__init__(
            [self.authority, note, self.dates_box, self.results], layout=w.Layout(width="100%")
        )
        self.add_class("timescale-screen")
        self._build()

    def _build(self) -> None:
        self.timescales = load_timescales(self.authority.value)
        self.pickers: dict[str, w.DatePicker] = {}
        rows = []
        for key_date in self.timescales.key_dates:
            picker = w.DatePicker(value=None, layout=w.Layout(width="200px"))
            picker.add_class(f"date-{key_date.id.replace('_', '-')}")
            name_for_screen_readers(picker, key_date.label)
            picker.observe(self.app.guard(lambda _c: self.refresh()), names="value")
            self.pickers[key_date.id] = picker
            label = w.HTML(f'<div class="date-label">{esc(key_date.label)}</div>')
            rows.append(w.HBox([label, picker], layout=w.Layout(align_items="center")))
        self.dates_box.children = rows
        self.refresh()

    def refresh(self) -> None:
        dates = {k: p.value for k, p in self.pickers.items()}
        results = check_timescales(self.timescales, dates)
        body = "".join(_result_html(r, self.timescales) for r in results)
        self.results.value = (
            '<table class="audit-table timescale-table"><tr><th>Timescale</th><th>Dates</th>'
            f"<th>Result, by each reading of the source</th></tr>{body}</table>"
        )


class TimescaleApp(AppFrame):
    def __init__(self, store: Store | None = None) -> None:
        # the page's store, as every app takes it: in demonstration mode the remembered person
        # is a person of the training store, and looked up in the live one they are nobody
        super().__init__("Timescale check", "audit-app", store or page_store())
        self.add_class("timescale-app")
        self.screen: TimescaleScreen | None = None
        self.start()  # a calculator: nothing personal is shown or saved, so no sign-in needed

    def start(self) -> None:
        self.screen = TimescaleScreen(self, load_profile().authority)
        self.body.children = [self.screen]


def app(store: Store | None = None) -> None:
    from IPython.display import display

    display(TimescaleApp(store))


__all__ = ["TimescaleApp", "TimescaleScreen", "app"]
