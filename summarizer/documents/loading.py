"""Loading articles from files and standard input into `Document`s.

Bytes are read (never text mode, so line endings stay as written), checked (size, binary), decoded
(UTF-8, UTF-16/32 with a byte-order mark, then Windows-1252), stripped of front matter, and segmented.
Every failure is an `InputError` that names the file and says what to do.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import stat
import sys
import urllib.parse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from summarizer.documents.decoding import decode_bytes as _decode
from summarizer.documents.language import detect_language
from summarizer.documents.metadata import (
    METADATA_KEYS,
    Metadata,
    _checked,
    explicit_metadata,
    outlet_from_name,
    parse_published,
    read_sidecar,
    split_front_matter,
)
from summarizer.documents.segment import segment, source_ids
from summarizer.documents.web import (
    DEFAULT_FETCH_TIMEOUT,
    HTML_EXTENSIONS,
    JSON_EXTENSIONS,
    Record,
    extract_html,
    is_html,
    is_records,
    is_url,
    page_from_url,
    read_records,
)
from summarizer.errors import InputError
from summarizer.schemas import Document

DEFAULT_MAX_BYTES = 5_000_000
SUPPORTED_EXTENSIONS = (".txt", ".md", ".markdown", ".text", *HTML_EXTENSIONS, *JSON_EXTENSIONS)
STDIN = "-"

log = logging.getLogger(__name__)


def load_document(
    path: str | os.PathLike[str],
    *,
    source_id: str = "A",
    metadata: Mapping[str, object] | None = None,
    stdin: TextIO | BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fetch_timeout: float = DEFAULT_FETCH_TIMEOUT,
) -> Document:
    """Load one article from a `.txt`/`.md`/`.html`/`.json` file, an `http(s)://` URL, or standard
    input when `path` is `-`.

    Metadata: what the input declares (front matter, an HTML page's metadata, a JSON record's fields)
    < `NAME.meta.json` sidecar < `metadata`. The text of a text file is its text after any front matter,
    exactly; sentence offsets refer to it. The language is detected when no source gives it.
    """
    name = os.fspath(path)
    if is_url(name):
        page = page_from_url(name, timeout=fetch_timeout, max_bytes=max_bytes)
        meta = {**_declared(page.metadata, name), **explicit_metadata(metadata, name)}
        return _document(page.text, source_id, meta, _host(name), origin=name)
    if is_records(name):
        records = _read_records(name, max_bytes)
        if len(records) > 1:
            raise InputError(
                name, f"holds {len(records)} articles; load it with load_documents (each becomes a source)"
            )
        return _from_record(records[0], source_id, metadata)
    if name == STDIN:
        raw, default_outlet = _read_stream(stdin, max_bytes), "stdin"
    else:
        _check_extension(name)
        raw, default_outlet = _read_file(name, max_bytes), outlet_from_name(name)
    if is_html(name):
        page = extract_html(_decode(raw, name), name)
        meta = {**_declared(page.metadata, name), **read_sidecar(name), **explicit_metadata(metadata, name)}
        return _document(page.text, source_id, meta, default_outlet, origin=name)
    front, body = split_front_matter(_decode(raw, name), name)
    if not body.strip():
        what = "has front matter but no article text" if front else "contains only whitespace"
        raise InputError(name, f"{what}; give the article's text")
    sidecar = {} if name == STDIN else read_sidecar(name)
    meta = {**front, **sidecar, **explicit_metadata(metadata, name)}
    return _document(body, source_id, meta, default_outlet, origin=name)


def load_documents(
    paths: Sequence[str | os.PathLike[str]],
    *,
    metadata: Mapping[str, object] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: TextIO | BinaryIO | None = None,
    fetch_timeout: float = DEFAULT_FETCH_TIMEOUT,
) -> list[Document]:
    """Load several articles with source ids A, B, …; `-` (standard input) may appear once.

    A `.jsonl` file (or a `.json` list) stands for as many articles as it holds records, in order.
    """
    names = [os.fspath(p) for p in paths]
    if not names:
        raise InputError(STDIN, "no article given; name a .txt or .md file, or - for standard input")
    if names.count(STDIN) > 1:
        raise InputError(STDIN, "standard input can be read only once; give - a single time")
    units: list[str | Record] = []
    for name in names:
        units += _read_records(name, max_bytes) if is_records(name) else [name]
    if metadata and len(units) > 1:
        flags = " ".join(f"--{key}" for key in metadata)
        raise InputError(
            flags,
            f"metadata flags apply to a single article, but {len(units)} were given; for several, "
            "put each article's metadata in a NAME.meta.json file next to it (or in front matter)",
        )
    return [
        _from_record(unit, sid, metadata)
        if isinstance(unit, Record)
        else load_document(
            unit,
            source_id=sid,
            metadata=metadata,
            stdin=stdin,
            max_bytes=max_bytes,
            fetch_timeout=fetch_timeout,
        )
        for sid, unit in zip(source_ids(len(units)), units)
    ]


def _read_records(name: str, max_bytes: int) -> list[Record]:
    return read_records(name, _decode(_read_file(name, max_bytes), name))


def _from_record(rec: Record, source_id: str, metadata: Mapping[str, object] | None) -> Document:
    fields = _checked(rec.metadata, rec.origin, lambda key: f"field {key!r}")
    meta = {**fields, **explicit_metadata(metadata, rec.origin)}
    default_outlet = outlet_from_name(re.sub(r"(:\d+|\[\d+\])$", "", rec.origin))
    return _document(rec.text, source_id, meta, default_outlet, origin=rec.origin)


def _declared(page: Mapping[str, str], origin: str) -> Metadata:
    """Metadata a web page declares; a date it gives in a form we cannot read is dropped, not fatal."""
    meta: Metadata = {}
    for key, value in page.items():
        if key == "published":
            try:
                meta[key] = parse_published(value, origin, "the page's date")
            except InputError:
                log.info("%s: ignoring unreadable page date %r", origin, value)
        elif key in METADATA_KEYS:
            meta[key] = value
    return meta


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).hostname or url


def document_from_text(
    text: str,
    *,
    source_id: str = "A",
    outlet: str = "text",
    title: str | None = None,
    url: str | None = None,
    published: dt.date | str | None = None,
    language: str | None = None,
    origin: str = "<text>",
) -> Document:
    """A document from a string held by the caller; the text is taken exactly (no front matter)."""
    if not text.strip():
        raise InputError(origin, "is empty; give the article's text")
    given = {"outlet": outlet, "title": title, "url": url, "language": language}
    meta: Metadata = {k: v for k, v in given.items() if v}
    if published is not None:
        meta["published"] = parse_published(published, origin, "published=")
    return _document(text, source_id, meta, "text", origin=origin)


def _document(text: str, source_id: str, meta: Metadata, default_outlet: str, *, origin: str) -> Document:
    published = meta.get("published")
    return Document(
        id=source_id,
        outlet=_text_field(meta, "outlet") or default_outlet,
        title=_text_field(meta, "title"),
        url=_text_field(meta, "url"),
        published=published if isinstance(published, dt.date) else None,
        language=_text_field(meta, "language") or detect_language(text),
        author=_text_field(meta, "author"),
        origin=origin,
        text=text,
        sentences=segment(text, source_id),
    )


def _text_field(meta: Metadata, key: str) -> str | None:
    value = meta.get(key)
    return value.strip() or None if isinstance(value, str) else None


# --------------------------------------------------------------------------------------------------
# Reading and decoding
# --------------------------------------------------------------------------------------------------


def _check_extension(name: str) -> None:
    suffix = Path(name).suffix.lower()
    if suffix and suffix not in SUPPORTED_EXTENSIONS:
        raise InputError(
            name,
            f"unsupported file type {suffix!r}; give an article as "
            f"{', '.join(SUPPORTED_EXTENSIONS)}, a file with no extension, an http(s) URL, "
            "or - for standard input",
        )


def _read_file(name: str, max_bytes: int) -> bytes:
    if os.path.isdir(name):
        raise InputError(name, "is a directory; give a .txt or .md article")
    try:
        if not stat.S_ISREG(os.stat(name).st_mode):
            return _read_special(name, max_bytes)
        with open(name, "rb") as f:
            _check_size(name, os.fstat(f.fileno()).st_size, max_bytes)
            raw = f.read(max_bytes + 1)  # the size can lie (pipes, growing files)
    except FileNotFoundError:
        raise InputError(name, "no such file; check the path") from None
    except PermissionError:
        raise InputError(name, "cannot be read: permission denied") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or exc}") from None
    _check_size(name, len(raw), max_bytes)
    return raw


def _read_special(name: str, max_bytes: int) -> bytes:
    """A FIFO or device (`<(command)` in a shell). Opened without waiting for a writer, which would
    hang for ever when there is none; then read as a stream."""
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as f:
            fd = -1
            raw = f.read(max_bytes + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    if not raw:
        raise InputError(
            name,
            "is a pipe (FIFO) or device with nothing to read (no writer); write the article into it "
            "while summarizer runs, or give a file, or - for standard input",
        )
    _check_size(name, len(raw), max_bytes)
    return raw


def _read_stream(stream: TextIO | BinaryIO | None, max_bytes: int) -> bytes:
    if stream is None:
        stream = sys.stdin.buffer
    data = stream.read(max_bytes + 1)
    # A text stream has decoded already; encode it so one path checks and decodes everything.
    raw = data.encode("utf-8", errors="replace") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise InputError(STDIN, _oversize(f"is more than {max_bytes:,} bytes", max_bytes))
    return raw


def _check_size(name: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputError(name, _oversize(f"is {size:,} bytes", max_bytes))


def _oversize(what: str, max_bytes: int) -> str:
    return (
        f"{what}, over the limit of {max_bytes:,} bytes; if it really is one article, raise the limit "
        "with --max-bytes (max_bytes= in Python)"
    )
