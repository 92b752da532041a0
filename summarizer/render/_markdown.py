"""Print the document model as GitHub-flavoured Markdown, evidence as footnotes."""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.render._blocks import (
    Block,
    Doc,
    Finding,
    Heading,
    Inline,
    ItemList,
    Para,
    Table,
    flatten,
    span_key,
    span_label,
)
from summarizer.schemas import Span

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$])")
_LEADING = re.compile(r"^([#>+=-]|\d+[.)])")
_WRAP = {"strong": "**", "ins": "**", "del": "~~", "dim": "*"}


def escape(text: str) -> str:
    """Escape inline Markdown, table pipes and `$` (math on some hosts) included; newlines become spaces."""
    return _SPECIAL.sub(r"\\\1", flatten(text))


def _lead(text: str) -> str:
    """Keep text at the start of a line from opening a heading, list or quote."""
    return _LEADING.sub(r"\\\1", text)


def _code(text: str) -> str:
    text = flatten(text)
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def inline(segs: Inline) -> str:
    out = []
    for seg in segs:
        core = flatten(seg.text)
        if not core:
            out.append(" " if seg.text else "")
            continue
        lead = " " if seg.text[0].isspace() else ""
        trail = " " if seg.text[-1].isspace() else ""
        marker = _WRAP.get(seg.style, "")
        body = _code(core) if seg.style == "code" else f"{marker}{escape(core)}{marker}"
        out.append(f"{lead}{body}{trail}")
    return "".join(out)


def flag_lines(flags: Inline, prefix: str) -> str:
    """Each warning (or verdict) on a line of its own: a hard line break, then `prefix` to stay inside
    the list item or quotation."""
    return "".join(f"\\\n{prefix}{_lead(inline((f,)))}" for f in flags)


class _Footnotes:
    """Numbers each distinct span once; definitions are printed at the end of the section."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[str, int, int], int] = {}
        self.pending: list[str] = []

    def refs(self, spans: Sequence[Span]) -> str:
        out = []
        for span in spans:
            key = span_key(span)
            if key not in self.numbers:
                self.numbers[key] = len(self.numbers) + 1
                label = f"[^{self.numbers[key]}]: {escape(span_label(span))}"
                self.pending.append(f"{label} — “{escape(span.text)}”")
            out.append(f"[^{self.numbers[key]}]")
        return "".join(out)

    def flush(self) -> list[str]:
        done, self.pending = self.pending, []
        return ["\n".join(done)] if done else []


def _table(block: Table, notes: _Footnotes) -> str:
    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c or " " for c in cells) + " |"

    lines = [row([escape(h) for h in block.headers]), row(["---"] * len(block.headers))]
    lines += [row([inline(c.inline) + notes.refs(c.evidence) for c in cells]) for cells in block.rows]
    return "\n".join(lines)


def _block(block: Block, notes: _Footnotes) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {escape(block.text)}"
    if isinstance(block, Para):
        return _lead(inline(block.inline))
    if isinstance(block, ItemList):
        return "\n".join(
            f"- {_lead(inline(i.inline))}{notes.refs(i.evidence)}" + flag_lines(i.flags, "  ")
            for i in block.items
        )
    if isinstance(block, Table):
        return _table(block, notes)
    if isinstance(block, Finding):
        return _finding(block, notes)
    quote = f"> {_lead(escape(block.text))}{notes.refs(block.evidence)}\n>\n> — {inline(block.attribution)}"
    return quote + flag_lines(block.flags, "> ")


def _finding(block: Finding, notes: _Footnotes) -> str:
    """The head in bold, its notes on lines of their own, then one list item per source."""
    head = "**" + _lead(inline(block.head)).replace("**", "") + "**"
    parts = [head + "".join(f"\\\n{_lead(inline(n))}" for n in block.notes)]
    if block.items:
        parts.append(_block(ItemList(block.items), notes))
    parts += [_lead(inline(line)) for line in block.tail]
    return "\n\n".join(parts)


def write(doc: Doc) -> str:
    notes = _Footnotes()
    chunks: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level <= 2:
            chunks += notes.flush()
        chunks.append(_block(block, notes))
    chunks += notes.flush()
    return "\n\n".join(chunks) + "\n"
