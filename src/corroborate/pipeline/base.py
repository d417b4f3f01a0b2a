"""Steps: small generator stages over streams of records.

A step declares what it `needs` and what it `provides` (names of article or corpus
attributes, e.g. "text", "sentences", "stories"); `Pipeline` checks the chain before
anything runs. Steps never start pools, threads or Ray jobs: executors do that
(`corroborate.pipeline.executor`), so the same step runs locally or on a cluster.

`ArticleStep` is the per-record kind: it maps one `Article` to one `Article` (or
None to drop it) and may run in any worker process. Its base class owns error
routing: a `RecordError` or any unexpected exception on one article is counted under
the step's name and the article goes to the rejects, never killing the batch.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from corroborate.errors import RecordError
from corroborate.model import Article, ProvenanceEdge, Story

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that could not be processed, with the reason why."""

    source: str
    step: str
    reason: str
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "step": self.step, "reason": self.reason,
                "detail": self.detail}


@dataclass(slots=True)
class RunContext:
    """What a run shares across steps: settings, counters, rejects, progress.

    It is picklable so that executors can hand a copy to worker processes and merge
    the copies' counters and rejects back (`merge`).
    """

    settings: dict[str, Any] = field(default_factory=dict)
    stats: Counter[str] = field(default_factory=Counter)
    rejects: list[Reject] = field(default_factory=list)
    progress: Callable[[str, int], None] | None = None
    # Ids of every article this run's inputs resolved to (new or already stored), in
    # input order: the stories they belong to are what the run reports.
    seen_ids: list[str] = field(default_factory=list)
    # The store is the main process's; workers get None (see `worker_copy`).
    store: Any = None

    def count(self, key: str, n: int = 1) -> None:
        self.stats[key] += n

    def reject(self, source: str, step: str, reason: str, detail: str = "") -> None:
        self.rejects.append(Reject(source, step, reason, detail))
        self.stats[f"rejected.{reason}"] += 1
        log.info("rejected %s at %s: %s %s", source, step, reason, detail)

    def advance(self, stage: str, n: int = 1) -> None:
        if self.progress is not None:
            self.progress(stage, n)

    def worker_copy(self) -> RunContext:
        """A fresh context for a worker: same settings, empty counters, no callback."""
        return RunContext(settings=dict(self.settings))

    def merge(self, other: RunContext) -> None:
        self.stats.update(other.stats)
        self.rejects.extend(other.rejects)


class Step(ABC):
    """A stage of the pipeline: consumes a stream, yields a stream."""

    name: ClassVar[str] = ""
    needs: ClassVar[frozenset[str]] = frozenset()
    provides: ClassVar[frozenset[str]] = frozenset()

    @abstractmethod
    def run(self, items: Iterable[Any], ctx: RunContext) -> Iterator[Any]:
        """Consume `items` and yield results; only the runner chains steps."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class ArticleStep(Step):
    """A per-article step; subclasses implement `process`, and may override
    `process_batch` when a batch is cheaper than its articles one by one (embeddings).
    """

    batch_size: ClassVar[int] = 64

    @abstractmethod
    def process(self, article: Article, ctx: RunContext) -> Article | None:
        """Return the article (changed in place or new), or None to drop it."""

    def process_batch(self, articles: list[Article], ctx: RunContext) -> list[Article]:
        """Process several articles; the default is `process` on each."""
        return [out for a in articles if (out := self._guarded(a, ctx)) is not None]

    def prepare(self, ctx: RunContext) -> None:
        """Load resources once per process before the first article (optional)."""

    def run(self, items: Iterable[Article], ctx: RunContext) -> Iterator[Article]:
        self.prepare(ctx)
        batch: list[Article] = []
        for article in items:
            batch.append(article)
            if len(batch) >= self.batch_size:
                yield from self._run_batch(batch, ctx)
                batch = []
        if batch:
            yield from self._run_batch(batch, ctx)

    def _run_batch(self, batch: list[Article], ctx: RunContext) -> Iterator[Article]:
        try:
            done = self.process_batch(batch, ctx)
        except Exception:
            log.warning("step %s: batch failed, retrying its %d articles one by one",
                        self.name, len(batch))
            done = [out for a in batch if (out := self._guarded(a, ctx)) is not None]
        ctx.count(f"{self.name}.ok", len(done))
        yield from done

    def _guarded(self, article: Article, ctx: RunContext) -> Article | None:
        try:
            return self.process(article, ctx)
        except RecordError as err:
            ctx.reject(article.source, self.name, err.reason, err.detail)
        except Exception as err:
            log.exception("step %s failed on %s", self.name, article.source)
            ctx.reject(article.source, self.name, "internal-error", repr(err))
        return None


class CorpusStep(Step):
    """A step that needs the whole batch (and the store) at once: dedupe, clustering.

    It runs in the main process: it may read and write `ctx.store`.
    """

    @abstractmethod
    def process_all(self, articles: list[Article], ctx: RunContext) -> list[Article]:
        """Take the batch's articles, return the ones that go on."""

    def run(self, items: Iterable[Article], ctx: RunContext) -> Iterator[Article]:
        yield from self.process_all(list(items), ctx)


@dataclass(slots=True)
class StoryBundle:
    """A story with everything its analysis reads: articles, provenance, families."""

    story: Story
    articles: list[Article]
    edges: list[ProvenanceEdge] = field(default_factory=list)
    families: list[list[str]] = field(default_factory=list)
    # Per-story working state shared between story steps (the sentence table with
    # its embeddings); never stored, never reported.
    table: Any = None


class StoryStep(Step):
    """A per-story step (analysis, summary); stories are independent, so it may run in
    any worker process."""

    @abstractmethod
    def process_story(self, bundle: StoryBundle, ctx: RunContext) -> StoryBundle:
        """Return the bundle with its story filled in further."""

    def run(self, items: Iterable[StoryBundle], ctx: RunContext) -> Iterator[StoryBundle]:
        for bundle in items:
            try:
                done = self.process_story(bundle, ctx)
            except Exception as err:
                log.exception("step %s failed on story %s", self.name, bundle.story.id)
                ctx.reject(f"story:{bundle.story.id}", self.name, "internal-error", repr(err))
                done = bundle
            ctx.count(f"{self.name}.ok")
            yield done
