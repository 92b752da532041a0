"""The documents layer, metadata: the seed articles' sidecars, front matter, sidecar files, their
precedence over front matter and of flags over both, and the published date's formats."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from summarizer.documents import load_document, load_documents
from summarizer.errors import InputError
from tests.test_documents_loading import error, write
from tests.test_documents_segment import ARTICLES, texts

# Seed articles


def test_seed_metadata_comes_from_the_sidecars() -> None:
    anadolu, mehr = load_documents([ARTICLES / "anadolu.txt", ARTICLES / "mehr.txt"])
    assert (anadolu.id, anadolu.outlet, anadolu.published, anadolu.language) == (
        "A",
        "Anadolu Agency",
        dt.date(2020, 9, 7),
        "en",
    )
    assert (mehr.id, mehr.outlet, mehr.published, mehr.language) == (
        "B",
        "Mehr News Agency",
        dt.date(2020, 9, 4),
        "en",
    )
    assert anadolu.title is None and anadolu.url is None
    assert mehr.origin == str(ARTICLES / "mehr.txt")
    assert mehr.sentence("B6") is not None


# Front matter


def test_front_matter_is_removed_and_offsets_refer_to_the_body(tmp_path: Path) -> None:
    content = (
        "---\n"
        "outlet: 'The Outlet'\n"
        'title: "Iran says no: a report"\n'
        "# a comment\n"
        "url: https://example.org/a?b=c\n"
        "published: 2020-09-04\n"
        "language: en\n"
        "layout: post\n"
        "tags:\n"
        "  - iran\n"
        "---\n"
        "\n"
        "It ended. Then more."
    )
    doc = load_document(write(tmp_path / "a.md", content))
    assert doc.text == "\nIt ended. Then more."
    assert texts(doc.text, doc.sentences) == ["It ended.", "Then more."]
    assert doc.sentences[0].start == 1
    assert doc.outlet == "The Outlet"
    assert doc.title == "Iran says no: a report"
    assert doc.url == "https://example.org/a?b=c"
    assert doc.published == dt.date(2020, 9, 4)
    assert doc.language == "en"


def test_front_matter_with_crlf_and_date_alias(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path / "a.md", "---\r\ndate: 2020-09-04T10:30:00Z\r\n---\r\nBody."))
    assert doc.published == dt.date(2020, 9, 4)
    assert doc.text == "Body."


@pytest.mark.parametrize(
    "content",
    ["---\n\nJust a rule.\n---\nText.", "---\ntitle: never closed\nText.", "Text.\n---\ntitle: x\n---\n"],
    ids=["markdown rule", "unclosed", "not at the top"],
)
def test_things_that_are_not_front_matter_stay_in_the_text(tmp_path: Path, content: str) -> None:
    doc = load_document(write(tmp_path / "a.md", content))
    assert doc.text == content and doc.title is None


def test_bad_date_in_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", "---\ntitle: T\npublished: 4 Sept 2020\n---\nBody.")
    with pytest.raises(InputError) as excinfo:
        load_document(path)
    message = error(excinfo)
    assert str(path) in message and "front matter line 3" in message and "YYYY-MM-DD" in message


# Sidecars and precedence


def test_sidecar_overrides_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path / "mehr.txt", "---\noutlet: Front\ntitle: Front title\nlanguage: fa\n---\nBody.")
    write(tmp_path / "mehr.meta.json", json.dumps({"outlet": "Sidecar", "language": "en", "url": None}))
    doc = load_document(path)
    assert (doc.outlet, doc.title, doc.language, doc.url) == ("Sidecar", "Front title", "en", None)


def test_flags_override_sidecar_and_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path / "mehr.txt", "---\ntitle: Front title\npublished: 2020-01-01\n---\nBody.")
    write(tmp_path / "mehr.meta.json", json.dumps({"outlet": "Sidecar", "published": "2020-02-02"}))
    doc = load_document(path, metadata={"published": "2020-09-04", "outlet": "Flag", "title": None})
    assert (doc.outlet, doc.title, doc.published) == ("Flag", "Front title", dt.date(2020, 9, 4))


def test_blank_outlet_falls_back_to_the_file_name(tmp_path: Path) -> None:
    path = write(tmp_path / "some_outlet.txt", "Body.")
    write(tmp_path / "some_outlet.meta.json", json.dumps({"outlet": "  "}))
    assert load_document(path).outlet == "some outlet"


def test_sidecar_note_is_allowed(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Body.")
    write(tmp_path / "a.meta.json", json.dumps({"note": "date inferred", "published": "2020-09-04"}))
    assert load_document(path).published == dt.date(2020, 9, 4)


def test_sidecar_unknown_key(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Body.")
    sidecar = write(tmp_path / "a.meta.json", json.dumps({"outlet": "X", "byline": "Y"}))
    with pytest.raises(InputError) as excinfo:
        load_document(path)
    message = error(excinfo)
    assert excinfo.value.source == str(sidecar)
    assert "'byline'" in message and "outlet, title, url, published, language, author" in message


def test_sidecar_invalid_json(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Body.")
    sidecar = write(tmp_path / "a.meta.json", '{\n  "outlet": "X",\n}\n')
    with pytest.raises(InputError, match="line 3") as excinfo:
        load_document(path)
    assert str(sidecar) in error(excinfo)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('["outlet"]', "JSON object"),
        ('{"title": 3}', "'title' must be a string"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_sidecar_other_errors(tmp_path: Path, content: str | bytes, reason: str) -> None:
    path = write(tmp_path / "a.txt", "Body.")
    sidecar = write(tmp_path / "a.meta.json", content)
    with pytest.raises(InputError, match=reason) as excinfo:
        load_document(path)
    assert str(sidecar) in error(excinfo)


def test_sidecar_bad_date(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Body.")
    sidecar = write(tmp_path / "a.meta.json", json.dumps({"published": "2020-13-45"}))
    with pytest.raises(InputError) as excinfo:
        load_document(path)
    message = error(excinfo)
    assert str(sidecar) in message and "'published'" in message and "YYYY-MM-DD" in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-09-04", dt.date(2020, 9, 4)),
        (" 2020-09-04 ", dt.date(2020, 9, 4)),
        ("2020-09-04T23:30:00+03:30", dt.date(2020, 9, 4)),
        ("2020-09-04 10:00", dt.date(2020, 9, 4)),
        (dt.date(2020, 9, 4), dt.date(2020, 9, 4)),
        (dt.datetime(2020, 9, 4, 12, 0), dt.date(2020, 9, 4)),
    ],
)
def test_published_formats(tmp_path: Path, value: object, expected: dt.date) -> None:
    path = write(tmp_path / "a.txt", "Body.")
    assert load_document(path, metadata={"published": value}).published == expected


@pytest.mark.parametrize(
    "value", ["04/09/2020", "2020-9-4", "20200904", "September 4", "2020-09-04Tnoon", 20200904]
)
def test_bad_published_flag(tmp_path: Path, value: object) -> None:
    path = write(tmp_path / "a.txt", "Body.")
    with pytest.raises(InputError) as excinfo:
        load_document(path, metadata={"published": value})
    message = error(excinfo)
    assert str(path) in message and "--published" in message and "YYYY-MM-DD" in message


def test_unknown_metadata_flag(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Body.")
    with pytest.raises(InputError, match="unknown metadata --byline"):
        load_document(path, metadata={"byline": "X"})
