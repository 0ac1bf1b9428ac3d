"""Load and validate form definitions, with errors that name the file, the item and the fault."""

from __future__ import annotations

import os
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from toolkit.forms.models import LONG_TEXT, Form, GradeBands, Rubric, TextKind, ToolkitDecisions

try:  # the C loader is several times faster on the large audit form
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

M = TypeVar("M", bound=BaseModel)

DEFAULT_FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"


class FormError(ValueError):
    """A form definition that cannot be used; the message says which file, item and why."""

    def __init__(self, path: Path | str, item: str | None, problem: str):
        self.path, self.item, self.problem = str(path), item, problem
        where = f"{self.path}" + (f", item '{item}'" if item else "")
        super().__init__(f"{where}: {problem}")


def forms_dir() -> Path:
    return Path(os.environ.get("SOS_TOOLKIT_FORMS_DIR", DEFAULT_FORMS_DIR))


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise FormError(path, None, f"not UTF-8 text ({exc.reason})") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FormError(path, None, f"not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise FormError(path, None, "the file must hold a mapping (key: value) at the top")
    return data


def _nearest_id(data: Any, loc: tuple[Any, ...]) -> str | None:
    """The id of the innermost item on the error's path, so the message can name it."""
    found, node = None, data
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        found = data["id"]  # at least the form (or bands, rubric) the fault is in
    for step in loc:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
    return found


@cache
def _field_kinds(model: type[BaseModel]) -> tuple[tuple[str, TextKind | None], ...]:
    """Each field of ``model`` with the kind of text it names (``Annotated[..., LABEL]``)."""
    return tuple(
        (name, next((m for m in info.metadata if isinstance(m, TextKind)), None))
        for name, info in model.model_fields.items()
    )


def _first_fault(node: Any, kind: TextKind) -> tuple[list[Any], str] | None:
    """The first text under ``node`` its kind refuses: (its path, innermost step first; what is
    wrong). A text takes the kind of the nearest field above it that names one."""
    if isinstance(node, str):
        problem = kind.fault(node)
        return ([], problem) if problem else None
    if isinstance(node, BaseModel):
        values = node.__dict__
        for name, own in _field_kinds(type(node)):
            found = _first_fault(values[name], own or kind)
            if found:
                found[0].append(name)
                return found
    elif isinstance(node, (list, tuple)):
        for index, item in enumerate(node):
            found = _first_fault(item, kind)
            if found:
                found[0].append(index)
                return found
    elif isinstance(node, dict):
        for key, value in node.items():
            found = _first_fault(key, kind) or _first_fault(value, kind)
            if found:
                found[0].append(key)
                return found
    return None


def _check_texts(path: Path, data: Any, loaded: BaseModel) -> None:
    """Every text of every definition file against its kind: no empty anchor shows a bare "0",
    no runaway text goes to every browser with every audit."""
    found = _first_fault(loaded, LONG_TEXT)
    if found:
        loc = tuple(reversed(found[0]))
        field_path = ".".join(str(p) for p in loc)
        raise FormError(path, _nearest_id(data, loc), f"{field_path}: {found[1]}")


def _validate(model: type[M], path: Path, data: Any) -> M:
    """The file's data as ``model``, its texts checked; FormError names file, item and fault."""
    try:
        loaded = model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        field_path = ".".join(str(p) for p in loc) or "(top)"
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden" and loc:
            message = f"unknown key '{loc[-1]}' (a typo, or a key this toolkit does not use)"
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise FormError(path, _nearest_id(data, loc), f"{field_path}: {message}{more}") from None
    _check_texts(path, data, loaded)
    return loaded


def load_form(path: Path | str) -> Form:
    path = Path(path)
    return _validate(Form, path, _read_yaml(path))


def load_grade_bands(path: Path | str | None = None) -> GradeBands:
    path = Path(path) if path else forms_dir() / "grade_bands.yaml"
    return _validate(GradeBands, path, _read_yaml(path))


def load_rubric(path: Path | str | None = None) -> Rubric:
    path = Path(path) if path else forms_dir() / "audit_rubric.yaml"
    return _validate(Rubric, path, _read_yaml(path))


class FormRegistry:
    """Every audit form version in a folder.

    An old audit renders on the form it was answered on."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._forms: dict[tuple[str, int], Form] = {}
        for path in sorted(folder.glob("*.yaml")):
            data = _read_yaml(path)
            if data.get("kind") != "form":
                continue
            form = _validate(Form, path, data)
            key = (form.id, form.version)
            if key in self._forms:
                raise FormError(path, form.id, f"version {form.version} is defined twice")
            self._forms[key] = form

    def get(self, form_id: str, version: int | None = None) -> Form:
        versions = sorted(v for (fid, v) in self._forms if fid == form_id)
        if not versions:
            raise FormError(self.folder, form_id, "no such form")
        version = version or versions[-1]
        if (form_id, version) not in self._forms:
            raise FormError(self.folder, form_id, f"version {version} is not in the forms folder")
        return self._forms[(form_id, version)]

    def latest(self, form_id: str) -> Form:
        return self.get(form_id)


@lru_cache(maxsize=4)
def _registry_for(folder: str) -> FormRegistry:
    return FormRegistry(Path(folder))


def registry() -> FormRegistry:
    return _registry_for(str(forms_dir()))


@lru_cache(maxsize=4)
def _decisions_in(folder: str) -> ToolkitDecisions:
    return load_model(ToolkitDecisions, Path(folder) / "toolkit_decisions.yaml")


def toolkit_decisions() -> ToolkitDecisions:
    """The toolkit's own rules (``forms/toolkit_decisions.yaml``): what each is, why the toolkit
    decided it and the setting that changes it."""
    return _decisions_in(str(forms_dir()))


def load_model(model: type[M], path: Path | str) -> M:
    """Any definition file in ``forms/`` as its model, with the same named errors as a form."""
    path = Path(path)
    return _validate(model, path, _read_yaml(path))


def check_all() -> None:
    """Load every form, the grade bands, the rubric and the toolkit's decisions now; raises
    :class:`FormError` (naming the file, the item and what is wrong) so nothing starts with a
    broken definition."""
    registry()
    load_grade_bands()
    load_rubric()
    toolkit_decisions()
