"""`summarizer verify --format html`: the verification page as markup, complete, escaped and locked.

The page is built from real verifications of the seed article (deterministic, no model), so what it
shows is what the checks found; `tests/test_browser.py` drives the same page in Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from summarizer import Client, document_from_text
from summarizer.cli import main
from summarizer.render import render, to_html
from summarizer.schemas import Verification
from summarizer.testing import FakeBackend
from tests.samples import HOSTILE_A
from tests.test_html import parse
from tests.test_verify import ANADOLU, FAITHFUL_ANADOLU, MEHR

WRONG_DATE = FAITHFUL_ANADOLU.replace("on June 24", "on June 25")
"""Three claims about the seed article, the second with a date the article does not give."""
HOSTILE_SUMMARY = (
    'The bridge reopens on Friday <script>window.__pwned = true</script> & "soon". '
    "Mayor Jane Doe said the repairs are complete."
)


def seed_verification(text: str = WRONG_DATE) -> Verification:
    return Client().verify(text, [ANADOLU])


def hostile_verification() -> Verification:
    doc = document_from_text(HOSTILE_A, outlet='Herald" onload="x()', source_id="A")
    return Client().verify(HOSTILE_SUMMARY, [doc])


def claim_blocks(page: str) -> list[str]:
    """The markup of each claim on the page, in order."""
    return re.findall(r'<li class="finding claim .*?</ul></li>', page, flags=re.DOTALL)


class _Spans(HTMLParser):
    """Each evidence item (offsets and quoted text) and each evidence mark (offsets and text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, int, int, str]] = []
        self.marks: list[tuple[str, int, int, str]] = []
        self._source = ""
        self._open: list[tuple[str, int, int, str]] | None = None
        self._item: tuple[str, int, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "article" and "data-source" in a:
            self._source = a["data-source"]
        elif tag == "li" and "data-start" in a:
            self._item = (a["data-source"], int(a["data-start"]), int(a["data-end"]))
        elif tag == "span" and a.get("class") == "quoted" and self._item:
            self.items.append((*self._item, ""))
            self._open = self.items
        elif tag == "mark" and "data-start" in a:
            self.marks.append((self._source, int(a["data-start"]), int(a["data-end"]), ""))
            self._open = self.marks

    def handle_endtag(self, tag: str) -> None:
        if tag in ("span", "mark"):
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            source, start, end, text = self._open[-1]
            self._open[-1] = (source, start, end, text + data)


# --------------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------------


def test_cli_writes_the_page_atomically_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.txt"
    summary.write_text(FAITHFUL_ANADOLU, encoding="utf-8")
    out = tmp_path / "pages" / "verification.html"
    renames: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        renames.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr("summarizer._files.os.replace", replace)
    code = main(["verify", str(summary), "--source", str(ANADOLU), "--format", "html", "-o", str(out)])
    stdout, stderr = capsys.readouterr()
    assert code == 0, stderr
    assert stdout == ""
    # written beside the target under a temporary name, then renamed over it; nothing else left behind
    assert [(src.parent, dst) for src, dst in renames] == [(out.parent, out)] and renames[0][0] != out
    assert [p.name for p in out.parent.iterdir()] == ["verification.html"]
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<title>Verification against Anadolu Agency</title>" in page
    assert "✔ consistent" in page and "3 of 3 claims supported, 0 unsupported" in page


def test_cli_writes_the_page_of_an_inconsistent_summary_and_exits_6(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = tmp_path / "summary.txt"
    summary.write_text(WRONG_DATE, encoding="utf-8")
    out = tmp_path / "verification.html"
    code = main(["verify", str(summary), "--source", str(ANADOLU), "-f", "html", "-o", str(out)])
    assert code == 6, capsys.readouterr().err
    assert "✘ date check (S102) failed" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["json", "markdown", "text", "html"])
def test_verify_renders_in_every_format_the_cli_offers(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = tmp_path / "summary.txt"
    summary.write_text(FAITHFUL_ANADOLU, encoding="utf-8")
    assert main(["verify", str(summary), "--source", str(ANADOLU), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "Iranian President Hassan Rouhani said on June 24" in out


@pytest.mark.parametrize("command", ["summarize", "compare"])
def test_summarize_and_compare_render_every_format_offline(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = [str(ANADOLU)] if command == "summarize" else [str(ANADOLU), str(MEHR)]
    for fmt in ("json", "markdown", "text", "html"):
        target = tmp_path / f"out.{fmt}"
        code = main([command, *articles, "--engine", "offline", "--format", fmt, "-o", str(target)])
        assert code == 0, (fmt, capsys.readouterr().err)
        assert target.stat().st_size > 500


def test_combinations_that_cannot_work_are_refused_naming_the_choices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["summarize", str(ANADOLU), str(MEHR), "--engine", "offline", "--format", "html"])
    err = capsys.readouterr().err
    assert code == 2 and "one page per article" in err and "json, markdown or text" in err
    with pytest.raises(SystemExit) as exited:
        main(["verify", "-", "--source", str(ANADOLU), "--format", "pdf"])
    assert exited.value.code == 2
    assert "'json', 'markdown', 'text', 'html'" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------------


def test_policy_allows_exactly_the_inline_style_and_script_by_hash() -> None:
    page = to_html(seed_verification())
    styles = re.findall(r"<style>(.*?)</style>", page, flags=re.DOTALL)
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    assert len(styles) == 1 and len(scripts) == 1
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert found is not None
    policy = html.unescape(found.group(1))

    def digest(text: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()

    assert f"style-src '{digest(styles[0])}';" in policy
    assert f"script-src '{digest(scripts[0])}';" in policy
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@media print" in styles[0]


def test_every_claim_appears_with_its_verdict_in_words() -> None:
    result = seed_verification()
    page = render(result, "html")
    blocks = claim_blocks(page)
    assert len(blocks) == len(result.claims) == 3
    for claim, block in zip(result.claims, blocks, strict=True):
        assert html.escape(claim.text).replace("June 25", '<span class="tok">June 25</span>') in block
        word = "✔ supported" if claim.verdict == "supported" else "✘ unsupported"
        assert f'class="{"ok" if claim.verdict == "supported" else "bad"}">{word}</span>' in block
    assert [c.verdict for c in result.claims] == ["supported", "unsupported", "supported"]
    assert "✘ inconsistent</span></strong>: 2 of 3 claims supported, 1 unsupported." in page
    assert '<a href="#claim-2">claim 2</a> (date)' in page
    assert page.index('id="verdict"') < page.index('id="claims"') < page.index('id="provenance"')
    assert page.index('class="prov"') < page.index('<section class="sources"')


@pytest.mark.parametrize(
    ("edited", "coded", "token", "against"),
    [
        (WRONG_DATE, "date (S102)", "June 25", "said on June 24"),
        (
            FAITHFUL_ANADOLU.replace("Hassan Rouhani", "Ebrahim Raisi"),
            "entity (S103)",
            "Ebrahim Raisi",
            "Rouhani",
        ),
        (
            "Iran said 3 countries have come forward with the offer of mediation.",
            "number (S101)",
            "3",
            "many countries have come forward",
        ),
    ],
)
def test_an_unsupported_claim_shows_the_failed_check_its_token_and_evidence(
    edited: str, coded: str, token: str, against: str
) -> None:
    check, code = coded.split()
    result = seed_verification(edited)
    page = to_html(result)
    n = next(n for n, c in enumerate(result.claims, 1) if c.verdict == "unsupported")
    block = claim_blocks(page)[n - 1]
    assert f"decided by the {check} check" in block
    assert f'<span class="bad">✘ {check} check {code} failed</span> on <strong>“{token}”</strong>' in block
    checked = re.search(r'<span class="against">checked against “(.*?)”</span>', block)
    assert checked is not None and against in html.unescape(checked.group(1))
    assert f'<span class="tok">{token}</span>' in block  # marked inside the claim, too
    assert f'<strong>Failed checks by kind:</strong> <span class="bad">{check} 1</span>' in page
    assert 'class="finding claim unsupported"' in block


def test_the_judges_ruling_is_shown_beside_the_deterministic_result() -> None:
    answer = {"verdict": "unsupported", "reason": "the sentence says <Friday> & more", "sentence_ids": ["A1"]}
    result = Client(backend=FakeBackend([answer])).verify(
        "Iran has turned down an offer from Russia to mediate between Tehran and Washington.", [ANADOLU]
    )
    page = to_html(result)
    assert "deterministic checks, then a model as entailment judge" in page
    assert 'Deterministic checks: <span class="ok">✔ all passed</span>' in page
    assert 'Judge (model): <span class="bad">✘ unsupported</span>' in page
    assert "— the sentence says &lt;Friday&gt; &amp; more" in page


def test_hostile_summary_and_source_text_stay_text() -> None:
    page = to_html(hostile_verification())
    assert page.count("<script") == 1  # ours, at the end
    tags = parse(page).tags
    assert not {"img", "b"} & {tag for tag, _ in tags}
    assert not any(name.startswith("on") for _, attrs in tags for name in attrs)
    assert "&lt;script&gt;window.__pwned = true&lt;/script&gt; &amp; &quot;soon&quot;" in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert 'data-outlet="Herald&quot; onload=&quot;x()"' in page
    assert parse(page).columns == [HOSTILE_A]


@pytest.mark.parametrize("build", [seed_verification, hostile_verification])
def test_every_evidence_span_points_at_its_source_text(build: Callable[[], Verification]) -> None:
    result = build()
    texts = {s.id: s.text for s in result.sources}
    spans = _Spans()
    spans.feed(to_html(result))
    expected = [(e.source, e.start, e.end, e.text) for c in result.claims for e in c.evidence]
    assert spans.items == expected
    for source, start, end, text in spans.items:
        assert text == texts[source][start:end]
    assert spans.marks
    for source, start, end, text in spans.marks:
        assert text == texts[source][start:end]
    covered = {(s, i) for s, a, b, _ in spans.marks for i in range(a, b)}
    assert all((s, i) in covered for s, a, b, _ in spans.items for i in range(a, b))
