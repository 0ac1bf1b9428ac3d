"""The tree shows the architecture: layers point one way and no module imports itself round a
circle. Every import counts, including those inside functions and under ``TYPE_CHECKING``, and
``from package import name`` counts as importing the package (whose ``__init__`` runs)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TOOLKIT = Path(__file__).resolve().parents[2] / "toolkit"

# the layers, lowest first; a module may import its own layer and those before it
LAYERS = ["forms", "core", "store", "domain", "ui", "apps", "entry"]
DOMAIN = {"audit", "supervision", "standards", "training", "reports", "demo"}
ENTRY = {"cli", "server", "hub", "__main__"}
TOP_LEVEL = {"__init__", "__main__", "config", "mail"}  # config and mail serve every layer
GUI = ("ipywidgets", "IPython")
#: Modules outside toolkit/store that still hold SQL while they move into the store (issue 15
#: item 1). Take a module out of this set when it moves: the set must end empty.
MOVING_INTO_STORE = {"supervision/store.py", "standards/store.py", "training/calibration.py"}


def module_name(path: Path) -> str:
    parts = path.relative_to(TOOLKIT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in TOOLKIT.rglob("*.py")}


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if f"{node.module}.{alias.name}" in known
            )
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "core"  # the package itself
    top = parts[1]
    if top in {"core", "forms", "store", "ui", "apps"}:
        return top
    if top in DOMAIN:
        return "domain"
    if top in ENTRY:
        return "entry"
    return "core"  # config, mail


def graph() -> dict[str, set[str]]:
    known = modules()
    return {
        name: {m for m in imports(path, known) if m in known and m != name}
        for name, path in known.items()
    }


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_module_imports_itself_round_a_circle() -> None:
    assert circles(graph()) == []


def test_the_circle_finder_finds_a_circle() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_a_handful_of_modules_at_the_top() -> None:
    top = {p.stem for p in TOOLKIT.glob("*.py")}
    assert top <= TOP_LEVEL


def layer_breaches(edges: dict[str, set[str]]) -> list[str]:
    breaches = []
    for module, targets in edges.items():
        own = layer(module)
        for target in targets:
            if target == "toolkit":
                continue
            if LAYERS.index(layer(target)) > LAYERS.index(own):
                breaches.append(f"{module} ({own}) imports {target} ({layer(target)})")
    return sorted(breaches)


def test_layers_point_one_way() -> None:
    """forms ← core ← store ← audit, supervision, … ← ui ← apps ← command line and servers;
    ui holds generic widgets, so it imports neither the store nor any workflow."""
    edges = graph()
    assert layer_breaches(edges) == []
    ui_reaches = {
        f"{m} imports {t}"
        for m, ts in edges.items()
        if layer(m) == "ui"
        for t in ts
        if layer(t) in {"store", "domain"}
    }
    assert ui_reaches == set()


def test_layer_check_catches_a_store_importing_a_screen() -> None:
    assert layer_breaches({"toolkit.store.store": {"toolkit.apps.audit.app"}}) == [
        "toolkit.store.store (store) imports toolkit.apps.audit.app (apps)"
    ]


@pytest.mark.parametrize("library", ["sqlalchemy", *GUI])
def test_core_and_forms_are_pure(library: str) -> None:
    known = modules()
    users = sorted(
        name
        for name, path in known.items()
        if layer(name) in {"core", "forms"} and uses(library, path, known)
    )
    assert users == []


@pytest.mark.parametrize("library", GUI)
def test_only_ui_and_apps_draw_widgets(library: str) -> None:
    known = modules()
    users = sorted(
        name
        for name, path in known.items()
        if layer(name) not in {"ui", "apps"} and uses(library, path, known)
    )
    assert users == []


def uses(library: str, path: Path, known: dict[str, Path]) -> bool:
    return any(m == library or m.startswith(library + ".") for m in imports(path, known))


def sql_outside_store(known: dict[str, Path], exempt: set[str]) -> list[str]:
    """Modules outside toolkit/store importing SQLAlchemy, but for those ``exempt`` (paths
    under ``toolkit/``)."""
    allowed = {module_name(TOOLKIT / p) for p in exempt}
    return sorted(
        name
        for name, path in known.items()
        if layer(name) != "store" and name not in allowed and uses("sqlalchemy", path, known)
    )


def test_no_sqlalchemy_import_outside_the_store() -> None:
    """All SQL lives in toolkit/store: the workflows call store functions, which build the
    queries and write through the unit of work."""
    assert sql_outside_store(modules(), MOVING_INTO_STORE) == []


def test_what_is_moving_into_the_store_is_still_to_move() -> None:
    """A module that no longer imports SQLAlchemy (or is gone) leaves MOVING_INTO_STORE."""
    known = modules()
    moved = sorted(
        p
        for p in MOVING_INTO_STORE
        if not (TOOLKIT / p).exists() or not uses("sqlalchemy", TOOLKIT / p, known)
    )
    assert moved == [], f"take {moved} out of MOVING_INTO_STORE"


def test_the_sql_check_catches_a_workflow_importing_sqlalchemy(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def count():\n    from sqlalchemy.sql import func\n    return func\n")
    clean = tmp_path / "clean.py"
    clean.write_text("import toolkit.store.schema as schema\n")
    known = {
        "toolkit.audit.sneaky": sneaky,
        "toolkit.audit.clean": clean,
        "toolkit.store.sneaky": sneaky,  # the store may
        "toolkit.supervision.store": sneaky,  # exempt while it moves
    }
    assert sql_outside_store(known, {"supervision/store.py"}) == ["toolkit.audit.sneaky"]
