"""Drafts: what the model fills. Lean and strict-mode compatible: every field required, no extra
keys, sentence ids instead of offsets. Attribute docstrings become what the model reads."""

from __future__ import annotations

from summarizer.schemas._base import CitedKind, ConflictKind, EntityType, Status, Verdict, _Strict


class DraftKeyPoint(_Strict):
    """One key point of the article, neutral, with the sentences that establish it."""

    text: str
    """The point in one neutral sentence. Nothing that the cited sentences do not say."""
    sentence_ids: list[str]
    """Ids of the sentences that establish the point, e.g. ["A2", "A3"]. At least one."""


class DraftQuote(_Strict):
    """A direct quotation, copied verbatim."""

    speaker: str
    """Who is quoted, by the fullest name the article gives."""
    role: str | None
    """The speaker's role or title as the article gives it, or null if it gives none."""
    text: str
    """The quoted words exactly as printed, without the surrounding quotation marks."""
    sentence_ids: list[str]
    """Ids of the sentences that contain the quotation."""


class DraftEntity(_Strict):
    """A person, organisation, place or event that matters to the story."""

    name: str
    """The fullest name the article uses."""
    type: EntityType
    role: str
    """The entity's part in the story, in a few neutral words."""
    sentence_ids: list[str]
    """Ids of sentences that mention the entity."""


class DraftDate(_Strict):
    """A date or time the article mentions and what happened then."""

    text: str
    """The date as written in the article, e.g. "on Friday" or "May 2018"."""
    iso: str | None
    """ISO 8601 date (YYYY-MM-DD, or YYYY-MM, or YYYY) when it can be resolved from the article itself
    and its publication date; null when it cannot."""
    event: str
    """What happened at that date, neutrally."""
    sentence_ids: list[str]


class DraftCaveat(_Strict):
    """Something a reader should not take as established."""

    text: str
    """A claim the article does not establish, leaves unattributed, or reports only from one side."""
    sentence_ids: list[str]


class SummaryDraft(_Strict):
    """A neutral summary of one article in which every item cites the sentences it rests on."""

    headline: str
    """A neutral headline of at most 15 words."""
    summary: str
    """Neutral summary prose; its length follows the requested length."""
    key_points: list[DraftKeyPoint]
    quotes: list[DraftQuote]
    entities: list[DraftEntity]
    dates: list[DraftDate]
    caveats: list[DraftCaveat]
    language: str
    """ISO 639-1 code of the article's language, e.g. "en"."""


class DraftSourceStatus(_Strict):
    """How one source treats a claim."""

    source: str
    """Source id, e.g. "A"."""
    status: Status
    """`reports`: the source states it; `omits`: it says nothing about it; `contradicts`: it states
    something incompatible; `unclear`: it touches on it without settling it."""
    sentence_ids: list[str]
    """The source's sentences behind the status; empty only when the status is `omits`."""


class DraftClaim(_Strict):
    """One factual claim and the status of every source towards it."""

    claim: str
    """The claim in one neutral sentence."""
    sources: list[DraftSourceStatus]
    """One entry per source, every source exactly once."""


class DraftConflictValue(_Strict):
    source: str
    value: str
    """The value as this source gives it (a date, number, name spelling, speaker or fact), verbatim
    where possible."""
    sentence_ids: list[str]


class DraftConflict(_Strict):
    """A point on which sources give different values."""

    kind: ConflictKind
    description: str
    """What differs, neutrally, without judging which source is right."""
    values: list[DraftConflictValue]
    """One entry per source that gives a value; at least two."""


class DraftQuoteWording(_Strict):
    source: str
    text: str
    """The quotation exactly as this source prints it, without the quotation marks."""
    sentence_ids: list[str]


class DraftQuoteVariant(_Strict):
    """The same statement by the same speaker, quoted differently by different sources."""

    speaker: str
    wordings: list[DraftQuoteWording]
    """One entry per source that quotes the statement; at least two."""
    meaning_differs: bool
    """True when the wordings differ in meaning, not just in words."""
    note: str
    """What differs between the wordings, in one neutral sentence."""


class DraftCited(_Strict):
    name: str
    """Who the outlet cites: a person's name and role, an organisation, an agency, or a description of
    an anonymous source."""
    kind: CitedKind
    sentence_ids: list[str]


class DraftSourcing(_Strict):
    """Whom one outlet cites."""

    source: str
    cited: list[DraftCited]


class DraftFramingChoice(_Strict):
    source: str
    wording: str
    """The outlet's own words for the aspect, verbatim from its text."""
    sentence_ids: list[str]


class DraftFraming(_Strict):
    """One aspect of the story that outlets put in different words."""

    aspect: str
    """The aspect being framed, e.g. "Iran's answer to the offer"."""
    choices: list[DraftFramingChoice]
    """One entry per source that words the aspect; at least two."""


class DraftCandidateReview(_Strict):
    """Your verdict on one candidate finding of the deterministic analysis."""

    candidate_id: str
    """The candidate's id as listed, e.g. "C3"."""
    verdict: Verdict
    """`confirmed`: the articles bear it out (include it in your findings); `rejected`: they do not
    (say why: for instance, a translation or paraphrase is not a contradiction)."""
    reason: str
    """Why, in one neutral sentence."""


class ComparisonDraft(_Strict):
    """A comparison of several reports of one story; every finding cites each source it is about."""

    story: str
    """The story in one neutral line."""
    overview: str
    """A neutral overview of what the sources agree on and where they differ."""
    claims: list[DraftClaim]
    conflicts: list[DraftConflict]
    quote_variants: list[DraftQuoteVariant]
    sourcing: list[DraftSourcing]
    """One entry per source."""
    framing: list[DraftFraming]
    candidate_reviews: list[DraftCandidateReview]
    """One verdict per candidate finding listed with the articles; empty when none are listed."""
