"""Candidate search over story centroids: which active stories a new article may join.

Placeholder with the final interface (exact search over a numpy matrix); the
approximate faiss index replaces the internals, not the interface.
"""

from __future__ import annotations

from typing import Any

import numpy as np

Vector = np.ndarray[Any, np.dtype[np.float32]]


class CentroidIndex:
    """Unit-length story centroids by story id; `search` gives the nearest by cosine."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._vectors: dict[str, Vector] = {}

    def __len__(self) -> int:
        return len(self._vectors)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._vectors

    def upsert(self, story_id: str, centroid: Vector) -> None:
        """Add a story or move its centroid (the vector need not be unit length)."""
        norm = float(np.linalg.norm(centroid))
        if norm > 0:
            self._vectors[story_id] = (centroid / norm).astype(np.float32)

    def remove(self, story_id: str) -> None:
        """Forget a story (gone cold, merged away); unknown ids are ignored."""
        self._vectors.pop(story_id, None)

    def search(self, vector: Vector, k: int) -> list[tuple[str, float]]:
        """Up to `k` (story id, cosine) pairs, best first."""
        if not self._vectors or k <= 0:
            return []
        ids = list(self._vectors)
        matrix = np.stack([self._vectors[i] for i in ids])
        scores = matrix @ vector.astype(np.float32)
        top = np.argsort(-scores)[:k]
        return [(ids[i], float(scores[i])) for i in top]
