"""The audit app in headless Chromium against a real Voilà server.

An auditor completes a whole audit, reloads and finds everything; the server is killed in the
middle of an audit and everything that showed as saved is there after a restart; HTML typed by
users shows as text; every screen fits 1366×768 without sideways scrolling.
"""

from __future__ import annotations

import pytest

from tests.support.browser import field_selector, open_app, screenshot, sign_in, wait_for_stored

AUDITOR = "Priya Okafor-Lund"
PRACTITIONER = "Grace Mbeki-Thorne"
SAVED = ".status-saved"
pytestmark = pytest.mark.e2e


field = field_selector


def type_into(page, key: str, text: str) -> None:
    box = page.locator(field(key))
    box.locator("textarea, input[type=text]").first.fill(text)
    box.locator(SAVED).wait_for(timeout=15_000)


def scale(page, key: str, point: int) -> None:
    box = page.locator(field(key))
    box.locator(f".scale-point-{point}").click()
    box.locator(SAVED).wait_for(timeout=15_000)


def start_audit(page, child_id: str) -> int:
    page.fill(".start-child-id input", child_id)
    select = page.locator(".start-practitioner select")
    select.select_option(
        value=select.locator("option", has_text=PRACTITIONER).first.get_attribute("value")
    )
    page.click(".start-audit")
    page.locator(".audit-screen").wait_for()
    summary = page.locator(".audit-summary").inner_text()
    return int(summary.split("Audit #")[1].split()[0])


def test_auditor_completes_a_whole_audit_and_finds_it_after_reload(page, voila_server):
    open_app(page, voila_server)
    sign_in(page, AUDITOR)
    audit_id = start_audit(page, "LL-E2E-001")

    page.fill(field("audit_dates.referral_received") + " input[type=date]", "2026-09-14")
    page.locator(field("audit_dates.referral_received") + " " + SAVED).wait_for()
    page.click(".section-tab-case_file_health_check")
    scale(page, "area_1.auditor_rating", 6)
    type_into(page, "area_1.strengths", "Professional involvements all listed and current.")

    page.click(".section-tab-areas_of_practice")
    scale(page, "area_6.collaborative_scale", 7)
    type_into(page, "area_6.signs_of_impact", "Family's words in the plan, uploaded 01/09/26.")
    type_into(
        page,
        "area_6.auditor_rationale",
        "Mother could say why we are involved; agreed with the practitioner.",
    )
    page.click(".area-next")
    page.locator(field("area_7.collaborative_scale")).wait_for()
    scale(page, "area_7.collaborative_scale", 4)
    page.click(".area-tab-area_19")
    scale(page, "area_19.auditor_rating", 5)

    page.click(".section-tab-audit_outcome")
    scale(page, "overall.overall_rating", 6)
    assert "Good" in page.locator(".overall-grade").inner_text()
    assert (
        "3 of 19 areas scaled" in page.locator(".area-profile").inner_text()
        or "4 of 19" in page.locator(".area-profile").inner_text()
    )
    type_into(
        page, "overall.signs_of_impact", "Safety plan understood by the family; network active."
    )
    page.click(".action-add")
    row = page.locator(".action-row").first
    row.locator(".action-what textarea").fill("Share the family's plan at the staff conference")
    row.locator(".field-status .status-saved").wait_for()
    row.locator(".action-who input").fill("Grace")
    row.locator(".action-due input[type=date]").fill("2026-12-04")
    store = voila_server.store()
    wait_for_stored(
        lambda: [(a["who"], str(a["due"])) for a in store.actions(audit_id)],
        lambda actions: actions == [("Grace", "2026-12-04")],
        f"audit {audit_id}'s action for Grace due 2026-12-04",
    )
    page.click(".complete-audit")
    confirm = page.locator(".complete-confirm")  # asked first, with what is unanswered
    confirm.wait_for(timeout=15_000)
    for box in confirm.locator(".skip-reason input").all():
        box.fill("Not covered in this test audit.")
    confirm.locator(".confirm-complete").click()
    page.locator(".audit-state", has_text="Complete").wait_for(timeout=15_000)

    # a refresh starts a new kernel: everything must come back from the store
    page.reload()
    open_app(page, voila_server, query=f"audit={audit_id}", selector=".audit-screen")
    assert "Complete" in page.locator(".audit-summary").inner_text()
    assert (
        page.locator(field("audit_dates.referral_received") + " input[type=date]").input_value()
        == "2026-09-14"
    )
    page.click(".section-tab-areas_of_practice")
    assert "selected" in page.locator(
        field("area_6.collaborative_scale") + " .scale-point-7"
    ).get_attribute("class")
    assert (
        page.locator(field("area_6.auditor_rationale") + " textarea")
        .input_value()
        .startswith("Mother could say")
    )
    page.click(".section-tab-audit_outcome")
    assert "selected" in page.locator(
        field("overall.overall_rating") + " .scale-point-6"
    ).get_attribute("class")
    assert (
        page.locator(".action-row .action-what textarea")
        .input_value()
        .startswith("Share the family")
    )
    assert page.locator(".action-row .action-due input").input_value() == "2026-12-04"

    values = store.answer_values(audit_id)
    assert values["area_6.collaborative_scale"] == 7
    assert values["overall.overall_rating"] == 6
    assert store.audit(audit_id).state == "complete"
    assert store.actions(audit_id)[0]["who"] == "Grace"


def test_killed_server_loses_nothing_that_showed_as_saved(page, voila_server):
    open_app(page, voila_server)
    sign_in(page, AUDITOR)
    audit_id = start_audit(page, "LL-E2E-KILL")
    page.click(".section-tab-areas_of_practice")
    page.click(".area-tab-area_9")
    scale(page, "area_9.collaborative_scale", 3)
    type_into(page, "area_9.strengths", "Plan names who does what by when.")
    type_into(page, "area_9.auditor_rationale", "Written before the crash.")

    voila_server.kill()
    voila_server.restart()
    page.goto(voila_server.render_url(query=f"audit={audit_id}"))
    page.locator(".audit-screen").wait_for(timeout=60_000)
    page.click(".section-tab-areas_of_practice")
    page.click(".area-tab-area_9")
    assert "selected" in page.locator(
        field("area_9.collaborative_scale") + " .scale-point-3"
    ).get_attribute("class")
    assert (
        page.locator(field("area_9.strengths") + " textarea").input_value()
        == "Plan names who does what by when."
    )
    assert (
        page.locator(field("area_9.auditor_rationale") + " textarea").input_value()
        == "Written before the crash."
    )


def test_html_typed_by_users_shows_as_text_and_never_runs(page, voila_server):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_app(page, voila_server)
    sign_in(page, AUDITOR)
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    before = voila_server.store().count_audits()
    page.fill(".start-child-id input", payload)
    select = page.locator(".start-practitioner select")
    select.select_option(
        value=select.locator("option", has_text=PRACTITIONER).first.get_attribute("value")
    )
    page.click(".start-audit")
    error = page.locator(".toolkit-message .msg-error")
    error.wait_for()
    assert "cannot be one" in error.inner_text()
    assert payload[:20] in error.inner_text()
    assert voila_server.store().count_audits() == before  # nothing created

    audit_id = start_audit(page, "LL-E2E-HTML")
    page.click(".section-tab-areas_of_practice")
    type_into(page, "area_6.auditor_rationale", payload)
    page.reload()
    open_app(page, voila_server, query=f"audit={audit_id}", selector=".audit-screen")
    page.click(".section-tab-areas_of_practice")
    assert page.locator(field("area_6.auditor_rationale") + " textarea").input_value() == payload
    assert voila_server.store().answer_values(audit_id)["area_6.auditor_rationale"] == payload
    assert page.locator(".audit-app img[src=x]").count() == 0
    page.wait_for_timeout(500)
    assert dialogs == []


SECTIONS = [
    "case_demographics",
    "practitioner_preparation",
    "case_file_health_check",
    "areas_of_practice",
    "feedback",
    "audit_outcome",
]


def test_every_screen_fits_1366_wide_and_is_captured(page, voila_server):
    open_app(page, voila_server)
    sign_in(page, AUDITOR)
    screenshot(page, "audit-home")
    widths = {"home": page.evaluate("document.documentElement.scrollWidth")}
    page.locator(".open-audit").first.click()
    page.locator(".audit-screen").wait_for()
    for number, section in enumerate(SECTIONS, start=1):
        page.click(f".section-tab-{section}")
        page.locator(f".showing-{section}").wait_for()
        page.wait_for_timeout(300)
        widths[section] = page.evaluate("document.documentElement.scrollWidth")
        screenshot(page, f"audit-section-{number}-{section}")
    assert all(width <= 1366 for width in widths.values()), widths
