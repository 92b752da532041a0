"""Prompt templates: compiled once per prompt set, with the hashes of exactly what was rendered."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from summarizer.documents import document_from_text
from summarizer.prompts import LENGTH_GUIDES, PromptSet, article_view, packaged_dir


def _variables() -> dict[str, object]:
    doc = document_from_text("Officials met on Tuesday. They agreed on a plan.")
    return {
        "doc": article_view(doc),
        "length": "short",
        "length_guide": LENGTH_GUIDES["short"],
        "report_language": "English",
    }


def test_provenance_hashes_are_those_of_the_template_files() -> None:
    rendered = PromptSet().render("summary", _variables())
    names = {r.name for r in rendered.templates}
    assert {"summary/system.j2", "summary/user.j2"} <= names and len(names) > 2  # includes too
    for record in rendered.templates:
        assert record.sha256 == hashlib.sha256((packaged_dir() / record.name).read_bytes()).hexdigest()


def test_a_template_edited_mid_run_changes_neither_output_nor_hash(tmp_path: Path) -> None:
    """A prompt set renders what it compiled first, and says so; a new prompt set reads the edit."""
    overlay = tmp_path / "prompts"
    (overlay / "summary").mkdir(parents=True)
    system = overlay / "summary" / "system.j2"
    shutil.copyfile(packaged_dir() / "summary" / "system.j2", system)
    prompts = PromptSet(overlay)
    first = prompts.render("summary", _variables())
    system.write_text("Edited: be brief.", encoding="utf-8")
    again = prompts.render("summary", _variables())
    assert again.messages == first.messages and again.templates == first.templates
    fresh = PromptSet(overlay).render("summary", _variables())
    assert fresh.messages[0]["content"] == "Edited: be brief."
    [record] = [r for r in fresh.templates if r.name == "summary/system.j2"]
    assert record.overridden and record.sha256 == hashlib.sha256(b"Edited: be brief.").hexdigest()
