"""The per-document work of grounding and analysis (issue 10's one index per document, issue 5's overhead).

Speed is measured by `bench/overhead.py`; these tests pin what must not change while the work is shared
or skipped: the same issues, and whole-article scans that are not run when nothing would keep them.
"""

from __future__ import annotations

import pytest

from summarizer.documents import document_from_text
from summarizer.grounding import Grounder, support_issues
from summarizer.grounding import _support as support
from summarizer.grounding._checks import PROSE_CHECKS, prose_issues
from summarizer.grounding._evidence import Evidence
from summarizer.rules import ALL, Selection

ARTICLE = (
    "Riverton did not approve the budget on Tuesday, Mayor Jane Holloway said.\n\n"
    "The plan sets aside $12 million for repairs, and the council rejected a cheaper offer. "
    "Officials expect the work to begin on March 3, 2027, although residents were never consulted."
)


def _fails(*_: object, **__: object) -> object:
    raise AssertionError("this scan should not run")


def test_prose_reads_the_article_only_for_numbers_dates_and_names(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = document_from_text(ARTICLE, source_id="A", outlet="Outlet A")
    prose = "Riverton approved a $15 million budget on March 4, 2027, Mayor John Holloway said; it is cold."
    every = support_issues(prose, Evidence((doc.text,), doc.published))
    whole = [i for i in every if i.check in PROSE_CHECKS]
    monkeypatch.setattr(support, "_negation_issues", _fails)  # the article negates: the gate would open
    got = prose_issues(prose + " ", [doc])  # a new text: the memo of support issues is not asked
    assert [(i.check, i.token) for i in got] == [(i.check, i.token) for i in whole]
    assert {i.check for i in got} == {"number", "date", "entity"}


@pytest.mark.parametrize("ignored", ["S101", "S102", "S103", "S101,S103"])
def test_prose_checks_follow_the_rules_selection(ignored: str) -> None:
    doc = document_from_text(ARTICLE, source_id="A", outlet="Outlet A")
    prose = "Riverton approved a $15 million budget on March 4, 2027, Mayor John Holloway said."
    rules = Selection(ignore=frozenset(ignored.split(",")))
    every = {i.check for i in prose_issues(prose, [doc], rules=ALL)}
    codes = {"S101": "number", "S102": "date", "S103": "entity"}
    assert {i.check for i in prose_issues(prose, [doc], rules=rules)} == every - {
        codes[c] for c in ignored.split(",")
    }


def test_a_paraphrased_item_is_not_searched_for_fuzzily(monkeypatch: pytest.MonkeyPatch) -> None:
    """The miscitation check acts only on text copied exactly (or with other quote marks): a fuzzy
    search of the whole article for every paraphrase was work thrown away."""
    doc = document_from_text(ARTICLE, source_id="A", outlet="Outlet A")
    g = Grounder([doc])
    monkeypatch.setattr(Grounder, "_find_fuzzy", _fails)
    ids = [s.id for s in doc.sentences]
    assert g.support_checks("The council turned down a cheaper offer for the repairs.", ids[2:3], "A") == []
    copied = "The plan sets aside $12 million for repairs"
    first = g.support_checks(copied, ids[-1:], "A")[0]
    assert first.message.startswith("the text is copied")
