"""The documents layer, loading: files and stdin, decoding, size limits, path errors, several
documents at once, and documents made from a string."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from summarizer.documents import DEFAULT_MAX_BYTES, document_from_text, load_document, load_documents, loading
from summarizer.errors import InputError
from tests.test_documents_segment import texts


def write(path: Path, content: str | bytes) -> Path:
    """`content` into `path` as given: text as UTF-8 with line endings untouched, bytes as they are."""
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def error(excinfo: pytest.ExceptionInfo[InputError]) -> str:
    """The message of the raised input error."""
    return str(excinfo.value)


def test_load_text_file(tmp_path: Path) -> None:
    path = write(tmp_path / "new_york-times.txt", "Headline\n\nIt ended. Then more.\n")
    doc = load_document(path)
    assert doc.id == "A"
    assert doc.outlet == "new york times"
    assert doc.origin == str(path)
    assert doc.text == "Headline\n\nIt ended. Then more.\n"
    assert texts(doc.text, doc.sentences) == ["Headline", "It ended.", "Then more."]
    assert doc.published is None and doc.title is None


@pytest.mark.parametrize("name", ["a.md", "a.markdown", "a.text", "a.TXT", "article"])
def test_supported_extensions(tmp_path: Path, name: str) -> None:
    assert load_document(write(tmp_path / name, "It ended.")).text == "It ended."


def test_string_path_and_source_id(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "One. Two.")
    doc = load_document(str(path), source_id="C")
    assert doc.id == "C" and [s.id for s in doc.sentences] == ["C1", "C2"]


def test_line_endings_are_kept(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path / "a.txt", b"Head\r\n\r\nBody one. Body two.\r\n"))
    assert doc.text == "Head\r\n\r\nBody one. Body two.\r\n"
    assert texts(doc.text, doc.sentences) == ["Head", "Body one.", "Body two."]


def test_stdin_bytes() -> None:
    doc = load_document("-", stdin=io.BytesIO("It ended. “Then” more.".encode()))
    assert doc.origin == "-" and doc.outlet == "stdin"
    assert texts(doc.text, doc.sentences) == ["It ended.", "“Then” more."]


def test_stdin_text_stream() -> None:
    doc = load_document("-", stdin=io.StringIO("Café. Next."))
    assert doc.text == "Café. Next."


def test_stdin_defaults_to_sys_stdin_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(b"From the pipe."), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", fake)
    assert load_document("-").text == "From the pipe."


def test_stdin_front_matter_and_metadata() -> None:
    stdin = io.BytesIO(b"---\noutlet: Piped\n---\nBody.")
    doc = load_document("-", stdin=stdin, metadata={"language": "en"})
    assert (doc.outlet, doc.language, doc.text) == ("Piped", "en", "Body.")


# Decoding


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path / "a.txt", b"\xef\xbb\xbfIt ended."))
    assert doc.text == "It ended."
    assert texts(doc.text, doc.sentences) == ["It ended."]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(tmp_path: Path, encoding: str) -> None:
    text = "“Café,” he said. Next."
    raw = text.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    doc = load_document(write(tmp_path / "a.txt", raw))
    assert doc.text == text


def test_cp1252_fallback(tmp_path: Path) -> None:
    raw = "Caf\xe9 \x93quoted\x94 \x96 done.".encode("latin-1")
    doc = load_document(write(tmp_path / "a.txt", raw))
    assert doc.text == "Café “quoted” – done."


def test_bytes_that_fit_no_encoding(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.txt", b"Caf\xe9 \x81 done.")
    with pytest.raises(InputError) as excinfo:
        load_document(path)
    message = error(excinfo)
    assert str(path) in message
    assert "UTF-8" in message and "iconv -f ENCODING -t UTF-8" in message
    assert excinfo.value.source == str(path)


def test_broken_utf16_with_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.txt", b"\xff\xfeA\x00\x00\xd8")  # a lone high surrogate
    with pytest.raises(InputError, match="UTF-16") as excinfo:
        load_document(path)
    assert str(path) in error(excinfo)


@pytest.mark.parametrize(
    "raw",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"%PDF-1.4\n\x00\x01\x02", bytes(range(1, 9)) * 50 + b"text"],
    ids=["png", "pdf", "control characters"],
)
def test_binary_input(tmp_path: Path, raw: bytes) -> None:
    path = write(tmp_path / "image.txt", raw)
    with pytest.raises(InputError, match=r"looks binary; give a \.txt or \.md article") as excinfo:
        load_document(path)
    assert str(path) in error(excinfo)


def test_binary_after_utf16_decoding(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "a\x00\x01\x02\x03".encode("utf-16"))
    with pytest.raises(InputError, match="looks binary"):
        load_document(path)


@pytest.mark.parametrize(("content", "reason"), [(b"", "is empty"), (b" \n\t\r\n ", "only whitespace")])
def test_empty_input(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path / "empty.txt", content)
    with pytest.raises(InputError, match=reason) as excinfo:
        load_document(path)
    assert str(path) in error(excinfo)


def test_empty_stdin() -> None:
    with pytest.raises(InputError, match=r"^-: is empty"):
        load_document("-", stdin=io.BytesIO(b""))


def test_front_matter_only(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", "---\ntitle: T\n---\n\n")
    with pytest.raises(InputError, match="front matter but no article text"):
        load_document(path)


# Size


def test_oversize_file(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "x" * 2_000)
    with pytest.raises(InputError) as excinfo:
        load_document(path, max_bytes=1_000)
    message = error(excinfo)
    assert str(path) in message
    assert "2,000 bytes" in message and "1,000 bytes" in message
    assert "--max-bytes" in message and "max_bytes=" in message


def test_size_at_the_limit_is_fine(tmp_path: Path) -> None:
    assert len(load_document(write(tmp_path / "a.txt", "x" * 1_000), max_bytes=1_000).text) == 1_000


def test_oversize_stdin() -> None:
    with pytest.raises(InputError, match=r"^-: is more than 10 bytes.*--max-bytes"):
        load_document("-", stdin=io.BytesIO(b"x" * 11), max_bytes=10)


def test_default_limit() -> None:
    assert DEFAULT_MAX_BYTES == 5_000_000


# Paths


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError, match="no such file") as excinfo:
        load_document(path)
    assert excinfo.value.source == str(path) and str(path) in error(excinfo)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory") as excinfo:
        load_document(tmp_path)
    assert str(tmp_path) in error(excinfo)


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "secret.txt", "Text.")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(loading, "open", refuse, raising=False)  # works as root too
    with pytest.raises(InputError, match="permission denied") as excinfo:
        load_document(path)
    assert str(path) in error(excinfo)


@pytest.mark.parametrize("name", ["a.pdf", "a.docx", "a.xml"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, "Text.")
    with pytest.raises(InputError) as excinfo:
        load_document(path)
    message = error(excinfo)
    assert str(path) in message
    for ext in (".txt", ".md", ".markdown", ".text"):
        assert ext in message


# Several documents


def test_load_documents_assigns_ids(tmp_path: Path) -> None:
    paths = [write(tmp_path / f"{n}.txt", f"Article {n}.") for n in ("one", "two", "three")]
    docs = load_documents(paths)
    assert [d.id for d in docs] == ["A", "B", "C"]
    assert [d.sentences[0].id for d in docs] == ["A1", "B1", "C1"]
    assert [d.outlet for d in docs] == ["one", "two", "three"]


def test_load_documents_with_stdin(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "From a file.")
    docs = load_documents([path, "-"], stdin=io.BytesIO(b"From the pipe."))
    assert [(d.id, d.origin, d.text) for d in docs] == [
        ("A", str(path), "From a file."),
        ("B", "-", "From the pipe."),
    ]


def test_stdin_at_most_once() -> None:
    with pytest.raises(InputError, match="only once"):
        load_documents(["-", "-"], stdin=io.BytesIO(b"x"))


def test_metadata_only_for_a_single_input(tmp_path: Path) -> None:
    paths = [write(tmp_path / "a.txt", "A."), write(tmp_path / "b.txt", "B.")]
    with pytest.raises(InputError, match=r"meta\.json") as excinfo:
        load_documents(paths, metadata={"outlet": "X"})
    assert "--outlet" in error(excinfo)
    assert load_documents(paths[:1], metadata={"outlet": "X"})[0].outlet == "X"


def test_no_inputs() -> None:
    with pytest.raises(InputError, match="no article given"):
        load_documents([])


def test_load_documents_passes_max_bytes(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--max-bytes"):
        load_documents([write(tmp_path / "a.txt", "x" * 20)], max_bytes=10)


# From a string


def test_document_from_text() -> None:
    text = "  It ended. “Then” more.\n"
    doc = document_from_text(text, source_id="B", title="T", published="2020-09-04", language="en")
    assert doc.text == text
    assert (doc.id, doc.outlet, doc.title, doc.published, doc.language) == (
        "B",
        "text",
        "T",
        dt.date(2020, 9, 4),
        "en",
    )
    assert texts(text, doc.sentences) == ["It ended.", "“Then” more."]
    assert doc.sentences[0].id == "B1"


def test_document_from_text_keeps_front_matter_as_text() -> None:
    text = "---\ntitle: x\n---\nBody."
    assert document_from_text(text, outlet="Mehr").text == text


def test_document_from_text_errors() -> None:
    with pytest.raises(InputError, match="is empty"):
        document_from_text("  \n")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        document_from_text("Body.", published="yesterday")
