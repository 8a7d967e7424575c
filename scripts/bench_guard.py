"""Guardrails benchmark: the latency the guards add to a request, p50 and p95.

Two gateways over the same fake engine in one process, one with the guards and one without
(privacy off in both, so only the guards differ), answer the same prompts (the benign prompts of
tests/data/guard, which all go through): the difference of their latencies is what the input
check and the output check of the answer cost a request. Streams: the same for a 300-word answer
streamed token by token, where every piece is checked before it goes out. The built-in guard alone
is also timed per text. Alternating rounds, median of the per-request figures.

Run alone: ``python scripts/bench_guard.py``; ``make bench`` adds its section.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from garrison.app import build  # noqa: E402
from garrison.config import Settings  # noqa: E402
from garrison.core.types import ChatRequest, Message, Principal  # noqa: E402
from garrison.engines.fake import FakeEngine  # noqa: E402
from garrison.guard.builtin import BuiltinGuard  # noqa: E402
from garrison.security import egress  # noqa: E402
from garrison.service.gateway import Gateway  # noqa: E402
from garrison.service.identity import principal_for  # noqa: E402
from garrison.store.models import ModelRepository  # noqa: E402

DATA = ROOT / "tests" / "data" / "guard"
ANSWER = " ".join(["The hydraulic pump seals are replaced every 400 flight hours."] * 30)  # about 300 words


def log(message: str) -> None:
    print(f"[bench-guard] {message}", file=sys.stderr, flush=True)


def prompts() -> list[str]:
    out = []
    for line in (DATA / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            if d["label"] == "benign" and d["kind"] == "prompt":
                out.append(d["text"])
    return out


def gateway(base: Path, guarded: bool) -> tuple[Gateway, Principal, FakeEngine]:
    from tests.conftest import fake_record, person  # the test suite's helpers: a model record, a person

    engines: dict[str, FakeEngine] = {}

    def factory(record: object) -> FakeEngine:
        engines["e"] = FakeEngine("fake-model")
        return engines["e"]

    rt = build(Settings(data_dir=base, rate_limit_per_minute=0, user_rate_limit_per_minute=0,
                        organisation_rate_limit_per_minute=0), create=True, factory=factory)  # fmt: skip
    ModelRepository(rt.db).insert(fake_record())
    person(rt, "ana", role="analyst", organisation="mod-it")
    rt.pool.start()
    rt.services.privacy.set_policy(rt.services.console, "mod-it", {"prompts": False})
    if not guarded:
        rt.gateway._guard = None  # the same gateway, guards removed
    user = next(u for u in rt.services.identity.users(rt.services.console) if u.id == "ana")
    _, org = rt.services.identity.member("ana")
    return rt.gateway, principal_for(user, org), engines["e"]


async def timed_chat(gw: Gateway, who: Principal, text: str) -> float:
    started = time.perf_counter()
    await gw.chat(who, ChatRequest("fake-model", (Message("user", text),)))
    return (time.perf_counter() - started) * 1000


async def timed_stream(gw: Gateway, who: Principal) -> float:
    started = time.perf_counter()
    async for _ in gw.prepare_chat_stream(who, ChatRequest("fake-model", (Message("user", "How is the pump?"),))):
        pass
    return (time.perf_counter() - started) * 1000


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def run(rounds: int = 3) -> str:
    started = time.monotonic()
    egress.install(egress.EgressPolicy())
    guard = BuiltinGuard()
    texts = [t for t in prompts() if not guard.check(t).blocked]  # the few false positives would be 403s
    per_text = []
    for t in texts:
        s = time.perf_counter()
        guard.check(t)
        per_text.append((time.perf_counter() - s) * 1000)
    with tempfile.TemporaryDirectory(prefix="garrison-bench-guard-") as tmp:
        on, who_on, engine_on = gateway(Path(tmp) / "on", True)
        off, who_off, engine_off = gateway(Path(tmp) / "off", False)
        engine_on.reply = engine_off.reply = ANSWER

        async def measure() -> tuple[list[float], list[float], list[float], list[float]]:
            chat_on: list[float] = []
            chat_off: list[float] = []
            stream_on: list[float] = []
            stream_off: list[float] = []
            for _ in range(rounds):
                for t in texts:
                    chat_off.append(await timed_chat(off, who_off, t))
                    chat_on.append(await timed_chat(on, who_on, t))
                for _ in range(50):
                    stream_off.append(await timed_stream(off, who_off))
                    stream_on.append(await timed_stream(on, who_on))
            return chat_on, chat_off, stream_on, stream_off

        log(f"{len(texts)} prompts x {rounds} rounds, both gateways")
        chat_on, chat_off, stream_on, stream_off = asyncio.run(measure())
    lines = [
        "## Guardrails: added latency",
        "",
        f"The same fake engine behind two gateways in one process, one with the guards and one without (privacy "
        f"off in both); {len(texts)} benign prompts of `tests/data/guard` (those the guard lets through) × "
        f"{rounds} rounds, alternating; each "
        f"answer is {len(ANSWER.split())} words, so the output check runs on a real length. Streams: 50 per round, "
        "a piece per word, each checked before it goes out.",
        "",
        "| request | without guards p50 / p95 ms | with guards p50 / p95 ms | added p50 / p95 ms |",
        "|---|---:|---:|---:|",
    ]
    for name, a, b in (("chat", chat_off, chat_on), ("streamed chat", stream_off, stream_on)):
        lines.append(
            f"| {name} | {pct(a, 0.5):.2f} / {pct(a, 0.95):.2f} | {pct(b, 0.5):.2f} / {pct(b, 0.95):.2f} | "
            f"**{pct(b, 0.5) - pct(a, 0.5):.2f} / {pct(b, 0.95) - pct(a, 0.95):.2f}** |"
        )
    lines += [
        "",
        f"The built-in guard on one prompt ({statistics.mean(len(t) for t in texts):.0f} characters on average): "
        f"{pct(per_text, 0.5):.3f} ms p50, {pct(per_text, 0.95):.3f} ms p95.",
        "",
        f"_Guard section took {time.monotonic() - started:.0f} s._",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the section to this file")
    args = parser.parse_args()
    text = run(args.rounds)
    if args.out is not None:
        args.out.write_text(text)
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
