"""Print the document model for a terminal: underlined headings, evidence quoted inline, aligned tables,
every line within the width asked for (tables too wide for it are printed as lists).

Colour is optional and only ever repeats what the words and symbols already say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from summarizer.render._blocks import (
    Block,
    Doc,
    Finding,
    Heading,
    Inline,
    ItemList,
    Para,
    Seg,
    Style,
    Table,
    flatten,
    span_label,
)
from summarizer.schemas import Span

WIDTH = 100
"""Columns when the width is not given: what reads well, and what a terminal of 100 or more shows."""
MIN_WIDTH = 40
_ANSI: dict[Style, str] = {
    "strong": "1",
    "ok": "32",
    "warn": "33",
    "bad": "31",
    "note": "36",
    "dim": "2",
    "ins": "32",
    "del": "31",
}
_MARKS: dict[Style, tuple[str, str]] = {"ins": ("{+", "+}"), "del": ("[-", "-]")}
_UNDERLINE = {1: "=", 2: "-", 3: "~"}

# Control characters from an article must not reach the terminal: show them as control pictures.
_SAFE = {c: 0x2400 + c for c in range(0x20)} | {0x7F: 0x2421} | {c: 0xFFFD for c in range(0x80, 0xA0)}

Paint = Callable[[str, Style], str]
Word = list[tuple[str, Style]]


def painter(color: bool) -> Paint:
    def paint(text: str, style: Style) -> str:
        code = _ANSI.get(style)
        return f"\x1b[{code}m{text}\x1b[0m" if color and code and text else text

    return paint


def _words(segs: Inline) -> list[Word]:
    """Split styled runs into words; a word may mix styles (`[A3]` then `,`)."""
    words: list[Word] = []
    current: Word = []
    for seg in segs:
        opening, closing = _MARKS.get(seg.style, ("", ""))
        text = re.sub(r"\s+", " ", seg.text).translate(_SAFE)
        text = f"{opening}{text}{closing}" if text.strip() else text
        for piece in re.findall(r"\s+|\S+", text):
            if not piece.isspace():
                current.append((piece, seg.style))
            elif current:
                words.append(current)
                current = []
    return [*words, current] if current else words


def _size(word: Word) -> int:
    return sum(len(text) for text, _ in word)


def width_of(segs: Inline) -> int:
    words = _words(segs)
    return sum(_size(w) for w in words) + max(len(words) - 1, 0)


def wrap(
    segs: Inline, paint: Paint, width: int, first: str = "", rest: str | None = None
) -> list[tuple[str, int]]:
    """Greedy word wrap on visible width; returns (painted line, visible length) pairs."""
    rest = " " * len(first) if rest is None else rest
    lines: list[tuple[str, int]] = []
    line: Word = []
    indent, length = first, len(first)
    for word in _words(segs):
        if line and length + 1 + _size(word) > width:
            lines.append((indent + _paint_runs(line, paint), length))
            indent, line, length = rest, [], len(rest)
        if line:
            line.append((" ", line[-1][1] if line[-1][1] == word[0][1] else ""))
        length += _size(word) + (1 if len(line) else 0)
        line += word
    lines.append((indent + _paint_runs(line, paint), length))
    return lines


def _paint_runs(pieces: Word, paint: Paint) -> str:
    """Paint each run of one style once, spaces inside the run included."""
    runs: Word = []
    for text, style in pieces:
        if runs and runs[-1][1] == style:
            runs[-1] = (runs[-1][0] + text, style)
        else:
            runs.append((text, style))
    return "".join(paint(text, style) for text, style in runs)


class _Writer:
    """Prints blocks at a fixed width: every line, table included, fits `width` columns."""

    def __init__(self, paint: Paint, width: int) -> None:
        self.paint = paint
        self.width = max(width, MIN_WIDTH)

    def lines(self, segs: Inline, first: str = "", rest: str | None = None) -> str:
        return "\n".join(line for line, _ in wrap(segs, self.paint, self.width, first, rest))

    def evidence(self, spans: Sequence[Span], indent: str, first: str | None = None) -> list[str]:
        """Each span as `[A3] “…”` on its own line; `first` replaces the indent of the first line."""
        return [
            self.lines(
                (Seg(f"[{span_label(s)}]"), Seg(f" “{flatten(s.text)}”")),
                first if first is not None and i == 0 else indent,
                indent + "  ",
            )
            for i, s in enumerate(spans)
        ]

    def flags(self, flags: Inline, indent: str) -> list[str]:
        """Each warning (or verdict) on a line of its own, under the item it is about."""
        return [self.lines((f,), indent, indent + "  ") for f in flags]

    def table(self, block: Table) -> str:
        notes: list[Sequence[Span]] = []
        rows: list[list[Inline]] = [[(Seg(h, "strong"),) for h in block.headers]]
        for cells in block.rows:
            rows.append([])
            for cell in cells:
                notes += [cell.evidence] if cell.evidence else []
                rows[-1].append(cell.inline + ((Seg(f" ^{len(notes)}", "dim"),) if cell.evidence else ()))
        widths = fit(
            [max(width_of(r[i]) for r in rows if i < len(r)) for i in range(len(rows[0]))], self.width
        )
        if widths is None:
            out = [self.record(rows[0], r) for r in rows[1:]]
        else:
            out = [self.row(rows[0], widths), "  ".join("-" * w for w in widths)]
            out += [self.row(r, widths) for r in rows[1:]]
        for n, spans in enumerate(notes, 1):
            out += self.evidence(spans, " " * (len(str(n)) + 4), f"  ^{n} ")
        return "\n".join(out)

    def row(self, cells: Sequence[Inline], widths: Sequence[int]) -> str:
        wrapped = [wrap(cell, self.paint, w) for cell, w in zip(cells, widths, strict=False)]
        lines = []
        for i in range(max(len(c) for c in wrapped)):
            parts = [c[i] if i < len(c) else ("", 0) for c in wrapped]
            lines.append(
                "  ".join(
                    text + " " * max(w - size, 0) for (text, size), w in zip(parts, widths, strict=False)
                ).rstrip()
            )
        return "\n".join(lines)

    def record(self, headers: Sequence[Inline], cells: Sequence[Inline]) -> str:
        """A table row too wide for the terminal, as a list entry: `- Header: value` per column."""
        out = []
        for i, (head, cell) in enumerate(zip(headers, cells, strict=False)):
            label = (*head, Seg(": ")) if flatten("".join(s.text for s in cell)) else ()
            out.append(self.lines((*label, *cell), "- " if i == 0 else "  ", "    "))
        return "\n".join(out)

    def finding(self, block: Finding) -> str:
        out = [self.lines(block.head, "", "   ")]
        out += [self.lines(note, "   ", "   ") for note in block.notes]
        for item in block.items:
            out.append(self.lines(item.inline, "   - ", "     "))
            out += self.flags(item.flags, "       ")
            out += self.evidence(item.evidence, "       ")
        out += [self.lines(line, "   ", "     ") for line in block.tail]
        return "\n".join(out)

    def heading(self, block: Heading) -> str:
        text = flatten(block.text).translate(_SAFE)
        wrapped = [line for line, _ in wrap((Seg(text),), lambda t, _s: t, self.width)]
        underline = _UNDERLINE.get(block.level, "~") * max(len(line) for line in wrapped)
        return "\n".join([*(self.paint(line, "strong") for line in wrapped), underline])

    def block(self, block: Block) -> str:
        if isinstance(block, Heading):
            return self.heading(block)
        if isinstance(block, Para):
            return self.lines(block.inline)
        if isinstance(block, ItemList):
            return "\n".join(
                "\n".join(
                    [
                        self.lines(i.inline, "- "),
                        *self.flags(i.flags, "    "),
                        *self.evidence(i.evidence, "    "),
                    ]
                )
                for i in block.items
            )
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Finding):
            return self.finding(block)
        quote = self.lines((Seg(f"“{flatten(block.text)}”"),), "  ", "   ")
        said = self.lines((Seg("— "), *block.attribution), "    ", "      ")
        more = self.flags(block.flags, "      ")
        return "\n".join([quote, said, *more, *self.evidence(block.evidence, "      ")])


def fit(natural: Sequence[int], width: int, gap: int = 2, least: int = 12) -> list[int] | None:
    """Column widths that fit `width`: the widest columns give way first, none below `least` (or its
    own width); None when even that does not fit (the table is then printed as a list)."""
    widths = list(natural)
    while sum(widths) + gap * (len(widths) - 1) > width:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= least:
            return None
        widths[widest] -= 1
    return widths


def write(doc: Doc, *, color: bool, width: int = WIDTH) -> str:
    writer = _Writer(painter(color), width)
    return "\n\n".join(writer.block(b) for b in doc.blocks) + "\n"
