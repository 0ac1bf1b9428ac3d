"""Who is using the app, and what the page's address asked for.

Under JupyterHub the Hub's login decides (``JUPYTERHUB_USER``) and cannot be changed from the
page. On the embedded single-user default a person is chosen on the home screen and remembered
per browser (:mod:`toolkit.store.chosen_people`): a reload or a new tab keeps them, a new browser
sees the person picker, and choosing in one browser never changes another's.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

from toolkit import config
from toolkit.core.permissions import Person
from toolkit.store import NotFound, Store, chosen_people


def query() -> dict[str, str]:
    """The page's query string (Voilà hands it to the kernel as ``QUERY_STRING``)."""
    parsed = parse_qs(os.environ.get("QUERY_STRING", ""), keep_blank_values=False)
    return {k: v[-1] for k, v in parsed.items()}


def query_int(name: str) -> int | None:
    raw = query().get(name, "").strip()
    return int(raw) if raw.isdigit() else None


def under_hub() -> bool:
    return config.hub_user() is not None


def browser_token() -> str | None:
    """The token this page's browser holds, from the request that opened the page. The one
    place it is read: with preheated kernels Voilà fills the environment in only at
    ``voila.utils.wait_for_request()``, so call this after it, never at import."""
    return chosen_people.token_in_cookie_header(
        os.environ.get(chosen_people.COOKIE_ENV, ""), chosen_people.cookie_name()
    )


def current_person(store: Store) -> Person | None:
    hub_user = config.hub_user()
    if hub_user:
        return store.person_by_username(hub_user)  # NotFound: not in the register
    person_id = chosen_people.chosen_person_id(browser_token(), _demo())
    try:
        return store.person(person_id) if person_id is not None else None
    except NotFound:
        return None


def remember_local_person(person: Person) -> str:
    """Start remembering ``person`` for this page's browser: the one-time ticket the page
    redeems at :func:`choose_person_url` (which sets the browser's cookie). Nothing shared
    changes, so no other browser's person does."""
    if under_hub():
        raise PermissionError("Under JupyterHub the person is the one the Hub logged in.")
    return chosen_people.new_ticket(person.id, _demo())


def choose_person_url(ticket: str) -> str:
    """Where the page redeems a ticket (under Voilà's base URL)."""
    base = os.environ.get("VOILA_BASE_URL", "/")
    return f"{base.rstrip('/')}/{chosen_people.CHOOSE_PERSON_PATH}?ticket={ticket}"


def _demo() -> bool:
    """The demonstration keeps its own choice, so a demo person's id is never read against
    the live register."""
    from toolkit.training.mode import demo_mode

    return demo_mode()
