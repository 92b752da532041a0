"""What a call costs: a small built-in price table, extendable by the user.

The built-in prices are OpenAI's published list prices in US dollars per million tokens **as of
2025-06** (standard tier, no cached-input or Batch-API discount). They change: check the provider's
pricing page, and put your own in a JSON file, which wins over the built-in table:

    $SUMMARIZER_PRICES  or  <config dir>/prices.json  (see `summarizer.llm._paths`)
    {"my-model": {"input": 0.20, "output": 0.80}, "gpt-4o-mini": {"input": 0.15, "output": 0.60}}

A model found in neither costs `None` (unknown), never 0. A dated model name
(`gpt-4o-mini-2024-07-18`) takes the price of the longest known name it starts with. The built-in
prices are OpenAI's, so they apply only to OpenAI's endpoints (`host`): a local server answering to
the name `gpt-4o-mini` costs what the user's file says, or is of unknown price.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import ConfigError
from summarizer.llm._paths import user_dir
from summarizer.llm.endpoints import is_openai_host
from summarizer.schemas import Usage

PRICES_AS_OF = "2025-06"


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens."""

    input: float
    output: float


BUILTIN_PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
    "gpt-4-turbo": Price(10.00, 30.00),
    "gpt-3.5-turbo": Price(0.50, 1.50),
    "o3-mini": Price(1.10, 4.40),
    "o4-mini": Price(1.10, 4.40),
    "o3": Price(2.00, 8.00),
}


def prices_path() -> Path:
    env = os.environ.get("SUMMARIZER_PRICES")
    return Path(env).expanduser() if env else user_dir("config") / "prices.json"


class PriceTable:
    """Built-in prices overlaid by the user's file (read once, when the table is made)."""

    def __init__(
        self, extra: dict[str, Price] | None = None, *, path: Path | None = None, host: str | None = None
    ) -> None:
        self.user = load_prices(path if path is not None else prices_path())
        self.user.update(extra or {})
        self.prices = {**BUILTIN_PRICES, **self.user}
        self.host = host
        """The endpoint the calls go to; None (unknown, e.g. an injected backend) prices by name."""

    def price(self, model: str | None) -> Price | None:
        if not model:
            return None
        prices = self.prices if self.host is None or is_openai_host(self.host) else self.user
        if model in prices:
            return prices[model]
        known = [name for name in prices if model.startswith(name + "-")]
        return prices[max(known, key=len)] if known else None

    def cost(self, model: str | None, usage: Usage) -> float | None:
        """Dollars for `usage` on `model`, or None when the model's price is unknown."""
        price = self.price(model)
        if price is None:
            return None
        return round((usage.input_tokens * price.input + usage.output_tokens * price.output) / 1e6, 8)


def load_prices(path: Path) -> dict[str, Price]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(name): Price(float(p["input"]), float(p["output"])) for name, p in data.items()}
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ConfigError(
            f"{path}: not a price table ({exc}); expected "
            '{"model": {"input": <$ per 1M tokens>, "output": <$ per 1M tokens>}} (or fix $SUMMARIZER_PRICES)'
        ) from exc
