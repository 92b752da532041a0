"""The text layer: one tokeniser, named stemmers, one stop-word set and the word lists (package data).

Used by grounding and verify (and, as it moves here, analysis). Nothing here knows about documents or
results: it turns strings into words, roots and keys.

- `WORD`, `LETTER_WORD`, `NEXT_WORD`, `TOKEN`, `strip_possessive`, `suffix_stem`, `root`,
  `content_roots`, `content_key`: see `_tokens`.
- The analysis's own variants, kept apart because it was tuned with them: `WORD_ANY_SCRIPT`,
  `stem_light`, `STOPWORDS_ANALYSIS`, `lower_words`, `content_stems`; `ONES` ("zero" … "nineteen").
- `wordlist(name)`, `ordered(name)`, `groups(name)`, `source(name)`: the lists under
  `summarizer/text/data/`, each file saying where it comes from.
- `semantic()`, `similarity(left, right)`, `embed(sentences)`: sentence similarity by meaning
  (all-MiniLM-L6-v2 in numpy, extra `[semantic]`) with a lexical fallback; `semantic().method` says
  which ran, for provenance. See `_semantic`.
"""

from summarizer.text._lists import groups, ordered, source, wordlist
from summarizer.text._semantic import Method, Semantic, embed, semantic, similarity
from summarizer.text._tokens import (
    CONTENT_WORD,
    LETTER_WORD,
    NEXT_WORD,
    ONES,
    STOPWORDS,
    STOPWORDS_ANALYSIS,
    TOKEN,
    WORD,
    WORD_ANY_SCRIPT,
    content_key,
    content_roots,
    content_stems,
    lower_words,
    root,
    stem_light,
    strip_possessive,
    suffix_stem,
)

__all__ = [
    "CONTENT_WORD",
    "LETTER_WORD",
    "NEXT_WORD",
    "ONES",
    "STOPWORDS",
    "STOPWORDS_ANALYSIS",
    "TOKEN",
    "WORD",
    "WORD_ANY_SCRIPT",
    "Method",
    "Semantic",
    "content_key",
    "content_roots",
    "content_stems",
    "embed",
    "groups",
    "lower_words",
    "ordered",
    "root",
    "semantic",
    "similarity",
    "source",
    "stem_light",
    "strip_possessive",
    "suffix_stem",
    "wordlist",
]
