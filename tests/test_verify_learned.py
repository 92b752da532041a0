"""`verify --decide learned`: the packaged model file, its errors, its decisions."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from summarizer import verify
from summarizer.cli import main
from summarizer.errors import ConfigError
from summarizer.grounding import FEATURES, VERIFIER_FILE, SourceStats, claim_features, load_verifier

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
MEHR = ARTICLES / "mehr.txt"
FAITHFUL = "The U.S. move faced massive opposition from the international community."


def _packaged() -> dict[str, object]:
    data = json.loads(VERIFIER_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_packaged_model_loads_with_its_provenance() -> None:
    model = load_verifier()
    assert model.features == FEATURES
    assert 0 < model.abstain <= model.threshold < 1
    assert all(math.isfinite(w) for w in model.weights)
    for key in ("command", "split", "date", "tune_cv", "heldout"):
        assert key in model.provenance, key
    assert "train_verifier.py" in str(model.provenance["command"])


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda d: "{ not json", "cannot be read"),
        (lambda d: json.dumps({**d, "format": 99}), "format 99"),
        (lambda d: json.dumps({**d, "features": d["features"][:-1]}), "features differ"),
        (lambda d: json.dumps({**d, "weights": d["weights"][:-1]}), "weights has"),
        (lambda d: json.dumps({**d, "scale": [0.0] * len(d["scale"])}), "not positive"),
        (lambda d: json.dumps({**d, "threshold": 1.5}), "out of range"),
        (lambda d: json.dumps({k: v for k, v in d.items() if k != "bias"}), "bias"),
        (lambda d: json.dumps({**d, "weights": [-1.0] * len(d["weights"])}), "rule_number"),
    ],
)
def test_a_damaged_model_file_is_an_error_naming_it(tmp_path: Path, damage: object, said: str) -> None:
    path = tmp_path / "verifier.json"
    path.write_text(damage(_packaged()), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(ConfigError) as caught:
        load_verifier(path)
    assert said in str(caught.value)
    assert str(path) in str(caught.value)
    assert "train_verifier.py --write" in str(caught.value)


def test_features_are_the_declared_ones_and_see_an_unsaid_name() -> None:
    source = SourceStats.of(["The council approved the budget on Monday.", "Ann Lee voted against it."])
    said = claim_features(
        "The council approved the budget.", ["The council approved the budget on Monday."], 1.0, [], source
    )
    unsaid = claim_features(
        "Mayor Brown approved the budget.", ["The council approved the budget on Monday."], 0.6, [], source
    )
    assert tuple(said) == FEATURES
    assert said["unsaid_names"] == 0 < unsaid["unsaid_names"]
    assert said["uncovered"] == 0 < unsaid["uncovered"]


def test_the_decision_follows_the_features() -> None:
    model = load_verifier()
    at_mean = dict(zip(model.features, model.mean))
    quiet = model.score(at_mean)
    fired = model.score({**at_mean, "rules_fired": 2.0, "rule_entity": 1.0, "unsaid_names": 1.0})
    assert quiet < model.threshold <= fired
    assert [name for name, _ in model.strongest({**at_mean, "rule_entity": 1.0})] == ["rule_entity"]


def test_a_changed_name_is_unsupported_with_its_check_and_a_confidence() -> None:
    result = verify(FAITHFUL.replace("U.S.", "Chinese"), [MEHR], decide="learned")
    assert result.decide == "learned"
    claim = result.claims[0]
    assert claim.verdict == "unsupported"
    assert claim.confidence is not None and claim.confidence >= load_verifier().threshold
    assert [i.code for i in claim.checks] == ["S103"]  # the rule's reason and evidence stay
    assert "learned verifier" in claim.reason and "Chinese" in claim.reason
    span = claim.evidence[0]
    assert span.text == result.sources[0].text[span.start : span.end]


MEHR_SUMMARY = (
    "Iran rejected on Friday an offer made by Moscow to facilitate direct negotiations between Tehran and "
    "Washington. The U.S. resorted to the snapback process on August 20. " + FAITHFUL
)


def test_sentences_copied_from_the_source_are_supported() -> None:
    """An unconstrained fit weighed closeness to the evidence against a claim (SummEdits' edits are near
    copies) and flagged the verbatim third sentence; `SIGNS` forbids that."""
    result = verify(MEHR_SUMMARY, [MEHR], decide="learned")
    assert [c.verdict for c in result.claims] == ["supported"] * 3
    assert result.verdict == "consistent"


def test_a_changed_date_stays_unsupported() -> None:
    """With few date failures in tune, an unconstrained fit gave the date check a negative weight and
    passed this claim; a failed check may not lower the score."""
    result = verify(MEHR_SUMMARY.replace("August 20", "August 27"), [MEHR], decide="learned")
    assert [c.verdict for c in result.claims] == ["supported", "unsupported", "supported"]
    assert result.claims[1].decided_by == "date"


def test_the_rules_stay_the_default() -> None:
    result = verify(FAITHFUL, [MEHR])
    assert result.decide == "rules"
    assert all(c.confidence is None for c in result.claims)


def test_cli_decide_learned_writes_confidences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    summary = tmp_path / "summary.txt"
    summary.write_text(FAITHFUL.replace("U.S.", "Chinese"), encoding="utf-8")
    code = main(["verify", "--source", str(MEHR), str(summary), "--decide", "learned", "--format", "json"])
    assert code == 6
    out = json.loads(capsys.readouterr().out)
    assert out["decide"] == "learned"
    assert out["claims"][0]["confidence"] >= load_verifier().threshold


def test_html_shows_the_learned_verdict_and_its_reason() -> None:
    from summarizer.render import render

    passed = verify(FAITHFUL.replace("massive opposition", "massive support"), [MEHR], decide="learned")
    page = render(passed, "html")
    assert "learned verifier" in page
    assert f"{100 * (passed.claims[0].confidence or 0):.0f}% likely unsupported" in page
