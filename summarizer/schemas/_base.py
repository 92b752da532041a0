"""Shared pieces of the contract: the strict base model, the closed vocabularies, the schema version."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = "1.0"

Length = Literal["short", "medium", "long"]
Status = Literal["reports", "omits", "contradicts", "unclear"]
ConflictKind = Literal["date", "number", "name", "attribution", "fact"]
EntityType = Literal["person", "organization", "place", "event", "other"]
CitedKind = Literal["named_person", "organization", "news_agency", "document", "anonymous"]
Alignment = Literal["exact", "normalised", "fuzzy", "missing"]
FoundBy = Literal["model", "analysis"]
Verdict = Literal["confirmed", "rejected"]
SupportCheck = Literal[
    "number", "date", "entity", "negation", "antonym", "attribute", "quote", "citation", "speaker", "length"
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


def _drop(data: Any, *keys: str) -> Any:
    """Computed fields appear in dumped JSON; drop them on input so results load back."""
    if isinstance(data, dict) and any(k in data for k in keys):
        return {k: v for k, v in data.items() if k not in keys}
    return data
