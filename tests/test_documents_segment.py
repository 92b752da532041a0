"""The documents layer, segmentation: the seed articles sentence by sentence, the splitting rules,
random and pathological texts, and source ids."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from summarizer.documents import load_document, segment, source_ids
from summarizer.schemas import Sentence

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"


def texts(text: str, sentences: list[Sentence]) -> list[str]:
    """The text of each sentence, cut from `text` by its offsets."""
    return [text[s.start : s.end] for s in sentences]


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
