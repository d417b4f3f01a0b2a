"""Families: articles joined by copy edges, one family per connected component.

An original and all its copies (verbatim, syndicated, paraphrase) form one family, and
every count of independent support counts families, not articles. Only in-corpus copy
edges join articles. An `attributed` edge from an external `outlet:` node does not:
two outlets quoting Reuters are not copies of each other, and two rewrites of the same
news that copy nothing from each other stay two families.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from corroborate.model import ProvenanceEdge, ProvenanceKind

COPY_KINDS = frozenset({
    ProvenanceKind.VERBATIM, ProvenanceKind.SYNDICATED, ProvenanceKind.PARAPHRASE,
})


class UnionFind:
    """Disjoint sets of ids; `find` gives a set's representative (its smallest id)."""

    def __init__(self, items: Iterable[str]) -> None:
        self._parent = {item: item for item in items}

    def __contains__(self, item: str) -> bool:
        return item in self._parent

    def find(self, item: str) -> str:
        root = item
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[item] != root:  # path compression
            self._parent[item], item = root, self._parent[item]
        return root

    def union(self, one: str, two: str) -> None:
        a, b = self.find(one), self.find(two)
        if a != b:
            # The smaller id becomes the root, so results do not depend on edge order.
            self._parent[max(a, b)] = min(a, b)


def source_families(
    article_ids: Sequence[str], edges: Iterable[ProvenanceEdge]
) -> list[list[str]]:
    """Every id in exactly one family; members sorted, families sorted by first member.

    Edges that touch an id not in `article_ids` (an external outlet, an article of
    another story) are ignored.
    """
    sets = UnionFind(article_ids)
    for edge in edges:
        if edge.kind in COPY_KINDS and edge.source in sets and edge.target in sets:
            sets.union(edge.source, edge.target)
    members: dict[str, list[str]] = {}
    for article_id in article_ids:
        members.setdefault(sets.find(article_id), []).append(article_id)
    return sorted((sorted(family) for family in members.values()), key=lambda f: f[0])
