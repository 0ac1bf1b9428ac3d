"""The plugin ``tests/support/handler_errors.py``: a callback's exception that the toolkit (or
ipywidgets) logged and swallowed fails the test that clicked, unless the test expects it.

Each case runs pytest in a subprocess (``pytester``), so that the exceptions the inner tests
provoke are not logged inside this test's own call phase.
"""

from __future__ import annotations

import re

import pytest

pytest_plugins = ["pytester"]

INNER_TESTS = '''
import ipywidgets as w
import pytest

from toolkit.ui.safe import MessageBar, guarded


def clicked(handler):
    """A button whose click runs ``handler`` as the apps wire one: through ``guarded``."""
    messages = MessageBar()
    button = w.Button()
    button.on_click(guarded(messages)(handler))
    button.click()
    return messages


def broken(_button):
    raise KeyError("area_7")


def test_a_handler_that_raises():
    messages = clicked(broken)
    assert "Something went wrong" in messages.value  # the page is fine: only the log says


@pytest.mark.handler_exception(raises=KeyError)
def test_a_handler_that_raises_on_purpose():
    clicked(broken)


@pytest.mark.handler_exception(raises=KeyError)
def test_a_handler_marked_that_does_not_raise():
    clicked(lambda _button: None)


@pytest.mark.handler_exception(raises=ValueError)
def test_a_handler_that_raises_another_exception_than_the_marked_one():
    clicked(broken)


def test_an_unguarded_handler_that_raises():
    button = w.Button()
    button.on_click(broken)
    button.click()  # ipywidgets logs a warning and carries on


def test_a_handler_that_works():
    assert clicked(lambda _button: None).value == ""
'''


_OUTCOMES: dict[str, tuple[str, str]] = {}


@pytest.fixture
def outcomes(pytester: pytest.Pytester) -> dict[str, tuple[str, str]]:
    """Each inner test's outcome and report text, by test name (the inner run is made once
    for the module)."""
    if _OUTCOMES:
        return _OUTCOMES
    pytester.makeini(
        """
        [pytest]
        addopts = --strict-markers -p no:cacheprovider
        markers =
            handler_exception(raises): the test provokes a callback exception on purpose
        """
    )
    pytester.makepyfile(test_inner=INNER_TESTS)
    result = pytester.runpytest_subprocess("-p", "tests.support.handler_errors", "-rA")
    # each failure's report begins with a line "____ test_name ____"
    sections = re.split(r"^_{3,} (\w+) _{3,}$", result.stdout.str(), flags=re.MULTILINE)
    reports = dict(zip(sections[1::2], sections[2::2], strict=True))
    for line in result.stdout.lines:
        for outcome in ("PASSED", "FAILED"):
            if line.startswith(outcome + " test_inner.py::"):
                name = line.split("::", 1)[1].split(" ", 1)[0]
                _OUTCOMES[name] = (outcome, reports.get(name, ""))
    return _OUTCOMES


def test_a_test_whose_handler_raises_fails_with_the_logged_traceback(outcomes) -> None:
    outcome, text = outcomes["test_a_handler_that_raises"]
    assert outcome == "FAILED"
    assert "were logged and swallowed" in text
    assert "callback broken failed" in text
    assert "KeyError: 'area_7'" in text
    assert 'raise KeyError("area_7")' in text  # the traceback, down to the handler's line


def test_the_marker_lets_an_expected_exception_pass(outcomes) -> None:
    assert outcomes["test_a_handler_that_raises_on_purpose"][0] == "PASSED"
    assert outcomes["test_a_handler_that_works"][0] == "PASSED"


def test_the_marker_fails_a_test_whose_expected_exception_did_not_happen(outcomes) -> None:
    outcome, text = outcomes["test_a_handler_marked_that_does_not_raise"]
    assert outcome == "FAILED"
    assert "marked handler_exception(raises=KeyError) but no callback logged one" in text


def test_the_marker_expects_only_its_own_exception(outcomes) -> None:
    assert outcomes["test_a_handler_that_raises_another_exception_than_the_marked_one"][0] == (
        "FAILED"
    )


def test_an_exception_ipywidgets_swallowed_fails_too(outcomes) -> None:
    assert outcomes["test_an_unguarded_handler_that_raises"][0] == "FAILED"
