"""The reader base class: what every input format shares.

`Reader` owns the size cap, transparent gzip, decoding, counting and error routing. A
bad file or a bad record becomes a reject (`ctx.reject`) with a reason (`empty`,
`binary`, `undecodable`, `unreadable`, `too-large`, `corrupt`, `malformed-json`,
`missing-text`, `unsupported`) and the batch goes on. A subclass only says which
records a file holds (`records`): one for a text or HTML file (the default, through
`document`), one per line for JSONL, one per HTML response for a WARC file.

A record is a source label and a function that builds the article. The function runs
under the base class's error routing, so one bad record is one reject; an error raised
while *listing* records (a truncated archive) rejects the rest of the file once, and
the records listed before it still land. Any other exception (a bug, or a library
choking on hostile bytes) is an `internal-error` reject, as in `ArticleStep`: bad input
never ends a batch. Only a `UsageError` (bad settings) stops the run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from corroborate.errors import RecordError, UsageError
from corroborate.ingest.compression import (
    document_stem,
    is_gzipped,
    open_input,
    read_limited,
)
from corroborate.ingest.decode import content_hash, decode_bytes
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import RunContext, Step

log = logging.getLogger(__name__)

# Larger files are not news articles (or are concatenations that should be JSONL).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

STEP_NAME = "read"

# One record of a file: its source label and a function that builds the article.
Record = tuple[str, Callable[[], Article]]


def max_bytes(ctx: RunContext) -> int:
    """The size cap of one document (a file, a JSONL line, a WARC record), decompressed."""
    return int(ctx.settings.get("max_bytes", DEFAULT_MAX_BYTES))


class Reader(Step):
    """Reads the files it is given (paths) and yields their articles."""

    name = STEP_NAME
    provides = frozenset({"raw", "format", "source", "id", "content_hash"})

    def run(self, items: Iterable[Any], ctx: RunContext) -> Iterator[Article]:
        for item in items:
            yield from self.read_file(Path(item), ctx)

    def read_file(self, path: Path, ctx: RunContext) -> Iterator[Article]:
        """Articles of one file; every failure becomes a reject, never an exception."""
        ctx.count("read.files")
        if is_gzipped(path):
            ctx.count("read.gzip")
        yield from self.read_records(str(path), self.records(path, ctx), ctx)

    def read_records(self, source: str, records: Iterator[Record],
                     ctx: RunContext) -> Iterator[Article]:
        """Build each record's article; `source` names the whole input in a reject
        raised while listing the records."""
        while True:
            try:
                record_source, build = next(records)
            except StopIteration:
                return
            except RecordError as err:  # the whole file (or the rest of it) is bad
                ctx.reject(source, self.name, err.reason, err.detail)
                return
            except OSError as err:
                ctx.reject(source, self.name, "unreadable", os_detail(err))
                return
            except UsageError:
                raise  # bad settings: the whole run must stop and say so
            except Exception as err:  # a reader's bug must not end the batch either
                log.exception("reader %s failed on %s", type(self).__name__, source)
                ctx.reject(source, self.name, "internal-error", repr(err))
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
        except UsageError:
            raise
        except Exception as err:
            log.exception("reader %s failed on %s", type(self).__name__, source)
            ctx.reject(source, self.name, "internal-error", repr(err))
            return None
        ctx.count("read.articles")
        ctx.count(f"read.{article.format.value}")
        return article


def new_article(article_id: str, source: str, raw: str, fmt: InputFormat) -> Article:
    return Article(id=article_id, source=source, raw=raw, format=fmt,
                   content_hash=content_hash(raw))


def document_article(path: Path, text: str, fmt: InputFormat) -> Article:
    """The one article of a whole-file document, with the file's stem as its id."""
    return new_article(document_stem(path), str(path), text, fmt)


def read_capped(path: Path, cap: int) -> bytes:
    """The file's bytes (decompressed when it is gzip), or `too-large` past `cap`.

    An uncompressed file over the cap is rejected from its size, without reading it.
    """
    if not is_gzipped(path):
        size = path.stat().st_size
        if size > cap:
            raise RecordError("too-large", f"{size} bytes (cap {cap})")
    with open_input(path, cap) as stream:
        # The file may have grown since stat; gzip is only measured by decompressing.
        return read_limited(stream, cap, "the file" if not is_gzipped(path)
                            else "the decompressed file")


def failing(err: RecordError) -> Callable[[], Article]:
    """A record builder that reports `err`: for a record found bad while listing."""
    def build() -> Article:
        raise err

    return build


def os_detail(err: OSError) -> str:
    return err.strerror or type(err).__name__
