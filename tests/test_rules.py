"""The rules registry, `summarizer rules`, and switching rules with --select / --ignore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import summarizer.pipeline  # noqa: F401  (registers every rule)
from summarizer import verify
from summarizer.cli import main
from summarizer.errors import ConfigError
from summarizer.grounding import Evidence, support_issues
from summarizer.rules import ALL, all_rules, selection

SOURCE = "The minister attended the summit in Geneva on Monday. Talks on trade continued."
NEGATED = "The minister did not attend the summit in Geneva."
"""A summary that only the negation check (S104) flags."""


def _files(tmp_path: Path) -> tuple[Path, Path]:
    summary, source = tmp_path / "summary.txt", tmp_path / "source.txt"
    summary.write_text(NEGATED, encoding="utf-8")
    source.write_text(SOURCE, encoding="utf-8")
    return summary, source


def test_every_support_check_is_a_rule_with_a_unique_code() -> None:
    rules = all_rules()
    codes = [r.code for r in rules]
    assert len(codes) == len(set(codes))
    names = {r.name for r in rules if r.kind == "check"}
    assert {"number", "date", "entity", "negation", "antonym", "attribute", "similarity"} <= names
    assert all(r.description and r.code[0].isalpha() and r.code[1:].isdigit() for r in rules)


def test_the_rules_command_lists_codes_kinds_and_descriptions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    text = capsys.readouterr().out
    assert "S104\tcheck\tnegation\t" in text
    assert main(["rules", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"code": "S104", "name": "negation", "kind": "check"}.items() <= next(
        r for r in rows if r["code"] == "S104"
    ).items()
    assert [r["code"] for r in rows] == sorted(r["code"] for r in rows)


def test_ignoring_the_negation_check_changes_the_verdict_it_alone_decides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary, source = _files(tmp_path)
    assert main(["verify", str(summary), "--source", str(source), "-f", "json"]) == 6
    flagged = json.loads(capsys.readouterr().out)
    assert [(i["check"], i["code"]) for i in flagged["claims"][0]["checks"]] == [("negation", "S104")]
    assert main(["verify", str(summary), "--source", str(source), "--ignore", "S104", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "consistent"


def test_the_text_rendering_names_the_code_to_ignore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary, source = _files(tmp_path)
    main(["verify", str(summary), "--source", str(source)])
    assert "negation check (S104) failed" in capsys.readouterr().out


def test_the_python_api_takes_select_and_ignore(tmp_path: Path) -> None:
    _, source = _files(tmp_path)
    assert verify(NEGATED, [source]).verdict == "inconsistent"
    assert verify(NEGATED, [source], ignore="S104").verdict == "consistent"
    assert verify(NEGATED, [source], select=["S101", "S102"]).verdict == "consistent"
    assert verify(NEGATED, [source], select="S1").verdict == "inconsistent"  # a prefix selects S1xx


def test_an_unknown_code_is_refused_with_the_command_that_lists_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary, source = _files(tmp_path)
    assert main(["verify", str(summary), "--source", str(source), "--ignore", "S999"]) == 2
    err = capsys.readouterr().err
    assert "--ignore: unknown rule code S999" in err and "summarizer rules" in err
    with pytest.raises(ConfigError, match="cannot be switched off"):
        selection(ignore="S201")


def test_selection_by_code_and_prefix() -> None:
    assert selection() is ALL
    chosen = selection(select="S1", ignore="S104,s105")
    assert chosen.enabled("S101") and not chosen.enabled("S104") and not chosen.enabled("S105")
    assert not chosen.enabled("V101")


def test_an_ignored_check_reports_nothing_and_the_others_still_run() -> None:
    evidence = Evidence(("Sales rose 5% in Paris.",))
    claim = "Sales did not rise 7% in Lyon."
    every = {i.check for i in support_issues(claim, evidence)}
    assert {"number", "entity", "negation"} <= every
    rest = {i.check for i in support_issues(claim, evidence, selection(ignore="S101,S103"))}
    assert rest == every - {"number", "entity"}


MAYOR_A = (
    "Mayor Katarzyna Wojcik said on Monday that the city would open a new library in March.\n"
    '"We need more places for children to read," Wojcik told reporters at city hall.\n'
)
MAYOR_B = MAYOR_A.replace("Wojcik", "Wojcick")


def _offline_conflicts(tmp_path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> list[str]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(MAYOR_A, encoding="utf-8")
    b.write_text(MAYOR_B, encoding="utf-8")
    capsys.readouterr()
    assert main(["compare", "--engine", "offline", "-f", "json", *flags, str(a), str(b)]) == 0
    return [str(c["kind"]) for c in json.loads(capsys.readouterr().out)["conflicts"]]


def test_ignoring_a_detector_drops_its_findings_from_compare(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _offline_conflicts(tmp_path, capsys) == ["name"]  # D103: Wojcik / Wojcick
    assert _offline_conflicts(tmp_path, capsys, "--ignore", "D103") == []
    assert _offline_conflicts(tmp_path, capsys, "--select", "D103") == ["name"]
    assert _offline_conflicts(tmp_path, capsys, "--select", "D104") == []


def test_findings_of_a_detector_carry_its_code_in_json_and_renderings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(MAYOR_A, encoding="utf-8")
    b.write_text(MAYOR_B, encoding="utf-8")
    capsys.readouterr()
    assert main(["compare", "--engine", "offline", "-f", "json", str(a), str(b)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [c["rule"] for c in report["conflicts"]] == ["D103"]
    assert all(cl["rule"] is None for cl in report["claims"])  # shared statements: no detector
    for fmt in ("text", "markdown", "html"):
        assert main(["compare", "--engine", "offline", "-f", fmt, str(a), str(b)]) == 0
        assert "(D103)" in capsys.readouterr().out, fmt


def test_a_model_finding_has_no_rule_code() -> None:
    from summarizer.schemas import Conflict

    conflict = Conflict(kind="fact", description="x", values=[])
    assert conflict.rule is None
    assert "rule" in Conflict.model_json_schema()["properties"]


def test_docs_rules_lists_every_code_as_the_rules_command_prints_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = (Path(__file__).parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    listed = doc.split("## The codes", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    capsys.readouterr()
    assert main(["rules"]) == 0
    assert listed == capsys.readouterr().out, "docs/rules.md: paste the output of `summarizer rules`"
