"""Results: drafts resolved to character spans, plus grounding and provenance (never model-written)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ConfigDict, Field, computed_field, model_validator

from summarizer.schemas._base import (
    SCHEMA_VERSION,
    Alignment,
    CitedKind,
    ConflictKind,
    EntityType,
    FoundBy,
    Length,
    Status,
    SupportCheck,
    Verdict,
    _drop,
    _Strict,
)
from summarizer.schemas._documents import Document, Sentence

if TYPE_CHECKING:
    from summarizer.schemas._access import Evidence


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
    code: str = ""
    """The code of the rule that failed (`summarizer rules` lists them), e.g. "S104": switch the rule off
    with `--ignore S104`. Empty in results written before rules had codes."""
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

    @model_validator(mode="before")
    @classmethod
    def _computed(cls, data: Any) -> Any:
        return _drop(data, "status")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> Literal["ok", "ungrounded", "unverified"]:
        """`ok`: every checked item is grounded; `ungrounded`: some are not; `unverified`: nothing was
        checked, which is no evidence of anything (`--strict` fails it too)."""
        if not self.items:
            return "unverified"
        return "ungrounded" if self.ungrounded else "ok"


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
    alignment: Literal["lexical", "minilm"] | None = None
    """Offline comparisons: how statements were matched across sources, `lexical` (shared words) or
    `minilm` (sentence embeddings too, `--alignment semantic`); null for other results."""
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

    sentences: list[Sentence] = Field(default_factory=list)
    """The text's sentences by character offsets (the ids evidence `sentence_ids` name), so a script
    can read the sentence around any span without loading the article again."""

    @classmethod
    def of(cls, doc: Document) -> SourceInfo:
        """The document's metadata, text and sentences."""
        data = doc.model_dump(include=set(cls.model_fields))
        return cls.model_validate(data)

    def sentence_text(self, start: int, end: int) -> str | None:
        """The text of the sentences that the range `start:end` overlaps; None when none is known."""
        hit = [s for s in self.sentences if s.start < max(end, start + 1) and start < s.end]
        return self.text[hit[0].start : hit[-1].end] if hit else None


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

    def evidence(self, item: object) -> list[Evidence]:
        """The evidence of a key point, quote, date, … (or of the whole summary): each span with its
        outlet and the whole sentence it lies in. See `summarizer.schemas.Evidence`."""
        from summarizer.schemas._access import evidence_of

        return evidence_of({self.source.id: self.source}, item)


class SourceStatus(_Strict):
    """One source's status for a claim. Frozen: the offline engine shares one `omits` status per source
    among the claims of a comparison, so changing one in place would change them all; use
    `model_copy(update=...)` for a different status."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

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
    rule: str | None = None
    """The code of the detector that found it (`D103`, see `summarizer rules`); null for the model's."""
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
    rule: str | None = None
    """The code of the detector that found it (`D103`, see `summarizer rules`); null for the model's."""
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
    rule: str | None = None
    """The code of the detector that found it (`D103`, see `summarizer rules`); null for the model's."""
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
    found_by: FoundBy = "model"
    """`analysis` when the deterministic analysis found it (the offline engine)."""
    confidence: float | None = None
    """For findings of the analysis: how sure it is, 0 to 1."""
    rule: str | None = None
    """The code of the detector that found it (`D202`, see `summarizer rules`); null for the model's."""


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

    def source(self, source_id: str) -> SourceInfo:
        """A source by its id: `comparison.source("B").outlet`. KeyError names the ids there are."""
        from summarizer.schemas._access import source_by_id

        return source_by_id(self.sources, source_id)

    def evidence(self, item: object) -> list[Evidence]:
        """The evidence of a finding (a conflict, one of its values, a quote variant, a claim, …): each
        span with its outlet and the whole sentence it lies in. See `summarizer.schemas.Evidence`."""
        from summarizer.schemas._access import evidence_of

        return evidence_of({s.id: s for s in self.sources}, item)
