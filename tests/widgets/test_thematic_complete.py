"""Completing a thematic audit: only when every item of the audited areas is rated, only by its
auditor; then read only in the store (not only on screen), listed as complete, its completion in
the change history, and any bottom line not met still flagged for the auditor's action."""

from __future__ import annotations

import pytest

from tests.widgets import test_thematic
from tests.widgets.test_thematic import _items, _open
from toolkit.apps.thematic import ThematicHome, ThematicScreen
from toolkit.standards.loader import load_standards
from toolkit.standards.store import (
    complete_thematic_audit,
    create_thematic_audit,
    save_thematic_answer,
    thematic_answers,
    thematic_audit,
    thematic_audits_for,
    thematic_history,
)
from toolkit.store import InvalidAnswer, NotAllowed

env = test_thematic.env  # the same store and people as the thematic audit tests
TRF = [i.id for i in load_standards("bexley").area("trf").items]  # 5 expectations, 2 bottom lines


def _rate(store, person, thematic_id, ratings):
    for item_id, rating in ratings.items():
        save_thematic_answer(store, person, thematic_id, item_id, "rating", rating)


def _all_rated(not_met=("trf_bl02",)):
    return {i: ("not_met" if i in not_met else "met") for i in TRF}


def test_it_cannot_be_completed_until_every_item_is_rated_and_the_message_names_them(env):
    store, auditor, *_ = env
    thematic = create_thematic_audit(store, auditor, "bexley", ["trf"], child_id="LL-1")
    ratings = _all_rated()
    del ratings["trf_e03"], ratings["trf_bl01"]
    _rate(store, auditor, thematic.id, ratings)
    with pytest.raises(InvalidAnswer) as caught:
        complete_thematic_audit(store, auditor, thematic.id)
    message = str(caught.value)
    assert "Transfer of Cases Practice Expectations and Bottom Lines: 2 not rated" in message
    assert "“The danger/worry statements, existing strengths and safety," in message
    assert "“When families transfer between services there will always…”" in message
    after = thematic_audit(store, thematic.id)
    assert after.state == "in_progress"
    assert after.completed_at is None
    assert thematic_history(store, thematic.id, auditor) == []
    save_thematic_answer(store, auditor, thematic.id, "trf_e03", "rating", "Not applicable")
    with pytest.raises(InvalidAnswer, match="1 not rated"):
        complete_thematic_audit(store, auditor, thematic.id)


def test_not_applicable_counts_as_a_rating(env):
    store, auditor, *_ = env
    thematic = create_thematic_audit(store, auditor, "bexley", ["trf"], child_id="LL-1")
    _rate(store, auditor, thematic.id, dict.fromkeys(TRF, "not_applicable"))
    assert complete_thematic_audit(store, auditor, thematic.id).state == "complete"


def test_only_its_auditor_completes_it(env):
    store, auditor, practitioner, _ = env
    thematic = create_thematic_audit(store, auditor, "bexley", ["trf"], child_id="LL-1")
    _rate(store, auditor, thematic.id, _all_rated())
    with pytest.raises(NotAllowed, match="Only the auditor"):
        complete_thematic_audit(store, practitioner, thematic.id)
    assert thematic_audit(store, thematic.id).state == "in_progress"


def test_once_complete_the_store_refuses_every_change_and_history_says_who_and_when(env):
    store, auditor, *_ = env
    thematic = create_thematic_audit(store, auditor, "bexley", ["trf"], child_id="LL-1")
    _rate(store, auditor, thematic.id, _all_rated())
    done = complete_thematic_audit(store, auditor, thematic.id)
    assert done.state == "complete"
    assert done.completed_by == auditor.id
    assert done.completed_at is not None
    before = thematic_answers(store, thematic.id)
    for part, value in (("rating", "met"), ("evidence", "later note"), ("location", "p. 3")):
        with pytest.raises(NotAllowed, match="is complete"):
            save_thematic_answer(store, auditor, thematic.id, "trf_bl02", part, value)
    assert thematic_answers(store, thematic.id) == before
    (line,) = thematic_history(store, thematic.id, auditor)
    assert (line.field_key, line.old, line.new, line.changed_by) == (
        "state",
        "in_progress",
        "complete",
        auditor.id,
    )
    assert line.changed_at == done.completed_at
    # completing again changes nothing and adds no history
    assert complete_thematic_audit(store, auditor, thematic.id).completed_at == done.completed_at
    assert len(thematic_history(store, thematic.id, auditor)) == 1


def test_history_is_for_those_who_may_open_it(env):
    store, auditor, _, stranger = env
    thematic = create_thematic_audit(store, auditor, "bexley", ["trf"], child_id="LL-1")
    with pytest.raises(NotAllowed):
        thematic_history(store, thematic.id, stranger)


# --- widgets --------------------------------------------------------------------------------------


def test_completing_on_screen_makes_it_read_only_flagged_and_listed_complete(env, monkeypatch):
    store, auditor, *_ = env
    thematic = create_thematic_audit(store, auditor, "bexley", ["trf"], child_id="LL-5")
    app = _open(store, auditor, monkeypatch, f"thematic={thematic.id}")
    items = _items(app.screen)
    for item_id in TRF[:-1]:
        items[item_id].views["rating"].input.value = "Met"
    with pytest.raises(InvalidAnswer, match="1 not rated"):
        app.screen.complete()
    items[TRF[-1]].views["rating"].input.value = "Not met"  # trf_bl02, a bottom line
    button = next(b for b in _buttons(app.screen) if "complete-thematic" in b._dom_classes)
    button.click()
    screen = app.screen
    assert isinstance(screen, ThematicScreen)
    assert screen.thematic.complete
    assert "is complete and read only" in app.messages.value
    assert "1 bottom line not met is flagged for your action" in app.messages.value
    assert "1 bottom line not met" in screen.flags.value  # the flag stays
    assert "Complete" in screen.children[1].value
    assert "read only" in screen.children[1].value
    views = _items(screen)
    assert all(v.views["rating"].input.disabled for v in views.values())
    assert all(v.views["evidence"].input.disabled for v in views.values())
    assert not any("complete-thematic" in b._dom_classes for b in _buttons(screen))
    assert "Ada Auditor" in _html(screen)
    assert "In progress → Complete" in _html(screen)
    app.show_home()
    home = app.screen
    assert isinstance(home, ThematicHome)
    row = _html(home)
    assert "state-complete" in row
    assert "⚑ 1 bottom line(s) not met" in row
    assert [t.state for t in thematic_audits_for(store, auditor)] == ["complete"]


def test_the_complete_button_refuses_with_the_missing_items_and_changes_nothing(env, monkeypatch):
    store, auditor, *_ = env
    thematic = create_thematic_audit(store, auditor, "bexley", ["trf"], child_id="LL-5")
    app = _open(store, auditor, monkeypatch, f"thematic={thematic.id}")
    button = next(b for b in _buttons(app.screen) if "complete-thematic" in b._dom_classes)
    button.click()
    assert "cannot be completed yet" in app.messages.value
    assert "7 not rated" in app.messages.value
    assert thematic_audit(store, thematic.id).state == "in_progress"
    assert not app.screen.thematic.complete


def _walk(widget):
    stack = [widget]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(getattr(node, "children", ()))


def _buttons(widget):
    import ipywidgets as w

    return [n for n in _walk(widget) if isinstance(n, w.Button)]


def _html(widget):
    return " ".join(n.value for n in _walk(widget) if isinstance(getattr(n, "value", None), str))


def test_a_database_made_before_completion_existed_gets_the_new_columns_on_start(tmp_path):
    """``thematic_audits`` as first shipped (no completed_at, completed_by): opening the store
    adds them, and the audit made before can be completed."""
    import sqlalchemy as sa

    from toolkit.store import Store
    from toolkit.store.upgrade import schema_problems

    url = f"sqlite:///{tmp_path}/old.sqlite"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "CREATE TABLE thematic_audits (id INTEGER PRIMARY KEY, authority VARCHAR(40) NOT "
                "NULL, service_areas TEXT NOT NULL, child_id VARCHAR(100) NOT NULL, auditor_id "
                "INTEGER NOT NULL, audit_id INTEGER, state VARCHAR(20) NOT NULL, created_at "
                "DATETIME NOT NULL, updated_at DATETIME NOT NULL)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO thematic_audits VALUES (1, 'bexley', '[\"trf\"]', 'LL-1', 1, NULL, "
                "'in_progress', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
    engine.dispose()
    store = Store(url)
    auditor = store.add_person("Ada Auditor", ["auditor"])
    assert auditor.id == 1
    assert schema_problems(store.engine) == []  # there now, and every other table too
    _rate(store, auditor, 1, _all_rated())
    assert complete_thematic_audit(store, auditor, 1).completed_by == auditor.id
    store.close()
