"""Fusing the lexical and the dense ranking into one.

Two methods, compared on the evaluation set by ``make eval`` (docs/retrieval.md has the figures):

- ``rrf``: reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009), ``sum 1 / (k + rank)``;
  needs no score calibration.
- ``convex``: a weighted sum of scores normalised per query (min-max over each list), the method
  Bruch, Gai and Ingber (2023) found better than RRF when a little labelled data can set the weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from garrison.retrieval.index import Ranked

Method = Literal["rrf", "convex"]
RRF_K = 60


@dataclass(frozen=True, slots=True)
class Fused:
    id: int
    score: float
    lexical: float | None  # the method's own score, None when the method did not find it
    dense: float | None


def fuse(lexical: Ranked, dense: Ranked, *, method: Method = "rrf", weight: float = 0.5) -> list[Fused]:
    """``weight`` (convex only) is the share of the dense score."""
    lex = dict(zip(lexical.ids, lexical.scores, strict=True))
    den = dict(zip(dense.ids, dense.scores, strict=True))
    score = _rrf(lexical.ids, dense.ids) if method == "rrf" else _convex(lexical, dense, weight)
    ranked = sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))
    return [Fused(i, s, lex.get(i), den.get(i)) for i, s in ranked]


def _rrf(*rankings: Sequence[int]) -> dict[int, float]:
    out: dict[int, float] = {}
    for ranking in rankings:
        for rank, i in enumerate(ranking, start=1):
            out[i] = out.get(i, 0.0) + 1.0 / (RRF_K + rank)
    return out


def _normalised(r: Ranked) -> dict[int, float]:
    if not r.ids:
        return {}
    hi, lo = max(r.scores), min(r.scores)
    span = hi - lo
    return {i: (s - lo) / span if span > 0 else 1.0 for i, s in zip(r.ids, r.scores, strict=True)}


def _convex(lexical: Ranked, dense: Ranked, weight: float) -> dict[int, float]:
    lex, den = _normalised(lexical), _normalised(dense)
    return {i: (1 - weight) * lex.get(i, 0.0) + weight * den.get(i, 0.0) for i in lex.keys() | den.keys()}
