"""Shell completion: a plain bash function written from the parser, completing as a user types."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from summarizer.cli import main

BASH = shutil.which("bash")


def complete(script: Path, *words: str) -> list[str]:
    """What Tab offers after `summarizer WORDS…` (the last word is the one being typed)."""
    line = " ".join(f"'{w}'" for w in words)
    program = f"source {script}; COMP_WORDS=(summarizer {line}); COMP_CWORD={len(words)}; _summarizer; "
    program += 'printf "%s\\n" "${COMPREPLY[@]}"'
    assert BASH is not None
    done = subprocess.run([BASH, "--norc", "-c", program], capture_output=True, text=True, check=True)
    return [w for w in done.stdout.splitlines() if w]


@pytest.fixture
def bash_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["completion", "bash"]) == 0
    path = tmp_path / "summarizer.bash"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    return path


@pytest.mark.skipif(BASH is None, reason="bash not found")
def test_bash_completes_commands_options_and_values(bash_script: Path) -> None:
    assert complete(bash_script, "comp") == ["compare", "completion"]
    assert complete(bash_script, "compare", "--out") == ["--outlet", "--output"]
    assert complete(bash_script, "compare", "--format", "") == ["json", "markdown", "text", "html"]
    assert complete(bash_script, "compare", "--only", "qu") == ["quotes"]
    assert complete(bash_script, "logs", "") == ["list", "path", "on", "off"]
    assert complete(bash_script, "logs", "--task", "s") == ["summarize"]
    assert complete(bash_script, "compare", "a.txt", "") == []  # file names: bash's default


def test_zsh_script_loads_bash_completion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "zsh"]) == 0
    out = capsys.readouterr().out
    assert "bashcompinit" in out and "complete -o default -o bashdefault -F _summarizer summarizer" in out


def test_completion_needs_a_known_shell(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["completion", "fish"])
    assert exc.value.code == 2 and "choose from 'bash', 'zsh'" in capsys.readouterr().err
