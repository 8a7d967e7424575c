"""What the audit record of one model call collects on its way through the gateway.

A :class:`Call` is opened when a chat, completion or embedding request arrives, filled in as the
pipeline goes (the model resolved, the decision, the sources given, the text delivered, the
tokens) and turned into one :class:`ModelCallEvent` however the call ends. The digests are
SHA-256 over exactly the bytes described in docs/audit.md, so that whoever holds a transcript can
show it is the one recorded, while the log never holds the text itself.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from dataclasses import dataclass, field

from garrison.core.documents import Grounding, Hit
from garrison.core.errors import GarrisonError
from garrison.core.events import ModelCallEvent
from garrison.core.privacy import PrivacyNote
from garrison.core.types import ChatRequest, CompletionRequest, EmbeddingRequest, Principal, Usage
from garrison.security.policy import Action, Decision

REFUSALS = frozenset({401, 403, 429})


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chat_digest(request: ChatRequest) -> str:
    """SHA-256 of the messages as received: a JSON array of {"role","content"[,"name"]} objects,
    keys sorted, no spaces, UTF-8."""
    messages = [
        {"role": m.role, "content": m.content, **({"name": m.name} if m.name else {})} for m in request.messages
    ]
    return hashlib.sha256(_canonical(messages)).hexdigest()


def completion_digest(request: CompletionRequest) -> str:
    """SHA-256 of the prompt's UTF-8 bytes."""
    return hashlib.sha256(request.prompt.encode()).hexdigest()


def embedding_digest(request: EmbeddingRequest) -> str:
    """SHA-256 of the inputs as a JSON array of strings (no spaces, UTF-8)."""
    return hashlib.sha256(_canonical(list(request.inputs))).hexdigest()


@dataclass(slots=True)
class Call:
    operation: str  # chat, completions, embeddings
    model: str
    prompt_sha256: str
    at: float
    stream: bool = False
    started: float = field(default_factory=time.perf_counter)
    decision: Decision | None = None
    outcome: str = "failed"
    code: str | None = None
    reason: str | None = None
    usage: Usage = field(default_factory=Usage)
    answer_sha256: str | None = None
    collections: tuple[str, ...] = ()
    sources: tuple[Hit, ...] = ()
    grounding: Grounding | None = None
    privacy: PrivacyNote | None = None
    withheld: tuple[int, ...] = ()  # chunks the guard kept out of the prompt
    prompt_text: str | None = None  # pseudonymised; kept only when the organisation's policy asks
    answer_text: str | None = None

    def completed(self, text: str | None, usage: Usage, grounding: Grounding | None = None) -> None:
        self.outcome = "no_sources" if grounding is not None and grounding.sources == 0 else "completed"
        self.usage = usage
        if text is not None:
            self.answer_sha256 = hashlib.sha256(text.encode()).hexdigest()
        self.grounding = grounding

    def ended(self, exc: BaseException) -> None:
        """The call ended with ``exc``: refused, failed or cancelled."""
        if isinstance(exc, GarrisonError):
            self.outcome = "refused" if exc.status in REFUSALS else "failed"
            self.code = exc.code
            self.reason = str(exc)
        elif isinstance(exc, (asyncio.CancelledError, GeneratorExit)):
            self.outcome = "cancelled"
        else:
            self.outcome, self.code = "failed", "internal_error"

    def event(self, principal: Principal, request_id: str | None) -> ModelCallEvent:
        allowed = self.outcome in ("completed", "no_sources", "cancelled") or (
            self.outcome == "failed" and self.decision is not None and self.decision.allowed
        )
        reasons = self.decision.reasons if self.decision is not None else ()
        if self.reason and not allowed:
            reasons = (
                (*reasons, self.reason) if self.decision is not None and not self.decision.allowed else (self.reason,)
            )
        g = self.grounding
        return ModelCallEvent(
            at=self.at,
            actor=principal.actor,
            organisation=principal.organisation,
            action=Action.MODEL_USE.value,
            operation=self.operation,
            resource=f"model:{self.model}",
            allowed=allowed,
            reasons=reasons,
            request_id=request_id,
            model=self.model,
            outcome=self.outcome,
            code=self.code,
            stream=self.stream,
            prompt_tokens=self.usage.prompt_tokens,
            completion_tokens=self.usage.completion_tokens,
            prompt_sha256=self.prompt_sha256,
            answer_sha256=self.answer_sha256,
            collections=self.collections,
            sources=tuple(
                {"chunk": h.chunk_id, "document": h.document_id, "marking": str(h.marking)} for h in self.sources
            ),
            cited=tuple(c.chunk_id for c in g.citations) if g is not None else (),
            answer_marking=str(g.marking) if g is not None and g.marking is not None else None,
            context_marking=str(g.context_marking) if g is not None and g.context_marking is not None else None,
            duration_ms=round((time.perf_counter() - self.started) * 1000, 3),
            personal_data=dict(self.privacy.entities) if self.privacy is not None else {},
            pseudonyms=self.privacy.pseudonyms if self.privacy is not None else None,
            restored=self.privacy.restored if self.privacy is not None else False,
            prompt_text=self.prompt_text,
            answer_text=self.answer_text,
            withheld=self.withheld,
        )
