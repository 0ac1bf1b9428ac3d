"""Log-in as councils run it: the Hub configuration's LDAP branch against a real OpenLDAP.

One slapd for the module (``tests/support/ldap_server.py``), seeded as a council's directory:
Abe and Pat (and Lee, who leaves it) are in the group allowed into the toolkit, Olly has a valid
password but is only in finance; Abe, Pat and Olly are in the toolkit's people register. The
first tests build the Hub's own LDAPAuthenticator from ``deploy/jupyterhub/jupyterhub_config.py``
and log in through it by each way a council connects (StartTLS, LDAPS, plain on loopback; a
search with a service account or a DN template); the last ones go through the real Hub's log-in
page in headless Chromium.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.audits import new_audit
from tests.support.browser import screenshot
from tests.support.hub import LocalHub, load_hub_config, require_hub_tools
from tests.support.ldap_server import LocalLdap, start_or_explain

DIRECTORY = {  # uid: (name, directory password)
    "abe": ("Abe Auditor", "abe-directory-password"),
    "pat": ("Pat Practitioner", "pat-directory-password"),
    "olly": ("Olly Outsider", "olly-directory-password"),
    "lee": ("Lee Leaver", "lee-directory-password"),
}
ALLOWED = ["abe", "pat", "lee"]
REGISTER = {"abe": ["auditor"], "pat": ["practitioner"], "olly": ["practitioner"]}
REFUSED = "Invalid username or password"  # what the Hub's log-in page says


@pytest.fixture(scope="module")
def directory():
    ldap = start_or_explain(DIRECTORY, ALLOWED)
    try:
        yield ldap
    finally:
        ldap.stop()


def ldap_env(ldap: LocalLdap, tls: str = "starttls", how: str = "search", **more: str) -> dict:
    """The settings a council's IT team would set (README, "What a council's IT team must
    change"), pointed at the test directory."""
    env = {
        "SOS_HUB_AUTHENTICATOR": "ldap",
        "LDAP_SERVER": "localhost",  # a host name, as the certificate names it
        "LDAP_PORT": str(ldap.ldaps_port if tls == "ldaps" else ldap.port),
        "LDAP_CA_CERTS": str(ldap.ca_file),
        "LDAP_ALLOWED_GROUP": ldap.allowed_group,
    }
    if tls != "starttls":  # StartTLS is what a council gets without saying
        env["LDAP_TLS"] = tls
    if how == "search":
        env.update(
            LDAP_USER_SEARCH_BASE=ldap.people_base,
            LDAP_USER_ATTRIBUTE="uid",  # sAMAccountName (the default) on Active Directory
            LDAP_SEARCH_USER=ldap.service_dn,
            LDAP_SEARCH_PASSWORD=ldap.service_password,
        )
    else:
        env["LDAP_BIND_DN_TEMPLATE"] = f"uid={{username}},{ldap.people_base}"
    return {**env, **more}


def hub_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict):
    for name in [n for n in os.environ if n.startswith("LDAP_")]:
        monkeypatch.delenv(name)
    return load_hub_config(monkeypatch, tmp_path, **env)


@pytest.fixture(autouse=True)
def _authenticators_connections_closed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """LDAPAuthenticator never unbinds the ldap3 connections it opens (the Hub leaves them to the
    garbage collector): in this process each is unbound when the test ends, so that no socket is
    left open for a later test to be blamed for."""
    from ldapauthenticator import LDAPAuthenticator

    opened = []
    get_connection = LDAPAuthenticator.get_connection

    def kept(self, userdn, password):
        conn = get_connection(self, userdn, password)
        if conn is not None:
            opened.append(conn)
        return conn

    monkeypatch.setattr(LDAPAuthenticator, "get_connection", kept)
    yield
    for conn in opened:
        conn.unbind()


def the_hubs_authenticator(monkeypatch, tmp_path, env: dict):
    """The authenticator the Hub would build from its configuration file with ``env``."""
    from ldapauthenticator import LDAPAuthenticator

    config = hub_config(monkeypatch, tmp_path, env)
    assert config.JupyterHub.authenticator_class == "ldapauthenticator.LDAPAuthenticator"
    return LDAPAuthenticator(config=config)


def log_in(authenticator, username: str, password: str) -> str | None:
    """Who the Hub lets in for this log-in (authenticated, allowed), else None."""
    form = {"username": username, "password": password}
    # in a thread of its own: in the full suite Playwright's sync API holds this thread's loop
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        run = pool.submit(asyncio.run, authenticator.get_authenticated_user(None, form))
        user = run.result(timeout=60)
    return user["name"] if user else None


def binds_for(ldap: LocalLdap, uid: str) -> int:
    """How many times slapd has seen a bind as this person (so a password sent to it)."""
    return ldap.log().count(f'BIND dn="{ldap.person_dn(uid)}"')


# --- the configuration's LDAP branch, through the Hub's own authenticator ---------------------


@pytest.mark.parametrize(
    ("tls", "how"),
    [("starttls", "search"), ("ldaps", "search"), ("starttls", "template"), ("none", "template")],
)
def test_a_member_of_the_allowed_group_gets_in_however_the_council_connects(
    directory, monkeypatch, tmp_path, tls, how
):
    hub = the_hubs_authenticator(monkeypatch, tmp_path, ldap_env(directory, tls, how))
    assert log_in(hub, "pat", DIRECTORY["pat"][1]) == "pat"  # the register's username
    assert log_in(hub, "abe", DIRECTORY["abe"][1]) == "abe"


@pytest.mark.parametrize("how", ["search", "template"])
def test_outside_the_group_or_with_a_wrong_password_nobody_gets_in(
    directory, monkeypatch, tmp_path, how
):
    hub = the_hubs_authenticator(monkeypatch, tmp_path, ldap_env(directory, how=how))
    assert log_in(hub, "olly", DIRECTORY["olly"][1]) is None  # a valid password, not the group
    assert log_in(hub, "pat", DIRECTORY["abe"][1]) is None  # someone else's password
    assert log_in(hub, "pat", "") is None
    assert log_in(hub, "nobody", DIRECTORY["pat"][1]) is None  # not in the directory
    assert log_in(hub, "pat", DIRECTORY["pat"][1]) == "pat"


def test_someone_taken_out_of_the_group_cannot_log_in_again(directory, monkeypatch, tmp_path):
    hub = the_hubs_authenticator(monkeypatch, tmp_path, ldap_env(directory))
    assert log_in(hub, "lee", DIRECTORY["lee"][1]) == "lee"
    directory.leave_group("lee")
    assert log_in(hub, "lee", DIRECTORY["lee"][1]) is None  # the same Hub, the next log-in


def test_with_a_wrong_service_account_password_no_one_can_be_found(
    directory, monkeypatch, tmp_path
):
    env = ldap_env(directory, LDAP_SEARCH_PASSWORD="not-the-service-password")
    hub = the_hubs_authenticator(monkeypatch, tmp_path, env)
    assert log_in(hub, "pat", DIRECTORY["pat"][1]) is None


@pytest.mark.parametrize("tls", ["starttls", "ldaps"])
@pytest.mark.parametrize("ca", ["a stranger's CA", "the system's CAs"])
def test_a_directory_certificate_the_council_did_not_sign_gets_no_password(
    directory, monkeypatch, tmp_path, tls, ca
):
    """Whoever answers on the directory's address must prove it with a certificate from the
    council's CA (here: the test CA) before anyone's password is sent."""
    stranger = {"LDAP_CA_CERTS": str(directory.stranger_ca_file)}
    env = ldap_env(directory, tls, "template", **(stranger if ca.startswith("a") else {}))
    if not ca.startswith("a"):
        del env["LDAP_CA_CERTS"]
    hub = the_hubs_authenticator(monkeypatch, tmp_path, env)
    binds = binds_for(directory, "pat")
    with pytest.raises(Exception, match=re.compile("certificate|handshake|verify", re.I)):
        log_in(hub, "pat", DIRECTORY["pat"][1])
    assert binds_for(directory, "pat") == binds


def test_the_ldap_settings_default_to_starttls_and_plain_ldap_only_on_loopback(
    directory, monkeypatch, tmp_path
):
    from ldapauthenticator.ldapauthenticator import TlsStrategy

    env = ldap_env(directory)
    del env["LDAP_PORT"]
    hub = the_hubs_authenticator(monkeypatch, tmp_path, env)
    assert (hub.tls_strategy, hub.server_port) == (TlsStrategy.before_bind, 389)
    hub = the_hubs_authenticator(monkeypatch, tmp_path, {**env, "LDAP_TLS": "ldaps"})
    assert (hub.tls_strategy, hub.server_port) == (TlsStrategy.on_connect, 636)
    two_groups = f"{directory.allowed_group}; cn=qa,ou=groups,{directory.suffix}"
    hub = the_hubs_authenticator(monkeypatch, tmp_path, {**env, "LDAP_ALLOWED_GROUP": two_groups})
    assert hub.allowed_groups == [directory.allowed_group, f"cn=qa,ou=groups,{directory.suffix}"]
    remote = {**env, "LDAP_SERVER": "dc1.council.example"}
    for refused, message in (
        ({**remote, "LDAP_TLS": "none"}, "only to a loopback address"),
        ({**env, "LDAP_TLS": "ssl"}, "use starttls"),
        ({**env, "LDAP_USER_SEARCH_BASE": ""}, "needs LDAP_USER_SEARCH_BASE or"),
    ):
        with pytest.raises(SystemExit, match=message):
            hub_config(monkeypatch, tmp_path, refused)


# --- through the real Hub's log-in page ---------------------------------------------------------


@pytest.fixture(scope="module")
def ldap_hub(directory):
    require_hub_tools("The LDAP Hub test")
    # the council's default: StartTLS, the person found by the service account
    hub = LocalHub(env=ldap_env(directory))
    try:
        hub.start()
        store = hub.store()
        people = {
            uid: store.add_person(DIRECTORY[uid][0], roles, username=uid)
            for uid, roles in REGISTER.items()
        }
        new_audit(store, people["abe"], people["pat"], "LL-LDAP-1")
        store.close()
        yield hub
    except BaseException:
        print(hub.log()[-5000:])
        raise
    finally:
        hub.stop()


def hub_users(hub: LocalHub) -> set[str]:
    """Everyone the Hub has let in (a user row is made only after a log-in is allowed)."""
    with sqlite3.connect(f"file:{hub.state / 'jupyterhub.sqlite'}?mode=ro", uri=True) as db:
        return {name for (name,) in db.execute("SELECT name FROM users")}


@pytest.fixture
def new_page(browser):
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.mark.e2e
def test_a_group_member_logs_in_with_their_directory_password_as_their_register_person(
    ldap_hub, new_page
):
    page = new_page()
    ldap_hub.log_in(page, "pat", password=DIRECTORY["pat"][1])
    assert "Pat Practitioner" in page.locator(".app-header").inner_text()
    assert not page.locator(".change-person").is_visible()
    assert "LL-LDAP-1" in page.locator(".audit-list").inner_text()  # their own audit
    assert page.url.startswith(f"{ldap_hub.url}/user/pat/")
    screenshot(page, "hub-ldap-logged-in")
    assert "pat" in hub_users(ldap_hub)


@pytest.mark.e2e
def test_outside_the_group_or_with_a_wrong_password_the_hub_refuses_and_starts_nothing(
    ldap_hub, new_page
):
    page = new_page()
    for username, password in (("olly", DIRECTORY["olly"][1]), ("abe", DIRECTORY["pat"][1])):
        ldap_hub.submit_log_in(page, username, password)
        page.get_by_text(REFUSED).wait_for()
        assert page.url.startswith(f"{ldap_hub.url}/hub/login")
        assert page.locator(".audit-app").count() == 0
    screenshot(page, "hub-ldap-refused")
    assert not {"olly", "abe"} & hub_users(ldap_hub)  # no user, so no server
    page.goto(f"{ldap_hub.url}/user/olly/voila/render/audit.ipynb")
    assert page.url.startswith(f"{ldap_hub.url}/hub/login")  # still not logged in
    log = ldap_hub.log()  # the Hub says who tried, and why olly may not
    assert "User 'olly' not allowed" in log
    assert "Failed login for 'olly'" in log
    assert "Failed to bind user 'abe'" in log
    assert "Failed login for 'abe'" in log
