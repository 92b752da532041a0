"""Sample results for the rendering tests, built from two short articles about a city bridge.

Two sets of article texts:
- `BRIDGE_TEXTS`: plain articles A (Daily) and B (Herald) that disagree on the day the bridge
  reopens and word the mayor's quotation differently, so a comparison has a claim each side
  reports, a conflict and a quote variant to show.
- `HOSTILE_TEXTS`: the same story with markup, a script and entities in the article text, to prove
  that the HTML report shows every source text as text.

`SUMMARY_ANSWER` is a minimal valid summary answer (a draft citing A1) for the batch and store tests.

Evidence spans are always cut from these texts with `span`, so `text[start:end] == span.text` holds
in every sample. The builders take parameters only where a test asserts on the detail that varies;
everything else is the same in every sample.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from summarizer.schemas import (
    Claim,
    Comparison,
    Conflict,
    ConflictValue,
    FoundBy,
    Grounding,
    GroundingSummary,
    InputRecord,
    KeyPoint,
    Provenance,
    QuoteVariant,
    QuoteWording,
    Review,
    SourceInfo,
    SourceStatus,
    Span,
    Status,
    Summary,
    TemplateRecord,
    Usage,
)

BRIDGE_A = (
    'The bridge reopens on Friday. Mayor Jane Doe said "the repairs are complete". Repairs cost $2 million.'
)
BRIDGE_B = (
    "The bridge reopens on Saturday. "
    'Mayor Jane Doe said "the repairs are nearly complete". '
    "The city council cited safety concerns."
)
BRIDGE_TEXTS = {"A": BRIDGE_A, "B": BRIDGE_B}

HOSTILE = "<script>window.__pwned = 1</script>"
"""A script that sets `window.__pwned` if it ever runs; the browser test checks that it does not."""
HOSTILE_A = (
    "The bridge reopens on Friday. "
    f'Mayor Jane Doe said "the repairs are complete" {HOSTILE}. '
    'An <img src=x onerror="window.__pwned = 2"> tag and </script> and &amp; stay text.'
)
HOSTILE_B = 'The bridge reopens on Saturday. Mayor Jane Doe said "the repairs are nearly complete".'
HOSTILE_TEXTS = {"A": HOSTILE_A, "B": HOSTILE_B}


def span(source: str, needle: str, texts: dict[str, str] = BRIDGE_TEXTS) -> Span:
    """The first `needle` in source `source` of `texts`, with the id of the sentence it starts in
    (sentences end at '. ', so "on Friday" in A is A1 and "Mayor Jane Doe" is A2)."""
    text = texts[source]
    start = text.index(needle)
    number = text[:start].count(". ") + 1
    return Span(
        source=source,
        start=start,
        end=start + len(needle),
        text=needle,
        sentence_ids=[f"{source}{number}"],
    )


def status(sid: str, value: Status, needle: str | None, texts: dict[str, str] = BRIDGE_TEXTS) -> SourceStatus:
    """What source `sid` says of a claim, citing `needle` (no evidence when `needle` is None, as for
    `omits`)."""
    return SourceStatus(source=sid, status=value, evidence=[span(sid, needle, texts)] if needle else [])


def source(
    sid: str,
    outlet: str,
    *,
    texts: dict[str, str] = BRIDGE_TEXTS,
    published: dt.date | None = None,
    title: str | None = None,
    language: str | None = None,
) -> SourceInfo:
    """Source `sid` of `texts` as a result refers to it: its text, checksum and origin `<sid>.txt`.

    Title, date and language are left out unless given: the Markdown sources table is tested with
    them, the HTML report without them.
    """
    text = texts[sid]
    return SourceInfo(
        id=sid,
        outlet=outlet,
        title=title,
        published=published,
        language=language,
        origin=f"{sid}.txt",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
    )


def bridge_sources() -> list[SourceInfo]:
    """The plain articles as Daily (A, 1 May 2024) and Herald (B, 2 May 2024), each titled "Bridge
    news from <outlet>", so tables can be checked for outlet, date and title."""
    return [
        source("A", "Daily", published=dt.date(2024, 5, 1), title="Bridge news from Daily"),
        source("B", "Herald", published=dt.date(2024, 5, 2), title="Bridge news from Herald"),
    ]


def provenance(sources: list[SourceInfo]) -> Provenance:
    """A model run with every field a report shows filled in: model, endpoint, template, inputs (one
    per source), two attempts with one re-ask, token usage, and replayed answers written by hand
    (`fixture_origin="authored"`)."""
    return Provenance(
        tool_version="0.1.0",
        engine="llm",
        backend="openai",
        model="test-model-7b",
        endpoint_host="llm.example.org",
        structured_output="json_schema",
        templates=[TemplateRecord(name="summary.j2", sha256="ab" * 32)],
        inputs=[InputRecord(source=s.id, origin=s.origin, sha256=s.sha256) for s in sources],
        attempts=2,
        reasks=1,
        usage=Usage(input_tokens=1234, output_tokens=56),
        created_at=dt.datetime(2024, 5, 3, 12, 0, tzinfo=dt.timezone.utc),
        fixture_origin="authored",
    )


def bare_provenance() -> Provenance:
    """Only the fields a provenance must have, so a report is tested with every optional one empty."""
    return Provenance(
        tool_version="0", engine="llm", created_at=dt.datetime(2024, 5, 3, tzinfo=dt.timezone.utc)
    )


def mayor_claim(*, found_by: FoundBy = "model", confidence: float | None = None) -> Claim:
    """Claim 1 of the bridge comparisons: "The mayor commented on the repairs.", which A and B both
    report, each citing "Mayor Jane Doe". `found_by` and `confidence` mark it found by the analysis."""
    return Claim(
        claim="The mayor commented on the repairs.",
        sources=[status("A", "reports", "Mayor Jane Doe"), status("B", "reports", "Mayor Jane Doe")],
        found_by=found_by,
        confidence=confidence,
    )


def date_conflict(
    texts: dict[str, str] = BRIDGE_TEXTS,
    *,
    needles: tuple[str, str] = ("on Friday", "on Saturday"),
    found_by: FoundBy = "model",
    confidence: float | None = None,
    review: Review | None = None,
) -> Conflict:
    """The conflict every sample comparison has: A says the bridge reopens on Friday, B on Saturday.

    `needles` are the evidence cited in A and in B: the HTML test cites the bare day names so that the
    conflict's span overlaps both claims' spans. `found_by`, `confidence` and `review` mark a conflict
    found by the deterministic analysis and reviewed by the model.
    """
    return Conflict(
        kind="date",
        description="The day the bridge reopens.",
        values=[
            ConflictValue(source="A", value="Friday", evidence=[span("A", needles[0], texts)]),
            ConflictValue(source="B", value="Saturday", evidence=[span("B", needles[1], texts)]),
        ],
        found_by=found_by,
        confidence=confidence,
        review=review,
    )


def quote_variant(
    texts: dict[str, str] = BRIDGE_TEXTS,
    *,
    speaker: str = "Jane Doe",
    similarity: float | None = None,
    review: Review | None = None,
) -> QuoteVariant:
    """The mayor's quotation as A words it ("the repairs are complete") and as B does ("the repairs
    are nearly complete"), with a difference in meaning.

    `similarity`: B's wording is an approximate ("fuzzy") match to its source with this score, which
    the reports print; None leaves B an exact match. `speaker` may be hostile markup.
    """
    b_grounding = Grounding() if similarity is None else Grounding(alignment="fuzzy", score=similarity)
    return QuoteVariant(
        speaker=speaker,
        wordings=[
            QuoteWording(
                source="A",
                text="the repairs are complete",
                evidence=[span("A", "the repairs are complete", texts)],
            ),
            QuoteWording(
                source="B",
                text="the repairs are nearly complete",
                evidence=[span("B", "the repairs are nearly complete", texts)],
                grounding=b_grounding,
            ),
        ],
        meaning_differs=True,
        note="B adds 'nearly'.",
        review=review,
    )


def one_point_summary(
    src: SourceInfo, point: KeyPoint, grounding: GroundingSummary, prov: Provenance
) -> Summary:
    """A summary headed "Bridge reopens" with one key point and no quotes, entities, dates or
    caveats: the smallest summary page, for tests about its layout rather than its sections."""
    return Summary(
        headline="Bridge reopens",
        summary="The bridge reopens on Friday.",
        length="short",
        key_points=[point],
        quotes=[],
        entities=[],
        dates=[],
        caveats=[],
        language="en",
        source=src,
        grounding=grounding,
        provenance=prov,
    )


def hostile_comparison() -> Comparison:
    """A comparison of `HOSTILE_TEXTS` with markup in the story, overview, claim, speaker and outlet
    names, for the escaping tests (`tests/test_html.py`, `tests/test_browser.py`).

    Its four findings, in order: claim 1 (A reports, citing "The bridge reopens on Friday."; B
    contradicts), claim 2 (not grounded; A cites "reopens on Friday. Mayor", overlapping claim 1; B
    omits), the date conflict (citing "Friday", inside both claims' spans) and the quote variant (B an
    approximate match, similarity 90). No sourcing or framing, so there are exactly four.
    """
    return Comparison(
        story=f"Bridge {HOSTILE}",
        overview='Overview with <b onmouseover="x()">markup</b>.',
        claims=[
            Claim(
                claim=f"The bridge reopens {HOSTILE}",
                sources=[
                    status("A", "reports", "The bridge reopens on Friday.", HOSTILE_TEXTS),
                    status("B", "contradicts", "reopens on Saturday", HOSTILE_TEXTS),
                ],
            ),
            Claim(
                claim="The repairs are done.",
                sources=[
                    status("A", "reports", "reopens on Friday. Mayor", HOSTILE_TEXTS),
                    status("B", "omits", None, HOSTILE_TEXTS),
                ],
                grounding=Grounding(grounded=False, reasons=["B1 does not say the repairs are done"]),
            ),
        ],
        conflicts=[date_conflict(HOSTILE_TEXTS, needles=("Friday", "Saturday"))],
        quote_variants=[quote_variant(HOSTILE_TEXTS, speaker='Jane "<Doe>"', similarity=90.0)],
        sourcing=[],
        framing=[],
        sources=[
            source("A", f"Daily {HOSTILE}", texts=HOSTILE_TEXTS, language="en"),
            source("B", 'Herald" onload="x()', texts=HOSTILE_TEXTS, language="en"),
        ],
        grounding=GroundingSummary(items=4, grounded=3, ungrounded=1, reasons=["claim 2: not grounded"]),
        provenance=bare_provenance(),
    )


SUMMARY_ANSWER = {
    "headline": "An event is reported",
    "summary": "One item.",
    "key_points": [{"text": "Something happened.", "sentence_ids": ["A1"]}],
    "quotes": [],
    "entities": [],
    "dates": [],
    "caveats": [],
    "language": "en",
}
