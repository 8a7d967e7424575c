"""Audit events: what the service layer reports about every operation, and where it reports it.

Every service-layer operation, allowed or refused, produces exactly one event of one of the kinds
below and hands it to an :class:`AuditSink` (the tamper-evident log of audit/log.py in a server,
a list in tests). Events carry identifiers, decisions, reasons, counts, markings and SHA-256
digests; never a secret and never the clear text of a prompt or an answer.

A request scope (:func:`open_scope`, set by the HTTP edge) names the request in its events and
collects the sink's ticket of the last event it wrote, so that the response is only sent once that
record is durable (group commit: many requests share one disk write).
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Protocol


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEvent:
    """Fields common to every kind. ``actor`` is how the credential and the person are named
    (``key:<id>/user:<id>``, ``oidc:<subject>``, ``console:<os user>``); ``action`` is the policy
    action decided (``model.use``), ``operation`` what was done (``chat``, ``user.create``);
    ``resource`` is ``<kind>:<id>``; ``allowed`` and ``reasons`` are the decision."""

    KIND: ClassVar[str] = ""
    at: float  # seconds since the epoch, when the operation was decided
    actor: str
    organisation: str | None
    action: str
    operation: str
    resource: str
    allowed: bool
    reasons: tuple[str, ...]
    request_id: str | None = None  # the X-Request-Id of the HTTP request, when there is one


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessEvent(AuditEvent):
    """A decision on a resource and, when allowed, the change made: people, organisations, keys,
    models, collections and documents, usage and audit reads. ``details`` holds what changed
    (names, ids, values), never a secret."""

    KIND: ClassVar[str] = "access"
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchEvent(AuditEvent):
    """A search of collections: the digest of the query, and the id and marking of every chunk
    returned (only chunks the caller could read are ever returned)."""

    KIND: ClassVar[str] = "search"
    collections: tuple[str, ...]
    query_sha256: str
    chunks: tuple[int, ...]
    markings: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelCallEvent(AuditEvent):
    """One call of a model (chat, completions, embeddings), whatever its end. ``outcome`` is
    ``completed``, ``no_sources`` (an answer from documents found nothing readable and relevant; the
    model was not called), ``refused`` (policy, eligibility, rate or budget), ``failed`` (bad
    request, unknown model, engine error: ``code`` says which) or ``cancelled`` (the client went
    away mid-stream). ``prompt_sha256`` is the SHA-256 of the request's messages, prompt or inputs
    as received (docs/audit.md gives the exact bytes); ``answer_sha256`` of the text delivered.
    ``sources`` are the chunks put into the prompt with their markings; ``answer_marking`` is the
    derivative marking of the cited sources and ``context_marking`` that of everything given.
    ``personal_data`` counts the values pseudonymised before the model saw them (by type),
    ``pseudonyms`` names the vault table that restores them and ``restored`` says whether the
    answer was re-identified for the caller; ``prompt_text`` and ``answer_text`` are kept only
    when the organisation's privacy policy asks (``audit_text``), and only pseudonymised."""

    KIND: ClassVar[str] = "model.call"
    model: str
    outcome: str
    code: str | None = None
    stream: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0
    prompt_sha256: str | None = None
    answer_sha256: str | None = None
    collections: tuple[str, ...] = ()
    sources: tuple[Mapping[str, object], ...] = ()  # {"chunk": id, "document": id, "marking": "..."}
    cited: tuple[int, ...] = ()  # chunk ids the answer cites
    answer_marking: str | None = None
    context_marking: str | None = None
    duration_ms: float = 0.0
    personal_data: Mapping[str, int] = field(default_factory=dict)
    pseudonyms: str | None = None
    restored: bool = False
    prompt_text: str | None = None
    answer_text: str | None = None
    withheld: tuple[int, ...] = ()  # chunks found but kept out of the prompt by the guard (injection)


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthenticationEvent(AuditEvent):
    """A credential that was refused: unknown, revoked or expired key, a token that does not verify.
    ``credential`` names it without its secret (the key's public id, or the token's issuer and
    subject when they could be read); ``code`` is the error code the caller got."""

    KIND: ClassVar[str] = "authentication"
    credential: str
    code: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SystemEvent(AuditEvent):
    """The server started or stopped, or the audit log itself reports something."""

    KIND: ClassVar[str] = "system"
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class GuardEvent(AuditEvent):
    """A guard's verdict that was not a plain allow: ``stage`` is ``input`` (the prompt),
    ``output`` (the answer, as it grew), ``source`` (a retrieved chunk, withheld from the prompt)
    or ``ingestion`` (a chunk flagged for review); ``category`` the acceptable-use category,
    ``verdict`` what the organisation's policy made of it (block, warn), ``score`` and ``guard``
    (builtin, or the Llama Guard model) what found it. ``allowed`` is false for a block."""

    KIND: ClassVar[str] = "guard"
    stage: str
    category: str
    verdict: str
    score: float = 0.0
    guard: str = ""
    chunk: str | None = None  # source and ingestion: which chunk


EVENT_KINDS: tuple[type[AuditEvent], ...] = (
    AccessEvent, SearchEvent, ModelCallEvent, AuthenticationEvent, SystemEvent, GuardEvent,
)  # fmt: skip


class AuditSink(Protocol):
    def record(self, event: AuditEvent) -> None:
        """Take the event. Inside a request scope this may return before the event is durable
        (the scope's ticket is raised and the edge waits); outside one it returns once it is."""
        ...


@dataclass(slots=True)
class RequestScope:
    """One HTTP request: its id, and the highest audit ticket it is waiting on."""

    request_id: str | None = None
    ticket: int = 0


_SCOPE: contextvars.ContextVar[RequestScope | None] = contextvars.ContextVar("garrison_request", default=None)


def current_scope() -> RequestScope | None:
    return _SCOPE.get()


def open_scope(scope: RequestScope) -> contextvars.Token[RequestScope | None]:
    return _SCOPE.set(scope)


def close_scope(token: contextvars.Token[RequestScope | None]) -> None:
    _SCOPE.reset(token)
