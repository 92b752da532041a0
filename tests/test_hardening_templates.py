"""Issue 13 "Also" items on --prompts templates: errors while loading or rendering them are template
errors naming the file, and a template that does not show the article cannot pass an answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from summarizer import Client
from summarizer.cli import main
from summarizer.errors import TemplateError
from summarizer.testing import FakeBackend

ARTICLE = "The council met on Monday. The council approved the budget. The mayor thanked them.\n"


def answer(sid: str) -> dict[str, Any]:
    return {
        "headline": "The council approved the budget",
        "summary": "The council approved the budget.",
        "key_points": [{"text": "The council approved the budget.", "sentence_ids": [sid]}],
        "quotes": [],
        "entities": [],
        "dates": [],
        "caveats": [],
        "language": "en",
    }


def setup(tmp_path: Path, user: str | bytes) -> tuple[Path, Path]:
    prompts = tmp_path / "prompts" / "summary"
    prompts.mkdir(parents=True)
    target = prompts / "user.j2"
    if isinstance(user, bytes):
        target.write_bytes(user)
    else:
        target.write_text(user, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    return tmp_path / "prompts", article


def test_huge_range_in_a_sandboxed_template_is_a_template_error(tmp_path: Path) -> None:
    """Was: 'unexpected OverflowError'."""
    prompts, article = setup(tmp_path, '{% for i in range(10**9) %}x{% endfor %}{% include "_article.j2" %}')
    backend = FakeBackend([answer("A2")])
    with pytest.raises(TemplateError, match=r"summary/user\.j2: rendering failed: OverflowError"):
        Client(backend=backend, prompts=prompts).summarize(article)
    assert not backend.requests


def test_cli_exit_2_for_non_utf8_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Was: 'unexpected UnicodeDecodeError'."""
    prompts, article = setup(tmp_path, b"Summarise \xff\xfe this {% include '_article.j2' %}")
    replay = tmp_path / "replay"
    replay.mkdir()
    code = main(["summarize", str(article), "--prompts", str(prompts), "--replay", str(replay)])
    err = capsys.readouterr().err
    assert code == 2 and "unexpected" not in err
    assert f"{prompts / 'summary' / 'user.j2'}: not UTF-8 (byte 0xff at offset 10)" in err
    code = main(["prompts", "show", "summary/user.j2", "--prompts", str(prompts)])
    assert code == 2 and "not UTF-8" in capsys.readouterr().err


def test_template_that_drops_the_article_is_refused_before_any_call(tmp_path: Path) -> None:
    """Was: the model got an empty article and the run succeeded."""
    prompts, article = setup(tmp_path, "Summarise the article. Length: {{ length }}.")
    backend = FakeBackend([answer("A2")])
    with pytest.raises(TemplateError, match=r"shows no sentence id.*_article\.j2"):
        Client(backend=backend, prompts=prompts).summarize(article)
    assert not backend.requests


def test_answer_citing_a_sentence_the_prompt_did_not_show_is_reasked(tmp_path: Path) -> None:
    prompts, article = setup(
        tmp_path,
        '<article id="{{ doc.id }}">{% for s in doc.sentences[:2] %}\n[{{ s.id }}] {{ s.text }}{% endfor %}\n'
        "</article>",
    )
    backend = FakeBackend([answer("A3"), answer("A2")])
    summary = Client(backend=backend, prompts=prompts).summarize(article)
    assert len(backend.requests) == 2
    assert "sentence ids not in the prompt: A3" in str(backend.requests[1].messages[-1])
    assert summary.key_points[0].text == "The council approved the budget."
