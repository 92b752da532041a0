"""The antonym check's second path: a claim word the source never uses whose opposite its evidence uses
(WordNet antonyms as package data, negative prefixes), and the script that regenerates the table.

Texts are authored for this file; the WordNet lines of the script test are written here in WordNet's
data-file format, not copied from WordNet.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

from summarizer.documents import document_from_text
from summarizer.grounding._support import opposites
from summarizer.pipeline import run_sync
from summarizer.schemas import Verification
from summarizer.text import root, source
from summarizer.verify import averify_documents

ROOT = Path(__file__).resolve().parents[1]


def _verify(summary: str, text: str) -> Verification:
    return run_sync(averify_documents(summary, [document_from_text(text, outlet="test")]))


def _decided(result: Verification) -> list[str]:
    return [c.decided_by for c in result.claims if c.verdict == "unsupported"]


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("Mia thinks the new album is unimpressive.", "Mia: the new album is impressive, I love it."),
        ("Tom disagrees to drive them to the airport.", "Tom: ok, I agree to drive you to the airport."),
        (
            "The team found an indirect link between sleep and memory.",
            "We find a direct link between sleep and memory.",
        ),
        (
            "The app is paid and lets users record episodes.",
            "The app is free and lets users record episodes.",
        ),
    ],
)
def test_a_word_the_source_never_uses_whose_opposite_the_evidence_uses_is_flagged(
    claim: str, text: str
) -> None:
    result = _verify(claim, text)
    assert result.verdict == "inconsistent"
    assert _decided(result) == ["antonym"], [c.reason for c in result.claims]


def test_a_word_the_source_uses_somewhere_is_not_taken_for_an_opposite() -> None:
    text = "The first album was impressive. The second album was unimpressive and short."
    result = _verify("The second album was unimpressive.", text)
    assert result.verdict == "consistent", [c.reason for c in result.claims]


def test_a_paraphrase_without_opposites_stays_consistent() -> None:
    text = "Steve: do you fancy a drink at the weekend? Carly: yes, we could meet at Kings."
    result = _verify("Steve and Carly plan to meet at Kings for a drink at the weekend.", text)
    assert result.verdict == "consistent", [c.reason for c in result.claims]


def test_an_adjectives_satellites_take_its_heads_antonyms_but_are_not_opposite_to_each_other() -> None:
    assert root("dry") in opposites(root("damp"))  # damp is "similar to" wet, whose antonym is dry
    assert root("parched") not in opposites(root("damp"))  # both satellites: no antonyms of each other
    assert root("decrease") in opposites(root("increase"))


def test_the_antonym_table_states_its_source_and_licence() -> None:
    header = source("antonyms")
    assert "WordNet 3.0" in header and "Princeton University" in header
    assert "scripts/wordnet_antonyms.py" in header


DATA_ADJ = """\
  1 a licence line, skipped
00000001 00 a 01 wet 0 002 ! 00000003 a 0101 & 00000002 a 0000 | covered with water
00000002 00 s 01 damp 0 001 & 00000001 a 0000 | slightly wet
00000003 00 a 01 dry 0 001 ! 00000001 a 0101 | free from water
"""
DATA_NOUN = """\
00000010 00 n 01 friend 0 001 ! 00000011 n 0101 | a person you know well
00000011 00 n 02 foe 0 enemy 0 001 ! 00000010 n 0101 | an opponent
"""


def test_the_script_regenerates_the_table_from_wordnet_data_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wordnet = tmp_path / "dict"
    wordnet.mkdir()
    (wordnet / "data.adj").write_text(DATA_ADJ, encoding="latin-1")
    (wordnet / "data.noun").write_text(DATA_NOUN, encoding="latin-1")
    (wordnet / "data.verb").write_text("", encoding="latin-1")
    (wordnet / "data.adv").write_text("", encoding="latin-1")
    out = tmp_path / "antonyms.txt"
    monkeypatch.setattr(sys, "argv", ["wordnet_antonyms.py", str(wordnet), "--out", str(out)])
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(ROOT / "scripts" / "wordnet_antonyms.py"), run_name="__main__")
    assert done.value.code == 0
    lines = [line for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert lines == ["dry | wet damp", "foe | friend"]


def test_the_script_names_the_folder_it_needs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["wordnet_antonyms.py", str(tmp_path / "missing")])
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(ROOT / "scripts" / "wordnet_antonyms.py"), run_name="__main__")
    assert done.value.code == 2
