"""The invented demo corpus under examples/demo is consistent with its ground truth.

Other tests use examples/demo/expected.json as the truth for end-to-end checks, so
these tests guard the corpus itself: every id it names exists, each relation it
claims (republication, syndication, spinning, contradiction, quote) is really in
the texts, and the files keep the formats the readers are written for. They read
the files with the standard library only, so they say nothing about our readers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
EXPECTED_PATH = DEMO / "expected.json"

# A block (txt) or <p> (html) whose lines are all this short and end without sentence
# punctuation is a date line, byline or list of links, not body text.
MAX_META_LINE_WORDS = 8
SENTENCE_ENDINGS = (".", "!", "?", '"', "”", ")")
# Vocabulary identifiers that may appear in page markup (JSON-LD), not sites.
NON_SITE_HOSTS = frozenset({"schema.org"})
MIN_BODY_WORDS = 300
MAX_BODY_WORDS = 600
MAX_EVENT_SPREAD_DAYS = 3
DENIAL_CUES = ("denied", "denies", "false", "fabricated", "rejected", "rejects", "no evidence")
# What a scraper site wraps around a lifted article (the brief for the demo corpus).
BOILERPLATE_PATTERNS = (
    r"welcome to",
    r"source link",
    r"leave a (comment|reply)",
    r"cookies?\b",
    r"\bapp\b",
    r"\bshare\b",
    r"donat|contribution",
)


@dataclass(frozen=True)
class DemoArticle:
    id: str
    file: str
    raw: str
    title: str
    paragraphs: tuple[str, ...]
    meta: dict[str, str]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


class _PageReader(HTMLParser):
    """Collects <p> texts inside <article>, the <h1>, the <title> and <meta> properties."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.meta: dict[str, str] = {}
        self.h1 = ""
        self.title = ""
        self._article_depth = 0
        self._current: list[str] | None = None
        self._in_h1 = False
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "article":
            self._article_depth += 1
        elif tag == "p" and self._article_depth:
            self._current = []
        elif tag == "h1":
            self._in_h1 = True
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = attributes.get("property") or attributes.get("name")
            if key and attributes.get("content") is not None:
                self.meta[key] = attributes["content"] or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article_depth -= 1
        elif tag == "p" and self._current is not None:
            self.paragraphs.append(_squash("".join(self._current)))
            self._current = None
        elif tag == "h1":
            self._in_h1 = False
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)
        if self._in_h1:
            self.h1 += data
        if self._in_title:
            self.title += data


def _squash(text: str) -> str:
    return " ".join(text.split())


def _read_html(article_id: str, file: str, raw: str) -> DemoArticle:
    page = _PageReader()
    page.feed(raw)
    page.close()
    title = _squash(page.h1) or _squash(page.title)
    return DemoArticle(article_id, file, raw, title, _body(page.paragraphs), page.meta)


def _txt_blocks(raw: str) -> list[str]:
    return [block.strip() for block in re.split(r"\n\s*\n", raw) if block.strip()]


def _is_meta_block(block: str) -> bool:
    return all(
        len(line.split()) <= MAX_META_LINE_WORDS and not line.rstrip().endswith(SENTENCE_ENDINGS)
        for line in block.splitlines()
    )


def _body(paragraphs: list[str]) -> tuple[str, ...]:
    return tuple(p for p in paragraphs if p and not _is_meta_block(p))


def _read_txt(article_id: str, file: str, raw: str) -> DemoArticle:
    blocks = _txt_blocks(raw)
    title = _squash(blocks[0])
    body = _body([_squash(b) for b in blocks[1:] if not _is_meta_block(b)])
    return DemoArticle(article_id, file, raw, title, body, {})


def _read_jsonl(path: Path) -> Iterator[DemoArticle]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        meta = {k: str(v) for k, v in record.items() if k not in {"text", "html"}}
        if record.get("html"):
            page = _read_html(record["id"], path.name, record["html"])
            yield DemoArticle(
                record["id"], path.name, record["html"], record["title"], page.paragraphs, meta
            )
        else:
            paragraphs = _body([_squash(b) for b in _txt_blocks(record["text"])])
            yield DemoArticle(
                record["id"], path.name, record["text"], record["title"], paragraphs, meta
            )


def _load_corpus() -> dict[str, DemoArticle]:
    articles: dict[str, DemoArticle] = {}
    for path in sorted(DEMO.iterdir()):
        found: list[DemoArticle]
        if path.suffix == ".txt":
            found = [_read_txt(path.stem, path.name, path.read_text(encoding="utf-8"))]
        elif path.suffix == ".html":
            found = [_read_html(path.stem, path.name, path.read_text(encoding="utf-8"))]
        elif path.suffix == ".jsonl":
            found = list(_read_jsonl(path))
        else:
            continue
        for article in found:
            assert article.id not in articles, f"duplicate article id {article.id}"
            articles[article.id] = article
    return articles


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXPECTED_PATH.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def corpus() -> dict[str, DemoArticle]:
    return _load_corpus()


def _referenced_ids(expected: dict[str, Any]) -> set[str]:
    ids: set[str] = set(expected["articles"])
    for members in expected["events"].values():
        ids.update(members)
    for relation in (*expected["republished"], *expected["spun"]):
        ids.update((relation["copy"], relation["original"]))
    for pair in expected["syndicated"]:
        ids.update(pair)
    ids.update(expected["agencies"])
    for contradiction in (expected["contradiction"], *expected["contradictions"]):
        for members in contradiction["articles"].values():
            ids.update(members)
    ids.update(quote["article"] for quote in expected["quotes"])
    return ids


def _event_of(expected: dict[str, Any], article_id: str) -> str:
    return next(str(key) for key, members in expected["events"].items() if article_id in members)


def _normalise_quotes(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def test_expected_json_has_every_section(expected: dict[str, Any]) -> None:
    for section in (
        "events",
        "articles",
        "republished",
        "syndicated",
        "spun",
        "contradiction",
        "contradictions",
        "quotes",
    ):
        assert section in expected, section
    assert expected["contradiction"] in expected["contradictions"]


def test_every_referenced_id_exists(
    expected: dict[str, Any], corpus: dict[str, DemoArticle]
) -> None:
    missing = _referenced_ids(expected) - set(corpus)
    assert not missing


def test_events_partition_the_corpus(
    expected: dict[str, Any], corpus: dict[str, DemoArticle]
) -> None:
    assigned = [i for members in expected["events"].values() for i in members]
    assert sorted(assigned) == sorted(corpus), "every article in exactly one event"
    assert set(expected["articles"]) == set(corpus)
    assert len(expected["events"]) >= 3
    assert 15 <= len(corpus) <= 25
    for members in expected["events"].values():
        outlets = {expected["articles"][i]["outlet"] for i in members}
        assert len(outlets) >= 4
        assert len(outlets) == len(members), "one article per outlet within an event"


def test_articles_metadata_points_at_real_files(
    expected: dict[str, Any], corpus: dict[str, DemoArticle]
) -> None:
    for article_id, info in expected["articles"].items():
        assert (DEMO / info["file"]).is_file()
        assert corpus[article_id].file == info["file"]
        assert corpus[article_id].title == info["title"], article_id


def test_jsonl_lines_are_valid_records() -> None:
    jsonl_files = sorted(DEMO.glob("*.jsonl"))
    assert len(jsonl_files) == 1
    records = [
        json.loads(line)
        for line in jsonl_files[0].read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert 2 <= len(records) <= 3
    for record in records:
        assert isinstance(record, dict)
        for key in ("id", "url", "title", "published", "outlet"):
            assert isinstance(record.get(key), str) and record[key], key
        has_text, has_html = bool(record.get("text")), bool(record.get("html"))
        assert has_text != has_html, "exactly one of text and html"
    assert any("html" in record for record in records)


@pytest.mark.parametrize("index", range(3))
def test_republished_copy_contains_original_body_verbatim(
    index: int, expected: dict[str, Any], corpus: dict[str, DemoArticle]
) -> None:
    relation = expected["republished"][index]
    original = corpus[relation["original"]].paragraphs
    copy = corpus[relation["copy"]].paragraphs
    starts = [i for i, p in enumerate(copy) if p == original[0]]
    assert starts, "the copy does not contain the original's first paragraph"
    start = starts[0]
    assert copy[start : start + len(original)] == original


@pytest.mark.parametrize("index", range(3))
def test_republished_copy_is_wrapped_in_site_boilerplate(
    index: int, expected: dict[str, Any], corpus: dict[str, DemoArticle]
) -> None:
    relation = expected["republished"][index]
    copy_raw = corpus[relation["copy"]].raw.lower()
    original_raw = corpus[relation["original"]].raw.lower()
    for pattern in BOILERPLATE_PATTERNS:
        assert re.search(pattern, copy_raw), pattern
    assert "source link" not in original_raw
    assert (
        expected["articles"][relation["copy"]]["outlet"]
        != expected["articles"][relation["original"]]["outlet"]
    )


@pytest.mark.parametrize("index", range(3))
def test_syndicated_pair_shares_agency_copy_with_small_edits(
    index: int, expected: dict[str, Any], corpus: dict[str, DemoArticle]
) -> None:
    first_id, second_id = expected["syndicated"][index]
    first, second = corpus[first_id], corpus[second_id]
    agency = expected["agencies"][first_id]
    assert expected["agencies"][second_id] == agency
    for article in (first, second):
        assert f"({agency}) -" in article.paragraphs[0], "agency dateline"
        assert any(p.startswith("(Reporting by") for p in article.paragraphs), "credit line"
    assert first.paragraphs[0] != second.paragraphs[0], "first sentence was changed"
    assert first.title != second.title
    shared = set(first.paragraphs) & set(second.paragraphs)
    assert len(shared) >= 0.6 * min(len(first.paragraphs), len(second.paragraphs))
    assert len(first.paragraphs) != len(second.paragraphs) or set(first.paragraphs) != set(
        second.paragraphs
    )


@pytest.mark.parametrize("index", range(3))
def test_spun_copy_rewords_its_original(
    index: int, expected: dict[str, Any], corpus: dict[str, DemoArticle]
) -> None:
    relation = expected["spun"][index]
    original, spun = corpus[relation["original"]], corpus[relation["copy"]]
    assert not set(original.paragraphs) & set(spun.paragraphs), "nothing copied verbatim"
    for real_name, garbled in relation["garbled_names"].items():
        assert real_name in original.text
        assert garbled in spun.text
        assert real_name not in spun.text
    # Spinners turn "four" into "4" but keep the figures that were already digits.
    original_numbers = set(re.findall(r"\d[\d,.]*\d", original.text))
    assert original_numbers <= set(re.findall(r"\d[\d,.]*\d", spun.text))
    sources = [_closest_paragraph(p, original.paragraphs) for p in spun.paragraphs]
    assert sources != sorted(sources), "the spinner also reorders paragraphs"


def _closest_paragraph(paragraph: str, candidates: tuple[str, ...]) -> int:
    words = set(paragraph.lower().split())

    def overlap(index: int) -> float:
        other = set(candidates[index].lower().split())
        return len(words & other) / len(words | other)

    return max(range(len(candidates)), key=overlap)


@pytest.mark.parametrize("index", range(3))
def test_contradiction_is_explicit_in_both_articles(
    index: int, expected: dict[str, Any], corpus: dict[str, DemoArticle]
) -> None:
    contradiction = expected["contradictions"][index]
    asserting = contradiction["articles"]["asserts"]
    denying = contradiction["articles"]["denies"]
    for article_id in asserting:
        text = _normalise_quotes(corpus[article_id].text).lower()
        assert contradiction["claim"].lower() in text
        for holder in contradiction["asserted_by"]:
            assert holder in corpus[article_id].text
    for article_id in denying:
        text = corpus[article_id].text
        assert contradiction["denial_cue"] in text
        assert any(cue in text.lower() for cue in DENIAL_CUES)
        for holder in contradiction["denied_by"]:
            assert holder in text
    for article_id in (*asserting, *denying):
        assert _event_of(expected, article_id) == contradiction["event"]
    outlets = {expected["articles"][i]["outlet"] for i in (*asserting, *denying)}
    assert len(outlets) == len(asserting) + len(denying), "independent outlets"


def test_quotes_are_in_their_articles(
    expected: dict[str, Any], corpus: dict[str, DemoArticle]
) -> None:
    quotes = expected["quotes"]
    assert len(quotes) >= 8
    for quote in quotes:
        text = corpus[quote["article"]].text
        assert quote["text_contains"] in text, quote
        surname = quote["speaker"].split()[-1]
        assert surname in text, quote


def test_pronoun_quotes_follow_a_named_mention(
    expected: dict[str, Any], corpus: dict[str, DemoArticle]
) -> None:
    pronoun_quotes = [q for q in expected["quotes"] if q["form"] == "pronoun"]
    assert pronoun_quotes
    for quote in pronoun_quotes:
        paragraph = next(
            p for p in corpus[quote["article"]].paragraphs if quote["text_contains"] in p
        )
        after = paragraph[paragraph.index(quote["text_contains"]) :]
        assert re.search(r"[,?!][\"”] (he|she) said", after), quote
        before = paragraph[: paragraph.index(quote["text_contains"])]
        assert quote["speaker"].split()[-1] in before, "named just before the quote"


def test_both_quotation_mark_styles_occur(corpus: dict[str, DemoArticle]) -> None:
    texts = "".join(article.text for article in corpus.values())
    assert "“" in texts and "”" in texts
    assert '"' in texts


def test_body_lengths_are_news_sized(
    expected: dict[str, Any], corpus: dict[str, DemoArticle]
) -> None:
    for article_id, article in corpus.items():
        words = len(article.text.split())
        assert MIN_BODY_WORDS <= words <= MAX_BODY_WORDS, (article_id, words)
        assert len(article.paragraphs) >= 5, article_id


def test_published_dates_match_the_files_and_cluster_per_event(
    expected: dict[str, Any], corpus: dict[str, DemoArticle]
) -> None:
    for members in expected["events"].values():
        days = [date.fromisoformat(expected["articles"][i]["published"]) for i in members]
        assert (max(days) - min(days)).days <= MAX_EVENT_SPREAD_DAYS
    for article_id, article in corpus.items():
        info = expected["articles"][article_id]
        if "article:published_time" in article.meta:
            assert article.meta["article:published_time"].startswith(info["published"])
        if "published" in article.meta:
            assert article.meta["published"].startswith(info["published"])
        if "og:site_name" in article.meta:
            assert article.meta["og:site_name"] == info["outlet"]
        if "outlet" in article.meta:
            assert article.meta["outlet"] == info["outlet"]


def test_every_url_points_at_a_reserved_example_domain() -> None:
    for path in DEMO.iterdir():
        for host in re.findall(r"https?://([^/\"'\s<>]+)", path.read_text(encoding="utf-8")):
            assert host.endswith(".example") or host in NON_SITE_HOSTS, (path.name, host)


def test_readme_lists_every_file_and_says_it_is_fiction() -> None:
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert "fiction" in readme.lower()
    for path in DEMO.iterdir():
        if path.name != "README.md":
            assert path.name in readme, path.name
