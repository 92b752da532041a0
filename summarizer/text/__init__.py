"""The text layer: every tokeniser, named stemmers, the stop-word sets and the word lists (package data).

Used by documents (language detection, segmentation), analysis, grounding and verify. Nothing here
knows about documents or results: it turns strings into words, roots and keys. A word list or a
tokeniser regex is defined here and nowhere else (`tests/test_text_layer.py` scans for strays).

- `WORD`, `LETTER_WORD`, `LETTERS_WORD`, `LETTERS_HYPHEN_WORD`, `ALNUM_RUN`, `WORD_RUN`, `NAME_TOKEN`,
  `NEXT_WORD`, `TOKEN`, `NEXT_TOKEN`, `SPACED_LOWER_WORD`, `CAPITALISED_WORD` (the tokenisers, each
  named for what it matches), `strip_possessive`, `suffix_stem`, `root`, `content_roots`,
  `content_key`: see `_tokens`.
- The analysis's own variants, kept apart because it was tuned with them: `WORD_ANY_SCRIPT`,
  `stem_light`, `STOPWORDS_ANALYSIS`, `lower_words`, `content_stems`; `ONES` ("zero" … "nineteen") and
  `TENS` ("twenty" … "ninety") with their values.
- `wordlist(name)`, `ordered(name)`, `groups(name)`, `table(name)`, `source(name)`: the lists under
  `summarizer/text/data/`, each file saying where it comes from.
- `semantic()`, `similarity(left, right)`, `embed(sentences)`: sentence similarity by meaning
  (all-MiniLM-L6-v2 in numpy, extra `[semantic]`) with a lexical fallback; `semantic().method` says
  which ran, for provenance. See `_semantic`.
"""

from summarizer.text._lists import groups, ordered, source, table, wordlist
from summarizer.text._semantic import Method, Semantic, embed, semantic, similarity
from summarizer.text._tokens import (
    ALNUM_RUN,
    CAPITALISED_WORD,
    CONTENT_WORD,
    LETTER_WORD,
    LETTERS_HYPHEN_WORD,
    LETTERS_WORD,
    NAME_TOKEN,
    NEXT_TOKEN,
    NEXT_WORD,
    ONES,
    SPACED_LOWER_WORD,
    STOPWORDS,
    STOPWORDS_ANALYSIS,
    TENS,
    TITLE_WORD,
    TOKEN,
    WORD,
    WORD_ANY_SCRIPT,
    WORD_RUN,
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
    "ALNUM_RUN",
    "CAPITALISED_WORD",
    "CONTENT_WORD",
    "LETTERS_HYPHEN_WORD",
    "LETTERS_WORD",
    "LETTER_WORD",
    "NAME_TOKEN",
    "NEXT_TOKEN",
    "NEXT_WORD",
    "ONES",
    "SPACED_LOWER_WORD",
    "STOPWORDS",
    "STOPWORDS_ANALYSIS",
    "TENS",
    "TITLE_WORD",
    "TOKEN",
    "WORD",
    "WORD_ANY_SCRIPT",
    "WORD_RUN",
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
    "table",
    "wordlist",
]
