"""The public API: exactly the names listed, importable, and light to import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import summarizer

ROOT = Path(__file__).resolve().parent.parent

PUBLIC = {
    "__version__",
    "Client",
    "Settings",
    "summarize",
    "asummarize",
    "compare",
    "acompare",
    "verify",
    "averify",
    "Verification",
    "load_document",
    "load_documents",
    "document_from_text",
    "Document",
    "Summary",
    "Comparison",
    "Span",
    "Evidence",
    "OfflineFallbackWarning",
    "render",
    "SummarizerError",
    "UsageError",
    "InputError",
    "ConfigError",
    "TemplateError",
    "ModelError",
    "BackendError",
    "ReplayMissError",
    "RefusalError",
    "TruncatedError",
    "AttemptsExhaustedError",
}


def test_all_lists_exactly_the_public_names() -> None:
    assert set(summarizer.__all__) == PUBLIC
    for name in summarizer.__all__:
        assert getattr(summarizer, name) is not None, name


def test_help_does_not_import_the_openai_sdk() -> None:
    code = (
        "import sys; from summarizer.cli import build_parser; build_parser(); print('openai' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "summarizer", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("summarizer ")


def test_exported_functions_stay_functions_after_their_modules_are_imported() -> None:
    """`summarizer.render` and `summarizer.verify` are functions; importing the modules of the same
    names (as the CLI and `Client.verify` do) must not replace them."""
    code = (
        "import summarizer.render, summarizer.verify, summarizer.pipeline\n"
        "import summarizer\n"
        "from summarizer.render import to_html\n"
        "summarizer.verify('Iran has turned down an offer from Russia.', ['fixtures/articles/anadolu.txt'])\n"
        "assert callable(summarizer.render) and summarizer.render.__module__ == 'summarizer.render'\n"
        "assert callable(summarizer.verify) and summarizer.verify.__module__ == 'summarizer.api'\n"
        "from summarizer import render, verify\n"
        "assert render is summarizer.render and verify is summarizer.verify and callable(to_html)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
