"""Audit sinks besides the tamper-evident log: one JSON line per event on a logger, or a list.

Events hold identifiers, decisions, reasons and digests only (no keys, no prompts), so a log line
is safe; the line is the record's canonical JSON (audit/codec.py) without its sequence number."""

from __future__ import annotations

import logging
import threading

from garrison.audit import codec
from garrison.core.events import AuditEvent


class LoggingAuditSink:
    """Writes each event as one JSON object on the ``garrison.audit`` logger."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._log = logger or logging.getLogger("garrison.audit")

    def record(self, event: AuditEvent) -> None:
        if self._log.isEnabledFor(logging.INFO):
            self._log.info("%s", codec.encode(event))


class MemoryAuditSink:
    """Keeps events in a list: for tests and for in-process inspection."""

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []
        self._lock = threading.Lock()

    def record(self, event: AuditEvent) -> None:
        with self._lock:
            self.events.append(event)
