"""A gentle plain-language check for danger statements, safety goals and scale anchors.

It never blocks saving: it suggests. Two things are looked for, each by a rule a practitioner
can follow and argue with:

* **jargon** — the terms in ``forms/plain_language.yaml`` (the seven the audit form names, and the
  toolkit's own list), matched as whole words, ignoring case;
* **a danger statement's three parts** (Durham's guidance: who is worried, what they are worried
  will happen, the impact on the child):
  - *who*: a worry word (worried, concerned, scared, afraid, worry) with someone named before it
    in the same sentence — a name, a role (school, social worker, mum …) or I/we/they/he/she;
  - *what will happen*: a word looking ahead (will, would, could, might, may, going to) or
    "if nothing changes" / "if things don't change";
  - *impact on the child*: the child is mentioned (child, children, baby, son, daughter, young
    person, boy, girl, grow up …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from toolkit.supervision.content import PlainLanguage, plain_language

_WORRY = re.compile(r"\b(worried|worries|worry|concerned|scared|afraid|frightened)\b", re.I)
_SUBJECT_PRONOUN = re.compile(r"\b(I|we|they|he|she|you|I'm|we're|they're)\b", re.I)
_ROLE = re.compile(
    r"\b(school|teacher|police|nurse|doctor|GP|health visitor|midwife|social worker|worker|team|"
    r"nursery|mum|mother|dad|father|grandma|grandmother|grandad|grandfather|aunt|uncle|"
    r"neighbour|family|network|carer|foster carer)s?\b",
    re.I,
)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+")
_NOT_A_SUBJECT = {"There", "It", "This", "That", "The", "These", "Those", "A", "An", "If", "When"}
_AHEAD = re.compile(
    r"\b(will|would|could|might|may|going to|if nothing changes|if things (don.t|do not) change)\b",
    re.I,
)
_CHILD = re.compile(
    r"\b(child|children|child's|children's|baby|babies|son|sons|daughter|daughters|young "
    r"(person|people)|boy|boys|girl|girls|toddler|infant|teenager|kids?|grow(s|ing)? up)\b",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Flag:
    """One suggestion: ``kind`` is ``jargon``, ``who``, ``what`` or ``impact``."""

    kind: str
    message: str
    term: str | None = None


@lru_cache(maxsize=4)
def _term_patterns(
    terms: tuple[tuple[str, str | None], ...],
) -> list[tuple[str, str | None, re.Pattern[str]]]:
    found = []
    for term, suggestion in terms:
        # short capitals (DV) must match as written, other terms ignoring case
        flags = 0 if term.isupper() else re.I
        found.append(
            (term, suggestion, re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", flags))
        )
    return found


def jargon(text: str, definition: PlainLanguage | None = None) -> list[Flag]:
    """The jargon terms in ``text``, each once, in the order of the list."""
    definition = definition or plain_language()
    flags = []
    for term, suggestion, pattern in _term_patterns(
        tuple((t.term, t.suggestion) for t in definition.terms)
    ):
        if pattern.search(text or ""):
            advice = suggestion or "Say what was seen or heard, and its effect on the child."
            flags.append(Flag("jargon", f"“{term}” is professional shorthand. {advice}", term=term))
    return flags


def _names_who_is_worried(text: str) -> bool:
    for sentence in _SENTENCE.split(text):
        match = _WORRY.search(sentence)
        if not match:
            continue
        before = sentence[: match.start()]
        if _SUBJECT_PRONOUN.search(before) or _ROLE.search(before):
            return True
        if any(word not in _NOT_A_SUBJECT for word in _CAPITALISED.findall(before)):
            return True
    return False


def danger_statement(text: str, definition: PlainLanguage | None = None) -> list[Flag]:
    """Suggestions for a danger statement: jargon, and any of its three parts that seems missing."""
    definition = definition or plain_language()
    text = text or ""
    if not text.strip():
        return []
    parts = {p.id: p.text for p in definition.danger_statement_parts}
    flags = jargon(text, definition)
    if not _names_who_is_worried(text):
        flags.append(
            Flag("who", f"{parts['who']} Name them, e.g. “Katie (social worker) is worried …”.")
        )
    if not _AHEAD.search(text):
        flags.append(
            Flag("what", "What are they worried will happen if nothing changes? Say it plainly.")
        )
    if not _CHILD.search(text):
        flags.append(
            Flag("impact", "What would the impact be on the child? Say it in their terms.")
        )
    return flags


def plain_text(text: str, definition: PlainLanguage | None = None) -> list[Flag]:
    """For safety goals and scale anchors: the jargon check only."""
    return jargon(text or "", definition)
