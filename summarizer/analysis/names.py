"""Names of people, organisations and places, found with patterns, and their spelling variants.

A name is a run of capitalised words (with `of`, `al-`, `bin`… inside). Titles in front of it
(`Russian Foreign Minister Sergie Lavrov`) are split off as the role and mark a person; organisation
words (`Agency`, `Council`…) mark an organisation; a small gazetteer marks places. A bare surname
(`Vaezi`) resolves to the fullest name in the document that ends with it (`Mahmoud Vaezi`).
Across sources, names whose tokens are near-identical (rapidfuzz) form one group, so `Sergie Lavrov`
and `Sergei Lavrov`, or `Rouhani` and `Rohani`, are one person spelled two ways; common short forms of
first names (`Mike` / `Michael`) match too, and a bare surname joins the one person it names.

A number after a word such as `Resolution`, `Article` or `Flight` belongs to the name
(`Resolution 2231`, `Article 5`, `Flight 370`). When the sources spell a person differently,
`neutral_name` names them without taking one outlet's side (`Sergei/Sergie Lavrov`).

Weekdays, and months written as dates, end a name (`Hillary Clinton Wednesday`). On title-case lines
(headlines, subheads), where every word is capitalised, only names that also occur in the running
text of the document are taken (`Trump` and `Bloomberg` in `Clinton Is 'Sane' And 'Competent,'
Unlike Trump, Bloomberg Tells U.S.`, not `Unlike Trump`).

The work is done in three private modules, one concern each: `_name_typing` (a run of words as a typed
name), `_name_mentions` (the names of one document) and `_name_grouping` (names across sources).
"""

from __future__ import annotations

from summarizer.analysis._name_grouping import (
    NameGroup,
    group_names,
    neutral_name,
    one_letter_apart,
    same_name,
    spelling_variant,
)
from summarizer.analysis._name_grouping import _key as _key
from summarizer.analysis._name_mentions import NameIndex, find_names, fullest_name
from summarizer.analysis._name_mentions import _TitleLines as _TitleLines
from summarizer.analysis._name_typing import _ADJECTIVES as _ADJECTIVES
from summarizer.analysis._name_typing import _TITLES as _TITLES
from summarizer.analysis._name_typing import PLACES, NameMention, NameType

__all__ = [
    "PLACES",
    "NameGroup",
    "NameIndex",
    "NameMention",
    "NameType",
    "find_names",
    "fullest_name",
    "group_names",
    "neutral_name",
    "one_letter_apart",
    "same_name",
    "spelling_variant",
]
