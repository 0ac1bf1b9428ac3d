"""The training store opened by several pages at once on a new data folder: every page opens it
without error, and it holds one set of demonstration data, not one per page."""

from __future__ import annotations

from pathlib import Path

from tests.support.pages import opened_at_once
from toolkit.store import Store
from toolkit.training.cases import example_cases
from toolkit.training.demo_store import DEMO_PEOPLE, open_training_store, trainer

PAGES = 3


def _people_in_the_training_store() -> int:
    """What a page of the training store sees: its people."""
    return len(open_training_store().people())


def test_pages_opening_a_new_training_store_at_once_seed_it_once(tmp_path: Path) -> None:
    seen = opened_at_once(tmp_path, _people_in_the_training_store, PAGES)
    assert seen == [len(DEMO_PEOPLE)] * PAGES  # no error, and never a half-seeded store
    store = Store(f"sqlite:///{tmp_path / 'training.sqlite'}")
    try:
        assert sorted(p.name for p in store.people()) == sorted(n for n, _r, _t in DEMO_PEOPLE)
        audits = store.audits_for(trainer(store), include_demo=True)
        assert len(audits) == 2 * len(example_cases().cases)  # to walk through, and completed
    finally:
        store.close()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".training-seed")]
