"""The default pipeline: read -> clean -> enrich -> dedupe/provenance -> cluster ->
analyse story -> summarise -> write."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from corroborate.analyse.story import AnalyseStoryStep, GatherStoriesStep
from corroborate.clean import CleanStep
from corroborate.clean.furniture import SiteFurnitureStep
from corroborate.cluster.step import ClusterStep
from corroborate.enrich.embed import EmbedStep
from corroborate.enrich.entities import EntityStep
from corroborate.enrich.quotes import QuoteStep
from corroborate.enrich.sentences import SentenceStep
from corroborate.ingest.known import IngestStep
from corroborate.ingest.readers import read_paths
from corroborate.model import Article
from corroborate.pipeline.base import RunContext, Step
from corroborate.pipeline.pipeline import Pipeline
from corroborate.provenance.step import ProvenanceStep
from corroborate.store.steps import PersistArticlesStep, SaveStoriesStep
from corroborate.summarise.step import SummariseStep


class ReadStep(Step):
    """Paths in, raw articles out (every reader the `ingest` package knows)."""

    name = "read"
    provides = frozenset({"raw"})

    def run(self, items: Iterable[str], ctx: RunContext) -> Iterator[Article]:
        yield from read_paths(items, ctx)


def default_steps() -> list[Step]:
    return [
        ReadStep(),
        IngestStep(),
        CleanStep(),
        SiteFurnitureStep(),
        SentenceStep(),
        EntityStep(),
        QuoteStep(),
        EmbedStep(),
        PersistArticlesStep(),
        ProvenanceStep(),
        ClusterStep(),
        GatherStoriesStep(),
        AnalyseStoryStep(),
        SummariseStep(),
        SaveStoriesStep(),
    ]


def default_pipeline() -> Pipeline:
    return Pipeline(default_steps())


def extraction_pipeline() -> Pipeline:
    """Read and clean only (`corroborate extract`)."""
    return Pipeline([ReadStep(), CleanStep(), SiteFurnitureStep()])
