"""`make eval`: retrieval quality on a labelled BEIR-format set; writes docs/retrieval-eval.md.

    python scripts/eval_retrieval.py DIR [--json OUT] [--markdown OUT] [--limit-queries N] [--limit-corpus N]

``DIR`` holds ``corpus.jsonl`` (``_id``, ``title``, ``text``), ``queries.jsonl`` (``_id``, ``text``)
and ``qrels/test.tsv`` (``query-id``, ``corpus-id``, ``score``; graded, > 0 is relevant). Only the
queries that have a relevant passage are evaluated (the BEIR convention).

The corpus goes through the product's own code: every passage is one row of
:class:`garrison.retrieval.index.Index` (text = title + newline + text, for the lexical and the dense
side alike; all rows UNCLASSIFIED, one collection), queries are analysed by
:func:`garrison.retrieval.text.tokens` and embedded by multilingual-e5-small
(:class:`garrison.engines.e5.E5Engine`, the pinned file, its hash verified), each method ranks 100
deep as the service does, and :func:`garrison.retrieval.fusion.fuse` fuses.

Metrics, per query then averaged over queries: nDCG@10 with graded gains (gain = the qrels grade,
discount ``1 / log2(rank + 1)``, ideal from all the query's judgements: what pytrec_eval/BEIR
compute) and recall@100 (share of the relevant passages in the first 100).

Methods: ``lexical`` (BM25), ``dense`` (E5 cosine), ``hybrid-rrf``, ``hybrid-convex`` (weight =
share of the dense score, swept 0.1..0.9) and ``hybrid + rerank`` (:mod:`garrison.retrieval.rerank`
over the top candidates of RRF or of convex fusion). A weight chosen on the very queries it is
measured on is optimistic, so the script also reports repeated 2-fold cross-validation: the queries
are split in two halves, the convex weight and the reranker's weights chosen on one half are
measured on the other and vice versa; repeated over ``--repeats`` random splits and averaged.
Differences from hybrid-rrf come with a 95% paired bootstrap interval over the queries.

Analyser variants (whole words, light suffix stripping, truncation to the first 4 to 6 characters of
a word; ``tokens()`` truncates to 5) are measured on the lexical side for comparison.
``--analyser NAME`` runs the whole evaluation (index, query terms, reranker features) with one of
them instead.

Passage and query embeddings are cached under ``var/eval-cache/`` (git-ignored), keyed by the
SHA-256 of the model file's pin, the kind and the text; ``--no-cache`` disables it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import math
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

import garrison.retrieval.index as index_module
from garrison.catalog.embedded import EMBEDDER
from garrison.core.markings import UNCLASSIFIED
from garrison.retrieval import rerank as rr
from garrison.retrieval.fusion import Fused, fuse
from garrison.retrieval.index import Index, IndexRow, Ranked
from garrison.retrieval.text import tokens

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "var" / "eval-cache"
DEPTH = 100  # each method ranks this deep before fusion, as the service does (service/documents.py)
K_NDCG = 10
K_RECALL = 100
WEIGHTS = tuple(round(0.1 * i, 1) for i in range(1, 10))
COLLECTION = "eval"
GRID = (-1.0, -0.5, -0.25, 0.0, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)  # reranker coordinate ascent

Floats = npt.NDArray[np.float32]


# -- data ------------------------------------------------------------------------------------------
@dataclass
class Dataset:
    corpus: dict[str, tuple[str, str]]  # id -> (title, text), in file order
    queries: dict[str, str]  # id -> text, only the queries with a relevant passage
    qrels: dict[str, dict[str, int]]  # query id -> passage id -> grade

    def passage(self, pid: str) -> str:
        title, text = self.corpus[pid]
        return f"{title}\n{text}" if title else text


def load_beir(directory: Path, split: str = "test") -> Dataset:
    corpus: dict[str, tuple[str, str]] = {}
    for line in (directory / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            corpus[str(obj["_id"])] = (str(obj.get("title") or ""), str(obj.get("text") or ""))
    qrels: dict[str, dict[str, int]] = {}
    with (directory / "qrels" / f"{split}.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t"):
            if not row or row[0] == "query-id":
                continue
            qid, pid, grade = row[0], row[1], int(float(row[2]))
            if pid in corpus:
                qrels.setdefault(qid, {})[pid] = grade
    queries: dict[str, str] = {}
    for line in (directory / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            qid = str(obj["_id"])
            if any(g > 0 for g in qrels.get(qid, {}).values()):
                queries[qid] = str(obj["text"])
    return Dataset(corpus, queries, {q: qrels[q] for q in queries})


def subset(data: Dataset, limit_queries: int | None, limit_corpus: int | None, seed: int = 0) -> Dataset:
    """``limit_queries`` queries spread evenly over the file (so a sorted file keeps its mix of
    languages and styles); a corpus of ``limit_corpus`` passages that keeps every judged passage of
    the kept queries and fills up with a seeded random sample of the others."""
    qids = list(data.queries)
    if limit_queries is not None and limit_queries < len(qids):
        qids = [qids[i * len(qids) // limit_queries] for i in range(limit_queries)]
    qrels = {q: data.qrels[q] for q in qids}
    corpus_ids = list(data.corpus)
    if limit_corpus is not None:
        judged = {p for q in qids for p in qrels[q]}
        others = [p for p in corpus_ids if p not in judged]
        extra = random.Random(seed).sample(others, max(0, min(len(others), limit_corpus - len(judged))))
        keep = judged | set(extra)
        corpus_ids = [p for p in corpus_ids if p in keep]
    return Dataset({p: data.corpus[p] for p in corpus_ids}, {q: data.queries[q] for q in qids}, qrels)


# -- embeddings ------------------------------------------------------------------------------------
class Embedder(Protocol):
    def embed_queries(self, texts: Sequence[str]) -> Floats: ...
    def embed_passages(self, texts: Sequence[str]) -> Floats: ...


def load_e5(threads: int = 2) -> Embedder:
    from garrison.catalog.hashing import verify_file
    from garrison.engines.e5 import E5Engine

    path = EMBEDDER.locate()
    verify_file(EMBEDDER.name, path, EMBEDDER.sha256)
    return E5Engine(EMBEDDER.name, path, threads=threads)


@dataclass
class CachedEmbedder:
    """Embeds through ``factory()`` (called once, on the first miss), caching each vector on disk."""

    factory: Callable[[], Embedder]
    cache: Path | None
    embedded: int = 0  # texts actually embedded (cache misses)
    seconds: float = 0.0
    _engine: Embedder | None = field(default=None, repr=False)

    def queries(self, texts: Sequence[str]) -> Floats:
        return self._get("query", texts)

    def passages(self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None) -> Floats:
        return self._get("passage", texts, progress)

    def _key(self, kind: str, text: str) -> str:
        return hashlib.sha256(f"{EMBEDDER.sha256}\0{kind}\0{text}".encode()).hexdigest()

    def _get(self, kind: str, texts: Sequence[str], progress: Callable[[int, int], None] | None = None) -> Floats:
        out: list[Floats | None] = [None] * len(texts)
        keys = [self._key(kind, t) for t in texts]
        if self.cache is not None:
            for i, k in enumerate(keys):
                f = self.cache / k[:2] / f"{k}.npy"
                if f.is_file():
                    out[i] = np.load(f).astype(np.float32)
        missing = [i for i, v in enumerate(out) if v is None]
        step = 32
        for start in range(0, len(missing), step):
            idx = missing[start : start + step]
            if self._engine is None:
                self._engine = self.factory()
            t0 = time.perf_counter()
            batch = [texts[i] for i in idx]
            vectors = self._engine.embed_queries(batch) if kind == "query" else self._engine.embed_passages(batch)
            self.seconds += time.perf_counter() - t0
            self.embedded += len(idx)
            for i, v in zip(idx, vectors, strict=True):
                out[i] = v
                if self.cache is not None:
                    f = self.cache / keys[i][:2] / f"{keys[i]}.npy"
                    f.parent.mkdir(parents=True, exist_ok=True)
                    np.save(f, v)
            if progress is not None:
                progress(start + len(idx), len(missing))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([v for v in out if v is not None]).astype(np.float32)


# -- metrics ---------------------------------------------------------------------------------------
def ndcg(ranking: Sequence[str], grades: Mapping[str, int], k: int = K_NDCG) -> float:
    dcg = sum(grades.get(p, 0) / math.log2(i + 2) for i, p in enumerate(ranking[:k]))
    ideal = sorted((g for g in grades.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall(ranking: Sequence[str], grades: Mapping[str, int], k: int = K_RECALL) -> float:
    relevant = {p for p, g in grades.items() if g > 0}
    return len(relevant.intersection(ranking[:k])) / len(relevant) if relevant else 0.0


# -- analysers (measured, not used by the product) -------------------------------------------------
_EN_SUFFIXES = ("ings", "ing", "ies", "ied", "es", "ed")  # longest first
_MULTI_SUFFIXES = tuple(
    sorted(
        set(
            " ".join(
                (
                    "ing ings ed ies ied es ation ations ment ments",  # English
                    "ement ements ees ee es aux eur eurs euse ant ante",  # French (accents already folded)
                    "zione zioni mento menti are ere ire ato ata ati ate",  # Italian
                    "ungen ung en",  # German
                )
            ).split()
        ),
        key=lambda s: (-len(s), s),
    )
)


def _strip(word: str, suffixes: Sequence[str], stem_min: int = 4) -> str:
    if not word.isalpha() or len(word) <= stem_min:
        return word
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= stem_min:
            return word[: -len(suffix)]
    return word


def _multi_stem(word: str) -> str:
    stem = _strip(word, _MULTI_SUFFIXES)
    if stem == word and word.isalpha() and len(word) > 5 and word[-1] in "aeio":
        return word[:-1]  # a final vowel: pompa/pompe/pompi, valvola/valvole
    return stem


def whole_tokens(text: str) -> list[str]:
    """``tokens()`` without truncation: whole (case-, accent- and plural-folded) words."""
    return tokens(text, prefix=None)


def english_tokens(text: str) -> list[str]:
    """Whole words, then English inflection stripping (-ing, -ed, -es, -ies) of alphabetic words."""
    return [_strip(t, _EN_SUFFIXES) for t in whole_tokens(text)]


def light_tokens(text: str) -> list[str]:
    """Whole words, then a light suffix stripping for English, French, Italian and German alike."""
    return [_multi_stem(t) for t in whole_tokens(text)]


def truncating(n: int) -> Callable[[str], list[str]]:
    def analyse(text: str) -> list[str]:
        return tokens(text, prefix=n)

    return analyse


ANALYSERS: dict[str, tuple[str, Callable[[str], list[str]]]] = {
    "current": ("tokens() (current: truncation to 5)", tokens),
    "whole": ("whole words (no truncation)", whole_tokens),
    "english": ("whole words + English -ing/-ed/-es stripping", english_tokens),
    "light": ("whole words + light en/fr/it/de suffix stripping", light_tokens),
    "trunc4": ("truncation to 4 characters", truncating(4)),
    "trunc6": ("truncation to 6 characters", truncating(6)),
}


@contextmanager
def analyser(fn: Callable[[str], list[str]], *, reranker: bool = False) -> Iterator[None]:
    """Index (and, with ``reranker``, compute the reranker's features) with another analyser: swaps the
    name the index's Part.build and rerank.features call. For measuring only; ``tokens()`` is unchanged."""
    from collections import Counter

    def counts(text: str) -> Counter[str]:
        return Counter(fn(text))

    modules: list[tuple[Any, str, Any]] = [(index_module, "term_counts", counts)]
    if reranker:
        modules.append((rr, "tokens", fn))
    saved = [(m, name, vars(m)[name]) for m, name, _ in modules]
    for m, name, value in modules:
        vars(m)[name] = value
    try:
        yield
    finally:
        for m, name, value in saved:
            vars(m)[name] = value


# -- languages ------------------------------------------------------------------------------------
_LANG_WORDS = {
    "en": "the a an of to in is are what how which when where does do for with on should must can and my at it after",
    "fr": "le la les des du de un une est sont que quel quelle comment pour dans avec sur doit faut d l qu et au aux "
    "après avant se",
    "it": "il lo la gli della delle dei di del dell dall sullo sulla che come quale quali quando per con sono deve nel "
    "nella una un e cosa se dopo a",
    "de": "der die das den dem des ein eine ist sind wie welche wann für mit auf muss im und von bei aus zum zur nach "
    "eines einer",
}
_LANG_SETS = {lang: frozenset(words.split()) for lang, words in _LANG_WORDS.items()}
_LANG_CHARS = {"de": "äöüß", "fr": "çéèêâîôûœ", "it": "òìù"}
_ID_LANG = re.compile(r"(?:^|[-_:.])(en|fr|it|de)(?:$|[-_:.])", re.IGNORECASE)


def language(qid: str, text: str) -> str:
    """A language tag in the id (``q-fr-12``), else a guess from the text: function words (one shared
    by several languages counts for each a share), letters (ä, ç, ò ...) and German capitalised nouns
    after the first word. ``en`` when nothing points elsewhere (part numbers, acronyms)."""
    tagged = _ID_LANG.search(qid)
    if tagged:
        return tagged.group(1).lower()
    score = dict.fromkeys(_LANG_WORDS, 0.0)
    raw = re.findall(r"\w+", text)
    for word in (w.casefold() for w in raw):
        owners = [lang for lang, words in _LANG_SETS.items() if word in words]
        for lang in owners:
            score[lang] += 1.0 / len(owners)
        for lang, chars in _LANG_CHARS.items():
            score[lang] += sum(ch in chars for ch in word)
    score["de"] += sum(1 for w in raw[1:] if len(w) > 2 and w[0].isupper() and w[1:].islower())
    best = max(score.values())
    return "en" if best == 0 or score["en"] == best else max(score, key=lambda k: score[k])


# -- evaluation ------------------------------------------------------------------------------------
Vector = npt.NDArray[np.float64]
PerQuery = dict[str, float]


@dataclass
class QueryRun:
    qid: str
    lang: str
    text: str
    lexical: Ranked
    dense: Ranked


@dataclass
class Result:
    ndcg: float
    recall: float
    by_lang: dict[str, float]
    per_query: PerQuery  # nDCG@10 of each query, for paired comparisons
    per_query_recall: PerQuery


@dataclass
class Rerankable:
    """The rerank inputs of every query for one first-stage ranking, padded to rerank.DEPTH rows."""

    qids: list[str]
    features: npt.NDArray[np.float64]  # (queries, DEPTH, features)
    gains: npt.NDArray[np.float64]  # (queries, DEPTH), 0 on padding
    valid: npt.NDArray[np.bool_]  # (queries, DEPTH)
    idcg: npt.NDArray[np.float64]  # (queries,)
    heads: list[list[str]]  # the candidates, in first-stage order
    tails: list[list[str]]  # the first-stage ranking after the candidates


def build_index(data: Dataset, vectors: Floats) -> tuple[Index, list[str]]:
    names = list(data.corpus)
    idx = Index(vectors.shape[1])
    rows = [IndexRow(i, pid, COLLECTION, UNCLASSIFIED, data.passage(pid)) for i, pid in enumerate(names)]
    idx.add(rows, vectors)
    return idx, names


def run_queries(
    data: Dataset, idx: Index, qvectors: Floats, analyse: Callable[[str], list[str]] = tokens
) -> list[QueryRun]:
    runs = []
    for (qid, text), qv in zip(data.queries.items(), qvectors, strict=True):
        searched = idx.search([COLLECTION], lambda m: True, terms=analyse(text), vector=qv, depth=DEPTH)
        runs.append(QueryRun(qid, language(qid, text), text, searched.lexical, searched.dense))
    return runs


def fused(run: QueryRun, method: str, weight: float = 0.5) -> list[Fused]:
    return fuse(run.lexical, run.dense, method="rrf" if method == "rrf" else "convex", weight=weight)


def ranking(run: QueryRun, names: Sequence[str], method: str, weight: float = 0.5) -> list[str]:
    if method == "lexical":
        return [names[i] for i in run.lexical.ids]
    if method == "dense":
        return [names[i] for i in run.dense.ids]
    return [names[f.id] for f in fused(run, method, weight)]


def score(runs: Sequence[QueryRun], rankings: Mapping[str, Sequence[str]], data: Dataset) -> Result:
    nd = {r.qid: ndcg(rankings[r.qid], data.qrels[r.qid]) for r in runs}
    rc = {r.qid: recall(rankings[r.qid], data.qrels[r.qid]) for r in runs}
    return _result(runs, nd, rc)


def _result(runs: Sequence[QueryRun], nd: PerQuery, rc: PerQuery) -> Result:
    langs = sorted({r.lang for r in runs})
    by_lang = {lang: _mean([nd[r.qid] for r in runs if r.lang == lang]) for lang in langs}
    return Result(_mean(list(nd.values())), _mean(list(rc.values())), by_lang, nd, rc)


def _mean(xs: Sequence[float]) -> float:
    return statistics.fmean(xs) if xs else 0.0


def halves(qids: Sequence[str], repeats: int, seed: int) -> Iterator[tuple[int, list[str], list[str]]]:
    """``(repeat, train, test)``: each random split into two halves, used both ways."""
    for rep in range(repeats):
        order = sorted(qids)
        random.Random(seed + rep).shuffle(order)
        a, b = order[: len(order) // 2], order[len(order) // 2 :]
        yield rep, a, b
        yield rep, b, a


def choose_weight(curve: Mapping[float, PerQuery], qids: Sequence[str]) -> float:
    """The convex weight with the best mean nDCG@10 on ``qids``; ties go to the one nearer 0.5."""
    return max(curve, key=lambda w: (_mean([curve[w][q] for q in qids]), -abs(w - 0.5)))


def out_of_fold(
    runs: Sequence[QueryRun],
    repeats: int,
    seed: int,
    predict: Callable[[list[str], list[str]], tuple[PerQuery, PerQuery]],
) -> Result:
    """Repeated 2-fold: ``predict(train, test)`` gives each test query's nDCG@10 and recall@100 with
    whatever was chosen on ``train``; a query's figure is its mean over the repeats."""
    nd: dict[str, list[float]] = {r.qid: [] for r in runs}
    rc: dict[str, list[float]] = {r.qid: [] for r in runs}
    for _, train, test in halves([r.qid for r in runs], repeats, seed):
        got_nd, got_rc = predict(train, test)
        for q in test:
            nd[q].append(got_nd[q])
            rc[q].append(got_rc[q])
    return _result(runs, {q: _mean(v) for q, v in nd.items()}, {q: _mean(v) for q, v in rc.items()})


def convex_predictor(
    curve: Mapping[float, Result], chosen: list[float] | None = None
) -> Callable[[list[str], list[str]], tuple[PerQuery, PerQuery]]:
    """For :func:`out_of_fold`: the convex weight best on the training half, applied to the test half."""
    per_w = {w: c.per_query for w, c in curve.items()}

    def predict(train: list[str], test: list[str]) -> tuple[PerQuery, PerQuery]:
        w = choose_weight(per_w, train)
        if chosen is not None:
            chosen.append(w)
        return {q: curve[w].per_query[q] for q in test}, {q: curve[w].per_query_recall[q] for q in test}

    return predict


# -- reranking -------------------------------------------------------------------------------------
def rerankable(runs: Sequence[QueryRun], data: Dataset, names: Sequence[str], method: str, weight: float) -> Rerankable:
    n, depth, width = len(runs), rr.DEPTH, len(rr.FEATURES)
    out = Rerankable(
        qids=[r.qid for r in runs],
        features=np.zeros((n, depth, width)),
        gains=np.zeros((n, depth)),
        valid=np.zeros((n, depth), dtype=np.bool_),
        idcg=np.zeros(n),
        heads=[],
        tails=[],
    )
    for i, run in enumerate(runs):
        ranked = fused(run, method, weight)
        head = ranked[:depth]
        cands = [rr.Candidate(f.id, data.passage(names[f.id]), f.score, f.lexical, f.dense) for f in head]
        grades = data.qrels[run.qid]
        out.features[i, : len(head)] = rr.features(run.text, cands)
        out.gains[i, : len(head)] = [grades.get(names[f.id], 0) for f in head]
        out.valid[i, : len(head)] = True
        ideal = sorted((g for g in grades.values() if g > 0), reverse=True)[:K_NDCG]
        out.idcg[i] = sum(g / math.log2(k + 2) for k, g in enumerate(ideal))
        out.heads.append([names[f.id] for f in head])
        out.tails.append([names[f.id] for f in ranked[depth:]])
    return out


_DISCOUNT = 1.0 / np.log2(np.arange(2, K_NDCG + 2))


def _order(r: Rerankable, w: Vector, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    s = np.where(r.valid[rows], r.features[rows] @ w, -np.inf)
    return np.argsort(-s, axis=1, kind="stable")  # ties keep the first-stage order, as rerank() does


def rerank_ndcgs(r: Rerankable, w: Vector, rows: npt.NDArray[np.int64]) -> Vector:
    """nDCG@10 of each query in ``rows`` with its candidates reordered by ``w`` (the tail never
    reaches the first ten: DEPTH >= 10)."""
    top = _order(r, w, rows)[:, :K_NDCG]
    gains = np.take_along_axis(r.gains[rows], top, axis=1)
    dcg = (gains * _DISCOUNT[: top.shape[1]]).sum(axis=1)
    idcg = r.idcg[rows]
    out: Vector = np.divide(dcg, idcg, out=np.zeros_like(dcg), where=idcg > 0)
    return out


def reranked(r: Rerankable, w: Vector, rows: npt.NDArray[np.int64]) -> dict[str, list[str]]:
    orders = _order(r, w, rows)
    out = {}
    for row, order in zip(rows, orders, strict=True):
        head = r.heads[row]
        out[r.qids[row]] = [head[i] for i in order if i < len(head)] + r.tails[row]
    return out


def fit_rerank(r: Rerankable, rows: npt.NDArray[np.int64], rounds: int = 4) -> Vector:
    """Coordinate ascent (Metzler and Croft, 2007) on mean nDCG@10 over ``rows``, each weight tried
    on GRID in turn, starting from the first-stage order (``fused`` = 1, the rest 0)."""
    w = np.zeros(len(rr.FEATURES))
    w[rr.FEATURES.index("fused")] = 1.0
    best = float(rerank_ndcgs(r, w, rows).mean())
    for _ in range(rounds):
        improved = False
        for j in range(len(w)):
            for value in GRID:
                if value == w[j]:
                    continue
                trial = w.copy()
                trial[j] = value
                got = float(rerank_ndcgs(r, trial, rows).mean())
                if got > best + 1e-9:
                    best, w, improved = got, trial, True
        if not improved:
            break
    return w


def _named(w: Vector) -> dict[str, float]:
    return {name: float(v) for name, v in zip(rr.FEATURES, w, strict=True)}


def paired(a: PerQuery, b: PerQuery, resamples: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    """Mean of ``a - b`` over the queries with a 95% paired bootstrap interval."""
    qids = sorted(a)
    d = np.asarray([a[q] - b[q] for q in qids])
    if len(d) == 0:
        return 0.0, 0.0, 0.0
    rng = np.random.default_rng(seed)
    means = d[rng.integers(0, len(d), size=(resamples, len(d)))].mean(axis=1)
    return float(d.mean()), float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))


# -- analysers -------------------------------------------------------------------------------------
def analysers(
    data: Dataset, runs: Sequence[QueryRun], names: list[str], repeats: int, seed: int
) -> dict[str, dict[str, Any]]:
    """Lexical, RRF and 2-fold convex figures with each analyser; the dense side is the same for all."""
    out: dict[str, dict[str, Any]] = {}
    rows = [IndexRow(i, pid, COLLECTION, UNCLASSIFIED, data.passage(pid)) for i, pid in enumerate(names)]
    baseline: PerQuery = {}
    for key, (label, fn) in ANALYSERS.items():
        idx = Index(1)
        with analyser(fn):
            idx.add(rows, np.zeros((len(rows), 1), dtype=np.float32))
        variant = [
            QueryRun(
                r.qid,
                r.lang,
                r.text,
                idx.search([COLLECTION], lambda m: True, terms=fn(r.text), vector=None, depth=DEPTH).lexical,
                r.dense,
            )
            for r in runs
        ]
        lexical = score(variant, {r.qid: ranking(r, names, "lexical") for r in variant}, data)
        rrf = score(variant, {r.qid: ranking(r, names, "rrf") for r in variant}, data)
        curve = {w: score(variant, {r.qid: ranking(r, names, "convex", w) for r in variant}, data) for w in WEIGHTS}
        convex = out_of_fold(variant, repeats, seed, convex_predictor(curve))
        if key == "current":
            baseline = rrf.per_query
        out[label] = {
            "lexical": _plain(lexical),
            "hybrid-rrf": _plain(rrf),
            "hybrid-convex 2-fold ndcg@10": convex.ndcg,
            "hybrid-rrf delta vs current": paired(rrf.per_query, baseline, seed=seed),
        }
    return out


# -- the whole evaluation --------------------------------------------------------------------------
def evaluate(
    data: Dataset,
    embedder: CachedEmbedder,
    *,
    repeats: int = 5,
    seed: int = 0,
    with_analysers: bool = True,
    rerank_base: tuple[str, float] = (rr.FUSION, rr.FUSION_WEIGHT),
    analyse: str = "current",
    log: Callable[[str], None] = lambda s: None,
) -> dict[str, Any]:
    """Every figure the report prints, as plain data. ``analyse`` names one of :data:`ANALYSERS`,
    used throughout (index, query terms, reranker features) in place of ``tokens()``."""
    fn = ANALYSERS[analyse][1]
    with analyser(fn, reranker=True):
        report = _evaluate(data, embedder, repeats, seed, with_analysers, rerank_base, fn, log)
    report["analyser"] = ANALYSERS[analyse][0]
    return report


def _evaluate(
    data: Dataset,
    embedder: CachedEmbedder,
    repeats: int,
    seed: int,
    with_analysers: bool,
    rerank_base: tuple[str, float],
    analyse: Callable[[str], list[str]],
    log: Callable[[str], None],
) -> dict[str, Any]:
    t0 = time.perf_counter()
    names = list(data.corpus)
    log(f"embedding {len(names)} passages and {len(data.queries)} queries")
    pvectors = embedder.passages(
        [data.passage(p) for p in names], lambda done, total: log(f"  embedded {done}/{total} passages")
    )
    qvectors = embedder.queries(list(data.queries.values()))
    t_embed = time.perf_counter() - t0
    t1 = time.perf_counter()
    idx, names = build_index(data, pvectors)
    t_index = time.perf_counter() - t1
    t2 = time.perf_counter()
    runs = run_queries(data, idx, qvectors, analyse)
    t_search = time.perf_counter() - t2
    qids = [r.qid for r in runs]
    every = np.arange(len(runs))

    def ranked_by(method: str, weight: float = 0.5) -> Result:
        return score(runs, {r.qid: ranking(r, names, method, weight) for r in runs}, data)

    methods = {"lexical": ranked_by("lexical"), "dense": ranked_by("dense"), "hybrid-rrf": ranked_by("rrf")}
    curve = {w: ranked_by("convex", w) for w in WEIGHTS}
    per_w = {w: c.per_query for w, c in curve.items()}
    best_w = choose_weight(per_w, qids)
    methods["hybrid-convex"] = curve[best_w]

    base_method, base_weight = rerank_base
    shipped = np.asarray([rr.WEIGHTS.get(n, 0.0) for n in rr.FEATURES])
    shipped_inputs = rerankable(runs, data, names, base_method, base_weight)
    methods["hybrid + rerank"] = score(runs, reranked(shipped_inputs, shipped, every), data)

    # in-sample fits (optimistic): what the module's WEIGHTS are set from
    inputs: dict[tuple[str, float], Rerankable] = {}

    def inputs_for(method: str, weight: float) -> Rerankable:
        key = (method, weight if method == "convex" else 0.0)
        if key not in inputs:
            inputs[key] = rerankable(runs, data, names, method, weight)
        return inputs[key]

    fitted = {
        "rrf": fit_rerank(inputs_for("rrf", 0.0), every),
        "convex": fit_rerank(inputs_for("convex", best_w), every),
    }
    in_sample = {
        "hybrid-rrf + rerank": score(runs, reranked(inputs_for("rrf", 0.0), fitted["rrf"], every), data),
        f"hybrid-convex (w = {best_w}) + rerank": score(
            runs, reranked(inputs_for("convex", best_w), fitted["convex"], every), data
        ),
    }

    # repeated 2-fold: everything chosen on one half, measured on the other
    folds: list[dict[str, Any]] = []
    chosen: list[float] = []
    position = {q: i for i, q in enumerate(qids)}

    def rows_of(q: Sequence[str]) -> npt.NDArray[np.int64]:
        return np.asarray([position[x] for x in q], dtype=np.int64)

    def rerank_fold(method: str) -> Callable[[list[str], list[str]], tuple[PerQuery, PerQuery]]:
        def predict(train: list[str], test: list[str]) -> tuple[PerQuery, PerQuery]:
            w = choose_weight(per_w, train) if method == "convex" else 0.0
            r = inputs_for(method, w)
            fit = fit_rerank(r, rows_of(train))
            folds.append({"base": method, "convex_weight": w, "rerank_weights": _named(fit)})
            out = reranked(r, fit, rows_of(test))
            return {q: ndcg(out[q], data.qrels[q]) for q in test}, {q: recall(out[q], data.qrels[q]) for q in test}

        return predict

    log("cross-validating")
    two_fold = {
        "hybrid-convex": out_of_fold(runs, repeats, seed, convex_predictor(curve, chosen)),
        "hybrid-rrf + rerank": out_of_fold(runs, repeats, seed, rerank_fold("rrf")),
        "hybrid-convex + rerank": out_of_fold(runs, repeats, seed, rerank_fold("convex")),
    }

    analyser_figures = analysers(data, runs, names, repeats, seed) if with_analysers else {}
    reference = methods["hybrid-rrf"].per_query
    deltas = {k: paired(v.per_query, reference, seed=seed) for k, v in methods.items()}
    deltas.update({f"{k} (2-fold)": paired(v.per_query, reference, seed=seed) for k, v in two_fold.items()})
    deltas.update({f"{k} (in-sample)": paired(v.per_query, reference, seed=seed) for k, v in in_sample.items()})
    rerank_gain = {
        "hybrid-rrf + rerank vs hybrid-rrf": paired(two_fold["hybrid-rrf + rerank"].per_query, reference, seed=seed),
        "hybrid-convex + rerank vs hybrid-convex": paired(
            two_fold["hybrid-convex + rerank"].per_query, two_fold["hybrid-convex"].per_query, seed=seed
        ),
    }
    langs = sorted({r.lang for r in runs})
    return {
        "corpus": len(names),
        "queries": len(runs),
        "queries_by_language": {lang: sum(r.lang == lang for r in runs) for lang in langs},
        "judgements": sum(len(g) for g in data.qrels.values()),
        "methods": {k: _plain(v) for k, v in methods.items()},
        "convex_weight": best_w,
        "convex_curve": {str(w): _plain(v) for w, v in curve.items()},
        "two_fold": {k: _plain(v) for k, v in two_fold.items()},
        "repeats": repeats,
        "convex_weights_chosen": chosen,
        "folds": folds,
        "in_sample": {k: _plain(v) for k, v in in_sample.items()},
        "delta_vs_rrf": deltas,
        "rerank": {
            "depth": rr.DEPTH,
            "shipped_weights": dict(rr.WEIGHTS),
            "shipped_base": f"{base_method}" + (f", w = {base_weight}" if base_method == "convex" else ""),
            "recommended": rr.RECOMMENDED,
            "fitted_rrf": _named(fitted["rrf"]),
            "fitted_convex": _named(fitted["convex"]),
            "gain_2fold": rerank_gain,
        },
        "analysers": analyser_figures,
        "seconds": {
            "embedding": round(t_embed, 2),
            "embedded_texts": embedder.embedded,
            "indexing": round(t_index, 3),
            "searching": round(t_search, 3),
            "total": round(time.perf_counter() - t0, 2),
        },
    }


def _plain(r: Result) -> dict[str, Any]:
    return {"ndcg@10": r.ndcg, "recall@100": r.recall, "ndcg@10_by_language": r.by_lang}


# -- reporting -------------------------------------------------------------------------------------
def _f(x: float) -> str:
    return f"{x:.3f}"


def _delta(d: Sequence[float]) -> str:
    return f"{d[0]:+.3f} [{d[1]:+.3f}, {d[2]:+.3f}]"


def table_rows(report: Mapping[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(method, nDCG@10, recall@100, delta vs RRF, note) rows, shared by the console and the markdown."""
    m, cv, ins, d = report["methods"], report["two_fold"], report["in_sample"], report["delta_vs_rrf"]
    reps, w, rk = report["repeats"], report["convex_weight"], report["rerank"]
    state = "on" if rk["recommended"] else "off by default"
    spec: list[tuple[str, Mapping[str, Any], str, str]] = [
        ("lexical (BM25)", m["lexical"], "lexical", ""),
        ("dense (E5)", m["dense"], "dense", ""),
        ("hybrid-rrf", m["hybrid-rrf"], "hybrid-rrf", "k = 60, no parameter: the reference"),
        (f"hybrid-convex, w = {w}", m["hybrid-convex"], "hybrid-convex", "w chosen on these queries: optimistic"),
        (
            "hybrid-convex, 2-fold",
            cv["hybrid-convex"],
            "hybrid-convex (2-fold)",
            f"w chosen on the other half, {reps} splits",
        ),
    ]
    for key, v in ins.items():
        spec.append((f"{key}, fitted in-sample", v, f"{key} (in-sample)", "optimistic"))
    for key in ("hybrid-rrf + rerank", "hybrid-convex + rerank"):
        note = f"fitted on the other half, {reps} splits" + (", w too" if "convex" in key else "")
        spec.append((f"{key}, 2-fold", cv[key], f"{key} (2-fold)", note))
    spec.append(("hybrid + rerank, rerank.WEIGHTS", m["hybrid + rerank"], "hybrid + rerank",
                 f"as shipped, on {rk['shipped_base']}; fitted on this set ({state})"))  # fmt: skip
    return [(name, _f(v["ndcg@10"]), _f(v["recall@100"]), _delta(d[key]), note) for name, v, key, note in spec]


def analyser_rows(report: Mapping[str, Any]) -> list[tuple[str, ...]]:
    return [
        (
            label,
            _f(v["lexical"]["ndcg@10"]),
            _f(v["lexical"]["recall@100"]),
            _f(v["hybrid-rrf"]["ndcg@10"]),
            _delta(v["hybrid-rrf delta vs current"]),
            _f(v["hybrid-convex 2-fold ndcg@10"]),
        )
        for label, v in report["analysers"].items()
    ]


ANALYSER_COLUMNS = ("analyser", "lexical nDCG@10", "lexical R@100", "RRF nDCG@10", "RRF Δ [95% CI]", "convex 2-fold")
MAIN_COLUMNS = ("method", "nDCG@10", "recall@100", "Δ nDCG@10 vs RRF [95% CI]", "note")


def print_report(report: Mapping[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 160)
    t = Table(
        title=f"Retrieval: {report['queries']} queries, {report['corpus']} passages; analyser {report['analyser']}"
    )
    for col in MAIN_COLUMNS:
        t.add_column(col, justify="left" if col in ("method", "note") else "right")
    for row in table_rows(report):
        t.add_row(*row)
    console.print(t)
    console.print(
        "convex weight (share of dense) -> nDCG@10: "
        + ", ".join(f"{w}: {v['ndcg@10']:.3f}" for w, v in report["convex_curve"].items())
    )
    langs = report["queries_by_language"]
    if len(langs) > 1:
        lt = Table(title="nDCG@10 by language of the query")
        lt.add_column("method")
        for lang, n in langs.items():
            lt.add_column(f"{lang} ({n})", justify="right")
        for name, v in {**report["methods"], **{f"{k}, 2-fold": v for k, v in report["two_fold"].items()}}.items():
            lt.add_row(name, *(f"{v['ndcg@10_by_language'].get(lang, 0.0):.3f}" for lang in langs))
        console.print(lt)
    if report["analysers"]:
        at = Table(title="Analyser variants (the lexical side; the dense ranking is the same for all)")
        for col in ANALYSER_COLUMNS:
            at.add_column(col, justify="left" if col == "analyser" else "right")
        for arow in analyser_rows(report):
            at.add_row(*arow)
        console.print(at)
    rk = report["rerank"]
    console.print("rerank weights fitted on all queries, RRF base: " + json.dumps(_nonzero(rk["fitted_rrf"])))
    console.print("rerank weights fitted on all queries, convex base: " + json.dumps(_nonzero(rk["fitted_convex"])))
    for name, d in rk["gain_2fold"].items():
        console.print(f"rerank gain, 2-fold, {name}: Δ nDCG@10 {_delta(d)}")
    console.print(f"time: {report['seconds']}")


def _nonzero(w: Mapping[str, float]) -> dict[str, float]:
    return {k: v for k, v in w.items() if v}


def _md_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Text columns (method, note, analyser, weight) left-aligned, figures right-aligned."""
    align = "".join("---|" if c in _TEXT_COLUMNS else "---:|" for c in columns)
    return ["| " + " | ".join(columns) + " |", "|" + align] + ["| " + " | ".join(r) + " |" for r in rows]


_TEXT_COLUMNS = frozenset({"method", "note", "analyser", "weight"})


def markdown(report: Mapping[str, Any], source: str) -> str:
    rk = report["rerank"]
    langs = report["queries_by_language"]
    lines = [
        "# Retrieval evaluation",
        "",
        f"Generated by `make eval` (`scripts/eval_retrieval.py {source}`) on {dt.date.today().isoformat()}; "
        "do not edit by hand.",
        "",
        f"{report['queries']} queries ({', '.join(f'{k}: {n}' for k, n in langs.items())}), "
        f"{report['corpus']} passages, {report['judgements']} judgements. nDCG@10 with graded gains (the qrels "
        "grade, log2 discount, ideal from the qrels), recall@100; each method ranks 100 deep before fusion, as "
        "the service does. Δ is the mean per-query difference in nDCG@10 from hybrid-rrf with a 95% paired "
        f"bootstrap interval. 2-fold: the queries are split in two random halves, what is chosen or fitted on "
        f"one half is measured on the other and vice versa; {report['repeats']} splits, averaged. "
        f"Analyser: {report['analyser']}.",
        "",
        *_md_table(MAIN_COLUMNS, table_rows(report)),
        "",
        "## Convex fusion: the weight of the dense score",
        "",
    ]
    curve = report["convex_curve"]
    lines += _md_table(
        ("weight", *curve),
        [
            ("nDCG@10", *(_f(v["ndcg@10"]) for v in curve.values())),
            ("recall@100", *(_f(v["recall@100"]) for v in curve.values())),
        ],
    )
    chosen = ", ".join(map(str, report["convex_weights_chosen"]))
    lines += ["", f"Weights chosen on the halves in the 2-fold runs: {chosen}."]
    if len(langs) > 1:
        lines += ["", "## nDCG@10 by language of the query", ""]
        table = {**report["methods"], **{f"{k}, 2-fold": v for k, v in report["two_fold"].items()}}
        lines += _md_table(
            ("method", *(f"{k} ({n})" for k, n in langs.items())),
            [(name, *(_f(v["ndcg@10_by_language"].get(k, 0.0)) for k in langs)) for name, v in table.items()],
        )
    if report["analysers"]:
        lines += [
            "",
            "## Analyser variants",
            "",
            "`garrison.retrieval.text.tokens()` as shipped against variants applied after it (measured only: the "
            "index is built with each in turn); the dense ranking is the same for all.",
            "",
            *_md_table(ANALYSER_COLUMNS, analyser_rows(report)),
        ]
    lines += [
        "",
        "## Reranker",
        "",
        f"`garrison.retrieval.rerank`: a linear model over features of the top {rk['depth']} fused candidates, "
        "fitted by coordinate ascent on nDCG@10.",
        "",
        f"- fitted on all queries, RRF base: `{json.dumps(_nonzero(rk['fitted_rrf']))}`",
        f"- fitted on all queries, convex base (w = {report['convex_weight']}): "
        f"`{json.dumps(_nonzero(rk['fitted_convex']))}`",
        f"- shipped (`rerank.WEIGHTS`, on {rk['shipped_base']}): `{json.dumps(_nonzero(rk['shipped_weights']))}`; "
        f"on by default: {'yes' if rk['recommended'] else 'no'}",
        *(f"- gain, 2-fold, {name}: Δ nDCG@10 {_delta(d)}" for name, d in rk["gain_2fold"].items()),
        "",
        f"Time (seconds; embeddings come from var/eval-cache when present): {report['seconds']}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    ap.add_argument("directory", type=Path, help="a BEIR-format directory")
    ap.add_argument("--json", type=Path, help="write every figure as JSON")
    ap.add_argument("--markdown", type=Path, help="write the report as Markdown")
    ap.add_argument("--limit-queries", type=int, help="evaluate only N queries, spread evenly over the file")
    ap.add_argument("--limit-corpus", type=int, help="cut the corpus to N passages, keeping the judged ones")
    ap.add_argument("--repeats", type=int, default=5, help="random 2-fold splits to average (default 5)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2, help="embedding threads (default 2)")
    ap.add_argument("--no-cache", action="store_true", help="do not read or write var/eval-cache")
    ap.add_argument("--no-analysers", action="store_true", help="skip the analyser variants")
    ap.add_argument(
        "--analyser", choices=sorted(ANALYSERS), default="current", help="run everything with this analyser"
    )
    args = ap.parse_args(argv)

    data = subset(load_beir(args.directory), args.limit_queries, args.limit_corpus, args.seed)
    if not data.queries:
        print(f"{args.directory}: no query has a relevant passage", file=sys.stderr)
        return 2
    embedder = CachedEmbedder(lambda: load_e5(args.threads), None if args.no_cache else CACHE)
    report = evaluate(
        data,
        embedder,
        repeats=args.repeats,
        seed=args.seed,
        with_analysers=not args.no_analysers,
        analyse=args.analyser,
        log=lambda s: print(s, file=sys.stderr),
    )
    print_report(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(markdown(report, str(args.directory)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
