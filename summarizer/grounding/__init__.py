"""Evidence: checking what a model cites, resolving it to character spans, and checking support.

- `Grounder` resolves sentence ids and verbatim text to `Span`s (`span.text == text[start:end]`), with
  an alignment status for verbatim text (`exact`, `normalised`, `fuzzy` with a score, `missing`).
- `check_summary` / `check_comparison` list a draft's hard errors for the structured loop's re-asks.
- `build_summary` / `build_comparison` turn a validated draft into a result with spans and grounding.
- `support_summary` / `support_comparison` list what the cited sentences do not back (numbers, dates,
  names, negation): re-asked within the same budget, then recorded as `Grounding.checks`.
- `resolve_summary` / `resolve_comparison` give a draft's errors, advice and result in one pass (one
  `Grounder`, each item checked once): what the structured loop uses for each attempt.
"""

from summarizer.grounding._align import FUZZY_THRESHOLD, Grounder, Located, normalise, with_issues
from summarizer.grounding._checks import (
    check_comparison,
    check_summary,
    summarise_comparison,
    summarise_grounding,
)
from summarizer.grounding._contrast import ANTONYM
from summarizer.grounding._evidence import SIMILARITY, Evidence, EvidenceIndex
from summarizer.grounding._learned import (
    FEATURES,
    RULE_FEATURES,
    SIGNS,
    VERIFIER_FILE,
    SourceStats,
    Verifier,
    claim_features,
    load_verifier,
)
from summarizer.grounding._results import (
    Resolved,
    build_comparison,
    build_summary,
    resolve_comparison,
    resolve_summary,
    support_comparison,
    support_summary,
)
from summarizer.grounding._support import (
    best_sentences,
    negates,
    negation_partners,
    support_issues,
    unsaid_opposites,
)

__all__ = [
    "ANTONYM",
    "FEATURES",
    "FUZZY_THRESHOLD",
    "RULE_FEATURES",
    "SIGNS",
    "SIMILARITY",
    "VERIFIER_FILE",
    "Evidence",
    "EvidenceIndex",
    "Grounder",
    "Located",
    "Resolved",
    "SourceStats",
    "Verifier",
    "best_sentences",
    "build_comparison",
    "build_summary",
    "check_comparison",
    "check_summary",
    "claim_features",
    "load_verifier",
    "negates",
    "negation_partners",
    "normalise",
    "resolve_comparison",
    "resolve_summary",
    "summarise_comparison",
    "summarise_grounding",
    "support_comparison",
    "support_issues",
    "support_summary",
    "unsaid_opposites",
    "with_issues",
]
