"""Docs that cannot rot: the settings and CLI references must match the code."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_generated_references_are_current() -> None:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    for rel, render in gen.DOCS.items():
        current = (ROOT / rel).read_text() if (ROOT / rel).exists() else ""
        assert current == render(), f"{rel} is out of date: run `make docs`"
    assert "GARRISON_EGRESS_ALLOW" in (ROOT / "docs/configuration.md").read_text()
    assert "garrison models add" in (ROOT / "docs/cli.md").read_text()
