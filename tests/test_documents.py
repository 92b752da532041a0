"""The documents layer: segmentation, loading, decoding, metadata and input errors."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from pathlib import Path

import pytest

from summarizer.documents import (
    DEFAULT_MAX_BYTES,
    document_from_text,
    load_document,
    load_documents,
    loading,
    segment,
    source_ids,
)
from summarizer.errors import InputError
from summarizer.schemas import Sentence

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"


def texts(text: str, sentences: list[Sentence]) -> list[str]:
    return [text[s.start : s.end] for s in sentences]


def split(text: str) -> list[str]:
    return texts(text, segment(text, "A"))


def assert_well_formed(text: str, sentences: list[Sentence], source_id: str = "A") -> None:
    """Ids in order, non-empty trimmed spans in order, and every visible character in one sentence."""
    assert [s.id for s in sentences] == [f"{source_id}{n}" for n in range(1, len(sentences) + 1)]
    previous_end = 0
    for s in sentences:
        piece = text[s.start : s.end]
        assert piece and piece == piece.strip(), (s, piece)
        assert previous_end <= s.start < s.end <= len(text)
        assert not text[previous_end : s.start].strip(), "visible text fell between sentences"
        previous_end = s.end
    assert not text[previous_end:].strip()


# --------------------------------------------------------------------------------------------------
# The seed articles, sentence by sentence
# --------------------------------------------------------------------------------------------------

ANADOLU = [
    "Iran has turned down an offer from Russia to mediate between Tehran and Washington, ruling out the "
    "possibility of negotiations with the US administration.",
    "Addressing a weekly press conference in Tehran on Monday, Iran’s foreign ministry spokesman Saeed "
    "Khatibzadeh said Iran is “doubtful” about the US intention.",
    "“We have no doubt about the intention of our friends (in Russia),” Khatibzadeh said, “but what is "
    "doubtful is the US intention.”",
    "Last week, Russian Foreign Minister Sergie Lavrov proposed to mediate between the two adversaries "
    "amid escalation of tensions in the wake of US push to reinstate sanctions on Iran.",
    "“If both countries are interested, we are ready to hold talks with the two sides to pave the ground "
    "for direct talks,” he said in Moscow.",
    "“We think it’s better to directly address differences and issues.”",
    "In response to the Russian offer, the Iranian president’s chief of staff, Mahmoud Vaezi, dismissed "
    "the possibility of direct negotiations with Washington.",
    "“We have no intention of negotiating with Americans as we have already made it clear,” Vaezi said on "
    "Friday, adding that many countries have come forward with the offer of mediation.",
    "The tensions between Tehran and Washington have seen a dangerous escalation in recent months, with "
    "the Persian Gulf region turning into a battlefield of sorts.",
    "Iran has maintained that it will consider the offers of talks with the US administration if "
    "Washington returns to the 2015 Iran nuclear deal and lifts sanctions on Iran.",
    "“We have no problem (with negotiations),” Iranian President Hassan Rouhani said on June 24.",
    "“They (Americans) are the ones who broke the table”.",
    "The US government had announced unilateral withdrawal from the nuclear deal in May 2018, followed by "
    "the reinstatement of sanctions.",
    "In recent weeks, the US has upped the ante, seeking the return of all pre-2015 sanctions on Iran, "
    "after the UN Security Council declined to extend an arms embargo on Tehran.",
    "US Secretary of State Mike Pompeo has said the US would enforce sweeping sanctions on Iran as part "
    "of the “maximum pressure” campaign, despite the UN Security Council’s refusal.",
    "Copyright 2022 Anadolu Agency.",
    "All rights reserved.",
    "This material may not be published, broadcast, rewritten, or redistributed.",
]

MEHR = [
    "TEHRAN - Iran rejected on Friday an offer made by Moscow to facilitate “direct negotiations” between "
    "Tehran and Washington amid simmering tensions between the two sides.",
    "“We have no intention of negotiating with the Americans, and we have declared our stance very "
    "clearly,” said Mahmoud Vaezi, the Iranian president’s chief of staff, in response to a Russian offer "
    "to help launch direct negotiations between Iran and the U.S.",
    "Vaezi was responding to a question from the Tasnim news agency on the Russian offer, which was made "
    "by Russian Foreign Minister Sergei Lavrov during a speech delivered to an audience of teachers and "
    "students of MGIMO University on Tuesday.",
    "“We support direct negotiations between Iran and the U.S. and stand ready to help them begin the "
    "negotiations,” the chief Russian diplomat said.",
    "“We are ready to hold talks with the two sides in order to pave the way for the direct talks "
    "[between Tehran and Washington] if they both are interested [in negotiations].",
    "We think that it’s better to directly address differences and issues and get answers.”",
    "Vaezi said Lavrov wasn’t the only person to have proposed a direct negotiation between Iran and the "
    "U.S., saying other countries have made similar offers.",
    "“Americans must return to the JCPOA and speak within the framework of the JCPOA, otherwise, no other "
    "action would yield result,” he noted.",
    "Vaezi also pointed to U.S. sanctions on Iran, saying the Americans have taken a “wrong path” by "
    "imposing sanctions on Iran.",
    "Iran’s response to the Russian offer comes against a backdrop of heightened tensions between Tehran "
    "and Washington over the U.S. bid to re-impose all UN sanctions on Iran using a contested mechanism "
    "within the Joint Comprehensive Plan of Action (JCPOA).",
    "The mechanism – known as snapback- was designed to allow participants to the JCPOA to restore the "
    "international sanctions on Iran in case it didn’t implement its commitments under the deal.",
    "In a highly controversial move, the U.S. resorted to the snapback process on August 20, notifying "
    "the UN Security Council of Iran’s “significant non-performance” as defined in UN Security Council "
    "Resolution 2231.",
    "The U.S. move faced massive opposition from the international community.",
    "All JCPOA parties, along with almost all members of the UN Security Council, declared that the U.S. "
    "had no legal right to trigger the snapback process because it withdrew from the Iran nuclear deal on "
    "May 8, 2018, and that it is no longer considered a JCPOA participant.",
    # No punctuation separates the credit line from the licence: nothing to split on.
    "SKM/PA All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 "
    "International License.",
]


@pytest.mark.parametrize(("name", "expected"), [("anadolu", ANADOLU), ("mehr", MEHR)])
def test_seed_articles_split_into_pinned_sentences(name: str, expected: list[str]) -> None:
    doc = load_document(ARTICLES / f"{name}.txt", source_id="B")
    assert texts(doc.text, doc.sentences) == expected
    assert_well_formed(doc.text, doc.sentences, "B")
    assert doc.text == (ARTICLES / f"{name}.txt").read_text(encoding="utf-8")


def test_seed_counts() -> None:
    assert len(ANADOLU) == 18
    assert len(MEHR) == 15


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


# --------------------------------------------------------------------------------------------------
# Segmentation rules
# --------------------------------------------------------------------------------------------------

CASES = {
    # Closing quotes and brackets belong to the sentence they close.
    "quote after the period, then a new quote": (
        "“We are ready,” he said in Moscow. “We think so.”",
        ["“We are ready,” he said in Moscow.", "“We think so.”"],
    ),
    "closing quote then a name": (
        "“We want answers.” Vaezi said more.",
        ["“We want answers.”", "Vaezi said more."],
    ),
    "period after the closing quote": (
        "“They broke the table”. The US left.",
        ["“They broke the table”.", "The US left."],
    ),
    "straight quotes": (
        'He said "Go." Then he left. "Stay," she said.',
        ['He said "Go."', "Then he left.", '"Stay," she said.'],
    ),
    "closing bracket": ("(It was late.) They left.", ["(It was late.)", "They left."]),
    "single quotes inside double": (
        "“He said ‘no.’” Then silence.",
        ["“He said ‘no.’”", "Then silence."],
    ),
    "quote spanning sentences": (
        "“We are ready [to talk]. We think it is better.” Vaezi said no.",
        ["“We are ready [to talk].", "We think it is better.”", "Vaezi said no."],
    ),
    "question inside a quote, lowercase after": (
        "“Why?” he asked. “Why not!” she said.",
        ["“Why?” he asked.", "“Why not!” she said."],
    ),
    "question and exclamation": (
        "Is it over? Yes! Really?! Maybe.",
        ["Is it over?", "Yes!", "Really?!", "Maybe."],
    ),
    # Abbreviations.
    "titles": (
        "Mr. Smith met Mrs. Jones, Ms. Lee, Dr. Who and Prof. Plum. Gen. Milley, Sen. Cruz, Rep. "
        "Omar and Gov. Newsom came too.",
        [
            "Mr. Smith met Mrs. Jones, Ms. Lee, Dr. Who and Prof. Plum.",
            "Gen. Milley, Sen. Cruz, Rep. Omar and Gov. Newsom came too.",
        ],
    ),
    "country abbreviations before lowercase": (
        "The U.S. and the U.K. met at the U.N. on Friday.",
        ["The U.S. and the U.K. met at the U.N. on Friday."],
    ),
    "country abbreviation before a title": (
        "The U.S. President spoke. The U.N. Security Council met. U.K. Prime Minister Johnson left.",
        ["The U.S. President spoke.", "The U.N. Security Council met.", "U.K. Prime Minister Johnson left."],
    ),
    "country abbreviation at the end of a sentence": (
        "She moved to the U.S. The move was hard. He left the U.K. It rained.",
        ["She moved to the U.S.", "The move was hard.", "He left the U.K.", "It rained."],
    ),
    "country abbreviation before a name that starts a sentence": (
        "Talks between Iran and the U.S. Vaezi said no.",
        ["Talks between Iran and the U.S.", "Vaezi said no."],
    ),
    "country abbreviation before a quote": (
        "He flew to the U.S. “It was fine,” he said.",
        ["He flew to the U.S.", "“It was fine,” he said."],
    ),
    "country abbreviation before an abbreviated title": (
        "He met U.S. Gen. Milley. In the U.S. Dr. Fauci spoke.",
        ["He met U.S. Gen. Milley.", "In the U.S.", "Dr. Fauci spoke."],
    ),
    "times": (
        "It began at 9 a.m. on Friday and ended at 5 p.m. Tuesday. It ended at 9 p.m. The crowd left.",
        [
            "It began at 9 a.m. on Friday and ended at 5 p.m. Tuesday.",
            "It ended at 9 p.m.",
            "The crowd left.",
        ],
    ),
    "months": (
        "It was Feb. 3 and Sept. 11 came later. It rained in Sept. The end.",
        ["It was Feb. 3 and Sept. 11 came later.", "It rained in Sept.", "The end."],
    ),
    "companies and suffixes": (
        "Apple Inc. shares rose. He joined Acme Corp. It paid well. Smith Jr. and Jones Co. Ltd. agreed.",
        [
            "Apple Inc. shares rose.",
            "He joined Acme Corp.",
            "It paid well.",
            "Smith Jr. and Jones Co. Ltd. agreed.",
        ],
    ),
    "saint and number": (
        "He lives at No. 10 Downing St. in London. St. Petersburg is far.",
        ["He lives at No. 10 Downing St. in London.", "St. Petersburg is far."],
    ),
    "latin abbreviations": (
        "Fruit, e.g. Apples, i.e. Red ones, vs. Pears, etc. are sold. Apples, pears, etc. The rest.",
        ["Fruit, e.g. Apples, i.e. Red ones, vs. Pears, etc. are sold.", "Apples, pears, etc.", "The rest."],
    ),
    # Initials.
    "initials": (
        "J. K. Rowling met George W. Bush. Then they left.",
        ["J. K. Rowling met George W. Bush.", "Then they left."],
    ),
    "single letter before a sentence starter": (
        "They chose Plan B. The plan failed.",
        ["They chose Plan B.", "The plan failed."],
    ),
    # Numbers.
    "numbers with dots": (
        "Growth was 3.5 percent. It cost $1.2 billion. Version 2.0 is out. He got 2.0. She got 3.",
        [
            "Growth was 3.5 percent.",
            "It cost $1.2 billion.",
            "Version 2.0 is out.",
            "He got 2.0.",
            "She got 3.",
        ],
    ),
    "sentence ending with a year then a number": (
        "It ended in 2018. 2019 was calm.",
        ["It ended in 2018.", "2019 was calm."],
    ),
    # Ellipses and dashes.
    "ellipses": (
        "He paused... Then he spoke. Wait… What? The … ellipsis … stays. We will... well, see.",
        [
            "He paused...",
            "Then he spoke.",
            "Wait…",
            "What?",
            "The … ellipsis … stays.",
            "We will... well, see.",
        ],
    ),
    "dashes do not split": (
        "TEHRAN - Iran said no – known as snapback- and then — quietly — left. “We will —” he said.",
        ["TEHRAN - Iran said no – known as snapback- and then — quietly — left.", "“We will —” he said."],
    ),
    "dash after a sentence": ("It ended. — Then silence.", ["It ended.", "— Then silence."]),
    # Line breaks.
    "headline and byline": (
        "Iran rejects offer\nBy John Smith\n\nTEHRAN - Iran said no. It was clear.",
        ["Iran rejects offer", "By John Smith", "TEHRAN - Iran said no.", "It was clear."],
    ),
    "paragraph break after an abbreviation": (
        "He moved to the U.S.\n\nHe likes it.",
        ["He moved to the U.S.", "He likes it."],
    ),
    "hard-wrapped line": (
        "The talks between Tehran\nand Washington failed,\nTehran said.",
        ["The talks between Tehran\nand Washington failed,\nTehran said."],
    ),
    "windows line endings": (
        "Headline\r\n\r\nFirst line.\r\nSecond line\r\n",
        ["Headline", "First line.", "Second line"],
    ),
    "markdown": (
        "# Iran says no\n\n- first point\n- second point\n\n*It ended.* **Then** more.",
        ["# Iran says no", "- first point", "- second point", "*It ended.*", "**Then** more."],
    ),
    "surrounding whitespace": ("  \n\t It ended.   Then more.  \n\n", ["It ended.", "Then more."]),
    "no final punctuation": ("It ended", ["It ended"]),
    "nbsp and tabs are whitespace": ("It ended.\u00a0Then\tmore.", ["It ended.", "Then\tmore."]),
    "no space after the period": (
        "It ended.Then more. U.S.-led talks.",
        ["It ended.Then more.", "U.S.-led talks."],
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_segmentation_rules(case: str) -> None:
    text, expected = CASES[case]
    sentences = segment(text, "A")
    assert texts(text, sentences) == expected
    assert_well_formed(text, sentences)


def test_empty_and_whitespace_only_text_has_no_sentences() -> None:
    assert segment("", "A") == []
    assert segment(" \n\t\n ", "A") == []


def test_ids_use_the_source_id() -> None:
    sentences = segment("One. Two. Three.", "AB")
    assert [s.id for s in sentences] == ["AB1", "AB2", "AB3"]
    assert sentences[1] == Sentence(id="AB2", start=5, end=9)


def test_offsets_count_code_points_of_the_text_as_given() -> None:
    text = "\ufeffCafé “quoted.” Next 😀 emoji. 😀 Ünïcödé."
    sentences = segment(text, "A")
    assert texts(text, sentences) == ["\ufeffCafé “quoted.”", "Next 😀 emoji.", "😀 Ünïcödé."]
    assert sentences[2].start == text.index("😀 Ü")


def test_random_concatenations_of_seed_sentences_split_back() -> None:
    """Seed sentences joined by any whitespace come back exactly, in order."""
    rng = random.Random(20200904)
    pool = ANADOLU + MEHR
    separators = [" ", "  ", "\n", "\n\n", " \n", "\r\n", "\t", "\n \n"]
    for _ in range(300):
        chosen = [rng.choice(pool) for _ in range(rng.randint(1, 12))]
        text = rng.choice(["", " ", "\n"])
        for sentence in chosen:
            text += sentence + rng.choice(separators)
        sentences = segment(text, "C")
        assert texts(text, sentences) == chosen
        assert_well_formed(text, sentences, "C")


def test_random_noise_is_always_well_formed() -> None:
    """Whatever the text, spans are trimmed, ordered, non-overlapping and cover every visible char."""
    rng = random.Random(7)
    alphabet = [
        "a", "b", "The", "U.S.", "Mr.", "J.", "3.5", ".", "?", "!", "…", "...", "“", "”", '"', "'",
        "(", ")", "[", "]", "—", "-", " ", " ", " ", "\n", "\n\n", "\r\n", "\t", "\u00a0", "Iran", "a.m.",
    ]  # fmt: skip
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert_well_formed(text, segment(text, "A"))


def test_long_texts_keep_every_sentence() -> None:
    # Speed is measured by bench/documents_speed.py, not here.
    text = "\n\n".join(ANADOLU + MEHR)
    big = "\n\n".join([text] * (10_000 // (len(ANADOLU) + len(MEHR)) + 1))
    sentences = segment(big, "A")
    assert len(sentences) >= 10_000
    assert_well_formed(big, sentences)


@pytest.mark.parametrize(
    "text",
    ["a" * 300_000 + ".", "." * 100_000 + " X", " " * 300_000 + "x", "\n" * 200_000 + "x", "U.S. " * 50_000],
)
def test_pathological_texts_are_segmented(text: str) -> None:
    # A quadratic pass would not finish here; bench/documents_speed.py measures the time.
    assert_well_formed(text, segment(text, "A"))


def test_source_ids() -> None:
    assert source_ids(0) == []
    assert source_ids(3) == ["A", "B", "C"]
    ids = source_ids(28)
    assert ids[25:] == ["Z", "AA", "AB"]
    assert source_ids(703)[-2:] == ["ZZ", "AAA"]
    assert len(set(source_ids(1000))) == 1000


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def error(excinfo: pytest.ExceptionInfo[InputError]) -> str:
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
