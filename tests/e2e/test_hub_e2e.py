"""The toolkit on a real JupyterHub, on loopback, with one PostgreSQL store behind everyone.

Two people log in through the Hub's page in two browser contexts: each is the person the Hub
logged in (never a chosen one), sees only what their role allows, sees what the other saved,
and the change history names who changed what. A stranger cannot open the audit, and no one
can reach another person's server, JupyterLab or a terminal.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.audits import new_audit
from tests.support.browser import field_selector, screenshot
from tests.support.hub import running_hub  # noqa: F401  (the fixture `hub`)
from toolkit.store import NotFound

pytestmark = pytest.mark.e2e

PEOPLE = {
    # username: (name, roles)
    "abe": ("Abe Auditor", ["auditor"]),
    "pat": ("Pat Practitioner", ["practitioner"]),
    "sid": ("Sid Stranger", ["practitioner"]),
}
PREP_SCALE = "self_assessment_difference.scale"
SAVED = ".status-saved"


@pytest.fixture(scope="module")
def world(hub):
    store = hub.store()
    people = {
        u: store.add_person(name, roles, username=u, email=f"{u}@example.org")
        for u, (name, roles) in PEOPLE.items()
    }
    audit = new_audit(store, people["abe"], people["pat"], "LL-HUB-1")
    store.close()
    return {"people": people, "audit": audit}


@pytest.fixture
def as_user(browser, hub):
    """``as_user("pat")``: a new browser context logged in to the Hub as that user."""
    pages = []

    def log_in(username: str):
        pages.append(hub.new_page(browser, username))
        return pages[-1]

    yield log_in
    for page in pages:
        page.context.close()


def open_audit(hub, page, username: str, audit_id: int, ready: str = ".audit-screen") -> None:
    page.goto(hub.render_url(username, query=f"audit={audit_id}"), wait_until="domcontentloaded")
    page.locator(f"{ready} >> visible=true").first.wait_for(timeout=60_000)


def test_two_people_on_the_hub_each_act_as_themselves(hub, world, as_user):
    audit_id = world["audit"].id
    pat = as_user("pat")
    # the Hub's login decides who this is: named in the header, no way to change person
    assert "Pat Practitioner" in pat.locator(".app-header").inner_text()
    assert not pat.locator(".change-person").is_visible()

    open_audit(hub, pat, "pat", audit_id)
    assert "You are the practitioner" in pat.locator(".audit-summary").inner_text()
    prep = pat.locator(field_selector(PREP_SCALE))
    prep.locator(".scale-point-6").click()
    prep.locator(SAVED).wait_for(timeout=15_000)
    # the page's looks at its kernel pass the Hub's authorizer: it does not think itself cut off
    pat.wait_for_timeout(2500)
    assert pat.locator("#sos-connection").is_hidden()
    assert pat.evaluate("document.body.dataset.sosLost") is None
    screenshot(pat, "hub-practitioner-preparation")
    # the auditor's parts are read-only for the practitioner
    pat.click(".section-tab-case_file_health_check")
    rating = pat.locator(field_selector("area_1.auditor_rating"))
    rating.wait_for()
    assert rating.locator(".scale-point-6").is_disabled()

    abe = as_user("abe")
    assert "Abe Auditor" in abe.locator(".app-header").inner_text()
    open_audit(hub, abe, "abe", audit_id)
    assert "You are the auditor" in abe.locator(".audit-summary").inner_text()
    # the practitioner's preparation, saved in the other browser, is there for the auditor…
    abe.click(".section-tab-practitioner_preparation")
    seen = abe.locator(field_selector(PREP_SCALE))
    assert "selected" in seen.locator(".scale-point-6").get_attribute("class")
    # …and is the practitioner's own to change
    assert seen.locator(".scale-point-6").is_disabled()
    abe.click(".section-tab-case_file_health_check")
    mine = abe.locator(field_selector("area_1.auditor_rating"))
    mine.locator(".scale-point-5").click()
    mine.locator(SAVED).wait_for(timeout=15_000)
    screenshot(abe, "hub-auditor-health-check")

    # after a reload the practitioner sees the auditor's rating
    open_audit(hub, pat, "pat", audit_id)
    pat.click(".section-tab-case_file_health_check")
    rating = pat.locator(field_selector("area_1.auditor_rating"))
    assert "selected" in rating.locator(".scale-point-5").get_attribute("class")

    # the change history names the person who made each change
    from toolkit.store import schema

    store = hub.store()
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(schema.changes.c.field_key, schema.changes.c.changed_by).where(
                schema.changes.c.audit_id == audit_id
            )
        ).all()
    store.close()
    by_field = {key: who for key, who in rows}
    people = world["people"]
    assert by_field[PREP_SCALE] == people["pat"].id
    assert by_field["area_1.auditor_rating"] == people["abe"].id


def test_a_stranger_cannot_open_the_audit_nor_become_someone_else(hub, world, as_user):
    audit_id = world["audit"].id
    sid = as_user("sid")
    open_audit(hub, sid, "sid", audit_id, ready=".toolkit-message")
    sid.locator(".audit-home").wait_for()
    assert sid.locator(".audit-screen").count() == 0
    assert "may not open it" in sid.locator(".toolkit-message").inner_text()
    # a made-up query string does not change who this is
    sid.goto(hub.render_url("sid", query=f"audit={audit_id}&user=abe&username=abe&person=1"))
    sid.locator(".audit-home").wait_for(timeout=60_000)
    assert "Sid Stranger" in sid.locator(".app-header").inner_text()
    assert sid.locator(".audit-screen").count() == 0
    screenshot(sid, "hub-stranger-refused")
    # another person's server is not reachable with this login
    response = sid.goto(hub.render_url("abe", query=f"audit={audit_id}"))
    assert response is not None
    assert "Abe Auditor" not in sid.content()
    assert sid.locator(".audit-screen").count() == 0
    # nor are JupyterLab or terminals (Voilà only)
    for path in ("lab", "terminals", "api/terminals"):
        response = sid.goto(f"{hub.url}/user/sid/{path}")
        assert response is not None, path
        assert response.status in (403, 404), path


def test_the_load_benchmarks_light_client_really_logs_in_opens_and_saves(hub, world):
    """benchmarks/hub_client.py stands in for a browser in the Hub benchmark: each of its steps
    must do on the server what the browser's does, or its figures mean nothing."""
    import asyncio
    import sys
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from hub_load import ANSWERS, Who, one_light_person

    store = hub.store()
    try:
        lee = store.person_by_username("lee")  # a rerun finds lee already there
    except NotFound:
        lee = store.add_person("Lee Loadtest", ["auditor"], username="lee")
    audit = new_audit(store, lee, world["people"]["pat"], "LL-HUB-LIGHT")
    person = one_light_person(None, hub, Who("lee", audit.id, think=0))
    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API holds this thread's loop
        timer = thread.submit(asyncio.run, person).result()
    assert {step: len(times) for step, times in timer.times.items()} == {
        "log in": 1, "open audit": 1, "save answer": 6, "next area": 6, "open audit by link": 1,
    }  # fmt: skip
    assert timer.memory_mb > 50  # lee's own server and kernel were running
    # every click saved, in the shared store, and the history names lee
    answers = store.answer_values(audit.id)
    assert {k: v for k, v in answers.items() if k.endswith(".collaborative_scale")} == dict(ANSWERS)
    history = store.history(audit.id, lee)
    assert [(h["field_key"], h["new"], h["changed_by"]) for h in history] == [
        (key, point, lee.id) for key, point in ANSWERS
    ]
    store.close()
