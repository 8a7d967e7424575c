from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from garrison.app import build, create_asgi
from garrison.config import Settings
from garrison.core.clock import FixedClock
from garrison.core.errors import RateLimited
from garrison.core.types import ModelRecord
from garrison.engines.base import Engine
from garrison.engines.fake import FakeEngine
from garrison.security.quotas import RateLimiter
from garrison.store.models import ModelRepository
from tests.conftest import fake_record


def test_token_bucket_bursts_then_refills() -> None:
    clock = FixedClock()
    limiter = RateLimiter(per_minute=30, burst=3, clock=clock)  # one token every 2 s
    for _ in range(3):
        limiter.acquire("alice")
    with pytest.raises(RateLimited) as exc:
        limiter.acquire("alice")
    assert exc.value.retry_after == 2 and exc.value.status == 429
    assert "30 per minute" in exc.value.message
    limiter.acquire("bob")  # buckets are per subject
    clock.advance(2.0)
    limiter.acquire("alice")
    with pytest.raises(RateLimited):
        limiter.acquire("alice")
    clock.advance(3600)
    for _ in range(3):  # a long rest refills only up to the burst
        limiter.acquire("alice")
    with pytest.raises(RateLimited):
        limiter.acquire("alice")


def test_idle_subjects_are_forgotten_when_the_table_is_full() -> None:
    clock = FixedClock()
    limiter = RateLimiter(per_minute=60, burst=1, clock=clock, max_subjects=2)
    limiter.acquire("a")
    limiter.acquire("b")
    clock.advance(10)
    limiter.acquire("c")  # a and b have refilled: evicted, not leaked
    with pytest.raises(RateLimited):
        limiter.acquire("c")


def test_invalid_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="positive rate"):
        RateLimiter(0, 1, FixedClock())


async def test_the_api_answers_429_with_retry_after(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", rate_limit_per_minute=6, rate_limit_burst=2)

    def factory(record: ModelRecord) -> Engine:
        return FakeEngine(record.name)

    rt = build(settings, create=True, factory=factory)
    ModelRepository(rt.db).insert(fake_record())
    key = rt.services.keys.create("burst", role="user").key
    other = rt.services.keys.create("calm", role="user").key
    app = create_asgi(rt)
    body = {"model": "fake-model", "messages": [{"role": "user", "content": "hi"}]}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c,
    ):
        auth = {"Authorization": f"Bearer {key}"}
        for _ in range(2):
            assert (await c.post("/v1/chat/completions", json=body, headers=auth)).status_code == 200
        r = await c.post("/v1/chat/completions", json=body, headers=auth)
        assert r.status_code == 429
        assert r.json()["error"]["code"] == "rate_limited" and r.json()["error"]["type"] == "rate_limit_error"
        assert 1 <= int(r.headers["retry-after"]) <= 10
        stream = await c.post("/v1/chat/completions", json={**body, "stream": True}, headers=auth)
        assert stream.status_code == 429  # refused before the stream opens
        ok = await c.post("/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {other}"})
        assert ok.status_code == 200  # another key has its own bucket
        metrics = (await c.get("/metrics")).text
        assert 'garrison_errors_total{code="rate_limited",endpoint="chat",model="_unknown"} 2.0' in metrics
    rt.db.close()
