"""Audit events: what the service layer reports about every decision, and where it reports it.

The service layer builds an :class:`AuditEvent` for each operation, allowed or refused, and hands
it to an :class:`AuditSink`. The sink is the hook the tamper-evident log (audit/) fills; events
carry identifiers, decisions and reasons, never secrets or clear text of prompts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class AuditEvent:
    at: float  # seconds since the epoch
    action: str  # an Action value, e.g. "user.manage"
    operation: str  # what was done, e.g. "user.create", "chat"
    actor: str  # Principal.actor: credential and person
    organisation: str | None  # the actor's organisation
    resource: str  # "<kind>:<id>", e.g. "user:m.rossi", "model:smollm2-135m-instruct"
    allowed: bool
    reasons: tuple[str, ...]
    details: Mapping[str, object] = field(default_factory=dict)  # what changed: names, never secrets


class AuditSink(Protocol):
    def record(self, event: AuditEvent) -> None: ...
