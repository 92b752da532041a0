"""Grounded, schema-checked summaries of news articles and cross-source difference reports.

    from summarizer import summarize, compare
    summary = summarize("article.txt", model="gpt-4o-mini")
    comparison = compare(["a.txt", "b.txt"], replay="fixtures/exchanges")

Names are imported on first use, so `summarizer --help` stays fast.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from summarizer._version import __version__

_EXPORTS = {
    "Client": "summarizer.pipeline",
    "OfflineFallbackWarning": "summarizer.pipeline",
    "Settings": "summarizer.settings",
    "summarize": "summarizer.api",
    "asummarize": "summarizer.api",
    "compare": "summarizer.api",
    "acompare": "summarizer.api",
    "verify": "summarizer.api",
    "averify": "summarizer.api",
    "Verification": "summarizer.schemas",
    "load_document": "summarizer.documents",
    "load_documents": "summarizer.documents",
    "document_from_text": "summarizer.documents",
    "Document": "summarizer.schemas",
    "Summary": "summarizer.schemas",
    "Comparison": "summarizer.schemas",
    "Span": "summarizer.schemas",
    "Evidence": "summarizer.schemas",
    "render": "summarizer.render",
    "SummarizerError": "summarizer.errors",
    "UsageError": "summarizer.errors",
    "InputError": "summarizer.errors",
    "ConfigError": "summarizer.errors",
    "TemplateError": "summarizer.errors",
    "ModelError": "summarizer.errors",
    "BackendError": "summarizer.errors",
    "ReplayMissError": "summarizer.errors",
    "RefusalError": "summarizer.errors",
    "TruncatedError": "summarizer.errors",
    "AttemptsExhaustedError": "summarizer.errors",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from summarizer.api import acompare, asummarize, averify, compare, summarize, verify
    from summarizer.documents import document_from_text, load_document, load_documents
    from summarizer.errors import (
        AttemptsExhaustedError,
        BackendError,
        ConfigError,
        InputError,
        ModelError,
        RefusalError,
        ReplayMissError,
        SummarizerError,
        TemplateError,
        TruncatedError,
        UsageError,
    )
    from summarizer.pipeline import Client, OfflineFallbackWarning
    from summarizer.render import render
    from summarizer.schemas import Comparison, Document, Evidence, Span, Summary, Verification
    from summarizer.settings import Settings


class _Package(types.ModuleType):
    """The package object. Importing a submodule makes Python set it as an attribute of its package,
    which would turn `summarizer.render` and `summarizer.verify` (the functions) into the modules of
    the same names once anything imported those; the functions are kept instead. So reach those two
    modules with `from summarizer.render import to_html` (or `sys.modules`), not with
    `import summarizer.render as r`, which binds the function, nor with a dotted path through the package
    attribute (`monkeypatch.setattr("summarizer.render.to_html", …)`: patch the module object instead)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, types.ModuleType):
            return  # `from summarizer.render import to_html` still works: it reads sys.modules
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
