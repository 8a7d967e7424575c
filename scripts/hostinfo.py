"""What the benchmark reports say about the machine they ran on (shared by bench.py, bench_peers.py and
bench_retrieval.py, which run as scripts: this directory is on their import path)."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def machine_rows() -> list[tuple[str, str]]:
    """The rows every benchmark page's machine table starts with: CPU, memory, OS, Python."""
    return [
        ("CPU", f"{cpu_model()}, {os.cpu_count()} cores (os.cpu_count), no GPU used"),
        ("memory", f"{memory_gib():.1f} GiB"),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
    ]
