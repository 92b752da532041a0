"""The per-document work of grounding and analysis (issue 10's one index per document, issue 5's overhead).

Speed is measured by `bench/overhead.py`; these tests pin what must not change while the work is shared
or skipped: the same issues, and whole-article scans that are not run when nothing would keep them.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from summarizer import Client
from summarizer.analysis import _indexed as indexed
from summarizer.analysis import analyse_document
from summarizer.analysis import quotes as quotes_module
from summarizer.documents import document_from_text
from summarizer.grounding import Grounder, support_issues
from summarizer.grounding import _support as support
from summarizer.grounding._checks import PROSE_CHECKS, prose_issues
from summarizer.grounding._evidence import Evidence
from summarizer.rules import ALL, Selection
from summarizer.schemas import Document, Sentence
from summarizer.testing import FakeBackend
from summarizer.text import index as text_index
from summarizer.text.index import fold, index_of

ARTICLE = (
    "Riverton did not approve the budget on Tuesday, Mayor Jane Holloway said.\n\n"
    "The plan sets aside $12 million for repairs, and the council rejected a cheaper offer. "
    "Officials expect the work to begin on March 3, 2027, although residents were never consulted."
)


def _fails(*_: object, **__: object) -> object:
    raise AssertionError("this scan should not run")


def test_prose_reads_the_article_only_for_numbers_dates_and_names(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = document_from_text(ARTICLE, source_id="A", outlet="Outlet A")
    prose = "Riverton approved a $15 million budget on March 4, 2027, Mayor John Holloway said; it is cold."
    every = support_issues(prose, Evidence((doc.text,), doc.published))
    whole = [i for i in every if i.check in PROSE_CHECKS]
    monkeypatch.setattr(support, "_negation_issues", _fails)  # the article negates: the gate would open
    got = prose_issues(prose + " ", [doc])  # a new text: the memo of support issues is not asked
    assert [(i.check, i.token) for i in got] == [(i.check, i.token) for i in whole]
    assert {i.check for i in got} == {"number", "date", "entity"}


@pytest.mark.parametrize("ignored", ["S101", "S102", "S103", "S101,S103"])
def test_prose_checks_follow_the_rules_selection(ignored: str) -> None:
    doc = document_from_text(ARTICLE, source_id="A", outlet="Outlet A")
    prose = "Riverton approved a $15 million budget on March 4, 2027, Mayor John Holloway said."
    rules = Selection(ignore=frozenset(ignored.split(",")))
    every = {i.check for i in prose_issues(prose, [doc], rules=ALL)}
    codes = {"S101": "number", "S102": "date", "S103": "entity"}
    assert {i.check for i in prose_issues(prose, [doc], rules=rules)} == every - {
        codes[c] for c in ignored.split(",")
    }


def test_a_paraphrased_item_is_not_searched_for_fuzzily(monkeypatch: pytest.MonkeyPatch) -> None:
    """The miscitation check acts only on text copied exactly (or with other quote marks): a fuzzy
    search of the whole article for every paraphrase was work thrown away."""
    doc = document_from_text(ARTICLE, source_id="A", outlet="Outlet A")
    g = Grounder([doc])
    monkeypatch.setattr(Grounder, "_find_fuzzy", _fails)
    ids = [s.id for s in doc.sentences]
    assert g.support_checks("The council turned down a cheaper offer for the repairs.", ids[2:3], "A") == []
    copied = "The plan sets aside $12 million for repairs"
    first = g.support_checks(copied, ids[-1:], "A")[0]
    assert first.message.startswith("the text is copied")


# -- one index per document ----------------------------------------------------------------------------


def test_folding_by_runs_matches_folding_by_character() -> None:
    pieces = [
        "a",
        "Bc",
        " ",
        "  ",
        "\n",
        "\t",
        "\u00a0",
        "\u2026",
        "\u201c",
        "\u201d",
        "\u2014",
        "\u2019",
        "\u3000",
    ]
    rng = random.Random(5)
    texts = ["", " ", "\u2026", " lead \u00a0 and trail\u2026 "]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 25))) for _ in range(3000)]
    for text in texts:
        folded, each = fold(text), text_index._fold_each(text)  # the run-by-run fold, the per-character one
        assert (folded.text, folded.offsets) == (each.text, each.offsets), repr(text)


def test_one_index_per_document_shared_by_analysis_and_grounding(monkeypatch: pytest.MonkeyPatch) -> None:
    text = ARTICLE.replace("Tuesday", "Wednesday") + ' "We will not wait," Holloway told reporters.'
    doc = document_from_text(text, source_id="A", outlet="Outlet A")
    calls = []
    real = quotes_module.find_quotes

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(indexed, "find_quotes", counted)
    again = document_from_text(text, source_id="A", outlet="Outlet A")  # an equal document, read again
    assert index_of(again) is index_of(doc)
    assert analyse_document(doc).index is index_of(doc)
    g = Grounder([again])
    quote = "We will not wait"
    assert g.speaker_checks("A", "Jane Holloway", quote, [doc.sentences[-1].id]) == []
    assert len(calls) == 1  # the analysis found the quotes; the speaker check read them from the index
    other = document_from_text(text, source_id="A", outlet="Outlet B")
    assert index_of(other) is not index_of(doc)  # another field: another document


def test_spans_of_grounding_and_analysis_come_from_one_builder() -> None:
    doc = document_from_text("First sentence here.  Second one follows.", source_id="A", outlet="Outlet A")
    idx = index_of(doc)
    start, end = 0, len(doc.text)
    assert Grounder([doc]).span("A", start, end) == idx.span(start, end, trim=False)
    padded = idx.span(doc.sentences[0].end, doc.sentences[1].end)  # the whitespace between is trimmed
    assert padded.text == "Second one follows." and padded.sentence_ids == [doc.sentences[1].id]
    assert padded.text == doc.text[padded.start : padded.end]


def test_sentences_out_of_order_are_all_looked_at() -> None:
    text = "Alpha beta. Gamma delta."
    doc = Document(
        id="A",
        outlet="O",
        text=text,
        sentences=[Sentence(id="A1", start=12, end=24), Sentence(id="A2", start=0, end=11)],
    )
    assert index_of(doc).span(0, len(text)).sentence_ids == ["A1", "A2"]
    assert index_of(doc).span(0, 5).sentence_ids == ["A2"]


def test_one_summary_reads_its_article_once_per_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 5's overhead regression: whole-article work was repeated per check and per pass. One
    answer with a quote, paraphrased key points and prose now finds the article's names and quotes
    once, folds it once, and never runs the negation scan over the whole article."""
    article = (
        "Lakeside votes on repairs, item 7\n\n"
        "The council of Lakeside voted 7 to 2 on Monday to approve $31 million for road repairs, "
        "Mayor Ann Ruiz said. "
        '"We have waited nine years for this," Ruiz told reporters. '
        "Opposition councillor Tom Brandt said residents had not been consulted."
    )
    answer = {
        "headline": "Lakeside council approves road repairs",
        "summary": "Lakeside's council approved $31 million for road repairs on Monday.",
        "key_points": [
            {"text": "The council backed the road money by seven votes to two.", "sentence_ids": ["A2"]},
            {"text": "Tom Brandt said residents were not asked first.", "sentence_ids": ["A4"]},
        ],
        "quotes": [{"speaker": "Ann Ruiz", "role": "Mayor", "text": "We have waited nine years for this",
                    "sentence_ids": ["A3"]}],
        "entities": [],
        "dates": [],
        "caveats": [],
        "language": "en",
    }  # fmt: skip
    counts = {"names": 0, "fold": 0, "negation": 0}

    def counting(name: str, real: Any, big: bool = False) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not big or len(args[0]) > len(article) // 2:
                counts[name] += 1
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(indexed, "find_names", counting("names", indexed.find_names))
    monkeypatch.setattr(text_index, "fold", counting("fold", text_index.fold))
    monkeypatch.setattr(support, "_negated_words", counting("negation", support._negated_words, big=True))
    doc = document_from_text(article, source_id="A", outlet="Outlet A")
    result = Client(backend=FakeBackend([json.dumps(answer)])).summarize(doc)
    assert result.grounding.ungrounded == 0, result.grounding.reasons
    assert counts == {"names": 1, "fold": 1, "negation": 0}


def test_fifty_sources_read_in_turn_twice_keep_their_indexes() -> None:
    # A comparison of 50 outlets reads its sources in order on each pass; with room for fewer than 50
    # indexes, least-recently-used eviction dropped each source just before its next use.
    docs = [
        document_from_text(f"Outlet {n} reported {n} arrests on Monday.", source_id=f"S{n}")
        for n in range(50)
    ]
    first = [index_of(d) for d in docs]
    again = [index_of(d) for d in docs]
    assert all(a is b for a, b in zip(first, again))


def test_a_document_changed_in_place_leaves_the_remembered_index_of_its_old_content_intact() -> None:
    """Documents are mutable and the index is remembered by content: a caller who changes a document
    after a run (its outlet, say) must not change what the index kept under the old content reads,
    or an equal document loaded again would be read with the other outlet."""
    text = "Officials met on Tuesday. They agreed to talk again."
    doc = document_from_text(text, source_id="A", outlet="Outlet Kept")
    index_of(doc)
    doc.outlet = "Outlet Changed"
    assert index_of(doc).doc.outlet == "Outlet Changed"
    again = document_from_text(text, source_id="A", outlet="Outlet Kept")
    assert index_of(again).doc.outlet == "Outlet Kept"
    assert index_of(again).doc == again


def test_long_documents_are_remembered_within_a_character_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_index, "CHARACTERS_KEPT", 2_000)
    docs = [
        document_from_text(f"Report {n}. " + "The council met again. " * 40, source_id=f"L{n}")
        for n in range(4)
    ]
    first = [index_of(d) for d in docs]  # each about 930 characters: two fit in the budget
    assert index_of(docs[3]) is first[3] and index_of(docs[2]) is first[2]
    assert index_of(docs[0]) is not first[0]
    huge = document_from_text("The council met again. " * 200, source_id="H")
    assert index_of(huge) is index_of(huge)  # one document over the budget is still kept while in use
