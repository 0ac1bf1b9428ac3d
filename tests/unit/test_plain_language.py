"""The plain-language check suggests, never blocks; examples from the seeds' worked examples."""

from __future__ import annotations

from toolkit.supervision.plain_language import danger_statement, jargon, plain_text

# seeds/001 L1502–1508 (Durham's worked example of a danger statement)
JAMES = (
    "James from Families First is worried as on 2/3/20 Carl hit Claire hard enough on the face to "
    "give her a black eye then started punching walls and throwing things around the house. When "
    "the police came JoJo and Maddy were crying, Casey was sitting quiet in the corner and Danni "
    "and Kiera were screaming. James is worried that if things don’t change then the children will "
    "grow up in a home where they feel scared and unsafe, that they could get hurt in the "
    "crossfire whether Carl means for this to happen or not, and that as they grow up they start "
    "to learn that it is normal for boys to hurt and scare girls."
)
# seeds/001 L2787–2792 (the worked example of writing about worries)
KATIE = (
    "Mum suffers from depression and at home visits on 23/1 and 30/1 mum felt so low that she "
    "couldn’t bring herself to get out of bed until the afternoon. When mum is feeling like this "
    "and spends hours in bed she isn’t able to soothe her son when he cries, he is going without "
    "food until mum feels able to get up and he is missing out on the cuddles and affection that "
    "help him to bond with mum. Katie (social worker) is worried that this could mean that he is "
    "already starting to learn that he can’t always depend on his mum to look after him when he "
    "is hungry or needs reassured."
)


def kinds(flags):
    return [f.kind for f in flags]


def test_the_seed_examples_pass_cleanly():
    assert danger_statement(JAMES) == []
    assert danger_statement(KATIE) == []


def test_jargon_the_audit_form_names_is_flagged():
    text = "There are concerns about neglect, poor attachment and violent incidents."
    found = [f.term for f in jargon(text)]
    assert found == ["violent incidents", "neglect", "poor attachment"]


def test_a_vague_statement_is_asked_for_all_three_parts():
    flags = danger_statement("There are concerns about neglect and domestic violence.")
    assert kinds(flags) == ["jargon", "jargon", "who", "what", "impact"]
    assert "Who is worried?" in flags[2].message


def test_missing_impact_only():
    flags = danger_statement("The school is worried that Dad will keep drinking at night.")
    assert kinds(flags) == ["impact"]


def test_missing_who_only():
    flags = danger_statement("There are worries that the baby will be hurt if Dad hits Mum again.")
    assert kinds(flags) == ["who"]


def test_whole_words_only_and_case():
    assert jargon("Mum was appropriately dressed; engagement was good.") == []
    assert [f.term for f in jargon("a history of DV")] == ["DV"]
    assert jargon("a dv lesson") == []
    assert [f.term for f in plain_text("Mum is loving and comes to appointments")] == [
        "loving",
        "comes to appointments",
    ]


def test_empty_text_has_nothing_to_say():
    assert danger_statement("") == []
    assert plain_text("") == []
