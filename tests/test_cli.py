"""The command line, called in-process: outputs, exit codes and messages."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from summarizer.cli import main
from summarizer.schemas import Comparison, Summary

ROOT = Path(__file__).resolve().parent.parent
ANADOLU = str(ROOT / "fixtures" / "articles" / "anadolu.txt")
MEHR = str(ROOT / "fixtures" / "articles" / "mehr.txt")
REPLAY = ["--replay", str(ROOT / "fixtures" / "exchanges")]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_compare_json_validates_against_the_printed_schema(capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    code, out, _ = run(capsys, "compare", ANADOLU, MEHR, *REPLAY, "--format", "json")
    assert code == 0
    code, schema_text, _ = run(capsys, "schema", "comparison")
    assert code == 0
    jsonschema.validate(json.loads(out), json.loads(schema_text))
    comparison = Comparison.model_validate_json(out)
    texts = {s.id: s.text for s in comparison.sources}
    for variant in comparison.quote_variants:
        for w in variant.wordings:
            for span in w.evidence:
                assert texts[span.source][span.start : span.end] == span.text


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_compare_renders_readable_reports(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = run(capsys, "compare", ANADOLU, MEHR, *REPLAY, "--format", fmt)
    assert code == 0
    for word in ("Sergie", "Sergei", "Vaezi", "Khatibzadeh", "MGIMO", "omits"):
        assert word in out, word
    assert "\x1b[" not in out  # not a terminal: no colour codes


def test_summarize_writes_atomically_to_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "out" / "summary.json"
    code, out, _ = run(capsys, "summarize", ANADOLU, *REPLAY, "--format", "json", "-o", str(target))
    assert code == 0 and out == ""
    summary = Summary.model_validate_json(target.read_text(encoding="utf-8"))
    assert summary.source.outlet == "Anadolu Agency"
    assert [p.name for p in target.parent.iterdir()] == ["summary.json"]


def test_summarize_several_articles_gives_a_json_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "summarize", ANADOLU, MEHR, *REPLAY, "--format", "json")
    assert code == 0
    assert [Summary.model_validate(s).source.outlet for s in json.loads(out)] == [
        "Anadolu Agency",
        "Mehr News Agency",
    ]


def test_missing_file_exits_3_and_names_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    code, _, err = run(capsys, "summarize", missing, *REPLAY)
    assert code == 3 and "nope.txt" in err


def test_no_model_configured_names_each_way_forward(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(var, raising=False)
    code, _, err = run(capsys, "summarize", ANADOLU, "--engine", "llm")
    assert code == 2
    for way in ("OPENAI_API_KEY", "--base-url", "--replay"):
        assert way in err, way


def test_no_model_configured_runs_offline_with_a_notice(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(var, raising=False)
    code, out, err = run(capsys, "summarize", ANADOLU, "--format", "json")
    assert code == 0
    assert Summary.model_validate_json(out).provenance.engine == "offline"
    notice = err.strip().splitlines()
    assert len(notice) == 1 and "offline engine" in notice[0]
    for way in ("OPENAI_API_KEY", "--base-url", "--replay"):
        assert way in notice[0], way
    code, _, err = run(capsys, "summarize", ANADOLU, "--engine", "offline", "--format", "json")
    assert code == 0 and err == ""


def test_replay_miss_exits_4_and_says_how_to_fix(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "summarize", ANADOLU, *REPLAY, "--length", "short")
    assert code == 4
    assert "closest" in err.lower() and "make_exchanges.py" in err


def test_prompts_list_and_show(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "prompts", "list")
    assert code == 0 and "summary/system.j2" in out and "comparison/user.j2" in out
    code, out, _ = run(capsys, "prompts", "show", "summary/system.j2")
    assert code == 0 and "Editorial rules" not in out and "_rules.j2" in out
    (tmp_path / "summary").mkdir()
    (tmp_path / "summary" / "system.j2").write_text("Be brief.", encoding="utf-8")
    code, out, _ = run(capsys, "prompts", "list", "--prompts", str(tmp_path))
    assert code == 0 and "summary/system.j2\tuser:" in out


def test_schema_summary_is_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "summary")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "Summary" and "key_points" in schema["properties"]
    assert schema["$defs"]["Span"]["properties"]["start"]["type"] == "integer"


def test_bad_template_in_overlay_names_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "summary").mkdir()
    (tmp_path / "summary" / "system.j2").write_text("line one\n{% if %}\n", encoding="utf-8")
    code, _, err = run(capsys, "summarize", ANADOLU, *REPLAY, "--prompts", str(tmp_path))
    assert code == 2 and "system.j2:2" in err


def test_sandbox_blocks_unsafe_template(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "summary").mkdir()
    (tmp_path / "summary" / "system.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}", "utf-8")
    code, _, err = run(capsys, "summarize", ANADOLU, *REPLAY, "--prompts", str(tmp_path))
    assert code == 2 and "summary/system.j2" in err


def test_output_files_get_ordinary_permissions(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import os

    target = tmp_path / "report.md"
    assert run(capsys, "summarize", ANADOLU, *REPLAY, "--format", "markdown", "-o", str(target))[0] == 0
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not the 0600 of a temporary file
    target.chmod(0o640)
    run(capsys, "summarize", ANADOLU, *REPLAY, "--format", "markdown", "-o", str(target))
    assert target.stat().st_mode & 0o777 == 0o640  # an existing file keeps its mode


def test_a_reader_that_closes_the_pipe_early_gets_no_error() -> None:
    """`summarizer rules | head`: the closed pipe is not reported as an unexpected error."""
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "summarizer", "rules"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141
    assert err == ""
