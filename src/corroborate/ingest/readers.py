"""Readers: steps that turn inputs into `Article`s (raw text or HTML, id, source, hash).

`read_paths` is the entry point. Its inputs are files, directories, http(s) URLs and
`-` for standard input. It checks them all before anything is read (a typo is a
`UsageError` at once), then reads them in order: directories are walked recursively in
sorted order (hidden entries skipped), each file goes to the reader of its format, the
URLs go together, in input order, to `corroborate.ingest.urls.read_urls` (one fetcher
for the run keeps the per-host rate limit), and `-` to `StdinReader`.

A file's format is its extension once a trailing `.gz` is set aside (`READERS`); any
format may be gzip-compressed. Readers are registered by dotted name and imported when
a file of theirs is first met, so the network-bound feed and URL-list readers cost
nothing to a run that has none. The base class and shared helpers are in
`ingest.base`; JSONL in `ingest.jsonl`, web archives in `ingest.warc`.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from corroborate.errors import RecordError, UsageError
from corroborate.ingest.base import (
    DEFAULT_MAX_BYTES,
    STEP_NAME,
    Reader,
    Record,
    document_article,
    max_bytes,
    new_article,
    read_capped,
)
from corroborate.ingest.compression import format_suffix, is_gzipped, open_input
from corroborate.ingest.jsonl import JsonlReader, field_map
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import RunContext

__all__ = [
    "DEFAULT_MAX_BYTES",
    "READERS",
    "STDIN",
    "STEP_NAME",
    "FileReader",
    "HtmlReader",
    "JsonlReader",
    "Reader",
    "Record",
    "TextReader",
    "is_url",
    "max_bytes",
    "new_article",
    "read_capped",
    "read_paths",
    "reader_for",
    "register_reader",
    "walk_files",
]

STDIN = "-"
URL_READER = "corroborate.ingest.urls:read_urls"
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
# What a URL turns into when it has been through `Path` ("https://a" -> "https:/a").
_MANGLED_URL = re.compile(r"^https?:/[^/]", re.IGNORECASE)


class TextReader(Reader):
    def document(self, path: Path, text: str) -> Article:
        return document_article(path, text, InputFormat.TEXT)


class HtmlReader(Reader):
    def document(self, path: Path, text: str) -> Article:
        return document_article(path, text, InputFormat.HTML)


# Format (extension after any `.gz`) -> its reader, as "module:Class".
READERS: dict[str, str] = {
    ".txt": f"{__name__}:TextReader",
    ".text": f"{__name__}:TextReader",
    ".html": f"{__name__}:HtmlReader",
    ".htm": f"{__name__}:HtmlReader",
    ".xhtml": f"{__name__}:HtmlReader",
    ".jsonl": "corroborate.ingest.jsonl:JsonlReader",
    ".ndjson": "corroborate.ingest.jsonl:JsonlReader",
    ".warc": "corroborate.ingest.warc:WarcReader",
    ".rss": "corroborate.ingest.feeds:FeedReader",
    ".atom": "corroborate.ingest.feeds:FeedReader",
    ".xml": "corroborate.ingest.feeds:FeedReader",
    ".urls": "corroborate.ingest.urls:UrlListReader",
}
_LOADED: dict[str, Reader] = {}


def register_reader(extension: str, target: str) -> None:
    """Read files with `extension` (e.g. ".md", also as ".md.gz") with the `Reader`
    subclass named `target` ("package.module:Class"), imported on first use."""
    if not extension.startswith(".") or ":" not in target:
        raise ValueError(f"expected '.ext' and 'module:Class', got {extension!r}, {target!r}")
    READERS[extension.lower()] = target


def reader_for(path: Path) -> Reader | None:
    """The reader of `path`'s format; None for a format we do not read. Raises
    `RecordError("unsupported")` when the format's reader cannot be imported."""
    target = READERS.get(format_suffix(path))
    return None if target is None else _load_reader(target)


def _load_reader(target: str) -> Reader:
    if target not in _LOADED:
        module_name, _, class_name = target.partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError) as err:
            raise RecordError("unsupported", f"the reader {target} is not available "
                                             f"in this installation ({err})") from err
        if not (isinstance(cls, type) and issubclass(cls, Reader)):
            raise TypeError(f"{target} is not a Reader subclass")
        _LOADED[target] = cls()
    return _LOADED[target]


class FileReader(Reader):
    """Reads any supported input: files by format, directories, URLs and stdin."""

    def run(self, items: Iterable[Any], ctx: RunContext) -> Iterator[Article]:
        inputs = list(items)
        urls = [str(item) for item in inputs if is_url(item)]
        seen_dirs: set[str] = set()
        for item in inputs:
            if is_url(item):
                if urls:  # all of them at the first, through one polite fetcher
                    yield from _read_urls(urls, ctx)
                    urls = []
            elif _is_stdin(item):
                yield from _read_stdin(ctx)
            elif Path(item).is_dir():
                for path in _walk_dir(Path(item), seen_dirs):
                    yield from self._read_one(path, False, ctx)
            else:
                yield from self._read_one(Path(item), True, ctx)

    def _read_one(self, path: Path, named: bool, ctx: RunContext) -> Iterator[Article]:
        """A file the user named is rejected when its format is unsupported; one met in
        a folder is skipped and counted (a README beside the articles is no bad input)."""
        try:
            reader = reader_for(path)
        except RecordError as err:
            ctx.reject(str(path), self.name, err.reason, err.detail)
            return
        if reader is not None and not named and not _worth_reading(path):
            reader = None
        if reader is not None:
            yield from reader.read_file(path, ctx)
        elif named:
            ctx.reject(str(path), self.name, "unsupported",
                       f"unknown extension {_suffix_label(path)!r}")
        else:
            ctx.count("read.skipped-unsupported")
            ctx.count(f"read.skipped-unsupported{_suffix_label(path)}")


# `.xml` is a feed's extension but also a sitemap's, a config file's, an export's: in a
# folder, only an XML file that opens like a feed is read (one the user named always is).
FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")
SNIFF_BYTES = 2048


def _worth_reading(path: Path) -> bool:
    if format_suffix(path) != ".xml":
        return True
    try:
        with open_input(path, SNIFF_BYTES * 4) as stream:
            head = stream.read(SNIFF_BYTES).lower()
    except (OSError, RecordError):
        return True  # let the reader report what is wrong with it
    return any(root in head for root in FEED_ROOTS)


def read_paths(paths: Iterable[str | Path], ctx: RunContext) -> Iterator[Article]:
    """Articles of the given files, directories, URLs and `-` (stdin), in order.

    Raises `UsageError` at once (not on first iteration) when an input does not exist,
    stdin is named twice, or the settings are wrong (`jsonl_fields`).
    """
    inputs = list(paths)
    check_inputs(inputs)
    field_map(ctx.settings)
    return FileReader().run(inputs, ctx)


def check_inputs(inputs: list[str | Path]) -> None:
    """`UsageError` unless every input is an existing path, an http(s) URL or `-`."""
    if not inputs:
        raise UsageError("No input given: name one or more files, directories or URLs "
                         "to read (or - for standard input).")
    if sum(1 for item in inputs if _is_stdin(item)) > 1:
        raise UsageError("Standard input (-) can be read only once; name it once.")
    files = [item for item in inputs if not is_url(item) and not _is_stdin(item)]
    missing = [str(p) for p in files if not Path(p).exists()]
    if missing:
        raise UsageError(f"No such file or directory: {', '.join(missing)}. "
                         f"Check the path (directories are read recursively).{_url_hint(missing)}")


def is_url(item: str | Path) -> bool:
    """An http(s) URL given as a string (a `Path` is always a path)."""
    return isinstance(item, str) and _URL.match(item) is not None


def walk_files(roots: Iterable[Path], seen: set[str] | None = None) -> Iterator[Path]:
    """Files under `roots` in sorted order, hidden entries skipped below each root.

    A root that is a file is yielded as given, hidden or not: the user named it.
    Directory symlinks are followed once (a loop is not walked twice); `seen` carries
    the directories walked so far across calls.
    """
    seen = set() if seen is None else seen
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


def _read_urls(urls: list[str], ctx: RunContext) -> Iterator[Article]:
    module_name, _, function_name = URL_READER.partition(":")
    try:
        read_urls = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError) as err:
        for url in urls:
            ctx.reject(url, STEP_NAME, "unsupported",
                       f"reading URLs is not available in this installation ({err})")
        return
    articles: Iterator[Article] = read_urls(urls, ctx)
    yield from articles


def _read_stdin(ctx: RunContext) -> Iterator[Article]:
    from corroborate.ingest.stdin import StdinReader

    return StdinReader().read_stdin(ctx)


def _is_stdin(item: str | Path) -> bool:
    return str(item) == STDIN


def _suffix_label(path: Path) -> str:
    label = format_suffix(path) + (".gz" if is_gzipped(path) else "")
    return label or ".(none)"


def _url_hint(missing: list[str]) -> str:
    if any(_MANGLED_URL.match(item) for item in missing):
        return " A URL must be given as a string: a Path turns https:// into https:/."
    return ""
