"""Glossary practice for a room: one card at a time in large type, flip to show the back,
next and previous. Decks: the glossary, the EARS steps, the reflective tool's questions."""

from __future__ import annotations

import ipywidgets as w

from toolkit.apps import session
from toolkit.apps.common import AppFrame, button
from toolkit.core.html import esc
from toolkit.store import Store
from toolkit.training.demo_store import open_training_store
from toolkit.training.flashcards import DECKS, Flashcards, deck


class FlashcardsApp(AppFrame):
    offers_reset = False  # a learner's page: the reset is on the trainer's screens only

    def __init__(self, store: Store | None = None) -> None:
        super().__init__("Glossary practice", "flashcards-app", store or open_training_store())
        self._switch.layout.display = "none"  # no person needed
        asked = session.query().get("deck", "glossary")
        self.choice = w.Dropdown(
            options=[(title, key) for key, title in DECKS.items()],
            value=asked if asked in DECKS else "glossary",
            description="Deck",
            layout=w.Layout(width="440px"),
        )
        self.choice.add_class("deck-choice")
        self.face = w.HTML()
        self.face.add_class("flashcard")
        self.position = w.HTML()
        self.position.add_class("card-position")
        controls = []
        for label, css, act in (
            ("← Previous", "card-previous", lambda: self.cards.previous()),
            ("Flip", "card-flip", lambda: self.cards.flip()),
            ("Next →", "card-next", lambda: self.cards.next()),
        ):
            made = button(label, css, style="primary" if css == "card-flip" else "", width="160px")
            made.on_click(self.guard(lambda _b, act=act: (act(), self.render())))
            controls.append(made)
        self.choice.observe(self.guard(lambda _c: self.load()), names="value")
        self.body.children = [
            self.choice,
            self.face,
            w.HBox([*controls, self.position], layout=w.Layout(align_items="center")),
        ]
        self.load()

    def render_header(self) -> None:
        self._header.value = f'<div class="app-header"><h1>{esc(self.title)}</h1></div>'

    def start(self) -> None:
        self.load()

    def load(self) -> None:
        self.cards = Flashcards(deck(self.choice.value))
        self.render()

    def render(self) -> None:
        card = self.cards.card
        side = "back" if self.cards.flipped else "front"
        text = card.back if self.cards.flipped else card.front
        source = f'<div class="card-source">{esc(card.source)}</div>' if self.cards.flipped else ""
        self.face.value = (
            f'<div class="card-face card-{side}"><div class="card-side">'
            f"{'Definition' if self.cards.flipped else 'Term'}</div>"
            f'<div class="card-text">{esc(text)}</div>{source}</div>'
        )
        self.position.value = f"Card {self.cards.index + 1} of {len(self.cards.cards)}"


def app(store: Store | None = None) -> None:
    """Build the flashcards and show them (the one line in ``notebooks/flashcards.ipynb``)."""
    from IPython.display import display

    display(FlashcardsApp(store))
