"""Real differences between outlets that the comparison used to miss (issue 11), and small parsing bugs
that made it miss or invent them. Every example is written for this file."""

from __future__ import annotations

import pytest

from summarizer.analysis import analyse, find_names, group_names
from summarizer.analysis.numbers import find_numbers
from summarizer.documents import document_from_text
from summarizer.offline import compare_offline
from summarizer.schemas import Comparison, Document


def docs(*texts: str) -> list[Document]:
    return [
        document_from_text(t, source_id=s, outlet=f"Outlet {s}") for t, s in zip(texts, "ABC", strict=False)
    ]


def name_conflicts(*texts: str) -> list[str]:
    return [
        f.description for f in analyse(docs(*texts)).findings if f.type == "conflict" and f.kind == "name"
    ]


# ------------------------------------------------------------------------------------------------
# A first name misspelt by one letter
# ------------------------------------------------------------------------------------------------

HARBOUR = (
    "County Commissioner {} said on Monday that the harbour dredging would resume next spring. "
    "{} told reporters the budget had been approved by the county board after a long debate."
)


def test_a_first_name_one_letter_apart_for_the_same_person_is_a_spelling_conflict() -> None:
    a = HARBOUR.format("Eric Holbrook", "Holbrook")
    b = HARBOUR.format("Erik Holbrook", "Holbrook")
    [found] = name_conflicts(a, b)
    assert "Eric Holbrook (A)" in found and "Erik Holbrook (B)" in found


def test_a_first_name_one_letter_apart_is_found_without_a_role_when_the_sentences_match() -> None:
    text = (
        "{} painted the mural on the old grain silo over three summers, neighbours said. "
        "The silo stands at the edge of the county fairground."
    )
    [found] = name_conflicts(text.format("Jodi Quillen"), text.format("Jody Quillen"))
    assert "Jodi Quillen (A)" in found and "Jody Quillen (B)" in found


def test_first_names_one_letter_apart_in_unrelated_sentences_without_roles_are_left_apart() -> None:
    a = "Jodi Quillen painted the mural on the old grain silo over three summers, neighbours said."
    b = "The county fair opened on Friday with a parade led by Jody Quillen and two marching bands."
    assert name_conflicts(a, b) == []


def test_two_relatives_whose_first_names_differ_by_one_letter_stay_two_people() -> None:
    a = (
        "Jon Pellham and his brother Joe Pellham opened the bakery in 1998. "
        "Jon Pellham said the ovens were bought second-hand."
    )
    b = "Joe Pellham said the ovens were bought second-hand when the bakery opened in 1998."
    assert name_conflicts(a, b) == []
    groups = group_names([m for d in docs(a, b) for m in find_names(d)])
    assert {g.canonical for g in groups if g.type == "person"} == {"Jon Pellham", "Joe Pellham"}


def test_first_names_one_letter_apart_with_different_roles_are_different_people() -> None:
    a = "Senator Dana Whitcombe said on Monday the bill would pass before the recess."
    b = "Coach Dina Whitcombe said on Monday the team would travel before the recess."
    assert name_conflicts(a, b) == []


def test_first_names_two_letters_apart_are_not_one_person() -> None:
    a = HARBOUR.format("Mark Holbrook", "Holbrook")
    b = HARBOUR.format("Mike Holbrook", "Holbrook")
    assert name_conflicts(a, b) == []


def test_a_compass_word_before_a_state_names_a_place_not_a_person() -> None:
    [d] = docs("Turnout in South Dakota rose on Tuesday, while North Carolina counted ballots.")
    kinds = {m.text: m.type for m in find_names(d)}
    assert kinds["South Dakota"] == "place" and kinds["North Carolina"] == "place"


# ------------------------------------------------------------------------------------------------
# One figure told in statements worded too differently to pair
# ------------------------------------------------------------------------------------------------

LEDGERS_A = (
    "The regulator said on Monday that it had received 12,400 pages of shipping ledgers from Harlow "
    "Freight. Inspectors will read them over the summer."
)
LEDGERS_B = (
    "Boxes holding {} pages of printed ledgers were carried out of the offices of Harlow Freight by "
    "lawyers in March. The company has denied any wrongdoing."
)


def number_conflicts(*texts: str) -> list[str]:
    return [
        f.description for f in analyse(docs(*texts)).findings if f.type == "conflict" and f.kind == "number"
    ]


def test_the_only_figures_of_one_thing_conflict_though_their_sentences_are_worded_differently() -> None:
    [found] = number_conflicts(LEDGERS_A, LEDGERS_B.format("11,900"))
    assert "12,400 in A" in found and "11,900 in B" in found


def test_an_approximate_figure_is_no_conflict() -> None:
    assert number_conflicts(LEDGERS_A, LEDGERS_B.format("about 11,900")) == []


def test_a_source_giving_two_figures_of_the_unit_is_no_conflict() -> None:
    b = LEDGERS_B.format("11,900") + " A further 300 pages were found later."
    assert number_conflicts(LEDGERS_A, b) == []


def test_figures_of_sentences_about_different_actors_and_acts_are_no_conflict() -> None:
    b = "A biography of the singer Mara Quint runs to 640 pages and sold well in March."
    assert number_conflicts(LEDGERS_A, b) == []


def test_figures_of_sentences_set_in_different_years_are_no_conflict() -> None:
    a = LEDGERS_A.replace("Harlow Freight.", "Harlow Freight in January 2024.")
    b = LEDGERS_B.format("11,900").replace("in March", "in March 2009")
    assert number_conflicts(a, b) == []
    assert number_conflicts(a, LEDGERS_B.format("11,900").replace("in March", "in March 2024")) != []


def test_counts_of_people_with_different_nouns_are_no_conflict() -> None:
    a = "Flooding near Harlow Freight's depot left 12 dead, the regulator said on Monday."
    b = "At the depot of Harlow Freight, rescuers treated 15 injured after the river rose in the night."
    assert number_conflicts(a, b) == []


def test_an_unpaired_figure_is_a_candidate_for_review_not_an_offline_conflict() -> None:
    pair = docs(LEDGERS_A, LEDGERS_B.format("11,900"))
    [candidate] = [f for f in analyse(pair).candidates() if f.rule == "D108"]
    assert not candidate.high
    assert compare_offline(pair).conflicts == []


# ------------------------------------------------------------------------------------------------
# Parsing: clock times
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("The ferry left the quay at 7:16 p.m. on Friday with 40 passengers.", "7:16 p.m."),
        ("Doors opened at 10:30 a.m. and 200 people queued.", "10:30 a.m."),
        ("The vote closed at 9 pm, and 12 members abstained.", "9 pm"),
        ("By 18:45 the 3 lanes were open again.", "18:45"),
    ],
)
def test_a_clock_time_is_one_time_not_two_quantities(text: str, clock: str) -> None:
    found = find_numbers(text)
    [time] = [n for n in found if n.unit == "clock"]
    assert time.text == clock and text[time.start : time.end] == clock
    assert all(n.unit != "clock" for n in found if n is not time) and len(found) == 2


@pytest.mark.parametrize(("x", "y"), [("7:16 p.m.", "8:16 p.m."), ("7 p.m.", "8 p.m."), ("7:16", "7:40")])
def test_different_clock_times_of_one_statement_are_no_number_conflict(x: str, y: str) -> None:
    said = "The ferry left the quay at {} on Friday with 40 passengers aboard, the harbour master said."
    assert number_conflicts(said.format(x), said.format(y)) == []


def test_a_ratio_or_score_with_a_colon_is_not_a_clock_time() -> None:
    assert all(n.unit != "clock" for n in find_numbers("The board voted 7:1 for the plan."))


# ------------------------------------------------------------------------------------------------
# Parsing: a title abbreviation at the end of a line
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("The bakery thanked Mrs.\nPellham for the loan. Then it reopened.", 2),
        ("Talks with Dr.\r\nQuillen went on late. Nobody left.", 2),
        ("The pier was inspected by Gen.\n  Holbrook on Monday.", 1),
        ("She thanked Mrs. Pellham.\nThen the bakery reopened.", 2),  # a break after a full stop ends one
        ("The bakery thanked Mrs.\n\nPellham then spoke.", 2),  # a blank line always ends one
    ],
)
def test_a_line_break_after_a_title_abbreviation_does_not_end_the_sentence(text: str, sentences: int) -> None:
    [d] = docs(text)
    assert len(d.sentences) == sentences
    assert d.text[d.sentences[0].start : d.sentences[0].end].endswith(
        ("loan.", "late.", "Monday.", "Pellham.", "Mrs.")
    )


# ------------------------------------------------------------------------------------------------
# A close copy: no sentence both reported by all and by only some
# ------------------------------------------------------------------------------------------------

ORIGINAL = [
    "The county board voted on Tuesday to close the old harbour bridge for repairs.",
    "Engineers found rust in the main cables of the bridge during a spring inspection.",
    "Ferry services will run every twenty minutes while the bridge is closed.",
    "Shop owners near the harbour said the closure would cost them customers.",
    "Many shop owners currently rely on drivers who cross the bridge from the north shore.",
    "The board promised a grant for the shops, but owners said drivers from the north shore would stay away.",
    "Repairs are expected to last until the autumn, the board said in a statement.",
    "A public meeting about the ferry timetable will be held at the library next week.",
]


def test_a_sentence_dropped_from_a_close_copy_is_not_also_reported_by_all() -> None:
    copy = [s for n, s in enumerate(ORIGINAL) if n != 5]  # its best match is sentence 4, loosely
    by_all, by_some = _by_all_and_by_some(compare_offline(docs(" ".join(ORIGINAL), " ".join(copy))))
    assert "A6" in by_some
    assert not by_all & by_some


def _by_all_and_by_some(comparison: Comparison) -> tuple[set[str], set[str]]:
    by_all, by_some = set(), set()
    for claim in comparison.claims:
        told = {i for s in claim.sources if s.status == "reports" for e in s.evidence for i in e.sentence_ids}
        if all(s.status == "reports" for s in claim.sources):
            by_all |= told
        elif claim.rule == "D107":
            by_some |= told
    return by_all, by_some


def test_a_statement_told_by_all_is_not_also_told_by_only_some_from_another_sources_side() -> None:
    """B's sentence finds nothing in C (only A and B tell it), while its counterpart in A is matched in C
    (all tell it): the weaker claim, told by all, is not made."""
    a = (
        "The mayor said the harbour bridge will close in May for cable repairs, and extra ferries will run."
        " Tourism officials expect fewer visitors this summer."
    )
    b = (
        "Extra ferries will run while crews replace rusted cables, the mayor said."
        " Local schools will adjust their bus routes during the work."
    )
    c = "The harbour bridge will close in May, the city announced. The library extended its weekend hours."
    by_all, by_some = _by_all_and_by_some(compare_offline(docs(a, b, c)))
    assert "B2" in by_some and not by_all & by_some


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("The bakery sold two dozen loaves.", [24]),
        ("The board signed nearly two-dozen orders.", [24]),
        ("They ordered 3 dozen eggs and a dozen rolls.", [36, 12]),
        ("Half a dozen stalls and dozens of boxes.", [6]),
    ],
)
def test_a_count_of_dozens_is_one_number(text: str, values: list[float]) -> None:
    assert [n.value for n in find_numbers(text)] == values


def test_common_local_titles_are_roles_not_part_of_the_name() -> None:
    [d] = docs(
        "Port Commissioner Eric Holbrook said the dredging would resume. County Sheriff Dana Wilkes agreed."
    )
    people = {m.text: m for m in find_names(d) if m.type == "person"}
    assert people["Eric Holbrook"].role == "Port Commissioner"
    assert people["Dana Wilkes"].role == "County Sheriff"
