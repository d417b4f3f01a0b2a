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

from corroborate.cluster.export import InputIdsStep, stories_of_inputs
from corroborate.cluster.recluster import ReclusterResult, recluster_store
from corroborate.errors import UsageError
from corroborate.pipeline.base import RunContext
from corroborate.pipeline.default import (
    clustering_pipeline,
    default_pipeline,
    extraction_pipeline,
    story_pipeline,
)
from corroborate.pipeline.executor import LocalExecutor
from corroborate.report import article_dict, build_report, write_reports
from corroborate.store.lifecycle import StoryRedirect
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
    """Stored stories, most recent first: id, title, n_articles, first/last seen,
    keywords and main entities (names)."""
    with _open_existing(db) as store:
        rows = store.list_stories()
        metadata = store.story_metadata()
    for row in rows:
        row["keywords"], row["main_entities"] = metadata.get(row["id"], ([], []))
    return rows


@dataclass(frozen=True, slots=True)
class StoryRef:
    """The story a user's id (or prefix) names now; `hops` are the redirects followed
    when that id was merged or re-clustered away."""

    asked: str
    id: str
    hops: tuple[StoryRedirect, ...] = ()

    @property
    def note(self) -> str | None:
        """'story s-1 was merged into s-2', or None when the id names a story."""
        if not self.hops:
            return None
        return "; ".join(f"story {h.old_id} was {_MOVED.get(h.kind, 'moved to')} {h.new_id}"
                         for h in self.hops)


_MOVED = {"merge": "merged into", "recluster": "re-clustered into"}


def resolve_story(story: str, db: PathLike) -> StoryRef:
    """The stored story `story` names: an id, a unique prefix of one, or an id that
    was merged or re-clustered away (followed to the story holding its articles)."""
    with _open_existing(db) as store:
        return _resolve_story(store, story, db)


def show_story(story: str, db: PathLike) -> dict[str, Any]:
    """One stored story as a report document (its articles and its story section).

    `story` may be a unique prefix of the id, or an id that was merged or
    re-clustered away: the document is then the story holding its articles
    (`resolve_story` says which, and why).
    """
    with _open_existing(db) as store:
        ref = _resolve_story(store, story, db)
        found = store.get_story(ref.id)
        if found is None:
            raise UsageError(
                f"story {ref.id} has changed since it was last analysed (new, merged, split "
                "or clustered by `corroborate cluster`); the next `corroborate analyze` with "
                "this store analyses it again")
        articles = store.get_articles(found.article_ids)
        return build_report(articles, [found], rejects=[], stats={}, generated_at=None)


def _resolve_story(store: Store, story: str, db: PathLike) -> StoryRef:
    live = store.find_story_ids(story)
    gone = store.find_redirect_ids(story)
    candidates = [story] if story in live or story in gone else live + gone
    targets = {c: store.resolve_story_id(c) for c in candidates}
    found = sorted({t for t in targets.values() if t is not None})
    if not found:
        raise UsageError(f"no story {story!r} in {db}; `corroborate stories` lists them")
    if len(found) > 1:
        raise UsageError(f"{story!r} matches {len(found)} stories "
                         f"({', '.join(found[:5])}...): give more of the id")
    asked = story if story in candidates else next(
        (c for c in candidates if c == found[0]), candidates[0])
    return StoryRef(asked, found[0], tuple(store.redirect_path(asked)))


class Clustering(dict[str, str]):
    """Article id (the input's own) -> story id; `rejects` and `stats` of the run."""

    def __init__(self, assignment: Mapping[str, str], context: RunContext) -> None:
        super().__init__(assignment)
        self.rejects = [r.to_dict() for r in context.rejects]
        self.stats = dict(context.stats)


def cluster(
    paths: PathLike | Iterable[PathLike],
    *,
    db: PathLike = MEMORY,
    workers: int | None = None,
    progress: Callable[[str, int], None] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Clustering:
    """Read, clean, enrich and store the articles under `paths` and place them in
    stories, without analysing the stories; return each input article's story.

    Keys are the inputs' own ids: the JSONL `id` field when given, else the reader's
    (a file's stem). Inputs that were rejected, or that are in no story (a language
    the analysis does not read), are left out. The stories are analysed by the next
    `analyze` with the same store.
    """
    inputs = _as_inputs(paths)
    noted = InputIdsStep()
    with Store.open(db) as store:
        ctx = RunContext(settings=dict(settings or {}), store=store, progress=progress)
        run_id = store.start_run(inputs)
        LocalExecutor(workers).run(clustering_pipeline(after_read=[noted]), inputs, ctx)
        assignment = stories_of_inputs(store, noted.inputs)
        store.finish_run(run_id, dict(ctx.stats), ctx.rejects)
    return Clustering(assignment, ctx)


def recluster(
    db: PathLike,
    *,
    apply: bool = False,
    workers: int | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> ReclusterResult:
    """Re-cluster every stored article from scratch and compare with the store's
    stories (`corroborate.cluster.recluster`). Without `apply` nothing changes; with
    it the new stories replace the old ones, each old id that is gone redirects to the
    new story holding most of its articles, and changed stories are analysed again."""
    with _open_existing(db) as store:
        result = recluster_store(
            store, apply=apply,
            progress=None if progress is None else lambda n: progress("recluster", n))
        if apply:
            ctx = RunContext(store=store, progress=progress)
            LocalExecutor(workers).run(story_pipeline(), [], ctx)
    return result


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


# --- stance: an article's stance toward a claim (FNC-1 model) -----------------------


@dataclass(frozen=True, slots=True)
class ArticleStance:
    """One article's stance toward a claim: an FNC-1 label (agree, disagree, discuss,
    unrelated), the model's confidence in it and every label's probability."""

    id: str
    source: str
    title: str | None
    stance: str
    confidence: float
    probabilities: dict[str, float]


@dataclass(slots=True)
class StanceRun:
    """Articles' stances as they are read: iterate for them; `rejects` and `stats`
    (of reading and cleaning) fill in as it goes."""

    stances: Iterator[ArticleStance]
    extraction: Extraction

    def __iter__(self) -> Iterator[ArticleStance]:
        return self.stances

    @property
    def rejects(self) -> list[dict[str, str]]:
        return self.extraction.rejects

    @property
    def stats(self) -> dict[str, int]:
        return self.extraction.stats


def stance(
    claim: str,
    paths: PathLike | Iterable[PathLike],
    *,
    workers: int | None = None,
    progress: Callable[[str, int], None] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> StanceRun:
    """Each input article's stance toward `claim`, streamed. The inputs are read and
    cleaned as `extract` does; the article's cleaned text is the body."""
    from corroborate.analyse.stance_model import ClaimStance

    if not claim.strip():
        raise UsageError("the claim is empty: give the claim's text with --claim")
    scorer = ClaimStance(claim)
    extraction = extract(paths, workers=workers, progress=progress, settings=settings)

    def stances() -> Iterator[ArticleStance]:
        for article in extraction:
            found = scorer(article["text"])
            yield ArticleStance(article["id"], article["source"], article.get("title"),
                                found.label, found.confidence, found.probabilities)

    return StanceRun(stances(), extraction)


def stance_pairs(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """The FNC-1 stance label of each (headline, body) pair, in order."""
    from corroborate.analyse.stance_model import predict_pairs

    return [found.label for found in predict_pairs(list(pairs))]


def read_stance_pairs(path: PathLike) -> list[tuple[str, str]]:
    """(headline, body) pairs from a JSONL file of objects with string fields
    `headline` and `body`; a bad line is a UsageError naming its number."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"cannot read {path}: {err}") from err
    return [_stance_pair(line, n, path) for n, line in enumerate(lines, start=1)]


def _stance_pair(line: str, number: int, path: PathLike) -> tuple[str, str]:
    import json

    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise UsageError(f"{path} line {number}: not valid JSON ({err.msg})") from err
    if not isinstance(record, dict):
        raise UsageError(f"{path} line {number}: expected an object with "
                         "`headline` and `body`")
    for name in ("headline", "body"):
        if not isinstance(record.get(name), str):
            raise UsageError(f"{path} line {number}: `{name}` is missing or not a string")
    return record["headline"], record["body"]
