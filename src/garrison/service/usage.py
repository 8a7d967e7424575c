"""Usage reports: the table partners use to share costs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from garrison.core.clock import Clock
from garrison.core.errors import InvalidRequest
from garrison.core.types import Principal
from garrison.security.policy import Action, Resource
from garrison.service.admission import Admission
from garrison.service.authz import Authoriser
from garrison.store.usage import UsageRepository, UsageRow


def parse_day(text: str, what: str, now: float) -> str:
    """``YYYY-MM-DD``, or ``today`` / ``yesterday`` / ``-7d`` (days before today, UTC)."""
    raw = text.strip().lower()
    today = dt.datetime.fromtimestamp(now, dt.UTC).date()
    if raw == "today":
        return today.isoformat()
    if raw == "yesterday":
        return (today - dt.timedelta(days=1)).isoformat()
    if raw.startswith("-") and raw.endswith("d") and raw[1:-1].isdigit():
        return (today - dt.timedelta(days=int(raw[1:-1]))).isoformat()
    try:
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        raise InvalidRequest(
            f"{what} {text!r} is not a day: expected YYYY-MM-DD, 'today', 'yesterday' or '-Nd' (N days ago)",
            param=what,
        ) from None


class UsageService:
    def __init__(self, repo: UsageRepository, admission: Admission, authz: Authoriser, clock: Clock) -> None:
        self._repo = repo
        self._admission = admission  # what this process counted but has not written yet is included
        self._authz = authz
        self._clock = clock

    def report(
        self,
        p: Principal,
        by: Sequence[str],
        *,
        since: str,
        until: str | None = None,
        organisation: str | None = None,
    ) -> list[UsageRow]:
        """Totals per group. The operator's members and the console see every organisation; the
        others see their own only."""
        now = self._clock.now()
        first = parse_day(since, "since", now)
        last = parse_day(until, "until", now) if until is not None else None
        if last is not None and last < first:
            raise InvalidRequest(f"until ({last}) is before since ({first})", param="until")
        scope = organisation if organisation is not None else (None if p.operator else p.organisation)
        details = {"by": list(by), "since": first, "until": last}
        self._authz.require(p, Action.USAGE_READ, Resource("usage", None, scope), "usage.report", details)
        self._admission.flush()
        return self._repo.report(by, since=first, until=last, organisation=scope)
