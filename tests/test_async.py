"""The async API, and the sync API called from code that already runs an event loop."""

from __future__ import annotations

import asyncio
from pathlib import Path

from summarizer import Client
from summarizer.testing import FakeBackend
from tests.test_pipeline import ANADOLU, MEHR, summary_answer


async def test_asummarize_runs_concurrently_on_one_client() -> None:
    # Either answer may reach either request, so it must hold for both articles.
    point = {"text": "An offer was turned down.", "sentence_ids": ["A1"]}
    neutral = summary_answer(quotes=[], key_points=[point])
    backend = FakeBackend([neutral, neutral])
    client = Client(backend=backend)
    first, second = await asyncio.gather(client.asummarize(ANADOLU), client.asummarize(Path(MEHR)))
    assert first.source.outlet == "Anadolu Agency" and second.source.outlet == "Mehr News Agency"
    assert len(backend.requests) == 2


async def test_sync_summarize_works_inside_a_running_loop() -> None:
    backend = FakeBackend([summary_answer()])
    summary = Client(backend=backend).summarize(ANADOLU)  # e.g. from a notebook cell
    assert summary.key_points[0].evidence[0].sentence_ids == ["A1"]
