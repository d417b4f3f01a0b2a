"""WARC and WARC.gz web archives (warcio): one HTML article per successful page capture.

Only `response` records with HTTP status 200 and an HTML body become articles (format
HTML, `url` the record's WARC-Target-URI, `source` `<file>#<WARC-Record-ID>`, id
`<file stem>-<record number>`). Every other record (requests, metadata, redirects,
images, revisits) is skipped and counted under `read.warc.skipped-<why>`: skipping
them is what reading an archive means, not a fault. The crawl date (WARC-Date) says
when the page was fetched, not when it was published, so it goes to `crawled`, never to
`published`; the record id in `source` leads back to the record.

Bodies are decoded with the charset of the HTTP Content-Type, unless a BOM or valid
UTF-8 says otherwise (`decode_with_charset`). A body over the size cap or with a broken
transfer/content encoding is rejected on its own and the archive goes on. A truncated
or damaged archive keeps the pages before the damage and is rejected once, `corrupt`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from corroborate.errors import RecordError
from corroborate.ingest.base import (
    Reader,
    Record,
    failing,
    max_bytes,
    new_article,
)
from corroborate.ingest.compression import (
    CHUNK_BYTES,
    GZIP_MAGIC,
    StreamError,
    decompressing,
    document_stem,
    peek,
    read_limited,
    read_some,
)
from corroborate.ingest.decode import decode_with_charset
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import RunContext

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# The record types of WARC 1.1 (ISO 28500:2017), section 6.
WARC_TYPES = frozenset({"warcinfo", "response", "resource", "request", "metadata",
                        "revisit", "conversion", "continuation"})

# A WARC file starts with its first record's version line (blank lines tolerated).
WARC_MAGIC = b"WARC/"
MAX_LEADING_BLANKS = 8

# How much of the end of an archive is kept to check that it ends between records.
TAIL_BYTES = 64 * 1024

# Without a Content-Type header, a body that opens like this is taken for HTML.
HTML_OPENINGS = (b"<!doctype html", b"<html")


class WarcReader(Reader):
    """Reads `.warc` and `.warc.gz` files (whole-file or per-record gzip)."""

    def records(self, path: Path, ctx: RunContext) -> Iterator[Record]:
        from warcio.archiveiterator import ArchiveIterator

        cap = max_bytes(ctx)
        with _open_archive(path, cap) as opened:
            head, stream = peek(opened, len(WARC_MAGIC) + MAX_LEADING_BLANKS)
            if not head.strip():
                raise RecordError("empty", "the archive has no records")
            if not head.lstrip(b"\r\n").startswith(WARC_MAGIC):
                raise RecordError("corrupt", f"not a WARC file: it starts with {head[:12]!r}")
            tail = _Tail(stream)
            archive = ArchiveIterator(tail)
            for number, record in enumerate(_guarded(archive), start=1):
                ctx.count("read.warc.records")
                _check_length(record, number)
                found = _record_of(path, number, record, cap, ctx)
                _finish(record, number)
                if found is not None:
                    yield found
            tail.check_end(archive.offset)


def _open_archive(path: Path, cap: int) -> BinaryIO:
    """The archive's bytes, decompressed by our guard when it is gzip (by its magic
    bytes, whatever its name): warcio itself would take a truncated gzip stream for a
    clean end of the archive and lose the damage silently."""
    handle = path.open("rb")
    magic, stream = peek(handle, len(GZIP_MAGIC))
    return decompressing(stream, cap) if magic == GZIP_MAGIC else stream


def _guarded(archive: Any) -> Iterator[Any]:
    """The archive's records; whatever warcio raises while parsing is `corrupt`.

    warcio parses untrusted bytes and fails in more ways than its own exceptions: on
    2,000 randomly damaged archives it raised ArchiveLoadFailed 641 times and an
    AttributeError on a mangled header 185 times. Whatever it is, the archive cannot be
    read past this point.
    """
    while True:
        try:
            record = next(archive)
        except StopIteration:
            return
        except RecordError:
            raise  # our gzip guard: already a reason
        except Exception as err:
            raise RecordError("corrupt", f"not a readable WARC record: {_first_line(err)}") \
                from err
        yield record


def _record_of(path: Path, number: int, record: Any, cap: int,
               ctx: RunContext) -> Record | None:
    """The record as an article builder, or None when it is not an HTML page."""
    skipped = _skip_reason(record)
    source = f"{path}#{_record_id(record, number)}"
    body: bytes = b""
    if skipped is None:
        try:
            body = _body(record, cap)
        except StreamError:
            raise  # the archive itself is damaged: the reader rejects the rest of it
        except RecordError as err:
            return source, failing(err)
        if _content_type(record)[0] is None and not _opens_like_html(body):
            skipped = "non-html"
    if skipped is not None:
        ctx.count("read.warc.skipped")
        ctx.count(f"read.warc.skipped-{skipped}")
        return None
    charset = _content_type(record)[1]
    uri = record.rec_headers.get_header("WARC-Target-URI")
    crawled = record.rec_headers.get_header("WARC-Date")
    article_id = f"{document_stem(path)}-{number}"

    def build() -> Article:
        article = new_article(article_id, source, decode_with_charset(body, charset),
                              InputFormat.HTML)
        article.url = str(uri) if uri else None
        article.crawled = str(crawled) if crawled else None
        return article

    return source, build


def _skip_reason(record: Any) -> str | None:
    """Why the record is not an HTML page (None when it may be one). The reasons are
    counter names, so a damaged header cannot invent new ones."""
    if record.rec_type != "response":
        return record.rec_type if record.rec_type in WARC_TYPES else "other-type"
    if record.http_headers is None:
        return "non-http"
    status = str(record.http_headers.get_statuscode())
    if status != "200":
        return f"status-{status}" if status.isdigit() and len(status) == 3 \
            else "status-invalid"
    mime = _content_type(record)[0]
    return None if mime is None or mime in HTML_TYPES else "non-html"


def _content_type(record: Any) -> tuple[str | None, str | None]:
    """The HTTP Content-Type's media type (lower-cased) and charset; None if absent."""
    value = record.http_headers.get_header("Content-Type") if record.http_headers else None
    if not value:
        return None, None
    mime, *params = (part.strip() for part in str(value).split(";"))
    charset = next((p.split("=", 1)[1].strip("\"' ") for p in params
                    if p.lower().startswith("charset=")), None)
    return mime.lower() or None, charset


def _opens_like_html(body: bytes) -> bool:
    return body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(HTML_OPENINGS)


def _body(record: Any, cap: int) -> bytes:
    """The HTTP payload, de-chunked and decompressed by warcio, capped. A broken
    transfer or content encoding is this record's fault, not the archive's."""
    try:
        return read_limited(record.content_stream(), cap, "the record's body")
    except RecordError:
        raise
    except Exception as err:  # zlib.error, ChunkedDataException, brotli errors ...
        raise RecordError("corrupt", f"broken HTTP encoding: {_first_line(err)}") from err


def _finish(record: Any, number: int) -> None:
    """Read the rest of the record; a record that ends before its Content-Length is
    a truncated archive."""
    from warcio.limitreader import LimitReader

    stream = record.raw_stream
    while stream.read(CHUNK_BYTES):
        pass
    if isinstance(stream, LimitReader) and stream.limit > 0:
        uri = record.rec_headers.get_header("WARC-Target-URI") or "?"
        raise RecordError("corrupt", f"record {number} ({uri}) is cut short: "
                                     f"{stream.limit} bytes missing (truncated archive)")


def _check_length(record: Any, number: int) -> None:
    """Every WARC record states its Content-Length; warcio reads a header block cut off
    by the end of the file as a record without one."""
    if record.rec_headers.get_header("Content-Length") is None:
        raise RecordError("corrupt", f"record {number} has no Content-Length "
                                     "(a record header cut short: truncated archive?)")


class _Tail:
    """Counts what warcio reads and keeps the last bytes: warcio ends quietly when the
    archive stops in the middle of a record header, so the reader checks that nothing
    but blank lines follows the last complete record."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.total = 0
        self.last = b""

    def read(self, size: int = -1) -> bytes:
        # warcio reads in blocks; a short read is allowed and keeps good bytes before
        # damage (see `read_some`).
        data = read_some(self.stream, size if size >= 0 else CHUNK_BYTES)
        self.total += len(data)
        self.last = (self.last + data)[-TAIL_BYTES:]
        return data

    def check_end(self, end_of_records: int) -> None:
        rest = self.total - end_of_records
        if rest <= 0:
            return
        if rest > len(self.last) or self.last[-rest:].strip():
            raise RecordError("corrupt", f"the archive ends inside a record: {rest} bytes "
                                         "after the last complete one (truncated archive)")


def _record_id(record: Any, number: int) -> str:
    value = record.rec_headers.get_header("WARC-Record-ID")
    return str(value).strip("<> ") if value else f"record-{number}"


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:200] if text else type(err).__name__
