"""Article metadata from three places, lowest to highest precedence: front matter at the top of the
file, a `NAME.meta.json` sidecar next to it, and explicit values (CLI flags or the API's `metadata=`).

Each source is parsed and checked on its own so that an error names where the bad value came from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeAlias

from summarizer.errors import InputError

METADATA_KEYS = ("outlet", "title", "url", "published", "language", "author")
# Sidecar keys that are accepted and ignored: a free-text note, e.g. how a date was inferred.
_IGNORED_SIDECAR_KEYS = ("note",)
# Front matter written for static-site generators says `date`, not `published`.
_FRONT_MATTER_ALIASES = {"date": "published"}

Metadata: TypeAlias = dict[str, str | dt.date]
_Describe: TypeAlias = Callable[[str], str]  # names a key as its source spells it

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FENCE_RE = re.compile(r"---[ \t]*(?:\r\n|\n)")
_KEY_VALUE_RE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*))?")


def parse_published(value: object, origin: str, where: str) -> dt.date:
    """A date from `YYYY-MM-DD` or a full ISO datetime (whose date is kept)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if _DATE_RE.fullmatch(text):
                return dt.date.fromisoformat(text)
            if _DATE_RE.match(text) and text[10:11] in ("T", "t", " "):
                # Python 3.10 does not read a trailing `Z`.
                return dt.datetime.fromisoformat(re.sub(r"[Zz]$", "+00:00", text)).date()
        except ValueError:
            pass
    raise InputError(
        origin,
        f"{where}: published {value!r} is not a date; expected YYYY-MM-DD "
        "(a full ISO datetime such as 2020-09-04T10:30:00Z also works)",
    )


def split_front_matter(text: str, origin: str) -> tuple[Metadata, str]:
    """Metadata from a `---` fenced block of flat `key: value` lines at the very top, and the body after
    it (exactly as written, offsets start there). Anything that does not look like front matter, such as
    a Markdown rule, is left in the text. Keys other than the metadata keys are ignored: front matter
    often carries a site generator's own keys (layout, tags)."""
    fence = _FENCE_RE.match(text)
    if fence is None:
        return {}, text
    pairs: list[tuple[int, str, str]] = []
    pos, line_no = fence.end(), 1
    while pos < len(text):
        newline = text.find("\n", pos)
        end = len(text) if newline < 0 else newline + 1
        line, line_no = text[pos:end].rstrip("\r\n"), line_no + 1
        if line.rstrip() in ("---", "..."):
            return _front_matter_values(pairs, origin), text[end:]
        pair = _front_matter_line(line)
        if pair is None:
            return {}, text  # not front matter after all
        if pair:
            pairs.append((line_no, *pair))
        pos = end
    return {}, text  # never closed: not front matter


def _front_matter_line(line: str) -> tuple[str, str] | tuple[()] | None:
    """(key, value) for a `key: value` line, () for a line to skip, None for a line that is not YAML."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#") or line[0] in " \t" or stripped.startswith("- "):
        return ()  # blank, comment, or part of a nested value we do not read
    m = _KEY_VALUE_RE.fullmatch(line.rstrip())
    if m is None:
        return None
    return m.group(1).lower(), _unquote(m.group(2) or "")


def _front_matter_values(pairs: list[tuple[int, str, str]], origin: str) -> Metadata:
    meta: Metadata = {}
    for line_no, raw_key, value in pairs:
        key = _FRONT_MATTER_ALIASES.get(raw_key, raw_key)
        if key not in METADATA_KEYS or not value:
            continue
        where = f"front matter line {line_no}"
        meta[key] = parse_published(value, origin, where) if key == "published" else value
    return meta


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def sidecar_path(article: str) -> Path:
    """`dir/mehr.txt` → `dir/mehr.meta.json`; `dir/article` → `dir/article.meta.json`."""
    path = Path(article)
    return path.with_name(path.stem + ".meta.json")


def read_sidecar(article: str) -> Metadata:
    """Metadata from the article's sidecar JSON file, or {} when there is none."""
    path = sidecar_path(article)
    name = str(path)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise InputError(name, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except UnicodeDecodeError:
        raise InputError(name, "is not UTF-8; save the sidecar as UTF-8 JSON") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or exc}") from None
    if not isinstance(data, dict):
        raise InputError(name, f"must be a JSON object with keys {_key_list()}")
    return _checked(data, name, lambda key: f"key {key!r}", ignored=_IGNORED_SIDECAR_KEYS)


def explicit_metadata(metadata: Mapping[str, object] | None, origin: str) -> Metadata:
    """Metadata given by the caller: CLI flags or the API's `metadata=` mapping."""
    if not metadata:
        return {}
    return _checked(metadata, origin, lambda key: f"--{key}")


def _checked(
    data: Mapping[str, object],
    origin: str,
    describe: _Describe,
    ignored: tuple[str, ...] = (),
) -> Metadata:
    """Known keys with string values (dates for `published`); `None` and blank values are skipped."""
    meta: Metadata = {}
    for key, value in data.items():
        if key in ignored:
            continue
        if key not in METADATA_KEYS:
            raise InputError(origin, f"unknown metadata {describe(key)}; valid keys: {_key_list()}")
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key == "published":
            meta[key] = parse_published(value, origin, describe(key))
        elif isinstance(value, str):
            meta[key] = value.strip()
        else:
            raise InputError(origin, f"{describe(key)} must be a string, not {type(value).__name__}")
    return meta


def _key_list() -> str:
    return ", ".join(METADATA_KEYS)


def outlet_from_name(name: str) -> str:
    """A readable outlet name from a file name: `new_york-times.txt` → `new york times`."""
    stem = Path(name).stem
    words = re.sub(r"[_\-\s]+", " ", stem).strip()
    return words or stem or "unknown"
