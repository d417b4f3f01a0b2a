"""The `corroborate` command: a thin layer over `corroborate.api`."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from corroborate import __version__, api
from corroborate.errors import CorroborateError, UsageError
from corroborate.report.markdown import render_markdown

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


@app.command()
def analyze(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories of articles "
                                                     "(.txt, .html, .htm, .jsonl).")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Directory for report.json, "
                                          "report.md and report.html.")] = Path("out"),
    db: DbOption = Path(DEFAULT_DB),
    workers: Annotated[int | None, typer.Option(help="Worker processes for large batches "
                                                     "(default: one per CPU).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Analyse articles into stories and write the cross-source report."""
    report = _run_analysis(paths, out_dir, db, workers, quiet)
    _print_summary(report, out_dir, db)


def _run_analysis(paths: list[Path], out_dir: Path, db: Path, workers: int | None,
                  quiet: bool) -> api.Report:
    show_progress = not quiet and console.is_terminal
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed}"),
                  TimeElapsedColumn(), console=console, disable=not show_progress,
                  transient=True) as progress:
        tasks: dict[str, Any] = {}

        def advance(stage: str, n: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=None)
            progress.advance(tasks[stage], n)

        return _guarded(lambda: api.analyze(paths, db=db, out=out_dir, workers=workers,
                                            progress=advance))


def _print_story_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Aligned columns with the story title last, cut to the terminal's width (80 in
    a pipe or a CI log) so that every count stays visible."""
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
    skipped = stats.get("read.skipped-unsupported", 0)
    if skipped:
        kinds = sorted(k.rsplit(".", 1)[-1] for k in stats
                       if k.startswith("read.skipped-unsupported."))
        out.print(f"{skipped} files skipped: not an article format "
                  f"(.{', .'.join(kinds)})", markup=False)
    if report.rejects:
        reasons = Counter(r["reason"] for r in report.rejects)
        out.print(f"[yellow]{len(report.rejects)} inputs rejected[/yellow]: "
                  + ", ".join(f"{n} {reason}" for reason, n in reasons.most_common()))
        for r in report.rejects[:20]:
            out.print(f"  {r['source']}: {r['reason']} {r['detail']}".rstrip(), markup=False)
    out.print(f"reports: {', '.join(str(p) for p in report.files)}")


@app.command()
def stories(db: DbOption = Path(DEFAULT_DB),
            as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the stories in the store."""
    rows = _guarded(lambda: api.list_stories(db))
    if as_json:
        out.print_json(json.dumps(rows))
        return
    _print_story_table(
        ("articles", "first seen", "last seen"),
        [(r["id"], str(r["n_articles"]), r["first_seen"] or "", r["last_seen"] or "",
          r["title"]) for r in rows],
    )


@app.command()
def show(
    story: Annotated[str, typer.Argument(help="Story id (or a unique prefix of it).")],
    db: DbOption = Path(DEFAULT_DB),
    fmt: Annotated[str, typer.Option("--format", "-f", help="markdown or json.")] = "markdown",
) -> None:
    """Print one story: summary, facts, claims, quotes, provenance, timeline."""
    if fmt not in ("markdown", "json"):
        _fail(UsageError(f"unknown format {fmt!r}: use markdown or json"))
    document = _guarded(lambda: api.show_story(story, db))
    if fmt == "json":
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_markdown(document))


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
