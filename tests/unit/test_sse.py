from __future__ import annotations

import json

import pytest

from garrison.api.sse import StreamShape, event


@pytest.mark.parametrize("chat", [True, False])
@pytest.mark.parametrize("include_usage", [True, False])
def test_fast_content_frames_are_identical_to_the_general_renderer(chat: bool, include_usage: bool) -> None:
    shape = StreamShape("chatcmpl-x", 1_700_000_000, 'model "quoted"', chat, include_usage)
    for text in ["Hello", ' "quoted" ', "line\nbreak", "Ünïcödé 漢字 🚀", "\\", "\u0000"]:
        fast = shape.content_event(text)
        assert fast == event(shape.chunk(text, None))
        payload = json.loads(fast.removeprefix("data: "))
        got = payload["choices"][0]["delta"]["content"] if chat else payload["choices"][0]["text"]
        assert got == text
