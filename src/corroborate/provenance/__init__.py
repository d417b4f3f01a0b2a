"""Provenance: who copied whom, and which outlets each article credits.

`find_provenance` is the entry point. It reads each article's attribution cues, finds
exact and near-duplicate texts (`duplicates`), orients every copy edge (`direction`),
adds `attributed` edges to external `outlet:<Name>` nodes (`attribution`), sets the
`republished` / `syndicated` flags (`flags`) and groups copies into families
(`families`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from corroborate.errors import UsageError
from corroborate.model import Article, ProvenanceEdge, ProvenanceKind
from corroborate.provenance.attribution import (
    EXTERNAL_PREFIX,
    ArticleCues,
    Attribution,
    attribution_edges,
    read_cues,
)
from corroborate.provenance.direction import orient, pick_original
from corroborate.provenance.duplicates import CopyScan, find_copies
from corroborate.provenance.families import source_families
from corroborate.provenance.flags import REPUBLISHED, SYNDICATED, apply_flags

__all__ = [
    "EXTERNAL_PREFIX",
    "REPUBLISHED",
    "SYNDICATED",
    "ArticleCues",
    "Attribution",
    "ProvenanceResult",
    "find_provenance",
    "read_cues",
    "source_families",
]


@dataclass(slots=True)
class ProvenanceResult:
    """Copy and attribution edges, and the families copies form.

    `families` holds every article id exactly once; members are sorted and families
    are sorted by their first member.
    """

    edges: list[ProvenanceEdge] = field(default_factory=list)
    families: list[list[str]] = field(default_factory=list)


def find_provenance(articles: list[Article]) -> ProvenanceResult:
    """Find copies and attributions among cleaned articles; flags them in place."""
    _check_unique_ids(articles)
    cues = {article.id: read_cues(article) for article in articles}
    copy_edges = _copy_edges(find_copies(articles, cues), cues)
    attributed = [edge for article in articles for edge in attribution_edges(article.id,
                                                                              cues[article.id])]
    apply_flags(articles, copy_edges, cues)
    families = source_families([article.id for article in articles], copy_edges)
    return ProvenanceResult(edges=copy_edges + attributed, families=families)


def _copy_edges(scan: CopyScan, cues: Mapping[str, ArticleCues]) -> list[ProvenanceEdge]:
    originals = [pick_original(group, cues) for group in scan.groups]
    edges: list[ProvenanceEdge] = []
    for group, original in zip(scan.groups, originals, strict=True):
        # A star from the likely original, not every pair: a wire story copied by
        # n sites gives n - 1 edges, not n^2 / 2.
        for member in group:
            if member is not original:
                edges.append(_edge(original, member, ProvenanceKind.VERBATIM, cues, 1.0, 1.0))
    for match in scan.matches:
        one, two = originals[match.first], originals[match.second]
        edges.append(_edge(one, two, match.kind, cues,
                           match.first_in_second, match.second_in_first))
    return sorted(edges, key=lambda e: (e.source, e.target))


def _edge(
    one: Article, two: Article, kind: ProvenanceKind, cues: Mapping[str, ArticleCues],
    one_in_two: float, two_in_one: float,
) -> ProvenanceEdge:
    way = orient(one, two, cues)
    if not way.directed:
        # No derived side: report the larger reuse, which does not depend on id order.
        overlap = max(one_in_two, two_in_one)
    else:
        overlap = two_in_one if way.source is one else one_in_two
    return ProvenanceEdge(source=way.source.id, target=way.target.id, kind=kind,
                          overlap=round(overlap, 3), directed=way.directed,
                          evidence=way.evidence)


def _check_unique_ids(articles: Sequence[Article]) -> None:
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            raise UsageError(f"article id {article.id!r} occurs twice: provenance needs "
                             "unique ids (deduplicate the input or re-number it)")
        seen.add(article.id)
