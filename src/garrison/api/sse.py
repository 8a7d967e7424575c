"""Server-sent events exactly as OpenAI sends them: ``data: {json}\\n\\n`` ... ``data: [DONE]\\n\\n``."""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from garrison.api.errors import sse_error
from garrison.core.documents import Grounding
from garrison.core.errors import GarrisonError
from garrison.core.privacy import PrivacyNote
from garrison.core.types import Delta, Usage

DONE = "data: [DONE]\n\n"


def _usage(usage: Usage) -> dict[str, int]:
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
    }


def event(payload: dict[str, Any]) -> str:
    return "data: " + json.dumps(payload, separators=(",", ":"), ensure_ascii=False) + "\n\n"


_SENTINEL = "\u0000garrison-sentinel\u0000"


@dataclass(frozen=True)
class StreamShape:
    id: str
    created: int
    model: str
    chat: bool
    include_usage: bool
    render_grounding: Callable[[Grounding], dict[str, Any]] | None = None
    render_privacy: Callable[[PrivacyNote], dict[str, Any]] | None = None

    @functools.cached_property
    def _frame(self) -> tuple[str, str]:
        """The text around a content delta's JSON string, rendered once per stream."""
        whole = event(self.chunk(_SENTINEL, None))
        before, _, after = whole.partition(json.dumps(_SENTINEL, ensure_ascii=False))
        return before, after

    def content_event(self, text: str) -> str:
        """The hot path, one call per token: identical to ``event(self.chunk(text, None))``."""
        before, after = self._frame
        return before + json.dumps(text, ensure_ascii=False) + after

    def chunk(self, text: str | None, finish: str | None, *, role: bool = False) -> dict[str, Any]:
        if self.chat:
            delta: dict[str, Any] = {}
            if role:
                delta["role"] = "assistant"
            if text is not None:
                delta["content"] = text
            choice: dict[str, Any] = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
            obj = "chat.completion.chunk"
        else:
            choice = {"index": 0, "text": text or "", "logprobs": None, "finish_reason": finish}
            obj = "text_completion"
        out: dict[str, Any] = {
            "id": self.id,
            "object": obj,
            "created": self.created,
            "model": self.model,
            "system_fingerprint": None,
            "choices": [choice],
        }
        if self.include_usage:
            out["usage"] = None
        return out

    def grounding_chunk(self, grounding: Grounding | None, privacy: PrivacyNote | None = None) -> dict[str, Any]:
        """The last chunk before [DONE] of an answer from documents (citations and marking) or
        from a pseudonymised prompt (what was replaced, the table that restores it)."""
        out: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion.chunk" if self.chat else "text_completion",
            "created": self.created,
            "model": self.model,
            "system_fingerprint": None,
            "choices": [],
        }
        extra: dict[str, Any] = {}
        if grounding is not None and self.render_grounding is not None:
            extra = self.render_grounding(grounding)
        if privacy is not None and self.render_privacy is not None:
            extra["privacy"] = self.render_privacy(privacy)
        if extra:
            out["garrison"] = extra
        return out

    def usage_chunk(self, usage: Usage) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "chat.completion.chunk" if self.chat else "text_completion",
            "created": self.created,
            "model": self.model,
            "system_fingerprint": None,
            "choices": [],
            "usage": _usage(usage),
        }


async def render(shape: StreamShape, first: Delta | None, rest: AsyncIterator[Delta]) -> AsyncIterator[str]:
    """Render deltas as OpenAI chunks. ``first`` was already pulled so errors before the first
    token could still become a normal HTTP error; errors after it become a final error event."""
    usage = Usage()
    finish: str | None = None
    grounding: Grounding | None = None
    privacy: PrivacyNote | None = None
    if shape.chat:
        yield event(shape.chunk("", None, role=True))

    def frames(delta: Delta) -> list[str]:
        nonlocal usage, finish, grounding, privacy
        out = []
        if delta.usage is not None:
            usage = delta.usage
        if delta.grounding is not None:
            grounding = delta.grounding
        if delta.privacy is not None:
            privacy = delta.privacy
        if delta.text:
            out.append(shape.content_event(delta.text))
        if delta.finish_reason is not None:
            finish = delta.finish_reason
        return out

    try:
        if first is not None:
            for frame in frames(first):
                yield frame
        async for delta in rest:
            for frame in frames(delta):
                yield frame
    except GarrisonError as exc:
        yield sse_error(exc)
        yield DONE
        return
    finally:
        aclose = getattr(rest, "aclose", None)
        if aclose is not None:
            await aclose()
    yield event(shape.chunk(None if shape.chat else "", finish or "stop"))
    if shape.include_usage:
        yield event(shape.usage_chunk(usage))
    if grounding is not None or privacy is not None:
        yield event(shape.grounding_chunk(grounding, privacy))
    yield DONE
