"""Verify any summary against its sources, claim by claim: deterministic checks, then an optional judge.

1. Claims: our own results give their key points (summary) or claims (comparison); any other text is
   split into sentences.
2. Evidence: each claim's most similar source sentences (rapidfuzz token-set similarity of their content
   words, inflections stripped, so "it is … of its" does not pick a short unrelated sentence; one pass).
3. Deterministic checks (`summarizer.grounding`): numbers, dates, names, negation and antonyms must agree
   (antonyms also from WordNet: a claim word the source never uses whose opposite its evidence uses)
   with the evidence; a claim with no similar source sentence at all is unsupported.
4. Judge, when a model is configured: each claim that passed step 3 is split into single facts
   (`summarizer.grounding.facts`: clauses joined by "and", "but", "while", ";", relative clauses), and
   each fact gets one structured call with its own closest sentences (at most `JUDGE_EVIDENCE`), with
   the templates `prompts/verify/*.j2`, answering `JudgeDraft` (verdict, reason, cited sentence ids, which
   a grammar-constrained server may only pick from the ids shown). A claim is unsupported when any of
   its facts is; each fact's verdict is kept on `VerifiedClaim.facts`.

`Verification.mode` says whether the judge ran. The overall verdict is `inconsistent` when any claim
is unsupported.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from summarizer._version import __version__
from summarizer.documents import segment
from summarizer.errors import BackendError, ConfigError, InputError, ModelError
from summarizer.grounding import (
    ANTONYM,
    RULE_FEATURES,
    SIMILARITY,
    Evidence,
    EvidenceIndex,
    Grounder,
    SourceStats,
    claim_features,
    load_verifier,
    negates,
    negation_partners,
    support_issues,
    unsaid_opposites,
)
from summarizer.grounding._evidence import EVIDENCE_SENTENCES, Chosen
from summarizer.grounding.facts import split_facts
from summarizer.llm.base import Backend, StructuredMode
from summarizer.llm.structured import StructuredResult, structured_call
from summarizer.prompts import PromptSet
from summarizer.rules import ALL, Selection
from summarizer.schemas import (
    CheckedFact,
    ClaimVerdict,
    Comparison,
    Document,
    InputRecord,
    JudgeDraft,
    Provenance,
    SourceInfo,
    Span,
    Summary,
    SupportIssue,
    TemplateRecord,
    Usage,
    Verification,
    VerifiedClaim,
)
from summarizer.text import Semantic, semantic

MIN_COVERAGE = 0.0
"""Below this share (0-100) of the claim covered by its evidence, a claim no check objects to cannot be
verified (`cannot_verify`) rather than supported."""

EvidenceMethod = Literal["lexical", "semantic"]
DecideMethod = Literal["rules", "learned"]
"""How a claim's verdict is reached from the checks: any failed check (`rules`) or the packaged
logistic regression over what they measured (`learned`, `summarizer.grounding._learned`)."""
SummaryInput = Summary | Comparison | str


@dataclass
class Judge:
    """A model as entailment judge: the backend and how to call it."""

    backend: Backend
    prompts: PromptSet
    reasks: int = 2
    temperature: float = 0.0
    mode: StructuredMode = "json_schema"
    results: list[StructuredResult[JudgeDraft]] = field(default_factory=list)
    templates: list[TemplateRecord] = field(default_factory=list)
    max_tokens: int | None = None
    spent: Usage = field(default_factory=Usage)
    """Tokens of judge calls that gave no valid answer (their claims keep the deterministic verdict)."""


# --------------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------------


def parse_summary(text: str) -> SummaryInput:
    """Our JSON result (summary or comparison) when `text` is one; otherwise the plain text."""
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        return text
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError:
        return text
    for model in (Summary, Comparison):
        try:
            return model.model_validate(data)
        except ValidationError:
            continue
    raise InputError(
        "summary",
        "JSON but neither a summary nor a comparison result of this tool; pass plain text, "
        "or a result written with --format json",
    )


def claims_of(summary: SummaryInput) -> list[str]:
    """Our summary: its key points, then the sentences of its paragraph; our comparison: its claims;
    any other text: its sentences."""
    if isinstance(summary, Summary):
        return [k.text for k in summary.key_points] + claims_of(summary.summary)
    if isinstance(summary, Comparison):
        return [c.claim for c in summary.claims]
    text = summary.strip()
    return [text[s.start : s.end] for s in segment(text, "S")] if text else []


def documents_of(summary: SummaryInput) -> list[Document]:
    """The sources a result of ours embeds, so it can be verified without `--source`."""
    infos = [summary.source] if isinstance(summary, Summary) else getattr(summary, "sources", [])
    return [_document(info) for info in infos]


def _document(info: SourceInfo) -> Document:
    data = info.model_dump(exclude={"sha256", "sentences"})
    return Document(**data, sentences=segment(info.text, info.id))


# --------------------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Index:
    """Every sentence of every source, in one list, with the evidence index over them."""

    docs: dict[str, Document]
    owners: list[tuple[str, int, int]]
    evidence: EvidenceIndex
    meaning: Semantic | None = None
    """Sentence embeddings that help choose a claim's lead evidence sentence (`evidence="semantic"`)."""

    @classmethod
    def of(cls, docs: Sequence[Document], meaning: Semantic | None = None) -> _Index:
        texts, owners = [], []
        for d in docs:
            for s in d.sentences:
                texts.append(d.text[s.start : s.end])
                owners.append((d.id, s.start, s.end))
        return cls({d.id: d for d in docs}, owners, EvidenceIndex.of(texts), meaning)

    def choose(self, text: str, k: int = EVIDENCE_SENTENCES) -> Chosen:
        """The at most `k` sentences that together cover most of `text`, by words and, with `meaning`,
        by sentence embeddings too."""
        meaning = self.meaning.similarity([text], self.evidence.texts)[0] if self.meaning else ()
        return self.evidence.choose(text, k=k, meaning=meaning)

    @functools.cached_property
    def stats(self) -> SourceStats:
        """What the learned verdict's features read from the sources, built on first use."""
        return SourceStats.of(self.evidence.texts)


@dataclass(frozen=True)
class _Examined:
    """What the deterministic checks found on one claim: its evidence and the issues they raised."""

    spans: list[Span]
    covered: float
    """The share (0-100) of the claim its evidence covers."""
    issues: list[SupportIssue]


def _examine(claim: str, index: _Index, grounder: Grounder, coverage: bool, rules: Selection) -> _Examined:
    chosen = index.choose(claim)
    picked = list(chosen.sentences)
    if picked:  # a negated claim is read with a sentence that negates the same word, if one does
        partners = negation_partners(claim, index.evidence.texts)
        picked += [i for i in partners[:1] if i not in picked]
    spans = [grounder.span(*index.owners[i]) for i in picked]
    if not spans:
        return _Examined([], 0.0, [])
    source = spans[0].source
    evidence = Evidence(tuple(s.text for s in spans), index.docs[source].published)
    issues = _beyond_source(support_issues(claim, evidence, rules), claim, index.docs[source], rules)
    if rules.enabled(ANTONYM.code) and not any(i.check == "antonym" for i in issues):
        issues += unsaid_opposites(claim, evidence, index.docs[source].text)
    if coverage:
        issues = [i for i in issues if not _names_a_source(i, index)]
    return _Examined(spans, 100 * chosen.coverage, issues)


def _features(claim: str, found: _Examined, index: _Index) -> dict[str, float]:
    texts = [s.text for s in found.spans]
    lead = texts[0] if texts else ""
    return claim_features(
        claim, texts, found.covered / 100, found.issues, index.stats, negates=(negates(claim), negates(lead))
    )


def check_claim(
    claim: str,
    index: _Index,
    grounder: Grounder,
    *,
    coverage: bool = False,
    rules: Selection = ALL,
    decide: DecideMethod = "rules",
) -> VerifiedClaim:
    """The deterministic verdict on one claim. `coverage`: the claim comes from a comparison, whose
    claims may say which sources report something ("Only B (Mehr News Agency) mentions X"). `rules`:
    which checks run (every one by default). `decide`: `rules` (any failed check makes the claim
    unsupported) or `learned` (the packaged logistic regression over what the checks measured decides,
    and its probability is the claim's `confidence`)."""
    found = _examine(claim, index, grounder, coverage, rules)
    spans, covered, issues = found.spans, found.covered, found.issues
    if not spans:
        reason = "no source sentence shares the claim's content words"
        return _verdict(claim, [], "cannot_verify", "evidence", reason, 0.0)
    if decide == "learned":
        return _learned(claim, found, index)
    if issues:
        reason = "; ".join(i.message for i in issues)
        return _verdict(claim, spans, "unsupported", issues[0].check, reason, covered, issues)
    if covered < MIN_COVERAGE and rules.enabled(SIMILARITY.code):
        reason = f"its closest source sentences cover too little of the claim ({covered:.0f}/100)"
        return _verdict(claim, spans, "cannot_verify", "evidence", reason, covered)
    reason = "numbers, dates, names and negation agree with the closest source sentences"
    return _verdict(claim, spans, "supported", "all checks", reason, covered)


def claim_features_of(
    summary: SummaryInput, docs: Sequence[Document], *, rules: Selection = ALL
) -> list[dict[str, float]]:
    """The learned verdict's features (`summarizer.grounding.FEATURES`) of each claim of `summary`
    checked against `docs`: what `bench/train_verifier.py` fits the packaged model on."""
    index, grounder = _Index.of(docs), Grounder(docs)
    coverage = isinstance(summary, Comparison)
    return [_features(c, _examine(c, index, grounder, coverage, rules), index) for c in claims_of(summary)]


_SIGNALS = {
    **{f"rule_{name}": f"the {name} check" for name in RULE_FEATURES},
    "rules_fired": "failed checks",
    "claim_negates": "it negates",
    "lead_short": "its closest sentence is short",
    "lead_ratio": "it reads much like its closest sentence, with changes",
    "lead_similarity": "it reads much like its closest sentence, with changes",
    "uncovered": "little of it is in its closest sentences",
    "unsaid_share": "words the source never uses",
    "unsaid_words": "words the source never uses",
    "unsaid_prefix_share": "words the source never uses",
    "unsaid_in_evidence_share": "words its closest sentences do not use",
    "unsaid_lower": "lower-case words the source never uses",
    "unsaid_names": "names the source never uses",
    "unsaid_numbers": "numbers the source never gives",
    "unsaid_with_opposite": "a word the source never uses that has an opposite",
    "unpaired_share": "words that never stand together in the source",
    "unpaired_pairs": "words that never stand together in the source",
    "negation_differs": "it and its closest sentence differ in negation",
}


def _learned(claim: str, found: _Examined, index: _Index) -> VerifiedClaim:
    """The verdict of the packaged logistic regression, with the checks' issues and evidence kept."""
    model = load_verifier()
    features = _features(claim, found, index)
    p = model.score(features)
    spans, covered, issues = found.spans, found.covered, found.issues
    signals = list(dict.fromkeys(_SIGNALS.get(n, n) for n, _ in model.strongest(features)))
    said = "; ".join(i.message for i in issues)
    head = f"learned verifier: {100 * p:.0f}% likely unsupported"
    why = head + (f" ({', '.join(signals)})" if signals else "")
    if p >= model.threshold:
        decided: Any = issues[0].check if issues else "verifier"
        reason = f"{said}; {why}" if said else why
        return _verdict(claim, spans, "unsupported", decided, reason, covered, issues, p)
    if p >= model.abstain:
        reason = f"{why}: too uncertain to rule" + (f"; the checks say: {said}" if said else "")
        return _verdict(claim, spans, "cannot_verify", "verifier", reason, covered, issues, p)
    reason = head + (f"; a check objected but weighs too little: {said}" if said else "")
    return _verdict(claim, spans, "supported", "verifier", reason, covered, issues, p)


_COVERAGE_WORDS = frozenset({"only", "both", "all", "neither", "and", "or"})


def _names_a_source(issue: SupportIssue, index: _Index) -> bool:
    """A name that is a source label or a whole outlet name, with the words a coverage claim puts
    around them ("Only B", "Mehr News Agency"), says which source reports something: it is not a fact
    for the sources' text to back. A name that merely shares words with an outlet ("Washington" and
    The Washington Post) is checked as any other."""
    if issue.check != "entity":
        return False
    labels = {doc.id.lower() for doc in index.docs.values()}
    outlets = {" ".join(doc.outlet.lower().split()) for doc in index.docs.values()}
    words = [w.strip("()").lower() for w in issue.token.split()]
    rest = [w for w in words if w not in _COVERAGE_WORDS]
    return all(w in labels for w in rest) or " ".join(rest) in outlets


def _beyond_source(
    issues: list[SupportIssue], claim: str, doc: Document, rules: Selection
) -> list[SupportIssue]:
    """Keep the number, date and name issues whose token the whole source does not back either: a
    summary's sentence often draws one detail from a sentence other than its closest one."""
    if not issues:
        return issues
    whole = Evidence((doc.text,), doc.published)
    local = ("negation", "antonym")  # about the claim's own sentence, not any detail of the source
    kept = {(i.check, i.token) for i in support_issues(claim, whole, rules) if i.check not in local}
    return [i for i in issues if i.check in local or (i.check, i.token) in kept]


def _verdict(
    text: str,
    evidence: list[Span],
    verdict: Any,
    decided_by: Any,
    reason: str,
    similarity: float,
    checks: Sequence[Any] = (),
    confidence: float | None = None,
) -> VerifiedClaim:
    return VerifiedClaim(
        text=text,
        verdict=verdict,
        decided_by=decided_by,
        reason=reason,
        evidence=evidence,
        checks=list(checks),
        similarity=round(similarity, 1),
        confidence=None if confidence is None else round(confidence, 3),
    )


JUDGE_EVIDENCE = 3
"""The judge sees at most this many source sentences per claim or fact: a small model reads a short
prompt better, and a local one answers it sooner."""


@dataclass(frozen=True)
class _Ruling:
    """The judge's answer on one claim or fact, or why there is none."""

    verdict: ClaimVerdict | None
    reason: str
    evidence: list[Span]
    error: str | None = None


async def judge_claim(claim: VerifiedClaim, index: _Index, grounder: Grounder, judge: Judge) -> VerifiedClaim:
    """Ask the model whether the claim's evidence sentences entail it; a claim of several facts
    (`summarizer.grounding.facts`) is asked about fact by fact, each with its own closest sentences, and
    is unsupported when any fact is."""
    facts = split_facts(claim.text)
    if len(facts) == 1:
        ruling = await _rule(claim.text, claim.evidence[:JUDGE_EVIDENCE], index, grounder, judge)
        if ruling.verdict is None:
            why = (
                f"{claim.reason} (the judge gave no valid answer: this is the deterministic checks' verdict)"
            )
            return claim.model_copy(update={"judge_error": ruling.error, "reason": why})
        update = {"verdict": ruling.verdict, "decided_by": "judge", "reason": ruling.reason}
        return claim.model_copy(update={**update, "evidence": ruling.evidence})
    checked = []
    for fact in facts:
        ruling = await _rule(
            fact, _evidence_of(fact, index, grounder) or claim.evidence, index, grounder, judge
        )
        checked.append(
            CheckedFact(
                text=fact,
                verdict=ruling.verdict,
                reason=ruling.reason,
                evidence=ruling.evidence,
                judge_error=ruling.error,
            )
        )
    return _combined(claim, checked)


def _combined(claim: VerifiedClaim, facts: list[CheckedFact]) -> VerifiedClaim:
    """A claim's verdict from its facts': unsupported when any is; supported when all are; when the
    judge gave no answer on some and found nothing wrong in the rest, the deterministic verdict stands."""
    wrong = [f for f in facts if f.verdict == "unsupported"]
    failed = [f for f in facts if f.verdict is None]
    if wrong:
        reason = "; ".join(f"“{f.text}”: {f.reason}" for f in wrong)
        evidence = [s for f in wrong for s in f.evidence]
        update: dict[str, Any] = {"verdict": "unsupported", "decided_by": "judge", "reason": reason}
        return claim.model_copy(update={**update, "evidence": evidence, "facts": facts})
    if failed:
        note = "; ".join(f.judge_error or "" for f in failed)
        why = (
            f"{claim.reason} (the judge gave no valid answer on {len(failed)} of its {len(facts)} facts and "
            "found the rest supported: this is the deterministic checks' verdict)"
        )
        return claim.model_copy(update={"judge_error": note, "reason": why, "facts": facts})
    reason = f"each of its {len(facts)} facts is supported: " + " ".join(f.reason for f in facts)
    evidence = list({(s.source, s.start): s for f in facts for s in f.evidence}.values())
    update = {"verdict": "supported", "decided_by": "judge", "reason": reason}
    return claim.model_copy(update={**update, "evidence": evidence, "facts": facts})


def _evidence_of(fact: str, index: _Index, grounder: Grounder) -> list[Span]:
    """A fact's own closest source sentences (at most `JUDGE_EVIDENCE`), best first."""
    return [grounder.span(*index.owners[i]) for i in index.choose(fact, k=JUDGE_EVIDENCE).sentences]


async def _rule(text: str, evidence: list[Span], index: _Index, grounder: Grounder, judge: Judge) -> _Ruling:
    """One judge call on `text` against `evidence`; its cited ids may only be those shown."""
    sentences = [
        {
            "id": ",".join(span.sentence_ids) or span.source,
            "outlet": index.docs[span.source].outlet,
            "published": index.docs[span.source].published,
            "text": span.text,
        }
        for span in evidence
    ]
    rendered = judge.prompts.render("verify", {"claim": text, "sentences": sentences})
    known = list(dict.fromkeys(i for span in evidence for i in span.sentence_ids))

    def validate(draft: JudgeDraft) -> list[str]:
        unknown = [i for i in draft.sentence_ids if i not in known]
        return [f"sentence_ids: {', '.join(unknown)} are not among the sentences given"] if unknown else []

    try:
        result = await structured_call(
            judge.backend,
            rendered.messages,
            JudgeDraft,
            validate=validate,
            reasks=judge.reasks,
            temperature=judge.temperature,
            mode=judge.mode,
            max_tokens=judge.max_tokens,
            choices={"sentence_ids": known},
        )
    except ModelError as exc:  # no valid answer here: the deterministic verdict stands
        if isinstance(exc, BackendError):  # the server failed, not the answer: no claim would fare better
            raise
        judge.spent = judge.spent + exc.usage if isinstance(exc.usage, Usage) else judge.spent
        return _Ruling(None, "", evidence, f"{type(exc).__name__}: {exc}")
    judge.results.append(result)
    judge.templates = judge.templates or rendered.templates
    cited = grounder.sentence_spans(result.value.sentence_ids) or evidence
    return _Ruling(result.value.verdict, result.value.reason, cited)


async def averify_documents(
    summary: SummaryInput,
    docs: Sequence[Document],
    judge: Judge | None = None,
    *,
    rules: Selection = ALL,
    evidence: EvidenceMethod = "lexical",
    decide: DecideMethod = "rules",
) -> Verification:
    """Verify `summary` against `docs` (already loaded and segmented); `rules` says which checks run
    (`summarizer.rules.selection(select=..., ignore=...)`; every one by default). `evidence`:
    `semantic` also weighs sentence embeddings (extra `[semantic]`; ConfigError naming it when missing)
    when choosing each claim's evidence; `lexical` (default, fast) words only. `decide`: `rules` (any
    failed check makes a claim unsupported) or `learned` (the packaged verifier's probability decides;
    a damaged `verifier.json` is a ConfigError naming it)."""
    started = time.perf_counter()
    if not docs:
        raise ConfigError("verify needs the sources: pass --source ARTICLE (or a JSON result of this tool)")
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        raise ConfigError(
            f"sources share ids ({', '.join(ids)}): give each document its own source_id "
            "(document_from_text(..., source_id='B')) or load them with load_documents"
        )
    texts = claims_of(summary)
    if not texts:  # nothing checked must not read as "consistent"
        what = "is empty" if isinstance(summary, str) else "has no key points, summary or claims"
        fix = "pass its text, a file, or - with text on stdin"
        raise InputError("summary", f"{what}, so there is nothing to verify; {fix}")
    meaning = semantic("minilm") if evidence == "semantic" else None
    index, grounder = _Index.of(docs, meaning), Grounder(docs)
    coverage = isinstance(summary, Comparison)
    if decide == "learned":
        load_verifier()  # a damaged model file fails before any claim is checked
    claims = [check_claim(c, index, grounder, coverage=coverage, rules=rules, decide=decide) for c in texts]
    if judge is not None:
        claims = [
            await judge_claim(c, index, grounder, judge) if c.verdict != "unsupported" else c for c in claims
        ]
    verdicts = {c.verdict for c in claims}
    verdict: Any = (
        "inconsistent"
        if "unsupported" in verdicts
        else "cannot_verify"
        if "cannot_verify" in verdicts
        else "consistent"
    )
    return Verification(
        verdict=verdict,
        mode="deterministic+judge" if judge is not None else "deterministic",
        evidence=meaning.method if meaning is not None else "lexical",
        decide=decide,
        claims=claims,
        sources=[SourceInfo.of(d) for d in docs],
        provenance=_provenance(docs, judge, started),
    )


def _provenance(docs: Sequence[Document], judge: Judge | None, started: float) -> Provenance:
    inputs = [InputRecord(source=d.id, origin=d.origin, sha256=d.sha256) for d in docs]
    common: dict[str, Any] = {
        "tool_version": __version__,
        "inputs": inputs,
        "created_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
    }
    if judge is None:
        return Provenance(engine="deterministic", **common, wall_time_s=_since(started))
    results = judge.results
    origins = sorted({r.fixture_origin for r in results if r.fixture_origin})
    return Provenance(
        engine="llm",
        backend=judge.backend.name,
        model=judge.backend.model,
        endpoint_host=judge.backend.endpoint_host,
        structured_output=next((r.mode for r in results if r.mode), judge.mode),
        templates=judge.templates,
        attempts=sum(r.attempts for r in results),
        reasks=sum(r.reasks for r in results),
        usage=sum((r.usage for r in results), judge.spent),
        fixture_origin="; ".join(origins) or None,
        wall_time_s=_since(started),
        **common,
    )


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)
