"""Plots for docs/benchmarks.md: one PNG per figure, written next to the page under ``img/``.

Every point is a median with its spread (lowest and highest of the repeated runs) drawn as an
error bar, so a reader sees how firm each point is. Matplotlib runs headless (Agg).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

IMG = "img"  # folder beside the Markdown page


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float  # the median
    low: float | None = None  # the spread of the repeated runs
    high: float | None = None


def line_plot(
    page: Path,
    name: str,
    title: str,
    xlabel: str,
    ylabel: str,
    series: Mapping[str, Sequence[Point]],
    *,
    logx: bool = False,
    logy: bool = False,
    hline: tuple[float, str] | None = None,
) -> str:
    """Draw ``series`` (label -> points) into ``<page dir>/img/<name>.png``; return the Markdown
    image line that references it relative to the page."""
    folder = page.parent / IMG
    folder.mkdir(parents=True, exist_ok=True)
    figure, axes = plt.subplots(figsize=(6.4, 3.8), dpi=110)
    for label, points in series.items():
        ordered = sorted(points, key=lambda p: p.x)
        xs = [p.x for p in ordered]
        ys = [p.y for p in ordered]
        below = [p.y - p.low if p.low is not None else 0.0 for p in ordered]
        above = [p.high - p.y if p.high is not None else 0.0 for p in ordered]
        axes.errorbar(xs, ys, yerr=[below, above], marker="o", markersize=4, capsize=3, label=label)
    if hline is not None:
        axes.axhline(hline[0], color="grey", linestyle="--", linewidth=1, label=hline[1])
    if logx:
        axes.set_xscale("log")
    if logy:
        axes.set_yscale("log")
    axes.set_title(title, fontsize=10)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(folder / f"{name}.png")
    plt.close(figure)
    return f"![{title}]({IMG}/{name}.png)"
