"""Two years of fictional past audits for the run command's demonstration, so the quality
assurance reports and the moderation history have something to count.

The six story audits of :mod:`toolkit.demo.seed` are too few for a report: any count below 5
is withheld. These audits are of five other teams, by people of their own (a team manager who
audits and three practitioners in each), so the named demonstration people's own screens
(*My audits*, the follow-ups and actions due) show only their stories; the demonstration's
moderator moderated them, so her moderation list has a history too. Every audit is
flagged ``demo`` like the stories; they end at the start of the current quarter, so the last
whole quarter (the reports' default period) is full.
"""

from __future__ import annotations

import datetime as dt

from toolkit.demo.generate import People, generate
from toolkit.demo.seed import add_demo_person
from toolkit.store import Store

#: audits over the two years: about 60 a quarter across the five teams
HISTORY_AUDITS = 480
SEED = 11

#: service → team → (the team manager, who audits other teams' files, and three practitioners).
#: All invented; none is a named person of the stories.
HISTORY_TEAMS: dict[str, dict[str, tuple[str, ...]]] = {
    "Assessment and Intervention": {
        "Assessment Team 2": ("Carys Hallam", "Amara Lorimer", "Idris Pellow", "Wren Dunmore"),
        "Assessment Team 3": ("Owen Castellan", "Hana Jessop", "Femi Norbury", "Esme Quarrie"),
    },
    "Child Protection and Child in Need": {
        "Child in Need Team 1": ("Gwen Tollemache", "Kofi Eskew", "Pia Wardlaw", "Jun Fairlie"),
        "Child Protection Team": (
            "Mateo Brightwell",
            "Rosa Inchbald",
            "Dev Yeardley",
            "Uma Gorrell",
        ),
    },
    "Children Looked After and Care Leavers": {
        "Care Leavers Team": (
            "Lena Stainthorpe",
            "Sami Kettering",
            "Tara Oakhanger",
            "Yusuf Vexley",
        ),
    },
}


def quarter_start(today: dt.date) -> dt.datetime:
    """Midnight (UTC) on the first day of ``today``'s quarter: where the history ends."""
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return dt.datetime.combine(first, dt.time(), dt.timezone.utc)


def _add(store: Store, name: str, roles: tuple[str, ...], team: str, service: str) -> int:
    return add_demo_person(store, name, roles, team, service, name.lower().replace(" ", ".")).id


def add_history(
    store: Store, today: dt.date | None = None, audits: int = HISTORY_AUDITS
) -> dict[str, int]:
    """Add the history's people and its audits (flagged ``demo``) to ``store``; returns how
    many rows of each kind were written, ``people`` included."""
    people = People()
    added = 0
    for service, teams in HISTORY_TEAMS.items():
        for team, (manager, *practitioners) in teams.items():
            mid = _add(store, manager, ("auditor", "manager"), team, service)
            people.managers[team] = mid
            people.auditors.append(mid)  # as generate's own register has them
            people.names[mid] = manager
            for name in practitioners:
                pid = _add(store, name, ("practitioner",), team, service)
                people.practitioners.append((pid, name, team, service))
                people.names[pid] = name
            added += 1 + len(practitioners)
    # moderated by the demonstration's own moderator (Harriet), who is then the one moderator
    # a new sample is allocated to, as in the stories
    people.moderators = [p.id for p in store.people() if "moderator" in p.roles]
    if not people.moderators:
        raise ValueError("Seed the demonstration's people first: the history needs its moderator.")
    until = quarter_start(today or dt.date.today())
    counts = generate(store, audits, seed=SEED, demo=True, people=people, until=until)
    return {"people": added, **counts}
