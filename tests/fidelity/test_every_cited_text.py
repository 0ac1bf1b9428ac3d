"""Every text in ``forms/`` cited to seed lines stands in those lines, read from the YAML itself.

The other fidelity tests walk each definition's model; this one reads every file in ``forms/``
as plain data, so a file no model test names, or an item of a new kind, is checked too: any
mapping with ``source:`` quotes its text, which must be found within the cited line range of
the seed (not anywhere else in it), whitespace, quote marks and words split at a line end
aside. Skipped, saying why, when the seeds are not beside the clone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.support import fidelity
from toolkit.forms.loader import forms_dir
from toolkit.forms.models import SourceRef

pytestmark = pytest.mark.skipif(
    not fidelity.SEEDS_DIR.is_dir(),
    reason=f"the seed documents are not at {fidelity.SEEDS_DIR}: nothing to compare the forms with",
)

FILES = sorted(forms_dir().glob("*.yaml"))


def _faults(data: object, default_seed: str) -> tuple[int, list[str]]:
    """How many cited texts the data holds, and each one not in its lines."""
    cited = list(fidelity.yaml_cited_texts(data, default_seed))
    faults = [
        f"{where}: {fault}"
        for where, text, ref, seed in cited
        if (fault := fidelity.problem(text, ref, seed)) is not None
    ]
    return len(cited), faults


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_cited_text_in_the_file_stands_in_its_lines(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    count, faults = _faults(data, str(data.get("seed") or ""))
    assert faults == [], f"{len(faults)} of {count} cited texts in {path.name}:\n" + "\n".join(
        faults
    )


def test_thousands_of_texts_are_checked_across_every_file() -> None:
    counts = {}
    for path in FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        counts[path.name] = len(list(fidelity.yaml_cited_texts(data, str(data.get("seed")))))
    assert sum(counts.values()) > 2300
    uncited = sorted(name for name, n in counts.items() if n == 0)
    assert uncited == []


# --- the check fails where it must ------------------------------------------------------------

MODERATION_LIST = "A list of cases audited over the last 6 months is run by Strategy"


def test_a_text_found_in_the_seed_but_outside_its_cited_lines_fails() -> None:
    inside = {"text": MODERATION_LIST, "source": "734-735"}
    assert _faults({"items": [inside]}, "002") == (1, [])
    # the same words, cited to the lines of the moderation flow chart further down
    elsewhere = {"text": MODERATION_LIST, "source": "785-790"}
    count, faults = _faults({"items": [elsewhere]}, "002")
    assert count == 1
    assert len(faults) == 1
    assert "002 L785–790" in faults[0]


def test_a_changed_word_fails_and_a_toolkit_label_or_an_adapted_text_is_not_checked() -> None:
    changed = {"label": MODERATION_LIST.replace("6 months", "12 months"), "source": "734-735"}
    assert len(_faults({"fields": [changed]}, "002")[1]) == 1
    own = {**changed, "verbatim": False}
    adapted = {**changed, "adapted": True}
    assert _faults({"fields": [own, adapted]}, "002") == (0, [])


def test_the_seed_a_mapping_names_applies_below_it() -> None:
    # seed 000 L204 is "Signs of Wellbeing"; in 002 those lines say something else
    nested = {
        "seed": "000",
        "vocabulary": [{"term": {"text": "Signs of Wellbeing", "source": 204}}],
    }
    assert _faults(nested, "002") == (1, [])
    assert len(_faults({"vocabulary": nested["vocabulary"]}, "002")[1]) == 1


def test_quote_marks_and_ligatures_are_read_as_their_plain_forms_and_nothing_else() -> None:
    source = SourceRef(lines=[(3588, 3589)])  # seed 002: "adult/adolescent’s"
    curly = "What are the adult/adolescent’s behaviours that are most worrying?"
    assert fidelity.problem(curly, source, "002") is None
    assert fidelity.problem(curly.replace("’", "'"), source, "002") is None
    assert fidelity.problem(curly.replace("’", ""), source, "002") is not None
    assert fidelity.squash("ﬁle") == "file"
