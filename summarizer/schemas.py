"""The public contract: documents, drafts the model fills, and results the tool returns.

Drafts are lean and strict-mode compatible: every field required, no extra keys, sentence ids instead
of offsets. Results are drafts resolved to character spans, plus grounding and provenance, which the
model never writes. Attribute docstrings become the JSON Schema descriptions the model reads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

SCHEMA_VERSION = "1.0"

Length = Literal["short", "medium", "long"]
Status = Literal["reports", "omits", "contradicts", "unclear"]
ConflictKind = Literal["date", "number", "name", "attribution", "fact"]
EntityType = Literal["person", "organization", "place", "event", "other"]
CitedKind = Literal["named_person", "organization", "news_agency", "document", "anonymous"]
Alignment = Literal["exact", "normalised", "fuzzy", "missing"]
FoundBy = Literal["model", "analysis"]
Verdict = Literal["confirmed", "rejected"]
SupportCheck = Literal["number", "date", "entity", "negation", "antonym", "attribute", "quote", "citation"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


def _drop(data: Any, *keys: str) -> Any:
    """Computed fields appear in dumped JSON; drop them on input so results load back."""
    if isinstance(data, dict) and any(k in data for k in keys):
        return {k: v for k, v in data.items() if k not in keys}
    return data


# --------------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------------


class Sentence(_Strict):
    """One sentence of a document, by character offsets into the document's text."""

    id: str
    """Stable sentence id: source id followed by the 1-based sentence number, e.g. `A3`."""
    start: int
    """Offset of the first character of the sentence in the document text."""
    end: int
    """Offset one past the last character of the sentence."""


class Document(_Strict):
    """An input article, its metadata and its sentences."""

    id: str
    """Source id: `A` for the first source, `B` for the second, and so on."""
    outlet: str
    """The outlet that published the article (never empty: derived from the file name if not given)."""
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    """Publication date, used to resolve relative dates such as "on Friday"."""
    language: str | None = None
    """ISO 639-1 code of the article's language: as given, else detected from the text (null when unsure)."""
    author: str | None = None
    """The byline, when the input gives one (a flag, a sidecar, a web page's metadata)."""
    origin: str = "-"
    """Where the text came from: a file path, a URL or `-` for standard input."""
    text: str
    """The text exactly as loaded; every offset refers to it."""
    sentences: list[Sentence] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _computed(cls, data: Any) -> Any:
        return _drop(data, "sha256")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sha256(self) -> str:
        """SHA-256 of the UTF-8 text."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def sentence(self, sentence_id: str) -> Sentence | None:
        for s in self.sentences:
            if s.id == sentence_id:
                return s
        return None


# --------------------------------------------------------------------------------------------------
# Drafts: what the model fills
# --------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------
# Results: what the tool returns
# --------------------------------------------------------------------------------------------------


class Span(_Strict):
    """Evidence: an exact stretch of a source. `text == document.text[start:end]` always holds."""

    source: str
    """Source id."""
    start: int
    end: int
    text: str
    sentence_ids: list[str] = Field(default_factory=list)
    """The sentences the span lies in."""


class Grounding(_Strict):
    """Whether an item is backed by its evidence."""

    grounded: bool = True
    alignment: Alignment | None = None
    """For verbatim text (quotes, wordings): how it was found in the source."""
    score: float | None = None
    """Similarity for `fuzzy` alignments, 0 to 100."""
    reasons: list[str] = Field(default_factory=list)
    """Why the item is not grounded, one reason per problem."""
    checks: list[SupportIssue] = Field(default_factory=list)
    """The support checks that failed, one per offending token (also summarised in `reasons`)."""


class SupportIssue(_Strict):
    """One way an item is not backed by the evidence it cites, found by a deterministic check."""

    check: SupportCheck
    """`number`, `date`, `entity` or `negation`: the item states what its evidence does not; `quote`:
    verbatim text not found; `citation`: missing, unknown or foreign sentence ids."""
    token: str
    """The offending words of the item, e.g. "June 25", "Hassan Vaezi" or "not"."""
    evidence: str
    """The evidence it was checked against (the cited sentences, shortened), or "" when none."""
    message: str
    """What does not hold, in one sentence."""


class GroundingSummary(_Strict):
    """How many checked items of a result are grounded, and why the others are not."""

    items: int = 0
    grounded: int = 0
    ungrounded: int = 0
    reasons: list[str] = Field(default_factory=list)
    checks: dict[str, int] = Field(default_factory=dict)
    """Failed support checks by kind, e.g. {"date": 1, "quote": 2}."""


class Usage(_Strict):
    input_tokens: int = 0
    output_tokens: int = 0

    @model_validator(mode="before")
    @classmethod
    def _computed(cls, data: Any) -> Any:
        return _drop(data, "total_tokens")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
        )


class InputRecord(_Strict):
    source: str
    origin: str
    sha256: str


class TemplateRecord(_Strict):
    name: str
    sha256: str
    overridden: bool = False
    """True when the template came from a user's --prompts folder."""


class Provenance(_Strict):
    """Where a result came from. Written by the tool, never by the model."""

    tool_version: str
    schema_version: str = SCHEMA_VERSION
    engine: str
    """`llm` for model results, `offline` for results of the deterministic analysis alone (no model)."""
    backend: str | None = None
    model: str | None = None
    endpoint_host: str | None = None
    """Host of the model endpoint; never a key."""
    structured_output: str | None = None
    templates: list[TemplateRecord] = Field(default_factory=list)
    inputs: list[InputRecord] = Field(default_factory=list)
    attempts: int = 0
    reasks: int = 0
    usage: Usage = Field(default_factory=Usage)
    wall_time_s: float = 0.0
    created_at: dt.datetime
    fixture_origin: str | None = None
    """When replayed: `recorded` (with endpoint, model, date) or `authored`."""
    report_language: str | None = None
    """Language the prose was asked for (`--language`), or the sources' language when not given."""
    cache: Literal["hit", "miss", "off"] = "off"
    """Response cache: `hit` when every model answer came from the cache (no tokens, no cost), `miss`
    when at least one was fetched and stored, `off` when no cache was used (temperature above 0,
    `--no-cache`, recording, replay, or an injected backend)."""
    cost_usd: float | None = None
    """What the model calls cost at list prices (see `summarizer.llm.pricing`); 0 for cache hits and
    replayed answers; null when the model's price is unknown."""
    chunks: int = 1
    """How many parts a long input was summarised in (map-reduce); 1 when it fit the context budget."""
    digested: int = 0
    """Comparisons: how many sources were digested first (summarised, then shown to the comparison as
    the sentences their summaries cite, ids and spans unchanged) because all of them in full did not fit
    the context budget; 0 when they fit. Attempts and usage include the digest calls."""


class KeyPoint(_Strict):
    text: str
    evidence: list[Span]
    grounding: Grounding = Field(default_factory=Grounding)


class Quote(_Strict):
    speaker: str
    role: str | None = None
    text: str
    evidence: list[Span]
    grounding: Grounding = Field(default_factory=Grounding)


class Entity(_Strict):
    name: str
    type: EntityType
    role: str
    evidence: list[Span] = Field(default_factory=list)


class DateMention(_Strict):
    text: str
    iso: str | None = None
    event: str
    evidence: list[Span]
    grounding: Grounding = Field(default_factory=Grounding)


class Caveat(_Strict):
    text: str
    evidence: list[Span] = Field(default_factory=list)


class SourceInfo(_Strict):
    """An input document as the result refers to it, text included so spans can be checked."""

    id: str
    outlet: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    language: str | None = None
    author: str | None = None
    origin: str
    sha256: str
    text: str

    @classmethod
    def of(cls, doc: Document) -> SourceInfo:
        """The document's metadata and text, without its sentence list."""
        data = doc.model_dump(include=set(cls.model_fields))
        return cls.model_validate(data)


class Summary(_Strict):
    """A grounded summary of one article."""

    headline: str
    summary: str
    length: Length
    key_points: list[KeyPoint]
    quotes: list[Quote]
    entities: list[Entity]
    dates: list[DateMention]
    caveats: list[Caveat]
    language: str
    source: SourceInfo
    grounding: GroundingSummary
    provenance: Provenance


class SourceStatus(_Strict):
    source: str
    status: Status
    evidence: list[Span]


class Review(_Strict):
    """The model's verdict on a candidate finding of the deterministic analysis."""

    candidate_id: str
    verdict: Verdict
    reason: str


class CandidateReview(_Strict):
    """A candidate finding of the analysis as shown to the model, with the model's verdict."""

    candidate_id: str
    kind: str
    """`conflict: name`, `quote_variant: quote`, `only_some: person`, …"""
    description: str
    confidence: float
    verdict: Verdict | None = None
    """The model's verdict; null when it gave none."""
    reason: str | None = None
    added: bool = False
    """True when the pipeline added this finding to the report because the model's report lacked it."""


class Claim(_Strict):
    claim: str
    sources: list[SourceStatus]
    grounding: Grounding = Field(default_factory=Grounding)
    found_by: FoundBy = "model"
    """`analysis` when the deterministic analysis found it (the offline engine, or added after the model)."""
    confidence: float | None = None
    """For findings of the analysis: how sure it is, 0 to 1."""
    review: Review | None = None
    """The model's verdict when this claim corresponds to one of the analysis's candidates (a person or
    body only some sources name)."""


class ConflictValue(_Strict):
    source: str
    value: str
    evidence: list[Span]


class Conflict(_Strict):
    kind: ConflictKind
    description: str
    values: list[ConflictValue]
    grounding: Grounding = Field(default_factory=Grounding)
    found_by: FoundBy = "model"
    """`analysis` when the deterministic analysis found it and the model's report lacked it."""
    confidence: float | None = None
    review: Review | None = None
    """The model's verdict when this finding was one of the analysis's candidates."""


class QuoteWording(_Strict):
    source: str
    text: str
    evidence: list[Span]
    grounding: Grounding = Field(default_factory=Grounding)


class QuoteVariant(_Strict):
    speaker: str
    wordings: list[QuoteWording]
    meaning_differs: bool
    note: str
    found_by: FoundBy = "model"
    """`analysis` when the deterministic analysis found it and the model's report lacked it."""
    confidence: float | None = None
    review: Review | None = None
    """The model's verdict when this finding was one of the analysis's candidates."""


class Cited(_Strict):
    name: str
    kind: CitedKind
    evidence: list[Span]


class Sourcing(_Strict):
    source: str
    cited: list[Cited]


class FramingChoice(_Strict):
    source: str
    wording: str
    evidence: list[Span]
    grounding: Grounding = Field(default_factory=Grounding)


class Framing(_Strict):
    aspect: str
    choices: list[FramingChoice]


class Comparison(_Strict):
    """A grounded comparison of several reports of one story."""

    story: str
    overview: str
    claims: list[Claim]
    conflicts: list[Conflict]
    quote_variants: list[QuoteVariant]
    sourcing: list[Sourcing]
    framing: list[Framing]
    candidate_reviews: list[CandidateReview] = Field(default_factory=list)
    """The analysis's candidate findings shown to the model, with its verdicts (model engine only)."""
    sources: list[SourceInfo]
    grounding: GroundingSummary
    provenance: Provenance


# --------------------------------------------------------------------------------------------------
# Verification: any summary checked against its sources
# --------------------------------------------------------------------------------------------------

ClaimVerdict = Literal["supported", "unsupported"]
DecidedBy = Literal[
    "number", "date", "entity", "negation", "antonym", "attribute", "similarity", "judge", "all checks"
]


class JudgeDraft(_Strict):
    """Whether the sources entail one claim, judged from the numbered source sentences."""

    verdict: ClaimVerdict
    """`supported` only when the sentences state the claim; `unsupported` when they contradict it or
    do not establish it (a changed number, date, name, or negation; an added fact)."""
    reason: str
    """One sentence: what in the sentences settles the verdict."""
    sentence_ids: list[str]
    """Ids of the sentences the verdict rests on, e.g. ["A4"]; empty if none bear on the claim."""


class VerifiedClaim(_Strict):
    """One claim of the checked summary, its verdict and the evidence behind it."""

    text: str
    verdict: ClaimVerdict
    decided_by: DecidedBy
    """The check that settled the verdict: a deterministic check, `similarity` (no source sentence is
    close to the claim), `judge` (the model), or `all checks` (every check passed)."""
    reason: str
    evidence: list[Span]
    """The source sentences the claim was checked against, best first."""
    checks: list[SupportIssue] = Field(default_factory=list)
    """Deterministic checks that failed."""
    similarity: float = 0.0
    """rapidfuzz token-set similarity (0-100) of the claim to its best source sentence."""


class Verification(_Strict):
    """A summary checked claim by claim against its sources."""

    verdict: Literal["consistent", "inconsistent"]
    """`inconsistent` when any claim is unsupported."""
    mode: Literal["deterministic", "deterministic+judge"]
    """Which checks ran: deterministic only (no model configured), or with a model as entailment judge."""
    claims: list[VerifiedClaim]
    sources: list[SourceInfo]
    provenance: Provenance
