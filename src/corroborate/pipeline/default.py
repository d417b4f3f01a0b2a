"""The default pipeline: read -> clean -> enrich -> dedupe/provenance -> cluster ->
analyse story -> summarise -> write."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from corroborate.analyse.story import AnalyseStoryStep, GatherStoriesStep, SaveStoryMetadataStep
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
        *story_steps(),
    ]


def story_steps() -> list[Step]:
    """Gather the stories to analyse, analyse, summarise and save them."""
    return [GatherStoriesStep(), AnalyseStoryStep(), SummariseStep(), SaveStoriesStep(),
            SaveStoryMetadataStep()]


def default_pipeline() -> Pipeline:
    return Pipeline(default_steps())


def clustering_pipeline(after_read: Sequence[Step] = ()) -> Pipeline:
    """Read to cluster only (`corroborate cluster`): no story analysis, no summary.

    Enrichment is complete (quotes too), because the stored articles serve later
    analyses: ingest never processes a stored document again. `after_read` steps run
    right after reading (`corroborate.cluster.export` notes the input ids there).
    """
    steps = default_steps()
    cut = next(i for i, step in enumerate(steps) if isinstance(step, ClusterStep)) + 1
    return Pipeline([steps[0], *after_read, *steps[1:cut]])


def story_pipeline() -> Pipeline:
    """Analyse the stored stories that are new or changed (after `recluster --apply`)."""
    return Pipeline(story_steps(), given=frozenset({"story"}))


def extraction_pipeline() -> Pipeline:
    """Read and clean only (`corroborate extract`)."""
    return Pipeline([ReadStep(), CleanStep(), SiteFurnitureStep()])
