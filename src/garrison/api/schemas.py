"""OpenAI request bodies, validated with Pydantic, and their translation into core values."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from garrison.core.documents import Retrieval
from garrison.core.errors import InvalidRequest
from garrison.core.types import ChatRequest, CompletionRequest, EmbeddingRequest, Message, Principal, Sampling


class _Body(BaseModel):
    # OpenAI clients send fields we do not use (user, metadata, store...): accept and ignore
    # them, but refuse those whose silent omission would change the answer (see _unsupported).
    model_config = ConfigDict(extra="allow")


class TextPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class MessageBody(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[TextPart] | None = None
    name: str | None = Field(default=None, max_length=256)

    def text(self, index: int) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        parts = []
        for part in self.content:
            if part.type != "text" or part.text is None:
                raise InvalidRequest(
                    f"messages[{index}]: content part of type '{part.type}' is not supported; only text parts are",
                    param=f"messages[{index}].content",
                )
            parts.append(part.text)
        return "".join(parts)


class StreamOptions(BaseModel):
    include_usage: bool = False


class _SamplingBody(_Body):
    model: str = Field(min_length=1, max_length=256)
    max_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    n: int = Field(default=1, ge=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    stop: str | list[str] | None = None
    seed: int | None = None
    presence_penalty: float | None = Field(default=None, ge=-2, le=2)
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2)

    @field_validator("stop")
    @classmethod
    def _stop(cls, v: str | list[str] | None) -> str | list[str] | None:
        if isinstance(v, list) and len(v) > 4:
            raise ValueError("at most 4 stop sequences")
        return v

    def _unsupported(self, names: tuple[str, ...]) -> None:
        if self.n != 1:
            raise InvalidRequest("n must be 1: one choice per request is supported", param="n")
        extra = self.model_extra or {}
        for name in names:
            value = extra.get(name)
            if value not in (None, False, [], {}):
                raise InvalidRequest(f"'{name}' is not supported by this server", param=name)

    def sampling(self, max_tokens: int | None) -> Sampling:
        stop = (self.stop,) if isinstance(self.stop, str) else tuple(self.stop or ())
        return Sampling(
            max_tokens=max_tokens,
            temperature=self.temperature,
            top_p=self.top_p,
            stop=stop,
            seed=self.seed,
            presence_penalty=self.presence_penalty,
            frequency_penalty=self.frequency_penalty,
            response_format=self._response_format(),
        )

    def _response_format(self) -> dict[str, Any] | None:
        value = (self.model_extra or {}).get("response_format")
        if value is None:
            return None
        if not isinstance(value, dict) or value.get("type") not in ("text", "json_object", "json_schema"):
            raise InvalidRequest(
                "response_format.type must be 'text', 'json_object' or 'json_schema'", param="response_format"
            )
        return None if value.get("type") == "text" else value

    @property
    def include_usage(self) -> bool:
        return bool(self.stream_options and self.stream_options.include_usage)


class GroundingBody(BaseModel):
    """Garrison's extension of a chat request: ``"garrison": {"collections": ["maintenance"]}``."""

    model_config = ConfigDict(extra="forbid")
    collections: list[str] = Field(min_length=1, max_length=16)
    k: int = Field(default=5, ge=1, le=20)


class ChatBody(_SamplingBody):
    messages: list[MessageBody] = Field(min_length=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    garrison: GroundingBody | None = None

    def to_request(self) -> ChatRequest:
        self._unsupported(("tools", "tool_choice", "functions", "function_call", "logprobs", "audio", "modalities"))
        messages = tuple(Message(role=m.role, content=m.text(i), name=m.name) for i, m in enumerate(self.messages))
        max_tokens = self.max_completion_tokens if self.max_completion_tokens is not None else self.max_tokens
        retrieval = None
        if self.garrison is not None:
            retrieval = Retrieval(tuple(self.garrison.collections), self.garrison.k)
        return ChatRequest(model=self.model, messages=messages, sampling=self.sampling(max_tokens), retrieval=retrieval)


class CompletionBody(_SamplingBody):
    prompt: str | list[str]
    max_tokens: int | None = Field(default=16, ge=1)  # OpenAI's default for completions

    def to_request(self) -> CompletionRequest:
        self._unsupported(("suffix", "echo", "logprobs", "best_of"))
        if isinstance(self.prompt, list):
            if len(self.prompt) != 1:
                raise InvalidRequest("exactly one prompt per request is supported", param="prompt")
            prompt = self.prompt[0]
        else:
            prompt = self.prompt
        return CompletionRequest(model=self.model, prompt=prompt, sampling=self.sampling(self.max_tokens))


class EmbeddingBody(_Body):
    model: str = Field(min_length=1, max_length=256)
    input: str | list[str] | list[int] | list[list[int]]
    encoding_format: Literal["float", "base64"] = "float"
    dimensions: int | None = None

    def to_request(self) -> EmbeddingRequest:
        if self.dimensions is not None:
            raise InvalidRequest("'dimensions' is not supported: the model's size is fixed", param="dimensions")
        if isinstance(self.input, str):
            inputs: tuple[str, ...] = (self.input,)
        elif all(isinstance(x, str) for x in self.input):
            inputs = tuple(str(x) for x in self.input)
        else:
            raise InvalidRequest("token-id input is not supported; send text", param="input")
        return EmbeddingRequest(model=self.model, inputs=inputs)


def organisation_of(organisation: str | None, who: Principal) -> str:
    """The organisation a per-organisation route acts on: the one named, else the caller's own (the
    service decides whether the caller may)."""
    return organisation or who.organisation or ""
