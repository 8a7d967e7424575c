from __future__ import annotations

import pytest

from garrison.core.errors import ContextLengthExceeded, InvalidRequest
from garrison.core.types import ChatRequest, CompletionRequest, EmbeddingRequest, Message, Sampling
from garrison.service.limits import Limits


def test_limits_accept_what_fits_and_explain_what_does_not() -> None:
    limits = Limits(max_messages=2, max_prompt_chars=10, max_embedding_inputs=2)
    ok = ChatRequest("m", (Message("user", "hello"),), Sampling(max_tokens=100))
    limits.check_chat(ok, context_length=2048)
    with pytest.raises(InvalidRequest, match="too many messages: 3 \\(the limit is 2\\)"):
        limits.check_chat(ChatRequest("m", (Message("user", "a"),) * 3), 2048)
    with pytest.raises(InvalidRequest, match="11 characters"):
        limits.check_chat(ChatRequest("m", (Message("user", "x" * 11),)), 2048)
    with pytest.raises(ContextLengthExceeded, match="at most 2048 tokens"):
        limits.check_completion(CompletionRequest("m", "hi", Sampling(max_tokens=2048)), 2048)
    with pytest.raises(InvalidRequest, match="at least one"):
        limits.check_chat(ChatRequest("m", ()), 2048)
    with pytest.raises(InvalidRequest, match="batches"):
        limits.check_embedding(EmbeddingRequest("m", ("a", "b", "c")))
    with pytest.raises(InvalidRequest, match="empty"):
        limits.check_embedding(EmbeddingRequest("m", ("a", "")))
