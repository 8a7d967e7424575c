"""`make bench`: the gateway against the engine it wraps, measured side by side in one run.

1. Aggregate generated tokens/s at 1 and 8 concurrent streams: the llama.cpp engine called
   directly in this process (LlamaCppEngine.stream_chat) versus the same requests streamed through
   the HTTP API of a `garrison serve` subprocess (same model, same slots, same threads). Rounds
   are interleaved (direct, HTTP, direct, HTTP...) so drift hits both alike; medians of 3.
2. Added latency of an authenticated GET /v1/models over the unauthenticated GET /healthz of the
   same server (the transport floor): p50 and p99 of sequential keep-alive requests.
3. Memory (RSS) of the server process.

Writes docs/benchmarks.md; every comparison is a ratio measured in this same run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from garrison.catalog.embedded import EMBEDDED_NAME, EMBEDDED_SHA256, locate_embedded
from garrison.core.types import ChatRequest, Message, Sampling
from garrison.engines.llamacpp import LlamaCppConfig, LlamaCppEngine

PARALLEL = 8
SLOT_CONTEXT = 2048
THREADS = 2
TOPICS = [
    "a lighthouse keeper",
    "a hydraulic pump that whines",
    "a winter in Oslo",
    "an aircraft mechanic on night shift",
    "a river that changes course",
    "a library under the sea",
    "a radio operator in 1944",
    "a garden on a rooftop",
    "a train crossing the Alps",
    "a lost satellite",
    "a bakery at dawn",
    "a chess tournament",
    "a storm over the harbour",
    "a translator at a summit",
    "a map with a missing island",
    "a clock that runs backwards",
]


def prompts(n: int, offset: int) -> list[str]:
    return [f"Write a long, detailed story about {TOPICS[(offset + i) % len(TOPICS)]}." for i in range(n)]


@dataclass
class Round:
    tokens: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.tokens / self.seconds


async def direct_round(engine: LlamaCppEngine, texts: list[str], max_tokens: int) -> Round:
    async def one(text: str) -> int:
        req = ChatRequest(EMBEDDED_NAME, (Message("user", text),), Sampling(max_tokens=max_tokens, temperature=0))
        tokens = 0
        async for delta in engine.stream_chat(req):
            if delta.usage is not None:
                tokens = delta.usage.completion_tokens
        return tokens

    t0 = time.perf_counter()
    counts = await asyncio.gather(*(one(t) for t in texts))
    return Round(sum(counts), time.perf_counter() - t0)


async def http_round(client: httpx.AsyncClient, texts: list[str], max_tokens: int) -> Round:
    async def one(text: str) -> int:
        body = {
            "model": EMBEDDED_NAME,
            "messages": [{"role": "user", "content": text}],
            "max_tokens": max_tokens,
            "temperature": 0,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        tokens = 0
        async with client.stream("POST", "/v1/chat/completions", json=body) as r:
            r.raise_for_status()
            async for line in r.aiter_lines():
                if line.startswith('data: {"id"') and '"usage":{' in line:
                    tokens = json.loads(line[6:])["usage"]["completion_tokens"]
        return tokens

    t0 = time.perf_counter()
    counts = await asyncio.gather(*(one(t) for t in texts))
    return Round(sum(counts), time.perf_counter() - t0)


def start_server(tmp: Path) -> tuple[subprocess.Popen[bytes], str, str]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "GARRISON_DATA_DIR": str(tmp / "data"),
        "GARRISON_PORT": str(port),
        "GARRISON_LLAMACPP_PARALLEL": str(PARALLEL),
        "GARRISON_LLAMACPP_SLOT_CONTEXT": str(SLOT_CONTEXT),
        "GARRISON_LLAMACPP_THREADS": str(THREADS),
        "GARRISON_LOG_LEVEL": "WARNING",
    }
    garrison = [sys.executable, "-m", "garrison"]
    subprocess.run([*garrison, "init"], env=env, check=True, capture_output=True)
    key = (tmp / "data" / "admin.key").read_text().strip()
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen([*garrison, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    root = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{root}/readyz", timeout=2).status_code == 200:
                return proc, root, key
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not become ready: " + (tmp / "server.log").read_text())


def latency(root: str, key: str, n: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"/healthz": [], "/v1/models": []}
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=root, headers=headers, timeout=10) as c:
        for _ in range(200):  # warm-up
            c.get("/healthz")
            c.get("/v1/models")
        for _ in range(n):  # interleaved so both see the same machine state
            for path in out:
                t0 = time.perf_counter()
                r = c.get(path)
                out[path].append(time.perf_counter() - t0)
                assert r.status_code == 200, r.text
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    import xllamacpp

    return (
        f"{os.cpu_count()} cores ({cpu}), {int(mem) / 1024 / 1024:.0f} GiB RAM, no GPU; "
        f"Python {platform.python_version()}, xllamacpp {xllamacpp.__version__}; "
        f"model {EMBEDDED_NAME} (SmolLM2-135M-Instruct Q4_1, sha256 {EMBEDDED_SHA256[:16]}...); "
        f"llama.cpp {PARALLEL} slots x {SLOT_CONTEXT} tokens, {THREADS} threads"
    )


def fmt(rounds: list[Round]) -> str:
    rates = [r.rate for r in rounds]
    return f"{statistics.median(rates):.1f} ({min(rates):.1f}–{max(rates):.1f})"


async def throughput(root: str, key: str, reps: int, max_tokens: int) -> dict[tuple[str, int], list[Round]]:
    engine = LlamaCppEngine(
        "bench",
        LlamaCppConfig(path=locate_embedded(), parallel=PARALLEL, slot_context=SLOT_CONTEXT, threads=THREADS),
    )
    results: dict[tuple[str, int], list[Round]] = {}
    async with httpx.AsyncClient(
        base_url=root,
        headers={"Authorization": f"Bearer {key}"},
        timeout=600,
        limits=httpx.Limits(max_connections=32),
    ) as client:
        for rep in range(reps + 1):  # round 0 warms both paths up and is not counted
            for n in (1, 8):
                texts = prompts(n, rep * 3 + n)
                d = await direct_round(engine, texts, max_tokens)
                h = await http_round(client, texts, max_tokens)
                if rep:
                    results.setdefault(("direct", n), []).append(d)
                    results.setdefault(("http", n), []).append(h)
                print(f"  round {rep} n={n}: direct {d.rate:.1f} tok/s, http {h.rate:.1f} tok/s", flush=True)
    await engine.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"))
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--latency-requests", type=int, default=2000)
    args = parser.parse_args()

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="garrison-bench-") as tmpdir:
        proc, root, key = start_server(Path(tmpdir))
        try:
            print("throughput (interleaved rounds)...", flush=True)
            tp = asyncio.run(throughput(root, key, args.reps, args.max_tokens))
            print("latency...", flush=True)
            lat = latency(root, key, args.latency_requests)
            rss = rss_mib(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    ratio = {
        n: statistics.median(r.rate for r in tp[("http", n)]) / statistics.median(r.rate for r in tp[("direct", n)])
        for n in (1, 8)
    }
    h50, h99 = pct(lat["/healthz"], 0.5) * 1000, pct(lat["/healthz"], 0.99) * 1000
    m50, m99 = pct(lat["/v1/models"], 0.5) * 1000, pct(lat["/v1/models"], 0.99) * 1000
    rps = len(lat["/v1/models"]) / sum(lat["/v1/models"])
    pass_tp = ratio[8] >= 0.95
    pass_lat = (m50 - h50) < 2.0
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `make bench` (scripts/bench.py) on {dt.date.today().isoformat()} in "
        f"{time.monotonic() - started:.0f} s.",
        "",
        f"Machine: {machine()}.",
        "",
        "## Streaming throughput: gateway versus the engine it wraps",
        "",
        f"Aggregate generated tokens/s, streamed chat, `max_tokens={args.max_tokens}`, temperature 0, the same"
        f" prompts on both paths; median of {args.reps} interleaved rounds (min–max).",
        "",
        "| concurrent streams | engine in-process | through the HTTP API | ratio API / engine |",
        "| --- | --- | --- | --- |",
    ]
    for n in (1, 8):
        lines.append(f"| {n} | {fmt(tp[('direct', n)])} | {fmt(tp[('http', n)])} | {ratio[n]:.3f} |")
    lines += [
        "",
        "## Added latency of an authenticated request",
        "",
        f"{args.latency_requests} sequential keep-alive requests each, interleaved, after 200 warm-up requests.",
        "",
        "| request | p50 ms | p99 ms |",
        "| --- | --- | --- |",
        f"| `GET /healthz` (no auth: the HTTP floor) | {h50:.3f} | {h99:.3f} |",
        f"| `GET /v1/models` (key lookup, catalog) | {m50:.3f} | {m99:.3f} |",
        f"| added by the gateway | {m50 - h50:.3f} | {m99 - h99:.3f} |",
        "",
        f"`GET /v1/models`: {rps:.0f} requests/s on one connection. Server RSS after the run: {rss:.0f} MiB.",
        "",
        "## Targets",
        "",
        f"- {'PASS' if pass_tp else 'FAIL'}: the gateway keeps >= 95% of the engine's tokens/s at 8 streams "
        f"(measured {ratio[8] * 100:.1f}%).",
        f"- {'PASS' if pass_lat else 'FAIL'}: the gateway adds < 2 ms p50 to an authenticated request "
        f"(measured {m50 - h50:.3f} ms).",
        "",
        "Reproduce: `make bench`.",
    ]
    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    return 0 if pass_tp and pass_lat else 1


if __name__ == "__main__":
    sys.exit(main())
