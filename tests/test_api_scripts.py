"""The API for scripts: evidence with its sentences and outlets, explicit options, a warning on the
offline fallback, and the README's editorial script, run as written."""

from __future__ import annotations

import inspect
import json
import re
import shutil
import warnings
from pathlib import Path

import pytest

import summarizer
from summarizer import Client, Comparison, OfflineFallbackWarning, compare, summarize, verify
from summarizer.cli import main

ROOT = Path(__file__).resolve().parents[1]
ANADOLU, MEHR = ROOT / "fixtures/articles/anadolu.txt", ROOT / "fixtures/articles/mehr.txt"


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(var, raising=False)


def test_findings_give_their_sentences_and_outlets() -> None:
    comparison = compare([ANADOLU, MEHR], replay=ROOT / "fixtures/exchanges")
    assert comparison.source("B").outlet == "Mehr News Agency"
    (conflict,) = comparison.conflicts
    first, second = comparison.evidence(conflict)
    assert (first.outlet, first.text, first.sentence_ids) == ("Anadolu Agency", "Sergie Lavrov", ("A4",))
    assert first.sentence.startswith("Last week, Russian Foreign Minister Sergie Lavrov proposed")
    assert second.outlet == "Mehr News Agency" and "MGIMO University on Tuesday." in second.sentence
    assert [e.outlet for e in comparison.evidence(conflict.values[1])] == ["Mehr News Agency"]
    claim = comparison.claims[0]
    assert {e.source for e in comparison.evidence(claim)} == {"A", "B"}
    with pytest.raises(KeyError, match="its sources are A, B"):
        comparison.source("C")


def test_evidence_sentences_survive_json() -> None:
    comparison = compare([ANADOLU, MEHR], engine="offline")
    loaded = Comparison.model_validate_json(summarizer.render(comparison, "json"))
    ev = loaded.evidence(loaded.conflicts[0])[0]
    assert ev.sentence != ev.text and ev.text in ev.sentence
    summary = summarize(MEHR, engine="offline")
    point = summary.evidence(summary.quotes[0])[0]
    assert point.outlet == "Mehr News Agency" and point.text in point.sentence


def test_options_are_explicit_keywords_with_types_and_old_calls_still_work() -> None:
    for fn in (Client, summarize, compare, verify):
        params = inspect.signature(fn).parameters
        assert {"model", "base_url", "api_key", "replay", "backend"} <= set(params)
        assert params["model"].annotation in ("str | None", str | None)
        assert "settings" in params  # any other Settings field, as before
    assert "engine" in (Client.__doc__ or "") and "replay" in (compare.__doc__ or "")
    client = Client(**{"model": "m", "structured_output": "json_object", "reasks": 0})
    assert (client.settings.model, client.settings.structured_output, client.settings.reasks) == (
        "m",
        "json_object",
        0,
    )
    with pytest.raises(summarizer.ConfigError, match="unknown setting 'colour'"):
        Client(colour="red")


def test_the_offline_fallback_warns_with_a_category_users_can_filter(no_model: None) -> None:
    with pytest.warns(OfflineFallbackWarning, match="OPENAI_API_KEY"):
        summarize(MEHR)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        summarize(MEHR, engine="offline")  # asked for: no warning
        warnings.simplefilter("ignore", OfflineFallbackWarning)
        compare([ANADOLU, MEHR])  # filtered


def test_the_cli_gives_its_notice_not_the_warning(no_model: None, capsys: pytest.CaptureFixture[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["summarize", str(MEHR)]) == 0
    assert "the offline engine was used" in capsys.readouterr().err


def editorial_script() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- editorial-script:[^>]*-->\n```python\n(.*?)```", readme, re.S)
    assert found, "README.md lost its editorial script"
    return found.group(1)


def test_readme_editorial_script_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "stories" / "iran-russia"
    story.mkdir(parents=True)
    for path in (ROOT / "fixtures/articles").iterdir():
        shutil.copy(path, story)
    other = tmp_path / "stories" / "bridge"
    other.mkdir()
    (other / "daily.txt").write_text(
        "The bridge reopens on Friday. Mayor Jane Doe said so.", encoding="utf-8"
    )
    (other / "herald.txt").write_text(
        "The bridge reopens on Saturday. Mayor Jane Doe said so.", encoding="utf-8"
    )
    (other / "daily.meta.json").write_text(json.dumps({"outlet": "Daily", "published": "2024-05-01"}))
    monkeypatch.chdir(tmp_path)
    exec(compile(editorial_script(), "README.md", "exec"), {"__name__": "__main__"})
    out = capsys.readouterr().out
    assert "== iran-russia: 1 conflict(s)" in out and "== bridge:" in out
    assert "  Anadolu Agency says 'Sergie Lavrov' in A4: Last week, Russian Foreign Minister Sergie" in out
    assert "  Mehr News Agency says 'Sergei Lavrov' in B3: Vaezi was responding" in out
    pages = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert pages == ["bridge.html", "iran-russia.html"]
    assert "Mehr News Agency" in (tmp_path / "reports" / "iran-russia.html").read_text(encoding="utf-8")
