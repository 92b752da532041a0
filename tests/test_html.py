"""The HTML report as markup: complete, escaped, self-contained, evidence marked from span offsets."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from summarizer import cli
from summarizer.render import render, to_html
from summarizer.render._html_assets import CSS, JS
from summarizer.schemas import GroundingSummary, KeyPoint
from tests.samples import (  # tests/test_browser.py imports hostile_comparison from here
    HOSTILE_A,
    HOSTILE_B,
    HOSTILE_TEXTS,
    bare_provenance,
    hostile_comparison,
    one_point_summary,
    source,
    span,
)


class _Columns(HTMLParser):
    """Text of each `.source-text` column, without the sentence labels; tags seen anywhere."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.columns: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._depth = 0  # element depth inside the current column, 0 outside
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        classes = (attributes.get("class") or "").split()
        if self._depth:
            self._depth += 1
            if "sid" in classes or self._skip:
                self._skip += 1
        elif "source-text" in classes:
            self._depth = 1
            self.columns.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1
            self._skip = max(self._skip - 1, 0) if self._skip else 0

    def handle_data(self, data: str) -> None:
        if self._depth and not self._skip:
            self.columns[-1] += data


def parse(page: str) -> _Columns:
    parser = _Columns()
    parser.feed(page)
    return parser


def test_columns_reproduce_every_source_text_exactly() -> None:
    page = to_html(hostile_comparison())
    assert parse(page).columns == [HOSTILE_A, HOSTILE_B]


def test_hostile_text_is_escaped_everywhere() -> None:
    page = to_html(hostile_comparison())
    assert page.count("<script") == 1  # ours, at the end
    tags = {tag for tag, _ in parse(page).tags}
    assert "img" not in tags and "b" not in tags
    assert not any(name.startswith("on") for _, attrs in parse(page).tags for name in attrs)
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "Herald&quot; onload=&quot;x()" in page


def test_page_is_self_contained_and_locked_by_its_policy() -> None:
    page = to_html(hostile_comparison())
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page and "url(" not in CSS
    digest = lambda text: base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()  # noqa: E731
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert found is not None
    policy = html.unescape(found.group(1))
    assert f"'sha256-{digest(CSS)}'" in policy and f"'sha256-{digest(JS)}'" in policy
    assert "default-src 'none'" in policy
    assert f"<style>{CSS}</style>" in page and f"<script>{JS}</script>" in page


def finding_ids(page: str) -> dict[str, str]:
    """Finding label (`claim 1`, `conflict 1`) → its id on the page (ids follow the reading order)."""
    return {label: fid for fid, label in re.findall(r'data-finding="(f\d+)" data-label="([^"]+)"', page)}


def test_overlapping_spans_become_flat_runs_naming_every_finding() -> None:
    page = to_html(hostile_comparison())
    # claim 1 cites "The bridge reopens on Friday.", claim 2 "reopens on Friday. Mayor", the conflict "Friday"
    ids = finding_ids(page)
    c1, c2, cf = ids["claim 1"], ids["claim 2"], ids["conflict 1"]
    marks = re.findall(r'<mark class="ev" data-findings="([^"]+)"[^>]*>([^<]*)</mark>', page)
    assert (c1, "The bridge ") in marks
    assert (f"{c1} {c2}", "reopens on ") in marks
    assert (f"{cf} {c1} {c2}", "Friday") in marks
    assert (c2, "Mayor") in marks


def test_findings_are_keyboard_reachable_and_say_status_in_words() -> None:
    page = to_html(hostile_comparison())
    assert page.count('<button type="button" class="pick" aria-pressed="false">') == 4  # each finding once
    assert "✔ reports" in page and "✘ contradicts" in page and "— omits" in page
    assert 'role="status" aria-live="polite"' in page
    assert f'<a href="#{finding_ids(page)["claim 2"]}">2</a>' in page  # the matrix links to the claim


def test_grounding_failures_and_approximate_quotes_are_visible() -> None:
    page = to_html(hostile_comparison())
    assert f'class="finding claim ungrounded" data-finding="{finding_ids(page)["claim 2"]}"' in page
    assert "⚠ not grounded: B1 does not say the repairs are done" in page
    assert "≈ approximate match to the source, similarity 90/100" in page
    assert '<ins><span class="vh">added: </span>nearly</ins>' in page


def test_summary_page_shows_the_article_beside_the_summary() -> None:
    src = source("A", "Daily", texts=HOSTILE_TEXTS, language="en")
    point = KeyPoint(text="It reopens Friday.", evidence=[span("A", "reopens on Friday", HOSTILE_TEXTS)])
    summary = one_point_summary(src, point, GroundingSummary(items=1, grounded=1), bare_provenance())
    page = render(summary, "html")
    assert parse(page).columns == [HOSTILE_A]
    assert 'data-findings="f1"' in page and "<title>Bridge reopens</title>" in page


def test_cli_writes_the_seed_comparison_as_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    code = cli.main(
        [
            *("compare", "fixtures/articles/anadolu.txt", "fixtures/articles/mehr.txt"),
            *("--replay", "fixtures/exchanges", "--format", "html", "-o", str(out)),
        ]
    )
    assert code == 0, capsys.readouterr().err
    page = out.read_text(encoding="utf-8")
    assert [c[:20] for c in parse(page).columns] == [
        Path("fixtures/articles/anadolu.txt").read_text(encoding="utf-8")[:20],
        Path("fixtures/articles/mehr.txt").read_text(encoding="utf-8")[:20],
    ]


def test_summarize_refuses_several_articles_in_one_page(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(
        ["summarize", "fixtures/articles/anadolu.txt", "fixtures/articles/mehr.txt", "--format", "html"]
    )
    assert code == 2 and "one page per article" in capsys.readouterr().err
