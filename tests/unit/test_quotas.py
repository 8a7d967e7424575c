"""Rates (token buckets per key, person, organisation), daily token budgets and metering."""

from __future__ import annotations

import httpx
import pytest

from garrison.app import create_asgi
from garrison.core.clock import FixedClock
from garrison.core.errors import RateLimited
from garrison.core.events import ModelCallEvent
from garrison.security.quotas import Limit, RateLimiter
from garrison.service.admission import day_of, seconds_to_midnight
from garrison.store.models import ModelRepository
from tests.conftest import World, fake_record


def lim(subject: str, per_minute: float = 30, burst: int = 3) -> Limit:
    return Limit(subject, per_minute, burst, subject)


def test_token_bucket_bursts_then_refills() -> None:
    clock = FixedClock()
    limiter = RateLimiter(clock)
    alice = [lim("alice")]  # one token every 2 s, bursts of 3
    for _ in range(3):
        limiter.acquire(alice)
    with pytest.raises(RateLimited) as exc:
        limiter.acquire(alice)
    assert exc.value.retry_after == 2 and exc.value.status == 429
    assert "30 requests per minute" in exc.value.message and "alice" in exc.value.message
    limiter.acquire([lim("bob")])  # buckets are per subject
    clock.advance(2.0)
    limiter.acquire(alice)
    with pytest.raises(RateLimited):
        limiter.acquire(alice)
    clock.advance(3600)
    for _ in range(3):  # a long rest refills only up to the burst
        limiter.acquire(alice)
    with pytest.raises(RateLimited):
        limiter.acquire(alice)


def test_several_buckets_are_taken_all_or_none() -> None:
    clock = FixedClock()
    limiter = RateLimiter(clock)
    user, org = lim("user:u", 60, 5), lim("org:o", 6, 1)  # the organisation is the tighter one
    limiter.acquire([user, org])
    with pytest.raises(RateLimited) as exc:
        limiter.acquire([user, org])
    assert "org:o" in exc.value.message and exc.value.retry_after == 10
    for _ in range(4):  # the refused request took nothing from the person's bucket
        limiter.acquire([user])
    with pytest.raises(RateLimited, match="user:u"):
        limiter.acquire([user])


def test_a_changed_quota_applies_on_the_next_request() -> None:
    clock = FixedClock()
    limiter = RateLimiter(clock)
    limiter.acquire([lim("u", 60, 1)])
    with pytest.raises(RateLimited):
        limiter.acquire([lim("u", 60, 1)])
    clock.advance(0.5)
    limiter.acquire([lim("u", 600, 5)])  # raised: the refill is at the new rate


def test_rested_subjects_are_forgotten_when_the_table_is_full() -> None:
    clock = FixedClock()
    limiter = RateLimiter(clock, max_subjects=2)
    limiter.acquire([lim("a", 60, 1)])
    limiter.acquire([lim("b", 60, 1)])
    clock.advance(10)
    limiter.acquire([lim("c", 60, 1)])  # a and b have refilled: evicted, not leaked
    assert len(limiter._buckets) == 1
    with pytest.raises(RateLimited):
        limiter.acquire([lim("c", 60, 1)])


def test_invalid_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="positive rate"):
        Limit("x", 0, 1, "x")


def test_utc_days_and_midnight() -> None:
    assert day_of(1_790_000_000.0) == "2026-09-21"
    assert seconds_to_midnight(1_790_000_000.0) == 86400 - (1_790_000_000 % 86400)


async def test_rates_of_people_and_organisations_from_settings_and_overrides(world: World) -> None:
    s = world.services
    admission = world.rt.gateway.admission
    ana = world.add("ana", "mod-it", "analyst", requests_per_minute=2, requests_burst=2)
    bea = world.add("bea", "mod-it", "analyst")
    jean = world.add("jean", "dga-fr", "analyst")
    admission.admit(ana)
    admission.admit(ana)
    with pytest.raises(RateLimited, match="the user ana"):
        admission.admit(ana)
    for _ in range(5):  # no default limit for people: bea is not limited
        admission.admit(bea)
    s.identity.update_organisation(s.console, "dga-fr", {"requests_per_minute": 1, "requests_burst": 1})
    jean = world.principal("jean")  # a new request reads the quotas again
    admission.admit(jean)
    with pytest.raises(RateLimited, match="the organisation dga-fr") as exc:
        admission.admit(jean)
    assert exc.value.retry_after == 60


async def test_daily_budgets_refuse_until_midnight_and_count_pending_usage(world: World) -> None:
    from garrison.core.types import Usage

    admission = world.rt.gateway.admission
    world.services.identity.update_organisation(world.services.console, "mod-it", {"daily_tokens": 100})
    ana = world.add("ana", "mod-it", "analyst", daily_tokens=50)
    bea = world.add("bea", "mod-it", "analyst")
    admission.admit(ana)
    admission.charge(ana, "fake-model", Usage(30, 25))  # 55: over the person's 50, not yet written
    with pytest.raises(RateLimited) as exc:
        admission.admit(ana)
    assert exc.value.code == "token_budget_exhausted" and "the user ana (50 tokens)" in exc.value.message
    assert exc.value.retry_after == seconds_to_midnight(world.clock.now())
    admission.admit(bea)
    admission.charge(bea, "fake-model", Usage(40, 10))  # the organisation: 105 of 100
    with pytest.raises(RateLimited, match="the organisation mod-it"):
        admission.admit(bea)
    admission.flush()  # written: a fresh process would count the same
    fresh = type(admission)(admission.defaults, RateLimiter(world.clock), admission._repo, world.clock)
    assert fresh.spent_today("user:ana") == 55 and fresh.spent_today("org:mod-it") == 105
    world.clock.advance(seconds_to_midnight(world.clock.now()))  # a new UTC day
    admission.admit(ana)
    admission.admit(bea)


async def test_the_api_answers_429_with_retry_after_before_any_engine_work(world: World) -> None:
    ModelRepository(world.rt.db).insert(fake_record())
    s = world.services
    world.add("burst", "mod-it", "analyst", requests_per_minute=6, requests_burst=2)
    world.add("calm", "mod-it", "analyst")
    key, other = s.keys.create(s.console, "burst").key, s.keys.create(s.console, "calm").key
    app = create_asgi(world.rt)
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
        assert r.headers["retry-after"] == "10"
        stream = await c.post("/v1/chat/completions", json={**body, "stream": True}, headers=auth)
        assert stream.status_code == 429  # refused before the stream opens
        ok = await c.post("/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {other}"})
        assert ok.status_code == 200  # another person has their own bucket
        metrics = (await c.get("/metrics")).text
        assert 'garrison_errors_total{code="rate_limited",endpoint="chat",model="fake-model"} 2.0' in metrics
    calls = [e for e in world.audit.events if isinstance(e, ModelCallEvent)]
    assert [(e.outcome, e.allowed, e.code, e.stream) for e in calls] == [
        ("completed", True, None, False),
        ("completed", True, None, False),
        ("refused", False, "rate_limited", False),
        ("refused", False, "rate_limited", True),
        ("completed", True, None, False),
    ]  # one record per call; the policy allowed the refused two, the rate did not
    assert calls[2].reasons[0].startswith("Rate limit reached for the user burst")


async def test_usage_is_metered_per_organisation_person_and_model(world: World) -> None:
    ModelRepository(world.rt.db).insert(fake_record())
    s = world.services
    world.add("ana", "mod-it", "analyst")
    world.add("jean", "dga-fr", "analyst")
    keys = {user: s.keys.create(s.console, user).key for user in ("ana", "jean")}
    app = create_asgi(world.rt)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c,
    ):
        for user, text, stream in (("ana", "one two three", False), ("ana", "four", True), ("jean", "cinq six", False)):
            key = keys[user]
            body = {"model": "fake-model", "messages": [{"role": "user", "content": text}], "stream": stream}
            r = await c.post("/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {key}"})
            assert r.status_code == 200
    # the lifespan's shutdown wrote what was counted
    rows = s.usage.report(s.console, ["organisation", "user", "model"], since="today")
    table = {(r.group["organisation"], r.group["user"]): r.count for r in rows}
    # FakeEngine: prompt = words of the message, completion = "echo:" + the words
    assert (table[("mod-it", "ana")].requests, table[("mod-it", "ana")].prompt_tokens) == (2, 4)
    assert table[("mod-it", "ana")].completion_tokens == 6
    assert (table[("dga-fr", "jean")].requests, table[("dga-fr", "jean")].total_tokens) == (1, 5)
    assert {r.group["model"] for r in rows} == {"fake-model"}
    by_org = s.usage.report(s.console, ["organisation"], since="-1d", until="today")
    assert [(r.group["organisation"], r.count.total_tokens) for r in by_org] == [("dga-fr", 5), ("mod-it", 10)]
