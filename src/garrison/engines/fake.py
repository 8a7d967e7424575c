"""A deterministic engine for fast unit tests: the answer is a pure function of the request."""

from __future__ import annotations

import asyncio
import hashlib
import math
from collections.abc import AsyncIterator, Sequence

import numpy as np
import numpy.typing as npt

from garrison.core.errors import ContextLengthExceeded
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


def _tokens(text: str) -> list[str]:
    return text.split()


class FakeEngine:
    """Echoes the last user message word by word (``echo: ...``), one token per word; keeps every
    request it received (``received``), so tests see exactly what reached the model."""

    def __init__(self, name: str = "fake", *, context_length: int = 4096, dim: int = 16, delay: float = 0.0) -> None:
        self.name = name
        self.context_length = context_length
        self.capabilities = frozenset(Capability)
        self.dim = dim
        self.delay = delay
        self._active = 0
        self.closed = False
        self.received: list[ChatRequest | CompletionRequest] = []  # every request, as the engine got it
        self.reply: str | None = None  # when set, the answer to every request instead of the echo

    def active_requests(self) -> int:
        return self._active

    def _answer(self, prompt: str, max_tokens: int | None) -> tuple[list[str], int, str]:
        prompt_tokens = len(_tokens(prompt))
        if prompt_tokens > self.context_length:
            raise ContextLengthExceeded(
                f"request ({prompt_tokens} tokens) exceeds the available context size ({self.context_length} tokens)",
                param="messages",
            )
        words = self.reply.split(" ") if self.reply is not None else ["echo:", *_tokens(prompt)]
        limit = max_tokens if max_tokens is not None else len(words)
        finish = "length" if limit < len(words) else "stop"
        return words[:limit], prompt_tokens, finish

    def _chat_prompt(self, request: ChatRequest) -> str:
        users = [m.content for m in request.messages if m.role == "user"]
        return users[-1] if users else ""

    async def _generate(self, prompt: str, max_tokens: int | None) -> Generation:
        words, prompt_tokens, finish = self._answer(prompt, max_tokens)
        return Generation(
            text=" ".join(words),
            finish_reason="length" if finish == "length" else "stop",
            usage=Usage(prompt_tokens=prompt_tokens, completion_tokens=len(words)),
        )

    async def _stream(self, prompt: str, max_tokens: int | None) -> AsyncIterator[Delta]:
        words, prompt_tokens, finish = self._answer(prompt, max_tokens)
        self._active += 1
        try:
            for i, word in enumerate(words):
                if self.delay:
                    await asyncio.sleep(self.delay)
                yield Delta(text=word if i == 0 else " " + word)
            yield Delta(
                finish_reason="length" if finish == "length" else "stop",
                usage=Usage(prompt_tokens=prompt_tokens, completion_tokens=len(words)),
            )
        finally:
            self._active -= 1

    async def chat(self, request: ChatRequest) -> Generation:
        self.received.append(request)
        return await self._generate(self._chat_prompt(request), request.sampling.max_tokens)

    def stream_chat(self, request: ChatRequest) -> AsyncIterator[Delta]:
        self.received.append(request)
        return self._stream(self._chat_prompt(request), request.sampling.max_tokens)

    async def complete(self, request: CompletionRequest) -> Generation:
        self.received.append(request)
        return await self._generate(request.prompt, request.sampling.max_tokens)

    def stream_complete(self, request: CompletionRequest) -> AsyncIterator[Delta]:
        self.received.append(request)
        return self._stream(request.prompt, request.sampling.max_tokens)

    async def embed(self, request: EmbeddingRequest) -> Embeddings:
        vectors = []
        for text in request.inputs:
            digest = hashlib.sha256(text.encode()).digest()
            raw = [(digest[i % len(digest)] - 127.5) / 127.5 for i in range(self.dim)]
            norm = math.sqrt(sum(v * v for v in raw)) or 1.0
            vectors.append(tuple(v / norm for v in raw))
        tokens = sum(len(_tokens(t)) for t in request.inputs)
        return Embeddings(vectors=tuple(vectors), usage=Usage(prompt_tokens=tokens))

    # -- Embedder (document search in unit tests): hashed bag of words, L2-normalised ----------
    def _bag(self, text: str) -> npt.NDArray[np.float32]:
        v = np.zeros(self.dim, dtype=np.float32)
        for word in text.lower().split():
            h = hashlib.blake2b(word.strip(".,;:!?()[]").encode(), digest_size=8).digest()
            v[int.from_bytes(h[:4], "little") % self.dim] += 1.0 if h[4] & 1 else -1.0
        norm = float(np.linalg.norm(v))
        return v / norm if norm else v

    def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return np.vstack([self._bag(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return self.embed_queries(texts)

    async def close(self) -> None:
        self.closed = True
