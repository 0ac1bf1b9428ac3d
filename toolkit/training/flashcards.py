"""Glossary practice: flashcards from the glossary, the EARS steps and the reflective tool's
poster, one at a time, front then back (projector mode on the screen)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from toolkit.forms.loader import forms_dir, load_model
from toolkit.forms.models import LABEL, Cited, Identifier, SourceRef, Strict
from toolkit.supervision import content


class GlossaryTerm(Strict):
    term: Annotated[Cited, LABEL]
    definition: Cited


class Glossary(Strict):
    id: Identifier
    version: int
    title: str
    seed: str
    source: SourceRef
    terms: list[GlossaryTerm]


@lru_cache(maxsize=4)
def _load(path: str) -> Glossary:
    return load_model(Glossary, Path(path))


def glossary() -> Glossary:
    """The glossary in ``forms/glossary.yaml`` (seed 000 L72–199, verbatim)."""
    return _load(str(forms_dir() / "glossary.yaml"))


@dataclass(frozen=True)
class Card:
    deck: str
    front: str
    back: str
    source: str  # e.g. "000 L85–87", shown small on the back


DECKS = {
    "glossary": "Glossary",
    "ears": "EARS: appreciative inquiry",
    "reflective_tool": "Practice Framework Reflective Tool",
}


def deck(name: str) -> list[Card]:
    """The cards of one deck, in the order of their source."""
    if name == "glossary":
        g = glossary()
        return [
            Card(name, t.term.text, t.definition.text, t.definition.source.label(g.seed))
            for t in g.terms
        ]
    if name == "ears":
        ears = content.ears()
        return [
            Card(name, s.title, s.description.text, s.description.source.label(ears.seed))
            for s in ears.steps
        ]
    if name == "reflective_tool":
        tool = content.reflective_tool()
        return [
            Card(
                name,
                f"{tool.stage(c.stage).title} — {tool.principle(c.principle).title}",
                c.question.text,
                c.question.source.label(tool.seed),
            )
            for c in tool.cells
        ]
    raise KeyError(f"there is no deck {name!r}")


class Flashcards:
    """Where the trainer is in a deck, and whether the card is turned over."""

    def __init__(self, cards: list[Card]) -> None:
        if not cards:
            raise ValueError("a deck needs at least one card")
        self.cards, self.index, self.flipped = cards, 0, False

    @property
    def card(self) -> Card:
        return self.cards[self.index]

    def flip(self) -> None:
        self.flipped = not self.flipped

    def next(self) -> None:
        self.index, self.flipped = (self.index + 1) % len(self.cards), False

    def previous(self) -> None:
        self.index, self.flipped = (self.index - 1) % len(self.cards), False
