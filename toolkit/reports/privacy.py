"""What a report may show: pseudonyms for people, small groups suppressed, names out of quotes.

- No child's name or LiquidLogic ID ever reaches a report table.
- Practitioners, auditors and moderators appear as stable codes (``P-3f2a1c``): a keyed hash
  (HMAC-SHA256) of their register id, so a code is the same in every report made with the same
  key, and cannot be turned back into a person without the key. The key is
  ``$SOS_TOOLKIT_REPORT_KEY`` or, failing that, a random key made once in the data folder.
- Quality assurance may see names only when they ask for them; everyone else may not open
  reports at all.
- Any count of people or audits below :data:`MIN_GROUP` (5 by default) is shown as "<5", and
  figures computed over such a small group are withheld too; nothing else in the report may
  let such a count be worked out (:data:`SUPPRESSION_RULE`, :mod:`toolkit.reports.disclosure`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from toolkit import config
from toolkit.core.errors import NotAllowed
from toolkit.core.permissions import Person

#: the toolkit's rule (``report_small_numbers`` in forms/toolkit_decisions.yaml, README "Where
#: the toolkit decides"): no source sets one
MIN_GROUP = 5
#: The rule as the report states it (the privacy note of every export, the workbook's About).
SUPPRESSION_RULE = (
    "Counts from 1 to 4 are shown as <5, and nothing else lets one be worked out: a count "
    "beside one that a total would give away is withheld too (–), a share is shown only when "
    "both its counts are, a chart draws only the counts shown, and a list of records is given "
    "only when it holds 5 or more. (The toolkit's rule, not the framework's: "
    "report_small_numbers in forms/toolkit_decisions.yaml.)"
)
REPORT_ROLE = "quality_assurance"
PREFIXES = {"practitioner": "P", "auditor": "A", "moderator": "M"}
_KEY_FILE = "report_key"
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def check_report_reader(person: Person | None) -> None:
    """Only quality assurance reads reports across audits."""
    if person is None or REPORT_ROLE not in person.roles:
        who = person.name if person else "Nobody signed in"
        raise NotAllowed(
            f"Quality assurance reports are for the quality assurance team; {who} cannot open them."
        )


def report_key() -> bytes:
    key = os.environ.get("SOS_TOOLKIT_REPORT_KEY")
    if key:
        return key.encode()
    path = config.data_dir() / _KEY_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        fresh = secrets.token_hex(32).encode()
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(fresh)
        tmp.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # first writer wins; a second process reads the winner's key
        tmp.unlink(missing_ok=True)
        return path.read_bytes().strip()


def pseudonym(person_id: int, kind: str, key: bytes) -> str:
    """``P-`` + the first 6 hex digits of HMAC-SHA256(key, "<id>")."""
    digest = hmac.new(key, str(int(person_id)).encode(), hashlib.sha256).hexdigest()
    return f"{PREFIXES[kind]}-{digest[:6]}"


@dataclass(frozen=True)
class Viewer:
    """How people are shown to this reader: codes by default, names only when asked for."""

    names: bool = False
    key: bytes = b""
    register: dict[int, str] = field(default_factory=dict)  # id → name, used when names=True
    min_group: int = MIN_GROUP

    def label(self, person_id: int, kind: str) -> str:
        if self.names and person_id in self.register:
            return self.register[person_id]
        return pseudonym(person_id, kind, self.key)

    def labels(self, ids: Iterable[int], kind: str) -> list[str]:
        return [self.label(int(i), kind) for i in ids]


def viewer_for(
    person: Person | None,
    names: bool = False,
    register: dict[int, str] | None = None,
    min_group: int = MIN_GROUP,
) -> Viewer:
    """A reader's view; names only for quality assurance who asked (scheduled runs: ``None``)."""
    if names:
        check_report_reader(person)
    return Viewer(names=names, key=report_key(), register=register or {}, min_group=min_group)


def suppressed(count: float, min_group: int = MIN_GROUP) -> object:
    """A count as shown: "<5" for 1 to 4 (0 is shown: it reveals nobody)."""
    if pd.isna(count):
        return ""
    return f"<{min_group}" if 0 < count < min_group else int(count)


def suppress_counts(frame: pd.DataFrame, columns: Iterable[str], min_group: int) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = out[column].astype(object).map(lambda c: suppressed(c, min_group))
    return out


def suppress_small_rows(
    frame: pd.DataFrame, n_column: str, figure_columns: Iterable[str], min_group: int
) -> pd.DataFrame:
    """Rows whose group has fewer than ``min_group`` members show "<5" and no figures."""
    out = frame.copy()
    small = out[n_column] < min_group
    for column in figure_columns:
        out[column] = out[column].astype(object)
        out.loc[small, column] = "–"
    return suppress_counts(out, [n_column], min_group)


def mentions_a_name(text: str, names: frozenset[str]) -> bool:
    """True when any word of ``text`` is a name in the register or a child's recorded name."""
    return any(word in names for word in _WORD.findall(text.lower()))
