"""Request limits, checked before any engine work, each with a message that says how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from garrison.core.errors import ContextLengthExceeded, InvalidRequest
from garrison.core.types import ChatRequest, CompletionRequest, EmbeddingRequest, Sampling


@dataclass(frozen=True, slots=True)
class Limits:
    max_messages: int = 256
    max_prompt_chars: int = 100_000
    max_embedding_inputs: int = 256

    def check_chat(self, request: ChatRequest, context_length: int) -> None:
        if not request.messages:
            raise InvalidRequest("'messages' must contain at least one message", param="messages")
        if len(request.messages) > self.max_messages:
            raise InvalidRequest(
                f"too many messages: {len(request.messages)} (the limit is {self.max_messages}); "
                "shorten the conversation",
                param="messages",
                code="too_many_messages",
            )
        chars = sum(len(m.content) for m in request.messages)
        self._check_chars(chars, "messages")
        self._check_max_tokens(request.sampling, context_length)

    @staticmethod
    def prompt_chars(request: ChatRequest) -> int:
        return sum(len(m.content) for m in request.messages)

    def check_completion(self, request: CompletionRequest, context_length: int) -> None:
        self._check_chars(len(request.prompt), "prompt")
        self._check_max_tokens(request.sampling, context_length)

    def check_embedding(self, request: EmbeddingRequest) -> None:
        if not request.inputs:
            raise InvalidRequest("'input' must not be empty", param="input")
        if len(request.inputs) > self.max_embedding_inputs:
            raise InvalidRequest(
                f"too many inputs: {len(request.inputs)} (the limit is {self.max_embedding_inputs} "
                "per request); send them in batches",
                param="input",
                code="too_many_inputs",
            )
        if any(not text for text in request.inputs):
            raise InvalidRequest("'input' must not contain empty strings", param="input")
        self._check_chars(sum(len(t) for t in request.inputs), "input")

    def _check_chars(self, chars: int, param: str) -> None:
        if chars > self.max_prompt_chars:
            raise InvalidRequest(
                f"the request has {chars} characters of text (the limit is {self.max_prompt_chars}); shorten it",
                param=param,
                code="too_many_characters",
            )

    @staticmethod
    def _check_max_tokens(sampling: Sampling, context_length: int) -> None:
        if sampling.max_tokens is not None and sampling.max_tokens >= context_length:
            raise ContextLengthExceeded(
                f"max_tokens is {sampling.max_tokens}, but this model serves at most "
                f"{context_length} tokens per request, prompt included; ask for fewer",
                param="max_tokens",
            )
