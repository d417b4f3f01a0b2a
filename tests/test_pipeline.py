"""Pipeline checks, step error routing and the local executor (in-process and pool)."""

from __future__ import annotations

import pytest

from corroborate.errors import PipelineError, RecordError
from corroborate.model import Article
from corroborate.pipeline.base import ArticleStep, CorpusStep, RunContext, Step
from corroborate.pipeline.executor import LocalExecutor
from corroborate.pipeline.pipeline import Pipeline


class Source(Step):
    name = "source"
    provides = frozenset({"raw"})

    def run(self, items, ctx):  # type: ignore[no-untyped-def]
        for i, text in enumerate(items):
            yield Article(id=f"a{i}", source=f"in{i}", raw=text)


class Upper(ArticleStep):
    name = "upper"
    needs = frozenset({"raw"})
    provides = frozenset({"text"})

    def process(self, article: Article, ctx: RunContext) -> Article:
        if article.raw == "bad":
            raise RecordError("empty", "nothing to read")
        if article.raw == "crash":
            raise ZeroDivisionError("a bug in a step")
        article.text = article.raw.upper()
        return article


class Count(CorpusStep):
    name = "count"
    needs = frozenset({"text"})
    provides = frozenset({"counted"})

    def process_all(self, articles: list[Article], ctx: RunContext) -> list[Article]:
        ctx.count("count.seen", len(articles))
        return articles


def test_a_step_whose_needs_are_unmet_is_refused_before_running() -> None:
    with pytest.raises(PipelineError, match=r"'count' needs \['text'\].*move upper before it"):
        Pipeline([Source(), Count(), Upper()])


def test_a_need_nobody_provides_is_named() -> None:
    with pytest.raises(PipelineError, match="no step in this pipeline provides it"):
        Pipeline([Count()])


def test_stages_group_consecutive_article_steps() -> None:
    pipeline = Pipeline([Source(), Upper(), Upper(), Count()])
    assert [[s.name for s in stage] for stage in pipeline.stages()] == [
        ["source"], ["upper", "upper"], ["count"]]


def test_bad_records_are_counted_and_the_batch_goes_on() -> None:
    ctx = RunContext()
    done = LocalExecutor(workers=1).run(
        Pipeline([Source(), Upper(), Count()]), ["one", "bad", "crash", "two"], ctx)
    assert [a.text for a in done] == ["ONE", "TWO"]
    assert [(r.source, r.reason) for r in ctx.rejects] == [("in1", "empty"),
                                                          ("in2", "internal-error")]
    assert ctx.stats["count.seen"] == 2
    assert ctx.stats["rejected.empty"] == 1


def test_progress_reports_every_stage() -> None:
    seen: dict[str, int] = {}

    def progress(stage: str, n: int) -> None:
        seen[stage] = seen.get(stage, 0) + n

    ctx = RunContext(progress=progress)
    LocalExecutor(workers=1).run(Pipeline([Source(), Upper(), Count()]), ["x", "y"], ctx)
    assert seen == {"source": 2, "upper": 2, "count": 2}


def test_process_pool_gives_the_same_result_and_merges_rejects() -> None:
    inputs = [f"doc {i}" if i % 7 else "bad" for i in range(40)]
    serial_ctx, pooled_ctx = RunContext(), RunContext()
    pipeline = Pipeline([Source(), Upper(), Count()])
    serial = LocalExecutor(workers=1).run(pipeline, inputs, serial_ctx)
    pooled = LocalExecutor(workers=2, min_parallel=1).run(pipeline, inputs, pooled_ctx)
    assert [a.text for a in pooled] == [a.text for a in serial]
    assert sorted(r.source for r in pooled_ctx.rejects) == sorted(
        r.source for r in serial_ctx.rejects)
    assert pooled_ctx.stats["upper.ok"] == serial_ctx.stats["upper.ok"] == 34
