"""The deterministic analysis: quotes and speakers, names and variants, citations, cross-source findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.analysis import analyse, find_names, find_quotes, group_names, same_name
from summarizer.analysis.align import describe_diff, word_diff
from summarizer.analysis.names import neutral_name
from summarizer.analysis.quotes import quoted_stretches
from summarizer.documents import document_from_text, load_documents
from summarizer.schemas import Document

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "fixtures" / "articles"


@pytest.fixture(scope="module")
def seeds() -> list[Document]:
    return load_documents([ARTICLES / "anadolu.txt", ARTICLES / "mehr.txt"])


def doc(text: str, source: str = "A") -> Document:
    return document_from_text(text, source_id=source, outlet="Test")


def speakers(d: Document) -> list[tuple[str | None, str]]:
    return [(q.speaker, q.text) for q in find_quotes(d)]


# ------------------------------------------------------------------------------------------------
# Quotes
# ------------------------------------------------------------------------------------------------


def test_quote_patterns_and_surname_resolution() -> None:
    d = doc(
        "Foreign Minister Javad Zarif spoke on Monday. "
        "“We will not negotiate under pressure,” Zarif said. "
        'He added: "Our position has not changed at all."'
    )
    assert speakers(d) == [
        ("Javad Zarif", "We will not negotiate under pressure"),
        ("Javad Zarif", "Our position has not changed at all."),
    ]


def test_said_before_the_name_and_straight_marks() -> None:
    d = doc('"The talks are over for now," said Helga Schmid, the EU official, on Friday.')
    [q] = find_quotes(d)
    assert q.speaker == "Helga Schmid" and q.text == "The talks are over for now"
    assert d.text[q.start : q.end] == q.text


def test_a_quote_over_several_sentences_is_attributed_after_its_close() -> None:
    """The words inside a quote never attribute it (`Trump says …` here is quoted speech)."""
    d = doc(
        "Mayor Jane Holloway spoke first. "
        '"Trump says he wants to run the nation like a business? God help us," said Michael Bloomberg, '
        'who added that "the richest thing about him is his hypocrisy."'
    )
    assert [q.speaker for q in find_quotes(d)] == ["Michael Bloomberg", "Michael Bloomberg"]


def test_a_participle_of_saying_takes_the_sentence_subject() -> None:
    d = doc(
        "Senator Mark Delaney contrasted his record with the mayor's, saying "
        '"I built this district, and I did it without a single favour." '
        "Delaney spoke for an hour, saying the whole council took a “wrong path” on housing."
    )
    quotes = find_quotes(d)
    assert [(q.speaker, q.kind) for q in quotes] == [("Mark Delaney", "direct")]  # no scare quote


def test_no_continuation_when_the_sentence_names_someone_else() -> None:
    """An unattributed quote does not inherit the last speaker when its own sentence has another
    subject: nobody is named rather than the wrong person."""
    d = doc(
        "“We will win this vote by a wide margin,” Senator Anna Smith said. "
        "Senator Tom Jones dismissed the plan and its “many serious and obvious flaws.”"
    )
    assert [q.speaker for q in find_quotes(d)] == ["Anna Smith", None]


def test_a_pronoun_with_no_recent_speaker_names_nobody() -> None:
    d = doc(
        "“We will win this vote by a wide margin,” Senator Anna Smith said. "
        "The council met for four hours. The budget was debated at length. Residents waited outside. "
        "The meeting ended late. He said: “The vote is ours, whatever happens tonight.”"
    )
    assert [(q.speaker, q.resolution) for q in find_quotes(d)] == [
        ("Anna Smith", "named"),
        (None, "unknown"),
    ]


def test_pronoun_resolves_to_the_recent_subject(seeds: list[Document]) -> None:
    quotes = find_quotes(seeds[0])
    lavrov = [q for q in quotes if q.text.startswith("If both countries")]
    assert lavrov[0].speaker == "Sergie Lavrov" and lavrov[0].resolution == "pronoun"


def test_description_resolves_from_context_and_quotes_continue(seeds: list[Document]) -> None:
    quotes = find_quotes(seeds[1])
    support = next(q for q in quotes if q.text.startswith("We support"))
    assert support.speaker_text == "the chief Russian diplomat"
    assert support.speaker == "Sergei Lavrov" and support.resolution == "context"
    ready = next(q for q in quotes if q.text.startswith("We are ready"))
    assert ready.speaker == "Sergei Lavrov" and ready.resolution == "continued"
    assert "get answers" in ready.text  # one quote across two sentences


def test_unresolvable_description_stays_as_written() -> None:
    d = doc("“The offer is on the table for everyone,” a senior official said.")
    [q] = find_quotes(d)
    assert q.speaker is not None and "official" in q.speaker and q.resolution == "description"


def test_scare_quotes_are_not_quotations(seeds: list[Document]) -> None:
    texts = [q.text for q in find_quotes(seeds[1])]
    assert "wrong path" not in texts and "direct negotiations" not in texts


def test_quote_running_over_paragraphs() -> None:
    text = "“We will rebuild the bridge this year,\n\n“and open it by spring,” the mayor, Ana Lopez, said."
    stretches = quoted_stretches(text)
    assert [text[s:e] for s, e in stretches] == [
        "We will rebuild the bridge this year",
        "and open it by spring",
    ]


def test_indirect_quotes_and_according_to(seeds: list[Document]) -> None:
    indirect = [q for q in find_quotes(seeds[1]) if q.kind == "indirect"]
    assert any(q.speaker == "Mahmoud Vaezi" and q.text.startswith("Lavrov wasn’t") for q in indirect)
    d = doc("According to Maria Zakharova, the meeting was postponed until next month.")
    [q] = find_quotes(d)
    assert q.kind == "indirect" and q.speaker == "Maria Zakharova"
    assert q.text == "the meeting was postponed until next month"


# ------------------------------------------------------------------------------------------------
# Names
# ------------------------------------------------------------------------------------------------


def test_names_are_typed_with_roles(seeds: list[Document]) -> None:
    names = {m.text: m for m in find_names(seeds[0])}
    assert (
        names["Sergie Lavrov"].type == "person" and names["Sergie Lavrov"].role == "Russian Foreign Minister"
    )
    assert names["Mike Pompeo"].type == "person"
    assert names["Vaezi"].canonical == "Mahmoud Vaezi"
    assert names["Tehran"].type == "place" and names["UN Security Council"].type == "organization"
    for m in names.values():
        assert seeds[0].text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Sergie Lavrov", "Sergei Lavrov", True),
        ("Rouhani", "Rohani", True),
        ("Hassan Rouhani", "Hassan Rohani", True),
        ("Mike Pompeo", "Mike Pence", False),
        ("Javad Zarif", "Mohammad Javad Zarif", True),
    ],
)
def test_spelling_variants(a: str, b: str, same: bool) -> None:
    assert same_name(a, b, "person") is same


def test_variants_grouped_across_sources(seeds: list[Document]) -> None:
    groups = group_names([m for d in seeds for m in find_names(d)])
    lavrov = next(g for g in groups if "Lavrov" in g.canonical)
    assert lavrov.spellings("A") == ["Sergie Lavrov"] and lavrov.spellings("B") == ["Sergei Lavrov"]


def test_numbered_names_keep_their_number() -> None:
    d = doc(
        "The move breached UN Security Council Resolution 2231, officials said. Allies invoked "
        "Article 5 of the treaty. Malaysia Airlines Flight 370 vanished in 2014. "
        "It also cited Resolution 1737."
    )
    names = {m.text: m for m in find_names(d)}
    assert {"UN Security Council Resolution 2231", "Article 5", "Malaysia Airlines Flight 370"} <= set(names)
    assert "Resolution 1737" in names  # a resolution of another number is another name
    assert names["Malaysia Airlines Flight 370"].type != "person"
    assert names["UN Security Council Resolution 2231"].type == "organization"


def test_variant_spellings_of_a_speaker_are_named_neutrally() -> None:
    said = "“We are ready to help both sides begin direct talks,” {} said on Tuesday."
    two = [doc(said.format(n), s) for n, s in (("Sergie Lavrov", "A"), ("Sergei Lavrov", "B"))]
    groups = group_names([m for d in two for m in find_names(d)])
    assert neutral_name("Sergie Lavrov", groups) == "Sergei/Sergie Lavrov"
    assert neutral_name("Mahmoud Vaezi", groups) == "Mahmoud Vaezi"  # not among the names: unchanged
    three = [*two, doc(said.format("Sergei Lavrov"), "C")]
    groups = group_names([m for d in three for m in find_names(d)])
    assert (
        neutral_name("Sergie Lavrov", groups)
        == "Sergei Lavrov (as most sources spell it; also Sergie Lavrov)"
    )
    same = [doc(said.format("Sergei Lavrov"), s) for s in "AB"]
    assert (
        neutral_name("Sergei Lavrov", group_names([m for d in same for m in find_names(d)]))
        == "Sergei Lavrov"
    )


def test_seed_quote_variants_name_lavrov_by_neither_spelling(seeds: list[Document]) -> None:
    variants = [
        f for f in analyse(seeds).findings if f.type == "quote_variant" and "Lavrov" in (f.speaker or "")
    ]
    assert len(variants) == 2
    assert all(
        f.speaker == "Sergei/Sergie Lavrov" and "by Sergei/Sergie Lavrov " in f.description for f in variants
    )


# ------------------------------------------------------------------------------------------------
# Across sources
# ------------------------------------------------------------------------------------------------


def test_word_diff() -> None:
    ops = word_diff("pave the ground for talks", "pave the way for the talks")
    assert [(o.a, o.b) for o in ops] == [("ground", "way"), ("", "the")]
    assert "A has “ground” where B has “way”" in describe_diff(ops, "A", "B")


def test_seed_findings(seeds: list[Document]) -> None:
    analysis = analyse(seeds)
    variants = analysis.of_type("quote_variant")
    assert {f.speaker.split()[-1] for f in variants if f.speaker} == {"Vaezi", "Lavrov"}
    assert all(f.high for f in variants)
    [name] = [f for f in analysis.of_type("conflict") if f.kind == "name"]
    assert [v.value for v in name.values] == ["Sergie Lavrov", "Sergei Lavrov"]
    only = {f.description for f in analysis.of_type("only_some") if f.kind == "person"}
    assert {
        "Only A (Anadolu Agency) mentions Saeed Khatibzadeh.",
        "Only A (Anadolu Agency) mentions Hassan Rouhani.",
    } <= only
    texts = {d.id: d.text for d in seeds}
    for f in analysis.findings:
        for v in f.values:
            for span in v.spans:
                assert texts[span.source][span.start : span.end] == span.text and span.sentence_ids


def test_date_and_number_conflicts_in_aligned_statements() -> None:
    a = doc(
        "The ministry said 12 protesters were arrested in the capital on March 3, 2021.",
    )
    b = doc("Police arrested 15 protesters in the capital on March 4, 2021, the ministry said.", "B")
    conflicts = {f.kind: f for f in analyse([a, b]).of_type("conflict")}
    assert [v.value for v in conflicts["number"].values] == ["12 protesters", "15 protesters"]
    assert [v.value for v in conflicts["date"].values] == ["March 3, 2021", "March 4, 2021"]


def test_attribution_conflict() -> None:
    a = doc("“We will never accept these terms from anyone,” Foreign Minister Ali Karimi said.")
    b = doc("“We will never accept these terms from anyone,” President Reza Tabrizi said.", "B")
    [conflict] = analyse([a, b]).of_type("conflict")
    assert conflict.kind == "attribution"
    assert [v.value for v in conflict.values] == ["Ali Karimi", "Reza Tabrizi"]


def test_citations(seeds: list[Document]) -> None:
    cited = {c.name: c.kind for c in analyse(seeds).documents[1].citations}
    assert cited["Tasnim"] == "news_agency" and cited["Mahmoud Vaezi"] == "named_person"
    assert "Mehr News Agency" not in cited  # its own byline
    d = doc("The strike was delayed, officials said on Tuesday, according to a report by the ministry.")
    kinds = {
        c.kind
        for a in analyse([d, doc("Nothing else here at all today.", "B")]).documents
        for c in a.citations
    }
    assert "anonymous" in kinds


# ------------------------------------------------------------------------------------------------
# Names on title-case lines, dates next to names, short first names
# ------------------------------------------------------------------------------------------------


def test_title_case_lines_yield_only_names_of_the_running_text() -> None:
    d = doc(
        "Clinton Is 'Sane' And 'Competent,' Unlike Trump, Bloomberg Tells U.S.\n\n"
        "Michael Bloomberg said Donald Trump would be a dangerous president.\n\n"
        "Cordial Ties Have Soured\n\n"
        "Bloomberg and Trump were once friends, people who know them said."
    )
    texts = {m.text for m in find_names(d)}
    assert {"Trump", "Bloomberg", "Michael Bloomberg", "Donald Trump"} <= texts
    assert not texts & {"Unlike Trump", "Clinton Is", "Cordial Ties Have Soured", "Clinton", "U.S."}
    for m in find_names(d):
        assert d.text[m.start : m.end] == m.text


def test_weekdays_and_dates_end_a_name() -> None:
    d = doc(
        "Bloomberg spoke at the Democratic National Convention Wednesday. Hillary Clinton Wednesday "
        "thanked him. The Democratic Party meets again on March 3. Theresa May said nothing."
    )
    texts = {m.text for m in find_names(d)}
    assert {"Democratic National Convention", "Hillary Clinton", "Theresa May"} <= texts
    assert not any("Wednesday" in t or "March" in t for t in texts)


def test_short_first_names_and_bare_surnames_group_with_the_person() -> None:
    a = doc("The former mayor, Michael Bloomberg, spoke. Then Bloomberg left.")
    b = doc("The former mayor, Mike Bloomberg, spoke. Then Bloomberg left.", "B")
    c = doc("The former mayor, Bloomberg, spoke. Then Bloomberg left.", "C")
    groups = group_names([m for d in (a, b, c) for m in find_names(d)])
    [bloomberg] = [g for g in groups if "Bloomberg" in g.canonical]
    assert bloomberg.sources == ["A", "B", "C"]
    findings = analyse([a, b, c]).findings
    assert not [f for f in findings if f.kind == "name"]  # fuller and shorter forms are not spellings


def test_claims_name_the_outlets() -> None:
    a = document_from_text(
        "The spokesman, Saeed Khatibzadeh, spoke in Tehran.", source_id="A", outlet="HuffPost"
    )
    b = document_from_text("Nobody else spoke there at all.", source_id="B", outlet="B")
    [f] = [f for f in analyse([a, b]).of_type("only_some") if f.kind == "person"]
    assert f.description == "Only A (HuffPost) mentions Saeed Khatibzadeh."


# ------------------------------------------------------------------------------------------------
# Statements only some sources report
# ------------------------------------------------------------------------------------------------


def _only_some(*texts: str) -> list[tuple[str, list[str], list[str]]]:
    docs = [doc(t, chr(65 + n)) for n, t in enumerate(texts)]
    return [
        (f.values[0].value, f.omits, [u.source for u in f.unclear])
        for f in analyse(docs).of_type("only_some")
        if f.kind == "statement"
    ]


def test_unique_statement_is_reported_and_shared_one_is_not() -> None:
    found = _only_some(
        "The city council approved the new stadium budget on Tuesday. "
        "The mayor once owned a fishing company that went bankrupt in 1998.",
        "On Tuesday the city council approved the budget for the new stadium.",
    )
    assert [(v, o) for v, o, _ in found] == [
        ("The mayor once owned a fishing company that went bankrupt in 1998.", ["B"])
    ]


def test_a_paraphrase_is_unclear_not_omitted() -> None:
    found = _only_some(
        "Protesters blocked the harbour bridge for six hours, delaying ferries and freight trucks.",
        "Freight trucks and ferries were delayed as protesters held the harbour bridge for hours.",
    )
    assert found == []


def test_boilerplate_headings_and_fragments_are_not_statements() -> None:
    found = _only_some(
        "Storm Hits The Coast\n\nBy Jane Miller, Staff Writer\n\nA storm flooded the coastal road overnight. "
        "I disagree.\n\nCopyright 2024 Example Media. All rights reserved.\n\n"
        "All content by Example Wire is licensed under a Creative Commons Attribution 4.0 License.",
        "A storm flooded the coastal road during the night.",
    )
    assert found == []


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        (
            "Asked about President Donald Trump, Senator Adam Schiff shook his head, saying "
            "“We will not stop this inquiry now.”",
            "Donald Trump",
        ),
        (
            "After meeting Barack Obama at the White House, Mitt Romney left quickly, saying "
            "“It was a very good meeting today.”",
            "Barack Obama",
        ),
        (
            "Nancy Pelosi’s chief of staff called reporters on Monday, saying "
            "“The speaker will not attend the dinner.”",
            "Nancy Pelosi",
        ),
        (
            "Mary Jones criticised the plan, while John Smith defended it, saying "
            "“It is the best plan we have had.”",
            "Mary Jones",
        ),
        (
            "Senator John Smith read “The Old Man and the Sea” to the children, saying he loved it.",
            "John Smith",
        ),
        (
            "“We will win this vote by a wide margin,” Senator Anna Smith said. "
            "“The vote is ours for sure,” John Smith's lawyer said.",
            "Anna Smith",
        ),
    ],
)
def test_a_participle_or_continuation_never_names_the_wrong_person(text: str, wrong: str) -> None:
    """Review cases: a name governed by a preposition or possessive, another clause's subject, a quote
    before the participle, an unresolved attribution of its own. Abstaining is right; naming is not."""
    *_, last = find_quotes(doc(text))
    assert last.speaker != wrong


def test_a_participle_after_an_abbreviation_still_takes_the_subject() -> None:
    d = doc(
        "Mr. Trump intervened as well, accusing Mr. Schiff of “knowingly and unlawfully lying and leaking.”"
    )
    assert [q.speaker for q in find_quotes(d)] == ["Trump"]


def test_a_person_named_by_surname_elsewhere_is_not_only_in_one_source() -> None:
    """ "Only B mentions Donald Trump" is false when A writes "President Trump" (which A's own names
    resolve to Melania Trump, the fuller name it has); Melania, whom B never names, stays reported."""
    a = doc("First lady Melania Trump attended the dinner. President Trump spoke at the rally.", "A")
    b = doc("Donald Trump spoke at the rally on Monday. The crowd cheered loudly at the event.", "B")
    people = {f.description for f in analyse([a, b]).of_type("only_some") if f.kind == "person"}
    assert people == {"Only A (Test) mentions Melania Trump."}


def test_a_surname_used_bare_before_a_fuller_name_is_not_given_to_it() -> None:
    """ "President Trump" in the body before "Melania Trump" is someone the article never names in
    full: his words must not be credited to Melania Trump. A surname that follows its full name, as
    usual, still resolves to it."""
    d = doc(
        "President Trump criticised the comedian on Tuesday. First lady Melania Trump called the photo "
        "disturbing. “It is a disgrace and a shame,” Trump said. Anna Smith left early. "
        "“We will not come back,” Smith said."
    )
    assert [q.speaker for q in find_quotes(d)] == ["Trump", "Anna Smith"]


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        (
            "Mrs. Clinton’s “email arrangement with herself is highly unusual,” Representative Trey Gowdy "
            "wrote in a letter. He added that the deletion “only exacerbates our need to understand it.”",
            "Hillary Clinton",
        ),
        (
            "This dual argument that confounded Justice Kennedy also drew the ire of Justice Antonin Scalia. "
            '"If somebody tells you how to exercise discretion, you have none," he said.',
            "Kennedy",
        ),
    ],
)
def test_a_pronoun_is_not_given_to_a_name_that_is_not_the_subject(text: str, wrong: str) -> None:
    """A possessive (`Mrs. Clinton's …`) or an object (`… confounded Justice Kennedy`) in the sentence
    before is not who `he` is."""
    speaker = find_quotes(doc(text))[-1].speaker or ""
    assert wrong not in speaker


def test_a_subject_after_an_introductory_phrase_is_found(seeds: list[Document]) -> None:
    d = doc(
        "Last week, Russian Foreign Minister Sergei Lavrov proposed talks. "
        "“We are ready to hold talks with the two sides,” he said in Moscow."
    )
    assert [q.speaker for q in find_quotes(d)] == ["Sergei Lavrov"]


def test_a_generic_body_alone_is_not_an_only_some_finding() -> None:
    """ "Only B mentions Committee." names no body; the full name, where given, is the finding."""
    a = doc("The House Intelligence Committee met on Monday. Members said little afterwards.", "A")
    b = doc("The Committee met on Monday in Washington. Members said little afterwards.", "B")
    found = {f.description for f in analyse([a, b]).of_type("only_some") if f.kind == "organization"}
    assert not any(d.endswith(" Committee.") and "Intelligence" not in d for d in found)
