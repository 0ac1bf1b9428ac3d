"""On the run command each browser keeps its own chosen person: two browsers on one server, a
reload, a new tab, a new browser, an edited cookie and the demonstration, in headless Chromium
against Voilà started as ``python -m toolkit serve`` starts it."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import open_app, screenshot, sign_in
from toolkit.store import chosen_people

pytestmark = pytest.mark.e2e

AUDITOR = "Priya Okafor-Lund"
PRACTITIONER = "Sam Achterberg"
OTHER_AUDITOR = "Dominic Vashti"
TRAINER = "Trainer (demonstration)"
DEMO_PRACTITIONER = "Practitioner (demonstration)"
OPENED = ".audit-home, .person-picker"


@pytest.fixture
def browsers(browser) -> Iterator[Any]:
    """Opens a new browser (a Playwright context: its own cookies) on demand; all closed after."""
    contexts: list[Any] = []

    def new_browser(cookies: list[dict] | None = None) -> Any:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        context.set_default_timeout(30_000)
        if cookies:
            context.add_cookies(cookies)
        contexts.append(context)
        return context.new_page()

    try:
        yield new_browser
    finally:
        for context in contexts:
            context.close()


def signed_in(page: Any) -> str:
    """Who the page's header names, once the page shows the home screen or the picker."""
    page.locator(OPENED).first.wait_for(timeout=60_000)
    return page.locator(".app-header .who").inner_text()


def reopen(page: Any, server: Any, query: str = "") -> str:
    """Load the page again (a new kernel: the person comes from the browser's cookie)."""
    open_app(page, server, query=query, selector=OPENED)
    return signed_in(page)


def person_cookie(page: Any) -> dict:
    (cookie,) = [c for c in page.context.cookies() if c["name"].startswith("sos_person_")]
    return cookie


def test_two_browsers_keep_their_own_person_across_reloads_and_tabs(browsers, voila_server):
    a = browsers()
    assert reopen(a, voila_server) == "Nobody signed in"  # a new browser: the picker
    assert a.locator(".person-picker").is_visible()
    screenshot(a, "person-per-browser-1-new-browser")
    sign_in(a, AUDITOR)
    b = browsers()
    assert reopen(b, voila_server) == "Nobody signed in"  # not whoever A chose
    sign_in(b, PRACTITIONER)

    assert reopen(a, voila_server) == f"Signed in as {AUDITOR}"  # A reloads: still the auditor
    assert reopen(b, voila_server) == f"Signed in as {PRACTITIONER}"
    tab = a.context.new_page()  # a new tab in A
    assert reopen(tab, voila_server) == f"Signed in as {AUDITOR}"
    screenshot(a, "person-per-browser-2-reloaded")

    c = browsers()  # a third browser sees the picker
    assert reopen(c, voila_server) == "Nobody signed in"
    assert c.locator(".person-picker select option", has_text=AUDITOR).count() == 1

    cookie = person_cookie(a)
    assert cookie["httpOnly"]
    assert cookie["sameSite"] == "Strict"
    person_id = next(p.id for p in voila_server.store().people() if p.name == AUDITOR)
    assert cookie["value"] != str(person_id)
    assert len(cookie["value"]) >= 43
    edited = cookie["value"][:-1] + ("A" if cookie["value"][-1] != "A" else "B")
    for forged in (edited, str(person_id)):
        d = browsers([{**cookie, "value": forged}])
        assert reopen(d, voila_server) == "Nobody signed in", forged

    sign_in(a, OTHER_AUDITOR)  # "Change person" in A changes A alone
    assert reopen(b, voila_server) == f"Signed in as {PRACTITIONER}"
    assert reopen(a, voila_server) == f"Signed in as {OTHER_AUDITOR}"
    assert person_cookie(a)["value"] == cookie["value"]  # the same browser, the same token


def test_the_demonstration_keeps_its_own_choice_in_each_browser(browsers, voila_server):
    page = browsers()
    reopen(page, voila_server)
    sign_in(page, AUDITOR)
    assert reopen(page, voila_server, "mode=demo") == "Nobody signed in"  # its own register
    sign_in(page, TRAINER)
    other = browsers()  # a second browser in the demonstration
    assert reopen(other, voila_server, "mode=demo") == "Nobody signed in"
    sign_in(other, DEMO_PRACTITIONER)
    assert reopen(page, voila_server, "mode=demo") == f"Signed in as {TRAINER}"
    assert reopen(page, voila_server) == f"Signed in as {AUDITOR}"  # live: its live choice
    assert reopen(other, voila_server) == "Nobody signed in"


def _get(url: str, cookie: str = "") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), b""


def test_a_ticket_sets_a_strict_http_only_cookie_once_and_a_bad_one_is_refused(voila_server):
    data = voila_server.data_dir
    person_id = next(p.id for p in voila_server.store().people() if p.name == AUDITOR)
    url = f"{voila_server.url}/{chosen_people.CHOOSE_PERSON_PATH}?ticket="
    ticket = chosen_people.new_ticket(person_id, False, data)

    status, headers, body = _get(url + ticket)
    assert status == 200
    assert headers["Content-Type"] == "image/gif"
    assert body.startswith(b"GIF")
    cookie = headers["Set-Cookie"]
    name = chosen_people.cookie_name(data)
    token = cookie.split(";")[0].removeprefix(f"{name}=")
    assert cookie.startswith(f"{name}=")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Path=/" in cookie
    assert "Max-Age=" in cookie
    assert chosen_people.chosen_person_id(token, False, data) == person_id

    for bad in (ticket, "made-up", str(person_id)):  # used, invented, a person's id
        status, headers, _ = _get(url + bad, cookie=f"{name}={token}")
        assert status == 403, bad
        assert "Set-Cookie" not in headers, bad
    assert chosen_people.chosen_person_id(token, False, data) == person_id  # nothing changed
    assert "Refused a person choice" in voila_server.log()
