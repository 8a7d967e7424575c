"""The layer rules of design.md, checked on every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "garrison"

CAPABILITIES = {"engines", "retrieval", "security", "privacy", "guard", "audit", "catalog"}
ADAPTERS = {"api", "web", "cli"}
RANK = {"core": 0, "store": 1, **dict.fromkeys(CAPABILITIES, 2), "service": 3, **dict.fromkeys(ADAPTERS, 4)}
ROOT = {"app", "config", "__main__", "__init__"}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return [m for m in found if m == "garrison" or m.startswith("garrison.")]


def violations() -> list[str]:
    bad = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        src = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        if src in ROOT:
            continue  # the composition root may import anything
        assert src in RANK, f"{rel}: package {src!r} has no layer; add it to the layer test and design"
        for target in _imports(path):
            dst = _package(target)
            if dst in ROOT or dst == "":
                if dst != "__init__" and target != "garrison":
                    bad.append(f"{rel} imports {target}: only the composition root may be imported by nobody")
                continue
            if dst == src:
                continue
            if src in ADAPTERS and dst in CAPABILITIES | {"store"}:
                bad.append(f"{rel} imports {target}: adapters call the service layer, never store or capabilities")
            elif src in CAPABILITIES and dst in CAPABILITIES:
                bad.append(f"{rel} imports {target}: capabilities never import each other")
            elif RANK[dst] > RANK[src]:
                bad.append(f"{rel} imports {target}: {src} may not import upward into {dst}")
    return bad


def test_no_module_imports_across_forbidden_layers() -> None:
    assert violations() == []


def test_the_checker_catches_an_upward_import(tmp_path: Path, monkeypatch: object) -> None:
    fake = tmp_path / "garrison"
    (fake / "core").mkdir(parents=True)
    (fake / "core" / "bad.py").write_text("from garrison.service.gateway import Gateway\n")
    (fake / "engines").mkdir()
    (fake / "engines" / "x.py").write_text("import garrison.security.egress\n")
    (fake / "api").mkdir()
    (fake / "api" / "y.py").write_text("from garrison.store.db import Database\n")
    import tests.unit.test_layers as me

    original = me.SRC
    me.SRC = fake
    try:
        found = violations()
    finally:
        me.SRC = original
    assert len(found) == 3
    assert any("core/bad.py" in v and "upward" in v for v in found)
    assert any("engines/x.py" in v and "each other" in v for v in found)
    assert any("api/y.py" in v and "adapters" in v for v in found)
