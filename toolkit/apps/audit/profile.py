"""What the audit screen shows of the active authority profile: the grade of the overall rating
(or, for an authority that sets no grades, its note instead), the grade bands, and the
"Signs of…" the case is worked under.

The rules live in :mod:`toolkit.core.profiles`; these return HTML for the audit screen to show.
"""

from __future__ import annotations

from toolkit.core.html import esc
from toolkit.core.permissions import AuditRecord
from toolkit.core.profiles import audit_grade, case_term, no_grade_note
from toolkit.forms.models import GradeBands


def rating_grade_html(rating: int | None) -> str:
    """Beside the overall rating: its grade, or the profile's note when it sets no grades."""
    if rating is None:
        return '<div class="msg msg-info">No overall rating yet.</div>'
    grade = audit_grade(rating)
    shown = (
        f'<b class="grade-name">{esc(grade)}</b>'
        if grade is not None
        else f'<span class="no-grade-note">{esc(no_grade_note())}</span>'
    )
    return f'<div class="msg msg-info">Overall rating <b>{rating}</b>: {shown}</div>'


def bands_legend_html(bands: GradeBands | None) -> str:
    """The grade bands under the area profile, or the note when the profile sets none."""
    if bands is None:
        return f'<p class="guidance no-grade-note">{esc(no_grade_note())}</p>'
    text = " · ".join(
        (f"{b.min}–{b.max} {esc(b.grade)}" if b.min != b.max else f"{b.min} {esc(b.grade)}")
        + (" (the toolkit’s reading)" if b.decided else "")
        for b in bands.bands
    )
    return f'<p class="guidance">Grade bands: {text}.</p>'


def case_term_text(audit: AuditRecord) -> str:
    """The summary's "· worked under Signs of …", when the profile states one for the case."""
    term = case_term(audit.team, audit.service)
    return f' · worked under <b class="case-term">{esc(term)}</b>' if term else ""


def ungraded_line(rating: int | None) -> str:
    """The summary's grades line under a profile that sets no grades: the rating and the note."""
    if rating is None:
        return ""
    return (
        f'<div class="both-grades">Overall rating {rating} of 10 · '
        f'<span class="no-grade-note">{esc(no_grade_note())}</span></div>'
    )
