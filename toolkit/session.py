"""Who is using the app, and what the page's address asked for.

Under JupyterHub the Hub's login decides (``JUPYTERHUB_USER``) and cannot be changed from the
page. On the embedded single-user default a person is chosen on the home screen and remembered
in the data directory, so a refresh keeps them.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

from toolkit import config
from toolkit.permissions import Person
from toolkit.store import NotFound, Store

_LOCAL_USER_FILE = "local_user"


def query() -> dict[str, str]:
    """The page's query string (Voilà hands it to the kernel as ``QUERY_STRING``)."""
    parsed = parse_qs(os.environ.get("QUERY_STRING", ""), keep_blank_values=False)
    return {k: v[-1] for k, v in parsed.items()}


def query_int(name: str) -> int | None:
    raw = query().get(name, "").strip()
    return int(raw) if raw.isdigit() else None


def under_hub() -> bool:
    return config.hub_user() is not None


def current_person(store: Store) -> Person | None:
    hub_user = config.hub_user()
    if hub_user:
        return store.person_by_username(hub_user)  # NotFound: not in the register
    path = _local_user_path()
    try:
        return store.person(int(path.read_text().strip()))
    except (FileNotFoundError, ValueError, NotFound):
        return None


def remember_local_person(person: Person) -> None:
    if under_hub():
        raise PermissionError("Under JupyterHub the person is the one the Hub logged in.")
    path = _local_user_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(str(person.id))
    tmp.replace(path)  # atomic: two kernels never leave half a file


def _local_user_path():  # noqa: ANN202 - a Path
    """Who chose themselves on this machine; the demonstration keeps its own choice, so a demo
    person's id is never read against the live register."""
    from toolkit.training.mode import demo_mode

    return config.data_dir() / (_LOCAL_USER_FILE + ("_demo" if demo_mode() else ""))
