"""Plain value types shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from garrison.core.documents import Grounding, Retrieval
from garrison.core.markings import Level
from garrison.core.privacy import PrivacyNote

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
    retrieval: Retrieval | None = None  # answer from documents (Garrison's extension)


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
    grounding: Grounding | None = None  # sources and marking of an answer from documents
    privacy: PrivacyNote | None = None  # what was pseudonymised before the model saw the prompt


@dataclass(frozen=True, slots=True)
class Delta:
    """One step of a streamed answer: new text, and on the last step the finish reason and usage."""

    text: str = ""
    finish_reason: FinishReason | None = None
    usage: Usage | None = None
    pieces: int = 1  # engine chunks (one token each) merged into ``text`` when the consumer lagged
    grounding: Grounding | None = None  # on the last step of an answer from documents
    privacy: PrivacyNote | None = None  # on the last step, when the prompt was pseudonymised


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
class Eligibility:
    """Who may use a model: nobody unless something is listed or ``everyone`` is set explicitly.

    A caller is eligible when their organisation is listed, or its nation is, or it belongs to a
    listed group (by its own declaration or because its nation is a member, e.g. FRA -> NATO, EU)."""

    everyone: bool = False
    nations: frozenset[str] = frozenset()
    organisations: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()

    def tokens(self) -> list[str]:
        """The words it is written with: ``everyone``, groups, nations, ``org:<id>``."""
        if self.everyone:
            return ["everyone"]
        return sorted(self.groups) + sorted(self.nations) + [f"org:{o}" for o in sorted(self.organisations)]

    def describe(self) -> str:
        return ", ".join(self.tokens()) or "nobody"


EVERYONE = Eligibility(everyone=True)


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
    eligibility: Eligibility = field(default_factory=Eligibility)  # default: nobody
    use_policy: str | None = None  # the acceptable-use policy that comes with the licence (Meta's AUP...)


@dataclass(frozen=True, slots=True)
class Quota:
    """Limits stored on an organisation or a user; ``None`` means the deployment's default, 0 none."""

    requests_per_minute: float | None = None
    requests_burst: int | None = None
    daily_tokens: int | None = None


ROLES = ("admin", "security_officer", "analyst", "auditor")  # the roles a person can hold
CONSOLE = "console"  # the local command line: the machine's operator, never a person's role


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: identity, organisation and what they are cleared for.

    Defaults are the most restrictive values (no organisation, UNCLASSIFIED, no nationality, no
    caveats, not the operator), so a principal built with missing attributes sees less, never more."""

    user_id: str
    name: str
    role: str
    organisation: str | None = None
    organisation_nation: str | None = None  # ISO 3166 alpha-3, or NATO / EU for an international body
    organisation_groups: frozenset[str] = frozenset()  # NATO, EU, FVEY...: declared and by nation
    operator: bool = False  # a member of the organisation that runs this deployment
    nationality: str | None = None  # ISO 3166 alpha-3
    clearance: Level = Level.UNCLASSIFIED
    caveats: frozenset[str] = frozenset()
    key_id: str | None = None  # the API key the request came with
    subject: str | None = None  # the OIDC subject, when it came with a bearer token from the IdP
    limits: Quota = field(default_factory=Quota)  # the user's own overrides
    organisation_limits: Quota = field(default_factory=Quota)

    @property
    def actor(self) -> str:
        """How the audit log names who acted: the credential, then the person."""
        if self.key_id is not None:
            return f"key:{self.key_id} user:{self.user_id}"
        if self.subject is not None:
            return f"oidc:{self.subject} user:{self.user_id}"
        return f"{self.role}:{self.user_id}"


@dataclass(frozen=True, slots=True)
class Organisation:
    """A tenant: a ministry, an agency, a depot. ``operator`` marks the one running the deployment."""

    id: str
    name: str
    nation: str | None  # ISO 3166 alpha-3, or NATO / EU for an international body; None: not stated
    groups: frozenset[str] = frozenset()  # declared memberships beyond those of its nation
    operator: bool = False
    quota: Quota = field(default_factory=Quota)
    created_at: float = 0.0
    disabled_at: float | None = None


@dataclass(frozen=True, slots=True)
class User:
    """A person (or a service account) of one organisation. ``id`` is the login name."""

    id: str
    organisation: str
    name: str  # display name
    role: str
    clearance: Level = Level.UNCLASSIFIED
    nationality: str | None = None
    caveats: frozenset[str] = frozenset()
    oidc_subject: str | None = None  # set for people who sign in through the IdP
    quota: Quota = field(default_factory=Quota)
    created_at: float = 0.0
    disabled_at: float | None = None
