from __future__ import annotations

QUOTES_PUBLIC = [
    "MAX_COLON_TAIL_WORDS",
    "MAX_SUBJECT_WORDS",
    "MIN_QUOTE_WORDS",
    "SPEECH_VERBS",
    "QuoteKind",
    "QuoteMention",
    "Resolution",
    "find_quotes",
    "quoted_stretches",
]
"""Every public name `summarizer.analysis.quotes` defined when it was one file of 610 lines."""


def test_the_quotes_module_still_offers_every_name_it_had() -> None:
    from summarizer.analysis import _quote_marks, _quote_speakers, quotes

    assert set(quotes.__all__) == set(QUOTES_PUBLIC)
    assert all(hasattr(quotes, name) for name in QUOTES_PUBLIC)
    moved = {"quoted_stretches": _quote_marks}
    moved |= {n: _quote_speakers for n in ("MAX_COLON_TAIL_WORDS", "MAX_SUBJECT_WORDS", "SPEECH_VERBS")}
    for name, home in moved.items():  # re-exported, not copied
        assert getattr(quotes, name) is getattr(home, name), name


def test_quotes_found_through_the_split_modules() -> None:
    from summarizer.analysis.quotes import find_quotes, quoted_stretches
    from summarizer.documents import document_from_text

    text = "Jane Holloway spoke on Tuesday.\n\n“We will not wait for anyone at all,” Holloway said."
    assert [text[s:e] for s, e in quoted_stretches(text)] == ["We will not wait for anyone at all"]
    doc = document_from_text(text, source_id="A", outlet="Outlet A")
    [quote] = find_quotes(doc)
    assert (quote.kind, quote.speaker, quote.speaker_text, quote.resolution) == (
        "direct",
        "Jane Holloway",
        "Holloway",
        "named",
    )
