"""Admission and metering: request rates, daily token budgets, and the usage they are counted from.

Before any engine work a request takes a token from the bucket of its key, its person and its
organisation (all or none), and is refused while the person's or the organisation's daily token
budget is spent (429 with ``Retry-After``: the bucket's next token, or the next UTC midnight).
After it, its tokens are counted per UTC day, organisation, person and model. Counts gather in
memory and are written in one transaction every ``flush_seconds`` (and on shutdown), so metering
costs no disk write per request; a budget check reads the counts, never the disk.

A request may overshoot a budget by its own size: the budget refuses the next request, as
metered spending limits do (the answer's length is not known before it is generated).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
import threading
from dataclasses import dataclass
from typing import NamedTuple

from garrison.core.clock import Clock
from garrison.core.errors import GarrisonError, RateLimited
from garrison.core.types import Principal, Quota, Usage
from garrison.security.quotas import Limit, RateLimiter
from garrison.store.usage import UsageCount, UsageKey, UsageRepository

log = logging.getLogger("garrison.usage")


@dataclass(frozen=True, slots=True)
class QuotaDefaults:
    """The deployment's defaults; a person's or an organisation's own quota overrides them. 0: no limit."""

    key_per_minute: float = 0
    key_burst: int = 20
    user_per_minute: float = 0
    user_burst: int = 20
    organisation_per_minute: float = 0
    organisation_burst: int = 100
    user_daily_tokens: int = 0
    organisation_daily_tokens: int = 0


class Tier(NamedTuple):
    """One subject of admission: its own quota, and the deployment's defaults for its kind."""

    subject: str  # "key:<id>", "user:<id>", "org:<id>"
    what: str  # for messages
    own: Quota
    per_minute: float
    burst: int
    daily_tokens: int = 0

    def limit(self) -> Limit | None:
        per_minute = self.own.requests_per_minute if self.own.requests_per_minute is not None else self.per_minute
        return (
            Limit(self.subject, per_minute, self.own.requests_burst or self.burst, self.what)
            if per_minute > 0
            else None
        )


def day_of(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%d")


def seconds_to_midnight(t: float) -> int:
    now = dt.datetime.fromtimestamp(t, dt.UTC)
    midnight = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, math.ceil((midnight - now).total_seconds()))


class Admission:
    def __init__(
        self,
        defaults: QuotaDefaults,
        limiter: RateLimiter,
        usage: UsageRepository,
        clock: Clock,
        flush_seconds: float = 5.0,
    ) -> None:
        self.defaults = defaults
        self._limiter = limiter
        self._repo = usage
        self._clock = clock
        self._flush_seconds = flush_seconds
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._pending: dict[UsageKey, UsageCount] = {}
        self._writing: dict[UsageKey, UsageCount] = {}  # taken by a flush, not yet committed
        self._day = ""
        self._spent: dict[str, int] = {}  # "user:<id>" / "org:<id>" -> tokens today (stored + pending)
        self._task: asyncio.Task[None] | None = None

    # -- before ----------------------------------------------------------------------------------
    def _tiers(self, p: Principal) -> list[Tier]:
        """The person and their organisation: the subjects of rates, budgets and tokens spent today."""
        d = self.defaults
        return [
            Tier(f"user:{p.user_id}", f"the user {p.user_id}", p.limits, d.user_per_minute, d.user_burst,
                 d.user_daily_tokens),
            Tier(f"org:{p.organisation}", f"the organisation {p.organisation}", p.organisation_limits,
                 d.organisation_per_minute, d.organisation_burst, d.organisation_daily_tokens),
        ]  # fmt: skip

    def admit(self, p: Principal) -> None:
        """Raise RateLimited (429) when a rate or a daily budget refuses the request."""
        tiers = self._tiers(p)
        rated = tiers
        if p.key_id is not None:  # a key has a rate of its own, no budget
            key = Tier(
                f"key:{p.key_id}", "this API key", Quota(), self.defaults.key_per_minute, self.defaults.key_burst
            )
            rated = [key, *tiers]
        self._limiter.acquire([limit for tier in rated if (limit := tier.limit()) is not None])
        now = self._clock.now()
        for tier in tiers:
            budget = tier.own.daily_tokens if tier.own.daily_tokens is not None else tier.daily_tokens
            if budget and self.spent_today(tier.subject, now) >= budget:
                wait = seconds_to_midnight(now)
                error = RateLimited(
                    f"The daily token budget of {tier.what} ({budget} tokens) is spent; it renews at 00:00 UTC, "
                    f"in {wait // 3600} h {wait % 3600 // 60} min.",
                    code="token_budget_exhausted",
                )
                error.retry_after = wait
                raise error

    def spent_today(self, subject: str, now: float | None = None) -> int:
        day = day_of(self._clock.now() if now is None else now)
        with self._lock:
            self._roll(day)
            spent = self._spent.get(subject)
            if spent is None:
                kind, _, ident = subject.partition(":")
                stored = (
                    self._repo.tokens_on(day, user=ident)
                    if kind == "user"
                    else self._repo.tokens_on(day, organisation=ident)
                )
                pending = sum(
                    c.total_tokens
                    for k, c in (*self._pending.items(), *self._writing.items())
                    if k.day == day and (k.user if kind == "user" else k.organisation) == ident
                )
                spent = self._spent[subject] = stored + pending
            return spent

    def _roll(self, day: str) -> None:
        if day != self._day:
            self._day = day
            self._spent.clear()

    # -- after -----------------------------------------------------------------------------------
    def charge(self, p: Principal, model: str, usage: Usage) -> None:
        """Count one request and its tokens."""
        day = day_of(self._clock.now())
        key = UsageKey(day, p.organisation or "-", p.user_id, model)
        with self._lock:
            self._roll(day)
            self._pending.setdefault(key, UsageCount()).add(1, usage.prompt_tokens, usage.completion_tokens)
            for tier in self._tiers(p):
                if tier.subject in self._spent:
                    self._spent[tier.subject] += usage.total_tokens

    def flush(self) -> None:
        """Write what was counted since the last flush, in one transaction; on failure keep it for
        the next try, so a full disk delays metering but loses none."""
        with self._flushing:  # one flush at a time
            with self._lock:
                self._writing, self._pending = self._pending, {}
            try:
                self._repo.add(self._writing.items())
            except GarrisonError:
                with self._lock:
                    for key, c in self._writing.items():
                        self._pending.setdefault(key, UsageCount()).add(
                            c.requests, c.prompt_tokens, c.completion_tokens
                        )
                raise
            finally:
                with self._lock:
                    self._writing = {}

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="garrison-usage-flush")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._flush_seconds)
            try:
                await asyncio.to_thread(self.flush)
            except GarrisonError as exc:
                log.error("usage not written yet, will retry: %s", exc.message)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        try:
            self.flush()
        except GarrisonError as exc:
            log.error("usage of the last %g s could not be written: %s", self._flush_seconds, exc.message)
