"""Reading inputs: decoding, content hashes, the readers and their registry, gzip, WARC,
stdin, URLs given directly, JSONL field mapping, directory walking, rejects."""

from __future__ import annotations

import codecs
import gc
import gzip
import io
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from corroborate.errors import RecordError, UsageError
from corroborate.ingest import (
    HtmlReader,
    JsonlReader,
    TextReader,
    content_hash,
    decode_bytes,
    read_paths,
)
from corroborate.ingest.compression import document_stem, format_suffix
from corroborate.ingest.decode import decode_with_charset
from corroborate.ingest.readers import (
    READERS,
    check_inputs,
    is_url,
    reader_for,
    register_reader,
)
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import RunContext

BODY = "The council met on Tuesday.\nIt voted to build a bridge across the river.\n"
ACCENTED = "Le café “Chez Zoë” a rouvert – les prix restent à 5 €, dit la gérante.\n"


def reasons(ctx: RunContext) -> dict[str, str]:
    return {r.source: r.reason for r in ctx.rejects}


# --- decode_bytes --------------------------------------------------------------------


def test_utf8_decodes_as_is() -> None:
    assert decode_bytes(ACCENTED.encode("utf-8")) == ACCENTED


@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", codecs.BOM_UTF32_LE),
    ("utf-32-be", codecs.BOM_UTF32_BE),
])
def test_byte_order_marks_name_the_encoding(encoding: str, bom: bytes) -> None:
    assert decode_bytes(bom + ACCENTED.encode(encoding)) == ACCENTED


def test_utf16_without_bom_is_recognised_by_its_nul_pattern() -> None:
    assert decode_bytes(BODY.encode("utf-16-le")) == BODY
    assert decode_bytes(BODY.encode("utf-16-be")) == BODY


def test_cp1252_smart_quotes_dashes_and_euro() -> None:
    assert decode_bytes(ACCENTED.encode("cp1252")) == ACCENTED


def test_latin1_text_decodes_to_the_same_letters() -> None:
    text = "Der Bürgermeister sagte, die Straße über den Fluß werde 2026 eröffnet.\n"
    assert decode_bytes(text.encode("latin-1")) == text


def test_cyrillic_legacy_encoding_is_not_read_as_cp1252() -> None:
    text = ("Президент заявил в пятницу, что переговоры были продуктивными и полезными "
            "для обеих сторон, а новая встреча пройдёт в апреле.\n")
    assert decode_bytes(text.encode("cp1251")) == text


def test_declared_html_charset_is_honoured() -> None:
    page = ('<html><head><meta charset="iso-8859-2"></head><body><p>'
            "Prezydent powiedział, że rozmowy były trudne, ale owocne dla obu stron."
            "</p></body></html>")
    assert "powiedział" in decode_bytes(page.encode("iso-8859-2"))


def test_mostly_utf8_with_one_broken_byte_keeps_its_letters() -> None:
    data = ("Zoë, Zürich, café, naïve, déjà vu, Ærø, façade. " * 3).encode() + b"\xff end"
    text = decode_bytes(data)
    assert "Zürich" in text and "\ufffd" in text


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nstream",
    b"text\x00with\x00many\x00nul\x00bytes" * 10,
    bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 50 + b"some text",
])
def test_binary_data_is_rejected(data: bytes) -> None:
    with pytest.raises(RecordError) as err:
        decode_bytes(data)
    assert err.value.reason == "binary"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8 + b" \n",
                                  "\u00a0\u200b\n".encode()])
def test_empty_or_whitespace_only_is_rejected(data: bytes) -> None:
    with pytest.raises(RecordError) as err:
        decode_bytes(data)
    assert err.value.reason == "empty"


def test_a_bom_that_lies_is_undecodable() -> None:
    lone_surrogates = codecs.BOM_UTF16_LE + b"\x00\xd8" * 40
    with pytest.raises(RecordError) as err:
        decode_bytes(lone_surrogates)
    assert err.value.reason == "undecodable"


# --- content_hash ----------------------------------------------------------------------


def test_content_hash_ignores_line_endings_and_trailing_spaces() -> None:
    unix = "Title\n\nFirst paragraph here.\nSecond one.\n"
    windows = "Title  \r\n\r\nFirst paragraph  here.\r\nSecond one.\r\n"
    assert content_hash(unix) == content_hash(windows)


def test_content_hash_ignores_unicode_composition() -> None:
    composed = "Caf\u00e9 in Z\u00fcrich"
    decomposed = "Cafe\u0301 in Zu\u0308rich"
    assert content_hash(composed) == content_hash(decomposed)


def test_content_hash_is_idempotent_and_discriminating() -> None:
    text = " Some  text\r\nwith\tspaces \n"
    digest = content_hash(text)
    assert content_hash(text) == digest
    assert len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)
    assert content_hash("Some text\nwith spaces") == digest
    assert content_hash("Some other text") != digest


# --- readers ------------------------------------------------------------------------------


def test_text_reader_builds_an_article(tmp_path: Path) -> None:
    path = tmp_path / "000_abc123.txt"
    path.write_text(BODY, encoding="utf-8")
    ctx = RunContext()
    [article] = TextReader().run([path], ctx)
    assert article.id == "000_abc123"
    assert article.source == str(path)
    assert article.format is InputFormat.TEXT
    assert article.raw == BODY
    assert article.content_hash == content_hash(BODY)
    assert ctx.stats["read.files"] == 1 and ctx.stats["read.articles"] == 1


def test_html_reader_marks_the_format(tmp_path: Path) -> None:
    path = tmp_path / "page.HTM"
    path.write_text("<html><body><p>Hello there, reader.</p></body></html>", encoding="utf-8")
    [article] = HtmlReader().run([str(path)], RunContext())
    assert article.format is InputFormat.HTML and article.id == "page"


def test_jsonl_reader_keeps_ids_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    records = [
        {"id": "a1", "text": BODY, "url": "https://news.example.org/a1", "title": "A title",
         "published": "2024-05-02T09:30:00Z", "outlet": "Example News", "author": "J. Doe"},
        {"html": "<html><body><p>Second story text.</p></body></html>"},
        {"id": 17, "text": "Third story."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    first, second, third = JsonlReader().run([path], RunContext())
    assert (first.id, first.source, first.format) == ("a1", f"{path}#L1", InputFormat.TEXT)
    assert first.url == "https://news.example.org/a1" and first.title == "A title"
    assert first.published == "2024-05-02" and first.outlet == "Example News"
    assert first.author == "J. Doe"
    assert (second.id, second.format) == ("batch-L2", InputFormat.HTML)
    assert third.id == "17"


def test_jsonl_bad_lines_are_rejected_and_good_lines_still_land(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "good1", "text": "First good story."}),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "no-body", "title": "Only a title"}),
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "blank", "text": "   "}),
        json.dumps({"id": "good2", "text": "Second good story."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ctx = RunContext()
    articles = list(JsonlReader().run([path], ctx))
    assert [a.id for a in articles] == ["good1", "good2"]
    assert reasons(ctx) == {
        f"{path}#L2": "malformed-json",
        f"{path}#L3": "missing-text",
        f"{path}#L5": "malformed-json",
        f"{path}#L6": "empty",
    }
    assert ctx.stats["rejected.malformed-json"] == 2


def test_jsonl_in_utf16_is_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    content = "\n".join(json.dumps({"id": f"w{i}", "text": f"Story {i} – café."},
                                   ensure_ascii=False) for i in range(3))
    path.write_bytes(codecs.BOM_UTF16_LE + content.encode("utf-16-le"))
    articles = list(JsonlReader().run([path], RunContext()))
    assert [a.raw for a in articles] == [f"Story {i} – café." for i in range(3)]


def test_jsonl_line_over_the_cap_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "small", "text": "ok"}) + "\n"
                    + json.dumps({"id": "big", "text": "x" * 500}) + "\n", encoding="utf-8")
    ctx = RunContext(settings={"max_bytes": 200})
    assert [a.id for a in JsonlReader().run([path], ctx)] == ["small"]
    assert reasons(ctx) == {f"{path}#L2": "too-large"}


# --- read_paths: walking and file-level rejects --------------------------------------------


def make_tree(root: Path) -> None:
    (root / "b_story.txt").write_text(BODY, encoding="utf-8")
    (root / "a_page.html").write_text("<html><body><p>Page.</p></body></html>", encoding="utf-8")
    (root / "nested" / "deeper").mkdir(parents=True)
    (root / "nested" / "deeper" / "c.jsonl").write_text(
        json.dumps({"id": "j1", "text": "From JSONL."}) + "\n", encoding="utf-8")
    (root / "nested" / "notes.md").write_text("# not an article\n", encoding="utf-8")
    (root / ".hidden.txt").write_text("secret draft\n", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_text("internal\n", encoding="utf-8")


def test_directories_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    make_tree(tmp_path)
    ctx = RunContext()
    articles = list(read_paths([tmp_path], ctx))
    assert [a.id for a in articles] == ["a_page", "b_story", "j1"]
    # A stray non-article file inside a folder is counted as skipped, not rejected.
    assert reasons(ctx) == {}
    assert ctx.stats["read.skipped-unsupported"] == 1
    assert ctx.stats["read.skipped-unsupported.md"] == 1
    assert ctx.stats["read.files"] == 3 and ctx.stats["read.articles"] == 3


def test_an_unsupported_file_named_explicitly_is_rejected(tmp_path: Path) -> None:
    make_tree(tmp_path)
    ctx = RunContext()
    notes = tmp_path / "nested" / "notes.md"
    assert list(read_paths([notes], ctx)) == []
    assert reasons(ctx) == {str(notes): "unsupported"}


def test_an_unsupported_file_named_by_a_relative_path_is_rejected_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_tree(tmp_path)
    monkeypatch.chdir(tmp_path / "nested")
    ctx = RunContext()
    assert list(read_paths(["./notes.md"], ctx)) == []
    assert reasons(ctx) == {"notes.md": "unsupported"}


def test_a_hidden_file_named_explicitly_is_read(tmp_path: Path) -> None:
    make_tree(tmp_path)
    [article] = read_paths([str(tmp_path / ".hidden.txt")], RunContext())
    assert article.raw == "secret draft\n"


def test_missing_path_is_a_usage_error_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(BODY, encoding="utf-8")
    ctx = RunContext()
    with pytest.raises(UsageError, match="does-not-exist"):
        read_paths([tmp_path / "ok.txt", tmp_path / "does-not-exist.txt"], ctx)
    assert ctx.stats["read.files"] == 0
    with pytest.raises(UsageError):
        read_paths([], ctx)


def test_every_file_level_reject_reason(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\n \t")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (tmp_path / "huge.txt").write_text("word " * 100, encoding="utf-8")
    (tmp_path / "liar.txt").write_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8" * 40)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing-target.txt")
    (tmp_path / "binary.jsonl").write_bytes(b"\x1f\x8b\x08\x00" + bytes(100))
    (tmp_path / "fine.txt").write_text(BODY, encoding="utf-8")
    ctx = RunContext(settings={"max_bytes": 300})
    articles = list(read_paths([tmp_path], ctx))
    assert [a.id for a in articles] == ["fine"]
    assert reasons(ctx) == {
        str(tmp_path / "empty.txt"): "empty",
        str(tmp_path / "blank.txt"): "empty",
        str(tmp_path / "binary.txt"): "binary",
        str(tmp_path / "huge.txt"): "too-large",
        str(tmp_path / "liar.txt"): "undecodable",
        str(tmp_path / "gone.txt"): "unreadable",
        str(tmp_path / "binary.jsonl"): "binary",
    }
    assert all(r.step == "read" for r in ctx.rejects)


def test_legacy_encoded_files_are_read_correctly(tmp_path: Path) -> None:
    (tmp_path / "cp1252.txt").write_bytes(ACCENTED.encode("cp1252"))
    (tmp_path / "latin1.txt").write_bytes("Ça coûte trois francs à Genève.\n".encode("latin-1"))
    (tmp_path / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + ACCENTED.encode("utf-16-le"))
    by_id = {a.id: a for a in read_paths([tmp_path], RunContext())}
    assert by_id["cp1252"].raw == ACCENTED
    assert by_id["latin1"].raw == "Ça coûte trois francs à Genève.\n"
    assert by_id["utf16"].raw == ACCENTED
    assert by_id["cp1252"].content_hash == by_id["utf16"].content_hash


def test_same_document_with_other_line_endings_hashes_the_same(tmp_path: Path) -> None:
    (tmp_path / "unix.txt").write_bytes(BODY.encode())
    (tmp_path / "dos.txt").write_bytes(BODY.replace("\n", "\r\n").encode())
    first, second = read_paths([tmp_path], RunContext())
    assert first.raw != second.raw
    assert first.content_hash == second.content_hash


def test_a_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [a.id for a in read_paths([tmp_path], RunContext())] == ["story"]


# --- the reader registry -------------------------------------------------------------------


@pytest.mark.parametrize("name,suffix,stem", [
    ("page.html", ".html", "page"),
    ("page.HTML.gz", ".html", "page"),
    ("crawl.warc.gz", ".warc", "crawl"),
    ("dump.v2.jsonl.GZ", ".jsonl", "dump.v2"),
    ("notes", "", "notes"),
    ("archive.gz", "", "archive"),
])
def test_format_is_the_extension_once_gz_is_set_aside(name: str, suffix: str,
                                                     stem: str) -> None:
    assert format_suffix(Path(name)) == suffix
    assert document_stem(Path(name)) == stem


@pytest.mark.parametrize("name,reader", [
    ("a.txt", "TextReader"), ("a.text.gz", "TextReader"), ("a.xhtml", "HtmlReader"),
    ("a.htm.gz", "HtmlReader"), ("a.ndjson", "JsonlReader"), ("a.warc.gz", "WarcReader"),
])
def test_each_format_has_its_reader(name: str, reader: str) -> None:
    found = reader_for(Path(name))
    assert found is not None and type(found).__name__ == reader
    assert reader_for(Path("a.md")) is None and reader_for(Path("a.gz")) is None


def test_feed_and_url_list_readers_are_registered_by_name_and_loaded_lazily() -> None:
    assert READERS[".rss"] == READERS[".atom"] == READERS[".xml"] \
        == "corroborate.ingest.feeds:FeedReader"
    assert READERS[".urls"] == "corroborate.ingest.urls:UrlListReader"
    probe = ("import sys, corroborate.ingest.readers; "
             "print(sorted(m for m in ('corroborate.ingest.feeds', 'corroborate.ingest.urls', "
             "'warcio', 'feedparser') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_a_format_whose_reader_is_missing_is_rejected_and_the_rest_lands(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(READERS, ".story", "corroborate.ingest.not_written_yet:StoryReader")
    (tmp_path / "a.story").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(BODY, encoding="utf-8")
    ctx = RunContext()
    assert [a.id for a in read_paths([tmp_path], ctx)] == ["b"]
    [reject] = ctx.rejects
    assert (reject.source, reject.reason) == (str(tmp_path / "a.story"), "unsupported")
    assert "corroborate.ingest.not_written_yet:StoryReader" in reject.detail


def test_register_reader_checks_its_arguments() -> None:
    with pytest.raises(ValueError):
        register_reader("md", "corroborate.ingest.readers:TextReader")
    with pytest.raises(ValueError):
        register_reader(".md", "TextReader")


# --- gzip ------------------------------------------------------------------------------------


def test_every_format_reads_through_gzip(tmp_path: Path) -> None:
    (tmp_path / "story.txt.gz").write_bytes(gzip.compress(BODY.encode()))
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    lines = "".join(json.dumps({"id": f"j{i}", "text": f"Story {i}."}) + "\n" for i in range(3))
    (tmp_path / "dump.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    write_warc(tmp_path / "crawl.warc.gz", [Page("https://news.example.org/a", PAGE)])
    ctx = RunContext()
    by_id = {a.id: a for a in read_paths([tmp_path], ctx)}
    assert sorted(by_id) == ["crawl-1", "j0", "j1", "j2", "page", "story"]
    assert by_id["story"].raw == BODY and by_id["story"].source == str(tmp_path / "story.txt.gz")
    assert by_id["page"].format is InputFormat.HTML and by_id["page"].raw == PAGE
    assert by_id["j2"].source == f"{tmp_path / 'dump.jsonl.gz'}#L3"
    assert ctx.stats["read.gzip"] == 4 and ctx.rejects == []


def test_a_gz_file_of_no_known_format_is_skipped_in_a_folder_and_rejected_when_named(
        tmp_path: Path) -> None:
    (tmp_path / "backup.tar.gz").write_bytes(gzip.compress(b"not an article"))
    (tmp_path / "fine.txt").write_text(BODY, encoding="utf-8")
    ctx = RunContext()
    assert [a.id for a in read_paths([tmp_path], ctx)] == ["fine"]
    assert ctx.stats["read.skipped-unsupported.tar.gz"] == 1 and ctx.rejects == []
    named = RunContext()
    assert list(read_paths([tmp_path / "backup.tar.gz"], named)) == []
    assert reasons(named) == {str(tmp_path / "backup.tar.gz"): "unsupported"}


def test_a_gz_name_on_data_that_is_not_gzip_is_corrupt(tmp_path: Path) -> None:
    (tmp_path / "plain.txt.gz").write_text(BODY, encoding="utf-8")
    ctx = RunContext()
    assert list(read_paths([tmp_path], ctx)) == []
    assert reasons(ctx) == {str(tmp_path / "plain.txt.gz"): "corrupt"}
    assert "gzip" in ctx.rejects[0].detail


# --- WARC -------------------------------------------------------------------------------------


@dataclass
class Page:
    """A record to write into a test WARC: an HTTP response by default."""

    uri: str
    body: str | bytes = ""
    status: str = "200 OK"
    content_type: str | None = "text/html; charset=utf-8"
    kind: str = "response"
    headers: list[tuple[str, str]] = field(default_factory=list)

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


def write_warc(path: Path, pages: list[Page], gzipped: bool | None = None) -> None:
    """Write `pages` with warcio's writer (per-record gzip when the name ends in .gz)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.suffix == ".gz" if gzipped is None else gzipped)
        for page in pages:
            if page.kind in ("response", "request"):
                headers = list(page.headers)
                if page.content_type:
                    headers.append(("Content-Type", page.content_type))
                statusline = page.status if page.kind == "response" else "GET / HTTP/1.1"
                http = StatusAndHeaders(statusline, headers, protocol="HTTP/1.1",
                                        is_http_request=page.kind == "request")
                record = writer.create_warc_record(page.uri, page.kind, http_headers=http,
                                                   payload=io.BytesIO(page.payload()))
            else:
                record = writer.create_warc_record(page.uri, page.kind,
                                                   payload=io.BytesIO(page.payload()),
                                                   warc_content_type="text/plain")
            writer.write_record(record)
            record.raw_stream.close()  # warcio spools the payload to a temporary file


PAGE = ("<html><head><title>Bridge vote</title></head><body><article><p>The council met "
        "on Tuesday and voted to build a bridge across the river.</p></article></body></html>")
CAFE = "<html><body><p>Le café “Chez Zoë” a rouvert à Genève.</p></body></html>"


def archive_pages() -> list[Page]:
    return [
        Page("https://news.example.org/", "", kind="warcinfo"),
        Page("https://news.example.org/bridge", kind="request"),
        Page("https://news.example.org/bridge", PAGE),
        Page("https://news.example.org/bridge", "outlinks: /cafe", kind="metadata"),
        Page("https://news.example.org/cafe", CAFE.encode("cp1252"),
             content_type="text/html; charset=ISO-8859-1"),
        Page("https://news.example.org/gone", "<html>gone</html>", status="404 Not Found"),
        Page("https://news.example.org/old", "", status="301 Moved Permanently"),
        Page("https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(40),
             content_type="image/png"),
        Page("https://news.example.org/bare", "<!DOCTYPE html><html><body><p>No type.</p>"
             "</body></html>", content_type=None),
        Page("https://news.example.org/robots.txt", "User-agent: *", content_type=None),
        Page("https://news.example.org/x", "<html><body><p>Zipped body.</p></body></html>",
             headers=[("Content-Encoding", "gzip")]),
    ]


def gzip_body(pages: list[Page]) -> list[Page]:
    """The page with a Content-Encoding: gzip header gets a gzipped body."""
    for page in pages:
        if ("Content-Encoding", "gzip") in page.headers:
            page.body = gzip.compress(page.payload())
    return pages


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_become_articles_and_the_rest_is_counted(
        tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(path, gzip_body(archive_pages()))
    ctx = RunContext()
    articles = list(read_paths([path], ctx))
    assert [(a.id, a.url) for a in articles] == [
        ("crawl-3", "https://news.example.org/bridge"),
        ("crawl-5", "https://news.example.org/cafe"),
        ("crawl-9", "https://news.example.org/bare"),
        ("crawl-11", "https://news.example.org/x"),
    ]
    bridge, cafe, bare, zipped = articles
    assert bridge.raw == PAGE and bridge.format is InputFormat.HTML
    assert bridge.content_hash == content_hash(PAGE)
    assert cafe.raw == CAFE  # the header's ISO-8859-1 read as cp1252, as browsers do
    assert "No type." in bare.raw and "Zipped body." in zipped.raw
    assert re.fullmatch(re.escape(str(path)) + r"#urn:uuid:[0-9a-f-]{36}", bridge.source)
    assert bridge.published is None  # the crawl date is not a publication date
    assert bridge.crawled is not None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", bridge.crawled)
    assert ctx.rejects == []
    assert {k: v for k, v in ctx.stats.items() if k.startswith("read.warc.skipped-")} == {
        "read.warc.skipped-warcinfo": 1, "read.warc.skipped-request": 1,
        "read.warc.skipped-metadata": 1, "read.warc.skipped-status-404": 1,
        "read.warc.skipped-status-301": 1, "read.warc.skipped-non-html": 2,
    }
    assert ctx.stats["read.warc.records"] == 11 and ctx.stats["read.warc.skipped"] == 7


def test_a_whole_file_gzipped_warc_is_read_too(tmp_path: Path) -> None:
    plain = tmp_path / "plain.warc"
    write_warc(plain, [Page("https://a.example/1", PAGE), Page("https://a.example/2", CAFE)])
    (tmp_path / "whole.warc.gz").write_bytes(gzip.compress(plain.read_bytes()))
    plain.unlink()
    articles = list(read_paths([tmp_path], RunContext()))
    assert [a.url for a in articles] == ["https://a.example/1", "https://a.example/2"]


def test_a_warc_record_over_the_cap_is_rejected_alone(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    big = "<html><body>" + "<p>word</p>" * 200 + "</body></html>"
    write_warc(path, [Page("https://a.example/big", big), Page("https://a.example/ok", PAGE)])
    ctx = RunContext(settings={"max_bytes": 1000})
    assert [a.url for a in read_paths([path], ctx)] == ["https://a.example/ok"]
    [reject] = ctx.rejects
    assert reject.reason == "too-large" and reject.source.startswith(f"{path}#urn:uuid:")


def test_a_file_that_is_not_a_warc_is_corrupt(tmp_path: Path) -> None:
    (tmp_path / "notes.warc").write_text("These are my notes, not an archive.\n")
    (tmp_path / "empty.warc").write_bytes(b"")
    ctx = RunContext()
    assert list(read_paths([tmp_path], ctx)) == []
    assert reasons(ctx) == {str(tmp_path / "notes.warc"): "corrupt",
                            str(tmp_path / "empty.warc"): "empty"}


# --- HTTP charsets ------------------------------------------------------------------------


def test_decode_with_charset_honours_the_header() -> None:
    assert decode_with_charset(ACCENTED.encode("cp1252"), "windows-1252") == ACCENTED
    text = "Żółć gęślą jaźń, powiedział prezydent w piątek."
    assert decode_with_charset(text.encode("iso-8859-2"), "ISO-8859-2") == text


def test_decode_with_charset_prefers_valid_utf8_and_a_bom_over_a_legacy_header() -> None:
    assert decode_with_charset(ACCENTED.encode("utf-8"), "iso-8859-1") == ACCENTED
    data = codecs.BOM_UTF16_LE + ACCENTED.encode("utf-16-le")
    assert decode_with_charset(data, "iso-8859-1") == ACCENTED


def test_decode_with_charset_falls_back_when_the_header_is_wrong_or_unknown() -> None:
    cp1252 = ACCENTED.encode("cp1252")
    assert decode_with_charset(cp1252, "utf-8") == ACCENTED
    assert decode_with_charset(cp1252, "x-no-such-charset") == ACCENTED
    assert decode_with_charset(cp1252, None) == ACCENTED
    with pytest.raises(RecordError) as err:
        decode_with_charset(b"\x89PNG\r\n\x1a\n" + bytes(100), "utf-8")
    assert err.value.reason == "binary"


# --- stdin -----------------------------------------------------------------------------------


def read_stdin_bytes(data: bytes, monkeypatch: pytest.MonkeyPatch,
                     settings: dict[str, object] | None = None) -> tuple[list[Article],
                                                                         RunContext]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    ctx = RunContext(settings=dict(settings or {}))
    return list(read_paths(["-"], ctx)), ctx


def test_stdin_text_and_html_are_told_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    [text], _ = read_stdin_bytes(BODY.encode(), monkeypatch)
    assert (text.id, text.source, text.format, text.raw) == ("stdin", "<stdin>",
                                                            InputFormat.TEXT, BODY)
    [page], _ = read_stdin_bytes(b"\xef\xbb\xbf\n  " + PAGE.encode(), monkeypatch)
    assert page.format is InputFormat.HTML and page.raw.strip() == PAGE
    gc.collect()  # the reader's wrappers are gone: stdin itself is not theirs to close
    assert not sys.stdin.buffer.closed


def test_stdin_jsonl_is_read_line_by_line(monkeypatch: pytest.MonkeyPatch) -> None:
    data = ("\n" + json.dumps({"id": "first", "text": "One."}) + "\n"
            + "{not json\n" + json.dumps({"text": "Two."}) + "\n").encode()
    articles, ctx = read_stdin_bytes(data, monkeypatch)
    assert [(a.id, a.source) for a in articles] == [("first", "<stdin>#L2"),
                                                    ("stdin-L4", "<stdin>#L4")]
    assert reasons(ctx) == {"<stdin>#L3": "malformed-json"}


def test_stdin_may_be_gzip_or_utf16(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = json.dumps({"text": "Zipped."}) + "\n" + json.dumps({"text": "Again."}) + "\n"
    articles, ctx = read_stdin_bytes(gzip.compress(lines.encode()), monkeypatch)
    assert [a.raw for a in articles] == ["Zipped.", "Again."] and ctx.stats["read.gzip"] == 1
    [wide], _ = read_stdin_bytes(codecs.BOM_UTF16_LE + ACCENTED.encode("utf-16-le"),
                                 monkeypatch)
    assert wide.raw == ACCENTED
    wide_lines, _ = read_stdin_bytes(codecs.BOM_UTF16_LE + lines.encode("utf-16-le"),
                                     monkeypatch)
    assert [a.raw for a in wide_lines] == ["Zipped.", "Again."]


def test_stdin_rejects_like_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    _, empty = read_stdin_bytes(b"  \n", monkeypatch)
    assert reasons(empty) == {"<stdin>": "empty"}
    _, big = read_stdin_bytes(b"word " * 100, monkeypatch, {"max_bytes": 100})
    assert reasons(big) == {"<stdin>": "too-large"}


def test_stdin_through_a_real_pipe(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text(BODY, encoding="utf-8")
    script = ("import sys; from corroborate.ingest import read_paths; "
              "from corroborate.pipeline.base import RunContext; "
              "print([a.id for a in read_paths([sys.argv[1], '-'], RunContext())])")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "file.txt")],
                          input=PAGE.encode(), capture_output=True, check=True)
    assert done.stdout.decode().strip() == "['file', 'stdin']"


def test_stdin_named_twice_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="only once"):
        read_paths(["-", "-"], RunContext())


# --- URLs given directly --------------------------------------------------------------------


def test_a_url_is_not_a_missing_path_but_a_mangled_one_gets_a_hint() -> None:
    assert is_url("https://news.example.org/a?b=1") and is_url("HTTP://x.example/")
    assert not is_url(Path("https://news.example.org/a")) and not is_url("ftp://x.example/")
    check_inputs(["https://news.example.org/a"])  # no UsageError
    with pytest.raises(UsageError, match="URL must be given as a string"):
        read_paths([Path("https://news.example.org/a")], RunContext())


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = (f"<html><head><title>Page {self.path}</title></head><body><article><p>"
                f"Text of the page at {self.path}, served for the test.</p></article>"
                "</body></html>").encode()
        status = 200 if self.path.startswith("/page") else 404
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass


@pytest.fixture
def page_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_urls_are_read_with_the_files_in_input_order(tmp_path: Path, page_server: str) -> None:
    pytest.importorskip("corroborate.ingest.urls")
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "z.txt").write_text("Another story.\n", encoding="utf-8")
    first, second = f"{page_server}/page-1", f"{page_server}/page-2"
    ctx = RunContext(settings={"allow_private": True, "host_interval": 0})
    articles = list(read_paths([str(tmp_path / "a.txt"), first, second,
                                str(tmp_path / "z.txt")], ctx))
    assert [a.source for a in articles] == [str(tmp_path / "a.txt"), first, second,
                                            str(tmp_path / "z.txt")]
    assert "/page-2" in articles[2].raw and articles[2].format is InputFormat.HTML


def test_urls_are_refused_by_default_but_the_files_still_land(tmp_path: Path,
                                                             page_server: str) -> None:
    pytest.importorskip("corroborate.ingest.urls")
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    ctx = RunContext()
    articles = list(read_paths([f"{page_server}/page-1", tmp_path / "a.txt"], ctx))
    assert [a.id for a in articles] == ["a"]
    assert [r.source for r in ctx.rejects] == [f"{page_server}/page-1"]


# --- JSONL field mapping -------------------------------------------------------------------


def test_jsonl_fields_map_our_names_to_the_dump_s_nested_or_dotted_ones(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    records = [
        {"body": BODY, "headline": "Bridge vote", "date": "2024-05-02",
         "meta": {"url": "https://news.example.org/b", "site": {"name": "Example News"}},
         "by.line": "J. Doe", "uid": 7},
        {"body_html": PAGE, "headline": "Second", "meta": {"url": None}},
        {"text": "Only our own name: no mapped body.", "headline": "Third"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    fields = {"text": "body", "html": "body_html", "title": "headline", "published": "date",
              "url": "meta.url", "outlet": "meta.site.name", "author": "by.line",
              "id": "uid"}
    ctx = RunContext(settings={"jsonl_fields": fields})
    first, second = read_paths([path], ctx)
    assert (first.id, first.title, first.published, first.url, first.outlet, first.author) \
        == ("7", "Bridge vote", "2024-05-02", "https://news.example.org/b", "Example News",
            "J. Doe")
    assert (second.id, second.format, second.title, second.url) \
        == ("dump-L2", InputFormat.HTML, "Second", None)
    [reject] = ctx.rejects
    assert reject.reason == "missing-text" and "`body`" in reject.detail


@pytest.mark.parametrize("fields,message", [
    ({"body": "text"}, "unknown field"),
    ({"text": ""}, "non-empty string"),
    ({"text": 3}, "non-empty string"),
    (["text"], "must map"),
])
def test_a_bad_jsonl_field_mapping_fails_before_anything_is_read(
        tmp_path: Path, fields: object, message: str) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "x"}) + "\n", encoding="utf-8")
    ctx = RunContext(settings={"jsonl_fields": fields})
    with pytest.raises(UsageError, match=message):
        read_paths([tmp_path], ctx)
    assert ctx.stats["read.files"] == 0


def test_an_xml_file_in_a_folder_is_read_only_when_it_is_a_feed(tmp_path: Path) -> None:
    pytest.importorskip("corroborate.ingest.feeds")
    (tmp_path / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset><url><loc>https://x.example/a</loc></url></urlset>',
        encoding="utf-8")
    (tmp_path / "news.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Wire</title>'
        "<item><title>Pier closes</title><link>https://x.example/pier</link>"
        "<description>The pier closed on Monday after the storm.</description></item>"
        "</channel></rss>", encoding="utf-8")
    ctx = RunContext()
    articles = list(read_paths([tmp_path], ctx))
    assert [a.title for a in articles] == ["Pier closes"]
    assert ctx.rejects == []
    assert ctx.stats["read.skipped-unsupported.xml"] == 1
    named = RunContext()
    assert list(read_paths([tmp_path / "sitemap.xml"], named)) == []
    assert [r.reason for r in named.rejects] == ["malformed-feed"]
