"""The Python API. The CLI (and later the web app) are thin layers over these functions.

    import corroborate
    report = corroborate.analyze(["articles/"], db="news.db")
    for story in report.stories:
        print(story["title"], len(story["articles"]))

`analyze` returns the same document the CLI writes to `report.json`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from corroborate.errors import UsageError
from corroborate.pipeline.base import RunContext
from corroborate.pipeline.default import default_pipeline, extraction_pipeline
from corroborate.pipeline.executor import LocalExecutor
from corroborate.report import article_dict, build_report, write_reports
from corroborate.store.sqlite import MEMORY, Store

PathLike = str | Path


@dataclass(slots=True)
class Report:
    """The result of an analysis: `data` is exactly what `report.json` holds."""

    data: dict[str, Any]
    files: list[Path] = field(default_factory=list)

    @property
    def articles(self) -> list[dict[str, Any]]:
        return list(self.data["articles"])

    @property
    def stories(self) -> list[dict[str, Any]]:
        return list(self.data["stories"])

    @property
    def rejects(self) -> list[dict[str, Any]]:
        return list(self.data.get("rejects", []))

    def to_dict(self) -> dict[str, Any]:
        return self.data


def analyze(
    paths: PathLike | Iterable[PathLike],
    *,
    db: PathLike = MEMORY,
    out: PathLike | None = None,
    workers: int | None = None,
    progress: Callable[[str, int], None] | None = None,
    settings: Mapping[str, Any] | None = None,
    timestamp: bool = True,
) -> Report:
    """Read, clean, enrich, cluster and analyse the articles under `paths`.

    `db` is the SQLite store (default: a scratch in-memory one; the CLI defaults to
    ./corroborate.db); a second call with the same store adds to its stories. With
    `out`, report.json, report.md and report.html are written there. The report covers
    every story that an input article belongs to, with all of that story's articles.
    Bad inputs are listed under `rejects`; they never stop the run.
    """
    inputs = _as_inputs(paths)
    with Store.open(db) as store:
        ctx = RunContext(settings=dict(settings or {}), store=store, progress=progress)
        run_id = store.start_run(inputs)
        LocalExecutor(workers).run(default_pipeline(), inputs, ctx)
        data = _report_for_seen(store, ctx, timestamp=timestamp)
        store.finish_run(run_id, dict(ctx.stats), ctx.rejects)
    report = Report(data)
    if out is not None:
        report.files = write_reports(data, Path(out))
    return report


@dataclass(slots=True)
class Extraction:
    """Cleaned articles as they are read: iterate for the article dicts (the report's
    article fields without offsets); `rejects` and `stats` fill in as it goes."""

    articles: Iterator[dict[str, Any]]
    context: RunContext

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self.articles

    @property
    def rejects(self) -> list[dict[str, str]]:
        return [r.to_dict() for r in self.context.rejects]

    @property
    def stats(self) -> dict[str, int]:
        return dict(self.context.stats)


def extract(
    paths: PathLike | Iterable[PathLike],
    *,
    workers: int | None = None,
    progress: Callable[[str, int], None] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Extraction:
    """Read and clean only: the text, metadata and removed boilerplate of each input
    article, streamed (nothing is stored). Bad inputs end up in `rejects`."""
    inputs = _as_inputs(paths)
    ctx = RunContext(settings=dict(settings or {}), progress=progress)
    articles = LocalExecutor(workers).stream(extraction_pipeline(), inputs, ctx)
    return Extraction((article_dict(a, annotations=False) for a in articles), ctx)


def list_stories(db: PathLike) -> list[dict[str, Any]]:
    """Stored stories, most recent first: id, title, n_articles, first/last seen."""
    with _open_existing(db) as store:
        return store.list_stories()


def show_story(story: str, db: PathLike) -> dict[str, Any]:
    """One stored story as a report document (its articles and its story section).

    `story` may be a unique prefix of the id.
    """
    with _open_existing(db) as store:
        matches = store.find_story_ids(story)
        if not matches:
            raise UsageError(f"no story {story!r} in {db}; `corroborate stories` lists them")
        if len(matches) > 1 and story not in matches:
            raise UsageError(f"{story!r} matches {len(matches)} stories "
                             f"({', '.join(matches[:5])}...): give more of the id")
        story_id = story if story in matches else matches[0]
        found = store.get_story(story_id)
        if found is None:
            raise UsageError(f"story {story_id} has not been analysed yet")
        articles = store.get_articles(found.article_ids)
        return build_report(articles, [found], rejects=[], stats={}, generated_at=None)


def _report_for_seen(store: Store, ctx: RunContext, *, timestamp: bool) -> dict[str, Any]:
    seen = store.get_articles(list(dict.fromkeys(ctx.seen_ids)))
    story_ids = list(dict.fromkeys(a.story for a in seen if a.story))
    stories = [s for s in (store.get_story(i) for i in story_ids) if s is not None]
    article_ids = [a for s in stories for a in s.article_ids]
    # Inputs that are in no story (a language the analysis does not read yet) are
    # still reported, after the story articles.
    article_ids += [a.id for a in seen if not a.story]
    articles = store.get_articles(article_ids)
    generated = datetime.now(UTC).isoformat(timespec="seconds") if timestamp else None
    return build_report(articles, stories, rejects=ctx.rejects, stats=dict(ctx.stats),
                        generated_at=generated)


def _as_inputs(paths: PathLike | Iterable[PathLike]) -> list[str]:
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    if not items:
        raise UsageError("no input given: pass files or directories of articles")
    missing = [str(p) for p in items if not _is_stream_or_url(str(p)) and not Path(p).exists()]
    if missing:
        raise UsageError(f"input not found: {', '.join(missing)}")
    return [str(p) for p in items]


def _is_stream_or_url(item: str) -> bool:
    return item == "-" or item.startswith(("http://", "https://"))


def _open_existing(db: PathLike) -> Store:
    if str(db) != MEMORY and not Path(db).is_file():
        raise UsageError(f"no database at {db}: run `corroborate analyze PATH --db {db}` first")
    return Store.open(db)
