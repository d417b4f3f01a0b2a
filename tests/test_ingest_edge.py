"""Edge and fuzz tests for reading: every bad input is rejected with its reason and
counted, the batch goes on, and the good records in the same batch still land.

Inputs are written to tmp_path by the tests themselves (invented text, WARCs written
with warcio's writer); nothing binary is kept in the repository.
"""

from __future__ import annotations

import codecs
import gzip
import json
import random
from collections import Counter
from pathlib import Path

import pytest

from corroborate.clean import CleanStep
from corroborate.clean.step import MAX_ARTICLE_CHARS, TRUNCATED_FLAG
from corroborate.ingest import read_paths
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import RunContext
from test_ingest import Page, write_warc

STORY = (
    "The harbour authority said on Monday that the new ferry terminal would open in "
    "June, two years later than planned, after a dispute over the cost of dredging.\n\n"
    "Officials told reporters that the delay had added about four million euros to the "
    "bill, most of it for work on the sea wall.\n\n"
    "“We would rather open late than open a terminal that floods,” the harbour master said.\n"
)
PAGE = ("<html><head><title>Ferry terminal delayed</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in STORY.split("\n\n")) + "</article></body></html>")
FRENCH = "Le maire a déclaré que le café « Chez Zoë » rouvrira à Genève l’été prochain.\n"
LATIN = FRENCH.replace("’", "'")  # ISO-8859-1 has no typographic apostrophe


def run_read(paths: list[Path | str], settings: dict[str, object] | None = None,
             ) -> tuple[list[Article], RunContext]:
    ctx = RunContext(settings=dict(settings or {}))
    return list(read_paths(paths, ctx)), ctx


def run_clean(articles: list[Article], ctx: RunContext) -> list[Article]:
    return list(CleanStep().run(articles, ctx))


def reasons(ctx: RunContext) -> dict[str, str]:
    return {r.source: r.reason for r in ctx.rejects}


def lines_jsonl(records: list[object]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


# --- empty and binary -------------------------------------------------------------------------


def test_empty_inputs_of_every_format_are_rejected_as_empty(tmp_path: Path) -> None:
    for name in ("empty.txt", "empty.html", "empty.jsonl", "empty.warc"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "blank.jsonl").write_text("\n  \n\t\n", encoding="utf-8")
    (tmp_path / "empty.txt.gz").write_bytes(gzip.compress(b""))
    (tmp_path / "good.txt").write_text(STORY, encoding="utf-8")
    articles, ctx = run_read([tmp_path])
    assert [a.id for a in articles] == ["good"]
    assert set(reasons(ctx).values()) == {"empty"} and len(ctx.rejects) == 6
    assert ctx.stats["rejected.empty"] == 6


def test_binary_inputs_are_rejected_as_binary(tmp_path: Path) -> None:
    noise = random.Random(7).randbytes(4000)
    (tmp_path / "noise.txt").write_bytes(noise)
    (tmp_path / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + noise)
    (tmp_path / "zeros.jsonl").write_bytes(bytes(5000))
    (tmp_path / "noise.html.gz").write_bytes(gzip.compress(noise))
    (tmp_path / "good.html").write_text(PAGE, encoding="utf-8")
    articles, ctx = run_read([tmp_path])
    assert [a.id for a in articles] == ["good"]
    assert reasons(ctx) == {str(tmp_path / n): "binary" for n in
                            ("noise.txt", "image.html", "zeros.jsonl", "noise.html.gz")}
    assert ctx.stats["rejected.binary"] == 4


# --- damaged and hostile compression ------------------------------------------------------


def test_truncated_gzip_is_corrupt_and_jsonl_keeps_the_lines_before_the_damage(
        tmp_path: Path) -> None:
    (tmp_path / "story.txt.gz").write_bytes(gzip.compress(STORY.encode())[:-12])
    records = [{"id": f"j{i:03d}", "text": f"Story number {i}. " + STORY} for i in range(300)]
    packed = gzip.compress(lines_jsonl(records).encode())
    (tmp_path / "dump.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    (tmp_path / "good.txt").write_text(STORY, encoding="utf-8")
    articles, ctx = run_read([tmp_path])
    ids = [a.id for a in articles]
    assert ids[-1] == "good"
    kept = ids[:-1]
    assert 0 < len(kept) < 300
    assert kept == [f"j{i:03d}" for i in range(len(kept))]  # a prefix, none lost on the way
    assert reasons(ctx) == {str(tmp_path / "story.txt.gz"): "corrupt",
                            str(tmp_path / "dump.jsonl.gz"): "corrupt"}
    assert ctx.stats["rejected.corrupt"] == 2


@pytest.fixture(scope="module")
def zeros_bomb() -> bytes:
    """50 MB of zeros, gzipped to ~50 KB."""
    return gzip.compress(bytes(50 * 1024 * 1024), compresslevel=9)


def test_gzip_bombs_are_too_large_without_being_inflated(tmp_path: Path,
                                                         zeros_bomb: bytes) -> None:
    assert len(zeros_bomb) < 100_000
    (tmp_path / "bomb.txt.gz").write_bytes(zeros_bomb)
    (tmp_path / "bomb.html.gz").write_bytes(zeros_bomb)
    # A JSONL dump may exceed the per-document cap in total; past the cap it must still
    # compress like text. A good first line, then 50 MB of newlines:
    first = lines_jsonl([{"id": "before-the-bomb", "text": STORY}]).encode()
    (tmp_path / "bomb.jsonl.gz").write_bytes(
        gzip.compress(first + b"\n" * (50 * 1024 * 1024), compresslevel=9))
    (tmp_path / "good.txt").write_text(STORY, encoding="utf-8")
    articles, ctx = run_read([tmp_path], {"max_bytes": 1024 * 1024})
    assert [a.id for a in articles] == ["before-the-bomb", "good"]
    assert reasons(ctx) == {str(tmp_path / n): "too-large"
                            for n in ("bomb.txt.gz", "bomb.html.gz", "bomb.jsonl.gz")}


# --- WARC ------------------------------------------------------------------------------------


def four_pages() -> list[Page]:
    return [Page(f"https://harbour.example/news/{i}",
                 PAGE.replace("Ferry terminal delayed", f"Ferry story {i}"))
            for i in range(1, 5)]


def test_a_truncated_warc_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc"
    write_warc(whole, four_pages())
    data = whole.read_bytes()
    whole.unlink()
    third_header = data.index(b"https://harbour.example/news/3")
    third_body = data.index(b"Ferry story 3")
    (tmp_path / "cut-in-header.warc").write_bytes(data[: third_header + 10])
    (tmp_path / "cut-in-body.warc").write_bytes(data[: third_body + 10])
    zipped = tmp_path / "zipped.warc.gz"
    write_warc(zipped, four_pages())
    packed = zipped.read_bytes()
    zipped.write_bytes(packed[: len(packed) * 5 // 8])
    (tmp_path / "whole.warc.gz").write_bytes(gzip.compress(data)[:-40])
    (tmp_path / "good.txt").write_text(STORY, encoding="utf-8")
    articles, ctx = run_read([tmp_path])
    by_file = Counter(a.source.split("#")[0] for a in articles)
    assert by_file[str(tmp_path / "cut-in-header.warc")] == 2
    assert by_file[str(tmp_path / "cut-in-body.warc")] == 2
    assert 1 <= by_file[str(tmp_path / "zipped.warc.gz")] <= 3
    assert by_file[str(tmp_path / "whole.warc.gz")] == 3
    assert by_file[str(tmp_path / "good.txt")] == 1
    assert reasons(ctx) == {str(tmp_path / n): "corrupt" for n in (
        "cut-in-header.warc", "cut-in-body.warc", "zipped.warc.gz", "whole.warc.gz")}
    assert ctx.stats["rejected.corrupt"] == 4
    for article in articles:  # the pages kept are whole
        assert article.id == "good" or article.raw.endswith("</html>")


# --- encodings --------------------------------------------------------------------------------


def test_mis_encoded_files_decode_to_the_right_text(tmp_path: Path) -> None:
    (tmp_path / "cp1252.txt").write_bytes(FRENCH.replace("« ", "“").replace(" »", "”")
                                          .encode("cp1252"))
    (tmp_path / "latin1.txt").write_bytes(LATIN.encode("latin-1"))
    (tmp_path / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"))
    (tmp_path / "utf16be.html").write_bytes(codecs.BOM_UTF16_BE
                                            + f"<p>{FRENCH}</p>".encode("utf-16-be"))
    (tmp_path / "latin1-page.html.gz").write_bytes(gzip.compress(
        f'<html><head><meta charset="iso-8859-1"></head><body><p>{LATIN}</p></body></html>'
        .encode("latin-1")))
    (tmp_path / "utf16.jsonl").write_bytes(codecs.BOM_UTF16_LE + lines_jsonl(
        [{"id": "w1", "text": FRENCH}, {"id": "w2", "text": "Zweite Meldung über Zürich."}])
        .encode("utf-16-le"))
    (tmp_path / "cp1252.jsonl").write_bytes(lines_jsonl(
        [{"id": "c1", "text": FRENCH}]).encode("cp1252"))
    by_id = {a.id: a.raw for a in run_read([tmp_path])[0]}
    assert by_id["cp1252"] == FRENCH.replace("« ", "“").replace(" »", "”")
    assert by_id["latin1"] == LATIN and by_id["utf16"] == FRENCH
    assert FRENCH in by_id["utf16be"]
    assert LATIN in by_id["latin1-page"]
    assert by_id["w1"] == by_id["c1"] == FRENCH
    assert by_id["w2"] == "Zweite Meldung über Zürich."


# --- size and depth ---------------------------------------------------------------------------


def test_a_10_mb_text_is_read_whole_and_cut_between_paragraphs_by_the_cleaner(
        tmp_path: Path) -> None:
    # Long paragraphs (~3.7 KB) keep the cleaner's per-paragraph work, and the test, short.
    paragraph = " ".join([STORY.replace("\n\n", " ").strip()] * 10)
    count = 10 * 1024 * 1024 // (len(paragraph) + 2) + 1
    text = "\n\n".join(f"{n}. {paragraph}" for n in range(count))
    (tmp_path / "huge.txt").write_text(text, encoding="utf-8")
    articles, ctx = run_read([tmp_path])
    [article] = articles
    assert len(article.raw) == len(text) > 10 * 1024 * 1024
    [cleaned] = run_clean(articles, ctx)
    assert TRUNCATED_FLAG in cleaned.flags
    assert MAX_ARTICLE_CHARS - len(paragraph) - 10 < len(cleaned.text) <= MAX_ARTICLE_CHARS
    assert cleaned.text.endswith(paragraph)  # cut between paragraphs, not inside one
    assert any(line.startswith("[truncated:") for line in cleaned.removed)
    assert ctx.rejects == []


def nested(depth: int) -> str:
    return ("<html><head><title>Deep</title></head><body>" + "<div>" * depth + PAGE[
        PAGE.index("<article>"):PAGE.index("</body>")] + "</div>" * depth + "</body></html>")


def test_deeply_nested_html_crashes_neither_the_reader_nor_the_cleaner(tmp_path: Path) -> None:
    (tmp_path / "deep.html").write_text(nested(5000), encoding="utf-8")
    (tmp_path / "fairly-deep.html").write_text(nested(200), encoding="utf-8")
    (tmp_path / "good.txt").write_text(STORY, encoding="utf-8")
    articles, ctx = run_read([tmp_path])
    assert [a.id for a in articles] == ["deep", "fairly-deep", "good"]
    cleaned = {a.id: a for a in run_clean(articles, ctx)}
    assert "ferry terminal would open in June" in cleaned["fairly-deep"].text
    assert "good" in cleaned
    # libxml2 drops what nests deeper than 255 elements, so the 5,000-deep page has no
    # text left: that must be a reject with a reason, never a crash.
    assert "deep" not in cleaned
    [reject] = ctx.rejects
    assert reject.source == str(tmp_path / "deep.html") and reject.step == "clean"
    assert reject.reason == "too-deep"
    assert "255 levels" in reject.detail


# --- malformed JSONL ----------------------------------------------------------------------


def test_malformed_jsonl_lines_are_rejected_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    lines = [
        json.dumps({"id": "g1", "text": STORY}).encode(),
        b'{"id": "cut", "text": "unterminated',
        b'{"id": "comma", "text": "x",}',
        b"[1, 2, 3]",
        b'"just a string"',
        b"null",
        json.dumps({"id": "number-body", "text": 42}).encode(),
        json.dumps({"id": "blank-body", "text": " \u200b "}).encode(),
        b"\x00\x01\x02\x03 binary junk \xff\xfe",
        json.dumps({"id": "big", "text": "x" * 5000}).encode(),
        json.dumps({"id": "g2", "html": PAGE}).encode(),
        b"   ",
        json.dumps({"id": "g3", "text": FRENCH}, ensure_ascii=False).encode("cp1252"),
    ]
    path.write_bytes(b"\n".join(lines))  # and no newline at the end
    articles, ctx = run_read([path], {"max_bytes": 4000})
    assert [a.id for a in articles] == ["g1", "g2", "g3"]
    assert articles[2].raw == FRENCH
    assert reasons(ctx) == {
        f"{path}#L2": "malformed-json", f"{path}#L3": "malformed-json",
        f"{path}#L4": "malformed-json", f"{path}#L5": "malformed-json",
        f"{path}#L6": "malformed-json", f"{path}#L7": "missing-text",
        f"{path}#L8": "empty", f"{path}#L9": "binary", f"{path}#L10": "too-large",
    }
    assert ctx.stats["rejected.malformed-json"] == 5 and ctx.stats["read.articles"] == 3


# --- everything at once ---------------------------------------------------------------------


def test_a_folder_mixing_every_kind_of_bad_input_still_delivers_every_good_article(
        tmp_path: Path, zeros_bomb: bytes) -> None:
    bad = tmp_path / "inbox" / "bad"
    good = tmp_path / "inbox" / "good"
    bad.mkdir(parents=True)
    good.mkdir(parents=True)
    (bad / "empty.txt").write_bytes(b"")
    (bad / "noise.html").write_bytes(random.Random(3).randbytes(3000))
    (bad / "cut.txt.gz").write_bytes(gzip.compress(STORY.encode())[:-12])
    (bad / "bomb.txt.gz").write_bytes(zeros_bomb)
    (bad / "huge.txt").write_bytes(b"word " * 300_000)
    (bad / "not-a.warc").write_text("notes\n", encoding="utf-8")
    (bad / "lines.jsonl").write_text('{"text": \n[]\n{"title": "no body"}\n', encoding="utf-8")
    (bad / "README.md").write_text("# what this folder is\n", encoding="utf-8")
    (good / "a.txt").write_text(STORY, encoding="utf-8")
    (good / "b.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (good / "c.txt").write_bytes(codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"))
    (good / "d.jsonl").write_text(lines_jsonl([{"id": "d1", "text": STORY},
                                               {"id": "d2", "html": PAGE}]), encoding="utf-8")
    write_warc(good / "e.warc.gz", [Page("https://harbour.example/e", PAGE),
                                    Page("https://harbour.example/e.png", b"\x89PNG",
                                         content_type="image/png")])
    articles, ctx = run_read([tmp_path / "inbox"], {"max_bytes": 1024 * 1024})
    assert sorted(a.id for a in articles) == ["a", "b", "c", "d1", "d2", "e-1"]
    assert reasons(ctx) == {
        str(bad / "empty.txt"): "empty", str(bad / "noise.html"): "binary",
        str(bad / "cut.txt.gz"): "corrupt", str(bad / "bomb.txt.gz"): "too-large",
        str(bad / "huge.txt"): "too-large", str(bad / "not-a.warc"): "corrupt",
        f"{bad / 'lines.jsonl'}#L1": "malformed-json",
        f"{bad / 'lines.jsonl'}#L2": "malformed-json",
        f"{bad / 'lines.jsonl'}#L3": "missing-text",
    }
    assert ctx.stats["read.skipped-unsupported.md"] == 1
    assert sum(v for k, v in ctx.stats.items() if k.startswith("rejected.")) == 9
    cleaned = run_clean(articles, ctx)
    assert sorted(a.id for a in cleaned) == ["a", "b", "c", "d1", "d2", "e-1"]
    assert len(ctx.rejects) == 9  # cleaning lost nothing


# --- fuzz ---------------------------------------------------------------------------------------


def _mutate(data: bytes, rng: random.Random) -> bytes:
    """One random change of the kinds damage takes: flipped bytes, a cut, inserted junk,
    a repeated or removed slice."""
    if not data:
        return rng.randbytes(rng.randint(1, 64))
    out = bytearray(data)
    kind = rng.choice(("flip", "cut", "insert", "repeat", "delete"))
    at = rng.randrange(len(out))
    if kind == "flip":
        for _ in range(rng.randint(1, 12)):
            out[rng.randrange(len(out))] = rng.randrange(256)
    elif kind == "cut":
        del out[at:]
    elif kind == "insert":
        out[at:at] = rng.randbytes(rng.randint(1, 40))
    elif kind == "repeat":
        out[at:at] = out[at : at + rng.randint(1, 200)] * rng.randint(2, 5)
    else:
        del out[at : at + rng.randint(1, 200)]
    return bytes(out)


def _seeds(tmp_path: Path) -> dict[str, bytes]:
    warc_path = tmp_path / "seed.warc"
    write_warc(warc_path, four_pages()[:2])
    warc_gz = tmp_path / "seed.warc.gz"
    write_warc(warc_gz, four_pages()[:2])
    return {
        ".html": PAGE.encode(),
        ".txt": STORY.encode(),
        ".jsonl": lines_jsonl([{"id": "f1", "text": STORY}, {"html": PAGE},
                               {"text": FRENCH, "title": "t"}]).encode(),
        ".warc": warc_path.read_bytes(),
        ".warc.gz": warc_gz.read_bytes(),
        ".html.gz": gzip.compress(PAGE.encode()),
        ".jsonl.gz": gzip.compress(lines_jsonl([{"text": STORY}, {"text": FRENCH}]).encode()),
    }


FUZZ_CASES = 360


def test_fuzz_random_and_mutated_inputs_never_crash_and_are_all_accounted_for(
        tmp_path: Path) -> None:
    rng = random.Random(20240521)
    seeds = _seeds(tmp_path)
    cases = tmp_path / "cases"
    cases.mkdir()
    for n in range(FUZZ_CASES):
        suffix = rng.choice(sorted(seeds))
        if n % 6 == 0:
            data = rng.randbytes(rng.randint(0, 3000))
        else:
            data = seeds[suffix]
            for _ in range(rng.randint(1, 3)):
                data = _mutate(data, rng)
        (cases / f"case-{n:03d}{suffix}").write_bytes(data)
    articles, ctx = run_read([cases], {"max_bytes": 256 * 1024})
    cleaned = run_clean(articles, ctx)
    assert not [r for r in ctx.rejects if r.reason == "internal-error"]
    # Every case is an article or a reject (or holds only skipped WARC records): none
    # vanishes without a trace.
    traced = {s.split("#")[0] for s in [a.source for a in articles]
              + [r.source for r in ctx.rejects]}
    untraced = [p for p in cases.iterdir() if str(p) not in traced]
    assert all(".warc" in p.name for p in untraced), untraced
    assert len(cleaned) + sum(1 for r in ctx.rejects if r.step == "clean") == len(articles)
    assert all(a.format in (InputFormat.TEXT, InputFormat.HTML) for a in articles)
