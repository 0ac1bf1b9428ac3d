"""Who chose themselves in which browser, on the single-user default (the run command, no Hub).

A page's kernel cannot set a cookie, and a cookie or address holding a person's id could simply
be edited to become someone else. So the choice travels in two steps:

1. the page's kernel writes a one-time **ticket** (random; the file holds the person and the
   mode) and the page fetches ``/sos/choose-person?ticket=…`` (:mod:`toolkit.server.standalone`);
2. that handler redeems the ticket once, within :data:`TICKET_SECONDS`, and answers with an
   HttpOnly, SameSite=Strict cookie holding the browser's **token** (random, 256 bits). The data
   folder maps each token to a person, per mode: live and demonstration keep their own choices.

Every later page of that browser sends the cookie; Voilà hands it to the kernel
(``HTTP_COOKIE``) and :func:`chosen_person_id` looks it up. A token the folder does not know
(edited, forged, from another server, or older than :data:`KEEP_DAYS`) names nobody, so the
person picker shows. Files are named by the SHA-256 of the ticket or token, never the secret
itself, and each is written atomically (a new file, then a rename) so two writers never leave
half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from pathlib import Path
from typing import TypeGuard

from toolkit import config

FOLDER = "chosen-people"
#: Where Voilà hands the kernel the page request's ``Cookie:`` header
#: (``VoilaConfiguration.http_header_envs``, set by
#: :func:`toolkit.server.serve.deployment_settings`).
COOKIE_ENV = "HTTP_COOKIE"
#: The handler that redeems a ticket, under Voilà's base URL (:mod:`toolkit.server.standalone`).
CHOOSE_PERSON_PATH = "sos/choose-person"
#: Seconds between the choice on the page and the browser redeeming its ticket.
TICKET_SECONDS = 120
#: A browser that has not chosen for this long is asked again (the cookie lasts as long).
KEEP_DAYS = 180
MODES = {False: "live", True: "demo"}
_MAX_SECRET_LENGTH = 100  # a token or ticket is 43 characters; anything far longer is junk


def cookie_name(data_dir: Path | None = None) -> str:
    """The cookie's name, one per data folder: browsers send cookies to every port of a host,
    so two servers on one machine would otherwise overwrite each other's choice."""
    folder = str(Path(data_dir or config.data_dir()).resolve())
    return "sos_person_" + hashlib.sha256(folder.encode()).hexdigest()[:10]


def token_in_cookie_header(header: str, name: str) -> str | None:
    """The value of cookie ``name`` in a ``Cookie:`` header (the first one, as browsers send the
    most specific first); None when it is absent. Malformed pairs are skipped, not fatal."""
    for pair in header.split(";"):
        key, sep, value = pair.strip().partition("=")
        if sep and key == name and value:
            return value.strip().strip('"')
    return None


def new_ticket(person_id: int, demo: bool, data_dir: Path | None = None) -> str:
    """A one-time ticket for "this browser chose ``person_id``" (in demonstration mode or live)."""
    ticket = secrets.token_urlsafe(32)
    folder = _folder(data_dir, "tickets")
    _write(folder / _name(ticket), json.dumps({"person": int(person_id), "mode": MODES[demo]}))
    _forget_older(folder, TICKET_SECONDS)
    return ticket


def redeem(ticket: str, browser_token: str | None, data_dir: Path | None = None) -> str | None:
    """Use ``ticket`` once: remember its person for the browser and return the browser's token
    (its own, when the folder knows it, so the other mode's choice is kept; else a new one —
    never a value the browser made up). None when the ticket is unknown, used or expired, and
    then nothing is changed."""
    choice = _take_ticket(ticket, data_dir)
    if choice is None:
        return None
    person_id, mode = choice
    known = browser_token if _is_known(browser_token, data_dir) else None
    token = known or secrets.token_urlsafe(32)
    folder = _folder(data_dir, mode)
    _write(folder / _name(token), str(person_id))
    _forget_older(folder, KEEP_DAYS * 86400)
    return token


def chosen_person_id(
    browser_token: str | None, demo: bool, data_dir: Path | None = None
) -> int | None:
    """The person this browser chose in this mode, or None (no choice, or a token not known)."""
    path = _token_path(browser_token, MODES[demo], data_dir)
    try:
        if path is None or _age(path) > KEEP_DAYS * 86400:
            return None
        return int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def _take_ticket(ticket: str, data_dir: Path | None) -> tuple[int, str] | None:
    """Claim the ticket's file by renaming it (only one rename can succeed), then read it."""
    if not _plausible(ticket):
        return None
    path = _folder(data_dir, "tickets") / _name(ticket)
    claimed = path.with_name(f"{path.name}.{secrets.token_hex(8)}.used")
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        return None
    try:
        if _age(claimed) > TICKET_SECONDS:
            return None
        choice = json.loads(claimed.read_text())
        person_id, mode = int(choice["person"]), str(choice["mode"])
    except (ValueError, KeyError, TypeError):
        return None
    finally:
        claimed.unlink(missing_ok=True)
    return (person_id, mode) if mode in MODES.values() else None


def _is_known(token: str | None, data_dir: Path | None) -> bool:
    return any(
        (path := _token_path(token, mode, data_dir)) is not None and path.exists()
        for mode in MODES.values()
    )


def _token_path(token: str | None, mode: str, data_dir: Path | None) -> Path | None:
    return _folder(data_dir, mode) / _name(token) if _plausible(token) else None


def _plausible(secret: str | None) -> TypeGuard[str]:
    return secret is not None and 0 < len(secret) <= _MAX_SECRET_LENGTH


def _name(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _folder(data_dir: Path | None, part: str) -> Path:
    """``<data dir>/chosen-people/<part>``, both folders readable by the server's account alone."""
    root = Path(data_dir or config.data_dir()) / FOLDER
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = root / part
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(8)}.tmp")
    tmp.write_text(text)
    tmp.chmod(0o600)
    tmp.replace(path)  # atomic: a reader sees the old file or the new, never half of one


def _age(path: Path) -> float:
    return time.time() - path.stat().st_mtime


def _forget_older(folder: Path, seconds: float) -> None:
    """Delete entries older than ``seconds`` (expired tickets, long-unused browsers)."""
    for path in folder.iterdir():
        try:
            if _age(path) > seconds:
                path.unlink()
        except FileNotFoundError:
            pass  # another writer tidied it first
