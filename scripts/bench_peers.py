"""Peers: Garrison, llama.cpp's own HTTP server and the LiteLLM proxy, side by side in one run.

    .venv/bin/python scripts/bench_peers.py --out FILE [--quick]

Also a section of ``make bench``: ``run()`` returns the markdown (scripts/bench.py loads this
file by its path and calls it, like bench_guard.py and bench_privacy.py).

The targets, all serving the same GGUF file with the same llama.cpp settings (slots, slot context,
threads, batch), on loopback:

- **llama.cpp server** (the baseline): llama.cpp's own OpenAI-compatible HTTP server, started by
  scripts/peers/llamacpp_server.py through xllamacpp in a virtual environment of its own.
- **LiteLLM proxy**: ``litellm[proxy]`` in its own virtual environment in front of that server,
  offline, with a master key and no database.
- **Garrison**: ``garrison serve`` with everything on: its default policies (input and output
  guards, pseudonymisation of prompts, re-identification of answers), authentication and audit.

The peers are installed by this script into ``.bench/peers/<name>`` (pinned versions, a stamp file
so that later runs skip the install); they are never Garrison dependencies. All the servers run for
the whole measurement and take load one at a time, interleaved: each repetition measures every
concurrency, and at each concurrency the four targets run one round each, back to back, in a
shuffled order (Garrison and its control are the same server, its policies switched through its
API). At 1 stream the interleaving is finer: request by request, each request's four targets in a
shuffled order, so that the requests compared ran about a second apart. A machine's slow drift
and its fast and slow spells then hit every target alike, and each comparison is a ratio of
rounds that ran seconds apart. Every process started here is stopped at
the end, also on errors (process groups).

Judged figures are medians of those paired ratios and differences against the llama.cpp server.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.metadata
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import httpx

import hostinfo  # a sibling script module (this directory is on the path)
from bench import (
    CLIENT_NICE,
    FOREIGN_LIMIT,
    FOREIGN_MIN_S,
    RATIO_TARGET,
    SEED,
    SLOT_CONTEXT,
    THREADS,
    TOPICS,
    Garrison,
    Job,
    busy_ticks,
    client_priority,
    log,
    process_ticks,
    stream_body,
)
from garrison.catalog.embedded import EMBEDDED_NAME, locate_embedded

ROOT = Path(__file__).resolve().parents[1]
PEERS_DIR = ROOT / ".bench" / "peers"
LAUNCHER = Path(__file__).resolve().parent / "peers" / "llamacpp_server.py"
# the very llama.cpp build Garrison runs (today xllamacpp==2026.10.11549): only the HTTP layer differs
LLAMACPP_PIN = f"xllamacpp=={importlib.metadata.version('xllamacpp')}"
LITELLM_PIN = "litellm[proxy]==1.106.2"  # newer releases require a certifi that does not exist (yet)
STAMP = ".garrison-peer-pin"

SLOTS = 16  # for every target: up to 16 streams are decoded together
STREAMS = (1, 4, 8, 16)
LLAMA = "llama.cpp server"
LITELLM = "LiteLLM proxy"
GARRISON = "Garrison"
BARE = "Garrison, guards and privacy off"  # the same server with its output guard and pseudonymisation off
TARGETS = (LLAMA, LITELLM, GARRISON, BARE)
READY_TIMEOUT_S = 300
STOP_TIMEOUT_S = 30
REPS = 7  # repetitions: each a round of every target at every concurrency (5 left medians ±3% apart at 1 stream)
SINGLE = 8  # requests in a round at 1 stream, one after the other (4 strayed by ±8% between rounds)
# At 1 stream the targets take turns request by request: rounds of 8 requests back to back (7 s
# each) left the same server's tokens/s 0.91-1.06 of itself one round later.
# bench.py's eight topics and eight more: sixteen streams get sixteen different prompts.
PROMPT_TOPICS = (
    *TOPICS,
    "an old clockmaker who repairs a broken moon",
    "a young fox who learns to paint the northern lights",
    "a ship's cook on a voyage around the world",
    "a gardener whose flowers sing at night",
    "an astronaut who befriends a comet",
    "a detective who solves mysteries in a snowy mountain town",
    "a musician who hears colours",
    "a mapmaker who draws a country that does not exist",
)


JOBS = tuple(
    Job(f"Write a long story about {topic}. Describe every scene in great detail.", SEED + i)
    for i, topic in enumerate(PROMPT_TOPICS)
)
assert len(JOBS) == max(STREAMS)


# -- statistics ----------------------------------------------------------------------------------
def pct(samples: Sequence[float], q: int) -> float:
    """The q-th percentile (inclusive method); the one value when there is one."""
    if not samples:
        return float("nan")
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def spread(values: Sequence[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def cell(values: Sequence[float], digits: int = 1) -> str:
    """'median (min–max)' over rounds, or the value alone when there is one round."""
    if not values:
        return "–"
    med, lo, hi = spread(values)
    if len(values) == 1:
        return f"{med:.{digits}f}"
    return f"{med:.{digits}f} ({lo:.{digits}f}–{hi:.{digits}f})"


# -- the peers' virtual environments -------------------------------------------------------------
def ensure_peer(name: str, requirement: str) -> tuple[Path, float]:
    """``.bench/peers/<name>``: a virtual environment holding ``requirement``, created once.
    Returns its python and the seconds the install took (0 when it was already there)."""
    venv = PEERS_DIR / name
    python = venv / "bin" / "python"
    stamp = venv / STAMP
    if python.is_file() and stamp.is_file() and stamp.read_text().strip() == requirement:
        log(f"peer {name}: {requirement} already installed in {venv.relative_to(ROOT)}")
        return python, 0.0
    started = time.monotonic()
    if venv.exists():
        shutil.rmtree(venv)
    PEERS_DIR.mkdir(parents=True, exist_ok=True)
    log(f"peer {name}: creating {venv.relative_to(ROOT)} ({Path(sys.executable).name} -m venv)")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip_log = PEERS_DIR / f"{name}-pip.log"
    log(f"peer {name}: pip install {requirement!r} (log: {pip_log.relative_to(ROOT)}) ...")
    with pip_log.open("wb") as out:
        pip = subprocess.run(
            [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--no-input", requirement],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=peer_env(),
        )
    if pip.returncode != 0:
        tail = "\n".join(pip_log.read_text(errors="replace").splitlines()[-20:])
        raise RuntimeError(f"pip install {requirement} failed for peer {name}:\n{tail}")
    stamp.write_text(requirement + "\n")
    seconds = time.monotonic() - started
    log(f"peer {name}: installed in {seconds:.1f} s")
    return python, seconds


def peer_version(python: Path, dist: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({dist!r}))"
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True, env=peer_env())
    return done.stdout.strip()


def peer_env(**extra: str) -> dict[str, str]:
    """Our environment without anything that would make a peer's python load our packages."""
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("GARRISON_")}
    return env | {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", **extra}


# -- processes -----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def process_tree(roots: Sequence[int]) -> list[int]:
    kids = children()
    seen: list[int] = []
    todo = list(roots)
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.append(pid)
            todo += kids.get(pid, [])
    return seen


def memory_kib(pids: Sequence[int]) -> tuple[int, int]:
    """Summed VmRSS and VmHWM (kiB) of the processes."""
    rss = hwm = 0
    for pid in pids:
        with suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm += int(line.split()[1])
    return rss, hwm


@dataclass(slots=True)
class Server:
    """A server process, the leader of its own process group, and where to reach it."""

    name: str
    proc: subprocess.Popen[bytes]
    root: str
    log_path: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def stop(server: Server, notes: list[str]) -> None:
    """SIGTERM to the whole process group, SIGKILL to what is left after STOP_TIMEOUT_S."""
    pgid = server.pid  # start_new_session: the leader's pid is the group's id
    with suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGTERM)
    try:
        server.proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        notes.append(f"{server.name} did not stop within {STOP_TIMEOUT_S} s of SIGTERM and was killed")
    deadline = time.monotonic() + 5
    while True:  # the leader is gone or stuck; make sure nothing of the group survives
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            break
        if time.monotonic() > deadline:
            with suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            server.proc.wait()
            break
        time.sleep(0.1)


@contextmanager
def serving(
    name: str,
    argv: Sequence[str],
    env: dict[str, str],
    port: int,
    ready_path: str,
    logs: Path,
    notes: list[str],
    headers: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Start ``argv`` in a new process group, wait until ``GET ready_path`` answers 200, stop it at the end."""
    log_path = logs / f"{name.split()[0].lower()}-{port}.log"
    started = time.monotonic()
    with log_path.open("wb") as out:
        proc = subprocess.Popen(list(argv), env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(name, proc, f"http://127.0.0.1:{port}", log_path)
    try:
        with httpx.Client(trust_env=False, timeout=2, headers=headers) as client:
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}:\n{server.tail()}")
                with suppress(httpx.HTTPError):
                    if client.get(server.root + ready_path).status_code == 200:
                        break
                if time.monotonic() - started > READY_TIMEOUT_S:
                    raise RuntimeError(f"{name} was not ready in {READY_TIMEOUT_S} s:\n{server.tail()}")
                time.sleep(0.1)
        log(f"{name}: ready in {time.monotonic() - started:.1f} s (pid {proc.pid}, {server.root})")
        yield server
    finally:
        stop(server, notes)


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so that every ``finally`` stops its server."""
    if threading.current_thread() is threading.main_thread():

        def handler(signum: int, frame: FrameType | None) -> None:
            raise KeyboardInterrupt(f"signal {signum}")

        before = signal.signal(signal.SIGTERM, handler)
        try:
            yield
        finally:
            signal.signal(signal.SIGTERM, before)
    else:
        yield


# -- the workload --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Stream:
    ttft: float  # seconds from sending the request to the first content chunk
    gaps: tuple[float, ...]  # seconds between consecutive content chunks
    chunks: int  # content chunks
    tokens: int  # completion tokens, from the final usage chunk
    retried: bool  # the first attempt met a keep-alive connection the server had just closed
    refused: bool = False  # cut by a guard (Garrison's content_policy_violation): no usage, tokens 0


@dataclass(frozen=True, slots=True)
class Round:
    rep: int  # the repetition it belongs to: its rounds at one concurrency ran back to back
    streams: tuple[Stream, ...]
    seconds: float  # from sending the first request to the end of the last (1 stream: its requests' own times, summed)
    foreign_cpu_s: float  # CPU seconds used by other processes than the client and the target's
    slots: tuple[int, ...] = ()  # the llama.cpp server's busy slots, sampled once during the round

    @property
    def tokens(self) -> int:
        return sum(s.tokens for s in self.streams)

    @property
    def rate(self) -> float:
        return self.tokens / self.seconds

    @property
    def ttft_ms(self) -> float:
        return statistics.median(s.ttft for s in self.streams) * 1000

    @property
    def retries(self) -> int:
        return sum(s.retried for s in self.streams)

    @property
    def refused(self) -> int:
        return sum(s.refused for s in self.streams)

    @property
    def itl_ms(self) -> float:
        """Median of the per-stream medians."""
        return statistics.median(statistics.median(s.gaps) for s in self.streams if s.gaps) * 1000

    @property
    def itl_p95_ms(self) -> float:
        return pct([g for s in self.streams for g in s.gaps], 95) * 1000

    @property
    def tokens_per_chunk(self) -> float:
        return self.tokens / max(1, sum(s.chunks for s in self.streams))

    @property
    def foreign(self) -> float:
        return self.foreign_cpu_s / (self.seconds * (os.cpu_count() or 1))


@dataclass(frozen=True, slots=True)
class Latency:
    p50_ms: float
    p99_ms: float
    per_second: float


@dataclass(slots=True)
class Figures:
    """Everything measured for one target, over every repetition."""

    rounds: dict[int, list[Round]] = field(default_factory=dict)
    cheap: list[Latency] = field(default_factory=list)
    memory: list[tuple[int, int, int]] = field(default_factory=list)  # processes, VmRSS, VmHWM (kiB)

    def of(self, n: int, what: Callable[[Round], float]) -> list[float]:
        return [what(r) for r in self.rounds.get(n, [])]


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    root: str
    headers: dict[str, str]
    roots: tuple[int, ...]  # the target's processes (with what it needs, e.g. LiteLLM's llama.cpp)
    own: tuple[int, ...]  # the processes whose memory is the target's own
    slots_url: str | None = None  # the llama.cpp server's GET /slots, where it decodes for the target


async def one_stream(client: httpx.AsyncClient, job: Job, max_tokens: int) -> Stream:
    """One streamed chat. Sent once more, timed afresh, when the server closed a kept-alive connection
    as the request went out (cpp-httplib closes idle ones): no answer had begun, nothing was measured."""
    request = client.build_request("POST", "/v1/chat/completions", json=stream_body(job, max_tokens))
    for retried in (False, True):
        started = time.perf_counter()
        try:
            response = await client.send(request, stream=True)
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            if retried:
                raise
            continue
        try:
            return await read(response, started, retried)
        finally:
            await response.aclose()
    raise AssertionError("unreachable")


async def read(response: httpx.Response, started: float, retried: bool) -> Stream:
    """A lean SSE reader: one JSON decode per event, nothing else."""
    if response.status_code != 200:
        await response.aread()
        raise RuntimeError(f"POST /v1/chat/completions: {response.status_code} {response.text[:500]}")
    first = last = 0.0
    gaps: list[float] = []
    chunks = tokens = 0
    async for line in response.aiter_lines():
        if not line.startswith("data: {"):
            continue
        now = time.perf_counter()
        event = json.loads(line[6:])
        if "error" in event:
            if event["error"].get("code") != "content_policy_violation":
                raise RuntimeError(f"the stream ended with an error: {line[:500]}")
            log(f"    a stream was refused by a guard: {line[:300]}")
            return Stream((first or now) - started, tuple(gaps), chunks, 0, retried, refused=True)
        if usage := event.get("usage"):
            tokens = int(usage["completion_tokens"])
        if any((choice.get("delta") or {}).get("content") for choice in event.get("choices") or ()):
            if chunks:
                gaps.append(now - last)
            else:
                first = now
            last = now
            chunks += 1
    if not chunks:
        raise RuntimeError("a stream brought no content")
    return Stream(first - started, tuple(gaps), chunks, tokens, retried)


def foreign_meter(target: Target) -> Callable[[], float]:
    """From now: the CPU seconds used by other processes than this client and the target's."""
    pids = [os.getpid(), *process_tree(target.roots)]
    busy, ours = busy_ticks(), process_ticks(pids)

    def since() -> float:
        foreign = (busy_ticks() - busy) - (process_ticks(pids) - ours)
        return max(0, foreign) / os.sysconf("SC_CLK_TCK")

    return since


async def run_round(client: httpx.AsyncClient, target: Target, n: int, max_tokens: int, rep: int) -> Round:
    foreign = foreign_meter(target)
    started = time.perf_counter()
    probe = asyncio.create_task(busy_slots(target.slots_url)) if target.slots_url and n > 1 else None
    if n == 1:  # one stream at a time, SINGLE of them: a lone 128-token answer is over in a second
        streams = [await one_stream(client, job, max_tokens) for job in JOBS[:SINGLE]]
    else:
        streams = await asyncio.gather(*(one_stream(client, job, max_tokens) for job in JOBS[:n]))
    seconds = time.perf_counter() - started
    other = foreign()
    slots = await probe if probe is not None else ()
    return Round(rep, tuple(streams), seconds, other, slots)


async def timed_stream(
    client: httpx.AsyncClient, target: Target, job: Job, max_tokens: int
) -> tuple[Stream, float, float]:
    """One streamed request alone, with its wall time and the CPU seconds other processes used meanwhile."""
    foreign = foreign_meter(target)
    started = time.perf_counter()
    stream = await one_stream(client, job, max_tokens)
    seconds = time.perf_counter() - started
    return stream, seconds, foreign()


async def single_rounds(
    rep: int,
    targets: dict[str, Target],
    switch: Callable[[str], None],
    clients: dict[str, httpx.AsyncClient],
    max_tokens: int,
) -> dict[str, Round]:
    """The 1-stream round of every target, interleaved request by request: the first ``SINGLE``
    prompts in turn, each sent to the four targets one after the other in a shuffled order. A
    target's round is its ``SINGLE`` requests, timed each on its own."""
    streams: dict[str, list[Stream]] = {name: [] for name in targets}
    seconds = dict.fromkeys(targets, 0.0)
    foreign = dict.fromkeys(targets, 0.0)
    for i, job in enumerate(JOBS[:SINGLE]):
        for name in request_order(rep, i):
            switch(name)
            stream, took, other = await timed_stream(clients[name], targets[name], job, max_tokens)
            streams[name].append(stream)
            seconds[name] += took
            foreign[name] += other
    return {name: Round(rep, tuple(streams[name]), seconds[name], foreign[name]) for name in targets}


SLOT_PROBE_S = 1.0  # into a round: every stream has begun, none has ended


async def busy_slots(url: str) -> tuple[int, ...]:
    """The slots the llama.cpp server is decoding in, once, one second into the round (one cheap
    GET). Its own choice of slot spreads them; a gap splits every decode step (ARCHITECTURE.md)."""
    await asyncio.sleep(SLOT_PROBE_S)
    try:
        async with httpx.AsyncClient(trust_env=False, timeout=5.0) as probe:
            slots = (await probe.get(url)).json()
        return tuple(sorted(int(s["id"]) for s in slots if s.get("is_processing")))
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return ()


def runs(slots: Sequence[int]) -> str:
    """Busy slots as contiguous runs: ``0-3,6,9-10``."""
    out: list[str] = []
    for slot in slots:
        if out and slot == int(out[-1].split("-")[-1]) + 1:
            out[-1] = f"{out[-1].split('-')[0]}-{slot}"
        else:
            out.append(str(slot))
    return ",".join(out)


def client_for(target: Target) -> httpx.AsyncClient:
    # idle connections dropped before a server's own keep-alive timeout (5 s in cpp-httplib and uvicorn)
    limits = httpx.Limits(
        max_connections=2 * max(STREAMS), max_keepalive_connections=2 * max(STREAMS), keepalive_expiry=2.0
    )
    return httpx.AsyncClient(
        base_url=target.root, headers=target.headers, trust_env=False, timeout=600.0, limits=limits
    )


def rep_order(rep: int, n: int) -> list[str]:
    """The targets' order at one concurrency of one repetition: shuffled, reproducibly."""
    order = list(TARGETS)
    random.Random(f"{SEED}-{rep}-{n}").shuffle(order)
    return order


def request_order(rep: int, i: int) -> list[str]:
    """The targets' order for the ``i``-th request of a 1-stream round: shuffled, reproducibly."""
    order = list(TARGETS)
    random.Random(f"{SEED}-{rep}-1-{i}").shuffle(order)
    return order


async def warm_up(targets: dict[str, Target], switch: Callable[[str], None], max_tokens: int) -> None:
    """Uncounted rounds at the highest and the lowest concurrency for every target (a fresh llama.cpp
    server's first lone request after a full round is slow to start)."""
    for name, target in targets.items():
        switch(name)
        async with client_for(target) as client:
            for n in (max(STREAMS), min(STREAMS)):
                warm = await run_round(client, target, n, max_tokens, 0)
                log(f"  warm-up {name}: {n:2d} streams: {warm.rate:.1f} tok/s, TTFT p50 {warm.ttft_ms:.0f} ms")


async def repetition(
    rep: int, targets: dict[str, Target], switch: Callable[[str], None], max_tokens: int, figures: dict[str, Figures]
) -> None:
    """Every concurrency once; at each, every target one round, back to back, in a shuffled order
    (at 1 stream, taking turns request by request: ``single_rounds``)."""
    clients = {name: client_for(target) for name, target in targets.items()}

    def record(name: str, n: int, r: Round) -> None:
        figures[name].rounds.setdefault(n, []).append(r)
        log(
            f"  rep {rep} {SHORT[name]:>2} {n:2d} streams: {r.tokens} tokens in {r.seconds:.2f} s ="
            f" {r.rate:.1f} tok/s, TTFT p50 {r.ttft_ms:.0f} ms, ITL p50 {r.itl_ms:.1f} ms"
            f" (other processes: {r.foreign:.1%} of the CPU{f'; {r.retries} retried' if r.retries else ''})"
        )

    try:
        for n in STREAMS:
            if n == 1:
                rounds = await single_rounds(rep, targets, switch, clients, max_tokens)
                for name in TARGETS:
                    record(name, n, rounds[name])
                continue
            for name in rep_order(rep, n):
                switch(name)
                record(name, n, await run_round(clients[name], targets[name], n, max_tokens, rep))
    finally:
        for client in clients.values():
            await client.aclose()


def cheap_endpoint(target: Target, seconds: float) -> Latency:
    """Sequential ``GET /v1/models`` on one keep-alive connection, after a quarter as long uncounted."""
    samples: list[float] = []
    with httpx.Client(base_url=target.root, headers=target.headers, trust_env=False, timeout=10) as client:
        for counted, span in ((False, seconds / 4), (True, seconds)):
            end = time.perf_counter() + span
            while (now := time.perf_counter()) < end:
                response = client.get("/v1/models")
                elapsed = time.perf_counter() - now
                if response.status_code != 200:
                    raise RuntimeError(f"{target.name}: GET /v1/models: {response.status_code} {response.text[:300]}")
                if counted:
                    samples.append(elapsed)
    return Latency(pct(samples, 50) * 1000, pct(samples, 99) * 1000, len(samples) / sum(samples))


@dataclass(slots=True)
class Setup:
    model: Path
    llama_python: Path
    litellm_python: Path
    work: Path
    logs: Path
    max_tokens: int
    cheap_s: float
    notes: list[str]
    garrison: Garrison


def llamacpp(setup: Setup, port: int) -> list[str]:
    return [
        str(setup.llama_python),
        str(LAUNCHER),
        f"--model={setup.model}",
        f"--port={port}",
        f"--parallel={SLOTS}",
        f"--slot-ctx={SLOT_CONTEXT}",
        f"--threads={THREADS}",
        f"--alias={EMBEDDED_NAME}",
    ]


LITELLM_ENV = {  # keeps the proxy offline (it fetches cost maps and more from GitHub otherwise) and quiet
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS": "True",
    "LITELLM_LOCAL_BLOG_POSTS": "True",
    "LITELLM_LOCAL_AUTOROUTER_PRESETS": "True",
    "LITELLM_LOCAL_POLICY_TEMPLATES": "True",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "LITELLM_LOG": "ERROR",
    "LITELLM_DONT_SHOW_FEEDBACK_BOX": "true",
    "LITELLM_MODE": "PRODUCTION",
    "DISABLE_ADMIN_UI": "True",
}


def litellm_config(path: Path, backend: str) -> None:
    """JSON is YAML: LiteLLM reads this as its config file."""
    config = {
        "model_list": [
            {
                "model_name": EMBEDDED_NAME,
                "litellm_params": {"model": f"openai/{EMBEDDED_NAME}", "api_base": f"{backend}/v1", "api_key": "none"},
            }
        ],
        "litellm_settings": {
            "drop_params": True,
            "set_verbose": False,
            "turn_off_message_logging": True,
            "request_timeout": 600,
            "num_retries": 0,
        },
        "general_settings": {
            "disable_spend_logs": True,
            "disable_adding_master_key_hash_to_db": True,
            "disable_reset_budget": True,
            "background_health_checks": False,
        },
    }
    path.write_text(json.dumps(config, indent=2) + "\n")


def litellm_argv(setup: Setup, backend: str, port: int, key: str) -> tuple[list[str], dict[str, str]]:
    config = setup.work / f"litellm-{port}.yaml"
    litellm_config(config, backend)
    argv = [str(setup.litellm_python.with_name("litellm")), f"--config={config}", "--host=127.0.0.1", f"--port={port}"]
    env = peer_env(**LITELLM_ENV, LITELLM_MASTER_KEY=key)  # LiteLLM refuses to start without a master key
    for name in ("DATABASE_URL", "REDIS_HOST", "REDIS_URL", "REDIS_PORT"):
        env.pop(name, None)
    return argv, env


def start_targets(setup: Setup, stack: ExitStack) -> tuple[dict[str, Target], Callable[[str], None]]:
    """Every server, up until ``stack`` closes; and the switch that puts Garrison in the state a target
    needs (its features on for Garrison, off for the control) before that target's round."""
    notes, logs = setup.notes, setup.logs
    port = free_port()
    llama = stack.enter_context(serving(LLAMA, llamacpp(setup, port), peer_env(), port, "/health", logs, notes))
    port = free_port()
    key = "sk-peerbench-" + secrets.token_hex(16)
    argv, env = litellm_argv(setup, llama.root, port, key)
    proxy = stack.enter_context(serving(LITELLM, argv, env, port, "/health/liveliness", logs, notes))
    g = setup.garrison
    port = free_port()
    env = {**g.env, "GARRISON_PORT": str(port)}
    garrison = stack.enter_context(serving(GARRISON, [*g.command, "serve"], env, port, "/readyz", logs, notes))
    auth = {"Authorization": f"Bearer {g.key}"}
    notes += garrison_policies(garrison.root, auth)
    targets = {
        LLAMA: Target(LLAMA, llama.root, {}, (llama.pid,), (llama.pid,), f"{llama.root}/slots"),
        LITELLM: Target(
            LITELLM,
            proxy.root,
            {"Authorization": f"Bearer {key}"},
            (proxy.pid, llama.pid),
            (proxy.pid,),
            f"{llama.root}/slots",
        ),
        GARRISON: Target(GARRISON, garrison.root, auth, (garrison.pid,), (garrison.pid,)),
        BARE: Target(BARE, garrison.root, auth, (garrison.pid,), (garrison.pid,)),
    }
    state: dict[str, bool] = {"on": True}

    def switch(name: str) -> None:
        if name in (GARRISON, BARE) and state["on"] != (name == GARRISON):
            state["on"] = name == GARRISON
            set_features(garrison.root, auth, on=state["on"])

    return targets, switch


def cheap_and_memory(rep: int, targets: dict[str, Target], switch: Callable[[str], None], setup: Setup,
                     figures: dict[str, Figures]) -> None:  # fmt: skip
    """``GET /v1/models`` for every target (shuffled), then each server's memory."""
    for name in rep_order(rep, 0):
        switch(name)
        latency = cheap_endpoint(targets[name], setup.cheap_s)
        figures[name].cheap.append(latency)
        own = process_tree(targets[name].own)
        rss, hwm = memory_kib(own)
        figures[name].memory.append((len(own), rss, hwm))
        log(
            f"  rep {rep} {SHORT[name]:>2} GET /v1/models p50 {latency.p50_ms:.3f} ms, {latency.per_second:.0f}/s;"
            f" memory VmRSS {rss / 1024:.0f} MiB, VmHWM {hwm / 1024:.0f} MiB ({len(own)} processes)"
        )


def set_features(root: str, auth: dict[str, str], *, on: bool) -> None:
    """Switch the output guard and the pseudonymisation of prompts and answers on or off, through the API."""
    with httpx.Client(base_url=root, headers=auth, trust_env=False, timeout=10) as client:
        client.patch("/v1/guard/policy", json={"output": on}).raise_for_status()
        client.patch("/v1/privacy/policy", json={"prompts": on, "answers": on}).raise_for_status()


def garrison_policies(root: str, auth: dict[str, str]) -> list[str]:
    """What Garrison ran with, read from its API: the default policies of the organisation."""
    with httpx.Client(base_url=root, headers=auth, trust_env=False, timeout=10) as client:
        privacy = client.get("/v1/privacy/policy").json()
        guard = client.get("/v1/guard/policy").json()
        role = client.get("/v1/me").json().get("role", "?")
    actions = guard.get("actions", {})
    blocking = sorted(k for k, v in actions.items() if v == "block")
    return [
        f"Garrison ran with its default policies: privacy prompts={privacy.get('prompts')},"
        f" answers={privacy.get('answers')} (the benchmark's key has the role `{role}`, so answers are"
        f" re-identified); guard: {len(blocking)} of {len(actions)} categories blocked,"
        f" output checked={guard.get('output')}; every call audited."
    ]


SHORT = {GARRISON: "G", LLAMA: "L", LITELLM: "P", BARE: "G0"}


def run(quick: bool = False, *, out: Path | None = None, reps: int | None = None) -> str:
    """The markdown section (and its plots, in ``img/`` next to ``out``: by default docs/benchmarks.md)."""
    started = time.monotonic()
    reps = reps if reps is not None else (1 if quick else REPS)
    max_tokens = 64 if quick else 128
    cheap_s = 1.0 if quick else 2.0
    out = out if out is not None else ROOT / "docs" / "benchmarks.md"
    notes: list[str] = []
    llama_python, llama_install = ensure_peer("llamacpp", LLAMACPP_PIN)
    litellm_python, litellm_install = ensure_peer("litellm", LITELLM_PIN)
    for name, pin, seconds in (("llamacpp", LLAMACPP_PIN, llama_install), ("litellm", LITELLM_PIN, litellm_install)):
        if seconds:
            notes.append(f"`{pin}` was installed into `.bench/peers/{name}` by this run in {seconds:.0f} s")
    versions = {
        "xllamacpp (peer)": peer_version(llama_python, "xllamacpp"),
        "litellm (peer)": peer_version(litellm_python, "litellm"),
    }
    figures = {t: Figures() for t in TARGETS}
    logs = PEERS_DIR / "logs"  # the servers' output, kept until the next run
    logs.mkdir(parents=True, exist_ok=True)
    for old in logs.glob("*.log"):
        old.unlink()
    model = locate_embedded()
    with tempfile.TemporaryDirectory(prefix="garrison-peers-") as tmp, sigterm_raises(), ExitStack() as stack:
        work = Path(tmp)
        log("garrison init")
        garrison = Garrison(work)
        garrison.env["GARRISON_LLAMACPP_PARALLEL"] = str(SLOTS)  # bench.py's engine comparison uses 8
        setup = Setup(model, llama_python, litellm_python, work, logs, max_tokens, cheap_s, notes, garrison)
        targets, switch = start_targets(setup, stack)
        with client_priority(CLIENT_NICE):
            asyncio.run(warm_up(targets, switch, max_tokens))
            for rep in range(1, reps + 1):
                log(f"repetition {rep}/{reps}")
                asyncio.run(repetition(rep, targets, switch, max_tokens, figures))
                cheap_and_memory(rep, targets, switch, setup, figures)
            switch(GARRISON)  # its default policies again
        notes += garrison.notes
    notes += sanity_notes(figures, max_tokens)
    notes += [f"At {n} streams {which}" for n, which in apart(figures).items()]
    notes += slot_notes(figures)
    facts = machine(model, versions)
    text, _ = report(figures, facts, notes, quick, reps, max_tokens, cheap_s, out, time.monotonic() - started)
    return text


def sanity_notes(figures: dict[str, Figures], max_tokens: int) -> list[str]:
    notes = []
    for name, fig in figures.items():
        for n, rounds in fig.rounds.items():
            for r in rounds:
                where = f"repetition {r.rep}, {name}, {n} stream{'s' if n > 1 else ''}"
                expected = len(r.streams) * max_tokens
                if r.tokens != expected:
                    notes.append(f"{where}: the round produced {r.tokens} tokens, not {expected}")
                if r.refused:
                    notes.append(
                        f"{where}: {r.refused} stream(s) cut by the guard (content_policy_violation); they count"
                        " 0 tokens, so this round's tokens/s is too low"
                    )
                if r.retries:
                    notes.append(
                        f"{where}: {r.retries} stream(s) sent again: the server had closed the kept-alive"
                        " connection as the request went out (no answer had begun)"
                    )
                if r.foreign > FOREIGN_LIMIT and r.foreign_cpu_s > FOREIGN_MIN_S:
                    notes.append(
                        f"{where}: other processes used {r.foreign:.0%} of the CPU during the round;"
                        " its figure is not trustworthy (run again on an idle machine)"
                    )
    return notes


APART = 1.15  # ITL of one llama.cpp over the same build's in the other process, seconds apart


def apart(figures: dict[str, Figures]) -> dict[int, str]:
    """Concurrencies at which the two llama.cpp processes (the peer server, and the same build
    inside Garrison's control, with no gateway work per token) decoded at markedly different
    speeds per token, with the peer server's busy slots. llama.cpp's server picks its slots
    itself and a spread of them splits every decode step; Garrison picks the lowest free slot
    (engines/slots.py). Both are what a user of each gets, so the ratios are judged as measured."""
    out: dict[int, str] = {}
    for n in STREAMS:
        base = figures[LLAMA].of(n, lambda r: r.itl_ms)
        control = figures[BARE].of(n, lambda r: r.itl_ms)
        if not base or not control:
            continue
        peer, ours = statistics.median(base), statistics.median(control)
        if max(peer, ours) <= APART * min(peer, ours):
            continue
        seen = [runs(r.slots) for r in figures[LLAMA].rounds.get(n, []) if r.slots]
        slots = f"; its busy slots, one second into each round: {' | '.join(seen)}" if seen else ""
        slower = "the llama.cpp server" if peer > ours else "Garrison's engine"
        out[n] = (
            f"{slower} decoded over {APART}x slower per token than the other llama.cpp, the same build with the"
            f" same settings (ITL p50 {peer:.1f} ms in the llama.cpp server, {ours:.1f} ms in Garrison's"
            f" control){slots}. The ratios at this concurrency count it as measured"
        )
    return out


def slot_notes(figures: dict[str, Figures]) -> list[str]:
    """Where the llama.cpp server put the streams of its own rounds, per concurrency (Garrison packs
    them in the lowest slots by construction)."""
    seen = {
        n: [runs(r.slots) for r in sorted(figures[LLAMA].rounds.get(n, []), key=lambda r: r.rep) if r.slots]
        for n in STREAMS
    }
    shown = "; ".join(f"{n} streams: {' | '.join(v)}" for n, v in seen.items() if v)
    if not shown:
        return []
    return [
        "The llama.cpp server's busy slots one second into each of its rounds, by repetition (its own choice"
        f" of slot; a gap splits each decode step into one batch per run of slots): {shown}"
    ]


def machine(model: Path, versions: dict[str, str]) -> list[tuple[str, str]]:
    return [
        *hostinfo.machine_rows(),
        ("garrison", importlib.metadata.version("garrison")),
        ("xllamacpp (Garrison)", importlib.metadata.version("xllamacpp")),
        *versions.items(),
        ("model", f"{EMBEDDED_NAME} (`{model.name}`, {model.stat().st_size:,} bytes), the same file for all"),
        ("llama.cpp", f"{SLOTS} slots x {SLOT_CONTEXT} tokens, {THREADS} threads, batch 512, for every target"),
    ]


# -- the report ----------------------------------------------------------------------------------
def paired(figures: dict[str, Figures], name: str, n: int, what: Callable[[Round], float]) -> list[tuple[float, float]]:
    """(target, llama.cpp server) per repetition: rounds that ran seconds apart, so drift cancels."""
    base = {r.rep: what(r) for r in figures[LLAMA].rounds.get(n, [])}
    return [(what(r), base[r.rep]) for r in figures[name].rounds.get(n, []) if r.rep in base]


def paired_ratios(figures: dict[str, Figures], name: str, n: int) -> list[float]:
    return [a / b for a, b in paired(figures, name, n, lambda r: r.rate)]


def ratio(figures: dict[str, Figures], name: str, n: int) -> float:
    """Tokens/s ÷ the llama.cpp server's: the median of the per-repetition ratios."""
    return statistics.median(paired_ratios(figures, name, n))


def added_ttft(figures: dict[str, Figures], name: str, n: int) -> float:
    """TTFT p50 minus the llama.cpp server's: the median of the per-repetition differences."""
    return statistics.median(a - b for a, b in paired(figures, name, n, lambda r: r.ttft_ms))


def added_cheap(figures: dict[str, Figures], name: str) -> float:
    pairs = zip(figures[name].cheap, figures[LLAMA].cheap, strict=True)
    return statistics.median(a.p50_ms - b.p50_ms for a, b in pairs)


def plots(figures: dict[str, Figures], img: Path, quick: bool) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    img.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}
    charts: tuple[tuple[str, str, Callable[[Round], float], str], ...] = (
        ("throughput", "aggregate tokens/s", lambda r: r.rate, "Streaming throughput"),
        ("ttft", "time to first token, p50 (ms)", lambda r: r.ttft_ms, "Time to first token"),
    )
    for key, ylabel, what, title in charts:
        fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=110)
        for name, marker in zip(TARGETS, ("o", "s", "^", "v"), strict=True):
            xs, med, lo, hi = [], [], [], []
            for n in STREAMS:
                values = figures[name].of(n, what)
                if values:
                    m, a, b = spread(values)
                    xs.append(n)
                    med.append(m)
                    lo.append(m - a)
                    hi.append(b - m)
            ax.errorbar(xs, med, yerr=[lo, hi], marker=marker, capsize=3, label=name)
        ax.set_xscale("log", base=2)
        ax.set_xticks(list(STREAMS), [str(n) for n in STREAMS])
        ax.set_xlabel("concurrent streams")
        ax.set_ylabel(ylabel)
        ax.set_title(f"{title}{' (quick run)' if quick else ''}: median, min–max")
        ax.grid(True, alpha=0.3)
        ax.legend()
        fig.tight_layout()
        path = img / f"peers-{key}.png"
        fig.savefig(path)
        plt.close(fig)
        made[key] = path
    return made


def report(
    figures: dict[str, Figures],
    facts: list[tuple[str, str]],
    notes: list[str],
    quick: bool,
    reps: int,
    max_tokens: int,
    cheap_s: float,
    out: Path,
    seconds: float,
) -> tuple[str, bool]:
    images = plots(figures, out.parent / "img", quick)
    top = max(STREAMS)
    g_ratio = {n: ratio(figures, GARRISON, n) for n in STREAMS}
    l_ratio = {n: ratio(figures, LITELLM, n) for n in STREAMS}
    ok_ratio = all(v >= RATIO_TARGET for v in g_ratio.values())
    g_ttft = {n: added_ttft(figures, GARRISON, n) for n in STREAMS}
    l_ttft = {n: added_ttft(figures, LITELLM, n) for n in STREAMS}
    g_cheap, l_cheap = added_cheap(figures, GARRISON), added_cheap(figures, LITELLM)
    ok_ttft = all(g_ttft[n] < l_ttft[n] for n in STREAMS)
    ok_latency = ok_ttft and g_cheap < l_cheap
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    quick_note = " **Quick run (`--quick`): one repetition, short answers; not the figures to judge.**" if quick else ""
    orders = "; ".join(f"{n}: {' '.join(SHORT[t] for t in rep_order(1, n))}" for n in STREAMS if n > 1)
    firsts = ", ".join(" ".join(SHORT[t] for t in request_order(1, i)) for i in range(2))
    lines = [
        "## Peers: Garrison, llama.cpp server and LiteLLM",
        "",
        f"Measured on {now} by `scripts/bench_peers.py` in {seconds:.0f} s.{quick_note} Reproduce with",
        "`.venv/bin/python scripts/bench_peers.py --out FILE` (`--quick` for a short run); the peers are installed",
        "into `.bench/peers/` on the first run. The same GGUF file and llama.cpp settings for every target, on the",
        "same machine, in the same run; judge the ratios and differences against the llama.cpp server.",
        "",
        f"- **{LLAMA}** (the baseline): llama.cpp's own OpenAI-compatible HTTP server (C++), started through",
        "  xllamacpp by `scripts/peers/llamacpp_server.py`, no API key.",
        f"- **{LITELLM}**: `litellm` (one uvicorn worker, its default) in front of that llama.cpp server, offline,",
        "  a master key, no database; its requests carry the key.",
        f"- **{GARRISON}**: `garrison serve` with everything on: API key, default policies (input and output",
        "  guards, pseudonymisation of prompts and re-identification of answers), metering, audit log. Its",
        "  cache of detections is off (`GARRISON_PRIVACY_CACHE=0`): the rounds repeat the same prompts, and every",
        "  one is detected as a new question would be. llama.cpp's threads run at nice 5 below its own (its",
        "  default, `llamacpp_nice`); the peers run at normal priority.",
        f"- **{BARE}** (the control): the same server with the output guard and pseudonymisation switched",
        "  off through its API before its rounds, on again after (the input guard, keys, metering and audit stay):",
        "  Garrison ÷ this control is what those features cost.",
        "",
        "| | |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in facts),
        "",
        f"Streamed chat completions, `max_tokens={max_tokens}`, temperature 0, a fixed seed per request, the same",
        f'{max(STREAMS)} prompts for every target ("Write a long story about ..."; *n* streams send the first *n*',
        f"together; at 1 stream a round is {SINGLE} requests one after the other, the first {SINGLE} prompts).",
        f"A lean client (httpx, one JSON decode per server-sent event) at nice {CLIENT_NICE} on the same two cores.",
        "Tokens/s: completion tokens from each stream's final usage chunk, summed, over the wall time of the round",
        "(at 1 stream: over the sum of its requests' own times).",
        "TTFT: request sent to first content chunk, median over the round's streams. ITL: gaps between content",
        "chunks within a stream (median of the per-stream medians; p95 of all gaps of the round). Tokens per",
        "chunk > 1: the server sends several tokens per event. Garrison's output guard checks every piece before",
        "it goes out and sends it at once; it holds back only the start of a word whose completion it would",
        "refuse (docs/guard.md).",
        "",
        "Interleaved: every server runs throughout and only one takes load at a time. Each repetition runs every",
        "concurrency once, and at each concurrency the four targets one round each, back to back, in a shuffled",
        f"order (repetition 1: {orders}; G: Garrison, G0: its control, L: llama.cpp alone, P: LiteLLM in front",
        "of it). At 1 stream the targets take turns request by request, each prompt's four requests in a shuffled",
        f"order (repetition 1 begins {firsts}), so that the requests compared ran about a second apart.",
        f"Uncounted warm-up rounds of {top} streams and of {min(STREAMS)} for every target first. Tokens/s,",
        "TTFT, ITL and chunk sizes: median of the repetitions (min–max). **÷ llama.cpp** and **TTFT added**: the",
        "median over the repetitions of the ratio (difference) to the llama.cpp round that ran seconds before or",
        f"after; per repetition in the next column. {reps} repetition{'s' if reps > 1 else ''}.",
        "",
        f"![tokens/s versus concurrent streams]({os.path.relpath(images['throughput'], out.parent)})",
        f"![time to first token versus concurrent streams]({os.path.relpath(images['ttft'], out.parent)})",
        "",
        "| streams | target | tokens/s | ÷ llama.cpp | per repetition | TTFT p50 ms | TTFT added ms | ITL p50 ms"
        " | ITL p95 ms | tokens per chunk |",
        "| ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in STREAMS:
        for name in TARGETS:
            fig = figures[name]
            base = name == LLAMA
            rel = "1" if base else f"**{ratio(figures, name, n):.3f}**"
            per_rep = "" if base else ", ".join(f"{p:.3f}" for p in paired_ratios(figures, name, n))
            added = "" if base else f"{added_ttft(figures, name, n):+.1f}"
            lines.append(
                f"| {n} | {name} | {cell(fig.of(n, lambda r: r.rate))} | {rel} | {per_rep}"
                f" | {cell(fig.of(n, lambda r: r.ttft_ms), 0)} | {added}"
                f" | {cell(fig.of(n, lambda r: r.itl_ms))} | {cell(fig.of(n, lambda r: r.itl_p95_ms))}"
                f" | {cell(fig.of(n, lambda r: r.tokens_per_chunk), 2)} |"
            )
    lines += [
        "",
        "A cheap endpoint, `GET /v1/models` (with the target's key, where it needs one), sequentially on one",
        f"keep-alive connection for {cheap_s:g} s after {cheap_s / 4:g} s uncounted, after each target's load:",
        "",
        "| target | p50 ms | p99 ms | requests/s | p50 added ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in TARGETS:
        cheap = figures[name].cheap
        added = "" if name == LLAMA else f"**{added_cheap(figures, name):+.3f}**"
        lines.append(
            f"| {name} | {cell([c.p50_ms for c in cheap], 3)} | {cell([c.p99_ms for c in cheap], 3)}"
            f" | {cell([c.per_second for c in cheap], 0)} | {added} |"
        )
    llama_mem = max(m[1] for m in figures[LLAMA].memory), max(m[2] for m in figures[LLAMA].memory)
    lines += [
        "",
        "Memory of each server's own processes after each repetition, from `/proc/<pid>/status` (summed over the",
        "process tree; the highest over the repetitions). LiteLLM needs the llama.cpp server besides; Garrison runs",
        "llama.cpp in its own process.",
        "",
        "| target | processes | VmRSS MiB | VmHWM (peak) MiB | VmHWM with the engine it needs, MiB |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in TARGETS:
        mem = figures[name].memory
        procs = max(m[0] for m in mem)
        rss, hwm = max(m[1] for m in mem), max(m[2] for m in mem)
        total = hwm + (llama_mem[1] if name == LITELLM else 0)
        lines.append(f"| {name} | {procs} | {rss / 1024:.0f} | {hwm / 1024:.0f} | {total / 1024:.0f} |")
    lines += [
        "",
        "### Targets",
        "",
        f"- {'PASS' if ok_ratio else 'FAIL'}: Garrison tokens/s ÷ llama.cpp server tokens/s >= {RATIO_TARGET:.2f} at"
        " every concurrency: measured "
        + ", ".join(f"{n} stream{'s' if n > 1 else ''}: {g_ratio[n]:.3f}" for n in STREAMS)
        + " (LiteLLM: "
        + ", ".join(f"{l_ratio[n]:.3f}" for n in STREAMS)
        + ").",
        f"- {'PASS' if ok_latency else 'FAIL'}: latency Garrison adds over the llama.cpp server below what LiteLLM"
        " adds: TTFT p50 at every concurrency, Garrison versus LiteLLM, ms: "
        + ", ".join(f"{n}: {g_ttft[n]:+.1f} vs {l_ttft[n]:+.1f}" for n in STREAMS)
        + f" ({'met' if ok_ttft else 'missed'}); `GET /v1/models` p50 {g_cheap:+.3f} ms versus {l_cheap:+.3f} ms"
        f" ({'met' if g_cheap < l_cheap else 'missed'}).",
        "- What the output guard and pseudonymisation cost, Garrison ÷ its control, tokens/s: "
        + ", ".join(f"{n}: {ratio(figures, GARRISON, n) / ratio(figures, BARE, n):.3f}" for n in STREAMS)
        + "; the control ÷ llama.cpp server: "
        + ", ".join(f"{n}: {ratio(figures, BARE, n):.3f}" for n in STREAMS)
        + ".",
    ]
    if notes:
        lines += ["", "### Notes from this run", "", *(f"- {note}" for note in notes)]
    return "\n".join(lines) + "\n", ok_ratio and ok_latency


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the section to this file (plots go to img/ beside it)")
    parser.add_argument("--quick", action="store_true", help="one repetition, max_tokens 64: for development")
    parser.add_argument("--reps", type=int, help=f"repetitions (default {REPS}, 1 with --quick)")
    args = parser.parse_args()
    text = run(args.quick, out=args.out, reps=args.reps)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    print(text, end="")
    for line in text.splitlines():
        if line.startswith(("- PASS", "- FAIL")):
            log(line[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
