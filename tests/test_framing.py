"""Framing found offline: headlines, loaded words in matching statements, labels for the same entity."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from summarizer.analysis import analyse, find_framing
from summarizer.analysis._text import DocIndex
from summarizer.analysis.framing import MAX_ASPECTS, FramingAspect, find_terms, headline
from summarizer.documents import document_from_text, load_documents
from summarizer.offline import compare_offline
from summarizer.rules import Selection
from summarizer.schemas import Comparison, Document

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "fixtures" / "articles"


def docs(*texts: str, titles: Sequence[str | None] = ()) -> list[Document]:
    titled = list(titles) + [None] * (len(texts) - len(titles))
    return [
        document_from_text(text, source_id=chr(ord("A") + n), outlet=f"Outlet {n}", title=title)
        for n, (text, title) in enumerate(zip(texts, titled))
    ]


def framing(*texts: str) -> list[FramingAspect]:
    return find_framing(analyse(docs(*texts)))


def assert_spans_hold(comparison: Comparison, documents: Sequence[Document]) -> None:
    texts = {d.id: d.text for d in documents}
    for f in comparison.framing:
        assert len(f.choices) >= 2 and len({c.source for c in f.choices}) == len(f.choices)
        for c in f.choices:
            [span] = c.evidence
            assert texts[span.source][span.start : span.end] == span.text == c.wording
            assert span.source == c.source and span.sentence_ids
            assert c.grounding.grounded and c.grounding.alignment == "exact"


# ------------------------------------------------------------------------------------------------
# Headlines
# ------------------------------------------------------------------------------------------------

BODY = (
    "Senator Adam Schiff spoke about the health plan on Tuesday in Washington. "
    "The vote on the plan is expected next month, officials said."
)


def test_headline_entry_from_three_sources_is_verbatim() -> None:
    documents = docs(
        "Schiff Takes Aim at Health Plan\n\n" + BODY,
        "# Democrats question the health plan\n\n" + BODY,
        "Senate vote on health plan set for next month\n\n" + BODY,
    )
    comparison = compare_offline(documents)
    [entry] = [f for f in comparison.framing if f.aspect == "Headline"]
    assert [(c.source, c.wording) for c in entry.choices] == [
        ("A", "Schiff Takes Aim at Health Plan"),
        ("B", "Democrats question the health plan"),
        ("C", "Senate vote on health plan set for next month"),
    ]
    assert [c.evidence[0].sentence_ids for c in entry.choices] == [["A1"], ["B1"], ["C1"]]
    assert_spans_hold(comparison, documents)
    assert "1 framing aspect " in comparison.overview


def test_headline_comes_from_the_title_where_the_text_holds_it_and_never_from_a_lede() -> None:
    lede = "Iran has turned down an offer from Russia to mediate between Tehran and Washington.\n\nMore text."
    [a, b] = docs("Tehran says no\n\nIran said no to talks.", lede, titles=["Tehran says no"])
    assert headline(DocIndex(a)) == (0, len("Tehran says no"))
    assert headline(DocIndex(b)) is None  # a sentence ending in a full stop is a lede, not a headline
    [c] = docs("Iran said no to talks on Friday.", titles=["A title known only from metadata"])
    assert headline(DocIndex(c)) is None  # no place in the text to point to


def test_identical_headlines_or_a_single_headline_give_no_entry() -> None:
    assert framing("Iran Says No to Talks\n\n" + BODY, "Iran Says No to Talks\n\n" + BODY) == []
    assert framing("Iran Says No to Talks\n\n" + BODY, BODY) == []


# ------------------------------------------------------------------------------------------------
# Word choice in matching statements
# ------------------------------------------------------------------------------------------------


def test_slammed_and_criticised_in_matching_statements_give_one_entry_with_both_wordings() -> None:
    documents = docs(
        "Senator Adam Schiff slammed the health plan on Tuesday in Washington.",
        "Senator Adam Schiff criticised the health plan on Tuesday in Washington.",
    )
    comparison = compare_offline(documents)
    [entry] = comparison.framing
    assert entry.aspect == "How Schiff’s remarks are described"
    assert [(c.source, c.wording) for c in entry.choices] == [
        ("A", "Adam Schiff slammed"),
        ("B", "Adam Schiff criticised"),
    ]
    assert_spans_hold(comparison, documents)


def test_claimed_against_said_for_the_same_speaker_in_a_reworded_statement() -> None:
    [entry] = framing(
        "Mayor John Smith claimed that the city budget was balanced after the cuts last year.",
        "The city budget was balanced after the cuts last year, Mayor John Smith said at a press event.",
    )
    assert [c.span.text for c in entry.choices] == ["John Smith claimed", "John Smith said"]


def test_an_evaluative_word_only_one_source_uses_is_shown_beside_the_plain_wording() -> None:
    [entry] = framing(
        "The controversial pipeline plan was approved by the state board on Monday.",
        "The pipeline plan was approved by the state board on Monday.",
    )
    assert [c.span.text for c in entry.choices] == ["The controversial pipeline", "The pipeline"]
    assert entry.aspect.startswith("Word choice in the statement on ")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (  # neutral verbs of saying
            "Senator Adam Schiff said the health plan would fail, speaking on Tuesday.",
            "Senator Adam Schiff told reporters the health plan would fail, speaking on Tuesday.",
        ),
        (  # a plain paraphrase
            "Iran rejected an offer from Russia to mediate talks with Washington on Friday.",
            "Iran turned down a Russian offer to mediate talks with Washington on Friday.",
        ),
        (  # two loaded verbs of one class
            "Senator Adam Schiff slammed the health plan on Tuesday in Washington.",
            "Senator Adam Schiff blasted the health plan on Tuesday in Washington.",
        ),
        (  # the loaded word is the speaker's, inside quotation marks
            "“The plan is a disgraceful failure,” Senator Adam Schiff said on Tuesday in Washington.",
            "“The plan is a failure,” Senator Adam Schiff said on Tuesday in Washington.",
        ),
        (  # a verb of saying without a person as speaker is no attribution
            "The storm slammed the coast of Louisiana on Sunday, cutting power to thousands.",
            "The storm hit the coast of Louisiana on Sunday, cutting power to thousands.",
        ),
    ],
)
def test_neutral_or_unattributable_differences_give_no_entry(a: str, b: str) -> None:
    assert framing(a, b) == []


def test_the_same_place_in_another_speakers_sentence_is_not_a_word_choice() -> None:
    assert (
        framing(
            "Earlier this month, Hillary Clinton acknowledged that she deleted roughly 30,000 emails.",
            "Her lawyer, David Kendall, said that she deleted roughly 30,000 emails.",
        )
        == []
    )


def test_a_sole_source_gives_no_framing() -> None:
    text = "Senators Slam Health Plan\n\nSenator Adam Schiff slammed the controversial health plan."
    assert framing(text) == []


# ------------------------------------------------------------------------------------------------
# Labels and contested names
# ------------------------------------------------------------------------------------------------


def test_an_evaluative_label_attached_to_a_shared_name() -> None:
    [entry] = framing(
        "The hardline cleric Ahmad Khatami led prayers in Tehran on Friday.",
        "Ahmad Khatami led Friday prayers in the capital, Tehran.",
    )
    assert entry.aspect == "How Ahmad Khatami is described"
    assert [c.span.text for c in entry.choices] == ["hardline cleric Ahmad Khatami", "Ahmad Khatami"]


def test_a_label_of_something_the_name_qualifies_is_not_a_label_of_the_person() -> None:
    found = framing(
        "Critics attacked the controversial Trump policy at a hearing in Washington.",
        "Donald Trump spoke later. Critics discussed the policy at a hearing in Washington.",
    )
    assert not any(a.kind == "label" for a in found)  # `controversial` qualifies the policy, not Trump


def test_regime_and_government_after_the_same_modifier() -> None:
    [entry] = framing(
        "Officials of the Iranian regime met their counterparts in Vienna on Monday.",
        "Officials of the Iranian government met their counterparts in Vienna on Monday.",
    )
    assert entry.aspect == "How the Iranian government is named"
    assert [c.span.text for c in entry.choices] == ["Iranian regime", "Iranian government"]


def test_a_source_that_uses_both_names_is_no_neutral_counterpart() -> None:
    assert (
        framing(
            "Officials of the Iranian regime met in Vienna.",
            "The Iranian government sent officials to Vienna. Critics of the Iranian regime protested.",
        )
        == []
    )


# ------------------------------------------------------------------------------------------------
# The seed articles, the lexicon, the cap
# ------------------------------------------------------------------------------------------------


def test_offline_comparison_of_the_seed_articles_validates_and_its_framing_spans_hold() -> None:
    documents = load_documents([ARTICLES / "anadolu.txt", ARTICLES / "mehr.txt"])
    comparison = compare_offline(documents)
    Comparison.model_validate(comparison.model_dump(mode="json"))
    assert_spans_hold(comparison, documents)
    # Neither article has a headline line, and their only lexicon words (Mehr's "highly controversial
    # move", Anadolu's "Iran has maintained") stand in statements the other does not make.
    assert comparison.framing == []
    headed = [
        document_from_text(f"{title}\n\n{d.text}", source_id=d.id, outlet=d.outlet)
        for title, d in zip(
            ("Iran turns down Russian mediation offer", "Iran Rejects Moscow Offer"), documents
        )
    ]
    with_headlines = compare_offline(headed)
    assert [f.aspect for f in with_headlines.framing] == ["Headline"]
    assert_spans_hold(with_headlines, headed)
    assert with_headlines.grounding.ungrounded == 0


def test_lexicon_terms_keep_their_offsets() -> None:
    text = "İstanbul: Trump slammed the regime’s plan and lashed  out at the so-called panel."
    found = [(text[s:e], term) for s, e, term in find_terms(text)]
    assert found == [
        ("slammed", "slammed"),
        ("regime", "regime"),
        ("lashed  out", "lashed out"),
        ("so-called", "so-called"),
    ]


def test_aspects_are_capped_and_ranked_by_confidence() -> None:
    pairs = [
        ("Adam Schiff", "slammed"),
        ("John Smith", "claimed that"),
        ("Mary Jones", "boasted that"),
        ("Peter Brown", "admitted that"),
    ]
    a = " ".join(
        f"Senator {n} {v} the plan for {w} on Tuesday."
        for (n, v), w in zip(pairs, ["roads", "schools", "parks", "ports"])
    )
    b = " ".join(
        f"Senator {n} said that the plan for {w} on Tuesday."
        for (n, _), w in zip(pairs, ["roads", "schools", "parks", "ports"])
    )
    analysis = analyse(docs("Roads Plan Draws Fire\n\n" + a, "Senators weigh roads plan\n\n" + b))
    everything = find_framing(analysis)
    assert len(everything) == 5 and everything[0].aspect == "Headline"
    assert [x.confidence for x in everything] == sorted((x.confidence for x in everything), reverse=True)
    assert len(find_framing(analysis, limit=2)) == 2 and MAX_ASPECTS == 8


def test_every_aspect_names_its_rule_and_the_rule_can_be_switched_off() -> None:
    a = "Roads Plan Draws Fire\n\nSenator Jones slammed the plan for roads on Tuesday."
    b = "Senators weigh roads plan\n\nSenator Jones criticised the plan for roads on Tuesday."
    analysis = analyse(docs(a, b))
    assert [x.rule for x in find_framing(analysis)] == ["D201", "D202"]
    assert [x.rule for x in find_framing(analysis, rules=Selection(ignore=frozenset({"D201"})))] == ["D202"]
    comparison = compare_offline(docs(a, b), rules=Selection(select=frozenset({"D2"})))
    assert [f.rule for f in comparison.framing] == ["D201", "D202"]


# ------------------------------------------------------------------------------------------------
# Regressions: false findings a review found
# ------------------------------------------------------------------------------------------------


def pair(a: str, b: str) -> list[FramingAspect]:
    return find_framing(analyse([document_from_text(a, source_id="A"), document_from_text(b, source_id="B")]))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "A lawyer for Hillary Clinton claimed that the emails were deleted last year.",
            "Hillary Clinton said that the emails were deleted last year.",
        ),
        (
            "Reporters who met Mayor John Smith claimed that the city budget was balanced.",
            "Mayor John Smith said that the city budget was balanced.",
        ),
        (
            "A close aide to Adam Schiff slammed the health plan on Tuesday in Washington.",
            "Adam Schiff criticised the health plan on Tuesday in Washington.",
        ),
        (
            "“The budget is balanced,” claimed Mayor John Smith's spokesman on Monday.",
            "“The budget is balanced,” said Mayor John Smith on Monday.",
        ),
    ],
)
def test_a_name_that_is_not_the_subject_of_the_verb_of_saying_is_not_its_speaker(a: str, b: str) -> None:
    assert pair(a, b) == []


def test_a_source_with_a_loaded_verb_after_a_pronoun_is_not_the_plain_one() -> None:
    loaded = "Adam Schiff admitted that the plan had problems when he spoke to reporters in Washington."
    plain = "“The vote on the plan was close,” Adam Schiff said on Monday."
    assert pair(loaded, plain + " He admitted that the budget was late.") == []
    [entry] = pair(loaded, plain + " Officials said that the budget was late.")  # the control
    assert [c.span.text for c in entry.choices] == ["Adam Schiff admitted", "Adam Schiff said"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "President Donald Trump attacked the Syrian air base on Thursday night.",
            "President Donald Trump struck the Syrian air base on Thursday night.",
        ),
        (
            "Tiger Woods claimed the Masters title on Sunday in Augusta.",
            "Tiger Woods won the Masters title on Sunday in Augusta.",
        ),
        (
            "Aaron Judge blasted a home run in the third inning on Friday.",
            "Aaron Judge hit a home run in the third inning on Friday.",
        ),
        (
            "Rafael Nadal hammered his opponent in the final on Sunday in Paris.",
            "Rafael Nadal beat his opponent in the final on Sunday in Paris.",
        ),
    ],
)
def test_a_verb_of_saying_in_another_sense_is_no_description_of_remarks(a: str, b: str) -> None:
    assert pair(a, b) == []


def test_two_unresolved_pronouns_are_not_one_speaker() -> None:
    assert (
        pair(
            "The vote was delayed. Senator John Smith arrived later. "
            "He slammed the health plan on Tuesday in Washington.",
            "The vote was delayed. Governor Mary Jones spoke at the rally. "
            "She criticised the health plan on Tuesday in Washington.",
        )
        == []
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Officials of the North Korean regime", "Officials of the South Korean government"),
        ("Officials of the Austrian regime", "Officials of the Australian government"),
        ("Envoys of the Cuban regime", "Envoys of the Chinese government"),
        ("Envoys of the Maduro regime", "Envoys of the Madrid government"),
        ("Envoys of the Iranian regime", "Envoys of the Iraqi government"),
    ],
)
def test_regime_and_government_of_different_countries_are_not_paired(a: str, b: str) -> None:
    rest = " met their counterparts in Vienna on Monday."
    assert pair(a + rest, b + rest) == []


@pytest.mark.parametrize(
    "line",
    [
        "August 30, 2021 | 10:45 AM EDT",
        "Tuesday, June 3, 2019",
        "JOHN SMITH AND MARY JONES",
        "John Smith | Reuters",
        "John Smith, Staff Writer",
        "Written by John Smith",
        "Share this article on Facebook",
        "Photo: Getty Images / AFP",
    ],
)
def test_dates_bylines_and_credits_are_not_headlines(line: str) -> None:
    assert pair(line + "\n\n" + BODY, "Senate weighs health plan vote\n\n" + BODY) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("U.S. Weighs Health Plan — Vote Next Month", "US weighs health plan - vote next month"),
        ("“Iran Says No” to Talks", '"Iran Says No" to Talks'),
    ],
)
def test_headlines_identical_up_to_punctuation_give_no_entry(a: str, b: str) -> None:
    assert pair(a + "\n\n" + BODY, b + "\n\n" + BODY) == []


def test_a_metadata_title_that_is_only_the_start_of_the_first_line_is_not_the_headline() -> None:
    [a] = docs("Iran says no to Russian offer, Tehran tells Moscow\n\n" + BODY, titles=["Iran says no"])
    assert headline(DocIndex(a)) == (0, len("Iran says no to Russian offer, Tehran tells Moscow"))
    [b] = docs("Iran says no | The Daily Outlet\n\n" + BODY, titles=["Iran says no"])
    assert headline(DocIndex(b)) is None


@pytest.mark.parametrize(
    "a",
    [
        "Regime critic Alexei Navalny was arrested in Moscow on Sunday.",
        "Extremist researcher Alexei Navalny was arrested in Moscow on Sunday.",
        "Radical Islam critic Alexei Navalny was arrested in Moscow on Sunday.",
        "Alexei Navalny, a victim of the regime, was arrested in Moscow on Sunday.",
        "Alexei Navalny, the dictator's former physician, was arrested in Moscow on Sunday.",
    ],
)
def test_a_label_of_what_a_person_works_on_is_not_a_label_of_the_person(a: str) -> None:
    assert pair(a, "Alexei Navalny was arrested in Moscow on Sunday.") == []


def test_a_label_in_an_appositive_head_still_counts() -> None:
    [entry] = pair(
        "Ahmad Khatami, a hardline cleric, led prayers in Tehran on Friday.",
        "Ahmad Khatami led Friday prayers in the capital, Tehran.",
    )
    assert [c.span.text for c in entry.choices] == ["Ahmad Khatami, a hardline cleric", "Ahmad Khatami"]


def test_words_after_an_unclosed_quotation_mark_are_the_speakers() -> None:
    rest = "plan was approved by the state board on Monday.\n\nMore later."
    assert pair("Adam Schiff said: “The controversial " + rest, "Adam Schiff said: The " + rest) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "A fiery crash killed two people on the highway on Monday.",
            "A crash killed two people on the highway on Monday.",
        ),
        (
            "The reactor suffered a meltdown after the earthquake on Friday.",
            "The reactor suffered a failure after the earthquake on Friday.",
        ),
        (
            "Blistering heat hit the city of Phoenix on Monday afternoon.",
            "Heat hit the city of Phoenix on Monday afternoon.",
        ),
    ],
)
def test_literal_senses_are_not_loaded_words(a: str, b: str) -> None:
    assert pair(a, b) == []


def test_an_aspect_named_by_a_statement_keeps_names_whole() -> None:
    [entry] = pair(
        "Adam Schiff said the outrageous plan would fail on Monday.",
        "Adam Schiff said the plan would fail on Monday.",
    )
    assert entry.aspect == "Word choice in the statement on Adam Schiff, plan, Monday"


# ------------------------------------------------------------------------------------------------
# Emphasis: what each outlet leads with
# ------------------------------------------------------------------------------------------------

_LEAD_A = "The Harwick council approved a budget of 40 million dollars for new tram lines on Monday."
_FILLER = [
    "Residents crowded outside the town hall on Monday to protest rising rents in the old quarter.",
    "Several tenants described eviction notices that arrived without warning last winter.",
    "A local baker said her shop rent had doubled in two years.",
    "Housing charities estimate that hundreds of families have left the district.",
    "The protest ended peacefully in the early evening after speeches by organisers.",
    "Police reported no arrests and praised the calm of the crowd.",
]
_LATE_B = "Councillors also approved a budget of 40 million dollars for new tram lines at the Monday session."


def _emphasis_story(b_body: list[str]) -> list[Document]:
    a = "Harwick backs tram plan\n\n" + " ".join(
        [
            _LEAD_A,
            "Work on the first line is due to start next spring near the railway station.",
            "The mayor called the vote a turning point for the city's transport.",
        ]
    )
    return docs(a, "Rent protest fills Harwick square\n\n" + " ".join(b_body))


def test_a_statement_one_outlet_leads_with_and_another_reports_far_down_is_shown_from_both() -> None:
    documents = _emphasis_story([*_FILLER, _LATE_B])
    [aspect] = [x for x in find_framing(analyse(documents)) if x.kind == "emphasis"]
    assert aspect.rule == "D206"
    assert [(c.source, c.span.text) for c in aspect.choices] == [("A", _LEAD_A), ("B", _LATE_B)]
    assert "7th sentence" in aspect.aspect
    assert_spans_hold(compare_offline(documents), documents)


def test_a_statement_both_outlets_report_early_is_no_emphasis() -> None:
    documents = _emphasis_story([*_FILLER[:2], _LATE_B, *_FILLER[2:]])
    assert not [x for x in find_framing(analyse(documents)) if x.kind == "emphasis"]


def test_leads_that_share_a_statement_give_no_emphasis() -> None:
    shared = (
        "Work on the first tram line is due to start next spring near the railway station, officials said."
    )
    documents = _emphasis_story([_FILLER[0], shared, *_FILLER[1:], _LATE_B])
    assert not [x for x in find_framing(analyse(documents)) if x.kind == "emphasis"]


def test_a_lead_statement_the_other_outlet_never_reports_is_no_emphasis() -> None:
    documents = _emphasis_story(_FILLER * 2)
    assert not [x for x in find_framing(analyse(documents)) if x.kind == "emphasis"]


def test_a_subhead_in_the_body_is_not_part_of_the_lead() -> None:
    subhead = "The council approved new tram lines for Harwick on Monday"  # no full stop: a subhead
    a = (
        "Harwick backs tram plan\n\n"
        + subhead
        + "\n\n"
        + " ".join(
            [
                "Work on the first line is due to start next spring near the railway station.",
                "The mayor called the vote a turning point for the city's transport.",
            ]
        )
    )
    late = "The council approved new tram lines for Harwick on Monday, officials said."
    b = "Rent protest fills Harwick square\n\n" + " ".join([*_FILLER, late])
    assert not [x for x in find_framing(analyse(docs(a, b))) if x.kind == "emphasis"]


def test_statements_near_in_meaning_but_not_in_words_are_no_emphasis_under_semantic_alignment() -> None:
    """Matched by meaning only, a later sentence is often another fact of the same story: the pair
    must share words too, whichever alignment ran."""
    from tests.test_meaning import FakeMeaning

    paraphrase = "Councillors gave their nod to funding for trams."
    documents = _emphasis_story([*_FILLER, paraphrase])
    semantic = analyse(documents, meaning=FakeMeaning((_LEAD_A, paraphrase)))
    assert semantic.alignment.same(0, 1, 1) is not None  # the meaning model takes them for one statement
    assert not [x for x in find_framing(semantic) if x.kind == "emphasis"]


def test_a_day_between_the_speaker_and_the_verb_keeps_the_speaker() -> None:
    a = "Mayor Ruth Okafor insisted that the bridge repairs would finish before winter, aides said."
    b = "Mayor Ruth Okafor on Thursday said that the bridge repairs would finish before winter."
    [aspect] = [x for x in framing(a, b) if x.kind == "word_choice"]
    assert [c.span.text for c in aspect.choices] == ["Ruth Okafor insisted", "Ruth Okafor on Thursday said"]
