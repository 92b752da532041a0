"""Conflicts only between statements about the same thing (issue 11): the false conflicts the issue
lists (two events paired, two ads of different years paired, two posts paired), and the real
differences it says were missed (a name misspelt by one outlet that also uses the bare surname).
Every text here is written for the test, never taken from a dev article."""

from __future__ import annotations

from summarizer.analysis import analyse
from summarizer.documents import document_from_text
from summarizer.schemas import Document, Span


def docs(*texts: str) -> list[Document]:
    return [
        document_from_text(t, source_id=chr(ord("A") + n), outlet=f"Outlet {n}", published="2024-05-10")
        for n, t in enumerate(texts)
    ]


def conflicts(*texts: str, kind: str | None = None) -> list[str]:
    return [
        f.description for f in analyse(docs(*texts)).of_type("conflict") if kind is None or f.kind == kind
    ]


# ------------------------------------------------------------------------------------------------
# Two things paired as one
# ------------------------------------------------------------------------------------------------


def test_two_events_of_one_person_each_with_its_day_are_no_date_conflict() -> None:
    """One outlet tells what two members said on Thursday, the other what one of them tweeted on
    Friday: the sentences match on the names, not on what happened."""
    found = conflicts(
        "Rep. Tom Reyes (D-Ohio) and Rep. Ann Lee (R-Utah) said Thursday that Halvorsen was not tough "
        "enough on trade.",
        "Rep. Tom Reyes (D-Ohio) tweeted on Friday “#Halvorsen is weak on trade.”",
        kind="date",
    )
    assert found == []


def test_the_same_event_given_two_days_is_still_a_date_conflict() -> None:
    found = conflicts(
        "Rep. Tom Reyes said Thursday that Halvorsen was not tough enough on trade.",
        "Rep. Tom Reyes said on Friday that Halvorsen was not tough enough on trade.",
        kind="date",
    )
    assert len(found) == 1 and "Thursday" in found[0] and "Friday" in found[0]


def test_a_day_set_among_names_still_meets_its_verb() -> None:
    """`released by the State Department on Friday`: the words next to the day are a name, the verb
    a few words off still says what happened that day."""
    found = conflicts(
        "The emails were released by the Justice Department on Friday, a spokesman said.",
        "The emails were released by the Justice Department on Monday, a spokesman said.",
        kind="date",
    )
    assert len(found) == 1


def test_two_ads_of_different_years_are_no_number_conflict() -> None:
    found = conflicts(
        "In 2012, the group's television ad in Ohio cost $500,000, its treasurer said.",
        "In 2016, the group's television ad in Ohio cost $1 million, its treasurer said.",
        kind="number",
    )
    assert found == []


def test_the_same_year_in_two_forms_keeps_a_number_conflict() -> None:
    found = conflicts(
        "In 2016, the group's television ad in Ohio cost $500,000, its treasurer said.",
        "In June 2016, the group's television ad in Ohio cost $1 million, its treasurer said.",
        kind="number",
    )
    assert len(found) == 1


def test_two_posts_each_statement_giving_both_numbers_are_no_conflict() -> None:
    """`the No. 2 job … No. 3 position` / `the No. 2 position … No. 3 spot`: the same two posts, the
    nouns after the numbers swapped (a guard: a context reaching past the names found them one)."""
    found = conflicts(
        "Rep. Ann Lee, Utah, kept the No. 2 job of party whip, and Tom Reyes, Ohio, remained in the "
        "No. 3 position of assistant leader.",
        "Members also re-elected Rep. Ann Lee of Utah as whip, the No. 2 position, as well as Rep. Tom "
        "Reyes of Ohio in the No. 3 spot as assistant leader.",
        kind="number",
    )
    assert found == []


# ------------------------------------------------------------------------------------------------
# Names misspelt by one outlet
# ------------------------------------------------------------------------------------------------


def test_a_first_name_misspelt_by_one_outlet_stays_a_spelling_difference() -> None:
    """A guard: a long first name one letter off was already grouped and found."""
    found = conflicts(
        "Senator Michael Durant spoke on Monday. Durant said the bill would pass.",
        "Senator Micheal Durant spoke on Monday. Durant said the bill would pass next week.",
        kind="name",
    )
    assert len(found) == 1 and "Micheal Durant (B)" in found[0] and "Michael Durant (A)" in found[0]


def test_a_surname_an_outlet_misspells_once_is_a_spelling_difference() -> None:
    found = conflicts(
        "Former Rep. Asa Whitcombe released the report on Tuesday. Whitcombe said schools need guards.",
        "Former Rep. Asa Whitcombe released the report on Tuesday. Whitcomb said schools need guards.",
        kind="name",
    )
    assert len(found) == 1 and "Whitcomb (B)" in found[0]


def test_a_name_cut_at_its_apostrophe_or_quoted_is_no_spelling_difference() -> None:
    """A guard: word-by-word spelling took `O’Rourke` / `Rourke` and `Islam'` / `Islam` for two."""
    found = conflicts(
        "Beto O’Rourke spoke in El Paso on Monday. O’Rourke said the wall was a waste of money.",
        "Beto O’Rourke spoke in El Paso on Monday. Rourke said the wall was a waste of money.",
        "He railed against “Radical Islam' on Monday. Radical Islam is the enemy, he said.",
        kind="name",
    )
    assert found == []


# ------------------------------------------------------------------------------------------------
# The claims matrix shows every conflict
# ------------------------------------------------------------------------------------------------


def _matrix(*texts: str) -> list[dict[str, str]]:
    from summarizer.offline import compare_offline

    return [{s.source: s.status for s in c.sources} for c in compare_offline(docs(*texts)).claims]


def test_words_given_to_another_speaker_are_contradicts_in_the_matrix() -> None:
    matrix = _matrix(
        "“We will never accept these terms from anyone,” Foreign Minister Ali Karimi said.",
        "“We will never accept these terms from anyone,” President Reza Tabrizi said.",
    )
    assert {"A": "reports", "B": "contradicts"} in matrix


def test_a_conflict_between_two_sources_the_first_tells_vaguely_gets_its_own_claim() -> None:
    """A tells the event without a count, B and C give two counts: the claim of A's sentence is
    reported by all three, and the conflict of B and C needs a claim of its own to be seen."""
    matrix = _matrix(
        "The storm hit the coastal town of Milford on Monday and killed many people, officials said.",
        "The storm killed 12 people in the coastal town of Milford on Monday, officials said.",
        "The storm killed 15 people in the coastal town of Milford on Monday, officials said.",
    )
    assert {"A": "reports", "B": "reports", "C": "reports"} in matrix
    assert {"A": "reports", "B": "reports", "C": "contradicts"} in matrix


def test_every_conflict_of_a_statement_is_contradicts_in_the_claim_of_its_sentence() -> None:
    from summarizer.offline import compare_offline

    comparison = compare_offline(
        docs(
            "The storm killed 12 people in Milford on Monday, officials said. “We will rebuild the "
            "harbour wall before the winter storms,” Mayor Ann Lee said.",
            "The storm killed 15 people in Milford, officials said. “We will rebuild the harbour wall "
            "before the winter storms,” Governor Tom Reyes said.",
            "Rescue teams searched the hills for stranded drivers.",
        )
    )
    assert {c.kind for c in comparison.conflicts} == {"number", "attribution"}
    for conflict in comparison.conflicts:
        first, other = conflict.values
        assert any(
            st.source == first.source
            and st.status == "reports"
            and _touch(st.evidence, first.evidence)
            and any(
                o.source == other.source and o.status == "contradicts" and _touch(o.evidence, other.evidence)
                for o in c.sources
            )
            for c in comparison.claims
            for st in c.sources
        ), conflict.description


def _touch(a: list[Span], b: list[Span]) -> bool:
    return any(x.source == y.source and x.start < y.end and y.start < x.end for x in a for y in b)


def test_the_day_someone_spoke_is_no_conflict_with_the_day_of_the_event() -> None:
    found = conflicts(
        "The storm killed 12 people in Milford on Monday, officials said.",
        "Officials said on Tuesday that the storm killed 12 people in Milford.",
        kind="date",
    )
    assert found == []


def test_two_days_given_for_one_saying_are_still_a_date_conflict() -> None:
    found = conflicts(
        "Officials said on Monday that the storm killed 12 people in Milford.",
        "Officials said on Tuesday that the storm killed 12 people in Milford.",
        kind="date",
    )
    assert len(found) == 1


# ------------------------------------------------------------------------------------------------
# Relative days, each anchored by its outlet's publication date
# ------------------------------------------------------------------------------------------------


def _dated(*texts_and_days: tuple[str, str]) -> list[str]:
    found = analyse(
        [
            document_from_text(t, source_id=chr(ord("A") + n), outlet=f"Outlet {n}", published=day)
            for n, (t, day) in enumerate(texts_and_days)
        ]
    ).of_type("conflict")
    return [f.description for f in found if f.kind == "date"]


def test_yesterday_and_another_weekday_for_one_event_are_a_date_conflict() -> None:
    found = _dated(
        ("The council voted yesterday to close the old bridge over the river.", "2024-05-10"),
        ("The council voted on Wednesday to close the old bridge over the river.", "2024-05-10"),
    )
    assert len(found) == 1 and "yesterday (2024-05-09)" in found[0]


def test_yesterday_and_the_same_day_named_by_a_later_outlet_agree() -> None:
    found = _dated(
        ("The council voted yesterday to close the old bridge over the river.", "2024-05-10"),
        ("The council voted on Thursday to close the old bridge over the river.", "2024-05-11"),
    )
    assert found == []


# ------------------------------------------------------------------------------------------------
# Wrong speakers are no attribution conflict (guards: the false findings of this kind)
# ------------------------------------------------------------------------------------------------


def test_a_continued_quote_given_to_the_previous_speaker_is_no_attribution_conflict() -> None:
    found = conflicts(
        "Governor Paul Reyes spoke first. “We are ready for the storm,” Reyes said. “The shelters are "
        "open and the roads along the coast will be closed tonight.”",
        "“The shelters are open and the roads along the coast will be closed tonight,” Senate leader "
        "Mark Dunn said on Monday.",
        kind="attribution",
    )
    assert found == []


def test_a_quote_given_to_the_outlet_that_received_it_is_no_attribution_conflict() -> None:
    found = conflicts(
        "“We will not resign over a report we have not even read,” CNN was told by Ann Lee on Monday.",
        "“We will not resign over a report we have not even read,” Ann Lee said on Monday.",
        kind="attribution",
    )
    assert found == []


def test_a_weekday_an_earlier_outlet_means_as_the_coming_one_is_no_date_conflict() -> None:
    """Published on a Sunday, `on Monday` is the next day; published that Monday, `Monday` is today:
    one day, whatever the reading of a bare weekday as the last one."""
    found = _dated(
        ("The senator will deliver a speech on trade in Manchester on Monday, aides said.", "2024-05-12"),
        ("The senator will deliver a speech on trade in Manchester on Monday, aides said.", "2024-05-13"),
    )
    assert found == []


def test_a_weekday_and_another_day_of_either_reading_still_conflict() -> None:
    found = _dated(
        ("The senator will deliver a speech on trade in Manchester on Monday, aides said.", "2024-05-12"),
        ("The senator will deliver a speech on trade in Manchester on Tuesday, aides said.", "2024-05-12"),
    )
    assert len(found) == 1
