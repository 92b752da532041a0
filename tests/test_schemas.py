"""The result contract: spans, loading results back, source records."""

from __future__ import annotations

from summarizer.documents import document_from_text
from summarizer.schemas import SourceInfo, Usage


def test_source_info_keeps_every_metadata_field() -> None:
    doc = document_from_text("Iran said no.", outlet="Mehr", title="T", url="https://x.test/a", language="en")
    doc.author = "A. Writer"
    info = SourceInfo.of(doc)
    assert (info.outlet, info.title, info.url, info.author, info.language) == (
        "Mehr",
        "T",
        "https://x.test/a",
        "A. Writer",
        "en",
    )
    assert info.sha256 == doc.sha256 and info.text == doc.text


def test_computed_fields_load_back() -> None:
    usage = Usage(input_tokens=3, output_tokens=4)
    assert Usage.model_validate_json(usage.model_dump_json()).total_tokens == 7
