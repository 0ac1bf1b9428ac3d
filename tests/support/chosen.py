"""Choose a person on the single-user default as a browser does
(``from tests.support.chosen import choose``).

The page's ticket is redeemed as ``/sos/choose-person`` redeems it, and the cookie it sets is
what the next page's request carries (Voilà hands it to the kernel as ``HTTP_COOKIE``). The
``conftest`` fixture ``_no_chosen_person_cookie`` starts every test as a browser that has chosen
nobody and puts the variable back afterwards.
"""

from __future__ import annotations

import os

from toolkit.apps import session
from toolkit.core.permissions import Person
from toolkit.store import chosen_people


def choose(person: Person) -> str:
    """This test's browser chooses ``person`` (in the page's mode); returns its token."""
    ticket = session.remember_local_person(person)
    token = chosen_people.redeem(ticket, session.browser_token())
    assert token is not None, "a fresh ticket is redeemed"
    os.environ[chosen_people.COOKIE_ENV] = f"{chosen_people.cookie_name()}={token}"
    return token
