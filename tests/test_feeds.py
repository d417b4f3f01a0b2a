"""RSS/Atom feeds, URL lists and URLs given directly, against a real HTTP server on
127.0.0.1 (tests/httpserver.py). Feeds and pages here are invented."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corroborate.clean.step import CleanStep
from corroborate.errors import UsageError
from corroborate.ingest.feeds import FeedReader, articles_from_feed, stable_id
from corroborate.ingest.fetch import Fetcher, FetchPolicy
from corroborate.ingest.netguard import AddressGuard
from corroborate.ingest.urls import UrlListReader, page_id, read_urls
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import RunContext
from httpserver import LocalServer, Reply

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>The Riverside Courier</title>
  <link>https://courier.example/</link>
  <item>
    <title>Council approves the new bridge</title>
    <link>{base}/news/bridge-vote.html</link>
    <guid isPermaLink="false">courier-1001</guid>
    <pubDate>Fri, 14 Mar 2025 23:30:00 -0500</pubDate>
    <dc:creator>Mara Lind</dc:creator>
    <description>The council voted for the bridge.</description>
    <content:encoded><![CDATA[<p>The council voted 7 to 2 on Friday to build a bridge
      across the Aldry river.</p><p>Work starts in May, the mayor said.</p>]]></content:encoded>
  </item>
  <item>
    <title>Ferry timetable changes</title>
    <link>{base}/news/ferry.html</link>
    <pubDate>Thu, 13 Mar 2025 09:00:00 GMT</pubDate>
    <description>&lt;p&gt;The ferry will run every 40 minutes from Monday.&lt;/p&gt;</description>
  </item>
  <item>
    <title>An item with no text</title>
    <link>{base}/news/empty.html</link>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Harbour Notes</title>
  <entry>
    <title>Harbour dredging to begin</title>
    <id>tag:harbour.example,2025:42</id>
    <link href="https://harbour.example/dredging"/>
    <updated>2025-03-12T08:00:00Z</updated>
    <author><name>Ines Varo</name></author>
    <content type="text">Dredging of the inner harbour begins next week, the port said.</content>
  </entry>
</feed>
"""

PAGE = """<html><head><title>{title}</title></head><body>
<nav>Home | News | Sport</nav>
<article><h1>{title}</h1>
<p>{body}</p>
<p>Residents were asked to comment on the plan before the end of April, and the
council will publish their answers together with the final design next month.</p>
</article><footer>Copyright The Courier</footer></body></html>"""


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def quick_fetcher(**policy: Any) -> Fetcher:
    settings: dict[str, Any] = {"guard": AddressGuard(True), "host_interval": 0.0,
                                "retries": 0, "connect_timeout": 2.0, "read_timeout": 2.0}
    settings.update(policy)
    return Fetcher(FetchPolicy(**settings))


def page(title: str, body: str) -> str:
    return PAGE.format(title=title, body=body)


def by_title(articles: list[Article]) -> dict[str | None, Article]:
    return {a.title: a for a in articles}


def reasons(ctx: RunContext) -> list[tuple[str, str]]:
    return [(r.source, r.reason) for r in ctx.rejects]


# --- feed documents ------------------------------------------------------------------


def test_rss_items_become_articles_with_their_metadata() -> None:
    ctx = RunContext()
    data = RSS.format(base="https://courier.example").encode()
    articles = by_title(list(articles_from_feed(data, "courier.rss", ctx)))
    bridge = articles["Council approves the new bridge"]
    assert bridge.url == "https://courier.example/news/bridge-vote.html"
    assert bridge.published == "2025-03-14"  # the day as written, not shifted to UTC
    assert bridge.author == "Mara Lind"
    assert bridge.outlet == "The Riverside Courier"
    assert bridge.format is InputFormat.HTML
    assert "7 to 2" in bridge.raw  # full content wins over the summary
    assert bridge.source == "courier.rss#item-1"
    assert bridge.content_hash
    ferry = articles["Ferry timetable changes"]
    assert "every 40 minutes" in ferry.raw and ferry.published == "2025-03-13"
    # the third item has neither content nor summary: rejected, the others land
    assert reasons(ctx) == [("courier.rss#item-3", "missing-text")]
    assert ctx.stats["read.articles"] == 2 and ctx.stats["read.feeds"] == 1


def test_item_ids_are_stable_and_distinct() -> None:
    data = RSS.format(base="https://courier.example").encode()
    first = [a.id for a in articles_from_feed(data, "a.rss", RunContext())]
    again = [a.id for a in articles_from_feed(data, "b.rss", RunContext())]
    assert first == again and len(set(first)) == 2
    assert first[0] == stable_id("courier-1001", "https://courier.example/news/bridge-vote.html")
    assert first[0].startswith("bridge-vote-")


def test_atom_text_content_is_plain_text() -> None:
    ctx = RunContext()
    (article,) = articles_from_feed(ATOM.encode(), "harbour.atom", ctx)
    assert article.format is InputFormat.TEXT
    assert article.raw.startswith("Dredging of the inner harbour")
    assert (article.title, article.author, article.published, article.outlet) == (
        "Harbour dredging to begin", "Ines Varo", "2025-03-12", "Harbour Notes")


def test_outlet_falls_back_to_the_links_domain() -> None:
    feed = ATOM.replace("<title>Harbour Notes</title>", "").encode()
    (article,) = articles_from_feed(feed, "x.atom", RunContext())
    assert article.outlet == "harbour.example"


@pytest.mark.parametrize("data,reason", [
    (b"this is not a feed < at all", "malformed-feed"),
    (b"<html><body><p>A web page, not a feed.</p></body></html>", "malformed-feed"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "malformed-feed"),
    (b"   \n", "empty"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>',
     "empty"),
])
def test_documents_that_give_no_items_are_rejected(data: bytes, reason: str) -> None:
    ctx = RunContext()
    assert list(articles_from_feed(data, "bad.rss", ctx)) == []
    assert reasons(ctx) == [("bad.rss", reason)]


def test_a_truncated_feed_still_gives_its_complete_items() -> None:
    data = RSS.format(base="https://courier.example").encode()
    cut = data[: data.index(b"<title>Ferry") + 20]
    ctx = RunContext()
    articles = list(articles_from_feed(cut, "cut.rss", ctx))
    assert [a.title for a in articles] == ["Council approves the new bridge"]
    assert ctx.stats["read.feed.bozo"] == 1


def test_feed_files_are_read_plain_and_gzipped(tmp_path: Path) -> None:
    data = RSS.format(base="https://courier.example").encode()
    (tmp_path / "courier.rss").write_bytes(data)
    (tmp_path / "courier2.xml.gz").write_bytes(gzip.compress(ATOM.encode()))
    (tmp_path / "broken.atom").write_text("Feed moved: see the new address.", encoding="utf-8")
    ctx = RunContext()
    reader = FeedReader()
    articles = [a for name in ("courier.rss", "courier2.xml.gz", "broken.atom")
                for a in reader.read_file(tmp_path / name, ctx)]
    assert len(articles) == 3
    assert ctx.stats["read.files"] == 3
    assert (str(tmp_path / "broken.atom"), "malformed-feed") in reasons(ctx)


# --- following links -----------------------------------------------------------------


def test_follow_links_fetches_pages_and_falls_back_on_a_broken_link(
        server: LocalServer) -> None:
    feed = RSS.format(base=server.url("")).encode()
    server.route("/feed.rss", Reply(200, feed, "application/rss+xml"))
    server.page("/news/bridge-vote.html", page("Council approves the new bridge",
                                                "Full page text about the bridge vote."))
    # /news/ferry.html is missing (404); /news/empty.html answers with a PDF
    server.route("/news/empty.html", Reply(200, b"%PDF-1.4 ...", "application/pdf"))
    ctx = RunContext(settings={"follow_links": True})
    articles = by_title(list(articles_from_feed(feed, "feed.rss", ctx, quick_fetcher())))
    bridge = articles["Council approves the new bridge"]
    assert "Full page text about the bridge vote." in bridge.raw
    assert bridge.url == server.url("/news/bridge-vote.html")
    assert bridge.author == "Mara Lind"  # the feed's metadata is kept
    ferry = articles["Ferry timetable changes"]
    assert "every 40 minutes" in ferry.raw  # the item's own content still lands
    assert (server.url("/news/ferry.html"), "http-404") in reasons(ctx)
    # no content and an unusable link: the link's reason and the item's
    assert (server.url("/news/empty.html"), "unsupported") in reasons(ctx)
    assert ("feed.rss#item-3", "missing-text") in reasons(ctx)
    assert ctx.stats["read.feed.links-followed"] == 1
    assert ctx.stats["read.feed.link-fallback"] == 2


def test_links_are_not_followed_unless_asked(server: LocalServer) -> None:
    feed = RSS.format(base=server.url("")).encode()
    list(articles_from_feed(feed, "feed.rss", RunContext(), quick_fetcher()))
    assert server.hits() == []


# --- URLs given directly -------------------------------------------------------------


def test_urls_give_pages_and_feed_items(server: LocalServer) -> None:
    server.route("/feed", Reply(200, ATOM, "application/atom+xml"))
    server.redirect("/short", "/news/2025/03/bridge-vote.html?ref=rss")
    server.page("/news/2025/03/bridge-vote.html", page("Bridge vote", "The council voted."))
    ctx = RunContext()
    articles = list(read_urls([server.url("/feed"), server.url("/short")], ctx,
                              quick_fetcher()))
    assert [a.title for a in articles] == ["Harbour dredging to begin", None]
    item, html = articles
    assert item.source == f"{server.url('/feed')}#item-1"
    final = server.url("/news/2025/03/bridge-vote.html?ref=rss")
    assert (html.url, html.source, html.format) == (final, server.url("/short"),
                                                    InputFormat.HTML)
    assert html.id == page_id(final) and html.id.startswith("bridge-vote-")
    assert "The council voted." in html.raw
    assert server.hits("/news/2025/03/bridge-vote.html")[0].target.endswith("?ref=rss")
    assert ctx.rejects == []


def test_a_fetched_page_cleans_like_a_file(server: LocalServer) -> None:
    server.page("/a", page("Council approves the new bridge",
                           "The council voted 7 to 2 on Friday to build the bridge."))
    (article,) = read_urls([server.url("/a")], RunContext(), quick_fetcher())
    assert article.crawled is not None and article.crawled.endswith("+00:00")
    cleaned = CleanStep().process(article, RunContext())
    assert cleaned is not None
    assert "7 to 2" in cleaned.text and "Home | News" not in cleaned.text
    assert cleaned.title == "Council approves the new bridge"


def test_feeds_are_recognised_by_their_root_element(server: LocalServer) -> None:
    server.route("/plain", Reply(200, ATOM, "text/plain"))
    server.route("/as-html", Reply(200, ATOM, "text/html"))
    ctx = RunContext()
    articles = list(read_urls([server.url("/plain"), server.url("/as-html")], ctx,
                              quick_fetcher()))
    assert [a.format for a in articles] == [InputFormat.TEXT, InputFormat.TEXT]


def test_other_content_is_unsupported_and_bad_urls_are_rejected(server: LocalServer) -> None:
    server.route("/photo.png", Reply(200, b"\x89PNG\r\n\x1a\n", "image/png"))
    server.route("/bad-feed", Reply(200, "<<< maintenance page >>>", "application/rss+xml"))
    server.page("/ok", page("Fine", "A page that is fine."))
    ctx = RunContext()
    urls = [server.url("/photo.png"), "ftp://example.com/x", server.url("/missing"),
            server.url("/bad-feed"), server.url("/ok")]
    articles = list(read_urls(urls, ctx, quick_fetcher()))
    assert [a.source for a in articles] == [server.url("/ok")]
    assert reasons(ctx) == [(server.url("/photo.png"), "unsupported"),
                            ("ftp://example.com/x", "bad-scheme"),
                            (server.url("/missing"), "http-404"),
                            (server.url("/bad-feed"), "malformed-feed")]
    assert "image/png" in ctx.rejects[0].detail


def test_duplicate_urls_are_fetched_once(server: LocalServer) -> None:
    server.page("/a", page("A", "Text of a."))
    ctx = RunContext()
    urls = [server.url("/a"), server.url("/a"), server.url("/a#comments"),
            server.url("/a").replace("http://", "HTTP://")]
    assert len(list(read_urls(urls, ctx, quick_fetcher()))) == 1
    assert len(server.hits("/a")) == 1
    assert ctx.stats["read.urls.duplicate"] == 3


def test_read_urls_checks_settings_at_once() -> None:
    with pytest.raises(UsageError):
        read_urls(["https://example.com/"], RunContext(settings={"timeout": "soon"}))


def test_read_urls_uses_the_settings_default_deny(server: LocalServer) -> None:
    server.page("/a", page("A", "Text of a."))
    ctx = RunContext(settings={"host_interval": 0, "user_agent": "corroborate-test/1"})
    assert list(read_urls([server.url("/a")], ctx)) == []
    assert reasons(ctx) == [(server.url("/a"), "blocked-address")]
    assert server.hits() == []


# --- URL list files ------------------------------------------------------------------


def test_url_lists_skip_comments_and_reject_bad_lines(server: LocalServer,
                                                      tmp_path: Path) -> None:
    server.page("/a", page("A", "Text of a."))
    server.route("/feed", Reply(200, ATOM, "application/atom+xml"))
    listing = tmp_path / "reading.urls"
    listing.write_text("\n".join([
        "# what to read today",
        server.url("/a"),
        "",
        "not a url",
        "   " + server.url("/feed") + "   ",
        "file:///etc/passwd",
        server.url("/a"),
    ]) + "\n", encoding="utf-8")
    ctx = RunContext()
    articles = list(UrlListReader(quick_fetcher()).read_file(listing, ctx))
    assert [a.source for a in articles] == [server.url("/a"), f"{server.url('/feed')}#item-1"]
    assert reasons(ctx) == [(f"{listing}#L4", "bad-url"), (f"{listing}#L6", "bad-scheme")]
    assert ctx.rejects[0].detail.startswith("line 4:")
    assert ctx.stats["read.urls.duplicate"] == 1 and ctx.stats["read.files"] == 1


def test_an_empty_url_list_is_rejected(tmp_path: Path) -> None:
    listing = tmp_path / "none.urls"
    listing.write_text("", encoding="utf-8")
    ctx = RunContext()
    assert list(UrlListReader(quick_fetcher()).read_file(listing, ctx)) == []
    assert reasons(ctx) == [(str(listing), "empty")]


# --- through read_paths (the reader registry) ---------------------------------------


def test_read_paths_reads_feed_files_url_lists_and_urls(server: LocalServer,
                                                        tmp_path: Path) -> None:
    from corroborate.ingest.readers import read_paths

    server.page("/a", page("A", "Text of a."))
    server.page("/b", page("B", "Text of b."))
    (tmp_path / "harbour.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "more.urls").write_text(server.url("/b") + "\n", encoding="utf-8")
    ctx = RunContext(settings={"allow_private": True, "host_interval": 0, "retries": 0,
                               "user_agent": "corroborate-registry-test/1"})
    articles = list(read_paths([str(tmp_path), server.url("/a")], ctx))
    assert [a.source for a in articles] == [str(tmp_path / "harbour.atom") + "#item-1",
                                            server.url("/b"), server.url("/a")]
    assert ctx.rejects == []
