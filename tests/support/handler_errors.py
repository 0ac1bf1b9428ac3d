"""A pytest plugin: a test fails when a widget callback's exception was logged and swallowed.

``toolkit.ui.safe.guarded`` and ``toolkit.ui.fields`` catch any exception in a callback, log it
(``log.exception`` on ``toolkit.ui``) and show an apology, so the page never shows a traceback;
ipywidgets' own ``Button.click()`` logs a handler's exception as a warning and carries on. Either
way a test that clicked would pass. This plugin listens during each test's call phase and fails
the test with every logged traceback.

A test that provokes one on purpose says so::

    @pytest.mark.handler_exception(raises=SaveFailed)
    def test_...

and then fails if no such exception was logged (``raises`` may be a class or a tuple of classes;
without it any logged exception is expected). Logged exceptions of other classes still fail it.

Registered from ``tests/conftest.py`` (``pytest_plugins``); the marker is declared in
``pyproject.toml``.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator

import pytest

#: The loggers whose ERROR records with a traceback are swallowed callback exceptions.
TOOLKIT_LOGGER = "toolkit"
#: How ipywidgets' ``CallbackDispatcher`` logs a handler's exception outside IPython.
IPYWIDGETS_CALLBACK_MESSAGE = "Exception in callback"


class SwallowedExceptions(logging.Handler):
    """Collects the records of exceptions a callback wrapper caught and logged."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if is_swallowed_exception(record):
            self.records.append(record)


def is_swallowed_exception(record: logging.LogRecord) -> bool:
    """An ERROR with a traceback from a ``toolkit`` logger, or ipywidgets' callback warning."""
    if not record.exc_info or record.exc_info[0] is None:
        return False
    from_toolkit = record.name == TOOLKIT_LOGGER or record.name.startswith(TOOLKIT_LOGGER + ".")
    if from_toolkit and record.levelno >= logging.ERROR:
        return True
    return str(record.msg).startswith(IPYWIDGETS_CALLBACK_MESSAGE)


def describe(record: logging.LogRecord) -> str:
    """The record's message and its traceback, as the server log would show them."""
    assert record.exc_info is not None
    trace = "".join(traceback.format_exception(*record.exc_info))
    return f"{record.levelname} {record.name}: {record.getMessage()}\n{trace}"


def expected_classes(item: pytest.Item) -> tuple[type[BaseException], ...] | None:
    """The exception classes the test's ``handler_exception`` marker expects; None without it."""
    marker = item.get_closest_marker("handler_exception")
    if marker is None:
        return None
    raises = marker.kwargs.get("raises", marker.args[0] if marker.args else Exception)
    return raises if isinstance(raises, tuple) else (raises,)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    handler = SwallowedExceptions()
    root = logging.getLogger()
    root.addHandler(handler)
    # a logger set above ERROR (or logging.disable) would hide the record from the handler
    toolkit_logger = logging.getLogger(TOOLKIT_LOGGER)
    level = toolkit_logger.level
    if toolkit_logger.getEffectiveLevel() > logging.ERROR:
        toolkit_logger.setLevel(logging.ERROR)
    try:
        result = yield
    except BaseException:
        if handler.records:  # the test failed anyway: show what was swallowed beside it
            text = "\n".join(describe(r) for r in handler.records)
            item.add_report_section("call", "swallowed handler exceptions", text)
        raise
    finally:
        root.removeHandler(handler)
        toolkit_logger.setLevel(level)
    expected = expected_classes(item)
    unexpected = [
        r
        for r in handler.records
        if expected is None or not issubclass(r.exc_info[0], expected)  # type: ignore[index, arg-type]
    ]
    if unexpected:
        pytest.fail(
            f"{len(unexpected)} exception(s) in widget callbacks were logged and swallowed "
            "(mark the test @pytest.mark.handler_exception(raises=...) if it provokes them on "
            "purpose):\n\n" + "\n".join(describe(r) for r in unexpected),
            pytrace=False,
        )
    if expected is not None and not handler.records:
        names = ", ".join(c.__name__ for c in expected)
        pytest.fail(
            f"the test is marked handler_exception(raises={names}) but no callback logged one",
            pytrace=False,
        )
    return result
