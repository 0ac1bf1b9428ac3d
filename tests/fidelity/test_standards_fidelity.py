"""Every practice standard the toolkit shows stands, word for word, in the seed it cites, and no
item was dropped: the number of expectations and bottom lines per authority is asserted.

The seeds live beside the clone (``../shared/seeds``); without them this module is skipped.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator

import pytest

from tests.support import fidelity
from toolkit.forms.models import SourceRef
from toolkit.standards.loader import available_authorities, load_standards
from toolkit.standards.models import Standards

pytestmark = pytest.mark.skipif(
    not fidelity.SEEDS_DIR.is_dir(),
    reason=f"the seed documents are not at {fidelity.SEEDS_DIR}: nothing to compare with",
)


def standards_texts(standards: Standards) -> Iterator[tuple[str, str, SourceRef]]:
    """Every quotation: titles, principles, introductions, items and where-to-look cells."""
    yield "title", standards.title, standards.source
    for heading in standards.principles:
        yield f"principles[{heading.id}]", heading.title, heading.source
    for area in standards.areas:
        yield f"{area.id}.title", area.title, area.source
        for n, cited in enumerate(area.introduction):
            yield f"{area.id}.introduction[{n}]", cited.text, cited.source
        for item in area.items:
            yield f"{area.id}.{item.id}", item.text, item.source
            for n, cited in enumerate(item.where_to_look):
                yield f"{area.id}.{item.id}.where_to_look[{n}]", cited.text, cited.source


def _counts(standards: Standards) -> dict[str, Counter[str]]:
    return {area.id: Counter(item.kind for item in area.items) for area in standards.areas}


AUTHORITIES = available_authorities()


@pytest.mark.parametrize("authority", AUTHORITIES)
def test_every_standard_stands_in_its_seed(authority: str) -> None:
    standards = load_standards(authority)
    texts = list(standards_texts(standards))
    problems = [
        f"{where}: {fault}"
        for where, text, source in texts
        if (fault := fidelity.problem(text, source, standards.seed)) is not None
    ]
    assert problems == [], f"{len(problems)} of {len(texts)} texts differ:\n" + "\n".join(problems)


# --- Bexley: 15 service areas, 262 expectations and 56 bottom lines (seed 000 L287–1990) -------

BEXLEY = {
    "fw": (19, 5),
    "mash": (17, 4),
    "ra": (28, 4),
    "trf": (5, 2),
    "pcpc": (9, 2),
    "cpc": (15, 3),
    "fscp": (22, 5),
    "cwd": (27, 5),
    "lac": (28, 10),
    "lacr": (7, 2),
    "lac2lc": (10, 3),
    "lc": (24, 3),
    "fa": (15, 3),
    "fss": (18, 5),
    "adp": (18, 0),  # the source prints no Bottom Lines box for Adoption
}


def test_bexley_has_every_expectation_and_bottom_line_of_its_fifteen_areas() -> None:
    counts = _counts(load_standards("bexley"))
    assert {a: (c["expectation"], c["bottom_line"]) for a, c in counts.items()} == BEXLEY
    assert sum(e for e, _ in BEXLEY.values()) == 262
    assert sum(b for _, b in BEXLEY.values()) == 56


def test_bexley_items_sit_inside_their_area_lines() -> None:
    """An item cited from outside its own area's pages was put in the wrong area."""
    standards = load_standards("bexley")
    for before, area in zip(standards.areas, standards.areas[1:], strict=False):
        first = min(i.source.lines[0][0] for i in area.items)
        last_before = max(i.source.lines[-1][1] for i in before.items)
        assert last_before < first, (before.id, area.id)


def test_a_changed_bottom_line_is_reported() -> None:
    standards = load_standards("bexley")
    _, item = standards.item("ra_bl02")
    assert "within 15 working days" in item.text
    assert fidelity.problem(item.text, item.source, standards.seed) is None
    changed = item.text.replace("15 working days", "20 working days")
    assert fidelity.problem(changed, item.source, standards.seed) is not None


# --- Leicester: 13 sections and the Lundy model (seed 003 L126–169, L371–1323) ----------------

#: (expectations including sub-items "↳", bottom lines) per section, from seed-notes/003.md §2
LEICESTER = {
    "s01": (39, 6),
    "s02": (22, 5),
    "s03": (44, 10),
    "s04": (21, 2),
    "s05": (16, 4),
    "s06": (8, 3),
    "s07": (44, 20),
    "s08": (13, 9),
    "s09": (14, 7),
    "s10": (26, 5),
    "s11": (20, 4),
    "s12": (22, 6),
    "s13": (23, 7),
}


def test_leicester_has_every_expectation_and_bottom_line_of_its_thirteen_sections() -> None:
    counts = _counts(load_standards("leicester"))
    sections = {a: (c["expectation"], c["bottom_line"]) for a, c in counts.items() if a[0] == "s"}
    assert sections == LEICESTER


def test_leicester_lundy_model_has_twelve_checking_questions_and_four_impact_mechanisms() -> None:
    standards = load_standards("leicester")
    lundy = [a for a in standards.areas if a.kind == "participation_model"]
    assert [a.title for a in lundy] == ["Space", "Voice", "Audience", "Influence", "Impact"]
    questions = [i for a in lundy for i in a.items if i.kind == "question"]
    assert len(questions) == 12
    assert len(standards.area("lundy_impact").items) == 4
    assert all(a.introduction for a in lundy)  # each element's definition is shown


# --- Durham: practice standards (April 2019) and the 2020-21 expectation matrices (seed 001) ---

DURHAM = {
    "plans": 27,  # three "All Plans will:" blocks of 11, 12 and 4 (L7212–7364)
    "case_recording": 29,  # 19 "All case recording will:", 4 timescale, 6 basic information
    "assessment": 28,  # numbered 1.1–1.10, 2.1–2.9, 3.1–3.5, 4.1–4.4
    "wellbeing_expectations": 18,  # Signs of Wellbeing Expectations 2020-21 (L901–1217)
    "success_expectations": 23,  # Signs of Success 2020-21 (L6908–7174)
}


def test_durham_has_every_practice_standard_and_matrix_expectation() -> None:
    standards = load_standards("durham")
    assert {a.id: len(a.items) for a in standards.areas} == DURHAM
    numbered = [i.text.split(" ", 1)[0] for i in standards.area("assessment").items]
    assert numbered[:3] == ["1.1", "1.2", "1.3"]
    assert numbered[-1] == "4.4"


def test_durham_matrices_say_where_on_the_file_to_look() -> None:
    standards = load_standards("durham")
    matrix = standards.area("wellbeing_expectations")
    with_where = [i for i in matrix.items if i.where_to_look]
    assert len(with_where) >= 5
    _, item = standards.item("wellbeing_mapping_02")
    assert "Mapping tool is used with the identified Network" in item.text
    assert "attached as a document" in item.where_to_look[0].text


# --- Manchester (seed 004): all 38 standards, the Manager's Footprint among them -----------------


def test_manchester_has_all_38_standards_in_order() -> None:
    standards = load_standards("manchester")
    assert [a.number for a in standards.areas] == list(range(1, 39))
    assert standards.area("s13").title.startswith("Management Oversight")
    assert standards.area("s38").title == "Case Summaries"


#: items per standard, as seed-notes/004.md §2.2 counts the bullets (the Footprint: 7 focus + 10),
#: plus S04's unbulleted paragraph that states practice (L678–684, Family Network Meetings in
#: all interventions); S01, S05, S06 and S10–S12 open with paragraphs of purpose or values only
MANCHESTER = {"s01": 11, "s04": 7, "s05": 5, "s06": 11, "s10": 4, "s11": 4, "s12": 5, "s34": 4}

#: standards 2, 3, 7–9 and 14–22, counted by hand in seed 004: one item per "•" bullet ("-"
#: sub-points stay inside their bullet); a paragraph standing among the bullets that states
#: practice is an item too (marked "+ n para"); lead-ins and sub-headings are not items.
MANCHESTER |= {
    "s02": 14,  # L437–549: 2 opening paras (L437, L450) + 11 bullets + 1 para (L534–543)
    # L556–669: 1 opening para + 9 bullets, 3 under "see the child", 2 under "First visits…"
    "s03": 15,
    # L930–1004: 1 opening para, 1 bullet, 3 for the transferring, 3 for the receiving team
    "s07": 8,
    "s08": 5,  # L1061–1106: the up-to-date file (5 sub-points) + 4 "closure process" bullets
    "s09": 10,  # L1132–1139 opening para + L1178–1229: "When seeing the child we consider:"
    "s14": 8,  # L1603–1698 (Supervision, 4 sub-headings)
    "s15": 3,  # L1718–1742: 2 Group Mapping + 1 Reflective Group Supervision
    "s16": 19,  # L1811–1896: 3 bullets + 1 para (L1831–1838), 9 decision points, 6 uses
    "s17": 3,  # L1926–1961
    "s18": 5,  # L2019–2070: 4 bullets + 1 para (L2066–2070)
    "s19": 8,  # L2087–2144: 3 + 5 under "This ensures:" (L2107 lost its bullet at a page break)
    "s20": 8,  # L2168–2204: 3 sources + 2 paras (L2175–2192) + 3 against bias
    "s21": 6,  # L2253–2300
    "s22": 5,  # L2305–2316 opening para + L2318–2343
}


def test_manchester_standards_have_every_bullet() -> None:
    standards = load_standards("manchester")
    counts = {
        a.id: len(a.items)
        for a in standards.areas
        if a.id != "s13" and a.id not in MANCHESTER_LATER
    }
    assert counts == MANCHESTER


#: items per standard S23–S38 but S34, counted by hand in seed 004 L2347–3418 by the rule of
#: S02–S22: each "•" line begins an item and keeps its "- " sub-list; a paragraph without a
#: bullet that states practice is an item too ("+ n para"); paragraphs of purpose, context or
#: policy to be familiar with stay the introduction. S29 and S38 print one paragraph only.
MANCHESTER_LATER = {
    "s23": 11,  # 1 para (L2350–2363) + 8 timeframes (L2373–2402), 2 triggers (L2407–2414)
    "s24": 8,  # 1 para (L2419–2422, when a strategy meeting is held) + 7 bullets
    "s25": 10,  # 2 of them under "A Section 47 Enquiry should conclude with:" (L2572)
    "s26": 11,  # 3 paras (L2646–2687, the permanence routes the last) + 8 bullets
    "s27": 4,
    "s28": 10,  # 1 para (L2853–2861, Words & Pictures in every plan) + 9 bullets
    "s29": 1,
    "s30": 9,  # 3 paras (L2994–3017: collaboration, permanence plan, advocacy) + 6 bullets
    "s31": 3,  # 1 para (L3077–3082, initial health assessment within 5 days) + 2 bullets
    "s32": 2,  # 1 para (L3094–3100, a PEP for every child aged 2–18) + 1 bullet
    "s33": 7,  # 1 para (L3135–3149, family placements, siblings together) + 6 bullets
    "s35": 2,
    "s36": 4,  # 2 paras (L3269–3281 Staying Put, L3286–3292 at 15 years 6 months) + 2 bullets
    "s37": 6,  # 1 para (L3322–3329, language which does not blame families) + 5 bullets
    "s38": 1,
}


def test_manchester_later_standards_have_every_bullet_in_the_order_of_the_seed() -> None:
    standards = load_standards("manchester")
    counts = {a.id: len(a.items) for a in standards.areas if a.id in MANCHESTER_LATER}
    assert counts == MANCHESTER_LATER
    ids = [a.id for a in standards.areas]
    assert ids[ids.index("s23") :] == [f"s{n}" for n in range(23, 39)]
    assert all(a.number == int(a.id[1:]) for a in standards.areas if a.id in MANCHESTER_LATER)


def test_manchester_later_items_sit_between_their_heading_and_the_next_standard() -> None:
    """An item cited from outside its standard's pages (L2347–3418) was put in the wrong one."""
    standards = load_standards("manchester")
    later = standards.areas[[a.id for a in standards.areas].index("s23") :]
    ends = [a.source.lines[0][0] for a in later[1:]] + [3419]  # Appendix 1 begins at L3419
    for area, end in zip(later, ends, strict=True):
        title_end = area.source.lines[-1][1]
        for item in area.items:
            assert title_end < item.source.lines[0][0], item.id
            assert item.source.lines[-1][1] < end, item.id


def test_manchester_sub_headings_stand_in_the_seed_above_their_items() -> None:
    """A sub-heading has no lines of its own: it must stand between its standard's heading and
    the item it is shown above."""
    standards = load_standards("manchester")
    lines = fidelity.seed_lines(standards.seed)
    headed = [(a, i) for a in standards.areas for i in a.items if i.subheading]
    assert {i.subheading for _, i in headed} >= {
        "Re-assessment timeframes are:",
        "A Section 47 Enquiry should conclude with:",
    }
    for area, item in headed:
        above = "\n".join(lines[area.source.lines[0][0] - 1 : item.source.lines[0][0] - 1])
        printed = (fidelity.squash(above), fidelity.squash(fidelity.join_line_end_hyphens(above)))
        assert any(fidelity.squash(item.subheading) in text for text in printed), item.id


def test_manchester_standards_of_one_paragraph_say_so() -> None:
    standards = load_standards("manchester")
    for area_id in ("s29", "s38"):
        (item,) = standards.area(area_id).items
        assert item.note
        assert "one paragraph" in item.note
    assert standards.area("s38").items[0].text.endswith("Healthy, and Successful.")


def test_manchester_managers_footprint_has_seven_focus_areas_and_ten_expectations() -> None:
    standards = load_standards("manchester")
    footprint = standards.area("s13")
    assert "Manager’s Footprint" in footprint.title
    assert [i.kind for i in footprint.items].count("focus") == 7
    assert [i.kind for i in footprint.items].count("expectation") == 10
    assert footprint.items[-1].text.endswith("or multiple social workers.")


def test_manchester_standards_follow_the_seed_in_order() -> None:
    """Areas in numeric order, each one's lines after the one before: nothing put in the wrong
    standard."""
    areas = load_standards("manchester").areas
    assert [a.number for a in areas] == sorted(a.number for a in areas)
    for before, area in itertools.pairwise(areas):
        last_before = max(r[1] for i in before.items for r in i.source.lines)
        assert last_before < area.source.lines[0][0], (before.id, area.id)


# Not Durham: its seed flattens tables, so a sub-heading can be printed after its items
# (plans_a01 at L7216, "What the Plan needs to achieve" at L7268).
@pytest.mark.parametrize("authority", ["leicester", "manchester"])
def test_every_subheading_is_printed_between_its_area_title_and_its_item(authority: str) -> None:
    """Sub-headings are not cited on their own: they must be printed above their item."""
    standards = load_standards(authority)
    lines = fidelity.seed_lines(standards.seed)
    problems = []
    for area in standards.areas:
        start = area.source.lines[0][0]
        for item in area.items:
            if item.subheading is None:
                continue
            span = "\n".join(lines[start - 1 : item.source.lines[0][0]])
            if fidelity.squash(item.subheading) not in fidelity.squash(span):
                problems.append(f"{item.id}: {item.subheading!r}")
    assert problems == []


def test_manchester_supervision_records_timescales_are_verbatim() -> None:
    """S14 Supervision: a formal record within one week, an ad-hoc one within 48 hours."""
    standards = load_standards("manchester")
    area, item = standards.item("s14_e02")
    assert area.title == "Supervision"
    assert "be recorded within one week of formal supervision." in item.text
    assert "to add to the system within 48 hours of the discussion." in item.text
    assert item.source.lines == [(1619, 1626)]
    assert fidelity.problem(item.text, item.source, standards.seed) is None
    changed = item.text.replace("within one week", "within two weeks")
    assert fidelity.problem(changed, item.source, standards.seed) is not None
    headings = [i.subheading for i in area.items]
    assert headings[2:4] == ["Quality of decision making and interventions"] * 2
    assert headings[-1] == "Further personal learning, career and development opportunities"


def test_seed_lines_count_as_an_editor_does_even_with_unicode_line_separators() -> None:
    """Seed 004 holds U+2028: its line numbers must still be those of the notes (L1440 heading)."""
    assert fidelity.seed_lines("004")[1439].strip() == "Management"


# --- timescales and authority profiles quote their sources too ---------------------------------


@pytest.mark.parametrize("authority", AUTHORITIES)
def test_every_timescale_and_profile_quote_stands_in_its_seed(authority: str) -> None:
    from toolkit.core.profiles import load_profile
    from toolkit.standards.loader import load_timescales

    for definition in (load_timescales(authority), load_profile(authority)):
        cited = list(fidelity.cited_texts(definition))
        assert cited, f"{authority}: nothing quoted"
        problems = [
            f"{where}: {fault}"
            for where, text, source in cited
            if (fault := fidelity.problem(text, source, definition.seed)) is not None
        ]
        assert problems == [], "\n".join(problems)


def test_profile_supervision_frequencies_are_the_words_of_their_quotes() -> None:
    from toolkit.core.profiles import load_profile

    for authority in AUTHORITIES:
        for entry in load_profile(authority).supervision:
            assert entry.frequency in entry.quote.text, (authority, entry.team)


# --- Manchester: unbulleted paragraphs that state practice are rateable items (issue 8) --------

#: the note S02–S22 give such a paragraph (the toolkit's words, not a quotation)
PARAGRAPH_ITEM = (
    "A paragraph among the bullets in the source (no bullet mark), "
    "stating practice: kept as an item."
)


def test_manchester_items_are_listed_in_the_order_of_the_seed() -> None:
    """Ids stay as first given (saved answers use them), so a paragraph made an item later has a
    higher number than the bullets after it: the list order, not the id, follows the seed."""
    for area in load_standards("manchester").areas:
        starts = [item.source.lines[0][0] for item in area.items]
        assert starts == sorted(starts), area.id


def test_manchester_paragraphs_stating_practice_can_be_rated() -> None:
    """S23–S38 first put every unbulleted paragraph in the introduction, where a thematic audit
    cannot rate it: those stating what we do are items, noted as S02–S22 note theirs."""
    standards = load_standards("manchester")
    printed = {
        "s04_e07": "Family Network Meetings should be facilitated as part of all",
        "s23_e11": "All cases should be reassessed",
        "s24_e08": "a strategy meeting should be held.",
        "s26_e09": "Developed in collaboration with the child’s family network",
        "s26_e10": "Plans are child relevant.",
        "s26_e11": "- Permanent Fostering; - Long Term Residential Care.",
        "s28_e10": "through the use of Words & Pictures safety plan.",
        "s30_e07": "are actively consulted about, and involved, in the child’s plan",
        "s30_e08": "their Permanence Plan is incorporated into the child’s Care Plan",
        "s30_e09": "every child or young person should have access to advocacy",
        "s31_e03": "with initial health assessments within 5 days of placement",
        "s32_e02": "from the age f 2yrs old up to 18yrs old has a PEP",
        "s33_e07": "siblings are placed together",
        "s36_e03": "(Staying Put), at least until they are 21 (or 24)",
        "s36_e04": "When the young person reaches 15 years and 6 months of age",
        "s37_e06": "Our recordings should use language which does not blame families",
        # opening paragraphs of S02–S22 that state practice (S21's L2246 is a lead-in: "through:")
        "s02_e13": "we ensure that children and their families receive the right level of support",
        "s02_e14": "we engage the person reporting using our best questions",
        "s03_e15": "Children and families will have a timely response",
        "s07_e08": "Clear and effective communication will be a feature of all transfers",
        "s09_e10": "we ensure active participation in the assessment and planning process",
        "s22_e05": "We write our assessments with this in mind",
    }
    for item_id, words in printed.items():
        area, item = standards.item(item_id)
        assert words in item.text, item_id
        assert item.note == PARAGRAPH_ITEM, item_id
        assert all(words not in cited.text for cited in area.introduction), item_id
    kept = [i for a in standards.areas for i in a.items if i.note == PARAGRAPH_ITEM]
    assert len(kept) == 5 + len(printed)  # S02, S16, S18 and S20 kept 5 such paragraphs
