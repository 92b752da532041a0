"""How well the prompts work with a real (small, local) model: summarize and compare on held-out stories.

    scripts/local_server.sh start
    nice python bench/model_eval.py --base-url http://127.0.0.1:8765/v1 --model qwen2.5-coder-1.5b-instruct \
        [-n 2] [--part heldout] [--stories story-108,story-109] [--prompts DIR] [--label before] \
        [--out results.json] [--data ../shared/data/dev]

For each story (the shortest of the chosen split part first, since every call takes minutes on a CPU):
`summarize` of its source A and `compare` of all its sources, one request at a time, through the real
pipeline (re-asks, grounding). Per call it reports:
- `valid1`: the first answer parsed and matched the schema; `clean1`: it also passed the hard checks
  (sentence ids exist, quotes verbatim); `reasks` used (of `--reasks`);
- `items`, `grounded`, `flagged`: the result's checked items (key points, quotes, dates, headline and
  summary; claims, conflicts, quote wordings, framing, story and overview) and the failed checks by kind;
- `ids caught` / `quotes caught`: invented sentence ids and non-verbatim quotes found in any answer
  (sent back, or flagged in the result);
- for compare, `matched`: model claims that cite, for some source, a sentence that a claim of the
  offline engine's matrix cites for it (the same statement found deterministically), of all model
  claims, and for those how many sources' statuses agree with the offline claim's;
  `confirmed`/`rejected`: the model's verdicts on the analysis's candidate findings;
- tokens (input/output, summed over attempts) and seconds per call.
A failed call (invalid after every re-ask, timeout) is reported with its error, never dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from splits import DEV, Part, require_dev, stories

from summarizer.documents import load_document
from summarizer.errors import SummarizerError
from summarizer.grounding import check_comparison, check_summary
from summarizer.llm.base import Backend, Completion, Message, OutputSpec
from summarizer.llm.openai_backend import OpenAIBackend
from summarizer.llm.structured import parse_answer
from summarizer.offline import compare_offline
from summarizer.pipeline import Client
from summarizer.schemas import Comparison, ComparisonDraft, Document, Summary, SummaryDraft

_ID_ERROR = re.compile(r"sentence id .* does not exist|unknown sentence ids|belongs to source")
_QUOTE_ERROR = re.compile(r"is not verbatim|text not found|text differs from source")


class Watching:
    """A backend that keeps every answer it passes on, so the first one can be judged on its own."""

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.name, self.model, self.endpoint_host = inner.name, inner.model, inner.endpoint_host
        self.answers: list[Completion] = []
        self.conversations: list[list[Message]] = []

    async def complete(
        self, messages: list[Message], output: OutputSpec, *, temperature: float
    ) -> Completion:
        completion = await self.inner.complete(messages, output, temperature=temperature)
        self.answers.append(completion)
        self.conversations.append(messages)
        return completion


@dataclass
class Call:
    story: str
    task: str
    ok: bool = False
    error: str = ""
    valid1: bool = False
    clean1: bool = False
    attempts: int = 0
    items: int = 0
    grounded: int = 0
    flagged: int = 0
    checks: dict[str, int] = field(default_factory=dict)
    ids_caught: int = 0
    quotes_caught: int = 0
    claims: int = 0
    matched: int = 0
    status_agree: int = 0
    statuses: int = 0
    confirmed: int = 0
    rejected: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)


def _docs(folder: Path, task: str) -> list[Document]:
    files = sorted(folder.glob("source-*.txt"))[: 1 if task == "summarize" else None]
    meta = json.loads((folder / "meta.json").read_text("utf-8"))["sources"]
    docs = []
    for n, path in enumerate(files):
        letter = path.stem.split("-")[-1]
        doc = load_document(path, source_id=chr(ord("A") + n))
        info = meta.get(letter, {})
        docs.append(doc.model_copy(update={"outlet": info.get("outlet") or doc.outlet}))
    return docs


def _reask_errors(watch: Watching) -> list[str]:
    """Every problem the loop sent back to the model (the re-ask messages)."""
    errors: list[str] = []
    for messages in watch.conversations[1:]:
        errors += [line[2:] for line in str(messages[-1]["content"]).splitlines() if line.startswith("- ")]
    return errors


def _matched(comparison: Comparison, docs: list[Document]) -> tuple[int, int, int]:
    """(model claims that cite a sentence an offline claim cites for the same source, sources whose
    status agrees with that offline claim's, sources compared) against the offline engine's matrix."""
    offline = compare_offline(docs, time.perf_counter())

    def cited(claim: Any) -> set[tuple[str, str]]:
        return {(st.source, i) for st in claim.sources for span in st.evidence for i in span.sentence_ids}

    matched = agree = compared = 0
    for claim in comparison.claims:
        mine = cited(claim)
        best = max(offline.claims, key=lambda o: len(mine & cited(o)), default=None)
        if best is None or not mine & cited(best):
            continue
        matched += 1
        theirs = {st.source: st.status for st in best.sources}
        for st in claim.sources:
            compared += 1
            agree += theirs.get(st.source) == st.status
    return matched, agree, compared


async def run_call(client: Client, watch: Watching, story: Path, task: str) -> Call:
    call = Call(story.name, task)
    docs = _docs(story, task)
    watch.answers.clear()
    watch.conversations.clear()
    started = time.monotonic()
    result: Summary | Comparison | None = None
    try:
        if task == "summarize":
            result = await client.asummarize(docs[0], length="short")
        else:
            result = await client.acompare(docs)
        call.ok = True
    except SummarizerError as exc:
        call.error = str(exc)[:300]
        usage = getattr(exc, "usage", None)
        if usage is not None:
            call.input_tokens, call.output_tokens = usage.input_tokens, usage.output_tokens
    call.seconds = round(time.monotonic() - started, 1)
    draft_type: Any = SummaryDraft if task == "summarize" else ComparisonDraft
    if watch.answers:
        value, errors = parse_answer(watch.answers[0].content, draft_type)
        call.valid1 = value is not None and not errors
        if value is not None:  # the hard checks the loop applies: ids exist, quotes verbatim, sources
            hard = check_summary(value, docs[0]) if task == "summarize" else check_comparison(value, docs)
            call.clean1 = call.valid1 and not hard
    call.attempts = len(watch.answers)
    sent_back = _reask_errors(watch)
    call.ids_caught = sum(bool(_ID_ERROR.search(e)) for e in sent_back)
    call.quotes_caught = sum(bool(_QUOTE_ERROR.search(e)) for e in sent_back)
    call.examples = sent_back[:6]
    if result is not None:
        g = result.grounding
        call.items, call.grounded, call.flagged, call.checks = (
            g.items,
            g.grounded,
            g.ungrounded,
            dict(g.checks),
        )
        call.ids_caught += g.checks.get("citation", 0)
        call.quotes_caught += g.checks.get("quote", 0)
        call.input_tokens = result.provenance.usage.input_tokens
        call.output_tokens = result.provenance.usage.output_tokens
        call.examples += g.reasons[:6]
        if isinstance(result, Comparison):
            call.claims = len(result.claims)
            call.matched, call.status_agree, call.statuses = _matched(result, docs)
            call.confirmed = sum(r.verdict == "confirmed" for r in result.candidate_reviews)
            call.rejected = sum(r.verdict == "rejected" for r in result.candidate_reviews)
    return call


def table(calls: list[Call], label: str) -> str:
    head = (
        f"| {label} | task | ok | valid 1st | clean 1st | attempts | items | grounded | flagged | "
        "ids caught | quotes caught | claims matched | in/out tokens | s |"
    )
    rows = [head, "|" + "---|" * 14]
    for c in calls:
        matched = f"{c.matched}/{c.claims}" if c.task == "compare" and c.ok else ""
        rows.append(
            f"| {c.story} | {c.task} | {'yes' if c.ok else 'no'} | {'yes' if c.valid1 else 'no'} | "
            f"{'yes' if c.clean1 else 'no'} | {c.attempts} | {c.items} | {c.grounded} | {c.flagged} | "
            f"{c.ids_caught} | {c.quotes_caught} | {matched} | {c.input_tokens}/{c.output_tokens} | "
            f"{c.seconds:.0f} |"
        )
    n = len(calls) or 1
    rows.append(
        f"| **all** | | {sum(c.ok for c in calls)}/{len(calls)} | "
        f"{sum(c.valid1 for c in calls)}/{len(calls)} | "
        f"{sum(c.clean1 for c in calls)}/{len(calls)} | {sum(c.attempts for c in calls)} | "
        f"{sum(c.items for c in calls)} | {sum(c.grounded for c in calls)} | "
        f"{sum(c.flagged for c in calls)} | "
        f"{sum(c.ids_caught for c in calls)} | {sum(c.quotes_caught for c in calls)} | "
        f"{sum(c.matched for c in calls)}/{sum(c.claims for c in calls)} | "
        f"{sum(c.input_tokens for c in calls) // n}/{sum(c.output_tokens for c in calls) // n} per call | "
        f"{sum(c.seconds for c in calls) / n:.0f} per call |"
    )
    return "\n".join(rows)


async def main_async(args: argparse.Namespace) -> list[Call]:
    data = require_dev(args.data)
    chosen = [data / s for s in args.stories.split(",")] if args.stories else None
    if chosen is None:
        pool = list(stories(data, args.part))
        pool.sort(key=lambda p: sum(f.stat().st_size for f in p.glob("source-*.txt")))
        chosen = pool[: args.n]
    inner = OpenAIBackend.from_settings(
        model=args.model,
        base_url=args.base_url,
        timeout=args.timeout,
        max_retries=0,
        record_dir=args.record,
        replay_dir=args.replay,
        max_tokens=args.max_tokens,
    )
    watch = Watching(inner)
    client = Client(
        backend=watch,
        reasks=args.reasks,
        prompts=args.prompts,
        structured_output=args.structured_output,
        cache=False,
        call_log=False,
    )
    calls = []
    for story in chosen:
        for task in args.tasks.split(","):
            call = await run_call(client, watch, story, task)
            print(json.dumps(asdict(call), ensure_ascii=False), file=sys.stderr, flush=True)
            calls.append(call)
    return calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", type=Path, default=DEV, help="the dev data folder (default: %(default)s)")
    parser.add_argument("--part", choices=["tune", "heldout"], default="heldout")
    parser.add_argument("-n", type=int, default=2, help="stories (the shortest of the part; default 2)")
    parser.add_argument("--stories", default="", help="comma-separated story folders instead of -n")
    parser.add_argument("--tasks", default="summarize,compare")
    parser.add_argument(
        "--prompts", type=Path, default=None, help="template folder overlaying the packaged one"
    )
    parser.add_argument("--reasks", type=int, default=1)
    parser.add_argument("--structured-output", default="auto")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--label", default="run")
    parser.add_argument("--record", type=Path, default=None, help="also record every exchange into DIR")
    parser.add_argument("--replay", type=Path, default=None, help="answer from a --record DIR (offline)")
    parser.add_argument("--max-tokens", type=int, default=2048, help="answer token limit per request")
    parser.add_argument("--out", type=Path, default=None, help="write the per-call figures as JSON here")
    args = parser.parse_args(argv)
    part: Part = args.part
    args.part = part
    calls = asyncio.run(main_async(args))
    print(table(calls, args.label))
    if args.out is not None:
        args.out.write_text(
            json.dumps([asdict(c) for c in calls], indent=2, ensure_ascii=False) + "\n", "utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
