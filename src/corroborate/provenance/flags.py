"""Article flags that provenance sets: `republished` and `syndicated`.

- `republished`: the target of a directed verbatim edge (an undirected edge's target
  is only the later id, so it says nothing); and an article that tells an unnamed
  source's words as given to another outlet ("a senior official told the Guardian",
  see `attribution._first_hand`) while its own, known outlet is a different one: the
  words were that outlet's reporting.
- `syndicated`: both ends of a syndicated edge, and every article that credits its
  copy to another outlet or says it comes from an agency feed.

Flags the cleaning step already set are kept and never repeated (`Article.add_flag`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from corroborate.model import Article, ProvenanceEdge, ProvenanceKind
from corroborate.provenance.attribution import ArticleCues

REPUBLISHED = "republished"
SYNDICATED = "syndicated"


def apply_flags(
    articles: Sequence[Article], edges: Iterable[ProvenanceEdge],
    cues: Mapping[str, ArticleCues],
) -> None:
    by_id = {article.id: article for article in articles}
    for edge in edges:
        if edge.kind is ProvenanceKind.VERBATIM and edge.directed and edge.target in by_id:
            by_id[edge.target].add_flag(REPUBLISHED)
        elif edge.kind is ProvenanceKind.SYNDICATED:
            for end in (edge.source, edge.target):
                if end in by_id:
                    by_id[end].add_flag(SYNDICATED)
    for article in articles:
        article_cues = cues[article.id]
        if article_cues.carries_wire_copy:
            article.add_flag(SYNDICATED)
        if relays_other_outlet(article, article_cues):
            article.add_flag(REPUBLISHED)


def relays_other_outlet(article: Article, cues: ArticleCues) -> bool:
    """A first-hand "told <Outlet>" in an article whose own outlet is another one.

    Own-outlet mentions were already dropped by `read_cues`, so any first-hand "told"
    left names a different outlet.
    """
    return bool(article.outlet) and any(a.own_voice for a in cues.attributions)
