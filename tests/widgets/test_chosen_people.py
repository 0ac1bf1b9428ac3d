"""On the run command the person is chosen per browser: a one-time ticket from the page becomes
the browser's random token, mapped to the person in the data folder, per mode. Nothing a
browser sends (an edited cookie, a person's id, a used ticket) makes it someone else."""

from __future__ import annotations

import os
import time

import pytest

from tests.support.chosen import choose
from toolkit.apps import session
from toolkit.apps.audit.app import AuditApp
from toolkit.store import chosen_people


@pytest.fixture
def people(app_store):
    """The store, an auditor and a practitioner (who signs in to the Hub as ``pat``)."""
    auditor = app_store.add_person("Abe Auditor", ["auditor"], team="Team B")
    practitioner = app_store.add_person(
        "Pat Practitioner", ["practitioner"], team="Team A", username="pat"
    )
    return app_store, auditor, practitioner


def browser(token: str | None, monkeypatch) -> None:
    """This page's request came from the browser holding ``token`` (None: no cookie at all)."""
    cookie = f"_xsrf=2|abc; {chosen_people.cookie_name()}={token}" if token else "_xsrf=2|abc"
    monkeypatch.setenv("HTTP_COOKIE", cookie)


# --- tickets and tokens ---------------------------------------------------------------------


def test_a_ticket_becomes_a_token_naming_its_person_in_its_mode_only(data_dir):
    token = chosen_people.redeem(chosen_people.new_ticket(7, demo=False), None)
    assert token
    assert len(token) >= 43
    assert chosen_people.chosen_person_id(token, demo=False) == 7
    assert chosen_people.chosen_person_id(token, demo=True) is None  # the demo keeps its own


def test_a_ticket_is_used_once_and_only_within_its_time(data_dir):
    ticket = chosen_people.new_ticket(7, demo=False)
    assert chosen_people.redeem(ticket, None) is not None
    assert chosen_people.redeem(ticket, None) is None  # replayed: refused
    late = chosen_people.new_ticket(8, demo=False)
    old = time.time() - chosen_people.TICKET_SECONDS - 5
    for path in (data_dir / chosen_people.FOLDER / "tickets").iterdir():
        os.utime(path, (old, old))
    assert chosen_people.redeem(late, None) is None  # too late: refused, and gone
    assert chosen_people.redeem("made-up", None) is None
    assert chosen_people.redeem("", None) is None


def test_choosing_again_keeps_the_browsers_token_and_its_other_modes_choice(data_dir):
    token = chosen_people.redeem(chosen_people.new_ticket(7, demo=False), None)
    again = chosen_people.redeem(chosen_people.new_ticket(3, demo=True), token)
    assert again == token
    assert chosen_people.chosen_person_id(token, demo=False) == 7
    assert chosen_people.chosen_person_id(token, demo=True) == 3
    changed = chosen_people.redeem(chosen_people.new_ticket(9, demo=False), token)
    assert changed == token
    assert chosen_people.chosen_person_id(token, demo=False) == 9


def test_a_token_the_browser_made_up_is_never_adopted(data_dir):
    made_up = "A" * 43
    token = chosen_people.redeem(chosen_people.new_ticket(7, demo=False), made_up)
    assert token != made_up  # a new random token: no one can plant a value to share it
    assert chosen_people.chosen_person_id(made_up, demo=False) is None


def test_an_edited_forged_or_expired_token_names_nobody(data_dir):
    token = chosen_people.redeem(chosen_people.new_ticket(7, demo=False), None)
    edited = token[:-1] + ("A" if token[-1] != "A" else "B")
    for forged in (edited, "7", "person=7", token + "x", "", None, "x" * 5000):
        assert chosen_people.chosen_person_id(forged, demo=False) is None, forged
    old = time.time() - chosen_people.KEEP_DAYS * 86400 - 60
    for path in (data_dir / chosen_people.FOLDER / "live").iterdir():
        os.utime(path, (old, old))
    assert chosen_people.chosen_person_id(token, demo=False) is None


def test_the_data_folder_never_holds_a_token_or_ticket_itself(data_dir):
    ticket = chosen_people.new_ticket(7, demo=False)
    pending = b"".join(p.read_bytes() for p in (data_dir / chosen_people.FOLDER).rglob("*.*"))
    names = " ".join(str(p) for p in (data_dir / chosen_people.FOLDER).rglob("*"))
    assert ticket not in names
    assert ticket.encode() not in pending
    token = chosen_people.redeem(ticket, None)
    files = [p for p in (data_dir / chosen_people.FOLDER).rglob("*") if p.is_file()]
    assert files
    assert all(token not in str(p) and token.encode() not in p.read_bytes() for p in files)
    folders = [data_dir / chosen_people.FOLDER, *(p.parent for p in files)]
    assert all(p.stat().st_mode & 0o077 == 0 for p in files + folders)  # the server's alone


def test_the_cookie_is_found_among_others_and_named_per_data_folder(tmp_path):
    name = chosen_people.cookie_name(tmp_path / "a")
    assert name != chosen_people.cookie_name(tmp_path / "b")  # two servers on one machine
    header = f'_xsrf=2|x; junk; {name}="tok"; {name}=second; other=1'
    assert chosen_people.token_in_cookie_header(header, name) == "tok"
    assert chosen_people.token_in_cookie_header("_xsrf=1; =; ;", name) is None


# --- current_person: each browser its own person ------------------------------------------------


def test_two_browsers_on_one_server_each_keep_their_own_person(people, monkeypatch):
    store, auditor, practitioner = people
    first = choose(auditor)  # browser A chooses the auditor
    browser(None, monkeypatch)
    second = choose(practitioner)  # then browser B, on the same server, the practitioner
    assert first != second
    browser(first, monkeypatch)
    assert session.current_person(store) == auditor  # A reloads: still the auditor
    browser(second, monkeypatch)
    assert session.current_person(store) == practitioner
    browser(None, monkeypatch)  # a third, new browser: nobody, so the picker shows
    assert session.current_person(store) is None
    app = AuditApp(store)
    assert "Nobody signed in" in app._header.value
    assert "person-picker" in app.body.children[0].children[1].children[0]._dom_classes


def test_a_forged_cookie_shows_the_picker(people, monkeypatch):
    store, auditor, _ = people
    token = choose(auditor)
    for forged in (token[:-2] + "zz", str(auditor.id), f"{auditor.id}.{token}"):
        browser(forged, monkeypatch)
        assert session.current_person(store) is None, forged
    # nor does the address name anyone
    monkeypatch.setenv("QUERY_STRING", f"person={auditor.id}&user={auditor.id}")
    browser(None, monkeypatch)
    assert session.current_person(store) is None


def test_choosing_in_one_browser_never_changes_another(people, monkeypatch):
    store, auditor, practitioner = people
    first = choose(auditor)
    browser(None, monkeypatch)
    session.remember_local_person(practitioner)  # another browser's page chose: only a ticket
    browser(first, monkeypatch)
    assert session.current_person(store) == auditor
    browser(None, monkeypatch)
    choose(practitioner)  # and its cookie set
    browser(first, monkeypatch)
    assert session.current_person(store) == auditor


def test_the_demonstration_keeps_its_own_choice(people, monkeypatch):
    store, auditor, _ = people
    token = choose(auditor)
    monkeypatch.setenv("QUERY_STRING", "mode=demo")
    assert chosen_people.chosen_person_id(session.browser_token(), demo=True) is None
    monkeypatch.setenv("QUERY_STRING", "")
    assert session.browser_token() == token
    assert session.current_person(store) == auditor


def test_under_the_hub_the_cookie_is_ignored_and_choosing_refused(people, monkeypatch):
    store, auditor, practitioner = people
    choose(auditor)
    monkeypatch.setenv("JUPYTERHUB_USER", "pat")
    assert session.current_person(store) == practitioner
    with pytest.raises(PermissionError):
        session.remember_local_person(auditor)


def test_the_page_fetches_its_ticket_where_the_server_redeems_it(people, monkeypatch):
    store, auditor, _ = people
    monkeypatch.setenv("VOILA_BASE_URL", "/toolkit/")
    app = AuditApp(store)
    row = app.body.children[0].children[1]
    row.children[0].value = auditor.id
    row.children[1].click()
    html = app._remembered.value
    assert html.startswith('<img src="/toolkit/sos/choose-person?ticket=')
    ticket = html.split("ticket=")[1].split('"')[0]
    token = chosen_people.redeem(ticket, None)
    assert token is not None
    assert chosen_people.chosen_person_id(token, demo=False) == auditor.id
    assert app.person == auditor
    assert "Abe Auditor" in app._header.value


def test_only_the_run_command_hands_the_pages_cookie_to_its_kernel():
    """Standalone Voilà passes the Cookie header on; a person's server under the Hub does not
    (there the Hub's login is the person, and its cookies stay out of the kernel)."""
    from toolkit.server import quick_start, serve
    from toolkit.server.standalone import ToolkitVoila

    assert "--VoilaConfiguration.http_header_envs=Cookie" in serve.deployment_settings()
    assert not any("http_header_envs" in option for option in serve.voila_settings())
    assert quick_start.SERVERS["voila"]() == ToolkitVoila.launch_instance  # with its handler
