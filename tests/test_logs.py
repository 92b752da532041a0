"""The call log: every call (ok or not) is a row; `summarizer logs` filters and exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from summarizer import Client, document_from_text
from summarizer.cli import main
from summarizer.errors import BackendError
from summarizer.llm.calllog import CallLog, LoggingBackend, format_rows, logging_enabled
from summarizer.llm.openai_backend import OpenAIBackend
from summarizer.schemas import Usage
from summarizer.testing import FakeBackend
from tests.test_cache import TEXT, answer


def test_calls_are_logged_with_tokens_cost_and_templates(tmp_path: Path) -> None:
    backend = FakeBackend(
        [BackendError("HTTP 500", status=500), answer()],
        model="gpt-4o-mini",
        usage=Usage(input_tokens=100, output_tokens=50),
    )
    client = Client(backend=backend, call_log=True, log_dir=tmp_path, reasks=0)
    doc = document_from_text(TEXT, outlet="Daily")
    with pytest.raises(BackendError):
        client.summarize(doc)
    client.summarize(doc)
    rows = CallLog.default(tmp_path).query()[::-1]  # newest first
    assert [r["status"] for r in rows] == ["error", "ok"]
    assert rows[0]["http_status"] == 500 and "HTTP 500" in rows[0]["error"]
    ok = rows[1]
    assert (ok["input_tokens"], ok["output_tokens"], ok["attempt"]) == (100, 50, 1)
    assert ok["cost_usd"] == pytest.approx((100 * 0.15 + 50 * 0.60) / 1e6)
    assert ok["task"] == "SummaryDraft" and "summary/system.j2" in json.loads(ok["templates"])
    assert CallLog.default(tmp_path).query(status="error", limit=5) == rows[:1]
    assert CallLog.default(tmp_path).query(model="other") == []


def test_unknown_price_is_null_not_zero(tmp_path: Path) -> None:
    backend = FakeBackend([answer()], model="llama3.1", usage=Usage(input_tokens=10, output_tokens=5))
    summary = Client(backend=backend, call_log=True, log_dir=tmp_path).summarize(
        document_from_text(TEXT, outlet="Daily")
    )
    assert summary.provenance.cost_usd is None
    (row,) = CallLog.default(tmp_path).query()
    assert row["cost_usd"] is None
    assert "1 calls of unknown price" in format_rows([row], "table")


def test_cli_logs_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = CallLog.default(tmp_path)
    for i in range(3):
        log.add(
            time=f"2025-06-0{i + 1}T00:00:00+00:00",
            model="gpt-4o",
            latency_ms=5.0,
            status="ok",
            input_tokens=10,
            output_tokens=i,
            cost_usd=0.01,
        )
    assert main(["logs", "--log-dir", str(tmp_path), "-f", "csv", "--since", "2025-06-02"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["output_tokens"] for r in rows] == ["2", "1"]
    assert main(["logs", "--log-dir", str(tmp_path), "-n", "1", "-f", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["output_tokens"] == 2
    out = tmp_path / "calls.json"
    assert main(["logs", "--log-dir", str(tmp_path), "-f", "json", "-o", str(out)]) == 0
    assert len(json.loads(out.read_text())) == 3
    assert main(["logs", "--log-dir", str(tmp_path)]) == 0
    assert "3 calls, 0 errors, 0 cache hits, 33 tokens, $0.0300" in capsys.readouterr().out


def _three_calls(tmp_path: Path) -> None:
    log = CallLog.default(tmp_path)
    for i, task in enumerate(["SummaryDraft", "ComparisonDraft", "JudgeDraft"]):
        log.add(
            time=f"2025-06-0{i + 1}T10:00:00.000+00:00",
            task=task,
            model="gpt-4o-mini",
            latency_ms=1234.5,
            status="ok",
            input_tokens=1000 * (i + 1),
            output_tokens=5,
            cost_usd=0.0001,
        )


def test_logs_table_newest_first_aligned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _three_calls(tmp_path)
    assert main(["logs", "--log-dir", str(tmp_path), "--count", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("2025-06-03 10:00:00  verify") and lines[2].startswith("2025-06-02")
    assert len(lines) == 4  # header, 2 rows, total
    header, row = lines[0], lines[1]
    assert header.index("model") == row.index("gpt-4o-mini")  # aligned, no tabs
    assert "\t" not in "".join(lines)
    assert header.index("in") + 2 == row.index("3000") + 4  # numbers right-aligned under their header


@pytest.mark.parametrize(("task", "tokens"), [("summarize", 1000), ("compare", 2000), ("verify", 3000)])
def test_logs_task_takes_user_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], task: str, tokens: int
) -> None:
    _three_calls(tmp_path)
    assert main(["logs", "--log-dir", str(tmp_path), "--task", task, "-f", "jsonl"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["input_tokens"] == tokens


@pytest.mark.parametrize("since", ["garbage", "2025-13-01", "yesterday-ish"])
def test_logs_bad_since_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], since: str
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["logs", "--log-dir", str(tmp_path), "--since", since])
    assert exc.value.code == 2
    assert "ISO 8601" in capsys.readouterr().err


def test_logs_since_ages_and_offsets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _three_calls(tmp_path)
    assert main(["logs", "--log-dir", str(tmp_path), "--since", "2025-06-02T12:00+02:00", "-f", "jsonl"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2  # 10:00 UTC is 12:00 at +02:00: included
    assert main(["logs", "--log-dir", str(tmp_path), "--since", "7d", "-f", "jsonl"]) == 0
    assert capsys.readouterr().out == ""


def test_logs_path_off_and_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["logs", "path", "--log-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "calls.sqlite3")
    assert main(["logs", "off", "--log-dir", str(tmp_path)]) == 0
    assert not logging_enabled(tmp_path)
    assert isinstance(Client(replay=tmp_path, log_dir=tmp_path).backend, OpenAIBackend)  # not logged
    assert main(["logs", "on", "--log-dir", str(tmp_path)]) == 0
    assert logging_enabled(tmp_path)
    assert isinstance(Client(replay=tmp_path, log_dir=tmp_path).backend, LoggingBackend)
    monkeypatch.setenv("SUMMARIZER_LOGS", "off")
    assert not logging_enabled(tmp_path)
