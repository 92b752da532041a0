"""A small language detector: the writing system first, then, for Latin and Cyrillic scripts, which
language's commonest words the text uses most. No model, no download; enough to label news articles,
and it answers None rather than guess when the text is short or the evidence is thin.

detect_language("Iran has turned down an offer from Russia …")  # "en"
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

from summarizer.text import LETTERS_WORD, groups

MIN_WORDS = 8
"""Fewer words than this and the answer is None."""
MIN_SHARE = 0.08
"""The winning language's stopwords must be at least this share of the words."""
MARGIN = 1.5
"""…and at least this many times as frequent as the runner-up's."""


_STOPWORDS: dict[str, frozenset[str]] = {
    code[0]: frozenset(words) for (code, words) in groups("language_stopwords")
}
"""The commonest function words of each language (`summarizer/text/data/language_stopwords.txt`)."""

# Writing systems that name the language outright (or nearly: Arabic script needs a second look).
_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("HANGUL", "ko"),
    ("CJK", "zh"),
    ("GREEK", "el"),
    ("HEBREW", "he"),
    ("DEVANAGARI", "hi"),
    ("THAI", "th"),
    ("ARMENIAN", "hy"),
    ("GEORGIAN", "ka"),
    ("ARABIC", "ar"),
    ("CYRILLIC", "cyrillic"),
    ("LATIN", "latin"),
)
_PERSIAN_LETTERS = set("پچژگکی")  # letters Persian writes and Arabic does not
_URDU_LETTERS = set("ٹڈڑںےھ")


@functools.cache
def _script(ch: str) -> str | None:
    if ch.isascii():
        return "latin"
    name = unicodedata.name(ch, "")
    for prefix, script in _SCRIPTS:
        if name.startswith(prefix):
            return script
    return None


def detect_language(text: str, *, sample: int = 1_000) -> str | None:
    """ISO 639-1 code of the text's language, or None when unsure."""
    head = text[:sample]
    if head.isascii():  # Latin script: no per-character count, the costly part
        if _ASCII_LETTER.search(head) is None:
            return None
        return _by_stopwords(head, _LATIN)
    scripts = Counter(s for ch in head if ch.isalpha() and (s := _script(ch)))
    if not scripts:
        return None
    script, _ = scripts.most_common(1)[0]
    if scripts["ja"]:
        return "ja"  # Japanese mixes kana with Han characters
    if script == "ar":
        letters = set(head)
        return "ur" if letters & _URDU_LETTERS else "fa" if letters & _PERSIAN_LETTERS else "ar"
    if script not in ("latin", "cyrillic"):
        return script
    return _by_stopwords(head, ("ru", "uk") if script == "cyrillic" else _LATIN)


def _by_stopwords(text: str, candidates: tuple[str, ...]) -> str | None:
    words = [w.lower() for w in LETTERS_WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return None
    hits = Counter(lang for w in words for lang in _LANGUAGES_OF.get(w, ()))
    scores = sorted(((hits[lang], lang) for lang in candidates), reverse=True)
    (best, lang), (second, _) = scores[0], scores[1]
    if best < MIN_SHARE * len(words) or best < MARGIN * second:
        return None
    return lang


_LATIN = tuple(k for k in _STOPWORDS if k not in ("ru", "uk"))
_ASCII_LETTER = re.compile("[A-Za-z]")
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
"""For each stop word, the languages it is a stop word of: one lookup per word of the text."""
for _lang, _stopwords in _STOPWORDS.items():
    for _word in _stopwords:
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _lang)


LANGUAGE_NAMES = {
    "ar": "Arabic", "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian",
    "fr": "French", "he": "Hebrew", "hi": "Hindi", "hy": "Armenian", "id": "Indonesian", "it": "Italian",
    "ja": "Japanese", "ka": "Georgian", "ko": "Korean", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sv": "Swedish", "th": "Thai", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "zh": "Chinese",
}  # fmt: skip


def language_label(code: str) -> str:
    """`English (en)` for a known ISO 639-1 code; any other value as given (`Catalan`, `pt-BR`)."""
    name = LANGUAGE_NAMES.get(code.lower())
    return f"{name} ({code.lower()})" if name else code
