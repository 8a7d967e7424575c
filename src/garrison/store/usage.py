"""Metered usage: requests and tokens per UTC day, organisation, person and model."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from garrison.core.errors import InvalidRequest
from garrison.store.db import Database

# report dimension -> column; the only names that reach SQL
DIMENSIONS = {"organisation": "organisation_id", "user": "user_id", "model": "model", "day": "day"}


@dataclass(frozen=True, slots=True)
class UsageKey:
    day: str  # YYYY-MM-DD, UTC
    organisation: str
    user: str
    model: str


@dataclass(slots=True)
class UsageCount:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def add(self, requests: int, prompt_tokens: int, completion_tokens: int) -> None:
        self.requests += requests
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens


@dataclass(frozen=True, slots=True)
class UsageRow:
    group: dict[str, str]  # dimension -> value
    count: UsageCount


class UsageRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, counts: Iterable[tuple[UsageKey, UsageCount]]) -> None:
        """Add counts in one transaction (one durable write for many requests)."""
        rows = [
            (k.day, k.organisation, k.user, k.model, c.requests, c.prompt_tokens, c.completion_tokens)
            for k, c in counts
        ]
        if not rows:
            return
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT INTO usage (day, organisation_id, user_id, model, requests, prompt_tokens, completion_tokens)"
                " VALUES (?,?,?,?,?,?,?) ON CONFLICT (day, organisation_id, user_id, model) DO UPDATE SET"
                " requests = requests + excluded.requests,"
                " prompt_tokens = prompt_tokens + excluded.prompt_tokens,"
                " completion_tokens = completion_tokens + excluded.completion_tokens",
                rows,
            )

    def tokens_on(self, day: str, *, organisation: str | None = None, user: str | None = None) -> int:
        if (organisation is None) == (user is None):
            raise ValueError("give exactly one of organisation or user")
        column, value = ("organisation_id", organisation) if organisation is not None else ("user_id", user)
        rows = self._db.query(
            f"SELECT coalesce(sum(prompt_tokens + completion_tokens), 0) FROM usage WHERE day=? AND {column}=?",  # noqa: S608
            (day, value),
        )
        return int(rows[0][0])

    def report(
        self, by: Sequence[str], *, since: str, until: str | None = None, organisation: str | None = None
    ) -> list[UsageRow]:
        """Totals grouped by ``by`` (organisation, user, model, day) for days in [since, until]."""
        unknown = [b for b in by if b not in DIMENSIONS]
        if unknown or not by:
            raise InvalidRequest(
                f"cannot group usage by {', '.join(unknown) or 'nothing'}: expected one or more of "
                f"{', '.join(DIMENSIONS)}",
                param="by",
            )
        columns = [DIMENSIONS[b] for b in by]
        where, params = ["day >= ?"], [since]
        if until is not None:
            where.append("day <= ?")
            params.append(until)
        if organisation is not None:
            where.append("organisation_id = ?")
            params.append(organisation)
        cols = ", ".join(columns)
        rows = self._db.query(
            f"SELECT {cols}, sum(requests), sum(prompt_tokens), sum(completion_tokens) FROM usage"  # noqa: S608
            f" WHERE {' AND '.join(where)} GROUP BY {cols} ORDER BY {cols}",
            tuple(params),
        )
        n = len(columns)
        return [
            UsageRow(
                group={b: str(r[i]) for i, b in enumerate(by)},
                count=UsageCount(int(r[n]), int(r[n + 1]), int(r[n + 2])),
            )
            for r in rows
        ]
