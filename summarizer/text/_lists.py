"""Word lists shipped as package data (`summarizer/text/data/*.txt`), each file saying where it comes from.

A file is UTF-8 text: lines starting with `#` are its header (what the list is for, its source), every
other line holds words separated by white space, or for grouped lists (`groups`) groups separated by
` | `.
"""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def _lines(name: str) -> tuple[str, ...]:
    path = resources.files("summarizer.text").joinpath("data").joinpath(f"{name}.txt")
    text = path.read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@functools.cache
def wordlist(name: str) -> frozenset[str]:
    """Every word of the list `name` (e.g. `"stopwords"`)."""
    return frozenset(w for line in _lines(name) for w in line.split())


@functools.cache
def ordered(name: str) -> tuple[str, ...]:
    """Every word of the list `name` in file order, for lists whose order means something."""
    return tuple(w for line in _lines(name) for w in line.split())


@functools.cache
def groups(name: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """A grouped list: one tuple per line, of groups, each a tuple of words (or phrases, for `aliases`)."""
    return tuple(tuple(tuple(g.split()) for g in line.split(" | ")) for line in _lines(name))


@functools.cache
def table(name: str) -> dict[str, str]:
    """A keyed list (`key | word word_of_a_phrase …` a line) as word → key, in file order; "_" joins the
    words of a phrase."""
    return {w.replace("_", " "): key for (key,), words in groups(name) for w in words}


def source(name: str) -> str:
    """The header of a list: what it is for and where it comes from."""
    path = resources.files("summarizer.text").joinpath("data").joinpath(f"{name}.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line.lstrip("# ").rstrip() for line in lines if line.startswith("#"))
