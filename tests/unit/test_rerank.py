"""The feature reranker: pure, deterministic, and it moves the candidates its features favour."""

from __future__ import annotations

import numpy as np
import pytest

from garrison.retrieval.rerank import DEPTH, FEATURES, WEIGHTS, Candidate, features, rerank

COL = {name: i for i, name in enumerate(FEATURES)}


def cand(i: int, text: str, fused: float = 0.5, lexical: float | None = None, dense: float | None = None) -> Candidate:
    return Candidate(i, text, fused, lexical, dense)


CANDIDATES = [
    cand(1, "Cabin lighting\nReplace the reading light bulb.", fused=0.9, lexical=3.0, dense=0.80),
    cand(2, "Hydraulic system\nThe hydraulic pump pressure is 3000 psi.", fused=0.8, lexical=None, dense=0.85),
    cand(3, "Fuel\nThe fuel pump pressure switch P/N 66-1234.", fused=0.7, lexical=5.0, dense=None),
]


def test_empty_input() -> None:
    assert rerank("hydraulic pump", []) == []
    assert features("hydraulic pump", []).shape == (0, len(FEATURES))


def test_a_permutation_and_deterministic() -> None:
    first = rerank("hydraulic pump pressure", CANDIDATES)
    assert sorted(i for i, _ in first) == [1, 2, 3]
    assert first == rerank("hydraulic pump pressure", CANDIDATES)
    assert [s for _, s in first] == sorted((s for _, s in first), reverse=True)


def test_ties_keep_the_candidates_order() -> None:
    same = [cand(i, "identical text", fused=0.5) for i in (7, 3, 9)]
    assert [i for i, _ in rerank("something else", same)] == [7, 3, 9]
    assert [i for i, _ in rerank("something else", same, {"coverage": 1.0})] == [7, 3, 9]


def test_higher_coverage_rises() -> None:
    # the first candidate is fused best but shares no term with the query
    ranked = rerank("hydraulic pump pressure", CANDIDATES, {"fused": 0.1, "coverage": 1.0})
    ids = [i for i, _ in ranked]
    assert ids[0] == 2 and ids[-1] == 1


def test_fused_weight_alone_keeps_the_fused_order() -> None:
    assert [i for i, _ in rerank("anything", CANDIDATES, {"fused": 1.0})] == [1, 2, 3]


def test_feature_values() -> None:
    f = features("hydraulic pump pressure 66-1234", CANDIDATES)
    assert f.shape == (3, len(FEATURES))
    assert np.all((f >= 0) & (f <= 1))
    assert f[:, COL["fused"]].tolist() == pytest.approx([1.0, 0.5, 0.0])
    assert f[:, COL["lexical"]].tolist() == pytest.approx([0.6, 0.0, 1.0])  # BM25 / best; none -> 0
    assert f[:, COL["dense"]].tolist() == pytest.approx([0.0, 1.0, 0.0])  # min-max; none -> 0
    # query terms: hydraulic, pump, pressure, 66-1234, 66, 1234
    assert f[1, COL["coverage"]] == pytest.approx(3 / 6)
    assert f[2, COL["coverage"]] == pytest.approx(5 / 6)
    assert f[1, COL["title"]] == pytest.approx(1 / 6)  # "Hydraulic system"
    assert f[2, COL["codes"]] == 1.0 and f[1, COL["codes"]] == 0.0
    assert f[1, COL["bigrams"]] > 0 and f[0, COL["bigrams"]] == 0
    assert f[1, COL["proximity"]] == pytest.approx(1.0)  # hydraulic pump pressure, adjacent
    assert f[0, COL["proximity"]] == 0.0


def test_codes_and_phrases_lift_the_exact_match() -> None:
    cands = [
        cand(1, "Pumps\nSeveral pump part numbers exist: 66-1200, 66-1300.", fused=0.9),
        cand(2, "Parts\nOrder 66-1234 for the pump.", fused=0.5),
    ]
    assert rerank("pump 66-1234", cands, {"fused": 0.2, "codes": 1.0})[0][0] == 2


def test_module_weights_name_known_features() -> None:
    assert set(WEIGHTS) <= set(FEATURES)
    assert any(WEIGHTS.values())
    assert DEPTH >= 10
