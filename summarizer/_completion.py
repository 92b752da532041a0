"""Shell completion written from the argument parser itself, so it never drifts from the CLI.

    eval "$(summarizer completion bash)"     # in ~/.bashrc
    eval "$(summarizer completion zsh)"      # in ~/.zshrc (through zsh's bashcompinit)

The script completes commands, each command's options, the values of options with fixed choices
(`--format`, `--engine`, `--only` …), positional choices (`logs path|on|off`), and file names
everywhere else. No package is needed at completion time: the script is plain shell.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Mapping, Sequence

_HEAD = """# summarizer completion for {shell}: eval "$(summarizer completion {shell})"
"""

_ZSH = """autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
"""

_FUNCTION = """_summarizer() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}" cmd="${{COMP_WORDS[1]}}"
    COMPREPLY=()
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=( $(compgen -W {commands} -- "$cur") )
        return
    fi
    local values=""
    case "$cmd $prev" in
{values}
    esac
    if [[ -n "$values" ]]; then
        COMPREPLY=( $(compgen -W "$values" -- "$cur") )
        return
    fi
    local options="" positional=""
    case "$cmd" in
{options}
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=( $(compgen -W "$options" -- "$cur") )
    elif [[ -n "$positional" ]]; then
        COMPREPLY=( $(compgen -W "$positional" -- "$cur") )
    fi
}}
complete -o default -o bashdefault -F _summarizer summarizer
"""


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps no public list of subparsers
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _words(items: list[str]) -> str:
    return shlex.quote(" ".join(items))


def script(parser: argparse.ArgumentParser, shell: str, hints: Mapping[str, Sequence[str]] = {}) -> str:
    """The completion script for `shell` (`bash` or `zsh`); `hints` gives values for options without
    fixed choices, by destination (`only` → the section names)."""
    commands = _subcommands(parser)
    top = [*commands, "--help", "--version"]
    values: list[str] = []
    options: list[str] = []
    for name, sub in commands.items():
        flags: list[str] = []
        positional: list[str] = []
        for action in sub._actions:
            if action.option_strings:
                flags += action.option_strings
                choices = [str(c) for c in action.choices or hints.get(action.dest, ())]
                if choices:
                    pattern = "|".join(shlex.quote(f"{name} {flag}") for flag in action.option_strings)
                    values.append(f"        {pattern}) values={_words(choices)} ;;")
            elif action.choices:
                positional += [str(c) for c in action.choices]
        options.append(
            f"        {shlex.quote(name)}) options={_words(flags)}; positional={_words(positional)} ;;"
        )
    body = _FUNCTION.format(commands=_words(top), values="\n".join(values), options="\n".join(options))
    return _HEAD.format(shell=shell) + (_ZSH if shell == "zsh" else "") + body
