"""Proof in a real browser against a real Voilà server: the server killed while saves stream in,
two people editing one audit at once, script and HTML typed into every free-text field, a
notebook that raises, and an idle kernel culled and the work reopened where it was."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect

from tests.e2e.test_audit_e2e import AUDITOR, PRACTITIONER, field, sign_in
from tests.support.browser import open_app, screenshot
from tests.support.voila import start_voila_server
from toolkit.forms.loader import registry
from toolkit.forms.models import FieldKind

pytestmark = pytest.mark.e2e
FORM = "collaborative_case_audit"


def new_audit(server, child_id: str) -> int:
    store = server.store()
    people = {p.name: p for p in store.people()}
    audit = store.create_audit(
        registry().latest(FORM),
        child_id=child_id,
        auditor=people[AUDITOR],
        practitioner=people[PRACTITIONER],
        created_by=people[AUDITOR],
    )
    return audit.id


def open_audit(page, server, audit_id: int, name: str = AUDITOR) -> None:
    open_app(page, server, selector=".audit-home, .person-picker, .audit-screen")
    sign_in(page, name)
    open_app(page, server, query=f"audit={audit_id}", selector=".audit-screen")


# --- the server killed while saves are streaming -------------------------------------------------


def test_killed_while_saving_everything_shown_saved_is_stored_whole(page, voila_server):
    audit_id = new_audit(voila_server, "LL-KILL-002")
    open_audit(page, voila_server, audit_id)
    page.click(".section-tab-case_file_health_check")
    page.locator(field("area_5.auditor_rating")).wait_for()
    areas = [f"area_{n}" for n in range(1, 6)]
    scales = [f"{a}.auditor_rating" for a in areas]
    texts = [f"{a}.strengths" for a in areas] + [f"{a}.areas_to_develop" for a in areas]
    sent: dict[str, list] = {k: [] for k in scales + texts}
    rng = random.Random(7)

    killer = threading.Timer(2.5, voila_server.kill)  # SIGKILL: server and kernel, mid-stream
    killer.start()
    try:
        deadline = time.monotonic() + 6
        i = 0
        while time.monotonic() < deadline:
            i += 1
            key = rng.choice(scales + texts)
            box = page.locator(field(key))
            if key in scales:
                point = rng.randint(0, 10)
                box.locator(f".scale-point-{point}").click(timeout=2000, no_wait_after=True)
                sent[key].append(point)
            else:
                text = f"Answer {i} for {key}: " + "detail " * rng.randint(1, 40)
                box.locator("textarea").fill(text, timeout=2000)
                sent[key].append(text)
            page.wait_for_timeout(rng.choice([0, 20, 60]))
    except Exception:  # noqa: BLE001 - the page stops answering once the server is gone
        pass
    finally:
        killer.join()
    page.wait_for_timeout(1000)

    shown = {}
    for key in scales + texts:
        box = page.locator(field(key))
        status = box.locator(".field-status span")
        label = status.inner_text() if status.count() else ""
        revision = int(status.get_attribute("data-revision") or 0) if status.count() else 0
        if key in scales:
            selected = box.locator(".scale-point.selected")
            value = int(selected.inner_text()) if selected.count() else None
        else:
            value = box.locator("textarea").input_value() or None
        shown[key] = (label, revision, value)
    screenshot(page, "killed-while-saving")
    assert sum(len(v) for v in sent.values()) >= 10, "too few saves were streamed before the kill"

    voila_server.restart()
    db = voila_server.data_dir / "toolkit.sqlite"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = voila_server.store()
    answers = store.answers(audit_id)
    confirmed = 0
    for key, (label, revision, value) in shown.items():
        stored = answers.get(key, None)
        if stored is not None and stored.value is not None:
            assert stored.value in sent[key], (
                f"{key}: {stored.value!r} was never sent: half-written?"
            )
        if "Saved" in label:
            confirmed += 1
            # the save the page confirmed is in the store (a later one may be too)
            assert stored is not None, (key, label, revision)
            assert stored.revision >= revision, (key, label, revision)
            if key in scales:  # a scale shows what the kernel holds: exactly what is stored
                assert stored.value == value, f"{key} showed {value!r} Saved; stored {stored!r}"
            elif stored.value != value:
                # text typed after the last confirmed save, which the kernel never processed:
                # the box is ahead of the kernel; what it confirmed is stored, whole
                assert sent[key].index(stored.value) < sent[key].index(value), key
    assert confirmed >= 3, shown
    # the change log agrees with the answers: nothing written to one and not the other
    history = store.history(audit_id, store.person(store.audit(audit_id).auditor_id))
    last_logged = {}
    for change in history:
        last_logged[change["field_key"]] = change["new"]
    for key, answer in answers.items():
        if key in sent:
            assert last_logged.get(key) == answer.value, key


# --- two people in one audit ----------------------------------------------------------------------


def test_two_people_editing_at_once_keep_both_and_nothing_is_overwritten(browser, voila_server):
    audit_id = new_audit(voila_server, "LL-TWO-003")
    contexts = [browser.new_context(viewport={"width": 1366, "height": 768}) for _ in range(2)]
    first, second = (c.new_page() for c in contexts)
    try:
        for page in (first, second):
            open_audit(page, voila_server, audit_id)
            page.click(".section-tab-areas_of_practice")
            page.locator(field("area_6.strengths")).wait_for()
        # different fields: both kept
        first.locator(field("area_6.strengths") + " textarea").fill("Strengths, from the first")
        first.locator(field("area_6.strengths") + " .status-saved").wait_for()
        second.locator(field("area_6.areas_to_develop") + " textarea").fill("To develop, second")
        second.locator(field("area_6.areas_to_develop") + " .status-saved").wait_for()
        store = voila_server.store()
        values = store.answer_values(audit_id)
        assert values["area_6.strengths"] == "Strengths, from the first"
        assert values["area_6.areas_to_develop"] == "To develop, second"

        # the same field: the second loaded it before the first saved
        box = second.locator(field("area_6.strengths"))
        box.locator("textarea").fill("Strengths, from the second")
        conflict = box.locator(".status-conflict")
        conflict.wait_for(timeout=15_000)
        message = conflict.inner_text()
        assert "changed this answer after you opened it" in message
        assert "Strengths, from the second" in message  # their own text quoted back
        assert "Their text: “Strengths, from the first”" in message
        assert box.locator("textarea").input_value() == "Strengths, from the second"
        screenshot(second, "concurrent-conflict")
        assert store.answer_values(audit_id)["area_6.strengths"] == "Strengths, from the first"
        history = [
            c
            for c in store.history(audit_id, store.person(store.audit(audit_id).auditor_id))
            if c["field_key"] == "area_6.strengths"
        ]
        assert [c["new"] for c in history] == ["Strengths, from the first"]

        # having chosen to see theirs, the second person's edit now saves over it knowingly
        box.locator(".take-theirs").click()
        box.locator(".status-theirs").wait_for()
        assert box.locator("textarea").input_value() == "Strengths, from the first"
        box.locator("textarea").fill("Strengths, agreed by both")
        box.locator(".status-saved").wait_for()
        assert store.answer_values(audit_id)["area_6.strengths"] == "Strengths, agreed by both"
        # the same scale point chosen by both at once is no conflict: nothing is lost
        for page in (first, second):
            page.locator(field("area_6.collaborative_scale") + " .scale-point-6").click()
        for page in (first, second):
            page.locator(field("area_6.collaborative_scale") + " .status-saved").wait_for()
        assert store.answer_values(audit_id)["area_6.collaborative_scale"] == 6
    finally:
        for context in contexts:
            context.close()


def test_two_people_typing_into_one_field_at_once_are_never_merged(browser, voila_server):
    """Both type about ten characters a second into the same empty field: what is stored is
    one person's whole text; the other's every keystroke is refused with their whole text
    quoted back; one history entry; and when the other carries on from the stored text, the
    first person's page says so, with the new text, within seconds."""
    audit_id = new_audit(voila_server, "LL-TYPE-005")
    key = "area_7.strengths"
    contexts = [browser.new_context(viewport={"width": 1366, "height": 768}) for _ in range(2)]
    pages = [c.new_page() for c in contexts]
    texts = ["Mum keeps every appointment", "Dad walks Jo to school each"]
    try:
        for page in pages:
            open_audit(page, voila_server, audit_id)
            page.click(".section-tab-areas_of_practice")
            page.click(".area-tab-area_7")
            page.locator(field(key) + " textarea").wait_for()
        boxes = [page.locator(field(key)) for page in pages]
        for box in boxes:
            box.locator("textarea").click()
        assert len(texts[0]) == len(texts[1])
        for i in range(len(texts[0])):  # interleaved: each types a key every ~100 ms
            for page, text in zip(pages, texts, strict=True):
                page.keyboard.type(text[i])
            time.sleep(0.05)
        store = voila_server.store()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and store.answer_values(audit_id).get(key) not in texts:
            time.sleep(0.2)
        stored = store.answer_values(audit_id).get(key)
        assert stored in texts, stored  # one person's words, whole: never a mixture
        winner = texts.index(stored)
        loser = 1 - winner
        boxes[winner].locator(".status-saved").wait_for(timeout=15_000)
        refused = boxes[loser].locator(".status-conflict")
        refused.wait_for(timeout=15_000)
        # the status follows the last keystroke: it quotes the whole text
        expect(refused).to_contain_text(f"Your text, as typed here: “{texts[loser]}”")
        # their text as stored now (the watch brings a refusal's quote up to date in seconds)
        expect(refused).to_contain_text(f"Their text: “{stored}”", timeout=6_000)
        assert boxes[loser].locator("textarea").input_value() == texts[loser]
        assert store.answer_values(audit_id)[key] == stored  # nothing of the refused stored
        screenshot(pages[loser], "typing-at-once-refused")
        history = [
            c
            for c in store.history(audit_id, store.person(store.audit(audit_id).auditor_id))
            if c["field_key"] == key
        ]
        assert [(c["old"], c["new"]) for c in history] == [(None, stored)]

        # the other carries on from the stored text; the first page is told, with the text
        boxes[loser].locator(".take-theirs").click()
        boxes[loser].locator(".status-theirs").wait_for()
        boxes[loser].locator("textarea").press("End")
        boxes[loser].locator("textarea").press_sequentially(", agreed", delay=100)
        boxes[loser].locator(".status-saved").wait_for(timeout=15_000)
        changed = boxes[winner].locator(".status-changed")  # the page looks every 2 s
        expect(changed).to_contain_text(f"Their text: “{stored}, agreed”", timeout=6_000)
        assert boxes[winner].locator("textarea").input_value() == stored  # left as it was
        screenshot(pages[winner], "typing-at-once-told")
        assert store.answer_values(audit_id)[key] == f"{stored}, agreed"
    finally:
        for context in contexts:
            context.close()


# --- script and HTML in every free-text field -----------------------------------------------

PAYLOAD = (
    '<script>window.__xss=1;alert("s")</script>'
    '<img src=x onerror="window.__xss=1;alert(\'i\')" data-xss="1">'
    '"><svg onload="window.__xss=1" data-xss="1"></svg><b data-xss="1">bold</b>'
    '=HYPERLINK("http://example.invalid")'
)


def test_script_and_html_in_every_free_text_field_stay_text(page, voila_server):
    audit_id = new_audit(voila_server, "LL-XSS-004")
    store = voila_server.store()
    people = {p.name: p for p in store.people()}
    form = registry().latest(FORM)
    free_text = []
    for section in form.sections:
        who = people[PRACTITIONER if section.editable_by == "practitioner" else AUDITOR]
        for group in section.groups:
            for f in group.fields:
                if f.kind in (FieldKind.text, FieldKind.long_text):
                    key = f"{group.id}.{f.id}"
                    if key == "personal_details.liquidlogic_id":
                        continue  # a LiquidLogic ID refuses markup outright
                    store.save_answer(audit_id, key, f"{key} {PAYLOAD}", who)
                    free_text.append((section.id, group.id, key))
    store.add_action(audit_id, people[AUDITOR], what=PAYLOAD, who=PAYLOAD)
    assert len(free_text) > 60

    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_audit(page, voila_server, audit_id)
    # one typed through the page as well
    page.click(".section-tab-feedback")
    typed_key = next(k for s, _g, k in free_text if s == "feedback")
    page.locator(field(typed_key) + " textarea, " + field(typed_key) + " input").first.fill(
        f"typed {PAYLOAD}"
    )
    page.locator(field(typed_key) + " .status-saved").wait_for()

    def check_page(where: str) -> None:
        page.wait_for_timeout(300)
        injected = page.evaluate(
            "() => ({marked: document.querySelectorAll('[data-xss]').length,"
            " flag: window.__xss === 1,"
            " scripts: Array.from(document.scripts).filter(s => s.text.includes('__xss')).length})"
        )
        assert injected == {"marked": 0, "flag": False, "scripts": 0}, where
        assert not dialogs, f"{where}: a dialog opened: {dialogs}"

    seen = set()
    for section_id, group_id, key in free_text:
        if section_id not in seen:
            page.click(f".section-tab-{section_id}")
            page.locator(f".showing-{section_id}").wait_for()
            seen.add(section_id)
        if (
            section_id == "areas_of_practice"
            and not page.locator(f".area-tab-{group_id}.current").count()
        ):
            page.click(f".area-tab-{group_id}")
            page.locator(f".area-tab-{group_id}.current").wait_for()
        text = page.locator(field(key) + " textarea, " + field(key) + " input").first
        expected = f"typed {PAYLOAD}" if key == typed_key else f"{key} {PAYLOAD}"
        assert text.input_value() == expected, key  # shown exactly, as text
        check_page(key)
    page.click(".section-tab-audit_outcome")
    action = page.locator(".action-row .action-what textarea").first
    assert action.input_value() == PAYLOAD
    check_page("actions")
    page.click(".back-home")
    page.locator(".audit-home").wait_for()
    check_page("home")


# --- deployment: tracebacks never reach the page ------------------------------------------------


@pytest.fixture(scope="module")
def raising_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("raising")
    notebooks = folder / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(
        'secret_internal_path = "/srv/secret/internals"\n'
        "raise RuntimeError(f'boom at {secret_internal_path}')"
    )
    cell.id = "boom"
    nb.cells = [cell]
    nbformat.write(nb, notebooks / "boom.ipynb")
    data = folder / "data"
    data.mkdir()
    from tests.support.voila import VoilaServer

    server = VoilaServer(data, folder / "voila.log")
    server.extra_args = ["--notebooks", str(notebooks)]
    server.start()
    yield server
    server.close()


def test_a_notebook_that_raises_shows_no_traceback_or_code(page, raising_server):
    page.goto(raising_server.render_url("boom.ipynb"), wait_until="networkidle", timeout=60_000)
    page.wait_for_timeout(1000)
    text = page.inner_text("body")
    html = page.content()
    screenshot(page, "raising-notebook")
    for secret in ("Traceback", "RuntimeError", "boom at", "/srv/secret", "secret_internal_path"):
        assert secret not in text, secret
        assert secret not in html, secret
    assert "RuntimeError" in raising_server.log()  # it is in the server's log instead


# --- idle kernels culled; the work reopens where it was ---------------------------------------


def test_an_idle_kernel_is_culled_and_the_audit_reopens_where_it_was(page, tmp_path, monkeypatch):
    monkeypatch.setenv("SOS_TOOLKIT_CULL_IDLE_TIMEOUT", "4")
    monkeypatch.setenv("SOS_TOOLKIT_CULL_INTERVAL", "1")
    server = start_voila_server(tmp_path)
    try:
        assert "cull_idle_timeout=4" in " ".join(
            Path(f"/proc/{server.process.pid}/cmdline").read_text().split("\0")
        )
        audit_id = new_audit(server, "LL-CULL-005")
        open_audit(page, server, audit_id)
        page.click(".section-tab-areas_of_practice")
        page.click(".area-tab-area_12")
        page.locator(".area-tab-area_12.current").wait_for()
        kernels = server.kernel_pids()
        assert kernels, "no kernel is running for the open page"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in kernels):
            time.sleep(0.5)
        assert not any(Path(f"/proc/{p}").exists() for p in kernels), "the idle kernel lives on"
        assert "Culling kernel" in server.log() or "culling" in server.log().lower()

        # the person comes back: a fresh page (normal culling, so this one is not culled too)
        monkeypatch.delenv("SOS_TOOLKIT_CULL_IDLE_TIMEOUT")
        monkeypatch.delenv("SOS_TOOLKIT_CULL_INTERVAL")
        server.restart()
        open_app(page, server, selector=".audit-home")
        resume = page.locator(".resume-place")
        assert f"audit #{audit_id}" in resume.inner_text()
        assert "area 12" in resume.inner_text()
        screenshot(page, "resume-after-cull")
        resume.click()
        page.locator(".area-tab-area_12.current").wait_for()
        assert page.locator(".section-tab-areas_of_practice.current").count() == 1
        assert f"Audit #{audit_id}" in page.locator(".audit-summary").inner_text()
    finally:
        server.close()
