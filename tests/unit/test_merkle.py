"""The RFC 6962 Merkle tree: every case of the transparency-dev vectors (each happy path verifies,
each deliberately broken proof is rejected), and proofs we build verify for every leaf and size."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from garrison.audit.merkle import (
    EMPTY_ROOT,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "data" / "merkle-vectors" / "testdata"


def cases(kind: str) -> list[Path]:
    found = sorted((VECTORS / kind).rglob("*.json"))
    assert found, f"no {kind} vectors under {VECTORS}"
    return found


def b64(value: str) -> bytes:
    return base64.b64decode(value)


@pytest.mark.parametrize("path", cases("inclusion"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_inclusion_vectors(path: Path) -> None:
    v = json.loads(path.read_text())
    args = (v["leafIdx"], v["treeSize"], b64(v["leafHash"]), [b64(p) for p in v["proof"] or []], b64(v["root"]))
    if v["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("path", cases("consistency"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_consistency_vectors(path: Path) -> None:
    v = json.loads(path.read_text())
    args = (v["size1"], v["size2"], [b64(p) for p in v["proof"] or []], b64(v["root1"]), b64(v["root2"]))
    if v["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


def test_the_vectors_hold_both_kinds() -> None:
    wanted = [json.loads(p.read_text())["wantErr"] for p in cases("inclusion") + cases("consistency")]
    assert wanted.count(False) >= 10 and wanted.count(True) >= 100


def test_tree_hashes_follow_rfc_6962() -> None:
    assert root([]) == EMPTY_ROOT
    leaves = [leaf_hash(bytes([i])) for i in range(3)]
    assert root(leaves[:1]) == leaves[0]
    assert root(leaves) == node_hash(node_hash(leaves[0], leaves[1]), leaves[2])


@given(st.integers(1, 70), st.data())
def test_every_proof_we_build_verifies_and_a_changed_one_does_not(n: int, data: st.DataObject) -> None:
    leaves = [leaf_hash(f"record {i}".encode()) for i in range(n)]
    top = root(leaves)
    index = data.draw(st.integers(0, n - 1))
    proof = inclusion_proof(leaves, index)
    verify_inclusion(index, n, leaves[index], proof, top)
    with pytest.raises(ProofError):
        verify_inclusion(index, n, leaf_hash(b"edited"), proof, top)
    size1 = data.draw(st.integers(1, n))
    older = root(leaves[:size1])
    consistency = consistency_proof(leaves, size1)
    verify_consistency(size1, n, consistency, older, top)
    if size1 < n:
        with pytest.raises(ProofError):
            verify_consistency(size1, n, consistency, root([leaf_hash(b"forged"), *leaves[1:size1]]), top)
