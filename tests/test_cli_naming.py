"""`compare` names its outlets from the command line; sidecars in a glob are metadata, not articles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from summarizer.cli import main

ROOT = Path(__file__).resolve().parents[1]
TEXTS = {
    "a.txt": "The council met on Monday. It approved the budget of $2 million.",
    "b.txt": "The council met on Tuesday. It approved a budget of $2 million.",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, text in TEXTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_compare_help_shows_how_to_name_outlets(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["compare", "--help"])
    out = capsys.readouterr().out
    assert '--outlet "Anadolu Agency" --outlet "Mehr News Agency"' in out
    assert "--published 2020-09-07 --published 2020-09-04" in out and "meta.json" in out


def test_outlets_and_dates_in_input_order(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compare", str(folder / "a.txt"), str(folder / "b.txt"), "--engine", "offline", "-f", "json"]
    names = ["--outlet", "Daily News", "--outlet", "The Herald", "--published", "2024-05-01"]
    assert main([*args, *names, "--published", "2024-05-02"]) == 0
    sources = json.loads(capsys.readouterr().out)["sources"]
    assert [(s["id"], s["outlet"], s["published"]) for s in sources] == [
        ("A", "Daily News", "2024-05-01"),
        ("B", "The Herald", "2024-05-02"),
    ]


def test_a_flag_given_for_some_articles_only_is_a_usage_error(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["compare", str(folder / "a.txt"), str(folder / "b.txt"), "--outlet", "Daily News"])
    assert code == 2
    assert (
        "--outlet was given 1 time(s) for 2 article(s): give it once per article" in capsys.readouterr().err
    )


def test_a_glob_never_takes_sidecars_for_articles(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "a.meta.json").write_text(json.dumps({"outlet": "Daily News"}), encoding="utf-8")
    (folder / "c.meta.json").write_text(json.dumps({"outlet": "Nobody"}), encoding="utf-8")
    paths = sorted(str(p) for p in folder.iterdir())  # what the shell makes of folder/*
    assert main(["compare", *paths, "--engine", "offline", "-f", "json"]) == 0
    captured = capsys.readouterr()
    sources = json.loads(captured.out)["sources"]
    assert [s["outlet"] for s in sources] == ["Daily News", "b"]
    assert "skipped" in captured.err and "c.meta.json" in captured.err  # no article of that name


def test_seed_folder_glob(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for path in (ROOT / "fixtures/articles").iterdir():
        shutil.copy(path, tmp_path)
    assert main(["compare", *sorted(str(p) for p in tmp_path.iterdir()), "--engine", "offline"]) == 0
    out = capsys.readouterr().out
    assert "A       Anadolu Agency    2020-09-07" in out and "B       Mehr News Agency  2020-09-04" in out


def test_batch_globs_skip_sidecars_too(folder: Path) -> None:
    from summarizer.batch import iter_items

    (folder / "a.meta.json").write_text(json.dumps({"outlet": "Daily News"}), encoding="utf-8")
    shell = sorted(str(p) for p in folder.iterdir())  # batch folder/* as the shell expands it
    assert [i.id for i in iter_items(shell)] == [str(folder / "a.txt"), str(folder / "b.txt")]
    pattern = [str(folder / "*")]  # batch 'folder/*' expanded by batch itself
    (item,) = list(iter_items(pattern, task="compare"))
    assert [Path(s).name for s in item.sources] == ["a.txt", "b.txt"]  # type: ignore[arg-type]
