"""The lock: a fresh machine installs what CI tested, and the lock keeps up with pyproject.toml.

run.sh and test.sh install requirements.txt and requirements-test.txt with pip's
--require-hashes (tools/install.sh). These tests read the files only: they fail when someone
adds a dependency or raises a floor in pyproject.toml without `bash tools/lock.sh`, when a
package is locked without its hashes, when the run and test environments would differ, and when
test.sh gains a static check that the pre-commit configuration does not run.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
RUN_LOCK = ROOT / "requirements.txt"
TEST_LOCK = ROOT / "requirements-test.txt"


@dataclass(frozen=True)
class Pin:
    name: str
    version: Version
    marker: Marker | None
    hashes: tuple[str, ...]

    def applies_here(self) -> bool:
        return self.marker is None or self.marker.evaluate()


def pins(lock: Path) -> list[Pin]:
    """Every `name==version ; marker --hash=…` entry of a lock written by tools/lock.sh."""
    found = []
    for entry in lock.read_text(encoding="utf-8").replace("\\\n", " ").splitlines():
        entry = entry.strip()
        if not entry or entry.startswith(("#", "-")):
            continue
        requirement = Requirement(entry.split(" --hash=")[0])
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{lock.name}: {entry[:60]} is not pinned with =="
        found.append(
            Pin(
                canonicalize_name(requirement.name),
                Version(specifier.version),
                requirement.marker,
                tuple(re.findall(r"--hash=sha256:([0-9a-f]{64})", entry)),
            )
        )
    return found


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def asked_for(lock: Path) -> list[Requirement]:
    """What pyproject.toml asks that lock to hold: the run lock the dependencies and the build
    backend, the test lock every extra as well."""
    project = pyproject()
    lines = project["project"]["dependencies"] + project["build-system"]["requires"]
    if lock == TEST_LOCK:
        for extra in project["project"]["optional-dependencies"].values():
            lines += extra
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize("lock", [RUN_LOCK, TEST_LOCK], ids=lambda lock: lock.name)
def test_every_dependency_in_pyproject_is_locked_at_a_version_it_allows(lock: Path) -> None:
    locked = pins(lock)
    problems = []
    for requirement in asked_for(lock):
        name = canonicalize_name(requirement.name)
        mine = [pin for pin in locked if pin.name == name]
        if not any(pin.applies_here() for pin in mine):
            problems.append(f"{requirement}: not locked for this Python and platform")
        problems += [
            f"{requirement}: locked at {pin.version} ({pin.marker})"
            for pin in mine
            if not requirement.specifier.contains(pin.version, prereleases=True)
        ]
    assert not problems, f"{lock.name} is older than pyproject.toml: run bash tools/lock.sh\n" + (
        "\n".join(problems)
    )


@pytest.mark.parametrize("lock", [RUN_LOCK, TEST_LOCK], ids=lambda lock: lock.name)
def test_every_locked_package_and_the_installer_itself_carry_their_hashes(lock: Path) -> None:
    locked = pins(lock)
    assert [pin.name for pin in locked if not pin.hashes] == []
    # the installer and the build backend are locked too: nothing unpinned is fetched
    assert {"pip", "setuptools"} <= {pin.name for pin in locked if pin.applies_here()}
    # one version of each package on any one Python and platform
    here = [pin.name for pin in locked if pin.applies_here()]
    assert sorted(name for name in set(here) if here.count(name) > 1) == []


def test_the_run_and_test_environments_hold_the_same_versions() -> None:
    def versions(lock: Path) -> dict[str, set[Version]]:
        held: dict[str, set[Version]] = {}
        for pin in pins(lock):
            held.setdefault(pin.name, set()).add(pin.version)
        return held

    run, test = versions(RUN_LOCK), versions(TEST_LOCK)
    assert {name: run[name] for name in run if run[name] != test.get(name)} == {}


def test_pre_commit_runs_every_static_check_of_test_sh() -> None:
    """Each `"$VENV/bin/tool" args` that test.sh runs is a pre-commit hook with the same words."""
    script = (ROOT / "test.sh").read_text(encoding="utf-8")
    checks = set()
    for line in re.findall(r'(?<!=)"\$VENV/bin/[^\n]*', script):  # not PY="$VENV/bin/python"
        words = shlex.split(line.replace("$VENV", ".venv"))
        checks.add(" ".join(word for word in words if "${" not in word))
    assert len(checks) >= 3, "ruff check, ruff format --check, nbstripout"
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {repo["repo"] for repo in config["repos"]} == {"local"}, "no download from GitHub"
    assert checks <= {hook["entry"] for hook in hooks}
