"""Load an authority's standards and timescales from ``forms/``.

Cached: they never change at run time."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from toolkit.forms.loader import FormError, forms_dir, load_model
from toolkit.standards.models import Standards
from toolkit.standards.timescales import Timescales

AUTHORITIES = ("bexley", "leicester", "manchester", "durham")


def standards_path(authority: str, folder: Path | None = None) -> Path:
    return (folder or forms_dir()) / f"standards_{authority}.yaml"


@lru_cache(maxsize=8)
def _load(path: str) -> Standards:
    return load_model(Standards, path)


def load_standards(authority: str, folder: Path | None = None) -> Standards:
    """The standards of ``authority`` (``bexley``, ``leicester``, ``manchester``, ``durham``)."""
    path = standards_path(authority, folder)
    if not path.is_file():
        raise FormError(path, authority, "no practice standards are defined for this authority")
    standards = _load(str(path))
    if standards.authority != authority:
        raise FormError(path, standards.id, f"the file is for '{standards.authority}'")
    return standards


def available_authorities(folder: Path | None = None) -> list[str]:
    """Authorities whose standards file is present, in the toolkit's usual order."""
    return [a for a in AUTHORITIES if standards_path(a, folder).is_file()]


def load_timescales(authority: str, folder: Path | None = None) -> Timescales:
    """The timescales of ``authority`` from ``forms/timescales_<authority>.yaml``."""
    path = (folder or forms_dir()) / f"timescales_{authority}.yaml"
    if not path.is_file():
        raise FormError(path, authority, "no timescales are defined for this authority")
    return load_model(Timescales, path)
