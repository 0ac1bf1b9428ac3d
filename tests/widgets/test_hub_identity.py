"""Under JupyterHub the Hub's login is the person: no file, query string or click changes it;
and the Hub configuration loads with the toolkit's Voilà settings and the shared database."""

from __future__ import annotations

import pytest

from tests.support.chosen import choose
from tests.support.hub import load_hub_config
from toolkit.apps import session
from toolkit.apps.audit.app import AuditApp
from toolkit.server import serve
from toolkit.store import NotFound


@pytest.fixture
def people(store, monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    abe = store.add_person("Abe Auditor", ["auditor"], username="abe")
    pat = store.add_person("Pat Practitioner", ["practitioner"], username="pat")
    return abe, pat


def test_the_hub_user_is_the_person_whatever_the_page_asks(store, people, monkeypatch):
    abe, pat = people
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    choose(abe)  # a choice left in this browser by the single-user default
    monkeypatch.setenv("JUPYTERHUB_USER", "pat")
    monkeypatch.setenv("QUERY_STRING", f"user=abe&username=abe&person={abe.id}&audit=1")
    assert session.current_person(store) == pat
    with pytest.raises(PermissionError):
        session.remember_local_person(abe)
    assert session.current_person(store) == pat


def test_a_hub_user_not_in_the_register_is_nobody(store, people, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "mallory")
    with pytest.raises(NotFound):
        session.current_person(store)
    app = AuditApp(store)
    assert app.person is None
    assert "change-person" in app._switch._dom_classes
    assert app._switch.layout.display == "none"


def test_the_audit_app_under_the_hub_names_the_hub_user_and_hides_change_person(
    store, people, monkeypatch
):
    monkeypatch.setenv("JUPYTERHUB_USER", "abe")
    app = AuditApp(store)
    assert app.person == people[0]
    assert app._switch.layout.display == "none"


def load_config(monkeypatch, tmp_path, **env: str):
    return load_hub_config(monkeypatch, tmp_path, **env)


def test_the_hub_config_starts_voila_only_servers_on_the_shared_database(monkeypatch, tmp_path):
    c = load_config(monkeypatch, tmp_path, SOS_HUB_SHARED_PASSWORD="a-long-password")
    assert c.Spawner.default_url == "/voila/render/audit.ipynb"
    assert c.Spawner.cmd[1:] == ["-m", "toolkit.server.quick_start", "singleuser"]
    assert c.Spawner.environment == {
        "SOS_TOOLKIT_DATABASE_URL": "postgresql+psycopg://toolkit@db.example/toolkit"
    }
    for option in serve.voila_settings():
        assert option in c.Spawner.args
    assert "--ServerApp.terminals_enabled=False" in c.Spawner.args
    assert any("'jupyterlab': False" in a for a in c.Spawner.args)
    assert c.JupyterHub.hub_ip == "127.0.0.1"
    assert c.JupyterHub.cookie_secret_file.startswith(str(tmp_path))


def test_the_hub_config_refuses_an_authenticator_it_does_not_know(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="not one this file knows"):
        load_config(monkeypatch, tmp_path, SOS_HUB_AUTHENTICATOR="guess")
