"""The HTTP API against the FakeEngine (fast): shapes, streaming format, every error case."""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import AsyncIterator

import httpx

from garrison.app import Runtime
from tests.conftest import person

MODEL = "fake-model"


def _error(r: httpx.Response, status: int, code: str | None) -> dict[str, object]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"message", "type", "param", "code"}
    assert err["code"] == code
    assert isinstance(err["message"], str) and err["message"]
    return dict(err)


async def test_chat_non_streaming(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/v1/chat/completions", json={"model": MODEL, "messages": [{"role": "user", "content": "hello there"}]}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "chat.completion"
    assert body["model"] == MODEL
    assert body["choices"][0]["message"] == {"role": "assistant", "content": "echo: hello there", "refusal": None}
    assert body["choices"][0]["finish_reason"] == "stop"
    assert body["usage"] == {"prompt_tokens": 2, "completion_tokens": 3, "total_tokens": 5}


async def test_chat_stream_is_exactly_openai_sse(client: httpx.AsyncClient) -> None:
    payload = {
        "model": MODEL,
        "messages": [{"role": "user", "content": "a b c"}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    async with client.stream("POST", "/v1/chat/completions", json=payload) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        raw = (await r.aread()).decode()
    events = raw.split("\n\n")
    assert events[-1] == ""
    assert events[-2] == "data: [DONE]"
    chunks = [json.loads(e.removeprefix("data: ")) for e in events[:-2]]
    assert all(e.startswith("data: ") for e in events[:-1])
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text == "echo: a b c"
    finals = [c for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]]
    assert len(finals) == 1 and finals[0]["choices"][0]["delta"] == {}
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] == 4
    assert all(c["usage"] is None for c in chunks[:-1])


async def test_completion_and_its_stream(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/completions", json={"model": MODEL, "prompt": "one two three", "max_tokens": 2})
    assert r.status_code == 200, r.text
    assert r.json()["choices"][0] == {"index": 0, "text": "echo: one", "logprobs": None, "finish_reason": "length"}
    async with client.stream("POST", "/v1/completions", json={"model": MODEL, "prompt": "x y", "stream": True}) as s:
        raw = (await s.aread()).decode()
    chunks = [json.loads(e[6:]) for e in raw.split("\n\n") if e.startswith("data: {")]
    assert "".join(c["choices"][0]["text"] for c in chunks) == "echo: x y"
    assert chunks[0]["object"] == "text_completion"


async def test_embeddings_float_and_base64(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/embeddings", json={"model": MODEL, "input": ["alpha", "beta"]})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert [d["index"] for d in data] == [0, 1]
    vec = data[0]["embedding"]
    assert len(vec) == 16 and abs(sum(v * v for v in vec) - 1) < 1e-6
    r64 = await client.post("/v1/embeddings", json={"model": MODEL, "input": "alpha", "encoding_format": "base64"})
    raw = base64.b64decode(r64.json()["data"][0]["embedding"])
    decoded = struct.unpack(f"<{len(raw) // 4}f", raw)
    assert [round(v, 5) for v in decoded] == [round(v, 5) for v in vec]


async def test_models_lists_served_models_with_provenance(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/models")
    assert r.status_code == 200
    cards = r.json()["data"]
    assert [c["id"] for c in cards] == [MODEL]
    assert cards[0]["license"] == "MIT" and cards[0]["object"] == "model"
    assert (await client.get(f"/v1/models/{MODEL}")).json()["id"] == MODEL
    _error(await client.get("/v1/models/nope"), 404, "model_not_found")


async def test_authentication_errors(client: httpx.AsyncClient, runtime: Runtime) -> None:
    body = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}
    _error(await client.post("/v1/chat/completions", json=body, headers={"Authorization": ""}), 401, "missing_api_key")
    err = _error(
        await client.post("/v1/chat/completions", json=body, headers={"Authorization": "Bearer gsk_x"}),
        401,
        "invalid_api_key",
    )
    assert err["type"] == "authentication_error"
    key = person(runtime, "temp", role="analyst")
    ok = await client.get("/v1/models", headers={"Authorization": f"Bearer {key}"})
    assert ok.status_code == 200
    runtime.services.keys.revoke(runtime.services.console, key.split("_")[1])
    _error(await client.get("/v1/models", headers={"Authorization": f"Bearer {key}"}), 401, "revoked_api_key")


async def test_every_v1_route_requires_a_key(client: httpx.AsyncClient) -> None:
    for method, path in [
        ("GET", "/v1/models"),
        ("GET", f"/v1/models/{MODEL}"),
        ("POST", "/v1/chat/completions"),
        ("POST", "/v1/completions"),
        ("POST", "/v1/embeddings"),
    ]:
        r = await client.request(method, path, json={}, headers={"Authorization": ""})
        assert r.status_code in (400, 401), (path, r.status_code)
        if r.status_code == 400:  # validation runs first only for bodies; a valid body must still 401
            continue
        _error(r, 401, "missing_api_key")


async def test_bad_requests(client: httpx.AsyncClient) -> None:
    url = "/v1/chat/completions"
    r = await client.post(url, content=b"{not json", headers={"content-type": "application/json"})
    _error(r, 400, "invalid_json")
    _error(await client.post(url, json=[1, 2]), 400, "invalid_body")
    err = _error(await client.post(url, json={"model": MODEL, "messages": []}), 400, "invalid_value")
    assert err["param"] == "messages"
    err = _error(
        await client.post(url, json={"model": MODEL, "messages": [{"role": "user", "content": "x"}], "temperature": 7}),
        400,
        "invalid_value",
    )
    assert err["param"] == "temperature"
    err = _error(
        await client.post(url, json={"model": MODEL, "messages": [{"role": "robot", "content": "x"}]}),
        400,
        "invalid_value",
    )
    assert err["param"] == "messages[0].role"
    err = _error(
        await client.post(url, json={"model": MODEL, "messages": [{"role": "user", "content": "x"}], "tools": [{}]}),
        400,
        "invalid_request",
    )
    assert err["param"] == "tools"
    _error(
        await client.post(url, json={"model": MODEL, "messages": [{"role": "user", "content": "x"}], "n": 2}),
        400,
        "invalid_request",
    )
    image = [{"type": "image_url", "image_url": {"url": "data:,"}}]
    _error(
        await client.post(url, json={"model": MODEL, "messages": [{"role": "user", "content": image}]}),
        400,
        "invalid_request",
    )
    _error(
        await client.post(url, json={"model": "nope", "messages": [{"role": "user", "content": "x"}]}),
        404,
        "model_not_found",
    )
    _error(await client.post("/v1/embeddings", json={"model": MODEL, "input": [[1, 2]]}), 400, "invalid_request")
    _error(await client.get("/v1/unknown"), 404, "not_found")


async def test_request_limits(client: httpx.AsyncClient) -> None:
    url = "/v1/chat/completions"
    many = [{"role": "user", "content": "x"}] * 9  # settings fixture: max_messages=8
    _error(await client.post(url, json={"model": MODEL, "messages": many}), 400, "too_many_messages")
    long = [{"role": "user", "content": "x" * 2001}]  # max_prompt_chars=2000
    _error(await client.post(url, json={"model": MODEL, "messages": long}), 400, "too_many_characters")
    err = _error(
        await client.post(
            url, json={"model": MODEL, "messages": [{"role": "user", "content": "x"}], "max_tokens": 4096}
        ),
        400,
        "context_length_exceeded",
    )
    assert "4096" in str(err["message"]) and err["param"] == "max_tokens"
    words = " ".join(["w"] * 1500)
    err = _error(
        await client.post("/v1/completions", json={"model": MODEL, "prompt": words, "max_tokens": 5}),
        400,
        "too_many_characters",
    )


async def test_oversized_bodies_get_413_declared_or_streamed(client: httpx.AsyncClient) -> None:
    big = b'{"model": "' + b"x" * (70 * 1024) + b'"}'  # limit: 64 KiB
    _error(
        await client.post("/v1/chat/completions", content=big, headers={"content-type": "application/json"}),
        413,
        "payload_too_large",
    )

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"x" * 8192

    r = await client.post("/v1/chat/completions", content=chunks(), headers={"content-type": "application/json"})
    _error(r, 413, "payload_too_large")


async def test_health_readiness_and_metrics(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz", headers={"Authorization": ""})).json() == {"status": "ok"}
    ready = await client.get("/readyz", headers={"Authorization": ""})
    assert ready.status_code == 200 and ready.json()["models"] == [MODEL]
    await client.post("/v1/chat/completions", json={"model": MODEL, "messages": [{"role": "user", "content": "a b"}]})
    await client.post("/v1/chat/completions", json={"model": "ghost", "messages": [{"role": "user", "content": "a"}]})
    text = (await client.get("/metrics", headers={"Authorization": ""})).text
    assert f'garrison_requests_total{{endpoint="chat",model="{MODEL}",status="200"}} 1.0' in text
    assert f'garrison_tokens_total{{kind="completion",model="{MODEL}"}} 3.0' in text
    assert 'garrison_errors_total{code="model_not_found",endpoint="chat",model="_unknown"} 1.0' in text
    assert f'garrison_request_duration_seconds_count{{endpoint="chat",model="{MODEL}"}} 1.0' in text
    assert f'garrison_model_loaded{{model="{MODEL}"}} 1.0' in text
    assert 'garrison_http_requests_total{method="POST",route="/v1/chat/completions",status="200"}' in text


async def test_wrong_method_is_405_with_allow(client: httpx.AsyncClient) -> None:
    r = await client.delete("/v1/models")
    _error(r, 405, "method_not_allowed")
    assert r.headers["allow"] == "GET"
