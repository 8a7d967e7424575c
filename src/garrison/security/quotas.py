"""Request rates: token buckets per subject (an API key, a user, an organisation).

A bucket holds up to ``burst`` requests and refills at ``per_minute / 60`` per second. A request
takes one token from every bucket that applies to it, all or none: when any is empty the request
is refused with the time until all have a token, which the API sends as ``Retry-After``, and no
bucket is charged. A subject's rate and burst come with each request, so a changed quota takes
effect on the next one. Pure apart from the injected clock; thread-safe.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from garrison.core.clock import Clock
from garrison.core.errors import RateLimited


@dataclass(frozen=True, slots=True)
class Limit:
    subject: str  # e.g. "user:m.rossi"
    per_minute: float
    burst: int
    what: str  # for the message, e.g. "the user m.rossi"

    def __post_init__(self) -> None:
        if self.per_minute <= 0 or self.burst < 1:
            raise ValueError("a rate limit needs a positive rate and a burst of at least 1")


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float
    rate: float = 0.0  # tokens per second at the last refill
    burst: float = 1.0

    def full_at(self, now: float) -> bool:
        return self.tokens + (now - self.updated) * self.rate >= self.burst


class RateLimiter:
    def __init__(self, clock: Clock, *, max_subjects: int = 100_000) -> None:
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()
        self._max = max_subjects

    def acquire(self, limits: Sequence[Limit]) -> None:
        """Take one token from each limit's bucket, or raise RateLimited and take none."""
        if not limits:
            return
        now = self._clock.now()
        with self._lock:
            buckets = [self._refilled(limit, now) for limit in limits]
            short = [(lim, b) for lim, b in zip(limits, buckets, strict=True) if b.tokens < 1.0]
            if not short:
                for bucket in buckets:
                    bucket.tokens -= 1.0
                return
        limit, wait = max(((lim, (1.0 - b.tokens) * 60.0 / lim.per_minute) for lim, b in short), key=lambda x: x[1])
        error = RateLimited(
            f"Rate limit reached for {limit.what}: {limit.per_minute:g} requests per minute "
            f"(bursts of {limit.burst}). Try again in {math.ceil(wait)} s."
        )
        error.retry_after = max(1, math.ceil(wait))
        raise error

    def _refilled(self, limit: Limit, now: float) -> _Bucket:
        bucket = self._buckets.get(limit.subject)
        if bucket is None:
            if len(self._buckets) >= self._max:
                self._evict(now)
            bucket = self._buckets[limit.subject] = _Bucket(float(limit.burst), now)
        bucket.rate, bucket.burst = limit.per_minute / 60.0, float(limit.burst)
        bucket.tokens = min(bucket.burst, bucket.tokens + (now - bucket.updated) * bucket.rate)
        bucket.updated = now
        return bucket

    def _evict(self, now: float) -> None:
        """Forget buckets that have refilled: a forgotten bucket starts full, as a rested one is."""
        for key in [k for k, b in self._buckets.items() if b.full_at(now)]:
            del self._buckets[key]
