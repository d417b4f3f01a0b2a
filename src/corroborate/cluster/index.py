"""Candidate search over story centroids: which active stories a new article may join.

`CentroidIndex` keeps every story's current unit centroid in one contiguous matrix
(rows 0..n-1, a removed row is filled by the last one, so memory follows the live
stories). Below `EXACT_MAX` stories, a search is one matrix-vector product. From
there on, a faiss HNSW graph (inner product) proposes candidates, and their cosines
are computed exactly from the matrix: the graph only has to find the right stories,
never to score them.

HNSW cannot delete or move a vector, and centroids move with every article, so:
- a moved centroid is re-inserted only when it has drifted from the copy in the graph
  (cosine < REINDEX_COSINE); until then the old copy stands in for it. A story's
  centroid moves by ~1/n of its distance to each new article, so after its first few
  articles a story is rarely re-inserted;
- a removed story's graph entries become tombstones (their labels map to no row);
- when stale copies and tombstones outnumber the live stories (and REBUILD_MIN), the
  graph is rebuilt from the matrix in one bulk insert, so the graph stays under twice
  the live stories plus REBUILD_MIN, whatever the number of stories ever seen.
"""

from __future__ import annotations

from array import array
from typing import Any

import faiss
import numpy as np

Vector = np.ndarray[Any, np.dtype[np.float32]]

# Where the graph starts paying: measured on this repository's 2-core machine with a
# stream-like workload (per article one search for 8 candidates, then a new story that
# retires the oldest, or a moved centroid; clustered 384-d centroids), ms per article:
#   stories   2k    4k    8k    16k   32k
#   exact     0.31  0.53  0.91  1.75  3.40
#   graph     0.57  0.68  0.69  0.83  0.84   (recall@10 after the churn: 1.000)
# faiss IVF-Flat (remove_ids and re-add, 8 or 16 lists probed) reached recall 0.99 too
# but took 0.7-10 ms per article, needs training, and its lists go stale as topics
# drift; HNSW it is.
EXACT_MAX = 6_000
# Graph shape: 32 links per node, 40 candidates while inserting, 64 while searching.
# With the exact re-ranking below, recall@10 is 1.000 on clustered 384-d centroids
# (above; tests/test_cluster_index.py pins >= 0.95 on 20k). 16 links search faster but
# lose recall on hard inputs: on 20k uniform random vectors, 0.23 against 0.44.
HNSW_LINKS = 32
EF_CONSTRUCTION = 40
EF_SEARCH = 64
# The graph is asked for this many times `k` entries: a story may appear under its
# stale copies too, and the exact re-ranking needs a margin to reorder.
CANDIDATE_FACTOR = 4
MIN_CANDIDATES = 32
# A centroid is re-inserted in the graph when its cosine to the copy there drops below
# this; until then, the copy finds the story and the matrix scores it.
REINDEX_COSINE = 0.98
# Stale copies and tombstones tolerated before a rebuild, beyond the live count.
REBUILD_MIN = 1_024
_INITIAL_ROWS = 256


class CentroidIndex:
    """Unit-length story centroids by story id; `search` gives the nearest by cosine.

    `exact_max` is the story count from which the HNSW graph is used (tests set it low
    to exercise the graph on small inputs).
    """

    def __init__(self, dim: int, *, exact_max: int = EXACT_MAX) -> None:
        self.dim = dim
        self.exact_max = exact_max
        self._ids: list[str] = []
        self._row_of: dict[str, int] = {}
        self._matrix: Vector = np.zeros((_INITIAL_ROWS, dim), dtype=np.float32)
        self._graph: _Graph | None = None

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._row_of

    @property
    def rows(self) -> int:
        """Rows allocated for centroids (at most 4x the live stories, or the minimum)."""
        return int(self._matrix.shape[0])

    @property
    def graph_size(self) -> int:
        """Vectors in the HNSW graph, stale copies and tombstones included (0: exact)."""
        return 0 if self._graph is None else self._graph.size

    def upsert(self, story_id: str, centroid: Vector) -> None:
        """Add a story or move its centroid (the vector need not be unit length).

        A zero vector is ignored: it has no direction to compare."""
        unit = _unit(centroid)
        if unit is None:
            return
        row = self._row_of.get(story_id)
        if row is None:
            row = self._append(story_id, unit)
            if self._graph is not None:
                self._graph.insert(row, unit)
        else:
            self._matrix[row] = unit
            if self._graph is not None:
                self._graph.follow(row, unit)
        self._maintain()

    def remove(self, story_id: str) -> None:
        """Forget a story (gone cold, merged away); unknown ids are ignored."""
        row = self._row_of.pop(story_id, None)
        if row is None:
            return
        last = len(self._ids) - 1
        if self._graph is not None:
            self._graph.forget(row)
        if row != last:
            # The last row fills the hole, so rows 0..n-1 stay the live stories.
            moved = self._ids[last]
            self._matrix[row] = self._matrix[last]
            self._ids[row] = moved
            self._row_of[moved] = row
            if self._graph is not None:
                self._graph.renumber(last, row)
        self._ids.pop()
        self._shrink()
        self._maintain()

    def search(self, vector: Vector, k: int) -> list[tuple[str, float]]:
        """Up to `k` (story id, cosine) pairs, best first."""
        query = _unit(vector)
        if query is None or k <= 0 or not self._ids:
            return []
        if self._graph is None:
            rows = np.arange(len(self._ids))
            matrix = self._matrix[: len(self._ids)]
        else:
            rows = self._graph.candidates(query, max(k * CANDIDATE_FACTOR, MIN_CANDIDATES))
            matrix = self._matrix[rows]
        # einsum, not `@`: `@` hands a matrix-vector product to the BLAS, whose threads
        # wait for each other when the cores are busy (8k stories, other work running
        # on this 2-core machine: 11 ms with `@` and 2 BLAS threads, 0.7 ms here).
        scores = np.einsum("ij,j->i", matrix, query)
        if len(rows) > k:
            best = np.argpartition(-scores, k - 1)[:k]
            rows, scores = rows[best], scores[best]
        order = np.argsort(-scores, kind="stable")
        return [(self._ids[int(rows[i])], float(scores[i])) for i in order]

    # -- storage ----------------------------------------------------------------------

    def _append(self, story_id: str, unit: Vector) -> int:
        row = len(self._ids)
        if row == self._matrix.shape[0]:
            grown = np.zeros((2 * row, self.dim), dtype=np.float32)
            grown[:row] = self._matrix
            self._matrix = grown
        self._matrix[row] = unit
        self._ids.append(story_id)
        self._row_of[story_id] = row
        return row

    def _shrink(self) -> None:
        """Halve the matrix when a quarter of it is used: removals free memory."""
        rows = self._matrix.shape[0]
        if rows > _INITIAL_ROWS and len(self._ids) <= rows // 4:
            self._matrix = self._matrix[: rows // 2].copy()

    def _maintain(self) -> None:
        """Switch between exact and graph search, and rebuild a graph full of garbage."""
        live = len(self._ids)
        if self._graph is None:
            if live >= self.exact_max and live > 0:
                self._graph = _Graph.build(self._matrix[:live])
        elif live == 0 or live < self.exact_max // 2:
            # Back to exact search (the graph freed) only at half the switch, so a
            # count hovering around it does not build the graph again and again.
            self._graph = None
        elif self._graph.size - live > max(live, REBUILD_MIN):
            self._graph = _Graph.build(self._matrix[:live])


class _Graph:
    """A faiss HNSW graph over matrix rows, with stale copies and tombstones.

    faiss numbers vectors by insertion (labels 0, 1, 2, ...); `_row_of_label` maps a
    label to the matrix row it stands for (-1: tombstone), and `_labels_of_row` lists
    a row's labels, the newest last.
    """

    def __init__(self, dim: int) -> None:
        self.index = faiss.IndexHNSWFlat(dim, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
        self.index.hnsw.efConstruction = EF_CONSTRUCTION
        self._row_of_label = array("q")
        self._labels_of_row: dict[int, list[int]] = {}

    @classmethod
    def build(cls, vectors: Vector) -> _Graph:
        graph = cls(int(vectors.shape[1]))
        graph.index.add(np.ascontiguousarray(vectors))
        graph._row_of_label.extend(range(len(vectors)))
        graph._labels_of_row = {row: [row] for row in range(len(vectors))}
        return graph

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    def insert(self, row: int, unit: Vector) -> None:
        label = self.size
        self.index.add(unit.reshape(1, -1))
        self._row_of_label.append(row)
        self._labels_of_row.setdefault(row, []).append(label)

    def follow(self, row: int, unit: Vector) -> None:
        """The row's centroid moved: re-insert it if it drifted from its newest copy."""
        labels = self._labels_of_row.get(row)
        if labels:
            copy = self.index.reconstruct(labels[-1])
            if float(copy @ unit) >= REINDEX_COSINE:
                return
        self.insert(row, unit)

    def forget(self, row: int) -> None:
        for label in self._labels_of_row.pop(row, []):
            self._row_of_label[label] = -1

    def renumber(self, old_row: int, new_row: int) -> None:
        labels = self._labels_of_row.pop(old_row, [])
        for label in labels:
            self._row_of_label[label] = new_row
        self._labels_of_row[new_row] = labels

    def candidates(self, query: Vector, wanted: int) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Distinct live rows among the graph's `wanted` nearest entries."""
        self.index.hnsw.efSearch = max(EF_SEARCH, wanted)
        _, labels = self.index.search(query.reshape(1, -1), wanted)
        found = labels[0][labels[0] >= 0]
        rows = np.frombuffer(self._row_of_label, dtype=np.int64)[found]
        return np.unique(rows[rows >= 0])


def _unit(vector: Any) -> Vector | None:
    arr = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(arr))
    return (arr / norm).astype(np.float32) if norm > 0 else None
