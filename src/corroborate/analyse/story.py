"""Story-level steps: gather each touched story's articles, then analyse it.

Analysis reads like a checklist over the stage's helpers: text-quality flags (the
summary reads them), canonical entities, the quote ledger, the sentence table
(embeddings computed once per story), facts, claims, timeline and title. The summary
is its own step (`corroborate.summarise.step`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from corroborate.analyse.claims import find_claims
from corroborate.analyse.entities import build_entity_index, entity_roles
from corroborate.analyse.facts import find_facts
from corroborate.analyse.keywords import main_entities, story_keywords
from corroborate.analyse.ledger import build_ledger
from corroborate.analyse.quotes import story_quotes
from corroborate.analyse.sentences import build_sentence_table
from corroborate.analyse.timeline import build_timeline
from corroborate.analyse.title import story_title
from corroborate.model import Article, ProvenanceEdge, Story
from corroborate.pipeline.base import RunContext, Step, StoryBundle, StoryStep
from corroborate.provenance.families import source_families
from corroborate.provenance.quality import assess_quality

log = logging.getLogger(__name__)


class GatherStoriesStep(Step):
    """Every story an input article of this run belongs to, with all its articles, and
    every other story that is new or changed since its last analysis (the parts of a
    split, a story clustered by `corroborate cluster` or re-clustered).

    It reads the store rather than its input stream, so a run whose inputs were all
    stored already still reports (and refreshes) their stories.
    """

    name = "gather-stories"
    needs = frozenset({"story"})
    provides = frozenset({"story-articles"})

    def run(self, items: Iterable[Article], ctx: RunContext) -> Iterator[StoryBundle]:
        for _ in items:  # drain: the articles are stored, the store is the truth
            pass
        store = ctx.store
        seen = store.get_articles(list(dict.fromkeys(ctx.seen_ids)))
        wanted = [a.story for a in seen if a.story] + store.unanalysed_story_ids()
        for story_id in dict.fromkeys(wanted):
            articles = store.get_articles(store.article_ids(story_id))
            if not articles:
                continue
            ids = {a.id for a in articles}
            edges = [e for e in store.edges_touching(sorted(ids)) if _inside(e, ids)]
            story = Story(id=story_id, article_ids=[a.id for a in articles])
            yield StoryBundle(story, articles, edges, source_families(sorted(ids), edges))


class SaveStoryMetadataStep(Step):
    """Store each analysed story's keywords and main entities, for `corroborate stories`
    (reports derive them from the report's articles, see `report.build`)."""

    name = "save-story-metadata"
    needs = frozenset({"saved"})
    provides = frozenset({"story-metadata"})

    def run(self, items: Iterable[StoryBundle], ctx: RunContext) -> Iterator[StoryBundle]:
        for bundle in items:
            ctx.store.put_story_metadata([(
                bundle.story.id, story_keywords(bundle.articles),
                [m.name for m in main_entities(bundle.story.entities)])])
            yield bundle


def _inside(edge: ProvenanceEdge, ids: set[str]) -> bool:
    """An edge between two of the story's articles, or from an outside credited source."""
    return edge.target in ids and (edge.source in ids or edge.source.startswith("outlet:"))


class AnalyseStoryStep(StoryStep):
    name = "analyse-story"
    needs = frozenset({"story-articles"})
    provides = frozenset({"story-entities", "story-quotes", "quote-ledger", "facts", "claims",
                          "timeline", "title", "sentence-table"})

    def process_story(self, bundle: StoryBundle, ctx: RunContext) -> StoryBundle:
        story, articles = bundle.story, _ordered(bundle.articles)
        _flag_quality(articles, ctx)
        index = build_entity_index(articles)
        table = build_sentence_table(articles)
        story.article_ids = [a.id for a in articles]
        story.entities = index.entities
        story.quotes = story_quotes(articles, index)
        texts = {a.id: a.text for a in articles}
        roles = {e.name: e.roles or entity_roles(e, texts) for e in story.entities}
        story.ledger = build_ledger(story.quotes, articles, roles)
        story.facts = find_facts(table, bundle.families)
        story.claims = find_claims(table, story.facts, story.quotes, bundle.families,
                                   entities=story.entities)
        story.timeline = build_timeline(table)
        story.title = story_title(articles, table)
        story.provenance = bundle.edges
        story.families = bundle.families
        bundle.table = table
        return bundle


def _flag_quality(articles: list[Article], ctx: RunContext) -> None:
    """Add the story's quality flags to its articles (kept, never repeated, when the
    story is analysed again); `SaveStoriesStep` stores them."""
    verdicts = assess_quality(articles)
    for article in articles:
        verdict = verdicts[article.id]
        for flag in verdict.flags:
            if flag not in article.flags:
                article.add_flag(flag)
                ctx.count(f"quality.{flag}")
        if verdict.spin.flagged:
            ctx.count("quality.garbled-names", len(verdict.spin.garbled_names))
            log.info("%s looks machine-translated or spun: %s", article.id,
                     verdict.spin.describe())


def _ordered(articles: list[Article]) -> list[Article]:
    """Publication order, undated last: the order a reader meets the coverage in."""
    return sorted(articles, key=lambda a: (a.published is None, a.published or "", a.id))
