"""Audit sinks until the tamper-evident log exists: one JSON line per event on a logger, or a list.

Events hold identifiers, decisions and reasons only (no keys, no prompts), so a log line is safe."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import fields

from garrison.core.events import AuditEvent

_FIELDS = tuple(f.name for f in fields(AuditEvent))


class LoggingAuditSink:
    """Writes each event as one JSON object on the ``garrison.audit`` logger."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._log = logger or logging.getLogger("garrison.audit")

    def record(self, event: AuditEvent) -> None:
        if self._log.isEnabledFor(logging.INFO):  # fields read as they are: asdict() deep-copies
            line = json.dumps(
                {f: getattr(event, f) for f in _FIELDS}, default=_plain, sort_keys=True, ensure_ascii=False
            )
            self._log.info("%s", line)


class MemoryAuditSink:
    """Keeps events in a list: for tests and for in-process inspection."""

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []
        self._lock = threading.Lock()

    def record(self, event: AuditEvent) -> None:
        with self._lock:
            self.events.append(event)


def _plain(value: object) -> object:
    if isinstance(value, (set, frozenset)):
        return sorted(str(v) for v in value)
    if isinstance(value, Mapping):
        return dict(value)
    return str(value)
