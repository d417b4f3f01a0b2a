"""HTML extraction on the trafilatura evaluation corpus: corroborate against plain trafilatura.

    .venv/bin/python bench/extraction.py [--limit N] [--only english] [--workers N] [--json]

Data: ../shared/datasets/trafilatura-eval (990 web pages, each with "with" snippets that
must be in the extracted text and "without" snippets that must not). The score is the
corpus's own metric (`eval_common.count_item` in the corpus, re-implemented here): a
snippet is found when its whitespace-normalised form is a substring of the
whitespace-normalised output; tp = "with" found, fn = "with" missed, fp = "without"
found, tn = "without" missed, summed over pages (micro); precision, recall, accuracy
and F1 from the sums. A page a system fails on (an exception, a reject, no output)
counts as a full miss, as in the corpus's scripts.

Systems, run in the same process on the same decoded page (both get the text our
readers' decoder, `corroborate.ingest.decode.decode_bytes`, makes of the bytes):

- `trafilatura`: `trafilatura.extract(html, url=url)`, its default settings;
- `trafilatura-eval`: the settings of the corpus's own gate (comments off, tables on),
  which give its published 0.924: a second reference, not a corroborate setting;
- `corroborate`: the pipeline's `CleanStep` on an `Article` of format HTML with the
  page's URL, scored on the article's `text` (the headline, which the step moves to
  `title`, is not scored).

Pages per second is one core's throughput: the sum of each call's own wall time, so
the figure does not depend on `--workers`.

A page's language is decided from the page and its annotation, never from a system's
output: three guesses, by majority, ties going to the first: the language of the
page's visible prose (blocks of 8 or more words, HTML as a browser lays it out), of
its "with" snippets (`corroborate.clean.language.detect_language` on both), and the
primary subtag of its `<html lang>` (or Content-Language meta tag). A page none of
them can judge is "unknown". `<html lang>` alone is wrong on many pages here (WordPress
themes declare "en-US" on German blogs), and the snippets alone are often too short.

The 50/50 split: a page is in the "tune" half when the first byte of the SHA-256 of its
URL is even, else in the "test" half. Rules in `clean/` were tuned on "tune" only.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corroborate.clean.html import visible_lines
from corroborate.clean.language import detect_language
from corroborate.clean.step import CleanStep
from corroborate.errors import RecordError
from corroborate.ingest.decode import decode_bytes
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import RunContext

CORPUS = (Path(__file__).resolve().parents[2] / "shared" / "datasets" / "trafilatura-eval"
          / "orig" / "tests")
SYSTEMS = ("trafilatura", "trafilatura-eval", "corroborate")
HALVES = ("tune", "test")

_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3})\b", re.IGNORECASE)
_META_LANG = re.compile(
    r"<meta\b[^>]*?http-equiv\s*=\s*[\"']?content-language[\"']?[^>]*?content\s*=\s*[\"']?"
    r"\s*([A-Za-z]{2,3})\b", re.IGNORECASE)
# A page declares its language in its head: the first 20,000 characters hold it.
HEAD_CHARS = 20_000
# Visible blocks this long are prose; shorter ones are menus and labels, which are often
# in English on pages in other languages.
PROSE_MIN_WORDS = 8


@dataclass(slots=True)
class Page:
    url: str
    file: str
    with_: list[str]
    without: list[str]
    html: str | None  # None when the file is missing or did not decode: a miss for all
    language: str
    half: str


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    pages: int = 0
    seconds: float = 0.0
    failures: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn
        self.pages += other.pages
        self.seconds += other.seconds
        self.failures += other.failures

    def scores(self) -> dict[str, float]:
        found, wanted = self.tp + self.fp, self.tp + self.fn
        total = found + self.fn + self.tn
        f1_denominator = 2 * self.tp + self.fp + self.fn
        return {
            "precision": self.tp / found if found else 0.0,
            "recall": self.tp / wanted if wanted else 0.0,
            "accuracy": (self.tp + self.tn) / total if total else 0.0,
            "f1": 2 * self.tp / f1_denominator if f1_denominator else 0.0,
            "pages_per_second": self.pages / self.seconds if self.seconds else 0.0,
        }

    def summary(self) -> dict[str, Any]:
        return {**self.scores(), "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "failures": self.failures}


@dataclass(slots=True)
class PageResult:
    url: str
    language: str
    half: str
    counts: dict[str, Counts] = field(default_factory=dict)


# --- The corpus -------------------------------------------------------------------------


def corpus_present(root: Path = CORPUS) -> bool:
    return (root / "evaldata.json").is_file()


def load_pages(root: Path = CORPUS, limit: int | None = None) -> list[Page]:
    """The annotated pages in URL order (the corpus's own order), decoded."""
    annotations: dict[str, dict[str, Any]] = json.loads(
        (root / "evaldata.json").read_text(encoding="utf-8"))
    pages: list[Page] = []
    for url in sorted(annotations)[:limit]:
        item = annotations[url]
        html = _decoded(_page_bytes(root, item["file"]))
        pages.append(Page(url=url, file=item["file"], with_=list(item["with"]),
                          without=list(item["without"]), html=html,
                          language=page_language(html or "", item["with"]),
                          half=split_half(url)))
    return pages


def _page_bytes(root: Path, name: str) -> bytes | None:
    """The page's bytes: cache/ before eval/, as the corpus's scripts look them up."""
    for folder in ("cache", "eval"):
        path = root / folder / f"{name}.gz"
        if path.is_file():
            return gzip.decompress(path.read_bytes())
    return None


def _decoded(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return decode_bytes(data)
    except RecordError:
        return None


def page_language(html: str, with_snippets: Iterable[str]) -> str:
    """The page's language by majority of three guesses (see the module docstring)."""
    prose = " ".join(line for line in visible_lines(html) if len(line.split()) >= PROSE_MIN_WORDS)
    guesses = [detect_language(prose), detect_language(" ".join(with_snippets)),
               declared_language(html)]
    votes = Counter(guess for guess in guesses if guess)
    if not votes:
        return "unknown"
    best = max(votes.values())
    return next(guess for guess in guesses if guess and votes[guess] == best)


def declared_language(html: str) -> str | None:
    head = html[:HEAD_CHARS]
    declared = _HTML_LANG.search(head) or _META_LANG.search(head)
    return declared.group(1).lower() if declared else None


def split_half(url: str) -> str:
    return HALVES[hashlib.sha256(url.encode("utf-8")).digest()[0] % 2]


# --- The systems ------------------------------------------------------------------------


def plain_trafilatura(html: str, url: str) -> str | None:
    from trafilatura import extract

    result: str | None = extract(html, url=url)
    return result


def eval_trafilatura(html: str, url: str) -> str | None:
    from trafilatura import extract

    result: str | None = extract(html, url=url, include_comments=False, include_tables=True,
                                 include_formatting=False)
    return result


def corroborate_clean(html: str, url: str) -> str | None:
    """The article text the pipeline's clean step makes of the page; None if rejected."""
    article = Article(id=hashlib.sha256(url.encode("utf-8")).hexdigest()[:12], source=url,
                      raw=html, format=InputFormat.HTML, url=url)
    cleaned = list(CleanStep().run([article], RunContext()))
    return cleaned[0].text if cleaned else None


RUNNERS: dict[str, Callable[[str, str], str | None]] = {
    "trafilatura": plain_trafilatura,
    "trafilatura-eval": eval_trafilatura,
    "corroborate": corroborate_clean,
}


# --- Scoring ----------------------------------------------------------------------------


def normalised(text: str) -> str:
    return " ".join(text.split())


def score_page(page: Page, output: str | None) -> Counts:
    flat = normalised(output) if output else ""
    found_with = sum(1 for s in page.with_ if flat and normalised(s) in flat)
    found_without = sum(1 for s in page.without if flat and normalised(s) in flat)
    return Counts(tp=found_with, fp=found_without, fn=len(page.with_) - found_with,
                  tn=len(page.without) - found_without, pages=1)


def run_page(page: Page, systems: Iterable[str] = SYSTEMS) -> PageResult:
    result = PageResult(page.url, page.language, page.half)
    for name in systems:
        output: str | None = None
        start = time.perf_counter()
        if page.html is not None:
            try:
                output = RUNNERS[name](page.html, page.url)
            except Exception:  # a crash is a miss, as in the corpus's own scripts
                output = None
        counts = score_page(page, output)
        counts.seconds = time.perf_counter() - start
        counts.failures = int(output is None)
        result.counts[name] = counts
    return result


def run_pages(pages: list[Page], systems: tuple[str, ...] = SYSTEMS,
              workers: int = 1) -> Iterator[PageResult]:
    if workers <= 1:
        for page in pages:
            yield run_page(page, systems)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(run_page, pages, [systems] * len(pages), chunksize=8)


# --- Summary ----------------------------------------------------------------------------


def _groups() -> dict[str, Callable[[PageResult], bool]]:
    groups: dict[str, Callable[[PageResult], bool]] = {
        "all": lambda r: True,
        "english": lambda r: r.language == "en",
        "other languages": lambda r: r.language != "en",
    }
    for half in HALVES:
        groups[f"{half} half"] = _in_half(half, english=False)
        groups[f"english {half} half"] = _in_half(half, english=True)
    return groups


def _in_half(half: str, *, english: bool) -> Callable[[PageResult], bool]:
    return lambda r: r.half == half and (not english or r.language == "en")


def summarise(results: list[PageResult], systems: tuple[str, ...] = SYSTEMS) -> dict[str, Any]:
    """Scores per group of pages and system, and the pages' languages (JSON-ready)."""
    summary: dict[str, Any] = {
        "pages": len(results),
        "languages": dict(Counter(r.language for r in results).most_common()),
        "groups": {},
    }
    for group, member in _groups().items():
        chosen = [r for r in results if member(r)]
        summary["groups"][group] = {
            "pages": len(chosen),
            "systems": {name: _total(chosen, name).summary() for name in systems},
        }
    return summary


def _total(results: Iterable[PageResult], system: str) -> Counts:
    total = Counts()
    for result in results:
        total.add(result.counts[system])
    return total


def print_summary(summary: dict[str, Any]) -> None:
    print(f"trafilatura-eval: {summary['pages']} pages; languages: "
          + ", ".join(f"{lang} {n}" for lang, n in summary["languages"].items()))
    for group, data in summary["groups"].items():
        if not data["pages"]:
            continue
        print(f"\n{group} ({data['pages']} pages)")
        print(f"  {'system':<17} {'P':>6} {'R':>6} {'acc':>6} {'F1':>7} {'pages/s':>8} "
              f"{'failed':>6}")
        for name, s in data["systems"].items():
            print(f"  {name:<17} {s['precision']:6.3f} {s['recall']:6.3f} {s['accuracy']:6.3f} "
                  f"{s['f1']:7.4f} {s['pages_per_second']:8.1f} {s['failures']:6d}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--limit", type=int, default=None,
                        help="only the first N pages (URL order)")
    parser.add_argument("--only", choices=["english"], default=None,
                        help="score only the English pages")
    parser.add_argument("--systems", default=",".join(SYSTEMS),
                        help=f"comma-separated, from {', '.join(SYSTEMS)}")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes to spread the pages over (pages/s stays per core)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--data", type=Path, default=CORPUS,
                        help="the corpus's tests/ folder (with evaldata.json)")
    args = parser.parse_args(argv)
    systems = tuple(name.strip() for name in args.systems.split(",") if name.strip())
    unknown = [name for name in systems if name not in RUNNERS]
    if unknown or not systems:
        parser.error(f"unknown system(s) {', '.join(unknown)}; choose from {', '.join(SYSTEMS)}")
    if not corpus_present(args.data):
        print(f"skipped: {args.data / 'evaldata.json'} not found", file=sys.stderr)
        return 0
    pages = load_pages(args.data, args.limit)
    if args.only == "english":
        pages = [page for page in pages if page.language == "en"]
    summary = summarise(list(run_pages(pages, systems, args.workers)), systems)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print_summary(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
