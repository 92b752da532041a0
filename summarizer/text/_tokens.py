"""The tokenisers and the named stemmers: grounding's and verify's, and the analysis's.

- `WORD`: a word token (letters with inner apostrophes, dots and hyphens: "U.S.", "Iran's",
  "one-year"), or a number ("1,200.5").
- `strip_possessive`: "Iran's" → "Iran".
- `suffix_stem`: one suffix off ("negotiating" → "negotiat"); what negation cues are matched by.
- `root`: up to two suffixes off, -ly too ("filings", "filing", "filed" → "fil"); what claims are
  matched to sentences by, and word families are keyed by.

The cross-source analysis has its own tokeniser, stemmer and stop words, kept apart because its
alignment and findings were tuned with them (merging would change every comparison):

- `WORD_ANY_SCRIPT`: letters or digits of any script, joined by inner apostrophes and hyphens; no dots.
- `stem_light`: one plural -s off, then the first six letters ("negotiating", "negotiations" → "negoti").
- `STOPWORDS_ANALYSIS`: wider than `STOPWORDS` (see `data/stopwords_analysis.txt`).
- `lower_words`, `content_stems`: the analysis's words and content stems of a text.
"""

from __future__ import annotations

import functools
import re

from summarizer.text._lists import ordered, wordlist

WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w'’.-]*\w|[A-Za-z\u00c0-\u024f]|\d[\d,.]*")
CONTENT_WORD = re.compile(r"[a-z0-9][a-z0-9'’-]*")
"""A word of lower-cased text, for content keys."""
LETTER_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
"""A word opening with a letter of any script, then letters, digits, apostrophes, hyphens ("O’Neill's"):
the words of names and of the sentences framing compares."""
NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")
"""White space then a run of letters (group 1); `NEXT_WORD.match(text, end)`: the word after `end`."""
LETTERS_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
"""Letters of any script joined by inner apostrophes, no digits, no hyphens ("l’homme", "don't"): the
words the language detector counts."""
LETTERS_HYPHEN_WORD = re.compile(r"[^\W\d_]+(?:[\-'’][^\W\d_]+)*")
"""`LETTERS_WORD` that hyphens join too ("so-called", "self-styled"): how the loaded-word lexicon
(framing) finds the words a text has."""
ALNUM_RUN = re.compile(r"[^\W_]+")
"""A run of letters and digits of any script, nothing else: the word that follows a sentence boundary."""
TOKEN = re.compile(r"\S+")
"""A run of non-space characters: words as white space separates them, punctuation attached."""
NEXT_TOKEN = re.compile(r"\s*(\S+)")
"""White space then a `TOKEN` (group 1); `NEXT_TOKEN.match(text, end)`: the token after `end`."""
WORD_RUN = re.compile(r"[\w-]+")
"""A run of word characters and hyphens ("al-Assad", "2,000" is two runs)."""
NAME_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*[\w.]|[A-Z]\.|[^\W\d_]", re.UNICODE)
"""A word of a name: opens with a letter, may hold apostrophes, dots and hyphens ("O'Neill",
"U.S.", "al-Assad"); or an initial ("W."); or a single letter."""
SPACED_LOWER_WORD = re.compile(r"\s+[a-z][a-z\-]*\s+")
"""A lower-case word with the white space on both sides (a role noun after a label: "regime critic")."""
CAPITALISED_WORD = re.compile(r"[A-Z][\w.\-]*\s+")
"""A capitalised word and the white space after it (a title before a name: "Dr. ")."""
TITLE_WORD = re.compile(r"\b[A-Z][a-z]+\b")
"""A title-case word of ASCII letters ("Kings", not "SEC", "U.S." or "I"): a name unless it opens a
sentence."""
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")

STOPWORDS = wordlist("stopwords")
STOPWORDS_ANALYSIS = wordlist("stopwords_analysis")
WORD_ANY_SCRIPT = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)
"""The analysis's word: letters and digits of any script, inner apostrophes and hyphens ("O'Neill")."""
ONES: dict[str, int] = {word: value for value, word in enumerate(ordered("number_words")[:20])}
""""zero" … "nineteen" with their values."""
TENS: dict[str, int] = {word: 10 * n for n, word in enumerate(ordered("number_words")[20:28], 2)}
""""twenty" … "ninety" with their values."""


def strip_possessive(word: str) -> str:
    """ "Iran's" → "Iran", "states’" → "states"; the regex runs only on the few words that need it."""
    return _POSSESSIVE.sub("", word) if word.endswith(("'", "’", "'s", "’s")) else word


def suffix_stem(word: str) -> str:
    """A crude English stem, enough to match "negotiating" with "negotiate" and "sanctions"."""
    w = strip_possessive(word.lower())
    for suffix in ("ing", "ed", "es", "s", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


_ROOTS: dict[str, str] = {}
ROOTS_KEPT = 65536
"""Words whose root is remembered: the same words recur across sentences and articles."""


def root(word: str) -> str:
    """A stem stable across inflections: "filings", "filing" and "filed" share "fil"."""
    found = _ROOTS.get(word)
    if found is None:
        found = _root(word)
        if len(_ROOTS) < ROOTS_KEPT and not word[:1].isdigit():  # numbers rarely recur: not kept
            _ROOTS[word] = found
    return found


def _root(word: str) -> str:
    w = strip_possessive(word.lower())
    for _ in range(2):
        for suffix in ("ing", "ed", "es", "s", "e", "ly"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
    return w


@functools.lru_cache(maxsize=8192)
def content_roots(text: str) -> tuple[str, ...]:
    """Roots of the content words of `text`, in order: the words that carry a sentence's meaning."""
    return tuple(root(w) for w in CONTENT_WORD.findall(text.lower()) if w not in STOPWORDS)


def content_key(text: str) -> str:
    """`text` as its content roots, for similarity that function words do not dominate."""
    return " ".join(content_roots(text))


def lower_words(text: str) -> list[str]:
    """The analysis's word tokens (`WORD_ANY_SCRIPT`), lower-cased, curly apostrophes made straight."""
    return [m.group(0).lower().replace("’", "'") for m in WORD_ANY_SCRIPT.finditer(text)]


def content_stems(text: str) -> list[str]:
    """The analysis's content words: `stem_light` of each word that is no analysis stop word."""
    out = []
    for w in lower_words(text):
        if w in STOPWORDS_ANALYSIS or len(w) < 2:
            continue
        out.append(stem_light(w))
    return out


def stem_light(word: str) -> str:
    """The analysis's crude stem: the first six letters, so `negotiating` meets `negotiations`."""
    if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
        word = word[:-1]
    return word[:6]
