"""Does the environment hold what pyproject.toml asks for, at versions it allows?

tools/install.sh runs this after installing a lock: a lock older than pyproject.toml (a
dependency added or a floor raised without `bash tools/lock.sh`) fails here, naming the
requirement, rather than later as an ImportError in a test or on a council's server.
`pip check` alone cannot see it for the test extras, which nothing installed asks for.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, requires, version

from packaging.requirements import Requirement

PROJECT = "sos-practice-toolkit"


def wanted(requirement: Requirement, extras: list[str]) -> bool:
    """Whether this machine needs the requirement for these extras (or for none)."""
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in extras or [""])


def unmet(extras: list[str]) -> list[str]:
    """Each requirement of the project that the environment does not satisfy, in words."""
    problems = []
    for line in requires(PROJECT) or []:
        requirement = Requirement(line)
        if not wanted(requirement, extras):
            continue
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            problems.append(f"{requirement.name}{requirement.specifier}: not in the lock")
            continue
        if not requirement.specifier.contains(installed, prereleases=True):
            problems.append(f"{requirement.name}{requirement.specifier}: the lock has {installed}")
    return problems


def main(argv: list[str]) -> int:
    problems = unmet(argv)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
