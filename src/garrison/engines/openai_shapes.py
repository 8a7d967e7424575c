"""Reading OpenAI-shaped engine responses into engine-neutral values (shared by engines)."""

from __future__ import annotations

from typing import Any

from garrison.core.types import Delta, Embeddings, FinishReason, Generation, Message, Usage


def usage_of(body: dict[str, Any]) -> Usage:
    usage = body.get("usage") or {}
    return Usage(
        prompt_tokens=int(usage.get("prompt_tokens") or 0),
        completion_tokens=int(usage.get("completion_tokens") or 0),
    )


def finish_of(value: Any) -> FinishReason:
    if value in ("length", "content_filter"):
        return value  # type: ignore[no-any-return]
    return "stop"


def generation_of(body: dict[str, Any], *, chat: bool) -> Generation:
    choice = (body.get("choices") or [{}])[0]
    text = (choice.get("message") or {}).get("content") if chat else choice.get("text")
    return Generation(text=text or "", finish_reason=finish_of(choice.get("finish_reason")), usage=usage_of(body))


def delta_of(chunk: dict[str, Any], *, chat: bool) -> Delta | None:
    """One streamed chunk as a Delta; None for chunks that carry nothing (role-only openers)."""
    choices = chunk.get("choices") or []
    usage = usage_of(chunk) if chunk.get("usage") else None
    if not choices:
        return Delta(usage=usage) if usage else None
    choice = choices[0]
    text = ((choice.get("delta") or {}).get("content") if chat else choice.get("text")) or ""
    reason = choice.get("finish_reason")
    if not text and reason is None and usage is None:
        return None
    return Delta(text=text, finish_reason=finish_of(reason) if reason else None, usage=usage)


def messages_payload(messages: tuple[Message, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for m in messages:
        item: dict[str, Any] = {"role": m.role, "content": m.content}
        if m.name:
            item["name"] = m.name
        out.append(item)
    return out


def embeddings_of(body: dict[str, Any]) -> Embeddings:
    """An OpenAI embeddings response, vectors in input order."""
    data = sorted(body.get("data", []), key=lambda d: int(d.get("index", 0)))
    return Embeddings(
        vectors=tuple(tuple(float(v) for v in d["embedding"]) for d in data),
        usage=Usage(prompt_tokens=usage_of(body).prompt_tokens),
    )
