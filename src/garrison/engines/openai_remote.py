"""An OpenAI-compatible server inside the enclave (vLLM, llama.cpp server, TGI).

The host must be on the egress allow-list: checked here when the engine is built, and again by
the air-gap guard on every connection.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from garrison.core.errors import EgressRefused, EngineUnavailable, GarrisonError, InvalidRequest
from garrison.core.types import (
    Capability,
    ChatRequest,
    CompletionRequest,
    Delta,
    EmbeddingRequest,
    Embeddings,
    Generation,
)
from garrison.engines.base import error_from_openai
from garrison.engines.openai_shapes import delta_of, embeddings_of, generation_of, messages_payload


class RemoteOpenAIEngine:
    def __init__(
        self,
        name: str,
        *,
        base_url: str,
        remote_model: str,
        context_length: int,
        host_allowed: Callable[[str], bool],
        api_key: str | None = None,
        timeout: float = 600.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidRequest(f"model {name}: base URL {base_url!r} is not an http(s) URL")
        if not host_allowed(parts.hostname):
            raise EgressRefused(
                f"model {name}: host {parts.hostname} is not on the egress allow-list "
                "(add it to GARRISON_EGRESS_ALLOW to serve this model)"
            )
        self.name = name
        self.remote_model = remote_model
        self.context_length = context_length
        self.capabilities = frozenset(Capability)
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), headers=headers, timeout=timeout, transport=transport, trust_env=False
        )
        self._active = 0

    def active_requests(self) -> int:
        return self._active

    async def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        self._active += 1
        try:
            response = await self._client.post(path, json=payload)
        except GarrisonError:
            raise
        except Exception as exc:  # httpx errors, and anyio's groups wrapping the guard's refusal
            raise self._unavailable(exc) from exc
        finally:
            self._active -= 1
        return self._body(response)

    def _unavailable(self, exc: BaseException) -> GarrisonError:
        refused = _find_refusal(exc)
        if refused is not None:
            return refused
        return EngineUnavailable(f"engine for {self.name} is unreachable: {exc}")

    def _body(self, response: httpx.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = {"error": {"message": response.text[:500]}}
        if response.status_code >= 400 or "error" in body:
            if response.status_code >= 500:
                return_error: GarrisonError = EngineUnavailable(
                    f"engine for {self.name} answered {response.status_code}"
                )
                raise return_error
            raise error_from_openai(body if isinstance(body, dict) else {}, self.name)
        return body if isinstance(body, dict) else {}

    async def _stream(self, path: str, payload: dict[str, Any], *, chat: bool) -> AsyncIterator[Delta]:
        payload = {**payload, "stream": True, "stream_options": {"include_usage": True}}
        self._active += 1
        try:
            async with self._client.stream("POST", path, json=payload) as response:
                if response.status_code >= 400:
                    await response.aread()
                    self._body(response)
                async for line in response.aiter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    chunk = json.loads(data)
                    if "error" in chunk:
                        raise error_from_openai(chunk, self.name)
                    delta = delta_of(chunk, chat=chat)
                    if delta is not None:
                        yield delta
        except GarrisonError:
            raise
        except Exception as exc:
            raise self._unavailable(exc) from exc
        finally:
            self._active -= 1

    def _chat(self, request: ChatRequest) -> dict[str, Any]:
        return {
            "model": self.remote_model,
            "messages": messages_payload(request.messages),
            **request.sampling.to_openai(),
        }

    def _completion(self, request: CompletionRequest) -> dict[str, Any]:
        return {"model": self.remote_model, "prompt": request.prompt, **request.sampling.to_openai()}

    async def chat(self, request: ChatRequest) -> Generation:
        return generation_of(await self._post("/chat/completions", self._chat(request)), chat=True)

    def stream_chat(self, request: ChatRequest) -> AsyncIterator[Delta]:
        return self._stream("/chat/completions", self._chat(request), chat=True)

    async def complete(self, request: CompletionRequest) -> Generation:
        return generation_of(await self._post("/completions", self._completion(request)), chat=False)

    def stream_complete(self, request: CompletionRequest) -> AsyncIterator[Delta]:
        return self._stream("/completions", self._completion(request), chat=False)

    async def embed(self, request: EmbeddingRequest) -> Embeddings:
        body = await self._post("/embeddings", {"model": self.remote_model, "input": list(request.inputs)})
        return embeddings_of(body)

    async def close(self) -> None:
        await self._client.aclose()


def _find_refusal(exc: BaseException, depth: int = 0) -> EgressRefused | None:
    """The air-gap guard's refusal, wherever httpx or anyio (exception groups) wrapped it."""
    if depth > 20:
        return None
    if isinstance(exc, EgressRefused):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = _find_refusal(inner, depth + 1)
            if found is not None:
                return found
    for nxt in (exc.__cause__, exc.__context__):
        if nxt is not None:
            found = _find_refusal(nxt, depth + 1)
            if found is not None:
                return found
    return None
