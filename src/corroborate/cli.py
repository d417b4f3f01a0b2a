"""The `corroborate` command: a thin layer over `corroborate.api`."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from corroborate import __version__, api
from corroborate.errors import CorroborateError, UsageError
from corroborate.report.markdown import plural, render_markdown

DEFAULT_DB = "corroborate.db"
T = TypeVar("T")

app = typer.Typer(
    name="corroborate",
    help="Turn a pile of news articles into verified, cross-source stories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)
out = Console()

DbOption = Annotated[Path, typer.Option("--db", help="SQLite store to use (created if missing).")]


def _version(value: bool) -> None:
    if value:
        out.print(f"corroborate {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what each step does.")]
    = False,
) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


InputsArgument = Annotated[list[str], typer.Argument(
    help="Files, directories (read recursively), http(s) URLs, or - for stdin. Formats: "
         ".txt, .html/.htm, .jsonl, .warc, RSS/Atom feeds (.rss/.atom/.xml), URL lists "
         "(.urls); any of them may be .gz.", show_default=False, metavar="INPUT")]
WorkersOption = Annotated[int | None, typer.Option(
    help="Worker processes for large batches (default: one per CPU).")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]
AllowPrivateOption = Annotated[bool, typer.Option(
    "--allow-private", help="Allow fetching from loopback, private and link-local addresses "
    "(refused by default so that a URL list cannot reach into your network).")]
FollowLinksOption = Annotated[bool, typer.Option(
    "--follow-links", help="For feed items, fetch the linked page instead of using the "
    "feed's own text.")]
TimeoutOption = Annotated[float, typer.Option(help="Seconds to wait for a web server.")]
HostIntervalOption = Annotated[float, typer.Option(
    help="Seconds between two requests to the same host (robots.txt Crawl-delay wins "
    "when longer).")]
FieldOption = Annotated[list[str] | None, typer.Option(
    "--field", help="Map a JSONL field: OURS=THEIRS, e.g. --field text=body "
    "--field published=meta.date (ours: text, html, id, url, title, published, outlet, "
    "author).", show_default=False)]


def _input_settings(allow_private: bool, follow_links: bool, timeout: float,
                    host_interval: float, fields: list[str] | None) -> dict[str, Any]:
    settings: dict[str, Any] = {"allow_private": allow_private, "follow_links": follow_links,
                                "timeout": timeout, "host_interval": host_interval}
    if fields:
        mapping = {}
        for item in fields:
            ours, sep, theirs = item.partition("=")
            if not sep or not ours.strip() or not theirs.strip():
                _fail(UsageError(f"--field {item!r}: write OURS=THEIRS, e.g. text=body"))
            mapping[ours.strip()] = theirs.strip()
        settings["jsonl_fields"] = mapping
    return settings


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str, int], None]]:
    """A live count per stage on a terminal; nothing in a pipe or with --quiet."""
    show = not quiet and console.is_terminal
    with Progress(SpinnerColumn(), TextColumn("{task.description}"),
                  TextColumn("{task.completed}"), TimeElapsedColumn(), console=console,
                  disable=not show, transient=True) as progress:
        tasks: dict[str, Any] = {}

        def advance(stage: str, n: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=None)
            progress.advance(tasks[stage], n)

        yield advance


@app.command()
def analyze(
    paths: InputsArgument,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Directory for report.json, "
                                          "report.md and report.html.")] = Path("out"),
    db: DbOption = Path(DEFAULT_DB),
    workers: WorkersOption = None,
    quiet: QuietOption = False,
    allow_private: AllowPrivateOption = False,
    follow_links: FollowLinksOption = False,
    timeout: TimeoutOption = 20.0,
    host_interval: HostIntervalOption = 1.0,
    field: FieldOption = None,
) -> None:
    """Analyse articles into stories and write the cross-source report."""
    settings = _input_settings(allow_private, follow_links, timeout, host_interval, field)
    with _progress(quiet) as advance:
        report = _guarded(lambda: api.analyze(paths, db=db, out=out_dir, workers=workers,
                                              progress=advance, settings=settings))
    _print_summary(report, out_dir, db)


@app.command()
def extract(
    paths: InputsArgument,
    output: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the JSON lines to this file instead of stdout.")] = None,
    rejects_file: Annotated[Path | None, typer.Option(
        "--rejects", help="Also write the rejected inputs as JSON lines to this file.")] = None,
    workers: WorkersOption = None,
    quiet: QuietOption = False,
    allow_private: AllowPrivateOption = False,
    follow_links: FollowLinksOption = False,
    timeout: TimeoutOption = 20.0,
    host_interval: HostIntervalOption = 1.0,
    field: FieldOption = None,
) -> None:
    """Clean articles only: print one JSON object per article (id, source, outlet, title,
    published, language, text, removed, flags, ...). Nothing is stored."""
    settings = _input_settings(allow_private, follow_links, timeout, host_interval, field)
    with _progress(quiet) as advance:
        extraction = _guarded(lambda: api.extract(paths, workers=workers, progress=advance,
                                                  settings=settings))
        sink = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            count = _guarded(lambda: _write_lines(extraction, sink))
        finally:
            if output:
                sink.close()
    if rejects_file:
        with rejects_file.open("w", encoding="utf-8") as handle:
            _write_lines(extraction.rejects, handle)
    _print_rejects(count, extraction.rejects, extraction.stats)


def _write_lines(records: Iterable[dict[str, Any]], sink: TextIO) -> int:
    n = 0
    for record in records:
        sink.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def _print_rejects(count: int, rejects: list[dict[str, str]], stats: dict[str, int]) -> None:
    console.print(f"{count} articles extracted", highlight=False)
    _print_skips_and_rejects(rejects, stats, console)


def _print_story_table(headers: tuple[str, ...], rows: list[tuple[str, ...]],
                       details: dict[str, list[str]] | None = None) -> None:
    """Aligned columns with the story title last, cut to the terminal's width (80 in
    a pipe or a CI log) so that every count stays visible; `details` (lines by story
    id) go indented under their row, cut the same way."""
    columns = ("story", *headers)
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]

    def line(cells: tuple[str, ...], title: str) -> str:
        left = "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                         for i, (cell, w) in enumerate(zip(cells, widths, strict=True)))
        room = max(10, out.width - len(left) - 2)
        return f"{left}  {title if len(title) <= room else title[: room - 1] + '…'}"

    out.print(line(columns, "title"), markup=False, highlight=False, style="bold")
    for row in rows:
        out.print(line(row[:-1], row[-1]), markup=False, highlight=False)
        room = max(10, out.width - 4)
        for extra in (details or {}).get(row[0], []):
            out.print("    " + (extra if len(extra) <= room else extra[: room - 1] + "…"),
                      markup=False, highlight=False, style="dim")


def _print_summary(report: api.Report, out_dir: Path, db: Path) -> None:
    _print_story_table(
        ("articles", "families", "facts", "claims", "quotes"),
        [(s["id"], str(len(s["articles"])), str(len(s.get("families", []))),
          str(len(s["facts"])), str(len(s["claims"])), str(len(s["quotes"])), s["title"])
         for s in report.stories],
    )
    stats = report.data.get("stats", {})
    out.print(f"{len(report.articles)} articles in {len(report.stories)} stories; "
              f"{stats.get('ingest.new', 0)} new, {stats.get('ingest.already-stored', 0)} "
              f"already stored; store: {db}")
    _print_maintenance(stats, out)
    _print_skips_and_rejects(report.rejects, stats, out)
    out.print(f"reports: {', '.join(str(p) for p in report.files)}")


def _print_maintenance(stats: dict[str, int], where: Console) -> None:
    merged, split = stats.get("cluster.merge", 0), stats.get("cluster.split", 0)
    if merged or split:
        where.print(f"story maintenance: {merged} merged, {split} split (old ids redirect; "
                    "`corroborate show OLD-ID` follows them)", markup=False, highlight=False)


def _print_skips_and_rejects(rejects: list[dict[str, Any]], stats: dict[str, int],
                             where: Console) -> None:
    skipped = stats.get("read.skipped-unsupported", 0)
    if skipped:
        kinds = sorted(k.rsplit(".", 1)[-1] for k in stats
                       if k.startswith("read.skipped-unsupported."))
        where.print(f"{skipped} files skipped: not an article format "
                    f"(.{', .'.join(kinds)})", markup=False, highlight=False)
    if rejects:
        reasons = Counter(r["reason"] for r in rejects)
        where.print(f"[yellow]{len(rejects)} inputs rejected[/yellow]: "
                    + ", ".join(f"{n} {reason}" for reason, n in reasons.most_common()))
        for r in rejects[:20]:
            where.print(f"  {r['source']}: {r['reason']} {r['detail']}".rstrip(), markup=False,
                        highlight=False)
        if len(rejects) > 20:
            where.print(f"  ... and {len(rejects) - 20} more (all are in the report)",
                        markup=False)


@app.command()
def stories(db: DbOption = Path(DEFAULT_DB),
            as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the stories in the store, with their keywords and main entities."""
    rows = _guarded(lambda: api.list_stories(db))
    if as_json:
        out.print_json(json.dumps(rows))
        return
    _print_story_table(
        ("articles", "first seen", "last seen"),
        [(r["id"], str(r["n_articles"]), r["first_seen"] or "", r["last_seen"] or "",
          r["title"]) for r in rows],
        details={r["id"]: _story_details(r) for r in rows},
    )


def _story_details(row: dict[str, Any]) -> list[str]:
    lines = []
    if row.get("main_entities"):
        lines.append("entities: " + ", ".join(row["main_entities"]))
    if row.get("keywords"):
        lines.append("keywords: " + ", ".join(row["keywords"]))
    return lines


@app.command()
def show(
    story: Annotated[str, typer.Argument(
        help="Story id, a unique prefix of it, or an id that was merged away.")],
    db: DbOption = Path(DEFAULT_DB),
    fmt: Annotated[str, typer.Option("--format", "-f", help="markdown or json.")] = "markdown",
) -> None:
    """Print one story: summary, facts, claims, quotes, provenance, timeline."""
    if fmt not in ("markdown", "json"):
        _fail(UsageError(f"unknown format {fmt!r}: use markdown or json"))
    ref = _guarded(lambda: api.resolve_story(story, db))
    if ref.note:
        console.print(f"{ref.note}; showing {ref.id}", markup=False, highlight=False)
    document = _guarded(lambda: api.show_story(ref.id, db))
    if fmt == "json":
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_markdown(document))


@app.command("cluster")
def cluster_command(
    paths: InputsArgument,
    output: Annotated[str, typer.Option(
        "--out", "-o", help="Write the article_id<TAB>story_id lines here; - for stdout.")],
    db: DbOption = Path(DEFAULT_DB),
    workers: WorkersOption = None,
    quiet: QuietOption = False,
    allow_private: AllowPrivateOption = False,
    follow_links: FollowLinksOption = False,
    timeout: TimeoutOption = 20.0,
    host_interval: HostIntervalOption = 1.0,
    field: FieldOption = None,
) -> None:
    """Place articles in stories without analysing them: print one
    article_id<TAB>story_id line per input article, sorted by article id."""
    from corroborate.cluster.export import tsv_lines  # here: --help stays light

    settings = _input_settings(allow_private, follow_links, timeout, host_interval, field)
    with _progress(quiet) as advance:
        result = _guarded(lambda: api.cluster(paths, db=db, workers=workers, progress=advance,
                                              settings=settings))
    if output == "-":
        sys.stdout.writelines(tsv_lines(result))
    else:
        with Path(output).open("w", encoding="utf-8", newline="") as sink:
            sink.writelines(tsv_lines(result))
    stories = len(set(result.values()))
    console.print(f"{plural(len(result), 'article')} in {plural(stories, 'story', 'stories')}; "
                  f"store: {db}"
                  + ("" if output == "-" else f"; written to {output}"), markup=False,
                  highlight=False)
    skipped = result.stats.get("cluster.skipped-language", 0)
    if skipped:
        console.print(f"{skipped} articles left out: in a language the analysis does not "
                      "read yet", markup=False, highlight=False)
    _print_maintenance(result.stats, console)
    _print_skips_and_rejects(result.rejects, result.stats, console)


@app.command()
def recluster(
    db: DbOption = Path(DEFAULT_DB),
    apply: Annotated[bool, typer.Option(
        "--apply", help="Replace the stored stories with the new ones (old ids redirect) "
        "and analyse the changed stories again. Without it nothing is changed.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    workers: WorkersOption = None,
    quiet: QuietOption = False,
) -> None:
    """Re-cluster the stored articles from scratch and compare with the stored stories."""
    with _progress(quiet) as advance:
        result = _guarded(lambda: api.recluster(db, apply=apply, workers=workers,
                                                progress=advance))
    if as_json:
        out.print_json(json.dumps(result.to_dict()))
        return
    c = result.comparison
    out.print(f"{c.articles} articles: {c.stories_before} stories before, "
              f"{c.stories_after} after", markup=False, highlight=False)
    out.print(f"BCubed P {c.precision:.3f} R {c.recall:.3f} F1 {c.f1:.3f}  ARI {c.ari:.3f}  "
              "(new against current)", markup=False, highlight=False)
    out.print(f"{c.split} stories split, {c.merged} merged, {c.unchanged} unchanged",
              markup=False, highlight=False)
    if result.unplaced_before:
        out.print(f"{result.unplaced_before} articles were in no story", markup=False)
    if result.applied:
        out.print(f"applied: {len(result.events)} recluster events, {len(result.redirects)} "
                  f"old ids redirect, {len(result.stale)} stories analysed again",
                  markup=False, highlight=False)
    else:
        out.print("nothing changed (--apply replaces the stored stories)", markup=False)


@app.command("stance")
def stance_command(
    paths: Annotated[list[str] | None, typer.Argument(
        help="Articles to score against --claim (as for `extract`).", show_default=False)]
    = None,
    claim: Annotated[str | None, typer.Option(
        "--claim", help="The claim each article's stance is taken toward.")] = None,
    pairs: Annotated[Path | None, typer.Option(
        "--pairs", help="JSONL file of {\"headline\", \"body\"} lines: print one "
        "{\"stance\": ...} line per input line.")] = None,
    workers: WorkersOption = None,
    quiet: QuietOption = False,
) -> None:
    """Stance toward a claim (FNC-1 labels: agree, disagree, discuss, unrelated): one
    line per article (id, stance, confidence), or with --pairs one JSON line per pair."""
    if (claim is None) == (pairs is None):
        _fail(UsageError("give either --claim TEXT PATH... or --pairs FILE.jsonl"))
    if pairs is not None:
        if paths:
            _fail(UsageError("--pairs reads its texts from the file: give no PATH"))
        labels = _guarded(lambda: api.stance_pairs(api.read_stance_pairs(pairs)))
        for label in labels:
            sys.stdout.write(json.dumps({"stance": label}) + "\n")
        return
    assert claim is not None
    text = claim
    with _progress(quiet) as advance:
        run = _guarded(lambda: api.stance(text, paths or [], workers=workers,
                                          progress=advance))
        count = _guarded(lambda: _write_stances(run))
    console.print(f"{count} articles scored", highlight=False)
    _print_skips_and_rejects(run.rejects, run.stats, console)


def _write_stances(run: api.StanceRun) -> int:
    n = 0
    for found in run:
        sys.stdout.write(f"{found.id}\t{found.stance}\t{found.confidence:.2f}\n")
        n += 1
    return n


def _guarded(call: Callable[[], T]) -> T:
    try:
        return call()
    except CorroborateError as err:
        _fail(err)


def _fail(err: CorroborateError) -> NoReturn:
    console.print(f"[red]error:[/red] {err}", markup=True, highlight=False)
    raise typer.Exit(2 if isinstance(err, UsageError) else 1)


def main() -> None:
    # Models are loaded from local files only; make sure no library phones home.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    app()
