"""Prompt templates: one Jinja environment over the packaged `prompts/` folder, optionally overlaid.

Article text reaches templates only as variables, so `{{`, `{%` or instructions inside an article are
just text. Templates are rendered in exactly one function, `PromptSet.render`.
"""

from __future__ import annotations

import builtins
import collections
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from summarizer.errors import TemplateError
from summarizer.schemas import Document, TemplateRecord
from summarizer.text import LETTER_WORD

TASKS: dict[str, tuple[str, str]] = {
    "summary": ("summary/system.j2", "summary/user.j2"),
    "comparison": ("comparison/system.j2", "comparison/user.j2"),
    "summary_reduce": ("summary_reduce/system.j2", "summary_reduce/user.j2"),
    "verify": ("verify/system.j2", "verify/user.j2"),
}


def packaged_dir() -> Path:
    """The templates shipped with the package: inside the wheel, or the repository's `prompts/`."""
    inside = Path(__file__).parent / "prompts"
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parent.parent / "prompts"


@dataclass(frozen=True)
class Rendered:
    messages: list[dict[str, Any]]
    templates: list[TemplateRecord]


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    path: Path
    overridden: bool


class PromptSet:
    """The packaged templates, optionally overlaid by a user folder (rendered in a sandbox)."""

    def __init__(self, user_dir: str | Path | None = None) -> None:
        self.user_dir = Path(user_dir) if user_dir is not None else None
        if self.user_dir is not None and not self.user_dir.is_dir():
            raise TemplateError(f"--prompts {self.user_dir}: not a directory of .j2 templates")
        search = [str(self.user_dir)] if self.user_dir is not None else []
        self._loader = _Loader([*search, str(packaged_dir())])
        self._env = _environment(self.user_dir, self._loader)
        self._infos: builtins.list[TemplateInfo] | None = None
        self._tasks: dict[str, tuple[tuple[jinja2.Template, ...], tuple[TemplateRecord, ...]]] = {}

    def list(self) -> list[TemplateInfo]:
        """Every template by name; a user template hides the packaged one of the same name."""
        if self._infos is None:
            self._infos = self._scan()
        return list(self._infos)

    def _scan(self) -> builtins.list[TemplateInfo]:
        names: dict[str, TemplateInfo] = {}
        for base, overridden in ((packaged_dir(), False), (self.user_dir, True)):
            if base is None:
                continue
            for path in sorted(base.rglob("*.j2")):
                name = path.relative_to(base).as_posix()
                names[name] = TemplateInfo(name, path, overridden)
        return [names[n] for n in sorted(names)]

    def source(self, name: str) -> str:
        path = self._info(name).path
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateError(
                f"{path}: not UTF-8 (offset {exc.start}); save the template as UTF-8"
            ) from None

    def _info(self, name: str) -> TemplateInfo:
        for info in self.list():
            if info.name == name or info.name == f"{name}.j2":
                return info
        known = ", ".join(i.name for i in self.list())
        raise TemplateError(f"no template named {name!r}; known templates: {known}")

    def render(self, task: str, variables: Mapping[str, Any]) -> Rendered:
        """Render a task's system and user templates into chat messages, with each template's hash.

        Templates are read and compiled once per prompt set, so the hashes in provenance are those of
        the text that was rendered, even if a file changes during a run."""
        if task not in TASKS:
            raise TemplateError(f"unknown task {task!r}; tasks: {', '.join(TASKS)}")
        if task not in self._tasks:
            self._tasks[task] = self._prepare(task)
        templates, records = self._tasks[task]
        messages = [
            {"role": role, "content": _render_one(template, name, variables).strip()}
            for role, name, template in zip(("system", "user"), TASKS[task], templates)
        ]
        return Rendered(messages, list(records))

    def shown_ids(self, rendered: Rendered) -> set[str]:
        """The sentence ids the prompt shows: tokens shaped like one (`A3`, `[B12]`, `"C4"`) that occur in
        the rendered messages more often than in the templates' own text (whose examples, such as
        "(such as A3)", show no sentence)."""
        shown = collections.Counter(
            token
            for message in rendered.messages
            if isinstance(message.get("content"), str)
            for token in _ID_TOKEN.findall(message["content"])
        )
        for record in rendered.templates:
            shown.subtract(_ID_TOKEN.findall(self._loader.sources.get(record.name, "")))
        return {token for token, count in shown.items() if count > 0}

    def _prepare(self, task: str) -> tuple[tuple[jinja2.Template, ...], tuple[TemplateRecord, ...]]:
        overridden = {i.name for i in self.list() if i.overridden}
        templates = tuple(self._load(name) for name in TASKS[task])
        records: list[TemplateRecord] = []
        for name in TASKS[task]:
            for used in [name, *self._includes(name)]:
                self._load(used)
                digest = self._loader.digests[used]
                records.append(TemplateRecord(name=used, sha256=digest, overridden=used in overridden))
        return templates, tuple(_dedupe(records))

    def _includes(self, name: str) -> builtins.list[str]:
        """Templates a template includes, transitively, so their hashes go into provenance too."""
        found: list[str] = []
        stack = [name]
        while stack:
            current = stack.pop()
            self._load(current)
            for inc in _include_names(self._loader.sources[current]):
                if inc not in found:
                    found.append(inc)
                    stack.append(inc)
        return found

    def _load(self, name: str) -> jinja2.Template:
        try:
            return self._env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}"
            ) from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(
                f"template {exc.name!r} not found in --prompts or the packaged prompts"
            ) from exc


class _Loader(jinja2.FileSystemLoader):
    """A file loader that keeps, for every template it hands to Jinja, its source and the SHA-256 of its
    file. The file is read again to hash its bytes; should it change between the two reads, both are
    done again, so the hash in provenance is always that of the text compiled."""

    def __init__(self, searchpath: list[str]) -> None:
        super().__init__(searchpath)
        self.sources: dict[str, str] = {}
        self.digests: dict[str, str] = {}

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        for _ in range(5):
            try:
                source, filename, uptodate = super().get_source(environment, template)
            except UnicodeDecodeError as exc:
                raise TemplateError(
                    f"{self._path_of(template)}: not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset "
                    f"{exc.start}); save the template as UTF-8"
                ) from None
            raw = Path(filename).read_bytes()
            if _text_of(raw) == source:
                break
        else:
            raise TemplateError(f"{filename}: the file keeps changing while it is read; try again")
        self.sources[template] = source
        self.digests[template] = hashlib.sha256(raw).hexdigest()
        return source, filename, uptodate

    def _path_of(self, template: str) -> str:
        for base in self.searchpath:
            path = Path(base) / template
            if path.is_file():
                return str(path)
        return template


def _text_of(raw: bytes) -> str:
    """What Jinja's loader reads from these bytes (UTF-8, universal newlines)."""
    return raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def _environment(user_dir: Path | None, loader: _Loader) -> jinja2.Environment:
    options: dict[str, Any] = {
        "loader": loader,
        "undefined": jinja2.StrictUndefined,
        "autoescape": False,
        "keep_trailing_newline": True,
        "auto_reload": False,  # compiled once: provenance hashes stay those of what was rendered
        "cache_size": -1,
    }
    env = SandboxedEnvironment(**options) if user_dir is not None else jinja2.Environment(**options)
    env.filters["fence"] = fence_text
    env.filters["attribute"] = fence_attribute
    return env


def _render_one(template: jinja2.Template, name: str, variables: Mapping[str, Any]) -> str:
    try:
        return template.render(**variables)
    except jinja2.UndefinedError as exc:
        known = ", ".join(sorted(variables))
        raise TemplateError(f"{name}: {exc.message}; variables available: {known}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}"
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{name}: {exc}") from exc
    except TemplateError:
        raise
    except Exception as exc:  # a user template is code: whatever it raises is that template's fault
        where = template.filename or name
        raise TemplateError(f"{where}: rendering failed: {type(exc).__name__}: {exc}") from exc


@cache
def _include_names(source: str) -> tuple[str, ...]:
    from jinja2 import meta

    ast = jinja2.Environment().parse(source)
    return tuple(n for n in meta.find_referenced_templates(ast) if n is not None)


def _dedupe(records: list[TemplateRecord]) -> list[TemplateRecord]:
    seen: dict[str, TemplateRecord] = {}
    for r in records:
        seen.setdefault(r.name, r)
    return list(seen.values())


def article_view(doc: Document, *, excerpt: bool = False) -> dict[str, Any]:
    """What templates see of a document: metadata and sentences with ids and text. `excerpt` marks a
    digest that shows only some of the article's sentences.

    Everything from the document is fenced (`fence_attribute`, `fence_text`), so no title, outlet or
    sentence can close the block it is shown in or pass for a sentence id; copyright and licence
    notices at the start or end of the article are left out (their ids are simply not shown)."""
    texts = [doc.text[s.start : s.end] for s in doc.sentences]
    keep = _story_sentences(texts)
    return {
        "excerpt": excerpt,
        "id": doc.id,
        "outlet": fence_attribute(doc.outlet),
        "title": fence_attribute(doc.title) if doc.title else doc.title,
        "url": fence_attribute(doc.url) if doc.url else doc.url,
        "published": doc.published.isoformat() if doc.published else None,
        "language": doc.language,
        "sentences": [
            _SentenceView(s.id, fence_text(text)) for s, text, kept in zip(doc.sentences, texts, keep) if kept
        ],
    }


_NOTICE_ANYWHERE = re.compile(r"all rights reserved|©|\bcopyright\s+(?:\(c\)|\d{4})", re.IGNORECASE)
_NOTICE_PROSE_WORDS = 3
"""A sentence with a rights mark and more words than this that are not capitalised (names, labels)
is prose about it ("the prints, each stamped © 1962 by the artist, …"), not a rights line or credit."""


def _is_rights_line(text: str) -> bool:
    """A copyright or rights line, or a photo credit, anywhere in an article: a rights mark, with names,
    years and a label ("Photo: © AFP / Getty Images", "© 2024 Example Wire."), but little prose."""
    if not _NOTICE_ANYWHERE.search(text):
        return False
    rest = _NOTICE_ANYWHERE.sub(" ", text)
    return sum(not w[0].isupper() for w in LETTER_WORD.findall(rest)) <= _NOTICE_PROSE_WORDS


def _story_sentences(texts: builtins.list[str]) -> builtins.list[bool]:
    """Per sentence, whether it is shown: notices (copyright, licence, byline, credit) are dropped from
    the run at the article's start and end, and rights lines and credits anywhere (`_is_rights_line`); a
    sentence of the story that mentions a copyright sign stays."""
    from summarizer.analysis.align import is_notice

    notice = [is_notice(t) for t in texts]
    keep = [not _is_rights_line(t) for t in texts]
    for order in (range(len(texts)), range(len(texts) - 1, -1, -1)):
        for i in order:
            if not notice[i]:
                break
            keep[i] = False
    if not any(keep):  # never an empty article: show it whole rather than nothing
        return [True] * len(texts)
    return keep


_ID_TOKEN = re.compile(r"\b[A-Z]{1,3}\d+\b")
_LINE_BREAKS = re.compile(r"\s*[\n\r\v\f\x85\u2028\u2029]+\s*")
_TAG = re.compile(r"<(?=\s*/?\s*[A-Za-z!?])")
_FAKE_ID = re.compile(r"\[([A-Z]{1,3}\d+)\]")


def fence_text(text: str) -> str:
    """Text from a document, safe inside a block of the prompt: on one line (so no line of it can start
    with a sentence id or a closing tag), with tag openings escaped (`&lt;/article>`) and bracketed ids
    turned to parentheses (`(A3)`), so it cannot close its block or pass for a sentence id."""
    return _FAKE_ID.sub(r"(\1)", _TAG.sub("&lt;", _LINE_BREAKS.sub(" ", text)))


def fence_attribute(value: str) -> str:
    """Metadata safe inside a quoted tag attribute: quotes and angle brackets escaped, on one line."""
    flat = " ".join(value.split())
    return flat.replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


class _SentenceView(dict[str, str]):
    """`{"id": …, "text": …}` whose keys are attributes too: templates read `s.id` without the failed
    attribute lookup that a plain dict costs Jinja before it tries the key."""

    def __init__(self, id: str, text: str) -> None:
        super().__init__(id=id, text=text)
        self.id = id
        self.text = text


LENGTH_GUIDES = {
    "short": "two or three sentences (at most 60 words).",
    "medium": "one paragraph of four to six sentences (at most 130 words).",
    "long": "two or three paragraphs (at most 300 words).",
}


def length_limit(length: str) -> int | None:
    """The word limit a length's guide states ("at most 130 words"), which the summary is held to."""
    found = re.search(r"at most (\d+) words", LENGTH_GUIDES.get(length, ""))
    return int(found.group(1)) if found else None
