"""Time and identifiers behind small protocols, so tests can fix them."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch."""
        ...


class SystemClock:
    def now(self) -> float:
        return time.time()


@dataclass
class FixedClock:
    t: float = 1_700_000_000.0

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


class IdGenerator(Protocol):
    def new(self, prefix: str) -> str: ...


class RandomIds:
    def new(self, prefix: str) -> str:
        return f"{prefix}-{secrets.token_urlsafe(18)}"


@dataclass
class SequentialIds:
    n: int = field(default=0)

    def new(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}-{self.n:06d}"
