"""The summary step: a neutral extractive summary per story, every sentence cited."""

from __future__ import annotations

from corroborate.analyse.sentences import build_sentence_table
from corroborate.pipeline.base import RunContext, StoryBundle, StoryStep
from corroborate.summarise.extractive import summarise


class SummariseStep(StoryStep):
    name = "summarise"
    needs = frozenset({"facts"})
    provides = frozenset({"summary"})

    def process_story(self, bundle: StoryBundle, ctx: RunContext) -> StoryBundle:
        # The analysis step leaves its sentence table on the bundle (embeddings are
        # the expensive part); rebuild it only when this step runs on its own.
        table = bundle.table or build_sentence_table(bundle.articles)
        bundle.story.summary = summarise(table, bundle.story.facts, bundle.families)
        return bundle
