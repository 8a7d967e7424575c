"""Plain value types shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from garrison.core.markings import Level

Role = Literal["system", "user", "assistant", "tool", "developer"]


@dataclass(frozen=True, slots=True)
class Message:
    role: Role
    content: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Sampling:
    """Generation parameters the gateway understands and passes to every engine."""

    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    response_format: dict[str, Any] | None = None

    def to_openai(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in (
            "max_tokens",
            "temperature",
            "top_p",
            "seed",
            "presence_penalty",
            "frequency_penalty",
            "response_format",
        ):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.stop:
            out["stop"] = list(self.stop)
        return out


@dataclass(frozen=True, slots=True)
class ChatRequest:
    model: str
    messages: tuple[Message, ...]
    sampling: Sampling = field(default_factory=Sampling)


@dataclass(frozen=True, slots=True)
class CompletionRequest:
    model: str
    prompt: str
    sampling: Sampling = field(default_factory=Sampling)


@dataclass(frozen=True, slots=True)
class EmbeddingRequest:
    model: str
    inputs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


FinishReason = Literal["stop", "length", "content_filter"]


@dataclass(frozen=True, slots=True)
class Generation:
    """A finished answer, engine-neutral."""

    text: str
    finish_reason: FinishReason
    usage: Usage


@dataclass(frozen=True, slots=True)
class Delta:
    """One step of a streamed answer: new text, and on the last step the finish reason and usage."""

    text: str = ""
    finish_reason: FinishReason | None = None
    usage: Usage | None = None
    pieces: int = 1  # engine chunks (one token each) merged into ``text`` when the consumer lagged


@dataclass(frozen=True, slots=True)
class Embeddings:
    vectors: tuple[tuple[float, ...], ...]
    usage: Usage


class Capability(StrEnum):
    CHAT = "chat"
    COMPLETION = "completion"
    STREAM = "stream"
    EMBEDDINGS = "embeddings"


@dataclass(frozen=True, slots=True)
class ModelRecord:
    """A catalog entry: what a model is, where it came from and how it is served."""

    name: str
    engine: str  # "llamacpp" | "openai" | "fake"
    path: str | None  # file for local engines, relative to the data dir or absolute
    sha256: str | None
    size_bytes: int | None
    license: str
    origin: str
    context_length: int
    chat_template: str | None = None  # None: the template embedded in the model file
    base_url: str | None = None  # remote engines
    remote_model: str | None = None  # name of the model on the remote server
    architecture: str | None = None
    embeddings: bool = True
    added_at: float = 0.0
    builtin: bool = False


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: identity, organisation and what they are cleared for.

    Defaults are the most restrictive values (no organisation, UNCLASSIFIED, no nationality, no
    caveats), so a principal built with missing attributes can see less, never more."""

    key_id: str
    name: str
    role: str
    organisation: str | None = None
    organisation_groups: frozenset[str] = frozenset()  # e.g. NATO, EU, FVEY
    nationality: str | None = None  # ISO 3166 alpha-3
    clearance: Level = Level.UNCLASSIFIED
    caveats: frozenset[str] = frozenset()
