"""A pipeline is an ordered list of steps, checked before it runs.

The check walks the steps in order, keeping the set of names provided so far, and
fails with a message naming the step, what it lacks, and which steps could provide
it. Executors ask the pipeline for its *stages*: runs of consecutive per-article or
per-story steps, which they may fan out to workers, and single whole-batch steps,
which run in the main process.
"""

from __future__ import annotations

from collections.abc import Sequence

from corroborate.errors import PipelineError
from corroborate.pipeline.base import ArticleStep, Step, StoryStep


class Pipeline:
    def __init__(self, steps: Sequence[Step], *, given: frozenset[str] = frozenset()) -> None:
        if not steps:
            raise PipelineError("a pipeline needs at least one step")
        self.steps = list(steps)
        self.given = given
        self.check()

    def check(self) -> None:
        have = set(self.given)
        for position, step in enumerate(self.steps):
            missing = step.needs - have
            if missing:
                later = [s.name for s in self.steps[position + 1 :] if s.provides & missing]
                hint = (f"; move {', '.join(later)} before it" if later
                        else "; no step in this pipeline provides it")
                raise PipelineError(
                    f"step {step.name!r} needs {sorted(missing)} but the steps before it "
                    f"provide only {sorted(have)}{hint}"
                )
            have |= step.provides

    @property
    def provides(self) -> frozenset[str]:
        have = set(self.given)
        for step in self.steps:
            have |= step.provides
        return frozenset(have)

    def stages(self) -> list[list[Step]]:
        """Consecutive per-article (or per-story) steps grouped; other steps alone."""
        stages: list[list[Step]] = []
        for step in self.steps:
            kind = _kind(step)
            if stages and kind is not None and _kind(stages[-1][0]) is kind:
                stages[-1].append(step)
            else:
                stages.append([step])
        return stages

    def __repr__(self) -> str:
        return "Pipeline(" + " -> ".join(s.name for s in self.steps) + ")"


def _kind(step: Step) -> type[Step] | None:
    if isinstance(step, ArticleStep):
        return ArticleStep
    if isinstance(step, StoryStep):
        return StoryStep
    return None
