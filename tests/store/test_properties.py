"""Property-based tests (hypothesis): bad input never gets further than a clear refusal.

- the form loader, given random YAML and random mutations of the real audit form, either
  loads a form or raises FormError — never another exception;
- the store, given random values for every kind of field, stores them exactly (and gives them
  back) or raises InvalidAnswer — on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.forms.loader import FormError, load_form, registry
from toolkit.forms.models import FieldKind, Form
from toolkit.store import InvalidAnswer, Store

REPO_DIR = Path(__file__).resolve().parents[2]
FORM_DATA = yaml.safe_load((REPO_DIR / "forms" / "collaborative_audit.yaml").read_text())
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates().map(dt.date.isoformat),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into the nested data (dict keys and list indexes)."""
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            found += _paths(child, (*prefix, i))
    return found


ALL_PATHS = [p for p in _paths(FORM_DATA) if p]


def _load_text(text: str) -> Form | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "form.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return load_form(path)
        except FormError as exc:
            # Either outcome is allowed, so not pytest.raises (which would demand the error).
            assert str(exc).startswith(str(path))  # noqa: PT017 (the message names the file)
            return None


@SETTINGS
@given(st.text(max_size=400))
def test_any_text_as_a_form_loads_or_is_a_form_error(text: str) -> None:
    _load_text(text)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.sampled_from(ALL_PATHS), st.sampled_from(["replace", "delete", "add_key"]), values
        ),
        min_size=1,
        max_size=4,
    )
)
def test_a_mutated_audit_form_loads_or_is_a_form_error(mutations) -> None:
    data = copy.deepcopy(FORM_DATA)
    for path, how, value in mutations:
        parent = data
        try:
            for step in path[:-1]:
                parent = parent[step]
            last = path[-1]
            if how == "replace":
                parent[last] = value
            elif how == "delete":
                del parent[last]
            elif isinstance(parent[last], dict):
                parent[last]["unexpected_key"] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    _load_text(yaml.safe_dump(data, allow_unicode=True))


# --- the store ------------------------------------------------------------------------------

FORM = registry().latest("collaborative_case_audit")
AUDITOR_KEYS = {
    kind: next(
        f"{g.id}.{f.id}"
        for s in FORM.sections
        if s.editable_by == "auditor"
        for g in s.groups
        for f in g.fields
        if f.kind is kind and not f.editable_by and f.id != "liquidlogic_id"
    )
    for kind in (FieldKind.scale, FieldKind.date, FieldKind.text, FieldKind.long_text)
}
CHOICE_KEY = next(
    f"{g.id}.{f.id}"
    for s in FORM.sections
    if s.editable_by == "auditor"
    for g in s.groups
    for f in g.fields
    if f.kind is FieldKind.choice
)
AUDITOR_KEYS[FieldKind.choice] = CHOICE_KEY
FIELD = {key: FORM.field(key)[2] for key in AUDITOR_KEYS.values()}

answers = st.one_of(
    values,
    st.integers(min_value=-3, max_value=13),
    st.text(),
    st.dates(),
    st.datetimes(),
    st.sampled_from([*list(FIELD[CHOICE_KEY].options), "", " ", "Yes"]),
    st.text(alphabet="0123456789-", min_size=8, max_size=12),
)


@pytest.fixture
def the_store(database_url: str):
    store = Store(database_url)
    auditor = store.add_person("Ada Auditor", ["auditor"])
    practitioner = store.add_person("Pat Practitioner", ["practitioner"])
    audit = store.create_audit(
        FORM, child_id="LL-1", auditor=auditor, practitioner=practitioner, created_by=auditor
    )
    yield store, auditor, audit
    store.close()


@SETTINGS
@given(kind=st.sampled_from(sorted(AUDITOR_KEYS, key=lambda k: k.value)), value=answers)
def test_any_value_is_stored_exactly_or_refused(the_store, kind: FieldKind, value: Any) -> None:
    store, auditor, audit = the_store
    key = AUDITOR_KEYS[kind]
    before = store.answers(audit.id).get(key)
    try:
        saved = store.save_answer(audit.id, key, value, auditor)
    except InvalidAnswer as exc:
        # Either outcome is allowed, so not pytest.raises (which would demand the refusal).
        assert str(exc)  # noqa: PT017 (a message a user can read)
        assert store.answers(audit.id).get(key) == before  # nothing changed
        return
    stored = store.answer_values(audit.id).get(key)
    assert stored == saved.value  # what the save reported is what a fresh read gives
    if kind in (FieldKind.text, FieldKind.long_text) and value:
        assert stored == value  # text exactly as typed
    if kind is FieldKind.scale and value is not None:
        # a whole number as typed text ("7", " 0 ") is the number: the one conversion made
        given = int(value.strip()) if isinstance(value, str) else value
        assert isinstance(stored, int)
        assert 0 <= stored <= 10
        assert stored == given
    if kind is FieldKind.date and value:
        assert dt.date.fromisoformat(stored)
    if kind is FieldKind.choice and value is not None:
        assert stored in FIELD[key].options
