"""The report: JSON contract, schema validation, Markdown and HTML rendering, writing."""

from __future__ import annotations

import copy
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from corroborate.model import (
    Article,
    Citation,
    Claim,
    ClaimStatus,
    EntityMention,
    Fact,
    InputFormat,
    ProvenanceEdge,
    ProvenanceKind,
    Quote,
    Span,
    Stance,
    StanceRecord,
    Story,
    StoryEntity,
    StoryQuote,
    SummarySentence,
    TimelineEntry,
)
from corroborate.pipeline.base import Reject
from corroborate.report import (
    build_report,
    load_schema,
    render_html,
    render_markdown,
    validate_report,
    write_reports,
)
from corroborate.report.html import marked_text
from corroborate.report.markdown import md

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# Invented texts. The second article carries markup and Markdown-significant
# characters that must come out as text in every output.
TEXT_A = ('The Millbrook council voted on 3 March to close the old ferry pier. '
          '"The pier is no longer safe," said Mayor Dana Ortiz. '
          "Residents say repairs would cost less than the council claims.")
HOSTILE = "<script>alert(1)</script> \"&<>'"
TEXT_B = ("Millbrook will close its ferry pier, the council decided on 3 March. "
          "Ortiz said the pier was unsafe. "
          f"A residents' group denies that repairs are too costly. {HOSTILE} | # not a heading")


def at(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def cite(article_id: str, text: str, phrase: str) -> Citation:
    return Citation(article_id, *at(text, phrase))


def make_articles() -> list[Article]:
    a_quote = at(TEXT_A, "The pier is no longer safe")
    a_speaker = at(TEXT_A, "Dana Ortiz")
    b_speaker = at(TEXT_B, "Ortiz")
    a1 = Article(
        id="a1", source="in/gazette.html", raw="<html>...</html>", format=InputFormat.HTML,
        content_hash="h1", text=TEXT_A, outlet="Harbor Gazette",
        title="Council closes ferry pier", url="https://gazette.example/pier",
        published="2024-03-04", author="Lee Park", language="en",
        removed=["Subscribe to our newsletter", "Share this | Tweet"], flags=["syndicated"],
        sentences=[Span(0, 67), Span(68, 120), Span(121, len(TEXT_A))],
        entities=[EntityMention(*at(TEXT_A, "Millbrook"), "Millbrook", "GPE"),
                  EntityMention(*a_speaker, "Dana Ortiz", "PERSON")],
        quotes=[Quote(*a_quote, "Dana Ortiz", *a_speaker, direct=True, cue="said")],
        story="s1",
    )
    b2 = Article(
        id="b2", source="in/wire.txt", text=TEXT_B, outlet="Valley Wire | Live",
        title=f"# Pier to close {HOSTILE}", published=None, language="en",
        removed=[f"Ad: {HOSTILE}"], flags=[],
        sentences=[Span(0, 68)],
        entities=[EntityMention(*b_speaker, "Ortiz", "PERSON")],
        quotes=[Quote(*at(TEXT_B, "the pier was unsafe"), "Ortiz", *b_speaker, direct=False,
                      cue="said")],
        story=None,  # left unset on purpose: the story lists it
    )
    loose = Article(id="c3", source="in/other.txt", text="An unrelated note.")
    return [a1, b2, loose]


def make_story() -> Story:
    return Story(
        id="s1",
        title="Millbrook closes its ferry pier",
        article_ids=["a1", "b2"],
        entities=[StoryEntity("Dana Ortiz", "PERSON", aliases=["Ortiz"],
                              mentions=[cite("a1", TEXT_A, "Dana Ortiz"),
                                        cite("b2", TEXT_B, "Ortiz")])],
        quotes=[
            StoryQuote("Dana Ortiz", "The pier is no longer safe", "a1",
                       *at(TEXT_A, "The pier is no longer safe"), direct=True,
                       speaker_start=at(TEXT_A, "Dana Ortiz")[0],
                       speaker_end=at(TEXT_A, "Dana Ortiz")[1]),
            StoryQuote(None, "the pier was unsafe", "b2", *at(TEXT_B, "the pier was unsafe"),
                       direct=False),
        ],
        facts=[Fact("The council voted to close the ferry pier on 3 March.", ["a1", "b2"], 1,
                    [cite("a1", TEXT_A, "voted on 3 March to close the old ferry pier"),
                     cite("b2", TEXT_B, "the council decided on 3 March")])],
        claims=[Claim(
            "Repairs would cost too much.", ClaimStatus.DISPUTED,
            stances=[
                StanceRecord("Millbrook council", Stance.ASSERTS, "a1",
                             *at(TEXT_A, "less than the council claims")),
                StanceRecord("residents' group", Stance.DENIES, "b2",
                             *at(TEXT_B, "denies that repairs are too costly")),
            ],
            support=["a1", "b2"], independent_support=2)],
        provenance=[
            ProvenanceEdge("a1", "b2", ProvenanceKind.PARAPHRASE, 0.42, directed=True,
                           evidence="b2 published a day later"),
            ProvenanceEdge("outlet:Coast Daily", "a1", ProvenanceKind.ATTRIBUTED, 0.0,
                           directed=False, evidence=None),
        ],
        timeline=[TimelineEntry("2024-03-03", "Council votes to close the pier", ["a1", "b2"],
                                [cite("a1", TEXT_A, "voted on 3 March")])],
        summary=[
            SummarySentence("The Millbrook council voted on 3 March to close the old ferry pier.",
                             [Citation("a1", 0, 67)]),
            SummarySentence("A residents' group denies that repairs are too costly.",
                            [cite("b2", TEXT_B, "A residents' group denies that repairs are "
                                  "too costly.")]),
        ],
        families=[["a1", "b2"]],
    )


REJECTS = [Reject("in/broken.bin", "decode", "binary", "NUL bytes <b>at</b> 0 | 3")]
STATS = {"read": 4, "decode.ok": 3, "rejected.binary": 1}


@pytest.fixture()
def report() -> dict[str, Any]:
    return build_report(make_articles(), [make_story()], rejects=REJECTS, stats=STATS)


# --- build ------------------------------------------------------------------------------

def test_build_top_level_contract(report: dict[str, Any]) -> None:
    assert report["schema"] == "corroborate.report/1"
    assert report["generated_at"] is None
    assert [a["id"] for a in report["articles"]] == ["a1", "b2", "c3"]
    assert [s["id"] for s in report["stories"]] == ["s1"]
    assert report["rejects"] == [{"source": "in/broken.bin", "step": "decode",
                                  "reason": "binary", "detail": "NUL bytes <b>at</b> 0 | 3"}]
    assert list(report["stats"]) == sorted(STATS)


def test_build_article_fields(report: dict[str, Any]) -> None:
    a1, b2, c3 = report["articles"]
    assert a1["outlet"] == "Harbor Gazette" and a1["published"] == "2024-03-04"
    assert a1["removed"] == ["Subscribe to our newsletter", "Share this | Tweet"]
    assert a1["format"] == "html"
    assert a1["sentences"][1] == {"start": 68, "end": 120}
    assert a1["entities"][1] == {"start": TEXT_A.index("Dana"), "end": TEXT_A.index("Dana") + 10,
                                 "text": "Dana Ortiz", "label": "PERSON"}
    quote = a1["quotes"][0]
    assert TEXT_A[quote["start"]:quote["end"]] == "The pier is no longer safe"
    assert TEXT_A[quote["speaker_start"]:quote["speaker_end"]] == "Dana Ortiz"
    assert quote["cue"] == "said" and quote["direct"] is True
    # The story lists b2 although b2.story was unset; c3 is in no story.
    assert (a1["story"], b2["story"], c3["story"]) == ("s1", "s1", None)
    assert b2["published"] is None


def test_build_story_fields(report: dict[str, Any]) -> None:
    story = report["stories"][0]
    assert story["articles"] == ["a1", "b2"]
    assert story["entities"][0]["mentions"][1] == {"article": "b2", "start": TEXT_B.index("Ortiz"),
                                                   "end": TEXT_B.index("Ortiz") + 5}
    edge = story["provenance"][0]
    assert (edge["from"], edge["to"], edge["kind"], edge["overlap"]) == ("a1", "b2",
                                                                         "paraphrase", 0.42)
    assert "source" not in edge and "target" not in edge
    claim = story["claims"][0]
    assert claim["status"] == "disputed"
    assert [s["stance"] for s in claim["stances"]] == ["asserts", "denies"]
    # Enum members became plain strings, so the dict is plain JSON.
    assert type(claim["status"]) is str and type(edge["kind"]) is str
    assert story["facts"][0]["independent_support"] == 1
    assert story["summary"][0]["citations"] == [{"article": "a1", "start": 0, "end": 67}]
    assert story["quotes"][1]["speaker"] is None
    assert story["families"] == [["a1", "b2"]]
    assert story["timeline"][0]["date"] == "2024-03-03"


def test_build_is_deterministic() -> None:
    first = build_report(make_articles(), [make_story()], rejects=REJECTS, stats=STATS)
    shuffled_stats = dict(reversed(list(STATS.items())))
    second = build_report(make_articles(), [make_story()], rejects=REJECTS, stats=shuffled_stats)
    assert json.dumps(first) == json.dumps(second)


def test_generated_at_is_passed_through() -> None:
    built = build_report([], [], rejects=[], stats={}, generated_at="2024-03-05T10:00:00+00:00")
    assert built["generated_at"] == "2024-03-05T10:00:00+00:00"
    validate_report(built)


# --- schema -----------------------------------------------------------------------------

def test_schema_is_valid_draft_2020_12() -> None:
    from jsonschema import Draft202012Validator

    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_built_report_validates(report: dict[str, Any]) -> None:
    validate_report(report)
    validate_report(json.loads(json.dumps(report)))


def test_missing_schema_field_fails(report: dict[str, Any]) -> None:
    del report["schema"]
    with pytest.raises(ValueError, match="'schema' is a required property"):
        validate_report(report)


def test_wrong_stance_fails_with_its_path(report: dict[str, Any]) -> None:
    report["stories"][0]["claims"][0]["stances"][1]["stance"] = "believes"
    where = re.escape("report.stories[0].claims[0].stances[1].stance")
    with pytest.raises(ValueError, match=where + ".*'believes' is not one of"):
        validate_report(report)


@pytest.mark.parametrize(("path", "value"), [
    (("stories", 0, "claims", 0, "status"), "contested"),
    (("stories", 0, "provenance", 0, "kind"), "copied"),
    (("stories", 0, "facts", 0, "independent_support"), "two"),
    (("articles", 0, "published"), 20240304),
    (("articles", 1, "quotes", 0, "start"), -1),
    (("stories", 0, "summary", 0, "citations", 0, "article"), None),
])
def test_wrong_types_and_enums_fail(report: dict[str, Any], path: tuple[Any, ...],
                                    value: object) -> None:
    target: Any = report
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ValueError, match="does not match the schema"):
        validate_report(report)


def test_missing_contract_field_in_story_fails(report: dict[str, Any]) -> None:
    del report["stories"][0]["families"]
    with pytest.raises(ValueError, match=re.escape("report.stories[0]: 'families'")):
        validate_report(report)


def test_additional_properties_are_allowed(report: dict[str, Any]) -> None:
    report["producer"] = "test"
    report["stories"][0]["claims"][0]["confidence"] = 0.7
    report["articles"][0]["word_count"] = 31
    validate_report(report)


def test_dangling_references_fail(report: dict[str, Any]) -> None:
    broken = copy.deepcopy(report)
    broken["stories"][0]["facts"][0]["citations"][0]["end"] = len(TEXT_A) + 5
    with pytest.raises(ValueError, match=r"facts\[0\]\.citations\[0\].*outside the text"):
        validate_report(broken)
    validate_report(broken, check_references=False)

    unknown = copy.deepcopy(report)
    unknown["stories"][0]["articles"].append("zz9")
    with pytest.raises(ValueError, match="no article 'zz9'"):
        validate_report(unknown)


def test_entity_text_must_match_its_span(report: dict[str, Any]) -> None:
    report["articles"][0]["entities"][0]["text"] = "Millbrok"
    with pytest.raises(ValueError, match=re.escape("report.articles[0].entities[0]")):
        validate_report(report)


def test_docs_example_is_a_valid_report() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "report-schema.md").read_text("utf-8")
    example = re.search(r"```json\n(.*?)```", doc, re.S)
    assert example is not None
    validate_report(json.loads(example.group(1)))


# --- markdown ---------------------------------------------------------------------------

def test_markdown_has_every_section(report: dict[str, Any]) -> None:
    text = render_markdown(report)
    for heading in ("# corroborate report", "## 1. Millbrook closes its ferry pier",
                    "### Articles", "### Summary", "### Facts shared by several sources",
                    "### Claims", "### Quotes", "### Entities", "### Provenance",
                    "### Timeline", "### Sources", "## Rejected inputs", "## Run statistics",
                    "## Articles in no story"):
        assert f"\n{heading}\n" in f"\n{text}", heading


def test_markdown_citations_link_to_numbered_sources(report: dict[str, Any]) -> None:
    text = render_markdown(report)
    summary = text.split("### Summary\n\n")[1].split("\n")[0]
    assert summary.endswith("[\\[1\\]](#story-1-source-1) A residents' group denies that "
                            "repairs are too costly. [\\[2\\]](#story-1-source-2)")
    sources = text.split("### Sources\n\n")[1].split("\n\n")[0].splitlines()
    assert sources[0] == ('1. <a id="story-1-source-1"></a>a1 \\[0:67\\] Harbor Gazette — '
                          "“The Millbrook council voted on 3 March to close the old ferry pier.”")
    # Every marker has a source entry, numbered 1..n without gaps.
    numbers = sorted({int(n) for n in re.findall(r"\(#story-1-source-(\d+)\)", text)})
    assert numbers == list(range(1, len(sources) + 1))


def test_markdown_facts_claims_quotes(report: dict[str, Any]) -> None:
    text = render_markdown(report)
    assert "— support: 2 articles / 1 independent" in text
    assert "- **disputed**: Repairs would cost too much. — support: 2 articles / 2 independent" \
        in text
    assert "  - residents' group *denies* (Valley Wire \\| Live)" in text
    assert "- **Dana Ortiz**: “The pier is no longer safe” — Harbor Gazette" in text
    assert "- ***unattributed***: “the pier was unsafe” *(indirect)* — Valley Wire \\| Live" in text
    assert "| a1 (Harbor Gazette) | b2 (Valley Wire \\| Live) | paraphrase | 0.42 | yes |" in text
    assert "| outlet:Coast Daily | a1 (Harbor Gazette) | attributed | 0.00 | no" in text
    assert "- 2024\\-03\\-03 — Council votes to close the pier" not in text  # dates unescaped
    assert "- 2024-03-03 — Council votes to close the pier [\\[" in text


def test_markdown_escapes_article_text(report: dict[str, Any]) -> None:
    text = render_markdown(report)
    assert "<script>" not in text and "</script>" not in text
    # The title starting with "#" is a table cell, not a heading, and its pipe is escaped.
    row = next(line for line in text.splitlines() if line.startswith("| b2 |"))
    assert re.split(r"(?<!\\)\|", row).__len__() == 7  # 5 cells between 6 pipes
    assert "\\# Pier to close \\<script\\>alert(1)\\</script\\>" in row
    assert not any(line.startswith("# ") and "Pier" in line for line in text.splitlines())
    # Rejects table: detail with markup and a pipe stays in its cell.
    assert "| in/broken.bin | decode | binary | NUL bytes \\<b\\>at\\</b\\> 0 \\| 3 |" in text


@pytest.mark.parametrize(("raw", "escaped"), [
    ("# heading", "\\# heading"),
    ("1. first", "1\\. first"),
    ("- item", "\\- item"),
    ("a | b", "a \\| b"),
    ("*bold* _it_ `code` [x](y)", "\\*bold\\* \\_it\\_ \\`code\\` \\[x\\](y)"),
    ("two\nlines", "two lines"),
    ("back\\slash", "back\\\\slash"),
])
def test_md_escape(raw: str, escaped: str) -> None:
    assert md(raw) == escaped


# --- html -------------------------------------------------------------------------------

class TagChecker(HTMLParser):
    """Collects start tags and fails on an end tag that does not close the open one."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.seen: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-3:]}"
        self.stack.pop()


def parse_html(page: str) -> TagChecker:
    checker = TagChecker()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    return checker


def test_html_escapes_everything(report: dict[str, Any]) -> None:
    page = render_html(report)
    assert "<script" not in page.lower()
    assert "alert(1)" in page  # the text is there, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&amp;&lt;&gt;&#x27;" in page
    assert "<b>at</b>" not in page  # reject detail escaped too
    tags = {tag for tag, _ in parse_html(page).seen}
    assert "script" not in tags and "b" in tags  # our own <b> for speakers only


def test_html_is_self_contained(report: dict[str, Any]) -> None:
    page = render_html(report)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "src=" not in page
    assert not re.search(r"url\(|@import", page)
    for tag, attrs in parse_html(page).seen:
        href = attrs.get("href")
        assert href is None or href.startswith("#"), (tag, href)
    assert "<style>" in page and "Content-Security-Policy" in page
    # The article URL is shown, but not as a link.
    assert "https://gazette.example/pier" in page


def test_html_citations_jump_to_marked_spans(report: dict[str, Any]) -> None:
    page = render_html(report)
    checker = parse_html(page)
    ids = [attrs["id"] for _, attrs in checker.seen if attrs.get("id")]
    assert len(ids) == len(set(ids)), "HTML ids must be unique"
    targets = {attrs["href"][1:] for tag, attrs in checker.seen
               if tag == "a" and (attrs.get("href") or "").startswith("#cite-")}
    assert targets and targets <= set(ids)
    # Every span a story cites is marked in full in its article's text, and the text
    # read back from the page is the article's text.
    story = report["stories"][0]
    cited = [c for s in story["summary"] for c in s["citations"]] + story["quotes"]
    cited += [c for f in story["facts"] for c in f["citations"]]
    cited += [s for c in story["claims"] for s in c["stances"]]
    for position, article in enumerate(report["articles"][:2]):
        text, marked = marked_offsets(page, position)
        assert text == article["text"]
        for c in (c for c in cited if c["article"] == article["id"]):
            assert f'id="cite-{position}-{c["start"]}"' in page
            assert set(range(c["start"], c["end"])) <= marked, c


class TextReader(HTMLParser):
    """The text of one article's `<div class="text">`, and which offsets are in a mark."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.marked: set[int] = set()
        self._in_mark = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_mark = self._in_mark or tag == "mark"

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data: str) -> None:
        if self._in_mark:
            self.marked.update(range(len(self.text), len(self.text) + len(data)))
        self.text += data


def marked_offsets(page: str, position: int) -> tuple[str, set[int]]:
    block = page.split(f'<details class="article" id="art-{position}">')[1]
    div = block.split('<div class="text">')[1].split("</div>")[0]
    reader = TextReader()
    reader.feed(div)
    reader.close()
    return reader.text, reader.marked


def test_html_has_details_per_article_and_removed_list(report: dict[str, Any]) -> None:
    page = render_html(report)
    assert page.count('<details class="article"') == 3
    assert '<details class="removed"><summary>Removed boilerplate (2)</summary>' in page
    assert "<li>Share this | Tweet</li>" in page
    for text in ("Facts shared by several sources", "Claims", "Quotes", "Provenance",
                 "Timeline", "Sources", "Rejected inputs", "2 articles / 1 independent"):
        assert text in page
    assert 'status-disputed' in page


def test_marked_text_splits_overlaps_and_keeps_text() -> None:
    text = "alpha <beta> gamma & delta"
    out = marked_text(text, [(0, 12), (6, 18), (6, 12), (50, 60), (20, 20)], position=7)
    assert "<mark><mark" not in out and "</mark></mark>" not in out
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", out)) == text
    assert re.findall(r'id="(cite-7-\d+)"', out) == ["cite-7-0", "cite-7-6", "cite-7-20"]
    assert "cite-7-50" not in out  # outside the text: ignored
    assert out.startswith('<mark id="cite-7-0">alpha </mark>'
                          '<mark id="cite-7-6">&lt;beta&gt;</mark>')


def test_marked_text_without_spans_is_escaped_text() -> None:
    assert marked_text("a < b", [], 0) == "a &lt; b"
    assert marked_text("", [(0, 0)], 2) == '<mark id="cite-2-0"></mark>'


# --- writing ----------------------------------------------------------------------------

def test_write_reports_round_trips(tmp_path: Path, report: dict[str, Any]) -> None:
    report["articles"][2]["text"] = "Line one.\r\nLine two — “quoted”."
    out = tmp_path / "nested" / "out"
    written = write_reports(report, out)
    assert [p.name for p in written] == ["report.json", "report.md", "report.html"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in written)
    raw = (out / "report.json").read_text("utf-8")
    assert "“quoted”" in raw  # ensure_ascii=False
    assert json.loads(raw) == report
    # Bytes, not read_text: universal newlines would hide a rewritten "\r\n".
    assert (out / "report.md").read_bytes().decode("utf-8") == render_markdown(report)
    assert (out / "report.html").read_bytes().decode("utf-8") == render_html(report)
    assert b"Line one.\\r\\nLine two" in (out / "report.json").read_bytes()
    write_reports(report, out)  # overwriting is fine


# --- on real article texts --------------------------------------------------------------

@pytest.mark.seeds
@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not present")
def test_renders_real_texts_safely(tmp_path: Path) -> None:
    articles = []
    for i, path in enumerate(sorted(SEEDS.glob("*"))[:20]):
        text = path.read_text("utf-8", errors="replace")
        articles.append(Article(id=f"seed{i}", source=path.name, text=text, outlet=path.stem,
                                sentences=[Span(0, min(len(text), 80))]))
    summary = [SummarySentence(a.text[:80], [Citation(a.id, 0, min(len(a.text), 80))])
               for a in articles[:3]]
    story = Story(id="s", title="seeds", article_ids=[a.id for a in articles[:3]],
                  summary=summary)
    built = build_report(articles, [story], rejects=[], stats={})
    validate_report(built)
    paths = write_reports(built, tmp_path)
    page = paths[2].read_text("utf-8")
    parse_html(page)
    assert "<script" not in page.lower()
    assert json.loads(paths[0].read_text("utf-8")) == built
