"""What every app screen shares: the frame (style, header, message bar) and who is using it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractContextManager

import ipywidgets as w

from toolkit.apps import session
from toolkit.apps.training.views import DemoBanner, demo_banner, kept_message
from toolkit.core.html import esc
from toolkit.core.permissions import Person, role_words
from toolkit.store import NotFound, Store
from toolkit.training.demo_store import Reset
from toolkit.ui.safe import MessageBar, guarded
from toolkit.ui.style import stylesheet

#: ``AppFrame.looking``: around the read of a download or export, one row in the access log
Looking = Callable[..., AbstractContextManager[None]]


class AppFrame(w.VBox):
    """Style, a header naming the app and the person, a message bar, and a body."""

    #: the notebook serving this app: the screen named in the access log
    notebook = ""

    def __init__(
        self, title: str, css_class: str, store: Store, people: Store | None = None
    ) -> None:
        """``people``: the register who is using the app is found in (default: ``store``)."""
        self.store = store
        self.register = people or store
        self.messages = MessageBar()
        self.guard = guarded(self.messages)
        self._header = w.HTML(layout=w.Layout(flex="1 1 auto"))
        self._switch = w.Button(
            description="Change person",
            tooltip="Single-user mode: choose who you are",
            layout=w.Layout(width="140px"),
        )
        self._switch.add_class("change-person")
        self._switch.on_click(self.guard(lambda _b: self.choose_person()))
        header = w.HBox(
            [self._header, self._switch], layout=w.Layout(width="100%", align_items="center")
        )
        self._switch.layout.display = "none" if session.under_hub() else None
        # where the page redeems a choice's ticket, so its browser keeps the chosen person
        self._remembered = w.HTML(layout=w.Layout(display="none"))
        self._remembered.add_class("person-remembered")
        self.body = w.VBox(layout=w.Layout(width="100%"))
        self.banner = demo_banner(store, self._after_reset, live_store)
        super().__init__(
            [
                stylesheet(),
                self.banner,
                header,
                self._remembered,
                self.messages,
                self.body,
            ],
            layout=w.Layout(width="100%"),
        )
        self.add_class("toolkit-app")
        self.add_class(css_class)
        self.title = title
        self.person: Person | None = None
        try:
            self.person = session.current_person(self.register)
        except NotFound as exc:
            self.messages.show(f"{exc} Ask your administrator to add you.", "error")
        self.render_header()

    def render_header(self) -> None:
        self.offer_reset()
        who = f"Signed in as <b>{esc(self.person.name)}</b>" if self.person else "Nobody signed in"
        self._header.value = (
            f'<div class="app-header"><h1>{esc(self.title)}</h1>'
            f'<span class="who">{who}</span></div>'
        )

    #: Whether this app's pages offer a trainer "Reset the demonstration" (not the flashcards)
    offers_reset = True

    def offer_reset(self, shown: bool = True) -> None:
        """The banner offers the reset to the person here, if a trainer, on pages that may."""
        if isinstance(self.banner, DemoBanner):
            self.banner.show_for(self.person if shown and self.offers_reset else None)

    def _after_reset(self, done: Reset) -> None:
        """The training store was reset: back to the first screen, as a newcomer would see it."""
        self.messages.show(kept_message(done), "info")
        self.person = None
        self.render_header()
        self.begin()

    def looking(
        self, action: str, record_kind: str, record_id: object | None, detail: str | None = None
    ) -> AbstractContextManager[None]:
        """Around the read that opens, downloads or exports a record on this app: one row in the
        access log with this person and notebook, refused ones too (``Store.looking``)."""
        return self.store.looking(
            action=action,
            record_kind=record_kind,
            record_id=record_id,
            screen=self.notebook,
            person=self.person,
            detail=detail,
        )

    def start(self) -> None:
        """Show the app's first screen for ``self.person`` (each app defines it)."""
        raise NotImplementedError

    def begin(self) -> None:
        """Start, or ask who is using the app first on the single-user default."""
        if self.person is None and session.under_hub():
            return  # not in the register: the message says so
        if self.person is None:
            self.choose_person()
            return
        self.start()

    def choose_person(self) -> None:
        self.body.children = [self.person_picker(lambda _p: self.start())]

    def person_picker(self, on_chosen: Callable[[Person], None]) -> w.Widget:
        """On the embedded default only: choose who you are (this browser remembers it, across
        reloads and tabs; other browsers keep their own choice)."""
        people = self.register.people()
        picker = w.Dropdown(
            options=[(picker_label(p), p.id) for p in people],
            value=self.person.id if self.person else None,
            description="I am",
            layout=w.Layout(width="min(760px, 100%)"),
        )
        picker.add_class("person-picker")
        go = w.Button(description="Continue", button_style="primary")
        go.add_class("person-continue")

        @self.guard
        def choose(_b: w.Button) -> None:
            if picker.value is None:
                self.messages.show("Choose your name first.", "error")
                return
            person = self.register.person(picker.value)
            self._remember_in_browser(session.remember_local_person(person))
            self.person = person
            self.messages.clear()
            self.render_header()
            on_chosen(person)

        go.on_click(choose)
        note = w.HTML(
            '<p class="guidance">This is the single-user (embedded) mode: choose who you are. '
            "Under JupyterHub your login decides this.</p>"
        )
        return w.VBox([note, w.HBox([picker, go])], layout=w.Layout(margin="8px 0"))

    def _remember_in_browser(self, ticket: str) -> None:
        """The browser fetches this image; the answer sets its cookie (a kernel cannot)."""
        url = esc(session.choose_person_url(ticket))
        self._remembered.value = f'<img src="{url}" alt="" width="1" height="1">'


def picker_label(person: Person) -> str:
    """How the person picker names someone: name, team and roles in words."""
    return " — ".join(part for part in (person.name, person.team, role_words(person.roles)) if part)


def button(description: str, *classes: str, style: str = "", width: str = "auto") -> w.Button:
    """A button with stable CSS classes (for tests and styling)."""
    made = w.Button(description=description, button_style=style, layout=w.Layout(width=width))
    for css in classes:
        made.add_class(css)
    return made


def live_store() -> Store:
    """The live store, opened for one write (a refusal on a demonstration page goes to its
    access log); the caller closes it."""
    return Store()


def page_store() -> Store:
    """The store this page works on: the training store in demonstration mode, else live."""
    from toolkit.training.demo_store import open_training_store
    from toolkit.training.mode import demo_mode

    return open_training_store() if demo_mode() else Store()


def display_app(build: Callable[[], w.Widget]) -> None:
    """Display the app ``build`` makes; when a form definition is broken or the database is
    not set up for this version, display a clear message instead (the app must not start
    half-working, and users never see a traceback)."""
    from IPython.display import display

    from toolkit.core.errors import SchemaNewerThanToolkit, SchemaNotReady
    from toolkit.forms.loader import FormError, check_all

    def cannot_open(css_class: str, why: str) -> None:
        notice = MessageBar()
        notice.add_class(css_class)
        notice.show(
            f"This app cannot open because {why}. Nothing has been changed. "
            "Please tell your administrator.",
            "error",
        )
        display(w.VBox([stylesheet(), notice]))

    try:
        check_all()
    except FormError as exc:
        cannot_open("forms-broken", f"a form definition is broken: {exc}")
        return
    try:
        app = build()
    except SchemaNotReady as exc:
        # the command to run is for the administrator, not the page: to the kernel's own
        # stderr, which is the server's log (a log record would be a stderr output of the
        # cell, which Voilà never shows)
        print(f"toolkit: {exc}", file=sys.__stderr__, flush=True)
        if isinstance(exc, SchemaNewerThanToolkit):
            cannot_open(
                "database-newer", "the database was upgraded by a newer version of the toolkit"
            )
        else:
            cannot_open("database-not-ready", "the database is not set up for this version yet")
        return
    display(app)
