"""Build the document model of a `Verification`: verdict and mode, then every claim with its evidence."""

from __future__ import annotations

from summarizer.render._blocks import Doc, Heading, Item, Para, Seg, Style, plain
from summarizer.render._shared import check_text, listing, provenance_section, section
from summarizer.schemas import CheckedFact, Verification, VerifiedClaim

MODES = {
    "deterministic": "deterministic checks only (no model configured)",
    "deterministic+judge": "deterministic checks, then a model as entailment judge",
}


EVIDENCE = {"lexical": "shared content words", "minilm": "shared words and sentence embeddings (MiniLM)"}
VERDICT_STYLES: dict[str, Style] = {"consistent": "ok", "inconsistent": "bad", "cannot_verify": "warn"}


def claim_mark(c: VerifiedClaim) -> Seg:
    """The claim's verdict as symbol and word, so it never rests on colour alone (text and HTML alike)."""
    if c.verdict == "cannot_verify":
        return Seg("? cannot verify", "warn")
    return Seg("✔ supported", "ok") if c.verdict == "supported" else Seg("✘ unsupported", "bad")


def tally(v: Verification) -> str:
    """`3 of 4 claims supported`: the count under every rendering's verdict."""
    supported = sum(c.verdict == "supported" for c in v.claims)
    return f"{supported} of {len(v.claims)} claims supported"


def claim_item(n: int, c: VerifiedClaim) -> Item:
    head = (
        Seg(f"{n}. "),
        Seg(c.text),
        Seg(" "),
        claim_mark(c),
        Seg(f" — decided by {c.decided_by}: ", "dim"),
    )
    notes: list[Seg] = [Seg(f"{c.reason} (similarity {c.similarity:.0f}/100)", "note")]
    notes += [Seg(check_text(issue), "bad") for issue in c.checks]
    notes += [Seg(fact_text(f), "bad" if f.verdict == "unsupported" else "note") for f in c.facts]
    return Item(head, c.evidence, tuple(notes))


def fact_text(f: CheckedFact) -> str:
    """One single fact the judge ruled on by itself, with its ruling."""
    ruling = f"{f.verdict}: {f.reason}" if f.verdict else f"no valid answer ({f.judge_error})"
    return f"fact “{f.text}” — {ruling}"


def build_verification(v: Verification) -> Doc:
    doc = Doc()
    doc.add(Heading("Verification", 1))
    verdict = Seg(v.verdict, VERDICT_STYLES[v.verdict])
    doc.add(
        Para((Seg("Verdict: ", "strong"), verdict, Seg(f" · {tally(v)}"))),
        Para((Seg("Mode: ", "strong"), Seg(f"{MODES[v.mode]}; evidence chosen by {EVIDENCE[v.evidence]}"))),
        Para(plain("Sources: " + "; ".join(f"{s.outlet} ({s.id})" for s in v.sources), "dim")),
    )
    section(doc, "Claims", *listing([claim_item(n, c) for n, c in enumerate(v.claims, 1)]))
    provenance_section(doc, v.provenance)
    return doc
