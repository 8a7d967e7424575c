"""Per-organisation policies (privacy, guards), cached briefly: read on every request, stored rarely."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

P = TypeVar("P")
TTL = 2.0  # seconds: a change made by another process (the CLI) holds within this time


class PolicyCache(Generic[P]):
    """``get(org)`` returns the cached policy, or ``load(org)`` once it is older than ``ttl``."""

    def __init__(self, load: Callable[[str], P], ttl: float = TTL) -> None:
        self._load = load
        self._ttl = ttl
        self._entries: dict[str, tuple[P, float]] = {}
        self._lock = threading.Lock()

    def get(self, organisation: str) -> P:
        now = time.monotonic()
        with self._lock:
            cached = self._entries.get(organisation)
        if cached is not None and now - cached[1] < self._ttl:
            return cached[0]
        found = self._load(organisation)
        self.put(organisation, found, now)
        return found

    def put(self, organisation: str, policy: P, at: float | None = None) -> None:
        with self._lock:
            self._entries[organisation] = (policy, time.monotonic() if at is None else at)
