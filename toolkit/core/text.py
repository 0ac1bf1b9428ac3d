"""The one check of text typed by people, before any store keeps it.

Three things are refused, each with a message naming the field: text longer than the field
allows, a NUL character (PostgreSQL cannot store it in text) and a lone surrogate
(``\\ud800``–``\\udfff`` not paired: it cannot be encoded as UTF-8, so an answer holding one
could be saved on SQLite but then neither opened nor exported).
"""

from __future__ import annotations

import re

from toolkit.core.errors import InvalidAnswer

#: any code point in the surrogate range: in a Python ``str`` these are always unpaired
_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str, *, label: str, max_length: int) -> str | None:
    """What is wrong with ``value`` as the text of ``label``, or None when it may be kept."""
    if "\x00" in value:
        return f"{label} holds a NUL character, which cannot be saved."
    found = _SURROGATE.search(value)
    if found is not None:
        return (
            f"{label} holds a broken character (a lone surrogate, at character "
            f"{found.start() + 1}), which cannot be saved; type or paste that part again."
        )
    if len(value) > max_length:
        return f"{label} is {len(value)} characters long; at most {max_length} can be saved."
    return None


def check_text(value: object, *, label: str, max_length: int) -> str:
    """``value`` when it is text that may be kept; :class:`InvalidAnswer` saying why not."""
    if not isinstance(value, str):
        raise InvalidAnswer(f"{label}: expected text, not {type(value).__name__}.")
    problem = text_problem(value, label=label, max_length=max_length)
    if problem is not None:
        raise InvalidAnswer(problem + " Nothing was saved.")
    return value


__all__ = ["check_text", "text_problem"]
