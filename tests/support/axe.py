"""axe-core in the browser tests: WCAG 2.2 AA checks of a page through Playwright.

axe-core comes from the npm registry: ``test.sh`` (or the first test that needs it) runs
``npm install --no-save axe-core@4`` into ``.cache/axe/`` and the script is injected with
``page.add_script_tag``. No serious or critical violation is allowed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO_DIR = Path(__file__).resolve().parents[2]
AXE_DIR = REPO_DIR / ".cache" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")


def axe_script() -> Path:
    """The path of ``axe.min.js``, installed with npm when it is not there yet."""
    if AXE_JS.exists():
        return AXE_JS
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to fetch axe-core (apt-get install -y npm; test.sh does this)")
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            npm,
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(AXE_DIR),
            "axe-core@4",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0 or not AXE_JS.exists():
        pytest.fail(f"npm could not install axe-core: {done.stderr[-2000:]}")
    return AXE_JS


def violations(page: Any) -> list[dict[str, Any]]:
    """axe's serious and critical WCAG 2.2 A/AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(found: list[dict[str, Any]]) -> str:
    """A readable list: rule, impact, help and the first few offending elements."""
    lines = []
    for v in found:
        targets = [json.dumps(n["target"]) for n in v["nodes"][:4]]
        summary = v["nodes"][0].get("failureSummary", "").replace("\n", " ")[:300]
        rule = f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements)"
        lines.append(f"{rule}: {v['help']} — {summary} — {', '.join(targets)}")
    return "\n".join(lines)


def accessible_names(page, roles: set[str]) -> list[tuple[str, str]]:
    """(role, name) of every control with one of ``roles`` in Chromium's accessibility tree:
    what a screen reader announces, whatever the page's markup."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    found = []
    for node in nodes:
        role = node.get("role", {}).get("value")
        if role in roles and not node.get("ignored"):
            found.append((role, node.get("name", {}).get("value", "")))
    return found


def repeated(names: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    return {n: names.count(n) for n in set(names) if names.count(n) > 1}
