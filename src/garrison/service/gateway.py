"""The gateway use-cases behind the OpenAI-compatible API and every other entry point.

Pipeline (this issue's part of it): authenticate -> resolve the model -> limits -> engine ->
metrics. Identity, policy, guards, privacy and audit slot into the same methods later, so no
entry point can skip a step.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from garrison.core.errors import GarrisonError, InvalidRequest
from garrison.core.types import (
    Capability,
    ChatRequest,
    CompletionRequest,
    Delta,
    EmbeddingRequest,
    Embeddings,
    Generation,
    ModelRecord,
    Principal,
    Usage,
)
from garrison.engines.base import Engine
from garrison.security.quotas import RateLimiter
from garrison.service.keys import KeyService
from garrison.service.limits import Limits
from garrison.service.metrics import Metrics
from garrison.service.pool import ModelPool

UNKNOWN_MODEL = "_unknown"
CLIENT_CLOSED = "499"


@dataclass(frozen=True, slots=True)
class Readiness:
    ready: bool
    served: list[str]
    refused: dict[str, str]


class Gateway:
    def __init__(
        self,
        keys: KeyService,
        pool: ModelPool,
        limits: Limits,
        metrics: Metrics,
        rate: RateLimiter | None = None,
    ) -> None:
        self._keys = keys
        self._pool = pool
        self.limits = limits
        self.metrics = metrics
        self._rate = rate

    # -- lifecycle ------------------------------------------------------------------------------
    def readiness(self) -> Readiness:
        served = [r.name for r in self._pool.served()]
        refused = {r.record.name: r.error.message for r in self._pool.refused()}
        return Readiness(ready=self._pool.started and bool(served), served=served, refused=refused)

    async def close(self) -> None:
        await self._pool.close()

    # -- pipeline steps -------------------------------------------------------------------------
    def authenticate(self, key: str | None) -> Principal:
        return self._keys.authenticate(key)

    def list_models(self, principal: Principal) -> list[ModelRecord]:
        return self._pool.served()

    def get_model(self, principal: Principal, name: str) -> ModelRecord:
        record, _ = self._pool.get(name)
        return record

    def _admit(self, principal: Principal, endpoint: str) -> None:
        """Per-key request rate (token bucket); per user and organisation come with identities."""
        if self._rate is None:
            return
        try:
            self._rate.acquire(f"key:{principal.key_id}", "this API key")
        except GarrisonError as exc:
            self._count_error(endpoint, UNKNOWN_MODEL, exc)
            raise

    def _resolve(self, name: str, capability: Capability, endpoint: str) -> tuple[ModelRecord, Engine]:
        try:
            record, engine = self._pool.get(name)
        except GarrisonError as exc:
            label = name if exc.status != 404 else UNKNOWN_MODEL
            self._count_error(endpoint, label, exc)
            raise
        if capability not in engine.capabilities:
            exc2 = InvalidRequest(f"The model '{name}' does not support {capability.value}", param="model")
            self._count_error(endpoint, name, exc2)
            raise exc2
        return record, engine

    def _count_error(self, endpoint: str, model: str, exc: GarrisonError) -> None:
        self.metrics.errors.labels(endpoint=endpoint, model=model, code=exc.code).inc()
        self.metrics.requests.labels(endpoint=endpoint, model=model, status=str(exc.status)).inc()

    def _done(self, endpoint: str, model: str, started: float, usage: Usage) -> None:
        self.metrics.requests.labels(endpoint=endpoint, model=model, status="200").inc()
        self.metrics.latency.labels(endpoint=endpoint, model=model).observe(time.perf_counter() - started)
        self.metrics.tokens.labels(model=model, kind="prompt").inc(usage.prompt_tokens)
        self.metrics.tokens.labels(model=model, kind="completion").inc(usage.completion_tokens)

    # -- use-cases ------------------------------------------------------------------------------
    async def chat(self, principal: Principal, request: ChatRequest) -> Generation:
        endpoint = "chat"
        self._admit(principal, endpoint)
        started = time.perf_counter()
        record, engine = self._resolve(request.model, Capability.CHAT, endpoint)
        try:
            self.limits.check_chat(request, engine.context_length)
            result = await engine.chat(request)
        except GarrisonError as exc:
            self._count_error(endpoint, record.name, exc)
            raise
        self._done(endpoint, record.name, started, result.usage)
        return result

    def prepare_chat_stream(self, principal: Principal, request: ChatRequest) -> AsyncIterator[Delta]:
        """Check everything that can be checked before the first byte; return the delta stream."""
        self._admit(principal, "chat")
        record, engine = self._resolve(request.model, Capability.STREAM, "chat")
        try:
            self.limits.check_chat(request, engine.context_length)
        except GarrisonError as exc:
            self._count_error("chat", record.name, exc)
            raise
        return self._metered("chat", record.name, engine.stream_chat(request))

    async def complete(self, principal: Principal, request: CompletionRequest) -> Generation:
        endpoint = "completions"
        self._admit(principal, endpoint)
        started = time.perf_counter()
        record, engine = self._resolve(request.model, Capability.COMPLETION, endpoint)
        try:
            self.limits.check_completion(request, engine.context_length)
            result = await engine.complete(request)
        except GarrisonError as exc:
            self._count_error(endpoint, record.name, exc)
            raise
        self._done(endpoint, record.name, started, result.usage)
        return result

    def prepare_completion_stream(self, principal: Principal, request: CompletionRequest) -> AsyncIterator[Delta]:
        self._admit(principal, "completions")
        record, engine = self._resolve(request.model, Capability.STREAM, "completions")
        try:
            self.limits.check_completion(request, engine.context_length)
        except GarrisonError as exc:
            self._count_error("completions", record.name, exc)
            raise
        return self._metered("completions", record.name, engine.stream_complete(request))

    async def embed(self, principal: Principal, request: EmbeddingRequest) -> Embeddings:
        endpoint = "embeddings"
        self._admit(principal, endpoint)
        started = time.perf_counter()
        record, engine = self._resolve(request.model, Capability.EMBEDDINGS, endpoint)
        try:
            self.limits.check_embedding(request)
            result = await engine.embed(request)
        except GarrisonError as exc:
            self._count_error(endpoint, record.name, exc)
            raise
        self._done(endpoint, record.name, started, result.usage)
        return result

    async def _metered(self, endpoint: str, model: str, stream: AsyncIterator[Delta]) -> AsyncIterator[Delta]:
        started = time.perf_counter()
        pieces = 0
        usage = Usage()
        try:
            async for delta in stream:
                if delta.text:
                    if pieces == 0:
                        self.metrics.ttft.labels(model=model).observe(time.perf_counter() - started)
                    pieces += delta.pieces
                if delta.usage is not None:
                    usage = delta.usage
                yield delta
        except GarrisonError as exc:
            self._count_error(endpoint, model, exc)
            raise
        except (GeneratorExit, asyncio.CancelledError):
            # the client went away: count it (nginx's 499) with the tokens it did receive
            self.metrics.requests.labels(endpoint=endpoint, model=model, status=CLIENT_CLOSED).inc()
            self.metrics.tokens.labels(model=model, kind="completion").inc(pieces)
            raise
        finally:
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                await aclose()
        self._done(endpoint, model, started, usage)
