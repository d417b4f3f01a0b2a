"""The candidate index over story centroids: semantics, exactness, recall, bounded size.

Vectors are random but shaped like story centroids: news stories fall into topics, so
centroids come in loose groups (a topic direction plus a larger own part), and an
article is near its story. Uniform random vectors would not test anything useful: in
384 dimensions they are all nearly orthogonal (cosines ~0 +- 0.05), the "nearest"
is no nearer than the rest, and no index beats a full scan at finding it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from corroborate.cluster.index import EXACT_MAX, REBUILD_MIN, CentroidIndex

DIM = 384
Matrix = np.ndarray[Any, np.dtype[np.float32]]


def unit_rows(x: Matrix) -> Matrix:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def centroids(n: int, rng: np.random.Generator, per_topic: int = 20) -> Matrix:
    topics = unit_rows(rng.standard_normal((max(1, n // per_topic), DIM)))
    own = unit_rows(rng.standard_normal((n, DIM)))
    return unit_rows(topics[rng.integers(0, len(topics), n)] + 0.9 * own)


def near(vectors: Matrix, rng: np.random.Generator, distance: float = 0.5) -> Matrix:
    """Articles of the given stories: each story's centroid moved a little."""
    return unit_rows(vectors + distance * unit_rows(rng.standard_normal(vectors.shape)))


def exact_top(vectors: Matrix, ids: list[str], query: Matrix, k: int) -> list[str]:
    scores = vectors @ (query / np.linalg.norm(query))
    return [ids[i] for i in np.argsort(-scores, kind="stable")[:k]]


def filled(vectors: Matrix, exact_max: int = EXACT_MAX) -> tuple[CentroidIndex, list[str]]:
    index = CentroidIndex(DIM, exact_max=exact_max)
    ids = [f"s-{i}" for i in range(len(vectors))]
    for story_id, vector in zip(ids, vectors, strict=True):
        index.upsert(story_id, vector)
    return index, ids


def test_upsert_moves_and_remove_forgets() -> None:
    rng = np.random.default_rng(1)
    a, b, c = centroids(3, rng)
    index = CentroidIndex(DIM)
    index.upsert("s-a", 3.0 * a)  # not unit length: stored as its direction
    index.upsert("s-b", b)
    assert len(index) == 2 and "s-a" in index and "s-c" not in index
    story_id, cosine = index.search(a, 1)[0]
    assert story_id == "s-a" and cosine == pytest.approx(1.0, abs=1e-5)

    index.upsert("s-a", c)  # the centroid moved
    assert len(index) == 2
    assert index.search(c, 1)[0][0] == "s-a"
    assert index.search(a, 2)[0][1] < 0.99

    index.remove("s-a")
    index.remove("s-unknown")
    assert len(index) == 1 and "s-a" not in index
    assert [s for s, _ in index.search(c, 5)] == ["s-b"]


def test_degenerate_inputs() -> None:
    index = CentroidIndex(DIM)
    assert index.search(np.ones(DIM, dtype=np.float32), 3) == []
    index.upsert("s-zero", np.zeros(DIM, dtype=np.float32))
    assert len(index) == 0
    index.upsert("s-one", np.ones(DIM, dtype=np.float32))
    assert index.search(np.ones(DIM, dtype=np.float32), 0) == []
    assert index.search(np.zeros(DIM, dtype=np.float32), 3) == []


@pytest.mark.parametrize("exact_max", [EXACT_MAX, 0], ids=["exact", "graph"])
def test_small_inputs_give_exactly_the_exact_search(exact_max: int) -> None:
    rng = np.random.default_rng(2)
    vectors = centroids(400, rng)
    index, ids = filled(vectors, exact_max)
    assert (index.graph_size > 0) == (exact_max == 0)
    for query in near(vectors[:40], rng):
        found = index.search(query, 10)
        assert [s for s, _ in found] == exact_top(vectors, ids, query, 10)
        scores = [score for _, score in found]
        assert scores == sorted(scores, reverse=True)
        assert scores[0] == pytest.approx(float(vectors[ids.index(found[0][0])] @ query),
                                          abs=1e-5)


def test_graph_recall_at_10_on_20k_centroids() -> None:
    rng = np.random.default_rng(3)
    vectors = centroids(20_000, rng)
    # The graph is built in one bulk insert at the last upsert (faster than 12k single
    # insertions after EXACT_MAX; the graph is the same kind either way).
    index, ids = filled(vectors, exact_max=len(vectors))
    assert index.graph_size == len(vectors)
    queries = near(vectors[rng.integers(0, len(vectors), 200)], rng)
    hits = 0
    for query in queries:
        found = {s for s, _ in index.search(query, 10)}
        hits += len(found & set(exact_top(vectors, ids, query, 10)))
    assert hits / (10 * len(queries)) >= 0.95


def test_the_graph_comes_at_exact_max_and_goes_at_half_of_it() -> None:
    vectors = centroids(60, np.random.default_rng(6))
    index, ids = filled(vectors[:49], exact_max=50)
    assert index.graph_size == 0
    index.upsert("s-49", vectors[49])
    assert index.graph_size == 50
    for story_id in ids[:24]:  # 26 left: still above half, the graph stays
        index.remove(story_id)
    assert index.graph_size > 0
    index.remove(ids[24])
    index.remove(ids[25])
    assert len(index) == 24 and index.graph_size == 0
    assert [s for s, _ in index.search(vectors[30], 1)] == ["s-30"]


def test_moved_centroids_are_found_at_their_new_place() -> None:
    rng = np.random.default_rng(4)
    vectors = centroids(600, rng)
    index, ids = filled(vectors, exact_max=0)
    # Every story drifts far from where the graph first saw it, a step at a time.
    for _ in range(4):
        vectors = near(vectors, rng, distance=0.3)
        for story_id, vector in zip(ids, vectors, strict=True):
            index.upsert(story_id, vector)
    hits = 0
    for query in near(vectors[:100], rng):
        found = [s for s, _ in index.search(query, 10)]
        hits += len(set(found) & set(exact_top(vectors, ids, query, 10)))
    assert hits / 1000 >= 0.98


def test_removal_frees_memory_over_many_cycles() -> None:
    rng = np.random.default_rng(5)
    index = CentroidIndex(DIM, exact_max=100)
    live: list[str] = []
    pool = centroids(2_000, rng)
    biggest_graph = biggest_rows = 0
    for step in range(6_000):
        story_id = f"s-{step}"
        index.upsert(story_id, pool[step % len(pool)])
        live.append(story_id)
        if len(live) > 300:  # 300 stories live; each new one retires the oldest
            index.remove(live.pop(0))
        if step % 7 == 0:  # and some live story gets an article: its centroid moves
            moved = live[int(rng.integers(len(live)))]
            index.upsert(moved, near(pool[step % len(pool)][None, :], rng)[0])
        biggest_graph = max(biggest_graph, index.graph_size)
        biggest_rows = max(biggest_rows, index.rows)
    assert len(index) == 300
    # Without rebuilds the graph would hold ~6,900 vectors (every insertion and move).
    assert biggest_graph <= 300 + max(300, REBUILD_MIN) + 1
    assert biggest_rows <= 512
    top = index.search(pool[(6_000 - 1) % len(pool)], 1)
    assert top[0][0] == live[-1]

    for story_id in live:
        index.remove(story_id)
    assert len(index) == 0 and index.graph_size == 0 and index.rows == 256
