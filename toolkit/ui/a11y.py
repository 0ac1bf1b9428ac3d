"""What the widgets cannot tell a screen reader themselves (the toolkit's own rules, WCAG 2.2
2.4.3 focus order, 2.4.6 and 4.1.2 names).

ipywidgets draws a button's name from its text ("4", "Open") and has no way to set an
``aria-label`` or to move focus to a heading. So one small script, loaded with the stylesheet
(``stylesheet()``), watches the page and:

- gives every button marked by :func:`name_button` its tooltip as its accessible name, so the
  eleven "4"s of a screen become "Collaborative scale: 4" and each "Open" names its record;
- keeps a checkbox's hover text equal to its whole name when the label shows a short word and
  :func:`hidden_text` holds the whole name a screen reader says ("Asked: What else did you
  notice?");
- moves focus to an element drawn with :data:`TAKE_FOCUS` when it appears (a stepper's new
  step heading), instead of leaving it on the page body.

Voilà serves no static files of ours, so the script runs from an image that cannot load
(``data:,``): the page runs the image's ``onerror`` once, the script guards against a second
copy.
"""

from __future__ import annotations

import ipywidgets as w

from toolkit.core.html import esc

#: Classes and attributes of a heading that takes the focus when it is drawn.
TAKE_FOCUS = 'class="take-focus" tabindex="-1"'

SCRIPT = """(function () {
  if (window.toolkitA11y) { return; }
  window.toolkitA11y = true;
  function name(root) {
    root.querySelectorAll('button.named-by-tooltip[title]').forEach(function (b) {
      var said = b.getAttribute('title');
      if (said && b.getAttribute('aria-label') !== said) { b.setAttribute('aria-label', said); }
    });
    root.querySelectorAll('.widget-checkbox label .visually-hidden').forEach(function (s) {
      var label = s.closest('label');
      var whole = s.textContent.replace(/\\s+/g, ' ').trim();
      [label].concat(Array.from(label.querySelectorAll('[title]'))).forEach(function (e) {
        var title = e.getAttribute('title');
        if (title && title !== whole) { e.setAttribute('title', whole); }
      });
    });
  }
  new MutationObserver(function (records) {
    var target = null;
    records.forEach(function (r) {
      r.addedNodes.forEach(function (n) {
        if (n.nodeType !== 1) { return; }
        var found = n.matches('.take-focus') ? n : n.querySelector('.take-focus');
        if (found) { target = found; }
      });
    });
    name(document);
    if (target && target.isConnected) { target.focus(); }
  }).observe(document.body,
    {subtree: true, childList: true, attributes: true, attributeFilter: ['title', 'class']});
  name(document);
})();"""

#: The markup that runs :data:`SCRIPT` once on the page.
SCRIPT_MARKUP = f'<img src="data:," alt="" hidden class="toolkit-a11y" onerror="{esc(SCRIPT)}">'

#: Text kept off screen but read by screen readers (the same rule as a hidden label).
HIDDEN_CSS = """
.visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; margin: 0;
  padding: 0; }
.toolkit-app .take-focus:focus { outline: 3px solid #1d4f91; outline-offset: 2px; }
.grade-mark { display: inline-block; }
.grade-mark.grade-inadequate { white-space: nowrap; color: #b00020; font-weight: 700;
  border: 2px solid #b00020; border-radius: 4px; padding: 0 4px; }
.grade-mark.grade-none { color: #555; font-style: italic; }
/* the area pager is tabs, not a scale: outlined, squared, with "Area" before it */
.toolkit-app .area-nav button.area-tab { background: #fff; color: #1d4f91;
  border: 2px solid #1d4f91; border-radius: 6px 6px 0 0; height: 30px; font-size: 14px; }
.toolkit-app .area-nav button.area-tab.current { background: #1d4f91; color: #fff; }
"""


def named_button(name: str, *classes: str, **options: object) -> w.Button:
    """A new button that says ``name`` (as :func:`name_button`), its name and CSS classes given
    as it is made: one message to the page instead of one per class (a scale's eleven points
    are 11 messages, not 55)."""
    return w.Button(tooltip=name, _dom_classes=("named-by-tooltip", *classes), **options)


def name_button(button: w.Button, name: str) -> w.Button:
    """Say ``name`` for ``button`` (its tooltip, and its accessible name), whatever its text."""
    button.tooltip = name
    button.add_class("named-by-tooltip")
    return button


def hidden_text(text: str) -> str:
    """Markup for words a screen reader says and the screen does not show."""
    return f'<span class="visually-hidden">{esc(text)}</span>'


def shown_and_said(shown: str, said: str) -> str:
    """Markup for a label the screen shows as ``shown`` and a screen reader says as ``said``
    (a checkbox's "Asked" that is "Asked: <the prompt>" to a screen reader)."""
    return f'<span aria-hidden="true">{esc(shown)}</span>' + hidden_text(said)


def grade_mark(grade: str | None) -> str:
    """A grade in a list, in words: Inadequate carries a warning sign and a border as well as
    its colour, so it never looks like Good (WCAG 1.4.1, use of colour)."""
    if not grade:
        return '<span class="grade-mark grade-none">Not yet graded</span>'
    css = "grade-" + grade.lower().replace(" ", "-")
    sign = '<span aria-hidden="true">⚠ </span>' if grade == "Inadequate" else ""
    return f'<span class="grade-mark {esc(css)}">{sign}{esc(grade)}</span>'
