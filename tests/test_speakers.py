"""Speakers of quotations (issue 11): each case is a false or missing attribution once made on real
stories, rewritten as a short example of the same shape."""

from __future__ import annotations

from summarizer.analysis import find_quotes
from summarizer.documents import document_from_text
from summarizer.schemas import Document


def doc(text: str) -> Document:
    return document_from_text(text, source_id="A", outlet="Test")


def speakers(text: str) -> list[str | None]:
    return [q.speaker for q in find_quotes(doc(text)) if q.kind == "direct"]


def test_a_curly_quote_closed_by_a_straight_mark_keeps_its_attribution() -> None:
    text = (
        "Governor Jane Doe spoke on Friday.\n\n"
        '“I find the new rules troubling at a time of great change," Doe said in a statement.'
    )
    assert speakers(text) == ["Jane Doe"]


def test_the_one_spoken_to_is_not_the_speaker() -> None:
    text = (
        "Senator Mary Jones defended the bill on Thursday.\n\n"
        "“We will not back down on this question,” she told NBC News in an interview."
    )
    assert speakers(text) == ["Mary Jones"]


def test_a_quoted_show_title_does_not_pass_its_attribution_to_the_next_quote() -> None:
    text = (
        '"I want to see all of the records," said Tom Baker in an interview on CBS\'s "Morning" show, '
        'according to CNN. "Why has nobody in the county seen them?"'
    )
    assert speakers(text) == ["Tom Baker", "Tom Baker"]


def test_a_word_of_saying_inside_a_continued_quote_does_not_stop_the_continuation() -> None:
    text = (
        "“We must act now on the bridge,” Tom Baker said in a statement. “Because the council is weak, "
        "I said this would happen. It will only get worse.”"
    )
    assert speakers(text) == ["Tom Baker", "Tom Baker"]


def test_a_description_is_the_one_person_the_document_gives_that_title() -> None:
    text = (
        "Gov. Ann Lee signed the bill on Monday. Critics said it went too far. The state senate had "
        "passed it in March. Business groups were split. Some churches backed it.\n\n"
        "“I support this law and I will defend it,” the governor said."
    )
    assert speakers(text) == ["Ann Lee"]


def test_a_description_is_never_read_as_a_pronoun() -> None:
    """`the governor said` once gave `he` (the last twelve characters cut `the` in two)."""
    [q] = find_quotes(doc("“I support this law and I will defend it,” the governor said."))
    assert q.speaker_text == "the governor" and q.resolution == "description"


def test_a_colon_introduces_the_quote_of_the_clause_subject() -> None:
    text = "Jim Park, the city's mayor, was quick to reply: “That is simply not true at all.”"
    assert speakers(text) == ["Jim Park"]


def test_a_named_speaker_wins_over_a_description_nearer_the_quote() -> None:
    text = "“We will rebuild the school this year,” Tom Baker said in a statement released by the council."
    assert speakers(text) == ["Tom Baker"]


def test_a_colon_introduces_the_quote_of_a_surname_the_story_keeps_using() -> None:
    text = (
        "Ryan pressed the point about the embassy again. Marsh listened and took notes.\n\n"
        'Marsh was quick to retort: "With all due respect, that is a bunch of nonsense."'
    )
    assert speakers(text) == ["Marsh"]


def test_a_surname_never_named_in_full_speaks_before_its_verb_but_not_as_the_subject_of_what_is_said() -> (
    None
):
    text = (
        "Brewer met the press in Phoenix. Brewer signed nothing that day.\n\n"
        '"The bill does not address a concern in our state," Brewer said.\n\n'
        "Carver went so far as to say Brewer should “step down at once” over the veto."
    )
    assert [q.speaker for q in find_quotes(doc(text))] == ["Brewer", None]
