"""JupyterHub for the toolkit: one log-in, one Voilà-only server per person, one PostgreSQL store.

Run it as root from the repository root with the toolkit's virtual environment, once the
people's servers' copy is installed (``deploy/jupyterhub/install.sh``)::

    .venv/bin/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

Each person's server runs under a system account of their own (``toolkit/hub/spawner.py``) and
serves Voilà's pages and their kernels, nothing else (``toolkit/hub/authorizer.py``,
``toolkit/hub/guard.py``, ``toolkit/hub/server.py``).

Everything a council changes is read from the environment (see the README, "Deploying for many
users"); nothing secret is written in this file.

- ``SOS_TOOLKIT_DATABASE_URL`` (required): the one PostgreSQL database behind every user, as
  the *servers'* role, e.g. ``postgresql+psycopg://toolkit_servers:…@db.council.internal/toolkit``.
  It is the only database account the Hub holds and hands on. The Hub refuses to start when
  that account could create, alter or drop a table or rewrite the change and access logs
  (checked with PostgreSQL's privilege functions, ``toolkit/store/roles.py``), when the tables
  are missing or behind, or when ``SOS_TOOLKIT_OWNER_DATABASE_URL`` (the owner's account, for
  administrators' ``setup-database`` and ``restore`` only) is in its environment.
- ``SOS_HUB_STATE_DIR``: where the Hub keeps its own state (its SQLite file, the cookie secret,
  its pid): root's alone, mode 700. Default ``/var/lib/sos-toolkit-hub``.
- ``SOS_HUB_TOOLKIT_PREFIX``: where ``deploy/jupyterhub/install.sh`` installed the toolkit that
  people's servers run (root's files, readable by all). Default ``/opt/sos-toolkit``.
- ``SOS_HUB_HOMES_DIR``: the home folders of the servers' system accounts (``sos-<username>``,
  made on first log-in), outside the state folder. Default ``/var/lib/sos-toolkit-homes``.
- ``SOS_HUB_ACCOUNT_PREFIX``: what those account names start with. Default ``sos-``.
- ``SOS_HUB_DATA_DIR``: the data folder the servers share (the training store, where each
  person left off). Default ``/var/lib/sos-toolkit-data``.
- ``SOS_HUB_BIND_URL``: the public address the proxy listens on (default
  ``http://127.0.0.1:8000``; TLS is ended in front of it, see the README).
- ``SOS_HUB_API_PORT`` / ``SOS_HUB_PROXY_API_PORT``: loopback ports of the Hub and of the
  proxy's REST API (defaults 8081 and 8001).
- ``SOS_HUB_AUTHENTICATOR``: ``shared-password`` (trying it out and the tests: everyone types
  ``SOS_HUB_SHARED_PASSWORD``) or the council's own, e.g. ``azuread`` / ``ldap`` below.
- With ``SOS_HUB_AUTHENTICATOR=ldap`` (Active Directory or OpenLDAP; the log-in name is the
  register's username):

  - ``LDAP_SERVER`` (required): the directory's host name, as its certificate names it.
  - ``LDAP_TLS``: ``starttls`` (default; port 389), ``ldaps`` (port 636) or ``none`` (plain
    LDAP, passwords in clear: refused unless ``LDAP_SERVER`` is a loopback address).
  - ``LDAP_PORT``: when not the default for ``LDAP_TLS``.
  - ``LDAP_CA_CERTS``: a PEM file of the CA that signed the directory's certificate (default:
    the CAs the system trusts). The certificate is always checked, and must name the server.
  - Either a search, as Active Directory needs: ``LDAP_USER_SEARCH_BASE`` (e.g.
    ``OU=Staff,DC=council,DC=gov,DC=uk``), ``LDAP_USER_ATTRIBUTE`` (default
    ``sAMAccountName``; ``uid`` on OpenLDAP), and the service account that may search,
    ``LDAP_SEARCH_USER`` (its DN) / ``LDAP_SEARCH_PASSWORD``;
  - or ``LDAP_BIND_DN_TEMPLATE``, where a person's DN holds their log-in name, e.g.
    ``uid={username},ou=people,dc=council,dc=gov,dc=uk``.
  - ``LDAP_ALLOWED_GROUP`` (required): the DN of the group whose members may log in (several,
    separated by ``;``). Membership is read from the group's ``member``/``uniqueMember``.
- ``CONFIGPROXY_AUTH_TOKEN``: the Hub↔proxy secret (JupyterHub reads it itself).
- ``SOS_HUB_CHP``: the ``configurable-http-proxy`` command (default: the one ``test.sh``
  installs under ``.cache/chp``, else the one on PATH).
"""

# ruff: noqa: F821  (``c`` is the config object JupyterHub hands to this file)

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from toolkit.hub.server import person_server_args  # noqa: E402
from toolkit.server import serve  # noqa: E402  (the Voilà settings the standalone server uses too)
from toolkit.store import roles  # noqa: E402  (what the servers' database account may do)

STATE = Path(os.environ.get("SOS_HUB_STATE_DIR", "/var/lib/sos-toolkit-hub"))
STATE.mkdir(parents=True, exist_ok=True, mode=0o700)
STATE.chmod(0o700)  # the Hub's SQLite, cookie secret and pid: the Hub's alone
PREFIX = Path(os.environ.get("SOS_HUB_TOOLKIT_PREFIX", "/opt/sos-toolkit"))
HOMES = Path(os.environ.get("SOS_HUB_HOMES_DIR", "/var/lib/sos-toolkit-homes"))
SHARED_DATA = Path(os.environ.get("SOS_HUB_DATA_DIR", "/var/lib/sos-toolkit-data"))
for _folder in (HOMES, SHARED_DATA):
    if _folder.resolve().is_relative_to(STATE.resolve()):
        raise SystemExit(f"{_folder} is inside the Hub's state folder {STATE}: move it out.")

# --- 1. Log-in ----------------------------------------------------------------------------
# The Hub's username is the person's `username` in the toolkit's people register: that is how
# the toolkit knows who is using it and which roles they have (toolkit/apps/session.py).
AUTHENTICATOR = os.environ.get("SOS_HUB_AUTHENTICATOR", "shared-password")
if AUTHENTICATOR == "shared-password":
    # For trying it out and for the tests only: anyone who knows the one password can log in
    # as any username. Never use it with real case records.
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["SOS_HUB_SHARED_PASSWORD"]
    c.Authenticator.allow_all = True  # people not in the register see "not in the register"
elif AUTHENTICATOR == "azuread":
    # The council's Microsoft Entra ID (Azure AD): pip install oauthenticator
    c.JupyterHub.authenticator_class = "azuread"
    c.AzureAdOAuthenticator.tenant_id = os.environ["AAD_TENANT_ID"]
    c.AzureAdOAuthenticator.client_id = os.environ["AAD_CLIENT_ID"]
    c.AzureAdOAuthenticator.client_secret = os.environ["AAD_CLIENT_SECRET"]
    c.AzureAdOAuthenticator.oauth_callback_url = os.environ["AAD_CALLBACK_URL"]
    c.AzureAdOAuthenticator.username_claim = "preferred_username"  # = register `username`
    c.AzureAdOAuthenticator.allowed_groups = {os.environ["AAD_ALLOWED_GROUP"]}
elif AUTHENTICATOR == "ldap":
    # The council's Active Directory or OpenLDAP: pip install jupyterhub-ldapauthenticator
    # (tests/e2e/test_hub_ldap.py runs this branch against a real slapd)
    import ssl

    c.JupyterHub.authenticator_class = "ldapauthenticator.LDAPAuthenticator"
    ldap = c.LDAPAuthenticator
    ldap.server_address = os.environ["LDAP_SERVER"]
    LDAP_TLS = os.environ.get("LDAP_TLS", "starttls")
    TLS_STRATEGIES = {"starttls": "before_bind", "ldaps": "on_connect", "none": "insecure"}
    if LDAP_TLS not in TLS_STRATEGIES:
        raise SystemExit(f"LDAP_TLS={LDAP_TLS!r}: use starttls (the default), ldaps or none.")
    if LDAP_TLS == "none" and ldap.server_address not in ("127.0.0.1", "::1", "localhost"):
        raise SystemExit("LDAP_TLS=none sends passwords in clear: only to a loopback address.")
    ldap.tls_strategy = TLS_STRATEGIES[LDAP_TLS]
    if os.environ.get("LDAP_PORT"):  # else 389 (StartTLS, none) or 636 (LDAPS)
        ldap.server_port = int(os.environ["LDAP_PORT"])
    # ldap3 checks no certificate unless told: require one signed by the council's CA (or a CA
    # the system trusts) and naming the server, so no one between can read the passwords
    ldap.tls_kwargs = {
        "validate": ssl.CERT_REQUIRED,
        "ca_certs_file": os.environ.get("LDAP_CA_CERTS"),
    }
    if os.environ.get("LDAP_USER_SEARCH_BASE"):
        # Active Directory: find the person's DN by their log-in name, as the service account
        ldap.lookup_dn = True
        ldap.user_search_base = os.environ["LDAP_USER_SEARCH_BASE"]
        ldap.user_attribute = ldap.lookup_dn_user_dn_attribute = os.environ.get(
            "LDAP_USER_ATTRIBUTE", "sAMAccountName"
        )
        ldap.lookup_dn_search_user = os.environ["LDAP_SEARCH_USER"]
        ldap.lookup_dn_search_password = os.environ["LDAP_SEARCH_PASSWORD"]
    elif os.environ.get("LDAP_BIND_DN_TEMPLATE"):
        # a directory whose DNs hold the log-in name: uid={username},ou=people,dc=…
        ldap.bind_dn_template = [os.environ["LDAP_BIND_DN_TEMPLATE"]]
    else:
        raise SystemExit(
            "SOS_HUB_AUTHENTICATOR=ldap needs LDAP_USER_SEARCH_BASE or LDAP_BIND_DN_TEMPLATE."
        )
    # only members of the group(s) get in; the log-in name stays the name the person typed
    ldap.allowed_groups = [
        g.strip() for g in os.environ["LDAP_ALLOWED_GROUP"].split(";") if g.strip()
    ]
    ldap.allow_existing_users = False  # a Hub user from an earlier log-in still needs the group
else:
    raise SystemExit(f"SOS_HUB_AUTHENTICATOR={AUTHENTICATOR!r} is not one this file knows.")

# --- 2. Each person's server: Voilà only, as their own system account, on the shared database -
# The Hub user `pat` runs as the account `sos-pat`, made on first log-in, with an empty home of
# its own (mode 700) at each start; the toolkit it runs is root's copy in PREFIX.
c.JupyterHub.spawner_class = "toolkit.hub.spawner.AccountSpawner"
c.AccountSpawner.toolkit_prefix = str(PREFIX)
c.AccountSpawner.homes_dir = str(HOMES)
c.AccountSpawner.data_dir = str(SHARED_DATA)
c.AccountSpawner.account_prefix = os.environ.get("SOS_HUB_ACCOUNT_PREFIX", "sos-")
# jupyterhub-singleuser, less a second of CPU per log-in spent on a validator nobody uses
# (toolkit/server/quick_start.py)
c.Spawner.cmd = [
    str(PREFIX / "venv" / "bin" / "python"),
    "-m",
    "toolkit.server.quick_start",
    "singleuser",
]
c.Spawner.notebook_dir = str(PREFIX / "app" / "notebooks")  # root's: no server can change them
c.Spawner.default_url = f"/voila/render/{serve.HOME_NOTEBOOK}"
# Voilà's settings (no code, no tracebacks, no overrides, idle kernels culled), Voilà only, and
# only the apps: the guard and authorizer refuse every other address and action, and a page's
# kernel takes widget messages only
c.Spawner.args = person_server_args()
# --- the database: the servers' role only, checked before anyone can log in
SERVERS_DATABASE_URL = os.environ["SOS_TOOLKIT_DATABASE_URL"]
if os.environ.get("SOS_TOOLKIT_OWNER_DATABASE_URL"):
    raise SystemExit(
        "The Hub will not start: SOS_TOOLKIT_OWNER_DATABASE_URL is set in its environment. The "
        "owner's account is for administrators' commands (setup-database, restore) in their "
        "own shell; start the Hub without it."
    )
_database_problems = roles.check_servers_url(SERVERS_DATABASE_URL)
if _database_problems:
    raise SystemExit(
        "The Hub will not start: the account in SOS_TOOLKIT_DATABASE_URL must be the servers' "
        "role, which may not create, alter or drop tables nor rewrite the logs. Found:\n- "
        + "\n- ".join(_database_problems[:20])
        + "\nCreate the servers' role and run `python -m toolkit setup-database` as the owner "
        "(README, 'Standing it up on one machine')."
    )
c.Spawner.environment = {"SOS_TOOLKIT_DATABASE_URL": SERVERS_DATABASE_URL}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.mem_limit = "1G"  # honoured by container spawners (Docker, Kubernetes)

# --- 3. The Hub, the proxy and their secrets ----------------------------------------------
c.JupyterHub.bind_url = os.environ.get("SOS_HUB_BIND_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("SOS_HUB_API_PORT", "8081"))
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"  # the Hub's own state only
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")  # made on first run
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.api_url = (
    f"http://127.0.0.1:{os.environ.get('SOS_HUB_PROXY_API_PORT', '8001')}"
)
_local_chp = REPO / ".cache" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [
    os.environ.get("SOS_HUB_CHP")
    or (str(_local_chp) if _local_chp.exists() else shutil.which("configurable-http-proxy"))
    or "configurable-http-proxy"
]
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.cleanup_servers = True  # stopping the Hub stops the people's servers
