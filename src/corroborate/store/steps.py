"""The pipeline's writes: new articles in, finished stories out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from corroborate.model import Article
from corroborate.pipeline.base import RunContext, Step, StoryBundle

# Articles are written in transactions of this many: large enough to amortise the
# commit, small enough that an interrupted run keeps most of its work.
WRITE_BATCH = 200


class PersistArticlesStep(Step):
    name = "persist"
    needs = frozenset({"text", "sentences", "entities", "quotes", "embedding"})
    provides = frozenset({"stored"})

    def run(self, items: Iterable[Article], ctx: RunContext) -> Iterator[Article]:
        pending: list[Article] = []
        for article in items:
            pending.append(article)
            if len(pending) >= WRITE_BATCH:
                ctx.store.put_articles(pending)
                yield from pending
                pending = []
        if pending:
            ctx.store.put_articles(pending)
            yield from pending


class SaveStoriesStep(Step):
    name = "save-stories"
    needs = frozenset({"summary"})
    provides = frozenset({"saved"})

    def run(self, items: Iterable[StoryBundle], ctx: RunContext) -> Iterator[StoryBundle]:
        for bundle in items:
            ctx.store.put_story_analysis(bundle.story)
            # Story analysis adds quality flags (machine-translated, truncated, ...).
            ctx.store.set_flags({a.id: a.flags for a in bundle.articles})
            yield bundle
