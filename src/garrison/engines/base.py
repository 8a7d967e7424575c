"""The engine contract. Everything the gateway needs from an inference backend fits here."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol, runtime_checkable

from garrison.core.errors import ContextLengthExceeded, EngineUnavailable, GarrisonError, InvalidRequest
from garrison.core.types import (
    Capability,
    ChatRequest,
    CompletionRequest,
    Delta,
    EmbeddingRequest,
    Embeddings,
    Generation,
)


@runtime_checkable
class Engine(Protocol):
    name: str
    capabilities: frozenset[Capability]
    context_length: int  # tokens available to one request (prompt + answer)

    async def chat(self, request: ChatRequest) -> Generation: ...

    def stream_chat(self, request: ChatRequest) -> AsyncIterator[Delta]: ...

    async def complete(self, request: CompletionRequest) -> Generation: ...

    def stream_complete(self, request: CompletionRequest) -> AsyncIterator[Delta]: ...

    async def embed(self, request: EmbeddingRequest) -> Embeddings: ...

    def active_requests(self) -> int: ...

    async def close(self) -> None: ...


def error_from_openai(body: dict[str, Any], engine: str) -> GarrisonError:
    """Translate an OpenAI-shaped error body returned by an engine into our exception tree."""
    err = body.get("error", body)
    message = str(err.get("message", "engine error")) if isinstance(err, dict) else str(err)
    kind = str(err.get("type", "")) if isinstance(err, dict) else ""
    code = err.get("code") if isinstance(err, dict) else None
    if kind == "exceed_context_size_error" or ("context" in message and "exceed" in message):
        return ContextLengthExceeded(f"{message} (engine {engine})", param="messages")
    if code in (400, "400") or kind == "invalid_request_error":
        return InvalidRequest(f"{message} (engine {engine})")
    return EngineUnavailable(f"engine {engine} failed: {message}")
