"""The tokeniser and the named stemmers of grounding and verify.

- `WORD`: a word token (letters with inner apostrophes, dots and hyphens: "U.S.", "Iran's",
  "one-year"), or a number ("1,200.5").
- `strip_possessive`: "Iran's" → "Iran".
- `suffix_stem`: one suffix off ("negotiating" → "negotiat"); what negation cues are matched by.
- `root`: up to two suffixes off, -ly too ("filings", "filing", "filed" → "fil"); what claims are
  matched to sentences by, and word families are keyed by.
"""

from __future__ import annotations

import functools
import re

from summarizer.text._lists import wordlist

WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w'’.-]*\w|[A-Za-z\u00c0-\u024f]|\d[\d,.]*")
CONTENT_WORD = re.compile(r"[a-z0-9][a-z0-9'’-]*")
"""A word of lower-cased text, for content keys."""
LETTER_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
"""A word opening with a letter of any script, then letters, digits, apostrophes, hyphens ("O’Neill's"):
the words of names and of the sentences framing compares."""
NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")
"""White space then a run of letters (group 1); `NEXT_WORD.match(text, end)`: the word after `end`."""
TOKEN = re.compile(r"\S+")
"""A run of non-space characters: words as white space separates them, punctuation attached."""
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")

STOPWORDS = wordlist("stopwords")


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
