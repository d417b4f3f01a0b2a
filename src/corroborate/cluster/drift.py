"""Has a story drifted into two? Find its best cut in two, and say whether it is clear.

An online clusterer can chain two events: an article about the second joins the first
story on shared names, and the second event's later articles follow it. The story then
holds two groups of articles, each close inside and far from the other. `find_split`
looks for that cut on the story's own articles:

1. article-to-article similarity (`SplitPolicy.similarity`): by default
   `pairwise_similarity`, VECTOR_WEIGHT x cosine of the lead vectors plus
   ENTITY_WEIGHT x Jaccard of the named entities; the clustering step passes the
   clusterer's own pairwise join probability, which tells two similar events apart
   far better (see `corroborate.cluster.step`);
2. the best balanced cut: spectral bisection (the Fiedler vector of the normalised
   graph Laplacian), swept for the lowest normalised cut among cuts whose parts are
   both substantial (`min_part`, `min_part_share`). Average-link's top cut would
   mostly peel one odd article off, which is no split at all;
3. the cut is kept only when it is clear: mean similarity across it at most
   `max_between`, and each part's mean inside similarity above it by `min_gap`;
4. a story larger than `max_sample` is judged on `max_sample` of its articles spread
   evenly over its publication order (the similarity is quadratic); the others go to
   the part whose lead-vector centroid is closer;
5. a source family (an original and its copies) is never cut: each goes whole to the
   side holding most of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from corroborate.cluster.online import entity_keys
from corroborate.model import Article

Matrix = np.ndarray[Any, np.dtype[np.float64]]
# Articles -> their similarity matrix (symmetric, n x n).
ArticleSimilarity = Callable[[Sequence[Article]], Matrix]

VECTOR_WEIGHT = 0.65
ENTITY_WEIGHT = 1.0 - VECTOR_WEIGHT

# For the default similarity. Tuned with bench/story_maintenance.py on ECB+ train
# (numbers there): on this similarity the two events of a topic look as alike across
# as inside (separation under 0.06 in every story, mixed or not), so these only let a
# split through when two groups share almost nothing; the demo corpus has none.
SPLIT_MIN_ARTICLES = 6
SPLIT_MIN_PART = 3
SPLIT_MIN_PART_SHARE = 0.2
SPLIT_MAX_BETWEEN = 0.30
SPLIT_MIN_GAP = 0.15
# Articles a split is judged on (the similarity matrix is quadratic in them).
SPLIT_MAX_SAMPLE = 80


def pairwise_similarity(articles: Sequence[Article]) -> Matrix:
    """Article-by-article similarity: lead-vector cosine and entity Jaccard."""
    n = len(articles)
    vectors = _unit_vectors(articles)
    cosine = vectors @ vectors.T if n else np.zeros((0, 0))
    return VECTOR_WEIGHT * cosine + ENTITY_WEIGHT * _entity_jaccard(articles)


@dataclass(frozen=True, slots=True)
class SplitPolicy:
    min_articles: int = SPLIT_MIN_ARTICLES
    min_part: int = SPLIT_MIN_PART
    min_part_share: float = SPLIT_MIN_PART_SHARE
    max_between: float = SPLIT_MAX_BETWEEN
    min_gap: float = SPLIT_MIN_GAP
    max_sample: int = SPLIT_MAX_SAMPLE
    similarity: ArticleSimilarity = pairwise_similarity

    def min_size(self, n: int) -> int:
        return max(self.min_part, math.ceil(self.min_part_share * n))


@dataclass(frozen=True, slots=True)
class SplitPlan:
    """A clear cut: article ids of the larger and the smaller part, each part's mean
    inside similarity and the mean similarity across (on the articles judged)."""

    larger: tuple[str, ...]
    smaller: tuple[str, ...]
    within: tuple[float, float]
    between: float

    @property
    def separation(self) -> float:
        """How much closer each part is inside than across (the weaker part counts)."""
        return min(self.within) - self.between

    def describe(self) -> str:
        return (f"{len(self.larger)} + {len(self.smaller)} articles; similarity inside "
                f"{self.within[0]:.2f} and {self.within[1]:.2f}, across {self.between:.2f}")


def find_split(articles: Sequence[Article], families: Sequence[Sequence[str]] = (),
               policy: SplitPolicy | None = None) -> SplitPlan | None:
    """The clear two-way cut of `articles` (in publication order), or None; see the
    module doc. Of two parts the same size, the one with the earliest article counts
    as the larger (it keeps the story's id)."""
    rules = policy or SplitPolicy()
    n = len(articles)
    if n < max(rules.min_articles, 2 * rules.min_part):
        return None
    picked = _evenly(n, rules.max_sample)
    similarity = rules.similarity([articles[i] for i in picked])
    cut = _best_cut(similarity, rules.min_size(len(picked)))
    if cut is None:
        return None
    within_a, within_b, between = _separation(similarity, cut)
    if between > rules.max_between or min(within_a, within_b) - between < rules.min_gap:
        return None
    side = cut if len(picked) == n else _extend(articles, picked, cut)
    ids = [a.id for a in articles]
    side = _keep_families_whole(side, ids, families)
    a, b = np.flatnonzero(side), np.flatnonzero(~side)
    if min(len(a), len(b)) < rules.min_size(n):
        return None
    if len(b) > len(a) or (len(b) == len(a) and min(b) < min(a)):
        a, b, within_a, within_b = b, a, within_b, within_a
    return SplitPlan(tuple(ids[i] for i in a), tuple(ids[i] for i in b),
                     (within_a, within_b), between)


def _evenly(n: int, most: int) -> list[int]:
    """Up to `most` indices of 0..n-1, spread evenly (all of them when n <= most)."""
    if n <= most:
        return list(range(n))
    return sorted({round(i * (n - 1) / (most - 1)) for i in range(most)})


def _unit_vectors(articles: Sequence[Article]) -> Matrix:
    dim = next((len(a.embedding) for a in articles if a.embedding is not None), 1)
    vectors = np.zeros((len(articles), dim), dtype=np.float64)
    for i, article in enumerate(articles):
        if article.embedding is not None:
            v = np.asarray(article.embedding, dtype=np.float64)
            norm = float(np.linalg.norm(v))
            if norm > 0:
                vectors[i] = v / norm
    return vectors


def _extend(articles: Sequence[Article], picked: list[int], cut: np.ndarray) -> np.ndarray:
    """The sample's cut carried to every article: each unsampled one goes to the part
    whose lead-vector centroid is closer."""
    vectors = _unit_vectors(articles)
    sample = vectors[picked]
    centroids = np.stack([sample[cut].mean(axis=0), sample[~cut].mean(axis=0)])
    side: np.ndarray = (vectors @ centroids.T).argmax(axis=1) == 0
    side[picked] = cut
    return side


def _entity_jaccard(articles: Sequence[Article]) -> Matrix:
    key_sets = [entity_keys(a) for a in articles]
    vocabulary = {k: i for i, k in enumerate(sorted(set().union(*key_sets)))}
    incidence = np.zeros((len(articles), max(1, len(vocabulary))), dtype=np.float64)
    for row, keys in enumerate(key_sets):
        for key in keys:
            incidence[row, vocabulary[key]] = 1.0
    shared = incidence @ incidence.T
    sizes = incidence.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - shared
    jaccard: Matrix = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    return jaccard


def _best_cut(similarity: Matrix, min_size: int) -> np.ndarray | None:
    """A boolean side per article: the lowest normalised cut along the Fiedler order
    with both sides at least `min_size` (None when no such cut exists)."""
    n = len(similarity)
    if n < 2 * min_size:
        return None
    affinity = np.clip(similarity, 0.0, None)
    np.fill_diagonal(affinity, 0.0)
    degree = affinity.sum(axis=1) + 1e-9
    scale = 1.0 / np.sqrt(degree)
    laplacian = np.eye(n) - scale[:, None] * affinity * scale[None, :]
    _, vectors = np.linalg.eigh(laplacian)
    order = np.argsort(vectors[:, 1] * scale, kind="stable")
    total = float(degree.sum())
    into_prefix = np.zeros(n)  # each article's affinity to the prefix so far
    cut = volume = 0.0
    best_score, best_k = math.inf, -1
    for k, node in enumerate(order[:-1], start=1):
        cut += degree[node] - 2.0 * into_prefix[node]
        volume += degree[node]
        into_prefix += affinity[:, node]
        if min_size <= k <= n - min_size:
            score = cut / volume + cut / max(total - volume, 1e-9)
            if score < best_score:
                best_score, best_k = score, k
    if best_k < 0:
        return None
    side = np.zeros(n, dtype=bool)
    side[order[:best_k]] = True
    return side


def _keep_families_whole(side: np.ndarray, ids: list[str],
                         families: Sequence[Sequence[str]]) -> np.ndarray:
    position = {article_id: i for i, article_id in enumerate(ids)}
    fixed = side.copy()
    for family in families:
        members = [position[a] for a in family if a in position]
        if len(members) < 2:
            continue
        votes = int(side[members].sum())
        fixed[members] = votes * 2 >= len(members)
    return fixed


def _separation(similarity: Matrix, side: np.ndarray) -> tuple[float, float, float]:
    """(mean similarity inside the True part, inside the False part, across)."""
    a, b = np.flatnonzero(side), np.flatnonzero(~side)
    return (_mean_inside(similarity, a), _mean_inside(similarity, b),
            float(similarity[np.ix_(a, b)].mean()))


def _mean_inside(similarity: Matrix, members: np.ndarray) -> float:
    block = similarity[np.ix_(members, members)]
    m = len(members)
    return float((block.sum() - np.trace(block)) / (m * (m - 1))) if m > 1 else 1.0
