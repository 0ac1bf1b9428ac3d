"""Every process the tests start imports this checkout's toolkit (``tests/conftest.py`` puts it
first on ``PYTHONPATH``): a worktree's Voilà server, kernels and commands never run another
checkout's code, whichever folder they start in and whatever the virtual environment holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]


def test_a_process_started_anywhere_imports_this_checkouts_toolkit(tmp_path: Path) -> None:
    # first on the path, ahead of an editable install of another checkout in the same venv
    assert os.environ["PYTHONPATH"].split(os.pathsep)[0] == str(REPO_DIR)
    found = subprocess.run(
        [sys.executable, "-c", "import toolkit; print(toolkit.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(found).resolve() == REPO_DIR / "toolkit" / "__init__.py"
