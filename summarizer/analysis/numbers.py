"""Numbers in text: digits, number words, scales, percentages, currencies and common units.

`find_numbers(text)` returns every quantity with its character offsets, its value and a normalised
unit, so "1.2 million", "1,200,000" and "one point two million" compare by value, and "$5bn" reads as
5e9 USD. Units: `percent`, currencies as ISO codes (`USD`, `EUR`, `GBP`, `JPY`, `RUB`, `IRR`, `CNY`,
`INR`), `people` (people, civilians, soldiers, …), lengths (`km`, `mi`, `m`), masses (`kg`, `t`),
durations (`year`, `month`, `week`, `day`, `hour`, `minute`), `clock` for a time of day (`7:16 p.m.`
is one mention, not 7 and 16); anything else is None.

Numbers that belong to a date ("May 8, 2018", "in 2015") are left to `summarizer.analysis.dates`,
and ordinals ("second") are not quantities. Precompiled regular expressions, one scan: linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from summarizer.analysis.dates import MONTHS, find_dates
from summarizer.text import ONES, TENS, table

__all__ = ["NumberMention", "find_numbers"]


@dataclass(frozen=True)
class NumberMention:
    """One quantity: `text == source[start:end]`."""

    start: int
    end: int
    text: str
    value: float
    unit: str | None
    """Normalised unit ("percent", "USD", "people", "km", …) or None."""


_ONES = ONES
_TENS = TENS
_SCALES = {word: float(value) for word, value in table("number_scales").items()}
_SPECIAL = {phrase: float(value) for phrase, value in table("number_phrases").items()}

_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "₹": "INR"}
_UNIT_WORDS: dict[str, str] = table("units")

_WORD = "|".join(
    sorted(
        [*_ONES, *_TENS, "dozen", "hundred", "thousand", "million", "billion", "trillion"],
        key=len,
        reverse=True,
    )
)


_Tree = dict[str, "_Tree"]


def _trie(words: list[str]) -> str:
    """The alternation of `words` as a prefix tree ("s(?:even(?:t(?:een|y))?|ix…)"): the same matches
    in the same order of preference (a longer word before its prefix, as in `_WORD`), but the regex
    engine reads each letter once instead of trying every word at every word start."""
    tree: _Tree = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: _Tree) -> str:
        alternatives = [re.escape(ch) + build(node[ch]) for ch in sorted(node) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(tree)


_WORD_TRIE = _trie(_WORD.split("|"))
_WORD_NUMBER = rf"(?:{_WORD_TRIE})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD_TRIE}))*"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_SCALE = r"(?:\s*(?:dozen|hundred|thousand|million|billion|trillion)\b|(?:k|mn|mln|bn|tn|m)\b)"
_CURRENCY = r"(?:US\$|\$|€|£|¥|₽|₹)"
_UNIT = "|".join(re.escape(u) for u in sorted(_UNIT_WORDS, key=len, reverse=True) if u != "%")

_NUMBER = re.compile(
    rf"(?P<cur>{_CURRENCY})?\s?"
    rf"(?:(?P<special>\b(?:half a dozen|a (?:dozen|hundred|thousand)|dozen)\b)"
    rf"|(?P<digits>(?<![\w.,])(?:{_DIGITS}))(?P<scale>{_SCALE})?"
    rf"|(?P<words>\b{_WORD_NUMBER}\b))"
    rf"(?P<unit>\s?%|[\s-]*(?:{_UNIT})\b)?",
    re.IGNORECASE,
)


# Every match of `_NUMBER` holds one of these: a run of digits, a currency sign, a number word or "dozen".
# The first one in a match lies at most 2 characters after the match's start when it is digits (" .5") or
# a sign ("US$"), 8 when a word ("US$ half a dozen"); `_REACH` allows a margin. Scanning for anchors is
# faster than trying `_NUMBER` at every position, so `_NUMBER` is tried only just before them.
_ANCHOR = re.compile(rf"(?P<digits>\d+)|(?P<sign>[$€£¥₽₹])|\b(?:{_WORD_TRIE}|dozen)\b", re.IGNORECASE)
_REACH = {"digits": 3, "sign": 3, None: 12}


def _matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_NUMBER.finditer(text)`, found from the anchors: no match starts earlier than
    `_REACH` before the first anchor at or after the previous match's end."""
    end = 0
    for anchor in _ANCHOR.finditer(text):
        if anchor.start() < end:
            continue
        m = _NUMBER.search(text, max(end, anchor.start() - _REACH[anchor.lastgroup]))
        if m is None:
            return
        yield m
        end = m.end()


def find_numbers(text: str) -> list[NumberMention]:
    """Every quantity in `text`, in order, except the numbers that are part of a date. A clock time
    (`7:16 p.m.`, `9 pm`, `18:45`) is one mention of unit `clock`, its value the hours as written."""
    in_date: bytearray | None = None  # dates are looked for only once a bare number turns up
    found: list[NumberMention] = []
    clock_end = -1
    for m in _matches(text):
        mention = _mention(m)
        if mention is None or mention.start < clock_end:
            continue  # no number, or the minutes of a clock time
        clock = _clock(text, mention)
        if clock is not None:
            found.append(clock)
            clock_end = clock.end
            continue
        if _may_be_in_date(mention, text):
            if in_date is None:
                in_date = _date_mask(text)
            if all(in_date[mention.start : mention.end]):
                continue
        found.append(mention)
    return found


_CLOCK_AFTER = re.compile(
    r"(?::(?P<minutes>[0-5]\d)(?::[0-5]\d)?(?![\d:]))?(?:\s?(?P<half>[ap])\.?\s?m\b\.?)?", re.IGNORECASE
)
"""What follows the hour of a clock time: `:16` (seconds too: `:16:30`), ` p.m.`, `pm`, or both."""


def _clock(text: str, hour: NumberMention) -> NumberMention | None:
    """The clock time whose hour is `hour` (bare digits, not after `:` or `.`), else None."""
    digits = hour.text
    before = text[hour.start - 1] if hour.start else ""
    if hour.unit is not None or not digits.isdigit() or len(digits) > 2 or (before and before in ":."):
        return None
    m = _CLOCK_AFTER.match(text, hour.end)
    if m is None or not (m["minutes"] or m["half"]):
        return None
    value = int(digits)
    if value > (12 if m["half"] else 23) or (m["half"] and value == 0):
        return None
    minutes = int(m["minutes"] or 0)
    return NumberMention(hour.start, m.end(), text[hour.start : m.end()], value + minutes / 60, "clock")


def _may_be_in_date(mention: NumberMention, text: str) -> bool:
    """Only bare digits can lie inside a day, month or year mention of `summarizer.analysis.dates`: a
    day or month (one or two digits, with a date's context around them) or a year (18xx, 19xx, 20xx)."""
    digits = mention.text
    if mention.unit is not None or not digits.isdigit():
        return False
    if len(digits) == 4:
        return digits[:2] in ("18", "19", "20")
    return len(digits) <= 2 and _day_context(text, mention.start, mention.end)


_MONTH_WORDS = frozenset(name.capitalize() for name in MONTHS)
"""Month names as the date patterns take them: capitalised, full or abbreviated ("May", "Sept")."""


def _day_context(text: str, start: int, end: int) -> bool:
    """Whether a day or month number at `start:end` has what a date needs around it: `-` or `/` beside
    it (2018-05-08, 05/08/2018), a month name before it (May 8, Sept. 8) or after it (8 May, 8th of
    May). A necessary condition only: the date patterns decide."""
    if (start and text[start - 1] in "-/") or text[end : end + 1] in ("-", "/"):
        return True
    before = start
    while before and text[before - 1].isspace():
        before -= 1
    if before < start:  # "May 8": whitespace, an optional full stop and a month name before
        stop = before - 1 if before and text[before - 1] == "." else before
        if _word_ending(text, stop) in _MONTH_WORDS:
            return True
    after = end
    if text[after : after + 2].lower() in ("st", "nd", "rd", "th"):
        after += 2
    word = _word_after(text, after)
    if word == "of":  # "8th of May"
        word = _word_after(text, text.index("of", after) + 2)
    return word in _MONTH_WORDS


def _word_ending(text: str, end: int) -> str:
    start = end
    while start and text[start - 1].isalpha():
        start -= 1
    return text[start:end]


def _word_after(text: str, pos: int) -> str:
    """The letters after the whitespace at `pos` ("" when there is no whitespace there)."""
    start = pos
    while start < len(text) and text[start].isspace():
        start += 1
    if start == pos:
        return ""
    end = start
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[start:end]


def _date_mask(text: str) -> bytearray:
    """1 at every character of a day, month or year mention of `text`."""
    in_date = bytearray(len(text))
    for d in find_dates(text):
        if d.precision in ("day", "month", "year"):
            in_date[d.start : d.end] = b"\x01" * (d.end - d.start)
    return in_date


def _mention(m: re.Match[str]) -> NumberMention | None:
    value = _value(m)
    if value is None:
        return None
    unit = _unit(m)
    start, end = m.start(), m.end()
    if not m["cur"]:
        start = m.start("special") if m["special"] else m.start("digits") if m["digits"] else m.start("words")
    return NumberMention(start, end, m.string[start:end], value, unit)


def _value(m: re.Match[str]) -> float | None:
    if m["special"]:
        return float(_SPECIAL[m["special"].lower()])
    if m["digits"]:
        value = float(m["digits"].replace(",", ""))
        scale = (m["scale"] or "").strip().lower()
        if scale == "m":  # "£10m" is ten million pounds; "10m" alone is ten metres
            return value * 1e6 if m["cur"] else value
        return value * _SCALES[scale] if scale else value
    return _words_value(m["words"])


def _words_value(words: str) -> float | None:
    """ "twenty-five" → 25, "three hundred and ten thousand" → 310000; None for a lone scale word."""
    total = current = 0.0
    seen_digit = False
    for word in _SEPARATORS.split(words.lower()):
        if word == "and":
            continue
        if word in _ONES or word in _TENS:
            current += _ONES.get(word, 0) + _TENS.get(word, 0)
            seen_digit = True
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _SCALES[word]
            current = 0
    return total + current if seen_digit else None


def _unit(m: re.Match[str]) -> str | None:
    if m["cur"]:
        return _SYMBOLS[m["cur"].lower()]
    if (m["scale"] or "").strip().lower() == "m":
        return "m"
    unit = m["unit"]
    if not unit:
        return None
    raw = _SEPARATORS.sub(" ", unit.lower()).strip()
    return _UNIT_WORDS.get(raw) if raw else None


_SEPARATORS = re.compile(r"[\s-]+")
