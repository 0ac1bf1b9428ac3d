"""Compare transcribed texts with the seed documents, ignoring whitespace and the forms of quote
marks, apostrophes and ligatures only.

The seeds are text extracted from PDFs: tables are flattened, words wrap mid-phrase and some
headings run vertically one syllable a line. Removing *all* whitespace before comparing makes
those layouts irrelevant while any changed, added or dropped character still fails.

The PDFs also split words at a line end with a hyphen ("diver-" / "sity"). A transcription may
keep that hyphen or join the word ("diversity"): a text matches when it stands in the seed as
is, or in the seed with every hyphen at a line end followed by a lower-case letter removed.
A hyphen inside a line (a real compound such as "multi-agency") is never removed.

Curly and straight quotes and apostrophes are the same mark here (a transcription typed on a
keyboard has straight ones where the PDF has curly), and so are a ligature and its letters
(Unicode NFKC: "ﬁ" is "fi"); every other character must match. The seeds are found beside the
clone (``../shared/seeds``), or where ``SOS_TOOLKIT_SEEDS_DIR`` says (a git worktree elsewhere).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from toolkit.forms.models import Cited, Field, GradeBand, SourceRef

BESIDE_THE_CLONE = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEEDS_DIR = Path(os.environ.get("SOS_TOOLKIT_SEEDS_DIR") or BESIDE_THE_CLONE)
_WS = re.compile(r"\s+")
#: quote marks and apostrophes, each read as its plain keyboard form
_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'"}
    | {"\u201c": '"', "\u201d": '"', "\u201e": '"'}
)
#: a word split by a hyphen at the end of a line: "diver-\nsity" → "diversity"
_LINE_END_HYPHEN = re.compile(r"(\w)-\s*\n\s*([a-z])")


def squash(text: str) -> str:
    """The text without whitespace, its quote marks plain and its ligatures spelt out."""
    return _WS.sub("", unicodedata.normalize("NFKC", text).translate(_QUOTES))


def seed_lines(seed: str) -> list[str]:
    matches = sorted(SEEDS_DIR.glob(f"{seed}_*.txt"))
    if not matches:
        raise FileNotFoundError(f"no seed file {seed}_*.txt in {SEEDS_DIR}")
    # split on "\n" only: str.splitlines() also breaks at U+2028/U+2029, which seed 004 contains,
    # and would shift its line numbers away from those an editor (and the seed notes) show
    return matches[0].read_text(encoding="utf-8").split("\n")


def join_line_end_hyphens(text: str) -> str:
    """The text with words split by a hyphen at a line end joined again."""
    return _LINE_END_HYPHEN.sub(r"\1\2", text)


def _squashed_source(ref: SourceRef, default_seed: str, join_hyphens: bool) -> str:
    lines = seed_lines(ref.seed or default_seed)
    chunks = []
    for a, b in ref.lines:
        chunk = "\n".join(lines[a - 1 : b])
        if join_hyphens:
            chunk = join_line_end_hyphens(chunk)
        chunks.append(squash(chunk))
    text = "".join(chunks)
    for skip in ref.skip:
        text = text.replace(squash(skip), "", 1)
    return text


def source_text(ref: SourceRef, default_seed: str) -> str:
    """The source lines as they are in the seed, without whitespace."""
    return _squashed_source(ref, default_seed, join_hyphens=False)


def source_texts(ref: SourceRef, default_seed: str) -> tuple[str, str]:
    """The source lines as they are, and with line-end hyphens joined (both squashed)."""
    return source_text(ref, default_seed), _squashed_source(ref, default_seed, join_hyphens=True)


def problem(text: str, ref: SourceRef, default_seed: str) -> str | None:
    """None when ``text`` stands in its source lines; otherwise what is wrong."""
    if not squash(text):
        return "empty text"
    needle = squash(text)
    if any(needle in haystack for haystack in source_texts(ref, default_seed)):
        return None
    return f"{text[:80]!r} is not in {ref.label(default_seed)}"


def cited_texts(node: Any, path: str = "") -> Iterator[tuple[str, str, SourceRef]]:
    """Every (where, text, source) in a loaded definition: Cited items and verbatim labels."""
    if isinstance(node, Cited):
        yield path, node.text, node.source
        return
    if isinstance(node, Field) and node.verbatim and node.source is not None:
        yield f"{path}.label", node.label, node.source
    elif isinstance(node, GradeBand):
        yield f"{path}.grade", node.grade, node.source
        if node.note:
            yield f"{path}.note", node.note, node.source
    elif isinstance(getattr(node, "title", None), str) and isinstance(
        getattr(node, "source", None), SourceRef
    ):
        yield f"{path}.title", node.title, node.source
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from cited_texts(getattr(node, name), f"{path}.{name}" if path else name)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from cited_texts(value, f"{path}[{key}]")
    elif isinstance(node, (list, tuple)):
        for index, value in enumerate(node):
            ident = getattr(value, "id", index)
            yield from cited_texts(value, f"{path}[{ident}]")


#: the keys whose text a mapping with ``source:`` quotes, in every file in forms/
QUOTED_KEYS = ("text", "label", "title", "grade", "term")


def yaml_cited_texts(
    node: Any, default_seed: str, path: str = ""
) -> Iterator[tuple[str, str, SourceRef, str]]:
    """Every (where, text, source, seed) in a definition file's data as read from YAML, whatever
    its model: each mapping with ``source:`` quotes its ``text``, ``label``, ``title``, ``grade``
    or ``term``, unless it says ``verbatim: false`` (the toolkit's words) or ``adapted: true``
    (changed only to settle a name the source varies). A ``seed:`` applies below where it is
    given. Reading the raw data means a new file or a new kind of item is checked too."""
    if isinstance(node, dict):
        if isinstance(node.get("seed"), str):
            default_seed = node["seed"]
        if "source" in node and node.get("verbatim", True) and not node.get("adapted", False):
            ref = SourceRef.model_validate(node["source"])
            for key in QUOTED_KEYS:
                if isinstance(node.get(key), str):
                    yield f"{path}.{key}".lstrip("."), node[key], ref, default_seed
        for key, value in node.items():
            if key != "source":
                yield from yaml_cited_texts(value, default_seed, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            ident = value.get("id", index) if isinstance(value, dict) else index
            yield from yaml_cited_texts(value, default_seed, f"{path}[{ident}]")
