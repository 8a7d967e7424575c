"""An optional second stage: reorder the top fused candidates with cheap features, on CPU.

No cross-encoder is available offline, so the reranker is a linear model over features of the
query and each candidate that the first stage does not see (query-term coverage, phrase and code
matches, matches in the title line, proximity), plus the first stage's own scores:

- ``fused``: the fused score, min-max normalised over the candidates;
- ``lexical``: BM25 divided by the best BM25 among the candidates (0 when BM25 did not find it);
- ``dense``: cosine, min-max normalised over the candidates that have one (0 otherwise);
- ``coverage``: share of the query's distinct terms that occur in the candidate;
- ``rare``: the same, each term weighted by its rarity among the candidates (``log(1 + n / df)``);
- ``bigrams``: share of the query's adjacent term pairs that occur adjacent in the candidate;
- ``title``: share of the query's distinct terms that occur in the candidate's first line;
- ``codes``: share of the query's code-like terms (a digit in them: part numbers, ATA chapters,
  task references) that occur in the candidate (0 when the query has none);
- ``proximity``: matched terms divided by the shortest window that holds them all (two or more);
- ``prefixes``, ``title_prefixes``: ``coverage`` and ``title`` again with every alphabetic term cut
  to its first ``PREFIX`` characters, so ``pressurisation`` meets ``pressure`` and ``pression``
  (truncation, the cheapest stemmer that works across European languages).

The terms are those of :func:`garrison.retrieval.text.tokens`, so both stages agree on words.
Reranking the top ``DEPTH`` candidates never changes recall beyond them.

How ``WEIGHTS`` were obtained: ``make eval`` (``scripts/eval_retrieval.py``) on the labelled set
``tests/data/retrieval/maintenance`` (80 queries in four languages, 180 passages) builds the features
of the top ``DEPTH`` candidates of convex fusion with weight ``FUSION_WEIGHT`` (the weight best on
that set) and fits the weights by coordinate ascent on mean nDCG@10 (Metzler and Croft, 2007: each
weight tried on a small grid in turn, from ``fused`` = 1 and the rest 0, until no step helps); the
values below are that fit on all 80 queries ("rerank weights fitted on all queries, convex base").
Individual weights are not stable from one half of the queries to the other (features overlap);
the prefix features, ``codes`` and ``fused`` are the ones that keep their sign.

Whether it helps is judged on repeated 2-fold cross-validation (convex weight and reranker both
fitted on one half of the queries, measured on the other): +0.022 nDCG@10 over convex fusion alone
(95% paired bootstrap interval +0.001 to +0.046), +0.008 (-0.004 to +0.021) over RRF as first stage;
all of the gain comes from the prefix features, and once the analyser itself truncates terms to five
characters the reranker gains nothing (-0.004). So it is off by default (:data:`RECOMMENDED`);
the figures are in the report ``make eval`` writes (docs/retrieval-eval.md). Refit after any change
to ``tokens()``, the fusion or the labelled set.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from garrison.retrieval.text import tokens

FEATURES = (
    "fused",
    "lexical",
    "dense",
    "coverage",
    "rare",
    "bigrams",
    "title",
    "codes",
    "proximity",
    "prefixes",
    "title_prefixes",
)
DEPTH = 30  # how many fused candidates the reranker reorders; the rest keep their order
PREFIX = 5

# Fitted as the module docstring says (convex base, all queries of the maintenance set).
WEIGHTS: Mapping[str, float] = {
    "fused": 0.5,
    "lexical": -0.25,
    "dense": 0.1,
    "coverage": -0.25,
    "rare": 0.0,
    "bigrams": 0.1,
    "title": -0.5,
    "codes": 0.25,
    "proximity": 0.0,
    "prefixes": 0.5,
    "title_prefixes": 0.5,
}
FUSION = "convex"  # the first stage WEIGHTS were fitted on
FUSION_WEIGHT = 0.7
RECOMMENDED = False  # whether the 2-fold estimate showed a gain worth keeping over fusion alone

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    text: str  # the text the lexical index sees: title, headings and text, title on the first line
    fused: float
    lexical: float | None
    dense: float | None


def features(query: str, candidates: Sequence[Candidate]) -> Floats:
    """One row per candidate, one column per name in :data:`FEATURES`."""
    n = len(candidates)
    out = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if n == 0:
        return out
    out[:, 0] = _minmax([c.fused for c in candidates])
    lex = [c.lexical or 0.0 for c in candidates]
    top = max(lex)
    out[:, 1] = [x / top if top > 0 else 0.0 for x in lex]
    out[:, 2] = _minmax([c.dense for c in candidates])

    q_terms = tokens(query)
    distinct = list(dict.fromkeys(q_terms))
    q_bigrams = set(pairwise(q_terms))
    codes = [t for t in distinct if any(ch.isdigit() for ch in t)]
    docs = [tokens(c.text) for c in candidates]
    sets = [set(d) for d in docs]
    df = Counter(t for s in sets for t in distinct if t in s)
    rarity = {t: math.log(1.0 + n / df[t]) if df[t] else 0.0 for t in distinct}
    total_rarity = sum(rarity.values())
    q_prefixes = {_prefix(t) for t in distinct}
    for i, (c, doc, present) in enumerate(zip(candidates, docs, sets, strict=True)):
        if not distinct:
            break
        matched = [t for t in distinct if t in present]
        out[i, 3] = len(matched) / len(distinct)
        out[i, 4] = sum(rarity[t] for t in matched) / total_rarity if total_rarity > 0 else 0.0
        if q_bigrams:
            pairs = set(pairwise(doc))
            out[i, 5] = len(q_bigrams & pairs) / len(q_bigrams)
        title = set(tokens(c.text.split("\n", 1)[0]))
        out[i, 6] = sum(t in title for t in distinct) / len(distinct)
        if codes:
            out[i, 7] = sum(t in present for t in codes) / len(codes)
        out[i, 8] = _proximity(doc, frozenset(matched))
        out[i, 9] = len(q_prefixes & {_prefix(t) for t in present}) / len(q_prefixes)
        out[i, 10] = len(q_prefixes & {_prefix(t) for t in title}) / len(q_prefixes)
    return out


def score(query: str, candidates: Sequence[Candidate], weights: Mapping[str, float] = WEIGHTS) -> Floats:
    w = np.asarray([weights.get(name, 0.0) for name in FEATURES], dtype=np.float64)
    return features(query, candidates) @ w


def rerank(
    query: str, candidates: Sequence[Candidate], weights: Mapping[str, float] = WEIGHTS
) -> list[tuple[int, float]]:
    """``(id, score)`` best first; ties keep the candidates' order (deterministic)."""
    s = score(query, candidates, weights)
    order = sorted(range(len(candidates)), key=lambda i: (-s[i], i))
    return [(candidates[i].id, float(s[i])) for i in order]


def _prefix(term: str) -> str:
    return term[:PREFIX] if term.isalpha() else term


def _minmax(values: Sequence[float | None]) -> Floats:
    present = [v for v in values if v is not None]
    if not present:
        return np.zeros(len(values), dtype=np.float64)
    lo, hi = min(present), max(present)
    span = hi - lo
    return np.asarray([0.0 if v is None else ((v - lo) / span if span > 0 else 1.0) for v in values], dtype=np.float64)


def _proximity(doc: Sequence[str], matched: frozenset[str]) -> float:
    """``len(matched) / w`` for the shortest window ``w`` of ``doc`` that holds every matched term."""
    if len(matched) < 2:
        return 0.0
    need = len(matched)
    have: Counter[str] = Counter()
    inside = 0
    best = len(doc) + 1
    left = 0
    for right, term in enumerate(doc):
        if term not in matched:
            continue
        have[term] += 1
        if have[term] == 1:
            inside += 1
        while inside == need:
            if right - left + 1 < best:
                best = right - left + 1
            gone = doc[left]
            if gone in matched:
                have[gone] -= 1
                if have[gone] == 0:
                    inside -= 1
            left += 1
    return need / best if best <= len(doc) else 0.0
