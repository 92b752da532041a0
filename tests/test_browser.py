"""The HTML report as a person sees it: Debian's Chromium, driven by Playwright, headless.

Skips (with the reason) when /usr/bin/chromium or the `browser` extra is missing; `.ci/run` installs
both. A screenshot of the seed comparison with a finding selected goes to `test-artifacts/`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer import compare
from summarizer.render import to_html
from tests.test_html import hostile_comparison

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("SUMMARIZER_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HIGHLIGHT = "rgb(255, 210, 63)"  # --hl in the stylesheet


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[browser]'")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    articles = ROOT / "fixtures" / "articles"
    result = compare(
        [articles / "anadolu.txt", articles / "mehr.txt"], replay=ROOT / "fixtures" / "exchanges"
    )
    path = tmp_path_factory.mktemp("report") / "seed-comparison.html"
    path.write_text(to_html(result), encoding="utf-8")
    return path


def open_page(browser: Any, path: Path) -> Any:
    page = browser.new_page(viewport={"width": 1500, "height": 950}, reduced_motion="reduce")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.errors = errors
    return page


def in_view(page: Any, source: str, finding: str) -> bool:
    """Whether the finding's first highlighted mark lies inside its column's visible box."""
    return bool(
        page.evaluate(
            """([source, finding]) => {
                const column = document.querySelector(`.source[data-source="${source}"] .source-text`);
                const mark = column.querySelector(`mark[data-findings~="${finding}"]`);
                const c = column.getBoundingClientRect(), m = mark.getBoundingClientRect();
                return m.top >= c.top && m.bottom <= c.bottom;
            }""",
            [source, finding],
        )
    )


def test_selecting_a_finding_highlights_its_evidence_in_both_columns(browser: Any, seed_report: Path) -> None:
    page = open_page(browser, seed_report)
    rows = page.locator("li.finding.claim")
    assert rows.count() >= 10
    # the last claim with evidence in both texts: far down both, so selecting must scroll the columns
    target = next(
        row
        for row in (rows.nth(i) for i in reversed(range(rows.count())))
        if all(
            page.locator(
                f'.source[data-source="{s}"] mark[data-findings~="{row.get_attribute("data-finding")}"]'
            ).count()
            for s in ("A", "B")
        )
    )
    finding = target.get_attribute("data-finding")
    button = target.locator("button.pick")
    button.focus()
    page.keyboard.press("Enter")

    assert button.get_attribute("aria-pressed") == "true"
    assert "selected" in (target.get_attribute("class") or "")
    for source in ("A", "B"):
        marks = page.locator(f'.source[data-source="{source}"] mark[data-findings~="{finding}"]')
        assert marks.count() >= 1
        for i in range(marks.count()):
            assert "hl" in (marks.nth(i).get_attribute("class") or "")
        colour = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
        assert colour == HIGHLIGHT
        page.wait_for_function(
            """([s, f]) => { const c = document.querySelector(`.source[data-source="${s}"] .source-text`);
                 return c.scrollTop > 0; }""",
            arg=[source, finding],
        )
        assert in_view(page, source, finding)
    others = page.locator(f'mark.hl:not([data-findings~="{finding}"])')
    assert others.count() == 0
    status = page.locator("#selection-status").inner_text()
    assert "Anadolu Agency:" in status and "Mehr News Agency:" in status

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "seed-comparison.png"))
    assert page.errors == []


def test_space_click_and_escape(browser: Any, seed_report: Path) -> None:
    page = open_page(browser, seed_report)
    first = page.locator("li.finding.claim").first
    first.locator("button.pick").focus()
    page.keyboard.press("Space")
    assert page.locator("mark.hl").count() >= 2
    page.keyboard.press("Escape")
    assert page.locator("mark.hl").count() == 0
    conflict = page.locator("div.finding").first
    conflict.click()
    fid = conflict.get_attribute("data-finding")
    assert page.locator(f'mark.hl[data-findings~="{fid}"]').count() >= 2
    # clicking evidence in a column selects a finding it backs
    page.locator('.source[data-source="B"] mark.ev').first.click()
    assert page.locator(".finding.selected").count() == 1
    assert page.errors == []


def test_hostile_article_text_renders_as_text(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(to_html(hostile_comparison()), encoding="utf-8")
    page = open_page(browser, path)
    page.locator("li.finding.claim").first.locator("button.pick").click()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img").count() == 0
    column = page.locator('.source[data-source="A"] .source-text').inner_text()
    assert "<script>window.__pwned = 1</script>" in column and "</script> and &amp; stay text" in column
    assert "<script>" in page.locator("h1").inner_text()
    assert page.errors == []


@pytest.fixture(scope="module")
def verification_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.test_html_verify import seed_verification

    path = tmp_path_factory.mktemp("report") / "seed-verification.html"
    path.write_text(to_html(seed_verification()), encoding="utf-8")
    return path


def test_selecting_a_claim_highlights_the_sentences_it_was_checked_against(
    browser: Any, verification_report: Path
) -> None:
    page = open_page(browser, verification_report)
    assert page.locator("li.finding.claim").count() == 3
    claim = page.locator("li.finding.unsupported")
    assert claim.count() == 1
    assert "✘ unsupported" in claim.inner_text() and claim.locator(".tok").inner_text() == "June 25"
    finding = claim.get_attribute("data-finding")
    button = claim.locator("button.pick")
    button.focus()
    page.keyboard.press("Enter")

    assert button.get_attribute("aria-pressed") == "true"
    marks = page.locator(f'.source[data-source="A"] mark[data-findings~="{finding}"]')
    assert any("June 24" in marks.nth(i).inner_text() for i in range(marks.count()))
    assert marks.first.evaluate("m => getComputedStyle(m).backgroundColor") == HIGHLIGHT
    page.wait_for_function("() => document.querySelector('.source-text').scrollTop > 0")
    assert in_view(page, "A", str(finding))
    status = page.locator("#selection-status").inner_text()
    assert "Selected claim 2" in status and "Anadolu Agency: 1 passage" in status

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "seed-verification.png"))
    assert page.errors == []


def test_verification_links_keys_print_and_hostile_text(browser: Any, verification_report: Path) -> None:
    page = open_page(browser, verification_report)
    page.locator('a[href="#claim-2"]').click()  # the summary line's link selects the claim it names
    assert page.locator("li.finding.unsupported.selected").count() == 1
    assert page.locator("mark.hl").count() >= 1
    page.keyboard.press("Escape")
    assert page.locator("mark.hl").count() == 0
    page.emulate_media(media="print")
    assert page.locator("#selection-status").evaluate("e => getComputedStyle(e).display") == "none"
    assert page.errors == []

    from tests.test_html_verify import hostile_verification

    path = verification_report.with_name("hostile-verification.html")
    path.write_text(to_html(hostile_verification()), encoding="utf-8")
    page = open_page(browser, path)
    page.locator("li.finding").first.locator("button.pick").click()
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned = true</script>" in page.locator("li.finding").first.inner_text()
    assert page.errors == []
