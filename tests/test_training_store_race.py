"""The training store opened by several pages at once on a new data folder: every page opens it
without error, and it holds one set of demonstration data, not one per page."""

from __future__ import annotations

import multiprocessing as mp
import os
from pathlib import Path

from toolkit.store import Store
from toolkit.training.cases import example_cases
from toolkit.training.demo_store import DEMO_PEOPLE, open_training_store, trainer

PAGES = 3


def _open_as_a_page(data: str, ready, results) -> None:  # noqa: ANN001 - multiprocessing objects
    """A kernel of its own (a new process) opening the training store as a page does."""
    os.environ["SOS_TOOLKIT_DATA_DIR"] = data
    os.environ.pop("SOS_TOOLKIT_DATABASE_URL", None)
    ready.wait()  # every page opens at the same moment
    try:
        results.put(len(open_training_store().people()))
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put(repr(exc))


def test_pages_opening_a_new_training_store_at_once_seed_it_once(tmp_path: Path) -> None:
    spawn = mp.get_context("spawn")  # fresh interpreters, like Voilà's kernels
    ready, results = spawn.Barrier(PAGES), spawn.Queue()
    pages = [
        spawn.Process(target=_open_as_a_page, args=(str(tmp_path), ready, results))
        for _ in range(PAGES)
    ]
    for page in pages:
        page.start()
    for page in pages:
        page.join(120)
    seen = [results.get(timeout=5) for _ in pages]
    assert seen == [len(DEMO_PEOPLE)] * PAGES  # no error, and never a half-seeded store
    store = Store(f"sqlite:///{tmp_path / 'training.sqlite'}")
    try:
        assert sorted(p.name for p in store.people()) == sorted(n for n, _r, _t in DEMO_PEOPLE)
        audits = store.audits_for(trainer(store), include_demo=True)
        assert len(audits) == 2 * len(example_cases().cases)  # to walk through, and completed
    finally:
        store.close()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".training-seed")]
