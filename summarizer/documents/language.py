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

MIN_WORDS = 8
"""Fewer words than this and the answer is None."""
MIN_SHARE = 0.08
"""The winning language's stopwords must be at least this share of the words."""
MARGIN = 1.5
"""…and at least this many times as frequent as the runner-up's."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The commonest function words of each language, chosen to overlap little with its neighbours'.
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and of to in is that for it was on with as he said by at from his an be have has "
        "are were which this they not but who their will would had been its"
    ),
    "de": _words(
        "der die und das ist nicht ein eine den dem des mit sich auf für im von zu auch es "
        "wird wurde sind bei nach aus oder dass sie er hat haben werden"
    ),
    "fr": _words(
        "le la les et des est une un du dans pour que qui pas sur au aux avec ce cette il "
        "elle sont ont été par plus ne se leur mais ou"
    ),
    "es": _words(
        "el la los las y de que en un una es por con para del se no al lo su como más pero "
        "sus fue ha han este esta también entre"
    ),
    "it": _words(
        "il la di che e un una per non sono è del della dei delle con nel nella alla gli "
        "anche come ha hanno questo questa più ma"
    ),
    "pt": _words(
        "o a os as e de que em um uma para com não do da dos das no na por se mais como "
        "foi ao à são também pelo pela ele"
    ),
    "nl": _words(
        "de het een en van in is dat op te zijn met voor niet aan er ook als bij door maar "
        "om dan wordt werd nog hij ze heeft"
    ),
    "tr": _words(
        "ve bir bu da de için ile olarak olan çok daha gibi ama en ne kadar sonra ancak "
        "ise değil her şey onun tarafından göre"
    ),
    "id": _words(
        "yang dan di ini itu dengan untuk dari dalam tidak akan pada adalah ke juga karena "
        "oleh telah bahwa mereka sudah atau ada"
    ),
    "pl": _words(
        "i w na nie z się do że jest to o jak ale po co tak od przez dla jego za są oraz był była było także"
    ),
    "sv": _words(
        "och att det som en på är av för med till den har inte om ett var jag men de sig "
        "så kan från också eller efter"
    ),
    "ro": _words(
        "și în de la că nu cu o un pe din care este sunt mai pentru să ca fost sau dar acest această după"
    ),
    "ru": _words(
        "и в не на что с по как это он к из за от она но же для было так они его все был бы уже или при также"
    ),
    "uk": _words(
        "і в не на що з та як це до за від але він його для був вона так також які були про або вже при їх"
    ),
}

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
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


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
    words = [w.lower() for w in _WORD_RE.findall(text)]
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
