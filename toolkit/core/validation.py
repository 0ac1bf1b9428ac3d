"""Check an answer against its field before anything is saved."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from toolkit.core.errors import InvalidAnswer
from toolkit.core.scoring import ScaleValueError, check_scale_value
from toolkit.core.text import check_text
from toolkit.forms.models import Field, FieldKind

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: Any, what: str = "the date") -> dt.date | None:
    """A date from a ``date`` or an ISO ``YYYY-MM-DD`` string; anything else is refused."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        raise InvalidAnswer(f"{what} must be a date without a time, like 2026-11-22")
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidAnswer(f"{what} {value!r} is not a real day of the calendar") from None
    else:
        raise InvalidAnswer(
            f"{what} must be written as year-month-day, like 2026-11-22, not {value!r}"
        )
    if not dt.date(1900, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise InvalidAnswer(f"{what} {day.isoformat()} is outside 1900–2100")
    return day


def clean_answer(field: Field, value: Any) -> Any:
    """The value as it will be stored (JSON-ready), or :class:`InvalidAnswer` saying why not.

    ``None`` clears an answer; an unanswered scale is ``None``, never 0.
    """
    label = field.label if len(field.label) < 60 else field.label[:57] + "…"
    if value is None:
        return None
    kind = field.kind
    if kind is FieldKind.scale:
        assert field.scale is not None
        try:
            return check_scale_value(value, field.scale.min, field.scale.max)
        except ScaleValueError as exc:
            raise InvalidAnswer(f"{label}: {exc}") from None
    if kind is FieldKind.date:
        day = parse_date(value, f"{label}:")
        return day.isoformat() if day else None
    if kind in (FieldKind.text, FieldKind.long_text):
        return check_text(value, label=label, max_length=field.max_length)
    if kind is FieldKind.choice:
        if value not in field.options:
            raise InvalidAnswer(f"{label}: {value!r} is not one of {', '.join(field.options)}")
        return value
    raise InvalidAnswer(f"{label}: this kind of item ({kind.value}) does not take an answer here")
