"""Every failure leaves the API as OpenAI's error body, translated here and nowhere else."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from garrison.core.errors import ContentBlocked, GarrisonError, RateLimited

log = logging.getLogger("garrison.api")


def error_body(message: str, type_: str, code: str | None, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def _body(exc: GarrisonError) -> dict[str, Any]:
    body = error_body(exc.message, exc.type, exc.code, exc.param)
    if isinstance(exc, ContentBlocked):
        body["error"]["category"] = exc.category  # which acceptable-use category refused it
    return body


def error_response(exc: GarrisonError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    if isinstance(exc, RateLimited):
        headers = {"Retry-After": str(exc.retry_after)}
    return JSONResponse(_body(exc), status_code=exc.status, headers=headers)


def sse_error(exc: GarrisonError) -> str:
    return "data: " + json.dumps(_body(exc)) + "\n\n"


def _loc(loc: tuple[Any, ...]) -> str | None:
    parts = [str(p) for p in loc if p not in ("body",)]
    if not parts:
        return None
    out = parts[0]
    for p in parts[1:]:
        out += f"[{p}]" if p.isdigit() else f".{p}"
    return out


def install(app: FastAPI, on_unexpected: Callable[[str, str], None] | None = None) -> None:
    """``on_unexpected(route, error type)`` records an unknown failure (an audit record)."""

    @app.exception_handler(GarrisonError)
    async def _garrison(request: Request, exc: GarrisonError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        if first.get("type") == "json_invalid":
            ctx = first.get("ctx") or {}
            message = f"Malformed JSON in request body: {ctx.get('error', 'could not parse it')}"
            return JSONResponse(error_body(message, "invalid_request_error", "invalid_json"), status_code=400)
        if first.get("type") == "model_attributes_type" or (first.get("loc") == ("body",)):
            return JSONResponse(
                error_body("The request body must be a JSON object.", "invalid_request_error", "invalid_body"),
                status_code=400,
            )
        param = _loc(tuple(first.get("loc", ())))
        details = "; ".join(f"{_loc(tuple(e.get('loc', ()))) or 'body'}: {e.get('msg')}" for e in errors[:5])
        return JSONResponse(
            error_body(f"Invalid request: {details}", "invalid_request_error", "invalid_value", param),
            status_code=400,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        type_ = "invalid_request_error" if exc.status_code < 500 else "server_error"
        message = str(exc.detail) if exc.detail else "error"
        if exc.status_code == 404:
            message = f"Unknown request URL: {request.method} {request.url.path}."
        elif exc.status_code == 405:
            message = f"Method {request.method} is not allowed on {request.url.path}."
        codes = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}
        return JSONResponse(
            error_body(message, type_, codes.get(exc.status_code)),
            status_code=exc.status_code,
            headers=exc.headers,  # e.g. Allow on a 405 (RFC 9110)
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        if on_unexpected is not None:
            try:
                on_unexpected(f"{request.method} {request.url.path}", type(exc).__name__)
            except Exception:  # the 500 is answered whatever happens to its record
                log.exception("the unexpected error could not be recorded")
        return JSONResponse(
            error_body("The server had an error while processing your request.", "server_error", "internal_error"),
            status_code=500,
        )
