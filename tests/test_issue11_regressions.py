"""Issue 11's false findings that no test pinned yet, each in the shape the issue describes (the table
is in the issue notes: finding -> test). Every text is written for this file, never taken from a dev
article. A test marked `xfail(strict=True)` shows a defect the code still has: it must start to pass
(and lose its mark) with the fix."""

from __future__ import annotations

import pytest

from summarizer.analysis import analyse, find_quotes
from summarizer.analysis._text import DocIndex
from summarizer.analysis.framing import headline
from summarizer.analysis.names import find_names
from summarizer.documents import document_from_text
from summarizer.offline import compare_offline
from summarizer.schemas import Document


def docs(*texts: str) -> list[Document]:
    return [
        document_from_text(t, source_id=chr(ord("A") + n), outlet=f"Outlet {n}", published="2024-05-10")
        for n, t in enumerate(texts)
    ]


def speakers(text: str) -> list[str | None]:
    return [q.speaker for q in find_quotes(docs(text)[0]) if q.kind == "direct"]


def matrix(*texts: str) -> dict[str, dict[str, str]]:
    return {c.claim: {s.source: s.status for s in c.sources} for c in compare_offline(docs(*texts)).claims}


def names_only_some(*texts: str) -> list[str]:
    return [f.description for f in analyse(docs(*texts)).of_type("only_some") if f.kind != "statement"]


# ------------------------------------------------------------------------------------------------
# Headlines treated as claims
# ------------------------------------------------------------------------------------------------

BODY = (
    "The city council rejected the harbour plan on Tuesday by seven votes to two. "
    "Mayor Ellen Brook said she would try again next year."
)
HEADLINE_A = "Voters punish mayor over harbour plan"
HEADLINE_B = "Harbour vote goes against city hall"


def test_a_sentence_case_headline_is_read_as_the_headline() -> None:
    """A guard for the test below: framing already takes the first line as the headline."""
    [a] = docs(f"{HEADLINE_A}\n\n{BODY}")
    assert headline(DocIndex(a)) == (0, len(HEADLINE_A))


def test_a_sentence_case_headline_is_no_claim_others_omit() -> None:
    claims = matrix(f"{HEADLINE_A}\n\n{BODY}", f"{HEADLINE_B}\n\n{BODY}")
    assert HEADLINE_A not in claims and HEADLINE_B not in claims


def test_a_title_case_headline_and_a_titled_document_are_no_claims_either() -> None:
    """Guards for the fix above (one headline detection, `analysis.layout`): a title-case headline is
    still skipped, and so is the document's title where its text holds it, whatever its case."""
    title_a, title_b = "Voters Punish Mayor Over Harbour Plan", "Harbour Vote Goes Against City Hall"
    claims = matrix(f"{title_a}\n\n{BODY}", f"{title_b}\n\n{BODY}")
    assert title_a not in claims and title_b not in claims
    a, b = docs(f"By Jo Hart\n{HEADLINE_A}\n\n{BODY}", f"By Sam Orr\n{HEADLINE_B}\n\n{BODY}")
    a, b = a.model_copy(update={"title": HEADLINE_A}), b.model_copy(update={"title": HEADLINE_B})
    titled = {c.claim for c in compare_offline([a, b]).claims}
    assert HEADLINE_A not in titled and HEADLINE_B not in titled


def test_a_headline_printed_twice_above_the_body_is_no_claim_either() -> None:
    """Pages often print the title again just above the body: the copy is the headline too."""
    claims = matrix(f"{HEADLINE_A}\n\n{HEADLINE_A}\n\n{BODY}", f"{HEADLINE_B}\n\n{HEADLINE_B}\n\n{BODY}")
    assert HEADLINE_A not in claims and HEADLINE_B not in claims


def test_a_statement_another_source_tells_only_in_its_headline_is_not_omitted_by_it() -> None:
    """A headline is never a claim of its own, but it is still text its source printed: a statement
    that source tells only in its headline is reported there, not omitted."""
    told = "Voters punished the mayor over the harbour plan in Sunday's referendum on the waterfront."
    claims = matrix(f"Harbour vote goes against city hall\n\n{told} {BODY}", f"{HEADLINE_A}\n\n{BODY}")
    assert claims.get(told, {}).get("B") != "omits"


def test_a_first_line_that_is_a_sentence_is_still_a_claim_others_omit() -> None:
    """The other side of the fix: a lede standing first on its own line (a full stop ends it) is a
    statement, not a headline, and one source alone telling it is still reported."""
    lede = "Voters punished the mayor over the harbour plan in a referendum on Sunday."
    other = "Harbour vote goes against city hall"
    claims = matrix(f"{lede}\n\n{BODY}", f"{other}\n\n{BODY}")
    assert claims[lede] == {"A": "reports", "B": "omits"}
    assert other not in claims


# ------------------------------------------------------------------------------------------------
# "Reported by all": two ads of different years with different dollar figures
# ------------------------------------------------------------------------------------------------


def test_two_ads_of_different_years_and_sums_are_not_reported_by_all() -> None:
    shared = "The Ohio Senate race has drawn record spending from outside groups this year."
    ad_2012 = "In 2012, the group's television ad in Ohio cost $500,000, its treasurer said."
    ad_2016 = "In 2016, the group's television ad in Ohio cost $1 million, its treasurer said."
    claims = matrix(f"{shared} {ad_2012}", f"{shared} {ad_2016}")
    assert claims[shared] == {"A": "reports", "B": "reports"}  # the statement both tell still is
    for ad in (ad_2012, ad_2016):
        assert claims.get(ad) != {"A": "reports", "B": "reports"}


# ------------------------------------------------------------------------------------------------
# Speakers: a continued quote, the outlet that received a quote, an ad's campaign
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "“We are ready for the storm,” Governor Paul Reyes said. Senate leader Mark Dunn disagreed.\n\n"
        "“The shelters are not open and the roads are not closed.”",
        "“We are ready for the storm,” Governor Paul Reyes said.\n\nSenate leader Mark Dunn was less sure."
        "\n\n“The shelters are not open yet.”",
        "“We are ready for the storm,” Governor Paul Reyes said. “The shelters are not open yet,” Dunn's "
        "office replied.",
    ],
)
def test_a_quote_after_another_person_enters_is_not_continued_by_the_previous_speaker(text: str) -> None:
    first, second = speakers(text)
    assert first == "Paul Reyes" and second != "Paul Reyes"


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("“We will not resign over a report we have not read,” CNN was told by Ann Lee on Monday.", "CNN"),
        (
            "Ann Lee spoke on Monday. “We will not resign over a report we have not read,” Lee told The "
            "Harbour Post.",
            "The Harbour Post",
        ),
    ],
)
def test_a_quote_is_never_given_to_the_outlet_that_received_it(text: str, outlet: str) -> None:
    [speaker] = speakers(text)
    assert speaker is None or outlet not in speaker


@pytest.mark.parametrize(
    "text",
    [
        "Ann Lee was the target of a new ad from the Reyes campaign on Monday. “Ann Lee voted to raise "
        "your taxes,” the ad says.",
        "Senator Ann Lee was attacked on Monday in an ad from Tom Reyes's campaign. “She voted to raise "
        "your taxes,” it says.",
    ],
)
def test_an_ad_is_not_given_to_the_candidate_it_attacks(text: str) -> None:
    [speaker] = speakers(text)
    assert speaker != "Ann Lee"


@pytest.mark.parametrize(
    "text",
    [
        "The Reyes campaign unveiled an ad on Monday. In it, Ann Lee is shown stumbling while a narrator "
        "says: “Ann Lee does not have the strength to lead.”",
        "Tom Reyes's campaign released an ad in Ohio on Monday. In the ad, Senator Ann Lee appears at a "
        "rally as a voice says: “Ann Lee voted to raise your taxes.”",
        "The Reyes campaign unveiled an ad on Monday. In it, Ann Lee is shown stumbling while a narrator "
        "is heard saying “Ann Lee does not have the strength to lead.”",
    ],
)
def test_an_ad_narrated_over_the_candidate_it_attacks_is_not_hers(text: str) -> None:
    """A verb of saying with its own subject (by the colon, or a participle) wins over the sentence's
    named subject; a narrator names nobody, so nobody is named."""
    [speaker] = speakers(text)
    assert speaker is None


REPLY = "“We will not resign over a report we have not read.”"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (f"Ann Lee said: {REPLY}", "Ann Lee"),
        (f"Senator Ann Lee smiled and then said: {REPLY}", "Ann Lee"),
        (f"Senator Ann Lee spoke at a rally on Monday, saying {REPLY}", "Ann Lee"),
        (f"Senator Ann Lee was quick to retort: {REPLY}", "Ann Lee"),
        (f"Senator Ann Lee, the party's nominee, told reporters on Monday: {REPLY}", "Ann Lee"),
        (
            "In it, Ann Lee is shown stumbling while Tom Reyes says: “Ann Lee does not have the strength to "
            "lead.”",
            "Tom Reyes",
        ),
    ],
)
def test_the_subject_of_the_verb_of_saying_still_speaks(text: str, speaker: str) -> None:
    """A guard for the test above: the sentence's subject still speaks when the verb is its own."""
    assert speakers(text) == [speaker]


# ------------------------------------------------------------------------------------------------
# Entity claims: "Ft. Myers" vs "Fort Myers"
# ------------------------------------------------------------------------------------------------

FORT = (
    "The hurricane made landfall near Fort Myers on Wednesday, officials said. "
    "Power was cut to thousands of homes across the county."
)


def test_a_place_written_ft_by_one_outlet_and_fort_by_another_is_no_only_some_claim() -> None:
    ft = (
        "The storm came ashore on Wednesday afternoon with winds of 150 miles an hour. In Ft. Myers, "
        "families waited in shelters as power failed across the county."
    )
    assert not [d for d in names_only_some(FORT, ft) if "Myers" in d]


def test_residents_of_ft_myers_are_no_only_some_claim_beside_fort_myers() -> None:
    ft = (
        "The storm came ashore on Wednesday afternoon with winds of 150 miles an hour. Residents of "
        "Ft. Myers waited in shelters as power failed across the county."
    )
    assert not [d for d in names_only_some(FORT, ft) if "Myers" in d]


def name_types(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.type) for m in find_names(docs(text)[0])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a common noun before `of` + a place: the place alone, a place (the list, or the text's own
        # lower-case singular, says the noun is common) …
        ("Residents of Ft. Myers waited in shelters.", ("Ft. Myers", "place")),
        ("Parts of Florida lost power on Monday.", ("Florida", "place")),
        ("Voters of Fort Myers rejected it. Each voter got a card.", ("Fort Myers", "place")),
        ("Commuters of Texas waited. A commuter said it was slow.", ("Texas", "place")),
        # … and before `of` + a name the gazetteer does not know: that name alone
        ("Residents of Naples rejected the plan.", ("Naples", "other")),
        ("Supporters of Donald Trump rallied on Monday.", ("Donald Trump", "person")),
        # a word that makes names with `of` stays, even when the text writes it in lower case too
        (
            "Bank of America cut its forecast. The bank said rates would fall.",
            ("Bank of America", "organization"),
        ),
        (
            "University of Florida students marched. The university said little.",
            ("University of Florida", "organization"),
        ),
        ("Gulf of Mexico storms grew. The gulf was warm.", ("Gulf of Mexico", "place")),
        # a surname before `of` + a place is no common noun: the person stays
        ("Williams of Texas voted against the bill.", ("Williams of Texas", "person")),
    ],
)
def test_a_sentence_opening_common_noun_before_of_and_a_place_is_no_part_of_a_name(
    text: str, expected: tuple[str, str]
) -> None:
    assert name_types(text)[:1] == [expected]


# ------------------------------------------------------------------------------------------------
# Real differences missed: a page count one apart
# ------------------------------------------------------------------------------------------------


def test_a_page_count_one_apart_is_a_number_conflict() -> None:
    report = (
        "The inspector general released a {}-page report on the border agency on Thursday. "
        "It faulted the agency's managers."
    )
    found = [
        f.description
        for f in analyse(docs(report.format(76), report.format(75))).of_type("conflict")
        if f.kind == "number"
    ]
    assert len(found) == 1 and "76 in A" in found[0] and "75 in B" in found[0]
