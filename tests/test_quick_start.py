"""Servers started through toolkit.quick_start skip the one costly validator nobody uses, and
keep every other schema check Jupyter relies on."""

from __future__ import annotations

import subprocess
import sys

import pytest

from toolkit import quick_start

PROBE = """
import sys
{prepare}
import jupyter_server.serverapp  # what Voila and a person's server import first
from jsonschema import Draft7Validator, FormatChecker
checker = Draft7Validator.FORMAT_CHECKER
print("loaded" if "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] else "absent")
print("iri" in checker.checkers, checker.conforms("not a date", "date"))
"""


def probe(prepare: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(prepare=prepare)],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return out.stdout.split("\n")


def test_the_server_imports_no_longer_load_the_iri_parser_but_still_check_dates():
    plain = probe("")
    quick = probe(
        "from toolkit.quick_start import skip_unused_validators; skip_unused_validators()"
    )
    assert plain[0] == "loaded"  # the cost being avoided is real in this environment
    assert quick[0] == "absent"
    assert plain[1] == "True False"
    assert quick[1] == "False False"  # only the iri checks are gone; a bad date still fails


def test_an_unknown_server_name_gets_a_usage_message_and_starts_nothing():
    with pytest.raises(SystemExit, match="usage: python -m toolkit.quick_start"):
        quick_start.main(["quick_start", "jupyterlab"])
    assert quick_start.SERVERS.keys() == {"voila", "singleuser"}
