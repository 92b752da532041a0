"""The lexicon of loaded words: verbs of saying by connotation, labels, contested names; finding them.

The lexicon (273 word forms: 155 verbs of saying in ten connotation classes, 118 labels, hedges and
evaluative words; plus 36 contested names) was compiled for this module from general news-language
guidance, not from any evaluation data: the AP Stylebook's advice that *said* is the neutral verb of
attribution and that *claimed*, *admitted*, *insisted* and the like carry connotations; the classes
of biased language of Recasens, Danescu-Niculescu-Mizil and Jurafsky (ACL 2013): report verbs,
assertives, factives, hedges and subjective intensifiers; and commonly cited contested-term pairs.
It leaves out words that are often literal in news (`dangerous`, `massive`, `historic`, `brutal`,
`fiery`, `blistering`, `meltdown`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from summarizer.text import LETTERS_HYPHEN_WORD, NEXT_WORD


def _forms(classes: dict[str, str]) -> dict[str, str]:
    """`{"claim": "claimed claims"}` → `{"claimed": "claim", "claims": "claim"}`; `_` joins words."""
    return {w.replace("_", " "): cls for cls, forms in classes.items() for w in forms.split()}


SPEECH = _forms(
    {
        # Neutral verbs of attribution: the baseline others are measured against.
        "said": "said says say told tells stated states added adds noted notes explained explains wrote "
        "writes announced announces replied replies responded responds remarked commented comments "
        "declared declares observed argued argues stressed stresses emphasized emphasised warned warns "
        "asked asks recalled",
        # Assertives that distance the outlet from the statement.
        "claim": "claimed claims alleged alleges asserted asserts contended contends professed",
        # Factives of concession: the statement is presented as a reluctant truth.
        "admit": "admitted admits conceded concedes confessed confesses acknowledged acknowledges",
        "insist": "insisted insists maintained maintains",
        "boast": "boasted boasts bragged brags touted touts crowed gloated trumpeted",
        "attack": "slammed slams blasted blasts lashed_out lashes_out ripped rips bashed bashes savaged "
        "excoriated excoriates eviscerated torched skewered trashed tore_into tears_into railed rails "
        "ranted rants raged fumed lambasted lambastes castigated assailed pilloried berated hit_out "
        "hits_out hammered went_after took_aim takes_aim attacked",
        "criticise": "criticized criticised criticizes criticises faulted faults rebuked rebukes chided "
        "chides scolded scolds denounced denounces decried decries condemned condemns blamed blames",
        "accuse": "accused accuses",
        "mock": "mocked mocks ridiculed ridicules derided derides scoffed scoffs sneered sneers taunted "
        "jeered lampooned",
        "complain": "complained complains whined whines grumbled grumbles griped gripes moaned moans "
        "bemoaned bemoans lamented laments",
    }
)
"""Verbs of saying by connotation: counted only with a named (or pronoun) speaker next to them."""

LABELS = _forms(
    {
        # Hedges and distancing markers.
        "distance": "allegedly supposedly purportedly so-called self-proclaimed self-styled",
        # Labels for people, groups and governments.
        "label": "regime regimes hardline hard-line hardliner hardliners firebrand controversial "
        "embattled beleaguered disgraced notorious infamous scandal-plagued scandal-ridden scandal-hit "
        "radical radicals extremist extremists ultraconservative ultra-conservative ultraliberal "
        "ultra-liberal far-right far-left hard-right hard-left demagogue demagogues strongman dictator "
        "despot tyrant autocrat autocratic thug thugs crony cronies puppet mouthpiece "
        "lackeys stooge apologist apologists zealot zealots fanatic fanatics fanatical agitator "
        "agitators warmonger warmongers divisive polarizing polarising vitriolic bigoted racist "
        "unhinged",
        # Evaluations of events, claims and acts. Words often literal in news are left out: `fiery`
        # (crash), `blistering` (heat), `meltdown` (reactor), `incendiary` (device), `inflammatory`
        # (disease), `handout` (photo), `rogue` (wave).
        "evaluative": "outrageous baseless bogus absurd ludicrous ridiculous preposterous bizarre "
        "shameful disgraceful scandalous egregious appalling deplorable despicable reckless draconian "
        "scathing furious stunning shocking bombshell tirade rant diatribe screed sham hoax witch_hunt "
        "charade stunt ploy debacle fiasco gaffe blunder whopping staggering jaw-dropping humiliating "
        "damning lavish cushy giveaway giveaways propaganda dubious slush_fund",
    }
)
"""Loaded labels and evaluations, whatever they stand next to."""

_NOUN_WORDS = (
    "regime regimes hardliner hardliners firebrand radical radicals extremist extremists demagogue "
    "demagogues strongman dictator despot tyrant autocrat thug thugs crony cronies puppet mouthpiece "
    "henchmen lackey lackeys stooge apologist apologists zealot zealots fanatic fanatics agitator "
    "agitators warmonger warmongers racist"
)
_NOUN_LABELS = frozenset(_forms({"noun": _NOUN_WORDS}))
"""Labels that are (or can be) nouns: before a role noun they say what the role is about (`regime
critic`, `extremist researcher`), not what the person is."""

LEXICON = {**SPEECH, **LABELS}
_MILD = frozenset({"criticise", "accuse", "insist"})
"""Classes close enough to each other that a swap between two of them is not reported."""
_INVERTIBLE = frozenset({"said", "claim", "admit", "insist", "boast", "complain"})
"""Classes that follow their speaker after a quotation (`…,” said X`, `…,” claimed X`)."""

_NAMING: dict[str, tuple[frozenset[str], frozenset[str], str]] = {
    "government": (
        frozenset({"regime", "regimes"}),
        frozenset({"government", "administration"}),
        "government",
    ),
    "armed": (
        frozenset({"terrorist", "terrorists", "jihadists"}),
        frozenset({"militant", "militants", "fighters", "gunmen", "insurgents", "rebels"}),
        "fighters",
    ),
    "crowd": (
        frozenset({"rioters", "mob", "thugs"}),
        frozenset({"protesters", "protestors", "demonstrators", "marchers"}),
        "protesters",
    ),
}
"""Contested names for a group written after a shared modifier (`Assad regime` / `Assad government`):
loaded members, neutral members, and the neutral word used to name the aspect."""
_FIXED_NAMING: dict[str, tuple[frozenset[str], frozenset[str], str]] = {
    "immigrants": (
        frozenset({"illegal aliens", "illegal alien", "illegal immigrants", "illegal immigrant", "illegals"}),
        frozenset({"undocumented immigrants", "undocumented immigrant", "unauthorized immigrants"}),
        "How immigrants without legal status are named",
    ),
    "abortion opponents": (
        frozenset({"pro-life"}),
        frozenset({"anti-abortion"}),
        "How opponents of abortion are named",
    ),
    "abortion supporters": (
        frozenset({"pro-abortion", "pro-choice"}),
        frozenset({"abortion-rights", "abortion rights"}),
        "How supporters of abortion rights are named",
    ),
    "estate tax": (frozenset({"death tax"}), frozenset({"estate tax"}), "How the estate tax is named"),
}
"""Contested names that identify their referent by themselves."""


def _alternation(terms: Sequence[str]) -> str:
    return "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(terms, key=len, reverse=True))


def _phrases() -> dict[str, frozenset[str]]:
    """First word → second words of the two-word terms (`lashed` → {`out`})."""
    out: dict[str, frozenset[str]] = {}
    for term in LEXICON:
        if " " in term:
            head, tail = term.split(" ", 1)
            out[head] = out.get(head, frozenset()) | {tail}
    return out


_PHRASES = _phrases()

_HEADS = frozenset(w for w in LEXICON if " " not in w) | frozenset(_PHRASES)


def find_terms(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded term) of every lexicon term in `text`, possessives included (`regime’s`).
    The words present are collected first (in C), so the pattern that locates them holds only the few
    lexicon words the text has: one pattern of every term would be several times slower."""
    lowered = text.lower().replace("’", "'")
    if len(lowered) != len(text):  # a character whose lower case is longer: offsets would drift
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text).replace("’", "'")
    present = {w[:-2] if w.endswith("'s") else w for w in LETTERS_HYPHEN_WORD.findall(lowered)} & _HEADS
    if not present:
        return
    pattern = re.compile(
        rf"(?<![\w\-'])({'|'.join(sorted(map(re.escape, present), key=len, reverse=True))})(?:'s)?(?![\w\-])"
    )
    for m in pattern.finditer(lowered):
        word, start, end = m.group(1), m.start(1), m.end(1)
        tails = _PHRASES.get(word)
        nxt = NEXT_WORD.match(lowered, end) if tails else None
        if tails and nxt is not None and nxt.group(1) in tails:
            yield start, nxt.end(1), f"{word} {nxt.group(1)}"
        elif word in LEXICON:
            yield start, end, word


_NAMING_TERM = re.compile(
    r"(?<![\w\-])([A-Z][\w.\-]*?)(?:['’]s)?\s+("
    + _alternation([w for loaded, neutral, _ in _NAMING.values() for w in loaded | neutral])
    + r")(?![\w\-])"
)
_FIXED_TERM = re.compile(
    rf"(?<![\w\-])(?:{_alternation([w for a, b, _ in _FIXED_NAMING.values() for w in a | b])})(?![\w\-])",
    re.IGNORECASE,
)
