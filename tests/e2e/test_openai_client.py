"""End to end: the real server and model, driven by the official openai client."""

from __future__ import annotations

import asyncio
import re
import subprocess
import time
from typing import Any

import httpx
import openai
import pytest

from tests.e2e.conftest import GARRISON, Server

MODEL = "smollm2-135m-instruct"
EMBEDDER_NAME = "multilingual-e5-small"
pytestmark = pytest.mark.model


def client(server: Server, key: str | None = None) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key=key or server.key, max_retries=0, timeout=120)


def test_chat_non_streaming(server: Server) -> None:
    r = client(server).chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "What is the capital of France?"}],
        max_tokens=24,
        temperature=0,
    )
    assert r.model == MODEL
    assert r.choices[0].message.role == "assistant"
    assert r.choices[0].message.content and len(r.choices[0].message.content) > 3
    assert r.choices[0].finish_reason in ("stop", "length")
    assert r.usage is not None and r.usage.prompt_tokens > 5 and 0 < r.usage.completion_tokens <= 24


def test_streamed_chat_reassembles_to_the_same_answer(server: Server) -> None:
    c: Any = client(server)
    messages = [{"role": "user", "content": "Name three colours."}]
    whole = c.chat.completions.create(model=MODEL, messages=messages, max_tokens=30, temperature=0, seed=1)
    stream = c.chat.completions.create(
        model=MODEL,
        messages=messages,
        max_tokens=30,
        temperature=0,
        seed=1,
        stream=True,
        stream_options={"include_usage": True},
    )
    pieces, finish, usage, ids = [], None, None, set()
    for chunk in stream:
        ids.add(chunk.id)
        if chunk.usage:
            usage = chunk.usage
        if chunk.choices:
            pieces.append(chunk.choices[0].delta.content or "")
            finish = chunk.choices[0].finish_reason or finish
    assert len(ids) == 1
    assert len([p for p in pieces if p]) > 1  # really streamed, token by token
    assert "".join(pieces) == whole.choices[0].message.content
    assert finish == whole.choices[0].finish_reason
    assert usage is not None and usage.completion_tokens == whole.usage.completion_tokens


def test_completion(server: Server) -> None:
    r = client(server).completions.create(model=MODEL, prompt="The capital of France is", max_tokens=8, temperature=0)
    assert r.object == "text_completion"
    assert r.choices[0].text.strip()
    assert r.usage is not None and r.usage.completion_tokens > 0


def test_embeddings(server: Server) -> None:
    c = client(server)
    r = c.embeddings.create(model=MODEL, input=["hydraulic pump pressure", "check the pump"])
    assert [d.index for d in r.data] == [0, 1]
    vec = r.data[0].embedding
    assert len(vec) == 576  # SmolLM2-135M hidden size
    assert abs(sum(v * v for v in vec) - 1.0) < 1e-3
    again = c.embeddings.create(model=MODEL, input="hydraulic pump pressure", encoding_format="float")
    assert max(abs(a - b) for a, b in zip(again.data[0].embedding, vec, strict=True)) < 1e-4
    assert r.usage.prompt_tokens > 0


async def test_eight_concurrent_streams_all_finish(server: Server) -> None:
    c = openai.AsyncOpenAI(base_url=server.base_url, api_key=server.key, max_retries=0, timeout=300)

    async def one(i: int) -> tuple[str, str | None]:
        stream = await c.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": f"Tell me a fact about the number {i}."}],
            max_tokens=48,
            stream=True,
        )
        text, finish = [], None
        async for chunk in stream:
            if chunk.choices:
                text.append(chunk.choices[0].delta.content or "")
                finish = chunk.choices[0].finish_reason or finish
        return "".join(text), finish

    results = await asyncio.gather(*(one(i) for i in range(8)))
    await c.close()
    assert len(results) == 8
    for text, finish in results:
        assert text.strip()
        assert finish in ("stop", "length")


def _active(server: Server) -> float:
    metrics = httpx.get(f"{server.root}/metrics", timeout=5).text
    m = re.search(rf'garrison_engine_active_requests{{model="{MODEL}"}} ([0-9.]+)', metrics)
    assert m, metrics
    return float(m.group(1))


def test_a_client_that_disconnects_mid_stream_frees_its_slot(server: Server) -> None:
    assert _active(server) == 0
    c = client(server)
    stream = c.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Write a very long essay about the sea."}],
        max_tokens=1800,
        stream=True,
    )
    received = 0
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            received += 1
        if received >= 3:
            break
    assert _active(server) == 1
    stream.close()  # the client hangs up
    deadline = time.monotonic() + 10
    while _active(server) != 0:
        assert time.monotonic() < deadline, "the engine kept generating for a client that left"
        time.sleep(0.05)
    closed = re.search(
        rf'garrison_requests_total{{endpoint="chat",model="{MODEL}",status="499"}} ([0-9.]+)',
        httpx.get(f"{server.root}/metrics", timeout=5).text,
    )
    assert closed and float(closed.group(1)) >= 1
    # and the freed slot serves the next request
    r = c.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}], max_tokens=4)
    assert r.choices[0].message.content is not None


def _status_error(exc: openai.APIStatusError) -> dict[str, object]:
    body = exc.response.json()
    assert set(body["error"]) == {"message", "type", "param", "code"}
    return dict(body["error"])


def test_unknown_model_is_404(server: Server) -> None:
    with pytest.raises(openai.NotFoundError) as exc:
        client(server).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    err = _status_error(exc.value)
    assert err["code"] == "model_not_found" and "gpt-4o" in str(err["message"])


def test_missing_wrong_and_revoked_keys_are_401(server: Server) -> None:
    with pytest.raises(openai.AuthenticationError) as wrong:
        client(server, key="gsk_000000000000_nope").models.list()
    assert _status_error(wrong.value)["code"] == "invalid_api_key"
    r = httpx.get(f"{server.base_url}/models", timeout=10)
    assert r.status_code == 401 and r.json()["error"]["code"] == "missing_api_key"

    person = server.cli("users", "create", "technician", "--org", "operator", "--role", "analyst")
    assert person.returncode == 0, person.stderr
    created = server.cli("keys", "create", "--user", "technician")
    assert created.returncode == 0, created.stderr
    new_key = created.stdout.strip().splitlines()[-1]
    key_id = new_key.split("_")[1]
    listed_models = sorted(m.id for m in client(server, new_key).models.list())
    assert listed_models == [EMBEDDER_NAME, MODEL]  # the operator: no nation
    listed = server.cli("keys", "list")
    assert key_id in listed.stdout and new_key not in listed.stdout
    revoked = server.cli("keys", "revoke", key_id)
    assert revoked.returncode == 0, revoked.stderr
    with pytest.raises(openai.AuthenticationError) as exc:
        client(server, new_key).models.list()
    assert _status_error(exc.value)["code"] == "revoked_api_key"


def test_malformed_json_and_invalid_fields_are_400(server: Server) -> None:
    headers = {"Authorization": f"Bearer {server.key}", "Content-Type": "application/json"}
    r = httpx.post(f"{server.base_url}/chat/completions", content=b'{"model": ', headers=headers, timeout=10)
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_json"
    with pytest.raises(openai.BadRequestError) as exc:
        client(server).chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}], temperature=5)
    assert _status_error(exc.value)["param"] == "temperature"
    with pytest.raises(openai.BadRequestError) as too_many:
        client(server).chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "hi"}], max_tokens=100_000
        )
    assert _status_error(too_many.value)["code"] == "context_length_exceeded"
    with pytest.raises(openai.BadRequestError) as too_long:
        client(server).chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "pressure " * 3000}], max_tokens=10
        )
    err = _status_error(too_long.value)
    assert err["code"] == "context_length_exceeded" and "exceeds the available context size" in str(err["message"])


def test_body_over_the_configured_size_is_413(server: Server) -> None:
    headers = {"Authorization": f"Bearer {server.key}", "Content-Type": "application/json"}
    body = b'{"model": "x", "messages": [{"role": "user", "content": "' + b"a" * 300_000 + b'"}]}'
    r = httpx.post(f"{server.base_url}/chat/completions", content=body, headers=headers, timeout=10)
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"


def test_a_tampered_model_is_refused_with_both_hashes_and_503(server: Server) -> None:
    with pytest.raises(openai.InternalServerError) as exc:
        client(server).chat.completions.create(model="usb-llama", messages=[{"role": "user", "content": "hi"}])
    assert exc.value.status_code == 503
    err = _status_error(exc.value)
    message = str(err["message"])
    assert "usb-llama" in message and re.search(r"SHA-256 [0-9a-f]{64}.*pins [0-9a-f]{64}", message), message
    assert "usb-llama" not in [m.id for m in client(server).models.list()]
    ready = httpx.get(f"{server.root}/readyz", timeout=5).json()
    assert ready["refused"] == ["usb-llama"]
    verify = server.cli("models", "verify")
    assert verify.returncode == 1
    assert "FAILED usb-llama" in verify.stdout and "ok smollm2-135m-instruct" in verify.stdout


def test_metrics_count_requests_tokens_and_errors_per_model(server: Server) -> None:
    client(server).chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}], max_tokens=3)
    text = httpx.get(f"{server.root}/metrics", timeout=5).text
    ok = re.search(rf'garrison_requests_total{{endpoint="chat",model="{MODEL}",status="200"}} ([0-9.]+)', text)
    assert ok and float(ok.group(1)) >= 1
    tokens = re.search(rf'garrison_tokens_total{{kind="completion",model="{MODEL}"}} ([0-9.]+)', text)
    assert tokens and float(tokens.group(1)) >= 3
    assert 'garrison_model_loaded{model="usb-llama"} 0.0' in text
    assert "garrison_request_duration_seconds_bucket" in text


def test_cli_chat_streams_an_answer_from_the_running_server(server: Server) -> None:
    one_shot = server.cli("chat", "--url", server.base_url, "--message", "Say hello.", "--max-tokens", "12")
    assert one_shot.returncode == 0, one_shot.stderr
    assert one_shot.stdout.strip()
    piped = subprocess.run(
        [*GARRISON, "chat", "--url", server.base_url, "--max-tokens", "8"],
        input="Hello\n/reset\nWho are you?\n/exit\n",
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 0, piped.stderr
    assert "conversation cleared" in piped.stdout
    refused = server.cli("chat", "--url", server.base_url, "--model", "nope", "--message", "hi")
    assert refused.returncode == 1 and "404" in refused.stderr and "nope" in refused.stderr
