"""The audit API for auditors (read only: nothing here or anywhere changes a record), and the
middleware that makes every response wait until the request's audit records are on disk."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from garrison.api.errors import error_body
from garrison.core.clock import IdGenerator
from garrison.core.errors import GarrisonError
from garrison.core.events import RequestScope, close_scope, open_scope
from garrison.core.types import Principal
from garrison.service.audit import RecordQuery
from garrison.service.container import Services

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class AuditScope:
    """Pure ASGI: names the request (``X-Request-Id``, the client's when it is sane, else a new
    one, echoed in the response) and holds every message of the response until the audit records
    the request wrote are durable. Group commit happens here: many requests wait on one write.
    If the records cannot be written the client gets a 503 instead of an unrecorded answer (or,
    mid-stream, a cut connection without the final event)."""

    def __init__(self, app: ASGIApp, durable: Callable[[int], Awaitable[None]] | None, ids: IdGenerator) -> None:
        self.app = app
        self.durable = durable
        self.ids = ids

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"x-request-id"), "")
        request = RequestScope(given if _REQUEST_ID.fullmatch(given) else self.ids.new("req"))
        token = open_scope(request)
        waited = 0
        failed = False
        durable = self.durable

        async def wrapped(message: Message) -> None:
            nonlocal waited, failed
            if failed:
                return
            if durable is not None and request.ticket > waited:
                try:
                    await durable(request.ticket)
                    waited = request.ticket
                except GarrisonError as exc:
                    failed = True
                    if message["type"] != "http.response.start":
                        raise  # mid-stream: the connection is cut, the final event never sent
                    body = json.dumps(error_body(str(exc), exc.type, exc.code)).encode()
                    await send({"type": "http.response.start", "status": exc.status,
                                "headers": [(b"content-type", b"application/json"),
                                            (b"content-length", str(len(body)).encode())]})  # fmt: skip
                    await send({"type": "http.response.body", "body": body, "more_body": False})
                    return
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (b"x-request-id", request.request_id.encode())]  # type: ignore[union-attr]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, wrapped)
        finally:
            close_scope(token)


def audit_router(services: Services, caller: Any) -> APIRouter:
    router = APIRouter()
    audit = services.audit

    def query(
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        action: str | None = None,
        decision: str | None = None,
        kind: str | None = None,
        after: int = Query(0, ge=0),
    ) -> RecordQuery:
        """The filters both routes take (time: seconds since 1970 or ISO 8601)."""
        return RecordQuery.parse(since, until, actor, action, decision, kind, after)

    Filters = Depends(query)

    @router.get("/v1/audit/records")
    def records(
        who: Principal = caller, q: RecordQuery = Filters, limit: int = Query(100, ge=1, le=1000)
    ) -> dict[str, Any]:
        rows = audit.records(who, replace(q, limit=limit))
        return {
            "object": "list",
            "data": [json.loads(body) for _, body in rows],
            "has_more": len(rows) == limit,
            "last_seq": rows[-1][0] if rows else q.after,
        }

    @router.get("/v1/audit/export")
    def export(who: Principal = caller, q: RecordQuery = Filters) -> StreamingResponse:
        lines = audit.export(who, q)
        first = next(lines, None)  # decided (and refused) before the 200

        def body() -> Iterator[bytes]:
            if first is not None:
                yield first.encode() + b"\n"
                for line in lines:
                    yield line.encode() + b"\n"

        return StreamingResponse(body(), media_type="application/x-ndjson")

    @router.get("/v1/audit/checkpoint")
    def checkpoint(who: Principal = caller) -> dict[str, Any]:
        size, note = audit.checkpoint(who)
        return {"size": size, "note": note}

    @router.get("/v1/audit/public-key", response_class=PlainTextResponse)
    def public_key(who: Principal = caller) -> str:
        return audit.public_key() + "\n"

    @router.get("/v1/audit/proof")
    def proof(
        who: Principal = caller, seq: list[int] = Query(..., min_length=1, max_length=1000), size: int | None = None
    ) -> dict[str, Any]:
        return audit.proof(who, seq, size)

    @router.get("/v1/audit/consistency")
    def consistency(who: Principal = caller, first: int = Query(..., alias="from", ge=1),
                    second: int | None = Query(None, alias="to")) -> dict[str, Any]:  # fmt: skip
        return audit.consistency(who, first, second)

    @router.post("/v1/audit/verify")
    def verify(who: Principal = caller) -> JSONResponse:
        report = audit.verify(who)
        return JSONResponse(
            {
                "ok": report.ok,
                "records": report.records,
                "checkpoints": report.checkpoints,
                "latest_checkpoint": report.latest,
                "unsigned": report.unsigned,
                "findings": [{"kind": f.kind, "seq": f.seq, "message": f.message} for f in report.findings],
            }
        )

    return router
