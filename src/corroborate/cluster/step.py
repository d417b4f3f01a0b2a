"""The clustering step: places the batch's new articles into stored or new stories."""

from __future__ import annotations

from corroborate.cluster.online import OnlineClusterer
from corroborate.model import Article, ProvenanceKind
from corroborate.pipeline.base import CorpusStep, RunContext
from corroborate.store.sqlite import Store

COPY_KINDS = frozenset({ProvenanceKind.VERBATIM, ProvenanceKind.SYNDICATED,
                        ProvenanceKind.PARAPHRASE})


def publication_order(article: Article) -> tuple[bool, str, str]:
    return (article.published is None, article.published or "", article.id)


class ClusterStep(CorpusStep):
    name = "cluster"
    needs = frozenset({"embedding", "entities", "stored", "provenance"})
    provides = frozenset({"story"})

    def process_all(self, articles: list[Article], ctx: RunContext) -> list[Article]:
        store = ctx.store
        clusterer = OnlineClusterer(store.story_states())
        touched: set[str] = set()
        assignments: dict[str, str] = {}
        for article in sorted(articles, key=publication_order):
            if not article.is_english:
                # Stored and reported, but not placed in a story: the story analysis
                # (facts, claims, quotes) reads English only for now.
                ctx.count("cluster.skipped-language")
                continue
            family_story = self._family_story(article, assignments, ctx)
            result = clusterer.assign(article, family_story=family_story)
            article.story = result.story_id
            assignments[article.id] = result.story_id
            touched.add(result.story_id)
            ctx.count("cluster.new-story" if result.new_story else "cluster.joined")
        store.put_story_states(clusterer.states[s] for s in sorted(touched))
        store.assign_story(assignments)
        return articles

    @staticmethod
    def _family_story(article: Article, assigned: dict[str, str],
                      ctx: RunContext) -> str | None:
        """The story of an article this one copies or is copied by, if already placed."""
        store: Store = ctx.store
        for edge in store.edges_touching([article.id]):
            if edge.kind not in COPY_KINDS:
                continue
            other = edge.source if edge.target == article.id else edge.target
            if other in assigned:
                return assigned[other]
            stored = store.get_articles([other])
            if stored and stored[0].story:
                return stored[0].story
        return None
