"""RSS and Atom feeds (feedparser): one article per item.

An item becomes an article with its title, link (`url`), published date, author and the
feed's title as outlet (else the link's domain). Its text is the item's full content
(`content:encoded`, Atom `content`), else its summary, kept as HTML for the cleaner.

With `ctx.settings["follow_links"]` the page an item links to is fetched (politely,
through `fetch.Fetcher`) and becomes the article's HTML instead: feeds often carry only a
teaser. When that fetch fails, the link is rejected with its reason and the item's own
content still lands, so nothing the feed held is lost.

A document that is not a feed at all (feedparser's "bozo" flag and no items) is
rejected `malformed-feed`; a feed with a syntax error that still yielded items (a
truncated download) gives those items and is counted under `read.feed.bozo`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import feedparser

from corroborate.clean.dates import iso_date
from corroborate.clean.metadata import outlet_from_url
from corroborate.errors import RecordError
from corroborate.ingest.base import Reader, Record, max_bytes, new_article, read_capped
from corroborate.ingest.fetch import Fetcher, FetchResult, decode_body, shared_fetcher
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import RunContext

STEP_NAME = "read"

# Media types of feeds (RSS, Atom, RDF/RSS 1.0); generic XML counts as a feed too, since
# many servers send feeds as text/xml or application/xml.
FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/xml", "text/xml", "application/x-rss+xml",
})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Types servers send when they do not know better: the content decides.
UNTYPED = frozenset({"", "text/plain", "application/octet-stream", "binary/octet-stream"})
# How far into a body the sniffers look: a feed or page declares itself in its first tag,
# after at most an XML declaration, a doctype and a few comments.
SNIFF_BYTES = 2048
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]")
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html)[\s>]")

# Content types of feed item bodies that are plain text rather than HTML.
PLAIN_TEXT_TYPES = frozenset({"text/plain"})
# Readable part of an id: at most this many characters of a slug of the URL's last
# path segment (or the title), before the hash that makes it unique.
ID_SLUG_CHARS = 40
ID_HASH_CHARS = 12


class FeedReader(Reader):
    """Feed files (`.rss`, `.atom`, `.xml`, gzipped or not)."""

    def __init__(self, fetcher: Fetcher | None = None) -> None:
        self.fetcher = fetcher

    def records(self, path: Path, ctx: RunContext) -> Iterator[Record]:
        data = read_capped(path, max_bytes(ctx))
        yield from feed_records(data, str(path), ctx, self.fetcher)


def articles_from_feed(data: bytes, source: str, ctx: RunContext,
                       fetcher: Fetcher | None = None) -> Iterator[Article]:
    """The articles of a feed document; a bad feed or item is a reject, never an error.

    `fetcher` is used when `follow_links` is set (default: the run's shared fetcher).
    """
    reader = FeedReader(fetcher)
    return reader.read_records(source, feed_records(data, source, ctx, fetcher), ctx)


def feed_records(data: bytes, source: str, ctx: RunContext,
                 fetcher: Fetcher | None) -> Iterator[Record]:
    """One record per item; raises `RecordError` (`empty`, `malformed-feed`) for the
    whole document before the first record."""
    yield from item_records(parse_feed(data), source, ctx, fetcher)


def item_records(parsed: Any, source: str, ctx: RunContext,
                 fetcher: Fetcher | None) -> Iterator[Record]:
    """One record per item of a parsed feed (`parse_feed`)."""
    ctx.count("read.feeds")
    if parsed.get("bozo"):
        ctx.count("read.feed.bozo")
    outlet = _clean(parsed.feed.get("title"))
    follower = _link_follower(ctx, fetcher)
    for number, entry in enumerate(parsed.entries, start=1):
        item_source = f"{source}#item-{number}"
        yield item_source, _item_builder(entry, item_source, outlet, ctx, follower)


def parse_feed(data: bytes) -> Any:
    """feedparser's result for a document that is a feed with items, else `RecordError`."""
    if not data.strip():
        raise RecordError("empty", "the feed has no content")
    # A stream, not bytes: feedparser takes a bytes or str argument for a file name or
    # URL to open when it can (and would fetch a URL by itself, impolitely).
    parsed = feedparser.parse(io.BytesIO(data))
    if parsed.entries:
        return parsed
    if parsed.get("bozo") or not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        raise RecordError("malformed-feed", str(problem) if problem else "not an RSS or Atom feed")
    raise RecordError("empty", "the feed has no items")


# Fetches an item's link: (HTML, final URL), or `RecordError`.
LinkFollower = Callable[[str], tuple[str, str]]


def _link_follower(ctx: RunContext, fetcher: Fetcher | None) -> LinkFollower | None:
    if not ctx.settings.get("follow_links"):
        return None
    chosen = fetcher or shared_fetcher(ctx.settings)

    def follow(url: str) -> tuple[str, str]:
        result = chosen.fetch(url, ctx)
        return html_of(result), result.url_final

    return follow


def _item_builder(entry: Any, source: str, outlet: str | None, ctx: RunContext,
                  follower: LinkFollower | None) -> Callable[[], Article]:
    def build() -> Article:
        link = _clean(entry.get("link"))
        body = item_body(entry)
        url = link
        if follower is not None and link is not None:
            try:
                html, url = follower(link)
                body = (html, InputFormat.HTML)
                ctx.count("read.feed.links-followed")
            except RecordError as err:
                ctx.reject(link, STEP_NAME, err.reason, err.detail)
                ctx.count("read.feed.link-fallback")
        if body is None:
            raise RecordError("missing-text", "the item has neither content nor a summary")
        article = new_article(item_id(entry, link), source, body[0], body[1])
        article.url = url
        article.title = _clean(entry.get("title"))
        article.published = item_date(entry)
        article.author = _author(entry)
        article.outlet = outlet or (outlet_from_url(link) if link else None)
        return article

    return build


def item_body(entry: Any) -> tuple[str, InputFormat] | None:
    """The item's full content, else its summary, with its format; None when blank."""
    candidates = [*entry.get("content", []), entry.get("summary_detail") or {}]
    for detail in candidates:
        value = detail.get("value") or ""
        if value.strip():
            kind = str(detail.get("type") or "text/html").lower()
            return value, InputFormat.TEXT if kind in PLAIN_TEXT_TYPES else InputFormat.HTML
    summary = entry.get("summary") or ""
    return (summary, InputFormat.HTML) if summary.strip() else None


def item_date(entry: Any) -> str | None:
    """The item's date as written (its own calendar day, not shifted to UTC), else
    feedparser's parsed UTC date."""
    for key in ("published", "updated", "created"):
        written = entry.get(key)
        if written and (iso := iso_date(str(written))) is not None:
            return iso
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            stamp = calendar.timegm(parsed)
            return dt.datetime.fromtimestamp(stamp, dt.UTC).date().isoformat()
    return None


def item_id(entry: Any, link: str | None) -> str:
    """Stable across runs: a hash of the item's guid (else link, else title and date)."""
    key = _clean(entry.get("id")) or link
    if key is None:
        key = f"{entry.get('title', '')}|{entry.get('published', entry.get('updated', ''))}"
    return stable_id(key, link or _clean(entry.get("title")))


def stable_id(key: str, hint: str | None = None) -> str:
    """`<slug of hint>-<hash of key>`: readable, and the same for the same key."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_HASH_CHARS]
    slug = _slug(hint or "")
    return f"{slug}-{digest}" if slug else digest


def _slug(hint: str) -> str:
    """Lower-case words of the last path segment of a URL (or of a title)."""
    tail = hint.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if "://" in tail:
        tail = tail.split("://", 1)[1]
        tail = tail.rsplit("/", 1)[-1] if "/" in tail else tail
    tail = re.sub(r"\.(s?html?|php|aspx?|jsp)$", "", tail, flags=re.IGNORECASE)
    words = re.findall(r"[a-z0-9]+", tail.lower())
    return "-".join(words)[:ID_SLUG_CHARS].strip("-")


def _author(entry: Any) -> str | None:
    detail = entry.get("author_detail") or {}
    return _clean(detail.get("name")) or _clean(entry.get("author"))


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


# --- what a fetched body is ------------------------------------------------------------


def page_kind(result: FetchResult) -> str | None:
    """"feed", "html", or None (anything else) from the content type and first bytes."""
    kind = result.content_type
    head = result.body[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if kind in FEED_TYPES or (kind.endswith("+xml") and kind not in HTML_TYPES):
        return "feed"
    if kind in HTML_TYPES or kind in UNTYPED:
        # A feed sent as text/html happens; an HTML page holding "<feed" in a script
        # does too, so the root element must come before any <html.
        feed_root = _FEED_ROOT.search(head)
        html_root = _HTML_ROOT.search(head)
        if feed_root and (html_root is None or feed_root.start() < html_root.start()):
            return "feed"
        if kind in HTML_TYPES or html_root is not None:
            return "html"
    return None


def html_of(result: FetchResult) -> str:
    """The page's HTML as text, or `RecordError` (`unsupported` when it is no page)."""
    if page_kind(result) != "html":
        raise RecordError("unsupported",
                          f"content type {result.content_type or '(none)'} at {result.url_final}")
    return decode_body(result)
