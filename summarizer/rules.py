"""The registry of rules: every support check and cross-source detector, by a stable code.

A rule is a small named part of the deterministic layer, like a linter's rule: a code (`S104`), a kind
(`check`: whether a claim's evidence backs it; `detector`: a cross-source finding), a short name (what
results call it, e.g. `negation`) and a one-line description. The units that implement rules register
them here when their module is imported (`register`), so this module imports nothing of theirs.

Users list rules with `summarizer rules` and switch them with `--select` / `--ignore CODE[,CODE]`
(`Selection`): a code selects itself, a prefix selects every code it starts ("S1" is every S1xx rule),
and `ALL` selects everything.

Codes: `S1xx` support checks of a claim's wording (grounding), `S2xx` citation and quote checks,
`V1xx` verify's own claim-level rules, `D...` detectors (analysis).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from summarizer.errors import ConfigError

RuleKind = Literal["check", "detector"]


@dataclass(frozen=True)
class Rule:
    code: str
    """Stable identifier, e.g. `S104`; never reused for another rule."""
    name: str
    """What results call the rule's failures, e.g. `negation` (`SupportIssue.check`)."""
    kind: RuleKind
    description: str
    """One line: what the rule reports."""
    switchable: bool = True
    """False for checks that guard the result's integrity (a citation must exist): always on."""


_RULES: dict[str, Rule] = {}


def register(code: str, name: str, kind: RuleKind, description: str, *, switchable: bool = True) -> Rule:
    """Add a rule (idempotent for the same rule; a code taken by another rule is a programming error)."""
    rule = Rule(code, name, kind, description, switchable)
    known = _RULES.get(code)
    if known is not None and known != rule:
        raise ValueError(f"rule code {code} is already registered for {known.name!r}")
    _RULES[code] = rule
    return rule


def all_rules() -> list[Rule]:
    """Every registered rule, by code. Import the packages whose rules you need first (the CLI does)."""
    return [_RULES[c] for c in sorted(_RULES)]


def by_name(name: str) -> Rule | None:
    """The rule whose failures are called `name` (the first by code, for names shared by kinds)."""
    return next((r for r in all_rules() if r.name == name), None)


@dataclass(frozen=True)
class Selection:
    """Which rules run: those `select` matches (every rule when None), minus those `ignore` matches."""

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()

    def enabled(self, code: str) -> bool:
        if self.select is not None and not _matches(code, self.select):
            return False
        return not _matches(code, self.ignore)

    @property
    def everything(self) -> bool:
        return self.select is None and not self.ignore


ALL = Selection()
"""Every rule runs (the default)."""


def _matches(code: str, patterns: frozenset[str]) -> bool:
    return "ALL" in patterns or any(code.startswith(p) for p in patterns)


def parse_codes(value: str | Iterable[str] | None, flag: str = "--select") -> frozenset[str] | None:
    """`"S104,S105"` (or a list of codes) as a set of known codes or prefixes; None for None.

    An unknown code is the caller's mistake: ConfigError naming the flag and `summarizer rules`."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    codes = frozenset(c.strip().upper() for c in items if c.strip())
    known = [r.code for r in all_rules()]
    unknown = sorted(c for c in codes if c != "ALL" and not any(k.startswith(c) for k in known))
    if unknown:
        raise ConfigError(
            f"{flag}: unknown rule code{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
            f"`summarizer rules` lists them (known: {', '.join(known)})"
        )
    fixed = sorted(c for c in codes if c in _RULES and not _RULES[c].switchable)
    if fixed and flag == "--ignore":
        raise ConfigError(f"{flag}: {', '.join(fixed)} cannot be switched off (see `summarizer rules`)")
    return codes


def selection(
    select: str | Iterable[str] | None = None, ignore: str | Iterable[str] | None = None
) -> Selection:
    """A `Selection` from the values of `--select` and `--ignore` (comma-separated codes or lists)."""
    chosen = parse_codes(select, "--select")
    dropped = parse_codes(ignore, "--ignore") or frozenset()
    return ALL if chosen is None and not dropped else Selection(chosen, dropped)
