"""The deterministic extractors shared by grounding's support checks and cross-source analysis."""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer.analysis.dates import date_key, find_dates
from summarizer.analysis.numbers import find_numbers

FRIDAY = dt.date(2020, 9, 4)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("1,200 people died", 1200, "people"),
        ("grew 3.5% last year", 3.5, "percent"),
        ("3.5 per cent", 3.5, "percent"),
        ("1.2 million", 1.2e6, None),
        ("a $5bn deal", 5e9, "USD"),
        ("£10m in fines", 1e7, "GBP"),
        ("30 euros", 30, "EUR"),
        ("three soldiers", 3, "people"),
        ("twenty-five people", 25, "people"),
        ("a dozen", 12, None),
        ("one hundred and ten", 110, None),
        ("fell 5 km", 5, "km"),
        ("the 27-year-old", 27, "year"),
    ],
)
def test_find_numbers_reads_value_and_unit(text: str, value: float, unit: str | None) -> None:
    [mention] = find_numbers(text)
    assert mention.value == pytest.approx(value)
    assert mention.unit == unit
    assert text[mention.start : mention.end] == mention.text


@pytest.mark.parametrize(
    "text", ["withdrew on May 8, 2018", "in 2015, Iran", "pre-2015 sanctions", "A3 says"]
)
def test_find_numbers_leaves_dates_and_ids_alone(text: str) -> None:
    assert find_numbers(text) == []


def test_year_like_count_is_a_number_not_a_date() -> None:
    assert [n.value for n in find_numbers("2000 people marched")] == [2000]
    assert find_dates("2000 people marched") == []


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("said on June 24.", "2020-06-24", "day"),
        ("on May 8, 2018, and", "2018-05-08", "day"),
        ("8 May 2018", "2018-05-08", "day"),
        ("2018-05-08", "2018-05-08", "day"),
        ("Thursday, Feb. 23, 2023", "2023-02-23", "day"),
        ("in May 2018, followed", "2018-05", "month"),
        ("since March", "2020-03", "month"),
        ("In 2015, Iran", "2015", "year"),
        ("rejected on Friday an offer", "2020-09-04", "weekday"),
        ("speech on Tuesday", "2020-09-01", "weekday"),
        ("next Friday", "2020-09-11", "weekday"),
        ("yesterday", "2020-09-03", "relative"),
        ("two days ago", "2020-09-02", "relative"),
        ("Last week, Lavrov", "2020-W35", "relative"),
        ("last month", "2020-08", "relative"),
        ("05/08/2018", None, "unknown"),
        ("13/08/2018", "2018-08-13", "day"),
    ],
)
def test_find_dates_resolves_against_published(text: str, iso: str | None, precision: str) -> None:
    [ref] = find_dates(text, FRIDAY)
    assert (ref.iso, ref.precision) == (iso, precision)
    assert text[ref.start : ref.end] == ref.text


def test_without_published_relative_dates_stay_unresolved() -> None:
    refs = find_dates("on Friday, yesterday, on June 24 and in May 2018")
    assert [(r.iso, r.precision) for r in refs] == [
        (None, "weekday"),
        (None, "relative"),
        (None, "day"),
        ("2018-05", "month"),
    ]
    assert date_key(refs[2]) == "--06-24"


def test_the_verb_may_is_not_a_month() -> None:
    assert find_dates("It may be true that they march.") == []


def test_extractors_find_every_repeat_in_long_text() -> None:
    text = "On June 24, 3,000 people paid $5bn, 12% more than last week. " * 4000
    assert len(find_numbers(text)) == 3 * 4000
    assert len(find_dates(text, FRIDAY)) == 2 * 4000


TRICKY = [
    "half a dozen eggs and a dozen more",
    "US$ 5 and US$5, € 3, ¥100 and ₹ 20",
    "£10m, 10m and $5bn",
    "grew .5 and 3.5 then 1,200,000",
    "twenty-five, three hundred and ten thousand, a hundred, a thousand",
    "on May 8, 2018 and 8th of May, 5 June, June 5th, Sept. 11, Dec.\n 3",
    "2018-05-08 and 05/08/2018 and 12- and /4",
    "district 8 voted 5 to 2; the 3rd Mayor; 2000 people in 2015",
    "x1 A3 pre-2015 4,5 6.7.8 $$5 ..9",
]


@pytest.mark.parametrize("text", TRICKY)
def test_anchored_scan_finds_what_a_full_scan_finds(text: str) -> None:
    """`_matches` tries the number pattern only near anchors; it must match exactly as a scan of every
    position does (the pattern itself is the reference)."""
    from summarizer.analysis.numbers import _NUMBER, _matches

    assert [m.span() for m in _matches(text)] == [m.span() for m in _NUMBER.finditer(text)]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("on 8th of May the 8 members", [8]),
        ("on May  8 with 8 members", [8]),
        ("Sept. 11 and 11 days", [11]),
        ("2018-05-08 and 5 votes", [5]),
        ("5 June, then 5 more", [5]),
        ("district 8 and Mayor 5", [8, 5]),
    ],
)
def test_day_numbers_inside_dates_are_not_quantities(text: str, numbers: list[float]) -> None:
    assert [n.value for n in find_numbers(text)] == numbers
