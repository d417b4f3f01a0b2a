"""The provenance step: copies and credits between the batch's new articles and the
whole store, persisted as edges; copy flags updated on both sides.

This first version compares the new articles with every stored article, which is fine
for a laptop-sized store; the persisted MinHash/LSH index of issue 4 makes it
incremental.
"""

from __future__ import annotations

from corroborate.model import Article
from corroborate.pipeline.base import CorpusStep, RunContext
from corroborate.provenance import find_provenance


class ProvenanceStep(CorpusStep):
    name = "provenance"
    needs = frozenset({"text", "sentences", "entities", "stored"})
    provides = frozenset({"provenance", "flags"})

    def process_all(self, articles: list[Article], ctx: RunContext) -> list[Article]:
        if not articles:
            return articles
        store = ctx.store
        new_ids = {a.id for a in articles}
        stored = store.get_articles([i for i in store.article_ids() if i not in new_ids])
        flags_before = {a.id: list(a.flags) for a in stored}
        result = find_provenance(articles + stored)
        edges = [e for e in result.edges if e.source in new_ids or e.target in new_ids]
        store.put_edges(edges)
        changed = {a.id: a.flags for a in articles}
        changed.update({a.id: a.flags for a in stored if a.flags != flags_before[a.id]})
        store.set_flags(changed)
        ctx.count("provenance.edges", len(edges))
        return articles
