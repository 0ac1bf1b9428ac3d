"""Driving a page with the keyboard alone: Tab and Shift+Tab to move, keys to choose."""

from __future__ import annotations


def tab_to(page, selector: str, backwards: bool = False, limit: int = 400) -> None:
    """Press Tab (or Shift+Tab) until the focused element is, or is inside, ``selector``."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(
            "(s) => !!(document.activeElement && document.activeElement.closest(s))", selector
        ):
            return
    raise AssertionError(f"{key} never reached {selector}")


SELECTED_JS = (
    "(s) => { const e = document.querySelector(s); return e.options[e.selectedIndex]?.text || ''; }"
)


def _plain(text: str) -> str:
    return text.replace("\xa0", " ")  # ipywidgets draws an option's spaces as no-break spaces


def choose_with_keys(page, selector: str, text: str) -> None:
    """In the focused ``<select>``, type ``text``'s first word (the browser's type-ahead; a
    space would open the list), then move with the arrow keys until the chosen option begins
    with ``text``: type-ahead forgets what was typed after a pause, so on a busy machine it can
    land on a neighbour ("Pia" for "Priya")."""
    page.keyboard.type(text.split(" ")[0])
    options = [
        _plain(o)
        for o in page.eval_on_selector(selector, "(e) => Array.from(e.options, (o) => o.text)")
    ]
    wanted = [i for i, o in enumerate(options) if o.startswith(text)]
    assert wanted, f"no option of {selector} begins with {text!r}: {options}"
    for _ in range(len(options)):
        chosen = _plain(page.evaluate(SELECTED_JS, selector))
        if chosen.startswith(text):
            return
        now = options.index(chosen) if chosen in options else -1
        page.keyboard.press("ArrowDown" if now < wanted[0] else "ArrowUp")
    raise AssertionError(f"the keys never chose {text!r} in {selector}")
