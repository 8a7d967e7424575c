"""llama.cpp in-process through ``xllamacpp``: llama.cpp's own server code, continuous batching
over ``parallel`` slots. Each call blocks a worker thread inside C++ (the GIL is released), and
streamed chunks are handed to the event loop through a thread-safe queue. When the consumer goes
away (a client disconnects) the next callback returns True, which makes llama.cpp stop the task
and free its slot.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from garrison.core.errors import EngineUnavailable, GarrisonError
from garrison.core.types import (
    Capability,
    ChatRequest,
    CompletionRequest,
    Delta,
    EmbeddingRequest,
    Embeddings,
    FinishReason,
    Generation,
    Usage,
)
from garrison.engines.base import error_from_openai
from garrison.engines.bridge import Channel
from garrison.engines.openai_shapes import delta_of, embeddings_of, generation_of, messages_payload
from garrison.engines.slots import SlotPool

_DONE = object()


@dataclass(frozen=True, slots=True)
class LlamaCppConfig:
    path: Path
    parallel: int = 8  # slots served concurrently (continuous batching)
    slot_context: int = 2048  # tokens per slot; total KV cache = parallel * slot_context
    threads: int = 2
    batch: int = 512
    chat_template: str | None = None
    embeddings: bool = True
    nice: int = 0  # llama.cpp's threads this much lower than the gateway's (Linux; see _spawned)


class LlamaCppEngine:
    def __init__(self, name: str, config: LlamaCppConfig) -> None:
        import xllamacpp as xl  # native library: imported only when a model is really loaded

        self.name = name
        self.config = config
        self.context_length = config.slot_context
        caps = {Capability.CHAT, Capability.COMPLETION, Capability.STREAM}
        if config.embeddings:
            caps.add(Capability.EMBEDDINGS)
        self.capabilities = frozenset(caps)
        self._xl = xl
        try:
            self._server: Any = _spawned(
                lambda: xl.Server(self._params(config.parallel, embeddings=False)), config.nice
            )
        except Exception as exc:
            raise EngineUnavailable(f"llama.cpp could not load {config.path}: {exc}") from exc
        # Embeddings get their own single-slot context, created on first use: llama.cpp's mean
        # pooling gives batch-dependent vectors when sequences of different lengths share a
        # batch across slots (measured: cosine 0.89 to the same text embedded alone), so
        # embeddings never share a batch with anything else.
        self._embedder: Any = None
        self._embedder_lock = threading.Lock()
        # enough threads for every slot to be busy streaming while others queue inside llama.cpp
        self._pool = ThreadPoolExecutor(max_workers=max(4, config.parallel * 4), thread_name_prefix=f"llamacpp-{name}")
        self._active = 0
        self._active_lock = threading.Lock()
        self._slots = SlotPool(config.parallel)  # Garrison, not llama.cpp, picks the slot (see slots.py)
        self._closed = False

    def _params(self, parallel: int, *, embeddings: bool) -> Any:
        xl, config = self._xl, self.config
        params = xl.CommonParams()
        params.model.path = str(config.path)
        params.n_parallel = parallel
        params.n_ctx = parallel * config.slot_context
        params.n_batch = config.batch
        params.cpuparams.n_threads = config.threads
        params.cpuparams_batch.n_threads = config.threads
        params.verbosity = 0  # llama.cpp logs to stderr otherwise
        params.offline = True  # never let llama.cpp fetch a model
        params.use_jinja = True
        params.ctx_shift = False  # an over-long request is an error, never silently truncated
        params.endpoint_metrics = True
        # xllamacpp also opens an HTTP listener on loopback; lock it with a key nobody knows so
        # that no local process can reach the model around authentication and audit.
        params.api_keys = [secrets.token_urlsafe(32)]
        if config.chat_template:
            params.chat_template = config.chat_template
        if embeddings:
            params.embedding = True
            params.pooling_type = xl.llama_pooling_type.LLAMA_POOLING_TYPE_MEAN
        return params

    def _embedding_server(self) -> Any:
        with self._embedder_lock:
            if self._embedder is None:
                self._embedder = _spawned(lambda: self._xl.Server(self._params(1, embeddings=True)), self.config.nice)
            return self._embedder

    # -- helpers -------------------------------------------------------------------------------
    def _track(self, delta: int) -> None:
        with self._active_lock:
            self._active += delta

    def active_requests(self) -> int:
        with self._active_lock:
            return self._active

    def _engine_error(self, exc: BaseException) -> GarrisonError:
        """xllamacpp raises ValueError/TypeError/KeyError for a request it cannot take (400);
        anything else is the engine failing (503)."""
        if isinstance(exc, GarrisonError):
            return exc
        if isinstance(exc, (ValueError, TypeError, KeyError)):
            return error_from_openai({"error": {"message": str(exc), "code": 400}}, self.name)
        return EngineUnavailable(f"engine {self.name} failed: {exc}")

    def _check_open(self) -> None:
        if self._closed:
            raise EngineUnavailable(f"engine for {self.name} is shut down")

    def _launch(self, loop: asyncio.AbstractEventLoop, run: Callable[[], Any], slot: int | None) -> asyncio.Future[Any]:
        """``run`` on a worker thread; its slot goes back if it cannot even be started (``run``
        gives it back itself when llama.cpp has finished)."""
        try:
            return loop.run_in_executor(self._pool, run)
        except BaseException:
            if slot is not None:
                self._slots.release(slot)
            raise

    async def _call(
        self, method: Callable[[dict[str, Any]], Any], payload: dict[str, Any], *, slotted: bool = True
    ) -> dict[str, Any]:
        self._check_open()
        loop = asyncio.get_running_loop()
        slot = await self._slots.acquire(_conversation(payload)) if slotted else None
        if slot is not None:
            payload = {**payload, "id_slot": slot}

        def run() -> Any:
            self._track(1)
            try:
                return method(payload)
            finally:
                self._track(-1)
                if slot is not None:
                    self._slots.release(slot)  # llama.cpp has finished with it

        try:
            body = await self._launch(loop, run, slot)
        except GarrisonError:
            raise
        except (ValueError, TypeError, KeyError, RuntimeError) as exc:
            raise self._engine_error(exc) from exc
        if not isinstance(body, dict):
            raise EngineUnavailable(f"engine {self.name} returned {type(body).__name__}")
        if "error" in body:
            raise error_from_openai(body, self.name)
        return body

    async def _stream(self, method: Callable[..., Any], payload: dict[str, Any], *, chat: bool) -> AsyncIterator[Delta]:
        self._check_open()
        loop = asyncio.get_running_loop()
        channel = Channel(loop)
        stop = threading.Event()
        slot = await self._slots.acquire(_conversation(payload))
        payload = {**payload, "id_slot": slot}

        def on_chunk(chunk: Any) -> bool:
            if stop.is_set():
                return True  # consumer gone: llama.cpp cancels the task and frees the slot
            channel.put(chunk)
            return False

        def run() -> None:
            self._track(1)
            try:
                if stop.is_set():
                    return
                result = method(payload, on_chunk)
                if isinstance(result, dict) and "error" in result:
                    channel.put(result)
            except BaseException as exc:  # surfaced to the consumer below
                channel.put(exc)
            finally:
                self._track(-1)
                self._slots.release(slot)  # llama.cpp has finished with it
                channel.put(_DONE)

        self._launch(loop, run, slot)
        try:
            while True:
                # everything that arrived since the last send goes out as one delta
                text: list[str] = []
                finish: FinishReason | None = None
                usage: Usage | None = None
                pieces = 0
                got = done = False
                for item in await channel.take():
                    if item is _DONE:
                        done = True
                        break
                    if isinstance(item, BaseException):
                        raise self._engine_error(item)
                    if isinstance(item, dict) and "error" in item:
                        raise error_from_openai(item, self.name)
                    delta = delta_of(item, chat=chat)
                    if delta is not None:
                        got = True
                        pieces += bool(delta.text)
                        text.append(delta.text)
                        finish = finish or delta.finish_reason
                        usage = delta.usage or usage
                if got:
                    yield Delta(text="".join(text), finish_reason=finish, usage=usage, pieces=max(1, pieces))
                if done:
                    return
        finally:
            stop.set()

    # -- the protocol --------------------------------------------------------------------------
    def _chat_payload(self, request: ChatRequest, stream: bool) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "model": self.name,
            "messages": messages_payload(request.messages),
            **request.sampling.to_openai(),
        }
        if stream:
            payload["stream"] = True
            payload["stream_options"] = {"include_usage": True}
        return payload

    def _completion_payload(self, request: CompletionRequest, stream: bool) -> dict[str, Any]:
        payload: dict[str, Any] = {"model": self.name, "prompt": request.prompt, **request.sampling.to_openai()}
        if stream:
            payload["stream"] = True
            payload["stream_options"] = {"include_usage": True}
        return payload

    async def chat(self, request: ChatRequest) -> Generation:
        body = await self._call(self._server.handle_chat_completions, self._chat_payload(request, False))
        return generation_of(body, chat=True)

    def stream_chat(self, request: ChatRequest) -> AsyncIterator[Delta]:
        return self._stream(self._server.handle_chat_completions, self._chat_payload(request, True), chat=True)

    async def complete(self, request: CompletionRequest) -> Generation:
        body = await self._call(self._server.handle_completions, self._completion_payload(request, False))
        return generation_of(body, chat=False)

    def stream_complete(self, request: CompletionRequest) -> AsyncIterator[Delta]:
        return self._stream(self._server.handle_completions, self._completion_payload(request, True), chat=False)

    async def embed(self, request: EmbeddingRequest) -> Embeddings:
        if Capability.EMBEDDINGS not in self.capabilities:
            raise EngineUnavailable(f"model {self.name} is not served with embeddings")

        def embed(payload: dict[str, Any]) -> Any:
            return self._embedding_server().handle_embeddings(payload)

        body = await self._call(embed, {"model": self.name, "input": list(request.inputs)}, slotted=False)
        return embeddings_of(body)

    def slots_busy(self) -> frozenset[int]:
        """The slots Garrison has handed out and llama.cpp has not finished with."""
        return self._slots.busy()

    def engine_metrics(self) -> str:
        """llama.cpp's own Prometheus text (slots, tokens, queue)."""
        return str(self._server.handle_metrics())

    async def close(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)


def _spawned(make: Callable[[], Any], nice: int) -> Any:
    """``make()`` (a llama.cpp server) called on a thread of its own whose priority is first lowered
    by ``nice`` (added to the thread's nice value, 19 at most): every thread llama.cpp starts from
    there (its loop, its compute threads) inherits it, and no other thread of the process is
    touched (on Linux the nice value is per thread).

    Why: the gateway and the engine share the same cores. At equal priority, a prompt being
    detected while other requests generate gets a fair share of a core at best: 4 streams sent
    together waited 132 ms for their first token (median of 16 rounds), against 64 ms with the
    engine at nice 5, for the same tokens/s."""
    if nice <= 0 or not sys.platform.startswith("linux"):
        return make()
    made: list[Any] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            tid = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
            made.append(make())
        except BaseException as exc:  # raised again on the caller's thread
            failed.append(exc)

    thread = threading.Thread(target=run, name="llamacpp-start", daemon=True)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]
    return made[0]


def _conversation(payload: dict[str, Any]) -> str | None:
    """What names a conversation across its turns: everything up to and including its first user
    message (each turn re-sends the history), or the start of a completion prompt."""
    messages = payload.get("messages")
    if isinstance(messages, list):
        head: list[str] = []
        for message in messages:
            if not isinstance(message, dict):
                return None
            head.append(f"{message.get('role')}\x00{message.get('content')}")
            if message.get("role") == "user":
                return "\x01".join(head)
        return None
    prompt = payload.get("prompt")
    return prompt[:256] if isinstance(prompt, str) else None
