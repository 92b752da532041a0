"""How outlets frame the same story, found without a model: headlines, loaded words, labels.

Each detector reports only what it can show verbatim from at least two sources:

- **Headline**: each source's headline as it stands in its text (the document's title where the text
  holds it, else a first line that reads as a headline). A title known only from metadata has no
  place in the text to point to, so it is left out rather than shown without evidence.
- **Word choice in matching statements**: for sentences the alignment pairs across sources (each the
  other's best match), a term of `LEXICON` outside quotation marks in one source, and what stands in
  its place in the other: the words a word-level diff puts in the same slot between shared
  neighbours; for verbs of saying, the verb the other source gives the same named speaker; for other
  terms, the words around a content word both sentences share next to the term. An aspect is kept
  only when the terms differ in connotation (`slammed` / `criticised`, `claimed` / `said`, `the
  controversial plan` / `the plan`), never for two terms of one class (`slammed` / `blasted`). A verb
  of saying counts only with a named subject (not `a lawyer for X claimed`) or a pronoun, which is
  never matched to another pronoun; a verb that reports words must introduce some (`claimed that`,
  not `claimed the title`), and the other side must hold a verb of saying (not `attacked` / `struck`).
- **Verbs for one person's words across the articles**: a source that introduces a person's
  statements with a strongly loaded verb (`claimed`, `admitted`, `slammed`) beside one that only
  ever uses neutral ones (`said`, `told`) for the same person. Ranked last: the statements may differ.
- **Labels**: an evaluative label attached to a person or body that other sources name without it
  (`hardline cleric X` / `X`), and contested names for the same group (`Iranian regime` /
  `Iranian government`, `illegal immigrants` / `undocumented immigrants`).
- **Emphasis**: a statement one source puts in its lead (first body sentences) that another reports
  only far down its article, while the two leads share no statement: the lead sentence and the later
  one, each verbatim (`_emphasis`).

Words inside quotation marks (double or single, or after an opening mark no closing one answers, to the
paragraph's end) are the speaker's, not the outlet's, and are never taken. Pronoun speakers are never
resolved: a wrong resolution would put words in someone else's mouth. Each wording is a few words
(a sentence for emphasis), exactly `text[start:end]` of its span. Aspects are ranked by a confidence
that says how directly the wordings are tied (headline, label of one named entity > same slot > same
speaker > emphasis > shared neighbour word > whole-article verbs), none may reuse another's words, and
at most `MAX_ASPECTS` are kept, so the section stays short.

The lexicon and where it comes from are described in `_lexicon`. The detectors live in one module each:
`_headlines`, `_word_choice` (with `_speech` for verbs of saying and their speakers), `_labels` and
`_emphasis`;
`_doc` holds the per-document view they share.
"""

from __future__ import annotations

from summarizer.analysis.compare import Analysis
from summarizer.analysis.framing._aspects import FramingAspect, FramingWording
from summarizer.analysis.framing._doc import _Doc
from summarizer.analysis.framing._emphasis import _emphasis
from summarizer.analysis.framing._headlines import _headlines
from summarizer.analysis.framing._labels import _labels, _namings
from summarizer.analysis.framing._lexicon import find_terms
from summarizer.analysis.framing._speech import _People, _speech_profiles
from summarizer.analysis.framing._word_choice import _word_choices
from summarizer.analysis.layout import headline
from summarizer.rules import ALL, Selection
from summarizer.schemas import Span

__all__ = ["MAX_ASPECTS", "FramingAspect", "FramingWording", "find_framing", "find_terms", "headline"]

MAX_ASPECTS = 8
"""At most this many aspects per comparison: a short section an editor reads in full."""


def find_framing(analysis: Analysis, limit: int = MAX_ASPECTS, rules: Selection = ALL) -> list[FramingAspect]:
    """The framing aspects of a comparison, most confident first, at most `limit`, none overlapping;
    only those of the detectors `rules` enables (`--select` / `--ignore D201`)."""
    docs = [_Doc(a) for a in analysis.documents]
    if len(docs) < 2:
        return []
    people = _People.of(analysis)
    found = [
        *_headlines(docs),
        *_labels(docs, analysis.names),  # before word choices: on a tie, the aspect named by the entity
        *_namings(docs),
        *_word_choices(docs, analysis, people),
        *_speech_profiles(docs, people),
        *_emphasis(docs, analysis),
    ]
    kept: list[FramingAspect] = []
    taken: list[Span] = []
    for aspect in sorted(found, key=lambda a: -a.confidence):
        if not rules.enabled(aspect.rule):
            continue
        spans = [c.span for c in aspect.choices]
        if any(_overlap(s, t) for s in spans for t in taken):
            continue
        kept.append(aspect)
        taken += spans
        if len(kept) == limit:
            break
    return kept


def _overlap(a: Span, b: Span) -> bool:
    return a.source == b.source and a.start < b.end and b.start < a.end
