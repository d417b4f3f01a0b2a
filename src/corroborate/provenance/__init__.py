"""Provenance: who copied whom, and which outlets each article credits.

`find_provenance` is the entry point. It reads each article's attribution cues, finds
exact and near-duplicate texts (`duplicates`), then reworded copies that shingles miss
(`paraphrase`), aligns each copy with its source passage by passage (`passages`),
orients every copy edge (`direction`), adds `attributed` edges to external
`outlet:<Name>` nodes (`attribution`), sets the `republished` / `syndicated` flags
(`flags`) and groups copies into families (`families`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
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
from corroborate.provenance.families import UnionFind, source_families
from corroborate.provenance.flags import REPUBLISHED, SYNDICATED, apply_flags
from corroborate.provenance.paraphrase import ParaphraseMatch, find_paraphrases
from corroborate.provenance.passages import (
    Alignment,
    SentencePair,
    align_passages,
    build_alignment,
    sentence_units,
)

__all__ = [
    "EXTERNAL_PREFIX",
    "REPUBLISHED",
    "SYNDICATED",
    "Alignment",
    "ArticleCues",
    "Attribution",
    "ProvenanceResult",
    "align_passages",
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


def find_provenance(
    articles: list[Article], *, focus: Collection[str] | None = None,
) -> ProvenanceResult:
    """Find copies and attributions among cleaned articles; flags them in place.

    Paraphrase detection reads `Article.embedding` and `Article.entities` to choose
    candidate pairs, and embeds the sentences of those candidates. With `focus` (ids),
    it only compares pairs that involve one of those articles: a step that adds a
    batch to a store passes the batch's ids, so stored pairs are not compared again.
    """
    _check_unique_ids(articles)
    ids = [article.id for article in articles]
    cues = {article.id: read_cues(article) for article in articles}
    scan = find_copies(articles, cues)
    copy_edges = _copy_edges(scan, cues)
    joined = UnionFind(ids)
    for edge in copy_edges:
        joined.union(edge.source, edge.target)
    proposed = [(scan.groups[one][0].id, scan.groups[two][0].id) for one, two in scan.reworded]
    matches = find_paraphrases(articles, joined, proposed=proposed, focus=focus)
    copy_edges += [_paraphrase_edge(match, cues) for match in matches]
    copy_edges.sort(key=lambda e: (e.source, e.target))
    attributed = [edge for article in articles
                  for edge in attribution_edges(article.id, cues[article.id])]
    apply_flags(articles, copy_edges, cues)
    families = source_families(ids, copy_edges)
    return ProvenanceResult(edges=copy_edges + attributed, families=families)


def _copy_edges(scan: CopyScan, cues: Mapping[str, ArticleCues]) -> list[ProvenanceEdge]:
    originals = [pick_original(group, cues) for group in scan.groups]
    edges: list[ProvenanceEdge] = []
    for group, original in zip(scan.groups, originals, strict=True):
        # A star from the likely original, not every pair: a wire story copied by
        # n sites gives n - 1 edges, not n^2 / 2.
        for member in group:
            if member is not original:
                # Identical texts: syndicated when they carry agency copy, as in duplicates.
                wire = cues[original.id].carries_wire_copy or cues[member.id].carries_wire_copy
                kind = ProvenanceKind.SYNDICATED if wire else ProvenanceKind.VERBATIM
                edges.append(_text_edge(original, member, kind, cues))
    for match in scan.matches:
        one, two = originals[match.first], originals[match.second]
        edges.append(_text_edge(one, two, match.kind, cues))
    return edges


def _text_edge(
    one: Article, two: Article, kind: ProvenanceKind, cues: Mapping[str, ArticleCues],
) -> ProvenanceEdge:
    """A copy edge found from shared words: passages aligned by word bigrams."""
    alignment = align_passages(one, two)
    way = orient(one, two, cues, alignment=alignment,
                 paraphrase=kind is ProvenanceKind.PARAPHRASE)
    if way.source is not one:
        alignment = align_passages(two, one)
    return _edge(way.source, way.target, kind, alignment, way.directed, way.evidence)


def _paraphrase_edge(match: ParaphraseMatch, cues: Mapping[str, ArticleCues]) -> ProvenanceEdge:
    """A copy edge found from shared meaning: passages are the paired sentences."""
    first, second = match.first, match.second
    first_units, second_units = sentence_units(first), sentence_units(second)
    alignment = build_alignment(first, second, first_units, second_units, match.pairs)
    way = orient(first, second, cues, alignment=alignment, paraphrase=True)
    if way.source is not first:
        flipped = [SentencePair(p.target, p.source, p.similarity) for p in match.pairs]
        alignment = build_alignment(second, first, second_units, first_units, flipped)
    evidence = (f"{len(match.pairs)} sentences reworded one to one "
                f"({match.share:.0%} of the shorter article); {way.evidence}")
    return _edge(way.source, way.target, ProvenanceKind.PARAPHRASE, alignment, way.directed,
                 evidence)


def _edge(
    source: Article, target: Article, kind: ProvenanceKind, alignment: Alignment,
    directed: bool, evidence: str,
) -> ProvenanceEdge:
    # `overlap` is the share of the derived text that comes from the source. With no
    # known derived side, the larger share, which does not depend on id order.
    overlap = alignment.target_coverage
    if not directed:
        overlap = max(overlap, alignment.source_coverage)
    return ProvenanceEdge(source=source.id, target=target.id, kind=kind,
                          overlap=round(overlap, 3), directed=directed, evidence=evidence,
                          passages=alignment.passages)


def _check_unique_ids(articles: Sequence[Article]) -> None:
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            raise UsageError(f"article id {article.id!r} occurs twice: provenance needs "
                             "unique ids (deduplicate the input or re-number it)")
        seen.add(article.id)
