"""Articles from the web: HTML files, URLs (against a local server), JSON/JSONL, language detection."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from summarizer import cli
from summarizer.documents import load_document, load_documents
from summarizer.documents.language import detect_language, language_label
from summarizer.documents.web import fetch, record
from summarizer.errors import InputError
from summarizer.schemas import ComparisonDraft
from tests.fakeserver import FakeOpenAIServer

pytest.importorskip("trafilatura", reason="HTML extraction needs the web extra: pip install -e '.[web]'")


def page(title: str, site: str, author: str, date: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title} | {site}</title>"
        f"<meta name='author' content='{author}'><meta property='og:site_name' content='{site}'>"
        f"<meta property='og:title' content='{title}'>"
        f"<meta property='article:published_time' content='{date}T09:30:00Z'></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a> | <a href='/sport'>Sport</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright 2024 Daily Planet. All rights reserved. Subscribe to our newsletter.</footer>"
        "</body></html>"
    )


PAGE_1 = page(
    "Bridge reopens on Friday",
    "Daily Planet",
    "Lois Lane",
    "2024-05-03",
    [
        "The city bridge reopens on Friday after two years of repairs, the mayor said on Tuesday.",
        "Mayor Jane Doe said the repairs are complete and the deck is safe for traffic again.",
        "The repairs cost $2 million, according to the city's transport office, which paid for them.",
        "Drivers will be able to cross from noon, and buses return to their old routes next week.",
    ],
)
PAGE_2 = page(
    "Bridge to reopen Saturday",
    "The Herald",
    "Jimmy Olsen",
    "2024-05-04",
    [
        "The city bridge will reopen on Saturday, a day later than first planned, officials said.",
        "Mayor Jane Doe said the repairs are nearly complete but that inspectors must sign them off.",
        "The city council cited safety concerns about the old deck when it closed the bridge in 2022.",
        "Buses will return to their old routes once the inspectors have finished their checks.",
    ],
)


class _Site(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {
        "/page2": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE_2.encode()),
        "/hop": (302, {"Location": "/page2"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/ftp": (302, {"Location": "ftp://127.0.0.1/x"}, b""),
        "/gone": (404, {"Content-Type": "text/plain"}, b"not here"),
        "/plain": (200, {"Content-Type": "text/plain; charset=utf-8"}, b"The bridge reopens. It is safe."),
        "/image": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n"),
        "/big": (200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 200_000 + b"</p>"),
    }

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(1.5)
        status, headers, body = self.routes.get(self.path, (200, {"Content-Type": "text/html"}, b"<p>ok</p>"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (the timeout test) is expected, not news


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


# --------------------------------------------------------------------------------------------------
# HTML files and URLs
# --------------------------------------------------------------------------------------------------


def test_html_file_gives_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page1.html"
    path.write_text(PAGE_1, encoding="utf-8")
    doc = load_document(path)
    assert "reopens on Friday after two years" in doc.text
    assert "Subscribe" not in doc.text and "Sport" not in doc.text  # boilerplate dropped
    assert (doc.title, doc.outlet, doc.author) == ("Bridge reopens on Friday", "Daily Planet", "Lois Lane")
    assert doc.published is not None and doc.published.isoformat() == "2024-05-03"
    assert doc.language == "en"  # detected: the page's metadata does not say
    assert all(doc.text[s.start : s.end].strip() for s in doc.sentences)


def test_flags_and_sidecar_override_page_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page1.html"
    path.write_text(PAGE_1, encoding="utf-8")
    (tmp_path / "page1.meta.json").write_text(json.dumps({"outlet": "Planet (print)"}), encoding="utf-8")
    doc = load_document(path, metadata={"title": "Given title", "published": "2024-05-05"})
    assert (doc.outlet, doc.title, str(doc.published)) == ("Planet (print)", "Given title", "2024-05-05")
    assert doc.author == "Lois Lane"


def test_url_is_fetched_extracted_and_keeps_its_address(site: str) -> None:
    doc = load_document(f"{site}/hop")  # one redirect, then the page
    assert doc.outlet == "The Herald" and doc.author == "Jimmy Olsen"
    assert "reopen on Saturday" in doc.text
    assert doc.origin == f"{site}/hop" and doc.url == f"{site}/page2"


def test_plain_text_url_is_taken_as_it_is(site: str) -> None:
    doc = load_document(f"{site}/plain")
    assert doc.text == "The bridge reopens. It is safe." and doc.outlet == "127.0.0.1"


@pytest.mark.parametrize(
    ("path", "kwargs", "message"),
    [
        ("/gone", {}, "HTTP 404"),
        ("/loop", {}, "redirected more than 5 times"),
        ("/ftp", {}, "not an http(s) URL"),
        ("/image", {}, "image/png, not an article"),
        ("/big", {"max_bytes": 100_000}, "over the limit of 100,000 bytes"),
        ("/slow", {"fetch_timeout": 0.3}, "within 0.3 s"),
    ],
)
def test_fetch_failures_name_the_url_and_the_problem(
    site: str, path: str, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(InputError) as err:
        load_document(f"{site}{path}", **kwargs)
    assert f"{site}{path}" in str(err.value) and message in str(err.value)


def test_fetch_timeout_flag_reaches_the_fetch(site: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["summarize", f"{site}/slow", "--engine", "offline", "--fetch-timeout", "0.3"])
    err = capsys.readouterr().err
    assert code == 3 and f"{site}/slow" in err and "within 0.3 s" in err
    assert cli.build_parser().parse_args(["compare", "a.txt", "b.txt"]).fetch_timeout == 20.0


def test_unreachable_url_is_an_input_error() -> None:
    with pytest.raises(InputError, match="cannot be fetched"):
        fetch("http://127.0.0.1:9/nothing", timeout=2)


def test_redirect_bound_is_configurable(site: str) -> None:
    with pytest.raises(InputError, match="more than 0 times"):
        fetch(f"{site}/hop", max_redirects=0)


# --------------------------------------------------------------------------------------------------
# JSON and JSONL
# --------------------------------------------------------------------------------------------------


def test_json_object_is_one_article_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "story.json"
    item = {
        "body": "The bridge reopens on Friday. The mayor said so.",
        "headline": "Bridge",
        "source": "Daily",
    }
    path.write_text(json.dumps({**item, "date": "2024-05-03", "tags": ["city"]}), encoding="utf-8")
    doc = load_document(path)
    assert (doc.text, doc.title, doc.outlet, str(doc.published)) == (
        item["body"],
        "Bridge",
        "Daily",
        "2024-05-03",
    )


def test_jsonl_lines_become_sources_in_order(tmp_path: Path) -> None:
    path = tmp_path / "stories.jsonl"
    lines = [
        {"text": "The bridge reopens on Friday.", "outlet": "Daily"},
        {"text": "The bridge reopens on Saturday.", "outlet": "Herald", "authors": ["A. B.", "C. D."]},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    docs = load_documents([path, Path("fixtures/articles/mehr.txt")])
    assert [(d.id, d.outlet) for d in docs] == [("A", "Daily"), ("B", "Herald"), ("C", "Mehr News Agency")]
    assert docs[1].origin == f"{path}:2" and docs[1].author == "A. B., C. D."
    assert docs[1].sentences[0].id == "B1"
    with pytest.raises(InputError, match="holds 2 articles"):
        load_document(path)


def test_python_api_expands_jsonl_like_the_cli(tmp_path: Path) -> None:
    from summarizer import Client, compare, document_from_text

    path = tmp_path / "stories.jsonl"
    lines = [
        {"text": "The bridge reopens on Friday after repairs, the mayor said.", "outlet": "Daily"},
        {"text": "The bridge reopens on Saturday after repairs, the council said.", "outlet": "Herald"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = compare([path], engine="offline")
    cli_docs = load_documents([path])
    assert [(s.id, s.outlet, s.sha256) for s in result.sources] == [
        (d.id, d.outlet, d.sha256) for d in cli_docs
    ]
    first = document_from_text("Engineers keep the old ferry running until Sunday.", outlet="Post")
    mixed = compare([first, str(path)], engine="offline")
    assert [(s.id, s.outlet) for s in mixed.sources] == [("A", "Post"), ("B", "Daily"), ("C", "Herald")]
    cited = [(e.source, e.sentence_ids) for c in mixed.claims for st in c.sources for e in st.evidence]
    assert ("C", ["C1"]) in cited and all(ids[0].startswith(src) for src, ids in cited)
    with pytest.raises(InputError, match="holds 2 articles"):
        Client(engine="offline").summarize(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "ok"}\n{"title": "no text"}\n', "stories.jsonl:2: has no article text"),
        ('{"text": "ok"}\nnot json\n', "stories.jsonl:2: invalid JSON"),
        ('["a list"]\n', 'must be a JSON object with a "text" field'),
        ('{"text": "ok", "published": "last week"}\n', "is not a date"),
    ],
)
def test_bad_records_name_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "stories.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        load_documents([path])


def test_record_rejects_non_objects() -> None:
    with pytest.raises(InputError, match="not int"):
        record(3, "x.json")


# --------------------------------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("en", Path("fixtures/articles/anadolu.txt").read_text(encoding="utf-8")),
        ("de", "Der Bürgermeister sagte am Freitag, dass die Brücke nach zwei Jahren wieder geöffnet wird."),
        (
            "fr",
            "Le maire a déclaré vendredi que le pont sera rouvert après deux ans de travaux dans la ville.",
        ),
        (
            "es",
            "El alcalde dijo el viernes que el puente se reabrirá después de dos años de obras en la ciudad.",
        ),
        (
            "tr",
            "Belediye başkanı köprünün onarımdan sonra açılacağını söyledi ve bu çok daha iyi.",
        ),
        ("ru", "Мэр заявил в пятницу, что мост будет открыт после двух лет ремонта, и это было так."),
        (
            "uk",
            "Мер заявив у пʼятницю, що міст буде відкрито після двох років ремонту, і він також це сказав.",
        ),
        ("fa", "ایران پیشنهاد روسیه برای میانجیگری میان تهران و واشنگتن را رد کرد."),
        ("ar", "رفضت إيران عرضا من روسيا للوساطة بين طهران وواشنطن."),
        ("zh", "伊朗拒绝了俄罗斯提出的调解提议。"),
        ("ja", "イランはロシアによる仲介の申し出を拒否した。"),
    ],
)
def test_language_is_detected(code: str, text: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize(
    "text", ["", "12345 678", "Hello world", "Paris Berlin London Tokyo Rome Madrid Oslo Bern"]
)
def test_language_detector_says_none_when_unsure(text: str) -> None:
    assert detect_language(text) is None


def test_given_language_wins_and_labels_read_well(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "The mayor said the bridge reopens on Friday after the repairs of the deck.", encoding="utf-8"
    )
    assert load_document(path).language == "en"
    assert load_document(path, metadata={"language": "fr"}).language == "fr"
    assert language_label("fr") == "French (fr)" and language_label("pt-BR") == "pt-BR"


# --------------------------------------------------------------------------------------------------
# Done when: summarizer compare page1.html http://127.0.0.1:PORT/page2
# --------------------------------------------------------------------------------------------------


def _answer() -> dict[str, Any]:
    status = [
        {"source": "A", "status": "reports", "sentence_ids": ["A2"]},
        {"source": "B", "status": "contradicts", "sentence_ids": ["B2"]},
    ]
    answer: dict[str, Any] = {
        "story": "A city bridge reopens after repairs.",
        "overview": "Both report the reopening; they differ on the day.",
        "claims": [{"claim": "The bridge reopens on Friday.", "sources": status}],
        "conflicts": [],
        "quote_variants": [],
        "sourcing": [{"source": "A", "cited": []}, {"source": "B", "cited": []}],
        "framing": [],
    }
    for name, field in ComparisonDraft.model_fields.items():  # fields other issues may add to the draft
        if name not in answer and field.is_required():
            answer[name] = []
    return answer


def test_compare_an_html_file_and_a_url(
    site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SUMMARIZER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    page1 = tmp_path / "page1.html"
    page1.write_text(PAGE_1, encoding="utf-8")
    with FakeOpenAIServer() as server:
        server.reply_completion(json.dumps(_answer()))
        code = cli.main(
            [
                *("compare", str(page1), f"{site}/page2"),
                *("--base-url", server.url, "--format", "json", "--language", "de"),
            ]
        )
        sent = server.requests[0].body["messages"]
    out, err = capsys.readouterr()
    assert code == 0, err
    result = json.loads(out)
    assert [(s["outlet"], s["author"]) for s in result["sources"]] == [
        ("Daily Planet", "Lois Lane"),
        ("The Herald", "Jimmy Olsen"),
    ]
    assert result["sources"][1]["origin"] == f"{site}/page2"
    assert result["provenance"]["report_language"] == "de"
    assert "in German (de)" in sent[0]["content"]
    evidence = result["claims"][0]["sources"][1]["evidence"][0]
    assert evidence["text"] == result["sources"][1]["text"][evidence["start"] : evidence["end"]]
