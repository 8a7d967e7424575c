"""The search index: exact BM25 and dense ranking, partitioned by marking, and the property that
makes it safe: what a reader gets is exactly what an index holding only their readable chunks
would give. An unreadable chunk changes no score, no count and no ranking."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

from garrison.core.markings import GROUPS, UNCLASSIFIED, Level, Marking
from garrison.retrieval import index as index_module
from garrison.retrieval.fusion import fuse
from garrison.retrieval.index import Index, IndexRow, Part, Searched, bm25
from garrison.retrieval.text import tokens

DIM = 8
WORDS = ["pump", "valve", "pressure", "filter", "reservoir", "seal", "brake", "leak", "psi", "whine", "accumulator"]


def vec(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def rows_of(specs: list[tuple[str, Marking, str]], start: int = 1) -> tuple[list[IndexRow], np.ndarray]:
    rows = [IndexRow(start + i, doc, "c1", m, text) for i, (doc, m, text) in enumerate(specs)]
    return rows, np.vstack([vec(r.chunk_id) for r in rows])


def same(a: Searched, b: Searched) -> bool:
    """Equal rankings; scores equal up to float rounding (BLAS sums in a shape-dependent order)."""
    return (
        a.readable_chunks == b.readable_chunks
        and a.lexical.ids == b.lexical.ids
        and a.dense.ids == b.dense.ids
        and np.allclose(a.lexical.scores, b.lexical.scores, rtol=1e-5, atol=1e-6)
        and np.allclose(a.dense.scores, b.dense.scores, rtol=1e-5, atol=1e-6)
    )


def reader(clearance: Level, nationality: str, caveats: frozenset[str] = frozenset()):  # type: ignore[no-untyped-def]
    return lambda m: m.readable_by(clearance, nationality, caveats)


SECRET_US = Marking(Level.SECRET, frozenset({"USA", "GBR"}))
NATO_R = Marking(Level.RESTRICTED, GROUPS["NATO"])


def test_tokens_fold_case_accents_plurals_and_keep_part_numbers() -> None:
    assert tokens("Pompes hydrauliques: pièce P/N 66-1234") == [
        "pompe", "hydra", "piece", "p/n", "p", "n", "66-1234", "66", "1234",
    ]  # fmt: skip
    assert "the" not in tokens("the pump") and tokens("Pressure pressurisation pression") == ["press"] * 3
    assert tokens("HP-62140-3 HT2291") == ["hp-62140-3", "hp", "62140", "3", "ht2291"]  # codes never cut


def test_bm25_ranks_the_chunk_with_the_rare_term_first() -> None:
    index = Index(DIM)
    rows, vecs = rows_of([
        ("d1", UNCLASSIFIED, "pump pump pressure"),
        ("d2", UNCLASSIFIED, "pump whine cavitation"),
        ("d3", UNCLASSIFIED, "brake wear"),
    ])  # fmt: skip
    index.add(rows, vecs)
    found = index.search(["c1"], lambda m: True, terms=tokens("pump whine"), vector=None, depth=10)
    assert found.lexical.ids[0] == 2 and 3 not in found.lexical.ids
    assert found.readable_chunks == 3


def test_dense_search_is_exact_cosine() -> None:
    index = Index(DIM)
    rows, vecs = rows_of([("d", UNCLASSIFIED, f"text {i}") for i in range(50)])
    index.add(rows, vecs)
    q = vec(7)
    found = index.search(["c1"], lambda m: True, terms=[], vector=q, depth=5)
    expected = np.argsort(-(vecs @ q))[:5] + 1
    assert found.dense.ids == [int(i) for i in expected]
    assert abs(found.dense.scores[0] - float(vecs[expected[0] - 1] @ q)) < 1e-6


def test_the_dense_product_split_over_two_threads_gives_the_same_scores_row_by_row() -> None:
    """Over SPLIT_ROWS rows, half the product runs on a helper thread (one part may be cut in two):
    each part's scores are exactly those of ``vectors @ q`` done in one go, so rankings cannot move."""
    rng = np.random.default_rng(3)
    sizes = [7_000, 13_001, 1, 9_999, 12_345]  # 42,346 rows: the cut falls inside the third part
    assert sum(sizes) >= index_module.SPLIT_ROWS
    parts = []
    start = 1
    for n in sizes:
        rows = [IndexRow(start + i, f"d{start}", "c1", UNCLASSIFIED, "x") for i in range(n)]
        vectors = rng.standard_normal((n, 384), dtype=np.float32)
        parts.append(Part.build(rows, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)))
        start += n
    q = rng.standard_normal(384, dtype=np.float32)
    with threadpool_limits(limits=1, user_api="blas"):  # as the server runs it (app.single_threaded_blas)
        split = index_module._products(parts, q)
        whole = [p.vectors @ q for p in parts]
        found = index_module.nearest(parts, q, 10)
    assert [len(s) for s in split] == sizes
    assert all(np.array_equal(got, one) for got, one in zip(split, whole, strict=True))
    everything = np.concatenate(whole)
    assert found.ids == [int(i) + 1 for i in np.argsort(-everything)[:10]]


def test_a_reader_sees_only_readable_segments_and_counts_only_them() -> None:
    index = Index(DIM)
    rows, vecs = rows_of([
        ("open", UNCLASSIFIED, "pump pressure low"),
        ("secret", SECRET_US, "pump pressure low secret defect"),
        ("nato", NATO_R, "pump pressure pooling"),
    ])  # fmt: skip
    index.add(rows, vecs)
    asked: list[Marking] = []

    def italian(m: Marking) -> bool:
        asked.append(m)
        return m.readable_by(Level.RESTRICTED, "ITA", frozenset())

    found = index.search(["c1"], italian, terms=tokens("pump defect"), vector=vec(1), depth=10)
    assert set(found.lexical.ids) <= {1, 3} and set(found.dense.ids) == {1, 3}
    assert found.readable_chunks == 2
    assert sorted(asked, key=str) == sorted([UNCLASSIFIED, SECRET_US, NATO_R], key=str)  # once per marking


def test_other_collections_are_never_touched() -> None:
    index = Index(DIM)
    rows, vecs = rows_of([("a", UNCLASSIFIED, "pump")])
    index.add(rows, vecs)
    index.add([IndexRow(99, "b", "c2", UNCLASSIFIED, "pump")], vec(99)[None, :])
    found = index.search(["c1"], lambda m: True, terms=["pump"], vector=vec(3), depth=10)
    assert found.lexical.ids == [1] and found.dense.ids == [1]


def test_deleted_documents_leave_scores_and_statistics_exactly_as_if_never_added() -> None:
    specs = [("keep", UNCLASSIFIED, "pump pressure"), ("gone", UNCLASSIFIED, "pump pump seal seal leak")]
    full = Index(DIM)
    rows, vecs = rows_of(specs)
    full.add(rows, vecs)
    full.remove_documents(["gone"])
    only = Index(DIM)
    only.add(rows[:1], vecs[:1])
    q = tokens("pump seal")
    a = full.search(["c1"], lambda m: True, terms=q, vector=vec(5), depth=10)
    b = only.search(["c1"], lambda m: True, terms=q, vector=vec(5), depth=10)
    assert same(a, b) and full.size() == 1


def test_many_small_batches_are_merged_without_changing_results() -> None:
    batched, single = Index(DIM), Index(DIM)
    specs = [(f"d{i}", UNCLASSIFIED, " ".join(WORDS[(i * j) % len(WORDS)] for j in range(1, 6))) for i in range(40)]
    rows, vecs = rows_of(specs)
    for i in range(40):
        batched.add(rows[i : i + 1], vecs[i : i + 1])
    single.add(rows, vecs)
    q = tokens("pump seal leak")
    assert same(
        batched.search(["c1"], lambda m: True, terms=q, vector=vec(2), depth=20),
        single.search(["c1"], lambda m: True, terms=q, vector=vec(2), depth=20),
    )


def test_fusion_rrf_and_convex() -> None:
    lex = bm25([], ["pump"], 10)
    assert lex.ids == []
    from garrison.retrieval.index import Ranked

    a = Ranked([1, 2, 3], [9.0, 5.0, 1.0])
    b = Ranked([3, 1], [0.9, 0.8])
    rrf = fuse(a, b, method="rrf")
    assert [f.id for f in rrf][:2] == [1, 3] and rrf[0].lexical == 9.0 and rrf[0].dense == 0.8
    convex = fuse(a, b, method="convex", weight=1.0)
    assert convex[0].id == 3  # all weight on the dense ranking


# -- the leak property, over random markings and readers ---------------------------------------
NATIONS = ["USA", "GBR", "FRA", "ITA", "DEU"]
markings = st.builds(
    Marking,
    st.sampled_from(list(Level)),
    st.one_of(st.none(), st.frozensets(st.sampled_from(NATIONS), min_size=1, max_size=3)),
    st.frozensets(st.sampled_from(["ATOMAL", "CRYPTO"]), max_size=1),
)
chunks = st.lists(
    st.tuples(markings, st.lists(st.sampled_from(WORDS), min_size=1, max_size=8)), min_size=1, max_size=25
)
readers = st.tuples(st.sampled_from(list(Level)), st.sampled_from(NATIONS), st.frozensets(st.sampled_from(["ATOMAL"])))


@settings(max_examples=150, deadline=None)
@given(chunks, readers, st.lists(st.sampled_from(WORDS), min_size=1, max_size=3), st.integers(0, 10_000))
def test_results_equal_an_index_of_the_readable_chunks_only(
    specs: list[tuple[Marking, list[str]]],
    who: tuple[Level, str, frozenset[str]],
    query: list[str],
    seed: int,
) -> None:
    can_read = reader(*who)
    rows = [IndexRow(i + 1, f"d{i}", "c1", m, " ".join(words)) for i, (m, words) in enumerate(specs)]
    vecs = np.vstack([vec(seed + i) for i in range(len(rows))])
    everything = Index(DIM)
    everything.add(rows, vecs)
    keep = [i for i, r in enumerate(rows) if can_read(r.marking)]
    readable_only = Index(DIM)
    if keep:
        readable_only.add([rows[i] for i in keep], vecs[keep])
    q = vec(seed + 99_999)
    a = everything.search(["c1"], can_read, terms=tokens(" ".join(query)), vector=q, depth=50)
    b = readable_only.search(["c1"], lambda m: True, terms=tokens(" ".join(query)), vector=q, depth=50)
    assert same(a, b)  # same ids, same scores (BM25 statistics included), same count
    assert all(can_read(rows[i - 1].marking) for i in a.lexical.ids + a.dense.ids)
