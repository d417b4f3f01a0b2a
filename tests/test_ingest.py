"""Reading files: decoding, content hashes, readers, directory walking, rejects."""

from __future__ import annotations

import codecs
import json
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
from corroborate.model import InputFormat
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
