"""Reports an editor reads in one minute: what needs a decision first, every line within the width."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.cli import main
from summarizer.render import ReportOptions, render, to_markdown, to_text
from summarizer.render._blocks import Cell, Doc, Table, plain
from summarizer.render._text import fit, write
from summarizer.render._view import cosmetic, parse_sections
from summarizer.schemas import Comparison, QuoteVariant, QuoteWording
from tests.samples import bridge_sources, date_conflict, mayor_claim, provenance, quote_variant, span

ROOT = Path(__file__).resolve().parents[1]
SEED = [str(ROOT / "fixtures/articles/anadolu.txt"), str(ROOT / "fixtures/articles/mehr.txt")]
EXCHANGES = str(ROOT / "fixtures/exchanges")


@pytest.mark.parametrize("engine", [["--replay", EXCHANGES], ["--engine", "offline"]])
def test_seed_report_shows_conflicts_and_quotes_in_its_first_60_lines_within_100_columns(
    engine: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", *SEED, *engine]) == 0
    lines = capsys.readouterr().out.splitlines()
    head = "\n".join(lines[:60])
    assert "Conflicts (1)\n-------------" in head and "Sergie Lavrov" in head  # the name spelt two ways
    assert "Quote differences (3)\n---------------------" in head
    assert "2. " in head.split("Quote differences (3)")[1]  # the quotes themselves, not only the heading
    assert max(len(line) for line in lines) <= 100
    numbers = [line.split(")")[0] for line in lines if line.startswith("- (")]
    assert numbers and len(numbers) == len(set(numbers))  # each claim printed once


def test_width_is_kept_and_wide_tables_become_lists(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", *SEED, "--engine", "offline", "--width", "60"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 60
    c = _comparison()
    c.sources[0].title = "A very long title " * 6
    text = to_text(c, options=ReportOptions(width=50))
    assert "A       Daily   2024-05-01  A very long" in text  # the widest column wraps
    assert max(len(line) for line in text.splitlines()) <= 50
    assert fit([6, 6, 10, 108], 50) == [6, 6, 10, 22] and fit([20] * 5, 40) is None
    table = Table(["Source", "Outlet"] + [f"Column {i}" for i in range(5)], [[Cell(plain("x" * 15))] * 7])
    text = write(Doc([table]), color=False, width=40)
    assert text.startswith("- Source: xxxxxxxxxxxxxxx\n  Outlet: xxxxxxxxxxxxxxx\n")  # a list


def _comparison() -> Comparison:
    sources = bridge_sources()
    return Comparison(
        story="A city bridge reopens after repairs",
        overview="Both report the reopening.",
        claims=[mayor_claim()],
        conflicts=[date_conflict()],
        quote_variants=[quote_variant(similarity=91.0)],
        sourcing=[],
        framing=[],
        sources=sources,
        grounding={"items": 3, "grounded": 3},  # type: ignore[arg-type]
        provenance=provenance(sources),
    )


def _okay_variant() -> QuoteVariant:
    texts = {"A": 'He said "it is O.K. - we will see". ', "B": 'He said "it is okay, we will see". '}
    return QuoteVariant(
        speaker="Jane Doe",
        wordings=[
            QuoteWording(
                source="A", text="it is O.K. - we will see", evidence=[span("A", "it is O.K.", texts)]
            ),
            QuoteWording(
                source="B", text="it is okay, we will see", evidence=[span("B", "it is okay", texts)]
            ),
        ],
        meaning_differs=False,
        note="Punctuation.",
        found_by="analysis",
        confidence=0.99,
    )


@pytest.mark.parametrize(
    ("texts", "minor"),
    [
        (["it is O.K. - we will see", "it is okay, we will see"], True),
        (["the colour of money", "the color of money"], True),
        (["We will win.", "we will win"], True),
        (["We will win.", "We will not win."], False),
        (["5,000 people", "6,000 people"], False),
        (["the repairs are complete", "the repairs are nearly complete"], False),
        (["the radical environmentalists", "the radical environmentalist"], False),  # story-56: a plural
        (["Arkansas — and we owe it", "Arkansas—and we owe it"], True),  # story-113
        (["a state-funded trip", "a state funded trip"], True),  # story-112
    ],
)
def test_cosmetic_differences(texts: list[str], minor: bool) -> None:
    assert cosmetic(texts) is minor


def test_cosmetic_quote_differences_go_to_the_bottom_never_above_real_ones() -> None:
    c = _comparison()
    c.quote_variants.insert(0, _okay_variant())  # the surest finding, but only punctuation
    for out in (to_text(c), to_markdown(c), render(c, "html")):
        real = out.index("the repairs are nearly complete")
        minor = out.index("Minor differences (1)")
        assert real < minor < out.index("Claims matrix")
        assert "O.K." not in out[:minor] and "O.K." in out[minor:]  # listed once, at the bottom
    text = to_text(c)
    assert "Quote differences (1)" in text
    assert "Quote 1, Jane Doe, A → B: it is [-O.K. --] {+okay,+} we will see" in text


def test_focus_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["compare", *SEED, "--engine", "offline", "--only", "conflicts,quotes", "--max-items", "1"]) == 0
    )
    out = capsys.readouterr().out
    assert "Conflicts (1)" in out and "Quote differences (3)" in out
    assert "… and 2 more (--max-items" in out
    assert "Reported only by some" not in out and "Provenance" not in out.split("Source  Outlet")[1]
    assert (
        main(["compare", *SEED, "--engine", "offline", "--min-confidence", "0.95", "--only", "quotes"]) == 0
    )
    out = capsys.readouterr().out
    assert "Quote differences (2)" in out  # 0.97 and 0.95 kept, 0.90 hidden


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--only", "conflicts,gossip"], "unknown section 'gossip'"),
        (["--width", "20"], "too narrow"),
        (["--max-items", "0"], "--max-items must be 1 or more"),
        (["--min-confidence", "2"], "--min-confidence runs from 0 to 1"),
    ],
)
def test_bad_focus_options_are_usage_errors(
    flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(["compare", *SEED, "--engine", "offline", *flags])
    except SystemExit as exc:
        code = int(str(exc.code))
    assert code == 2
    assert message in capsys.readouterr().err


def test_sections_have_aliases() -> None:
    assert parse_sections("quote-variants, omissions,matrix") == {"quotes", "only-some", "claims"}


def test_render_takes_the_focus_options_as_keywords() -> None:
    c = _comparison()
    text = render(c, "text", only="conflicts", width=60)
    assert "Conflicts (1)" in text and "Quote differences" not in text and "Claims matrix" not in text
    assert max(len(line) for line in text.splitlines()) <= 60
    assert "Quote differences (1)" in render(c, "markdown", only=["quotes"])
    with pytest.raises(ValueError, match="unknown section 'gossip'"):
        render(c, "text", only="gossip")
