"""Request rates: one token bucket per subject (a key, a user, an organisation).

A bucket holds up to ``burst`` requests and refills at ``per_minute / 60`` per second. A request
takes one token; with none left it is refused with the time until the next token, which the API
sends as ``Retry-After``. Pure apart from the injected clock; thread-safe.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from garrison.core.clock import Clock
from garrison.core.errors import RateLimited


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, per_minute: float, burst: int, clock: Clock, *, max_subjects: int = 100_000) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("a rate limit needs a positive rate and a burst of at least 1")
        self._rate = per_minute / 60.0
        self._burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()
        self._max = max_subjects

    def acquire(self, subject: str, what: str = "requests") -> None:
        """Take one token for ``subject`` or raise RateLimited with ``retry_after`` seconds."""
        now = self._clock.now()
        with self._lock:
            bucket = self._buckets.get(subject)
            if bucket is None:
                if len(self._buckets) >= self._max:  # forget full buckets first: they are at rest
                    self._evict(now)
                bucket = self._buckets[subject] = _Bucket(self._burst, now)
            bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return
            wait = (1.0 - bucket.tokens) / self._rate
        error = RateLimited(
            f"Rate limit reached for {what}: {self._rate * 60:g} per minute (bursts of {self._burst:g}). "
            f"Try again in {math.ceil(wait)} s."
        )
        error.retry_after = max(1, math.ceil(wait))
        raise error

    def _evict(self, now: float) -> None:
        full = [k for k, b in self._buckets.items() if b.tokens + (now - b.updated) * self._rate >= self._burst]
        for key in full:
            del self._buckets[key]
