"""Executors run a pipeline's stages; steps never know which executor runs them.

`LocalExecutor` runs everything in this process for small batches and fans
per-article and per-story stages out to a process pool when the batch is large
enough to pay for the workers' start-up (each worker loads spaCy and the embedding
model once, a few seconds). Whole-batch steps always run here, in the main process,
because they read and write the store. A Ray executor will implement the same
`Executor.run` with Ray Data and live in its own module, imported lazily.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from corroborate.pipeline.base import ArticleStep, RunContext, Step, StoryStep
from corroborate.pipeline.pipeline import Pipeline

log = logging.getLogger(__name__)

# Below this many records a stage runs in-process: spawning a worker and loading the
# models in it costs ~5 s, about what one core needs for 50-100 articles.
MIN_PARALLEL_RECORDS = 96
CHUNK_SIZE = 16


class Executor(ABC):
    @abstractmethod
    def stream(self, pipeline: Pipeline, inputs: Iterable[Any],
               ctx: RunContext) -> Iterator[Any]:
        """Run `pipeline` over `inputs`, yielding the last stage's records."""

    def run(self, pipeline: Pipeline, inputs: Iterable[Any], ctx: RunContext) -> list[Any]:
        """Run `pipeline` over `inputs`; return the last stage's records."""
        return list(self.stream(pipeline, inputs, ctx))


class LocalExecutor(Executor):
    def __init__(self, workers: int | None = None,
                 min_parallel: int = MIN_PARALLEL_RECORDS) -> None:
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.min_parallel = min_parallel

    def stream(self, pipeline: Pipeline, inputs: Iterable[Any],
               ctx: RunContext) -> Iterator[Any]:
        """The last stage's records as they come (for output written as it goes)."""
        items: Iterable[Any] = inputs
        for stage in pipeline.stages():
            if isinstance(stage[0], ArticleStep | StoryStep):
                items = self._map_stage(stage, items, ctx)
            else:
                items = _counted(stage[0].run(items, ctx), stage[0].name, ctx)
        yield from items

    def _map_stage(self, steps: list[Step], items: Iterable[Any],
                   ctx: RunContext) -> Iterator[Any]:
        """Stream records through `steps`: in this process for small batches, else in
        chunks on a pool, keeping input order and a bounded number of chunks in flight
        (memory stays flat however long the input is)."""
        label = "+".join(s.name for s in steps)
        stream = iter(items)
        head = list(itertools.islice(stream, self.min_parallel))
        if self.workers == 1 or len(head) < self.min_parallel:
            yield from _counted(_chain(steps, itertools.chain(head, stream), ctx), label, ctx)
            return
        log.info("stage %s: fanning out to %d workers", label, self.workers)
        chunks = _chunked(itertools.chain(head, stream), CHUNK_SIZE)
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(self.workers, mp_context=spawn,
                                 initializer=_init_worker) as pool:
            in_flight: deque[Future[tuple[list[Any], RunContext]]] = deque()
            for chunk in chunks:
                in_flight.append(pool.submit(_run_chunk, steps, chunk, ctx.worker_copy()))
                if len(in_flight) >= 2 * self.workers:
                    yield from self._collect(in_flight.popleft(), label, ctx)
            while in_flight:
                yield from self._collect(in_flight.popleft(), label, ctx)

    @staticmethod
    def _collect(future: Future[tuple[list[Any], RunContext]], label: str,
                 ctx: RunContext) -> Iterator[Any]:
        done, worker_ctx = future.result()
        ctx.merge(worker_ctx)
        ctx.advance(label, len(done))
        yield from done


def _chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    stream = iter(items)
    while chunk := list(itertools.islice(stream, size)):
        yield chunk


def _chain(steps: list[Step], records: Iterable[Any], ctx: RunContext) -> Iterator[Any]:
    stream: Iterable[Any] = records
    for step in steps:
        stream = step.run(stream, ctx)
    yield from stream


def _counted(stream: Iterable[Any], label: str, ctx: RunContext) -> Iterator[Any]:
    for item in stream:
        ctx.advance(label, 1)
        yield item


def _init_worker() -> None:
    # Each worker is one core's worth of work; torch's own thread pool on top of the
    # process pool would oversubscribe the machine.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass


def _run_chunk(steps: list[Step], chunk: list[Any],
               ctx: RunContext) -> tuple[list[Any], RunContext]:
    return list(_chain(steps, chunk, ctx)), ctx
