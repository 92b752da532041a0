"""Articles from the web: HTML files, `http(s)://` URLs, and JSON / JSONL records.

HTML (a file or a fetched page) goes through trafilatura, which keeps the article's main text and
reads its metadata: title, author, date and site name (the outlet). Trafilatura is optional, in the
`web` extra. Fetching is plain urllib with a deadline for the whole transfer, a size limit, at most
`MAX_REDIRECTS` redirects and http(s) only; every failure is an `InputError` naming the URL.

JSON inputs are records with a `text` field and optional metadata fields (aliases in `_ALIASES`):
a `.json` file holds one record or a list of them, a `.jsonl` file one record per non-blank line.
Each record is one article, so a JSONL file of three lines stands for three sources.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from http.client import HTTPMessage
from pathlib import Path
from typing import IO, Any

from summarizer.documents.decoding import MAGIC, decode_bytes
from summarizer.errors import ConfigError, InputError

HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
JSON_EXTENSIONS = (".json", ".jsonl", ".ndjson")
DEFAULT_FETCH_TIMEOUT = 20.0
MAX_REDIRECTS = 5
USER_AGENT = "summarizer (+https://pypi.org/project/summarizer/)"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain", "text/markdown")
_CHUNK = 65536

# Record fields: the first name is the canonical one; the others are accepted for it.
_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article"),
    "outlet": ("outlet", "source", "site_name", "sitename", "publisher"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at", "datetime"),
    "language": ("language", "lang"),
    "author": ("author", "byline", "authors"),
}


def is_url(name: str) -> bool:
    return bool(re.match(r"https?://", name, re.IGNORECASE))


def is_html(name: str) -> bool:
    return Path(name).suffix.lower() in HTML_EXTENSIONS


def is_records(name: str) -> bool:
    return not is_url(name) and Path(name).suffix.lower() in JSON_EXTENSIONS


@dataclass(frozen=True)
class Page:
    """An article read from HTML: main text and whatever metadata the page declares."""

    text: str
    metadata: dict[str, str]


@dataclass(frozen=True)
class Record:
    """One article of a JSON / JSONL file."""

    text: str
    metadata: dict[str, object]
    origin: str
    """`file.jsonl:3` for line 3, `file.json[1]` for the second item of a list, else the path."""


# --------------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------------


def extract_html(html: str, origin: str, url: str | None = None) -> Page:
    """Main text and metadata of an HTML page (paragraphs separated by blank lines)."""
    try:
        import trafilatura
    except ImportError:
        raise ConfigError(
            f"{origin}: reading HTML needs trafilatura; install it from a checkout of this repository "
            "with pip install -e '.[web]'"
        ) from None
    found: Any = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if found is None or not (found.text or "").strip():
        found = trafilatura.bare_extraction(html, url=url, with_metadata=True, favor_recall=True)
    text = (found.text or "").strip() if found is not None else ""
    if not text:
        raise InputError(origin, "no article text found in the HTML; save the article's text as .txt")
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    meta = {
        "title": found.title,
        "author": found.author,
        "published": found.date,
        "outlet": found.sitename,
        "url": url or found.url,
        "language": found.language,
    }
    return Page("\n\n".join(paragraphs), {k: v.strip() for k, v in meta.items() if isinstance(v, str) and v})


# --------------------------------------------------------------------------------------------------
# URLs
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    url: str
    """The final URL, after redirects."""
    content_type: str
    charset: str | None
    body: bytes


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows at most `limit` redirects, to http(s) URLs only (one handler per fetch)."""

    max_repeats = max_redirections = 1_000  # our own count below is the bound

    def __init__(self, origin: str, limit: int) -> None:
        self.origin, self.limit, self.count = origin, limit, 0

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        self.count += 1
        problem = None
        if self.count > self.limit:
            problem = f"redirected more than {self.limit} times; give the final URL"
        elif not is_url(newurl):
            problem = f"redirects to {newurl!r}, which is not an http(s) URL"
        if problem:
            fp.close()
            raise InputError(self.origin, problem)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Deadline:
    """Shuts every socket of a fetch when its time is up, wherever the fetch is blocked (connecting,
    reading headers, or a body that drips a few bytes at a time: a per-read timeout never fires)."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _handlers(deadline: _Deadline) -> list[urllib.request.BaseHandler]:
    """HTTP and HTTPS handlers whose connections report their socket to `deadline`."""

    class Plain(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    class Secure(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    class PlainHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Plain, req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Secure, req, context=getattr(self, "_context", None))

    return [PlainHandler(), SecureHandler()]


def fetch(
    url: str,
    *,
    timeout: float = DEFAULT_FETCH_TIMEOUT,
    max_bytes: int = 5_000_000,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GET a page within `timeout` seconds in all, at most `max_bytes`, following few redirects."""
    late = f"not fully received within {timeout:g} s (--fetch-timeout); raise it, or save the page"
    with _Deadline(timeout) as deadline:
        try:
            return _fetch(url, timeout, max_bytes, max_redirects, deadline)
        except InputError:
            if deadline.expired:
                raise InputError(url, late) from None
            raise
        except (OSError, http.client.HTTPException) as exc:
            if deadline.expired:
                raise InputError(url, late) from None
            raise InputError(url, f"cannot be fetched: {exc}") from None


def _fetch(url: str, timeout: float, max_bytes: int, max_redirects: int, deadline: _Deadline) -> Fetched:
    opener = urllib.request.build_opener(_Redirects(url, max_redirects), *_handlers(deadline))
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "text/html, */*;q=0.5"}
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(url, _too_big(f"is {int(length):,} bytes", max_bytes))
            body = _read(response, url, max_bytes, deadline)
            return Fetched(
                url=response.geturl(),
                content_type=response.headers.get_content_type(),
                charset=response.headers.get_content_charset(),
                body=body,
            )
    except urllib.error.HTTPError as exc:
        exc.close()
        raise InputError(url, f"the server answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if deadline.expired or isinstance(exc.reason, TimeoutError):
            raise InputError(url, f"no answer within {timeout:g} s") from None
        raise InputError(url, f"cannot be fetched: {exc.reason}") from None
    except TimeoutError:
        raise InputError(url, f"not fully received within {timeout:g} s") from None
    except OSError as exc:
        raise InputError(url, f"cannot be fetched: {exc.strerror or exc}") from None


def _read(response: Any, url: str, max_bytes: int, deadline: _Deadline) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(_CHUNK):  # returns what has arrived, not a full chunk
        size += len(chunk)
        if size > max_bytes:
            raise InputError(url, _too_big(f"is more than {max_bytes:,} bytes", max_bytes))
        chunks.append(chunk)
    if deadline.expired:  # the sockets were shut: what arrived is a truncated page
        raise InputError(url, "cut off by the deadline")
    return b"".join(chunks)


def _too_big(what: str, max_bytes: int) -> str:
    return f"{what}, over the limit of {max_bytes:,} bytes; raise it with --max-bytes (max_bytes= in Python)"


def page_from_url(url: str, *, timeout: float = DEFAULT_FETCH_TIMEOUT, max_bytes: int = 5_000_000) -> Page:
    """Fetch a URL: an HTML page is extracted, a plain-text one taken as it is."""
    got = fetch(url, timeout=timeout, max_bytes=max_bytes)
    if got.content_type in _HTML_TYPES + _TEXT_TYPES:  # mislabelled: never an article
        for magic, what in MAGIC:
            if got.body.startswith(magic):
                raise InputError(url, f"is {what} served as {got.content_type}, not an article")
    if got.content_type in _HTML_TYPES:
        return extract_html(decode_html(got.body, got.charset), url, url=got.url)
    if got.content_type in _TEXT_TYPES:
        return Page(decode_bytes(got.body, url, got.charset), {"url": got.url})
    raise InputError(url, f"is {got.content_type}, not an article; give an HTML or plain-text page")


def decode_html(raw: bytes, charset: str | None = None) -> str:
    """The declared charset (header, then `<meta charset>`), else UTF-8, else Windows-1252."""
    declared = charset or _meta_charset(raw[:4096])
    for encoding in (declared, "utf-8-sig"):
        if encoding:
            try:
                return raw.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
    return raw.decode("cp1252", errors="replace")


def _meta_charset(head: bytes) -> str | None:
    m = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", head, re.IGNORECASE)
    return m.group(1).decode("ascii") if m else None


# --------------------------------------------------------------------------------------------------
# JSON and JSONL
# --------------------------------------------------------------------------------------------------


def read_records(name: str, raw: str) -> list[Record]:
    """Articles of a `.json` (an object or a list of objects) or `.jsonl` (one object a line) file."""
    if Path(name).suffix.lower() == ".json":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(
                name, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        items = data if isinstance(data, list) else [data]
        origins = [f"{name}[{i}]" for i in range(len(items))] if isinstance(data, list) else [name]
        records = [record(item, origin) for item, origin in zip(items, origins)]
    else:
        records = []
        for number, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            origin = f"{name}:{number}"
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(origin, f"invalid JSON at column {exc.colno}: {exc.msg}") from None
            records.append(record(item, origin))
    if not records:
        raise InputError(name, 'holds no article; give objects with a "text" field')
    return records


def record(item: object, origin: str) -> Record:
    """One JSON object as an article: its text and its metadata under their canonical names."""
    if not isinstance(item, Mapping):
        raise InputError(origin, f'must be a JSON object with a "text" field, not {type(item).__name__}')
    fields: dict[str, object] = {}
    for canonical, names in _ALIASES.items():
        for key in names:
            value = item.get(key)
            if value is not None and value != "" and canonical not in fields:
                fields[canonical] = value
    text = fields.pop("text", None)
    if not isinstance(text, str) or not text.strip():
        aliases = ", ".join(f'"{n}"' for n in _ALIASES["text"])
        raise InputError(origin, f"has no article text; give it in one of the fields {aliases}")
    author = fields.get("author")
    if isinstance(author, list) and all(isinstance(a, str) for a in author):
        fields["author"] = ", ".join(author)
    return Record(text, fields, origin)
