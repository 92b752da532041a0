"""The indexes that keep the analysis near-linear give the answers a full scan gave (issue 16, 13.3).

Speed itself is measured by `bench/offline_speed.py` and `bench/long_input_speed.py`; these tests pin
what the indexes must not change: which names group, which sentences are title-case lines, which
quotations pair up, and that ties are broken the same way in every run.
"""

from __future__ import annotations

import random
from collections import Counter

from rapidfuzz import fuzz

from summarizer.analysis import analyse, find_names, group_names
from summarizer.analysis._text import DocIndex
from summarizer.analysis.align import (
    COMMON_WORD,
    _vectors,
    align_sentences,
    fold_words,
)
from summarizer.analysis.compare import QUOTE_MATCH, _candidate_pairs, _folded_similarity, _Segment
from summarizer.analysis.layout import is_notice, title_case
from summarizer.analysis.names import NameIndex, NameMention, _TitleLines, same_name
from summarizer.analysis.quotes import quoted_stretches
from summarizer.documents import document_from_text
from summarizer.text import content_stems


def doc(text: str, source: str = "A") -> object:
    return document_from_text(text, source_id=source, outlet=f"Outlet {source}")


def mention(text: str, kind: str = "person", source: str = "A", start: int = 0) -> NameMention:
    return NameMention(source, start, start + len(text), text, kind, None, text)  # type: ignore[arg-type]


def test_grouping_through_the_index_matches_comparing_every_pair() -> None:
    names = [
        "Sergei Lavrov", "Sergie Lavrov", "Lavrov", "Mike Pompeo", "Michael Pompeo", "Hassan Rouhani",
        "Hassan Rohani", "Rouhani", "Bill Clinton", "William Clinton", "Hillary Clinton", "Clinton",
        "Donald Trump", "Melania Trump", "Trump", "Ali Vaezi", "Mahmoud Vaezi", "Vaezy",
    ]  # fmt: skip
    rng = random.Random(3)
    mentions = [mention(n, source="AB"[k % 2], start=k) for k, n in enumerate(rng.sample(names, len(names)))]
    got = {frozenset(m.text for m in g.mentions) for g in group_names(mentions)}
    expected: list[set[str]] = []  # the plain scan the index replaced: first group with the same name
    canon: list[str] = []
    for m in sorted(mentions, key=lambda m: -len(m.canonical)):
        k = next((k for k, c in enumerate(canon) if same_name(c, m.canonical, "person")), None)
        if k is None:
            canon.append(m.canonical)
            expected.append({m.text})
        else:
            expected[k].add(m.text)
    assert got == {frozenset(e) for e in expected}
    assert any({"Sergei Lavrov", "Sergie Lavrov", "Lavrov"} <= g for g in got)
    assert any({"Mike Pompeo", "Michael Pompeo"} <= g for g in got)


def test_title_lines_are_read_once_per_line_and_agree_with_title_case() -> None:
    text = (
        "Iran And Russia Sign A Deal\n\nThe deal was signed. Officials said so.\nAnother Title Case Line Here"
    )
    lines = _TitleLines(text)
    for start, end, line in ((0, 27, text[:27]), (29, 49, text[29:68]), (69, len(text), text[69:])):
        assert lines.holds(start, end) == title_case(line)
    assert lines.holds(0, 5) and not lines.holds(29, 49)


def test_a_text_without_line_breaks_is_one_line_and_its_names_are_found() -> None:
    sentence = "Foreign Minister Sergei Lavrov met John Kerry in Geneva on Monday. "
    names = find_names(document_from_text(sentence * 200))  # one line of 200 sentences
    assert sum(m.canonical == "Sergei Lavrov" for m in names) == 200
    assert sum(m.canonical == "John Kerry" for m in names) == 200


def test_names_between_offsets_keep_text_order() -> None:
    ms = [mention("A", start=s) for s in (3, 10, 10, 25, 40)]
    index = NameIndex(ms)
    assert [m.start for m in index.between(10, 40)] == [10, 10, 25]
    assert index.between(41, 50) == [] and index.between(0, 3) == []


def _closing_by_scan(text: str, start: int, marks: str) -> int | None:
    """The scan `quoted_stretches` made before it looked marks up (quadratic on unclosed quotes); a
    curly quote also ends at a straight mark that closes (after a non-space, before no letter)."""
    for i in range(start, len(text)):
        if text[i] in marks:
            return i
        if marks != '"' and text[i] == '"' and text[i - 1 : i].strip() and not text[i + 1 : i + 2].isalnum():
            return i
        if text[i] == "\n":
            nxt = text[i:].lstrip()
            return i if nxt and nxt[0] in '“«„"' else None
    return None


def test_quote_ends_looked_up_agree_with_a_scan_on_unclosed_quotes_and_paragraphs() -> None:
    rng = random.Random(5)
    pieces = [
        "He said “this never closes. ",
        "“Real quote here,” she said. ",
        "\n\n",
        '"plain" ',
        "«x» ",
        "\n“",
    ]
    for _ in range(30):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        expected, i = [], 0
        while i < len(text):
            ch = text[i]
            if ch in "“«„" or (
                ch == '"' and (i == 0 or text[i - 1].isspace()) and text[i + 1 : i + 2].strip()
            ):
                close = _closing_by_scan(text, i + 1, '"' if ch == '"' else "”»")
                if close is not None:
                    expected.append((i + 1, close))
                    i = close + 1
                    continue
            i += 1
        got = quoted_stretches(text)
        trimmed = [(s, e) for s, e in expected if text[s:e].strip(" \n,")]
        assert [text[s:e].strip(" \n,") for s, e in got] == [text[s:e].strip(" \n,") for s, e in trimmed]


def test_a_bare_surname_goes_to_the_most_named_of_two_equally_long_full_names() -> None:
    """The fullest name was chosen in set order, which changed between runs (story-45, story-111)."""
    text = (
        "Elaine Smith spoke first. Elaine Smith then left. Daniel Smith stayed. "
        "The vote was over, Smith said."
    )
    names = find_names(document_from_text(text))
    assert [m.canonical for m in names if m.text == "Smith"] == ["Elaine Smith"]


def test_a_short_quotation_of_common_words_still_meets_its_twin() -> None:
    a = doc("“That is not so,” the mayor said on Monday about the report.", "A")
    b = doc("“That is not so at all,” the mayor said in a statement on Monday.", "B")
    variants = analyse([a, b]).of_type("quote_variant")  # type: ignore[list-item]
    assert len(variants) == 1


def test_a_quotation_inside_a_longer_one_is_paired_through_its_rarest_words() -> None:
    a = doc("“We will rebuild every flooded bridge in the valley,” Governor Ann Lee said.", "A")
    b = doc(
        "Governor Ann Lee said: “We will rebuild every flooded bridge in the valley, and we will do it "
        "before the winter comes to the northern counties.”",
        "B",
    )
    variants = analyse([a, b]).of_type("quote_variant")  # type: ignore[list-item]
    assert len(variants) == 1 and variants[0].speaker == "Ann Lee"


def test_a_reworded_quotation_whose_own_words_are_its_rarest_still_meets_its_twin() -> None:
    """Words only one outlet uses are no key: the pair is found through the rarest words they share."""
    a = doc("“We see no reason to reopen the harbour talks as we have said many times,” Mayor Ann Lee said.")
    b = doc(
        "“We see no reason to reopen the harbour talks, and we have repeated that publicly,” "
        "said Mayor Ann Lee.",
        "B",
    )
    variants = analyse([a, b]).of_type("quote_variant")  # type: ignore[list-item]
    assert len(variants) == 1


def _plain_best(indexes: list[DocIndex]) -> dict[tuple[int, int], dict[int, tuple[int, float]]]:
    """Every sentence scored against every sentence of the other documents (the scan the postings
    replace): dot products summed in the sentence's word order, rare-enough words only, the first
    candidate met kept unless a later one scores above its rounded score."""
    refs, bags = [], []
    for d, idx in enumerate(indexes):
        for s, text in enumerate(idx.sentence_texts):
            words = content_stems(text)
            if len(words) >= 2 and not is_notice(text):
                refs.append((d, s))
                bags.append(Counter(words))
    vectors = _vectors(bags)[0]
    df = Counter(w for v in vectors for w in v)
    common = max(COMMON_WORD, len(vectors) // 10)
    out = {}
    for n, vec in enumerate(vectors):
        scores: dict[int, float] = {}
        for w, v in vec.items():
            if df[w] > common:
                continue
            for m, other in enumerate(vectors):
                if refs[m][0] != refs[n][0] and w in other:
                    scores[m] = scores.get(m, 0.0) + v * other[w]
        met = sorted(scores, key=lambda m: (min(k for k, w in enumerate(vec) if w in vectors[m]), m))
        best: dict[int, tuple[int, float]] = {}
        for m in met:
            d, s = refs[m]
            if d not in best or scores[m] > best[d][1]:
                best[d] = (s, round(scores[m], 3))
        out[refs[n]] = best
    return out


def test_alignment_through_postings_matches_scoring_every_pair() -> None:
    """Same best matches, same scores to the last bit, same order of documents, and ties (twin
    sentences in one document) broken alike, as scoring every pair."""
    texts = [
        "Flood waters rose in the valley on Monday. The mayor closed the old bridge. "
        "Schools stayed open. Farmers moved cattle to higher ground near the river.",
        "The old bridge was closed by the mayor. Flood waters rose on Monday in the valley. "
        "The old bridge was closed by the mayor. Cattle were moved by farmers.",
        "Farmers near the river moved cattle. Rain is expected again on Friday. "
        "The valley flood closed schools and the bridge.",
    ]
    indexes = [DocIndex(doc(t, "ABC"[k])) for k, t in enumerate(texts)]  # type: ignore[arg-type]
    got = align_sentences(indexes)
    plain = _plain_best(indexes)
    assert got.best == plain
    assert [list(b) for b in got.best.values()] == [list(b) for b in plain.values()]
    assert got.best[(0, 1)][1][0] in (0, 2)  # one of the twin sentences, as the scan chose


def test_quote_pairs_found_through_the_index_are_every_pair_alike() -> None:
    """The pairs whose similarity reaches the threshold are those a scan of every pair finds."""
    quotes = [
        "We will rebuild every flooded bridge in the valley",
        "We will rebuild each flooded bridge in this valley before winter",
        "That is not so",
        "That is not so at all",
        "The harbour talks will not reopen this year",
        "We see no reason to reopen the harbour talks",
        "Nobody told us about the dam",
        "Nobody ever told us anything about the dam",
        "It is a sad day for the valley",
        "Nobody told us about the dam and nobody told us about the flood that would follow it downstream",
    ]
    segments = []
    for k, q in enumerate(quotes):
        d = k % 3
        segments.append(_Segment(d, None, 0, len(q), q))  # type: ignore[arg-type]
    folded = [fold_words(s.text) for s in segments]
    alike = {
        (i, j)
        for i in range(len(segments))
        for j in range(i + 1, len(segments))
        if segments[i].doc != segments[j].doc and _folded_similarity(folded[i], folded[j]) >= QUOTE_MATCH
    }
    found = _candidate_pairs(segments, folded)
    assert found == sorted(found)
    assert {p for p in found if _folded_similarity(folded[p[0]], folded[p[1]]) >= QUOTE_MATCH} == alike
    assert len(alike) >= 4
    assert any(
        _folded_similarity(folded[i], folded[j]) > fuzz.ratio(folded[i], folded[j]) / 100 for i, j in alike
    )
