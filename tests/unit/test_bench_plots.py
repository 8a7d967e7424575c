"""The benchmark page's plots and scale-curve helpers (scripts/plots.py, scripts/bench_audit.py)."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str) -> ModuleType:
    sys.path.insert(0, str(ROOT / "scripts"))  # the scripts import their siblings by name
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_a_plot_is_a_png_beside_the_page_referenced_relative_to_it(tmp_path: Path) -> None:
    plots = _script("plots")
    page = tmp_path / "docs" / "benchmarks.md"
    line = plots.line_plot(
        page,
        "curve",
        "A curve",
        "x",
        "y",
        {
            "measured": [plots.Point(1, 2.0, 1.5, 2.5), plots.Point(10, 20.0, 18.0, 21.0)],
            "floor": [plots.Point(1, 1.0)],
        },
        logx=True,
        logy=True,
        hline=(5.0, "target"),
    )
    png = page.parent / "img" / "curve.png"
    assert line == "![A curve](img/curve.png)"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


def test_the_audit_verification_curve_reports_per_record_cost_and_draws_it(tmp_path: Path) -> None:
    bench_audit = _script("bench_audit")
    page = tmp_path / "benchmarks.md"
    curve = [(10_000, 0.025, 0.024, 0.027, 0.009), (100_000, 0.250, 0.249, 0.255, 0.090)]
    lines = bench_audit.verification_curve(curve, page)
    text = "\n".join(lines)
    assert "| 10,000 | 0.025 (0.024–0.027) | 400,000 | 2.50 |" in text
    assert "2.50 µs per record at 10,000 records, 2.50 µs at 100,000 (1.00×)" in text
    assert "(img/audit-verification.png)" in text and (tmp_path / "img" / "audit-verification.png").exists()


def test_the_peers_benchmark_pairs_rounds_by_repetition_and_notes_two_engines_apart() -> None:
    peers = _script("bench_peers")

    def round_(rep: int, itl_ms: float, rate: float, slots: tuple[int, ...] = ()) -> object:
        stream = peers.Stream(0.02, (itl_ms / 1000,) * 3, 4, int(rate), False)
        return peers.Round(rep, (stream,), 1.0, 0.0, slots)

    figures = {t: peers.Figures() for t in peers.TARGETS}
    for n in peers.STREAMS:
        slow = n in (4, 8)  # the baseline decodes at half speed there
        spread = (0, 2, 3, 7) if slow else (0, 1, 2, 3)
        figures[peers.LLAMA].rounds[n] = [round_(rep, 40 if slow else 20, 100 + rep, spread) for rep in (1, 2, 3)]
        figures[peers.BARE].rounds[n] = [round_(rep, 20, 99 + rep) for rep in (1, 2, 3)]
        figures[peers.GARRISON].rounds[n] = [round_(rep, 20, 95 + 2 * rep) for rep in (3, 1, 2)]
    apart = peers.apart(figures)
    assert list(apart) == [4, 8] and apart[4].startswith("the llama.cpp server decoded over 1.15x slower")
    assert "0,2-3,7 | 0,2-3,7 | 0,2-3,7" in apart[4] and "count it as measured" in apart[4]
    assert peers.runs((0, 1, 2, 5, 7, 8)) == "0-2,5,7-8" and peers.runs(()) == ""
    assert "8 streams: 0,2-3,7 | 0,2-3,7 | 0,2-3,7; 16 streams: 0-3 | 0-3 | 0-3" in peers.slot_notes(figures)[0]
    # ratios pair each round with the baseline's round of the same repetition, whatever the order
    assert peers.paired_ratios(figures, peers.GARRISON, 1) == [101 / 103, 97 / 101, 99 / 102]
    assert peers.ratio(figures, peers.GARRISON, 1) == 99 / 102
    assert len({tuple(peers.rep_order(1, n)) for n in peers.STREAMS}) > 1  # shuffled per concurrency
    assert sorted(peers.rep_order(2, 4)) == sorted(peers.TARGETS) and peers.rep_order(2, 4) == peers.rep_order(2, 4)


def test_the_peers_benchmark_takes_turns_request_by_request_at_one_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    peers = _script("bench_peers")
    sent: list[tuple[str, str]] = []  # (target, prompt), in the order the requests went out
    switched: list[str] = []

    async def timed_stream(client: object, target: Any, job: Any, max_tokens: int) -> tuple[object, float, float]:
        sent.append((target.name, job.prompt))
        took = 0.5 + len(sent) / 100
        return peers.Stream(0.01, (0.005,), 10, 10, False), took, 0.001

    monkeypatch.setattr(peers, "timed_stream", timed_stream)
    targets = {name: peers.Target(name, "http://x", {}, (), ()) for name in peers.TARGETS}
    rounds = asyncio.run(peers.single_rounds(3, targets, switched.append, dict.fromkeys(targets), 128))

    assert switched == [name for name, _ in sent]  # each request after switching to its target
    assert len(sent) == peers.SINGLE * len(peers.TARGETS)
    for i in range(peers.SINGLE):  # every prompt goes to the four targets before the next prompt
        turn = sent[i * len(peers.TARGETS) : (i + 1) * len(peers.TARGETS)]
        assert {p for _, p in turn} == {peers.JOBS[i].prompt}
        assert [name for name, _ in turn] == peers.request_order(3, i)
    assert len({tuple(peers.request_order(3, i)) for i in range(peers.SINGLE)}) > 1  # shuffled per request
    for name, r in rounds.items():
        assert r.rep == 3 and r.tokens == 10 * peers.SINGLE
        mine = [k for k, (target, _) in enumerate(sent, 1) if target == name]
        assert r.seconds == pytest.approx(sum(0.5 + k / 100 for k in mine))  # its own requests' times only
        assert r.foreign_cpu_s == pytest.approx(0.001 * peers.SINGLE)
