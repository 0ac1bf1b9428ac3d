"""The first run's screens, built without a browser: the person picker names each person's roles
in words, and moderation's sample takes the demonstration when there is nothing else."""

from __future__ import annotations

import pytest

from tests.support.chosen import choose
from tests.widgets.test_moderation_widgets import _walk, find
from toolkit.apps.audit.app import AuditApp
from toolkit.apps.moderation import ModerationApp
from toolkit.apps.supervision.app import SupervisionApp
from toolkit.demo.history import add_history
from toolkit.demo.seed import seed_demo, seed_supervision
from toolkit.forms.loader import registry
from toolkit.supervision.store import SupervisionStore


@pytest.fixture
def demo(app_store):
    """What the run command puts in a new store."""
    seed_demo(app_store)
    sessions = seed_supervision(app_store)
    add_history(app_store)
    app_store.sessions = sessions  # type: ignore[attr-defined]
    return app_store, {p.name: p for p in app_store.people()}


def test_the_picker_shows_name_team_and_roles_in_words(demo):
    store, _ = demo
    app = AuditApp(store)  # nobody chosen yet: the picker
    picker = find(app, "person-picker")
    labels = [label for label, _id in picker.options]
    assert "Priya Okafor-Lund — Assessment Team 1 — Auditor, Team manager" in labels
    assert (
        "Harriet Quenby — Children Looked After Team — Auditor, Team manager, Moderator" in labels
    )
    assert "Nadia Ishaq-Brennan — Quality Assurance Team — Quality assurance, Trainer" in labels
    assert "Sam Achterberg — Assessment Team 1 — Practitioner" in labels
    assert "Colin Pettifer — Business Support — Business support" in labels
    assert "Imogen Strand-Fairweather — Directorate — Deputy director" in labels
    assert all(" — " in label for label in labels)
    assert not any("_" in label for label in labels)  # never a role's code name


def test_moderation_includes_the_demonstration_when_there_is_nothing_else(demo):
    store, people = demo
    choose(people["Nadia Ishaq-Brennan"])
    assert find(ModerationApp(store), "moderation-include-demo").value is True
    store.create_audit(  # the first real audit: from now on the demonstration is left out
        registry().latest("collaborative_case_audit"),
        child_id="LL-900001",
        auditor=people["Priya Okafor-Lund"],
        practitioner=people["Grace Mbeki-Thorne"],
        created_by=people["Colin Pettifer"],
    )
    assert find(ModerationApp(store), "moderation-include-demo").value is False


def test_my_audits_lists_the_latest_fifty_and_says_how_many_there_are(demo):
    from toolkit.apps.audit.app import MY_AUDITS_LISTED

    store, people = demo
    choose(people["Nadia Ishaq-Brennan"])  # quality assurance reads all 486
    home = find(AuditApp(store), "audit-home")
    rows = [w for w in _walk(home) if "audit-row" in getattr(w, "_dom_classes", ())]
    assert len(rows) == MY_AUDITS_LISTED == 50
    guidance = " ".join(getattr(w, "value", "") for w in _walk(home) if type(w).__name__ == "HTML")
    assert "486 (the 50 most recently updated are listed" in guidance
    # the six stories were updated last: they head the list
    stories = {a.id for a in store.audits_for(people["Nadia Ishaq-Brennan"], include_demo=True)[:6]}
    first_six = {c for r in rows[:6] for c in r._dom_classes}
    assert {f"audit-row-{i}" for i in stories} <= first_six


def test_supervision_opens_on_the_demonstrations_sessions(demo):
    store, people = demo
    choose(people["Dominic Vashti"])
    rows = [
        w for w in _walk(SupervisionApp(store)) if "session-row" in getattr(w, "_dom_classes", ())
    ]
    texts = " ".join(getattr(w, "value", "") for r in rows for w in _walk(r))
    assert len(rows) >= 1  # his group case mapping
    assert "Group case mapping: LL-100871" in texts
    choose(people["Priya Okafor-Lund"])
    mine = " ".join(
        getattr(w, "value", "") for w in _walk(SupervisionApp(store)) if type(w).__name__ == "HTML"
    )
    assert "Supervision with Sam" in mine
    ratings = SupervisionStore(store).ratings(store.sessions["group_mapping"])
    assert {r.participant: r.value for r in ratings} == {
        "Dominic Vashti": 4,
        "Harriet Quenby": 3,
        "Grace Mbeki-Thorne": 5,
    }
