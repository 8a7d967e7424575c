"""Routes of the OpenAI-compatible API, health, readiness and metrics."""

from __future__ import annotations

import base64
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from garrison import __version__
from garrison.api import errors
from garrison.api.admin import admin_router
from garrison.api.audit import AuditScope, audit_router
from garrison.api.bodylimit import BodyLimit
from garrison.api.documents import documents_router, grounding_dict
from garrison.api.guard import guard_router
from garrison.api.privacy import privacy_dict, privacy_router
from garrison.api.schemas import ChatBody, CompletionBody, EmbeddingBody
from garrison.api.sse import StreamShape, render
from garrison.core.clock import Clock, IdGenerator
from garrison.core.types import Delta, Generation, ModelRecord, Principal
from garrison.service.container import Services
from garrison.service.gateway import Gateway

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


class HttpMetrics:
    """Counts every HTTP request by route template, method and status (pure ASGI, no buffering)."""

    def __init__(self, app: ASGIApp, gateway: Gateway) -> None:
        self.app = app
        self.counter = gateway.metrics.http

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def wrapped(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, wrapped)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.counter.labels(route=route, method=scope["method"], status=str(status)).inc()


def _model_card(record: ModelRecord) -> dict[str, Any]:
    return {
        "id": record.name,
        "object": "model",
        "created": int(record.added_at),
        "owned_by": "garrison",
        "license": record.license,
        "origin": record.origin,
        "sha256": record.sha256,
        "context_length": record.context_length,
        "engine": record.engine,
    }


def create_app(
    gateway: Gateway,
    services: Services,
    *,
    clock: Clock,
    ids: IdGenerator,
    max_body_bytes: int,
    max_upload_bytes: int | None = None,
    on_startup: Callable[[], Awaitable[None]] | None = None,
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if on_startup is not None:
            await on_startup()
        services.audit.system("system.start", {"version": __version__})
        try:
            yield
        finally:
            services.ingestion.close()
            await gateway.close()
            services.audit.system("system.stop", {"version": __version__})
            services.audit.close()  # the last records written, a last checkpoint signed

    app = FastAPI(title="Garrison", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    errors.install(app, lambda route, error: services.audit.system("system.error", {"route": route, "error": error}))

    async def principal(request: Request) -> Principal:
        # async on purpose: a sync dependency would cost a thread-pool hop on every request; the
        # key lookup is one indexed SQLite read of a few microseconds
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        key = token.strip() if scheme.lower() == "bearer" else None
        return gateway.authenticate(key or None)

    Caller = Depends(principal)
    app.include_router(admin_router(services, Caller))
    app.include_router(documents_router(services, Caller))
    app.include_router(audit_router(services, Caller))
    app.include_router(privacy_router(services, Caller))
    app.include_router(guard_router(services, Caller))

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        r = gateway.readiness()
        body = {"status": "ready" if r.ready else "not_ready", "models": r.served, "refused": sorted(r.refused)}
        return JSONResponse(body, status_code=200 if r.ready else 503)

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(gateway.metrics.render(), media_type=gateway.metrics.content_type)

    @app.get("/v1/models")
    async def list_models(who: Principal = Caller) -> dict[str, Any]:
        return {"object": "list", "data": [_model_card(r) for r in gateway.list_models(who)]}

    @app.get("/v1/models/{model:path}")
    async def get_model(model: str, who: Principal = Caller) -> dict[str, Any]:
        return _model_card(gateway.get_model(who, model))

    def _finished(kind: str, model: str, result: Generation) -> dict[str, Any]:
        usage = {
            "prompt_tokens": result.usage.prompt_tokens,
            "completion_tokens": result.usage.completion_tokens,
            "total_tokens": result.usage.total_tokens,
        }
        if kind == "chat":
            choice: dict[str, Any] = {
                "index": 0,
                "message": {"role": "assistant", "content": result.text, "refusal": None},
                "logprobs": None,
                "finish_reason": result.finish_reason,
            }
            out = {
                "id": ids.new("chatcmpl"),
                "object": "chat.completion",
                "created": int(clock.now()),
                "model": model,
                "system_fingerprint": None,
                "choices": [choice],
                "usage": usage,
            }
            extra: dict[str, Any] = grounding_dict(result.grounding) if result.grounding is not None else {}
            if result.privacy is not None:
                extra["privacy"] = privacy_dict(result.privacy)
            if extra:
                out["garrison"] = extra
            return out
        choice = {"index": 0, "text": result.text, "logprobs": None, "finish_reason": result.finish_reason}
        completion: dict[str, Any] = {
            "id": ids.new("cmpl"),
            "object": "text_completion",
            "created": int(clock.now()),
            "model": model,
            "system_fingerprint": None,
            "choices": [choice],
            "usage": usage,
        }
        if result.privacy is not None:
            completion["garrison"] = {"privacy": privacy_dict(result.privacy)}
        return completion

    async def _stream(shape: StreamShape, stream: AsyncIterator[Delta]) -> StreamingResponse:
        # Pull the first delta here so that a failure before any token (context too long, engine
        # down) is a normal HTTP error rather than a 200 followed by an error event.
        try:
            first: Delta | None = await anext(stream)
        except StopAsyncIteration:
            first = None
        except BaseException:
            await stream.aclose()  # type: ignore[attr-defined]
            raise
        return StreamingResponse(render(shape, first, stream), media_type="text/event-stream", headers=SSE_HEADERS)

    @app.post("/v1/chat/completions", response_model=None)
    async def chat(body: ChatBody, who: Principal = Caller) -> dict[str, Any] | StreamingResponse:
        request = body.to_request()
        if body.stream:
            stream = gateway.prepare_chat_stream(who, request)
            shape = StreamShape(
                ids.new("chatcmpl"),
                int(clock.now()),
                request.model,
                True,
                body.include_usage,
                grounding_dict,
                privacy_dict,
            )
            return await _stream(shape, stream)
        return _finished("chat", request.model, await gateway.chat(who, request))

    @app.post("/v1/completions", response_model=None)
    async def completions(body: CompletionBody, who: Principal = Caller) -> dict[str, Any] | StreamingResponse:
        request = body.to_request()
        if body.stream:
            stream = gateway.prepare_completion_stream(who, request)
            shape = StreamShape(
                ids.new("cmpl"), int(clock.now()), request.model, False, body.include_usage, None, privacy_dict
            )
            return await _stream(shape, stream)
        return _finished("completion", request.model, await gateway.complete(who, request))

    @app.post("/v1/embeddings")
    async def embeddings(body: EmbeddingBody, who: Principal = Caller) -> dict[str, Any]:
        request = body.to_request()
        result = await gateway.embed(who, request)
        data = []
        for i, vector in enumerate(result.vectors):
            value: Any = (
                base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
                if body.encoding_format == "base64"
                else list(vector)
            )
            data.append({"object": "embedding", "index": i, "embedding": value})
        usage = {"prompt_tokens": result.usage.prompt_tokens, "total_tokens": result.usage.prompt_tokens}
        return {"object": "list", "data": data, "model": request.model, "usage": usage}

    app.add_middleware(HttpMetrics, gateway=gateway)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes, upload_bytes=max_upload_bytes)
    app.add_middleware(AuditScope, durable=services.audit.durable, ids=ids)  # outermost: waits for every record
    return app


__all__ = ["create_app"]
