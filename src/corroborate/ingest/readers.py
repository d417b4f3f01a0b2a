"""Readers: steps that turn paths into `Article`s (raw text or HTML, id, source, hash).

`Reader` owns what every format shares: the size cap, decoding, counting, and error
routing. A bad file or a bad JSONL line becomes a reject (`ctx.reject`) with a reason
(`empty`, `binary`, `undecodable`, `unreadable`, `too-large`, `malformed-json`,
`missing-text`, `unsupported`) and the batch goes on. A subclass only says which
records a file holds (`records`): one for a text or HTML file, one per line for JSONL.

`read_paths` is the entry point: it checks that every path given exists (a typo is a
`UsageError` at once, before anything is read), then walks directories recursively in
sorted order, skipping hidden files, and hands each file to the reader of its extension.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

from corroborate.clean.dates import iso_date
from corroborate.errors import RecordError, UsageError
from corroborate.ingest.decode import (
    content_hash,
    decode_bytes,
    is_blank,
    reject_binary,
    wide_encoding,
)
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import RunContext, Step

# Larger files are not news articles (or are concatenations that should be JSONL).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

STEP_NAME = "read"

# One record of a file: its source label and a function that builds the article,
# called under the base class's error routing so that one bad record is one reject.
Record = tuple[str, Callable[[], Article]]


def max_bytes(ctx: RunContext) -> int:
    return int(ctx.settings.get("max_bytes", DEFAULT_MAX_BYTES))


class Reader(Step):
    """Reads the files it is given (paths) and yields their articles."""

    name = STEP_NAME
    provides = frozenset({"raw", "format", "source", "id", "content_hash"})
    extensions: ClassVar[frozenset[str]] = frozenset()

    def run(self, items: Iterable[Any], ctx: RunContext) -> Iterator[Article]:
        for item in items:
            yield from self.read_file(Path(item), ctx)

    def read_file(self, path: Path, ctx: RunContext) -> Iterator[Article]:
        """Articles of one file; every failure becomes a reject, never an exception."""
        source = str(path)
        ctx.count("read.files")
        records = self.records(path, ctx)
        while True:
            try:
                record_source, build = next(records)
            except StopIteration:
                return
            except RecordError as err:  # the whole file (or the rest of it) is bad
                ctx.reject(source, self.name, err.reason, err.detail)
                return
            except OSError as err:
                ctx.reject(source, self.name, "unreadable", _os_detail(err))
                return
            article = self._build(record_source, build, ctx)
            if article is not None:
                yield article

    def records(self, path: Path, ctx: RunContext) -> Iterator[Record]:
        """The records of `path`; the default is one document per file."""
        text = decode_bytes(read_capped(path, max_bytes(ctx)))
        yield str(path), lambda: self.document(path, text)

    def document(self, path: Path, text: str) -> Article:
        raise NotImplementedError(f"{type(self).__name__} reads whole files: define document()")

    def _build(self, source: str, build: Callable[[], Article],
               ctx: RunContext) -> Article | None:
        try:
            article = build()
        except RecordError as err:
            ctx.reject(source, self.name, err.reason, err.detail)
            return None
        ctx.count("read.articles")
        ctx.count(f"read.{article.format.value}")
        return article


class TextReader(Reader):
    extensions = frozenset({".txt", ".text"})

    def document(self, path: Path, text: str) -> Article:
        return new_article(path.stem, str(path), text, InputFormat.TEXT)


class HtmlReader(Reader):
    extensions = frozenset({".html", ".htm", ".xhtml"})

    def document(self, path: Path, text: str) -> Article:
        return new_article(path.stem, str(path), text, InputFormat.HTML)


class JsonlReader(Reader):
    """One article per line: `text` or `html`, and optionally `id`, `url`, `title`,
    `published`, `outlet`, `author`. When a line has both, `text` is used: it is what
    the producer of the file already extracted.

    The size cap applies to each line, not to the file: a JSONL corpus may be large.
    """

    extensions = frozenset({".jsonl", ".ndjson"})

    def records(self, path: Path, ctx: RunContext) -> Iterator[Record]:
        cap = max_bytes(ctx)
        with path.open("rb") as handle:
            head = handle.read(4096)
            if not head.strip():
                raise RecordError("empty", "the file has no content")
            if wide_encoding(head) is not None:
                # UTF-16/32 cannot be split on newline bytes: decode it whole (capped).
                lines: Iterable[bytes | str] = decode_bytes(read_capped(path, cap)).split("\n")
            else:
                reject_binary(head)  # once for the file, not once per line
                handle.seek(0)
                lines = handle
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    source = f"{path}#L{number}"
                    yield source, _line_builder(path, number, source, line, cap)


def _line_builder(path: Path, number: int, source: str, line: bytes | str,
                  cap: int) -> Callable[[], Article]:
    def build() -> Article:
        size = len(line) if isinstance(line, bytes) else len(line.encode("utf-8"))
        if size > cap:
            raise RecordError("too-large", f"line of {size} bytes (cap {cap})")
        text = decode_bytes(line) if isinstance(line, bytes) else line
        return article_from_json(path, number, source, text)

    return build


def article_from_json(path: Path, number: int, source: str, line: str) -> Article:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise RecordError("malformed-json", f"{err.msg} at column {err.colno}") from err
    if not isinstance(record, dict):
        raise RecordError("malformed-json", "a line must hold a JSON object")
    raw, fmt = _json_body(record)
    given_id = record.get("id")
    article_id = str(given_id) if given_id not in (None, "") else f"{path.stem}-L{number}"
    article = new_article(article_id, source, raw, fmt)
    article.url = _json_str(record, "url")
    article.title = _json_str(record, "title")
    article.outlet = _json_str(record, "outlet")
    article.author = _json_str(record, "author")
    published = _json_str(record, "published")
    article.published = iso_date(published) if published else None
    return article


def _json_body(record: dict[str, Any]) -> tuple[str, InputFormat]:
    for key, fmt in (("text", InputFormat.TEXT), ("html", InputFormat.HTML)):
        value = record.get(key)
        if isinstance(value, str):
            if is_blank(value):
                raise RecordError("empty", f"`{key}` is blank")
            return value, fmt
    raise RecordError("missing-text", "the record has no string `text` or `html` field")


def _json_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def new_article(article_id: str, source: str, raw: str, fmt: InputFormat) -> Article:
    return Article(id=article_id, source=source, raw=raw, format=fmt,
                   content_hash=content_hash(raw))


def read_capped(path: Path, cap: int) -> bytes:
    """The file's bytes, or `too-large` without reading it when it exceeds `cap`."""
    size = path.stat().st_size
    if size > cap:
        raise RecordError("too-large", f"{size} bytes (cap {cap})")
    with path.open("rb") as handle:
        data = handle.read(cap + 1)  # the file may have grown since stat
    if len(data) > cap:
        raise RecordError("too-large", f"more than {cap} bytes")
    return data


READERS: tuple[Reader, ...] = (TextReader(), HtmlReader(), JsonlReader())


def reader_for(path: Path) -> Reader | None:
    suffix = path.suffix.lower()
    return next((r for r in READERS if suffix in r.extensions), None)


class FileReader(Reader):
    """Reads any supported file or directory: dispatches each file on its extension."""

    def run(self, items: Iterable[Any], ctx: RunContext) -> Iterator[Article]:
        roots = [Path(item) for item in items]
        named = {str(root) for root in roots if not root.is_dir()}
        for path in walk_files(roots):
            reader = reader_for(path)
            if reader is not None:
                yield from reader.read_file(path, ctx)
            elif str(path) in named:
                ctx.reject(str(path), self.name, "unsupported",
                           f"unknown extension {path.suffix or '(none)'!r}")
            else:
                # A README or an image beside the articles in a folder is not a bad
                # input: it is counted (and shown in the run summary), not rejected.
                ctx.count("read.skipped-unsupported")
                ctx.count(f"read.skipped-unsupported{path.suffix.lower() or '.(none)'}")


def read_paths(paths: Iterable[str | Path], ctx: RunContext) -> Iterator[Article]:
    """Articles of the given files and directories; raises `UsageError` at once
    (not on first iteration) when a path does not exist."""
    roots = [Path(p) for p in paths]
    if not roots:
        raise UsageError("No input given: name one or more files or directories to read.")
    missing = [str(p) for p in roots if not p.exists()]
    if missing:
        raise UsageError(f"No such file or directory: {', '.join(missing)}. "
                         "Check the path (directories are read recursively).")
    return FileReader().run(roots, ctx)


def walk_files(roots: Iterable[Path]) -> Iterator[Path]:
    """Files under `roots` in sorted order, hidden entries skipped below each root.

    A root that is a file is yielded as given, hidden or not: the user named it.
    Directory symlinks are followed once (a loop is not walked twice).
    """
    seen: set[str] = set()
    for root in roots:
        if root.is_dir():
            yield from _walk_dir(root, seen)
        else:
            yield root


def _walk_dir(directory: Path, seen: set[str]) -> Iterator[Path]:
    real = os.path.realpath(directory)
    if real in seen:
        return
    seen.add(real)
    for entry in sorted(directory.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk_dir(entry, seen)
        else:
            yield entry


def _os_detail(err: OSError) -> str:
    return err.strerror or type(err).__name__
