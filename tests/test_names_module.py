from __future__ import annotations

NAMES_PUBLIC = [
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
"""Every public name `summarizer.analysis.names` defined when it was one file of 672 lines."""

NAMES_PRIVATE_IMPORTED = ["_ADJECTIVES", "_TITLES", "_TitleLines", "_key"]
"""Its private names that other modules and tests import from it."""


def test_the_names_module_still_offers_every_name_it_had() -> None:
    from summarizer.analysis import _name_grouping, _name_mentions, _name_typing, names

    assert set(names.__all__) == set(NAMES_PUBLIC)
    assert all(hasattr(names, name) for name in NAMES_PUBLIC + NAMES_PRIVATE_IMPORTED)
    homes = [_name_typing, _name_mentions, _name_grouping]
    for name in NAMES_PUBLIC + NAMES_PRIVATE_IMPORTED:  # re-exported, not copied
        assert any(getattr(names, name) is getattr(m, name, None) for m in homes), name
