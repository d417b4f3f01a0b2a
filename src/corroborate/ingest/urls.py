"""URLs to read: given on the command line (`read_urls`) or listed in a `.urls` file.

Each URL is fetched politely (`fetch.Fetcher`). What comes back decides what it gives:
a feed (by content type, or by its root element) gives one article per item; an HTML
page gives one article (`url` the final URL after redirects, `source` the URL as given,
id a stable hash of the final URL); anything else is rejected `unsupported` with its
content type. A URL given twice in one run is fetched once.

A `.urls` file holds one URL per line; blank lines and lines starting with `#` are
ignored, and a line that is not a URL we may fetch is rejected with its line number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from corroborate.errors import RecordError
from corroborate.ingest.base import (
    Reader,
    Record,
    failing,
    max_bytes,
    new_article,
    read_capped,
)
from corroborate.ingest.decode import decode_bytes
from corroborate.ingest.feeds import html_of, item_records, page_kind, parse_feed, stable_id
from corroborate.ingest.fetch import Fetcher, FetchResult, shared_fetcher
from corroborate.ingest.netguard import normalise_url, split_url
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import RunContext

COMMENT_PREFIX = "#"
# The source label of URLs given directly (a reject of the whole list names this).
DIRECT_SOURCE = "urls"


class UrlListReader(Reader):
    """`.urls` files: one URL per line."""

    def __init__(self, fetcher: Fetcher | None = None) -> None:
        self.fetcher = fetcher

    def records(self, path: Path, ctx: RunContext) -> Iterator[Record]:
        text = decode_bytes(read_capped(path, max_bytes(ctx)))
        fetcher = self.fetcher or shared_fetcher(ctx.settings)
        yield from url_records(listed_urls(path, text), ctx, fetcher)


def read_urls(urls: list[str], ctx: RunContext,
              fetcher: Fetcher | None = None) -> Iterator[Article]:
    """The articles of `urls`, in order; every failure is a reject with its reason.

    The settings are checked at once (a bad `timeout` is a `UsageError` here, not on
    the first iteration).
    """
    chosen = fetcher or shared_fetcher(ctx.settings)
    entries = ((url, url) for url in urls)
    return UrlListReader(chosen).read_records(DIRECT_SOURCE, url_records(entries, ctx, chosen),
                                              ctx)


# (source label, URL), or (source label, error) for a line of a list that is no URL.
Entry = tuple[str, str | RecordError]


def listed_urls(path: Path, text: str) -> Iterator[Entry]:
    """The URLs of a list file, or the error of each line that is not one."""
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.strip().lstrip("\ufeff")
        if not entry or entry.startswith(COMMENT_PREFIX):
            continue
        try:
            split_url(entry)
        except RecordError as err:
            reason = err.reason if err.reason == "bad-scheme" else "bad-url"
            yield f"{path}#L{number}", RecordError(reason, f"line {number}: {err.detail}")
            continue
        yield entry, entry


def url_records(entries: Iterable[Entry], ctx: RunContext, fetcher: Fetcher) -> Iterator[Record]:
    """The records of each URL, each fetched once; never raises (a failure is a record
    whose builder raises, so the rest of the list goes on)."""
    seen: set[str] = set()
    for source, url in entries:
        if isinstance(url, RecordError):
            yield source, failing(url)
            continue
        key = normalise_url(url)
        if key in seen:
            ctx.count("read.urls.duplicate")
            continue
        seen.add(key)
        ctx.count("read.urls")
        yield from _records_of(url, source, ctx, fetcher)


def _records_of(url: str, source: str, ctx: RunContext, fetcher: Fetcher) -> Iterator[Record]:
    try:
        result = fetcher.fetch(url, ctx)
    except RecordError as err:
        yield source, failing(err)
        return
    kind = page_kind(result)
    if kind == "feed":
        try:
            parsed = parse_feed(result.body)
        except RecordError as err:  # a bad feed is one reject of its URL
            yield source, failing(err)
            return
        yield from item_records(parsed, source, ctx, fetcher)
    elif kind == "html":
        yield source, _page_builder(result, source)
    else:
        yield source, failing(RecordError(
            "unsupported", f"content type {result.content_type or '(none)'}"))


def _page_builder(result: FetchResult, source: str) -> Callable[[], Article]:
    def build() -> Article:
        article = new_article(page_id(result.url_final), source, html_of(result),
                              InputFormat.HTML)
        article.url = result.url_final
        article.crawled = result.fetched_at.isoformat(timespec="seconds")
        return article

    return build


def page_id(url: str) -> str:
    """A stable id for a page: a slug of its last path segment and a hash of the URL."""
    return stable_id(normalise_url(url), url)
