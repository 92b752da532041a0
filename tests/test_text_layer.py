"""Every word list and tokeniser regex of `summarizer/` is defined in `summarizer.text`, nowhere else.

The scan reads the source (AST) of every module outside `summarizer/text/`:

- a word list: a module-level assignment whose value holds more than 8 words: strings a call splits
  (`frozenset("a b c".split())`, `words_set("a b c")`) or short phrases in a literal collection
  (`{"said", "says", …}`);
- a tokeniser regex: `re.compile` of a constant pattern that repeats a class of word characters
  (`\\w+`, `\\S+`, `[^\\W\\d_]+`, `[a-z]*` …) and holds no literal letters, so it matches words in
  general rather than some fixed words.

What the scan flags but is no word list or tokeniser of text (keys of a format, labels of a report,
option names) is named in `ALLOWED` with the reason. Anything new belongs in `summarizer/text/` (a data
file saying where it comes from, or a named regex in `_tokens.py`), or in `ALLOWED` with a reason a
reviewer can judge.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

from summarizer.text import wordlist

PACKAGE = Path(__file__).resolve().parents[1] / "summarizer"

_FIELDS = "names of fields, keys or options, not words of a text"
_LABELS = "labels and section names a report prints, not words of a text"
_DATELINE = "a dateline (`TEHRAN (Reuters) -`), not words"
ALLOWED: dict[str, str] = {
    # `module.NAME` for a word list, `module:/pattern/` for a regex
    "summarizer.analysis.dates._PATTERNS": "the names of the date patterns (`iso`, `mdy`, …)",
    "summarizer.documents.decoding.MAGIC": "file types named in an error message (`gzip-compressed data`)",
    "summarizer.documents.language._SCRIPTS": "Unicode character-name prefixes (`HIRAGANA`) and codes",
    "summarizer.documents.language.LANGUAGE_NAMES": "display names of language codes for reports",
    "summarizer.documents.web._ALIASES": _FIELDS,
    "summarizer.llm.calllog.COLUMNS": _FIELDS,
    "summarizer.render._comparison.VERBS": _LABELS,
    "summarizer.render._html_verification.DECIDED": _LABELS,
    "summarizer.render._view.SECTIONS": _LABELS,
    "summarizer.render._view.ALIASES": _LABELS,
    "summarizer.verify._SIGNALS": "phrases a learned verdict's reason prints for its features, not words",
    "summarizer.documents.metadata:/([A-Za-z_][\\w-]*)[ \\t]*:(?:[ \\t]+(.*))?/": "a front-matter key",
    "summarizer.render._view:/[^\\w\\s]+/": "runs of punctuation, not words",
    "summarizer.offline:/^[A-Z][A-Z.,' ]+(?:\\([^)]*\\))?\\s*[-–—]+\\s+/": _DATELINE,
}

_WORDISH = re.compile(r"[A-Za-z][A-Za-z'’.\-]*")
_LETTER_CLASS = r"\\w|\\S|\[\^\\W|[a-z]-[a-z]|[A-Z]-[A-Z]"
_SPLITTERS = frozenset({"split", "words_set", "_words", "_forms", "frozenset", "set", "tuple", "list"})
"""Calls whose string argument is a list of words separated by white space."""
_PHRASE_WORDS = 6
"""An element of a literal collection with more words than this is a message, not a list item."""
_NOT_LISTS = frozenset({"__all__", "_EXPORTS"})
"""Names of exported objects."""


def _words(value: ast.expr) -> list[str]:
    """The words `value` lists: strings a splitter splits, and short phrases held in a collection."""
    out: list[str] = []
    for node in ast.walk(value):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in _SPLITTERS:
                strings = [func.value] if isinstance(func, ast.Attribute) else node.args
                for arg in strings:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        out += [w for w in arg.value.split() if _WORDISH.fullmatch(w)]
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "Literal":
            return []  # a type: the values a field may take
        elif isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict):
            items = [*node.keys, *node.values] if isinstance(node, ast.Dict) else node.elts
            for item in items:
                if isinstance(item, ast.Constant) and isinstance(item.value, str):
                    phrase = item.value.split()
                    if 0 < len(phrase) <= _PHRASE_WORDS and all(_WORDISH.fullmatch(w) for w in phrase):
                        out += phrase
    return out


def _is_word_pattern(pattern: str) -> bool:
    """A pattern that matches words in general: a repeated class of word characters, no literal letters."""
    if not re.search(rf"(?:{_LETTER_CLASS})[^+*]{{0,12}}?[+*]", pattern):
        return False
    bare = re.sub(r"\[(?:\\.|[^\]])*\]", "", pattern)  # character classes
    bare = re.sub(r"\\.", "", bare)  # escapes
    bare = re.sub(r"\(\?(?:[:=!]|<[=!]|P<\w+>)", "", bare)  # group syntax
    return not re.search(r"[A-Za-z0-9]", bare)


@functools.cache
def _strays(package: Path = PACKAGE) -> dict[str, str]:
    """`module.NAME` or `module:/pattern/` → what was found, for every module outside `text/`."""
    found: dict[str, str] = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        if rel.startswith("summarizer/text/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = rel.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
        for node in tree.body:  # word lists: module-level assignments
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                name = ",".join(ast.unparse(t) for t in targets)
                words = _words(node.value)
                if len(words) > 8 and name not in _NOT_LISTS:
                    found[f"{module}.{name}"] = f"word list of {len(words)} words: {' '.join(words[:6])} …"
        for node in ast.walk(tree):  # tokenisers: any `re.compile`
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "compile"
                and ast.unparse(node.func) == "re.compile"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and _is_word_pattern(node.args[0].value)
            ):
                found[f"{module}:/{node.args[0].value}/"] = f"tokeniser regex (line {node.lineno})"
    return found


def test_no_word_list_or_tokeniser_is_defined_outside_the_text_layer() -> None:
    strays = {k: v for k, v in _strays().items() if k not in ALLOWED}
    listed = "\n".join(f"{k}: {v}" for k, v in strays.items())
    assert not strays, f"define these in summarizer/text (or name them in ALLOWED with a reason):\n{listed}"


def test_every_allowed_exception_still_exists() -> None:
    assert not set(ALLOWED) - set(_strays()), "no longer found: drop these from ALLOWED"


def test_the_scan_finds_a_stray_list_and_a_stray_tokeniser(tmp_path: Path) -> None:
    module = tmp_path / "summarizer" / "analysis" / "titles.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "import re\n"
        'TITLES = frozenset("mr mrs ms dr prof gen col maj capt sgt".split())\n'
        'SAID = {"said", "says", "told", "tells", "stated", "added", "noted", "wrote", "asked"}\n'
        'SHORT = {"said", "says"}\n'
        'MESSAGE = ("no model endpoint configured: set SUMMARIZER_BASE_URL or pass --base-url",)\n'
        'W = re.compile(r"[^\\W\\d_]+(?:[\'’][^\\W\\d_]+)*")\n'
        'FIXED = re.compile(r"\\baccording to\\b")\n',
        encoding="utf-8",
    )
    assert set(_strays(tmp_path / "summarizer")) == {
        "summarizer.analysis.titles.TITLES",
        "summarizer.analysis.titles.SAID",
        "summarizer.analysis.titles:/[^\\W\\d_]+(?:['’][^\\W\\d_]+)*/",
    }
    assert _is_word_pattern(r"\S+") and _is_word_pattern(r"[\w-]+")
    assert not _is_word_pattern(r"\d{4}-\d{2}-\d{2}")


def test_no_two_word_lists_are_the_same_list() -> None:
    """Two data files holding the same words are one list: merge them (and name the users)."""
    data = PACKAGE / "text" / "data"
    seen: dict[frozenset[str], str] = {}
    for path in sorted(data.glob("*.txt")):
        words = wordlist(path.stem)
        assert words not in seen, f"{path.name} holds the same words as {seen[words]}.txt: merge them"
        seen[words] = path.stem
