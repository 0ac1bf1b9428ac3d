"""The toolkit's command line as an administrator runs it (import with
``from tests.support.commands import toolkit``): ``python -m toolkit ARGS`` in a process of its
own, from the repository."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]


def toolkit(env: dict, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run ``python -m toolkit ARGS`` with exactly ``env``; its output is captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
