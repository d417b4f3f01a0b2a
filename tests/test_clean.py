"""Cleaning: boilerplate removal, metadata from text and HTML, language, the clean step.

Fixtures are invented articles with invented furniture. The seed test at the end reads
the real seed files at test time and asserts on furniture kinds, never on their text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corroborate.clean import (
    CleanStep,
    date_line,
    detect_language,
    extract_html,
    find_date,
    iso_date,
    repeated_lines,
)
from corroborate.clean.text import normalise, split_paragraphs
from corroborate.ingest import read_paths
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import RunContext

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

def page(*blocks: str) -> str:
    """An invented page: blocks separated by a blank line (a block may hold "\n")."""
    return "\n\n".join(blocks) + "\n"


AGGREGATOR_PAGE = page(
    "Advertisement",
    "We need your support today",
    "Support from people like you keeps The Harbour Post free for everyone.",
    "Our reporters cover the harbour every day. Independent journalism costs money, and "
    "advertising revenue alone no longer pays for it.",
    "If you value our reporting, please contribute what you can, so that our newsroom can "
    "keep going.",
    "The old ferry at the pier in 2019. Getty Images",
    "New bridge approved after a decade of debate",
    "The vote ends one of the longest planning fights in the region.",
    "HARBOURTOWN — The town council voted on Tuesday to build a bridge over the estuary, "
    "ending a debate that has lasted for more than ten years.",
    "“We finally did it,” said the mayor.",
    "A long road",
    "The first plan was drawn up in 2013 but stalled when costs rose. Engineers now expect "
    "the bridge to open in 2027, the council said.",
    "old-ferry-at-the-pier-in-harbourtown-photographed-at-dusk The ferry will stop running "
    "once the bridge opens",
    "It will cost 12 million euros.",
    "The company behind the council's website said it would stop using tracking cookies next "
    "year after regulators asked how people consent.",
    "With additional reporting from Sam Rivers.",
    "Share this article",
    "Related stories",
    "Fishermen protest new quota rules",
    "Staff Writer",
    "Harbour festival returns after two years",
    "Staff Writer",
    "Leave a Reply",
)

WIDGET_PAGE = page(
    "21.5 C\nHarbourtown\n14 March 2025\nBusiness",
    "Harbour port posts record cargo year",
    "The port handled more cargo than ever last year, its director said on Friday, as ships "
    "diverted from other routes.",
    "(Reporting by Ann Lee; Editing by Tom Fox)",
    "Source link",
)

COMMENT_PAGE = page(
    "Harbour ferry makes its final crossing",
    "The last ferry crossed the estuary on Sunday morning with two hundred passengers "
    "aboard, many of them regulars.",
    "“I have taken this boat every day for thirty years,” said one of them.",
    "Want to know more about the harbour's history? Check out our archive of old "
    "photographs and guides.",
    "Close\n42 Comments\n"
    "This is YOUR comments community. Please read our comments policy before taking part.\n"
    "Leave a Comment\nSubmit a report\n"
    "Please help us understand why this comment breaks our community guidelines.\n"
    "Thank you for the feedback\nYour feedback has been sent to our team for review.",
    "Leave a commentcancel",
    "HarbourTV\nNews in 90 seconds",
)

PROMO_PAGE = page(
    "Welcome to Harbour Daily  Click to listen highlighted text! Welcome to Harbour Daily",
    "Harbour Festival Draws Record Crowds Despite Rain",
    "Organisers said more than forty thousand people visited the harbour festival over the "
    "weekend, despite heavy rain on Saturday.",
    "What happens next",
    "The organisers will meet the council in April to plan next year's event.",
    "With assistance from Bo Chen.",
    "This story was auto-generated from a syndicated news feed.",
    "Catch all the Local News, Sports news and Latest News Updates on Harbour Daily. "
    "Download The Harbour Daily App to get daily updates.",
    "Local NewsSportsHarbour Festival Draws Record Crowds Despite Rain",
    "MoreLess",
    "About The Author",
)

HTML_PAGE = """<!doctype html>
<html lang="en-GB"><head><title>Bridge vote passes | The Harbour Post</title>
<meta property="og:site_name" content="The Harbour Post">
<meta name="author" content="Jane Writer">
<meta property="article:published_time" content="2024-05-02T10:00:00Z">
<link rel="canonical" href="https://www.harbourpost.example/news/bridge-vote">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Bridge vote passes</h1>
<p>The town council of Harbourtown voted on Tuesday to build a new bridge over the
estuary, ending a debate that has lasted for more than ten years.</p>
<h2>A long debate</h2>
<p>“We finally did it,” said the mayor, Ann Example, after the vote. Residents had asked
for the bridge since the old ferry stopped running.</p>
<p>The bridge will cost about 12 million euros and should open in 2027, according to the
plan the council published last week.</p>
<p>Share this article</p>
</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Storm closes the coast road</a></li></ul></aside>
<footer><p>Privacy policy</p><p>© 2024 The Harbour Post. All rights reserved.</p></footer>
<script>var tracking = "never shown";</script>
</body></html>"""


def clean(raw: str, fmt: InputFormat = InputFormat.TEXT, **given: str) -> Article:
    article = Article(id="t", source="test", raw=raw, format=fmt)
    for key, value in given.items():
        setattr(article, key, value)
    out = CleanStep().process(article, RunContext())
    assert out is not None
    return out


def lines_of(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


# --- plain-text boilerplate ---------------------------------------------------------------


def test_aggregator_page_loses_pitch_caption_share_and_related_list() -> None:
    article = clean(AGGREGATOR_PAGE)
    text = lines_of(article.text)
    for furniture in ("Advertisement", "We need your support today", "Share this article",
                      "Related stories", "Fishermen protest new quota rules", "Staff Writer",
                      "Harbour festival returns after two years", "Leave a Reply",
                      "The old ferry at the pier in 2019. Getty Images"):
        assert furniture in article.removed
        assert furniture not in text
    pitch = [r for r in article.removed if "journalism" in r or "contribute" in r]
    assert len(pitch) == 2, "the whole pitch block goes, not just its opener"
    assert any(r.startswith("old-ferry-at-the-pier") for r in article.removed)
    assert article.removed.count("Staff Writer") == 2, "removed lines are never merged away"


def test_aggregator_page_keeps_article_lines() -> None:
    article = clean(AGGREGATOR_PAGE)
    text = lines_of(article.text)
    assert article.title == "New bridge approved after a decade of debate"
    assert text[0] == "The vote ends one of the longest planning fights in the region."
    for kept in ("“We finally did it,” said the mayor.", "A long road",
                 "It will cost 12 million euros.", "With additional reporting from Sam Rivers."):
        assert kept in text
    assert any(line.startswith("HARBOURTOWN — The town council") for line in text)
    assert any("tracking cookies" in line for line in text), "news about cookies is not a banner"
    assert article.outlet == "The Harbour Post"


def test_top_widgets_give_the_date_and_the_headline_survives() -> None:
    article = clean(WIDGET_PAGE)
    assert article.removed[:4] == ["21.5 C", "Harbourtown", "14 March 2025", "Business"]
    assert article.published == "2025-03-14"
    assert article.title == "Harbour port posts record cargo year"
    assert "Source link" in article.removed
    assert lines_of(article.text)[-1] == "(Reporting by Ann Lee; Editing by Tom Fox)"


def test_comment_widget_and_what_follows_it_go() -> None:
    article = clean(COMMENT_PAGE)
    text = lines_of(article.text)
    assert text[-1] == "“I have taken this boat every day for thirty years,” said one of them."
    for furniture in ("Close", "42 Comments", "Leave a Comment", "Submit a report",
                      "Thank you for the feedback", "Leave a commentcancel", "HarbourTV",
                      "News in 90 seconds"):
        assert furniture in article.removed
    assert any(r.startswith("Want to know more about") for r in article.removed)
    assert len(article.removed) == 12


def test_greeting_promo_breadcrumb_and_syndication() -> None:
    article = clean(PROMO_PAGE)
    text = lines_of(article.text)
    assert article.outlet == "Harbour Daily"
    assert article.title == "Harbour Festival Draws Record Crowds Despite Rain"
    assert "syndicated" in article.flags
    assert text == [
        text[0],
        "What happens next",
        "The organisers will meet the council in April to plan next year's event.",
        "With assistance from Bo Chen.",
    ]
    assert text[0].startswith("Organisers said")
    assert any(r.startswith("Local NewsSports") for r in article.removed)
    assert {"MoreLess", "About The Author"} <= set(article.removed)
    assert any("auto-generated" in r for r in article.removed)


def test_output_layout_is_paragraph_lines_with_blank_lines_between() -> None:
    article = clean("  First   paragraph here.  \r\n\r\n\r\n\tSecond\u00a0one ends.\u200b  \r\n")
    assert article.text == "First paragraph here.\n\nSecond one ends."


def test_given_metadata_wins_and_a_matching_title_line_leaves_the_text() -> None:
    raw = "Bridge Vote Passes\n\nThe council voted on Tuesday. A date line: March 3, 2021.\n"
    article = clean(raw, title="Bridge vote passes", outlet="Given Outlet",
                    published="2020-01-02", url="https://www.example.org/x")
    assert article.title == "Bridge vote passes"
    assert article.text.startswith("The council voted")
    assert (article.outlet, article.published) == ("Given Outlet", "2020-01-02")


def test_outlet_falls_back_to_the_url_domain() -> None:
    article = clean("The council voted on Tuesday to build a new bridge over the estuary.",
                    url="https://www.harbour.example.co.uk/news/1")
    assert article.outlet == "harbour.example.co.uk"
    assert article.title is None


def test_an_article_of_only_furniture_is_rejected_as_no_content() -> None:
    ctx = RunContext()
    article = Article(id="f", source="only-furniture.txt",
                      raw="Advertisement\n\nShare\n\nLeave a Comment\n")
    assert list(CleanStep().run([article], ctx)) == []
    assert [(r.source, r.step, r.reason) for r in ctx.rejects] == [
        ("only-furniture.txt", "clean", "no-content")]


def test_hard_wrapped_paragraphs_are_rejoined() -> None:
    words = ["the", "council", "met", "again", "on", "tuesday", "evening", "and", "voted",
             "by", "a", "wide", "margin", "to", "approve", "the", "plan", "for", "a", "new",
             "bridge", "over", "the", "estuary", "near", "the", "old", "pier"]
    wrapped = []
    for paragraph in range(3):
        line = ""
        for word in words:
            if len(line) + len(word) + 1 > 64:
                wrapped.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        wrapped.extend([f"{line} (part {paragraph}).", ""])
    paragraphs = split_paragraphs(normalise("\n".join(wrapped)))
    assert len(paragraphs) == 3
    assert all(p.endswith(f"(part {i}).") for i, p in enumerate(paragraphs))


def test_seed_like_text_with_one_paragraph_per_line_is_not_unwrapped() -> None:
    raw = "\n".join(f"Paragraph {i} says something complete about the story." for i in range(8))
    assert len(split_paragraphs(normalise(raw))) == 8


ORIGINAL_BODY = (
    "HARBOURTOWN - The harbour authority said on Monday that the old lighthouse on the "
    "north pier will be restored, after a campaign by residents that lasted three years.",
    "“It is the symbol of this town, and now it will shine again,” said Mara Quill, who "
    "led the campaign.",
    "Work will start in June and should take eight months, the authority said. The cost, "
    "about 900,000 euros, will be shared with the regional government.",
    "Residents can download the new council app to follow the works, officials said.",
    "The charity said readers had donated more than it asked for and that it would support "
    "the restoration.",
)
HEADLINE = ("Harbour authority agrees to restore the old north pier lighthouse after "
            "three-year campaign")


def test_republished_copy_in_scraper_furniture_cleans_to_the_original() -> None:
    original = page(HEADLINE, "October 16, 2024\nBy Nell Dorran, The Harbour Post",
                    *ORIGINAL_BODY)
    copy = page(
        HEADLINE,
        "Welcome to Quay News Now | Your trusted source for news, 24/7",
        "Home | World | Politics | Weather | Contact",
        "Posted on October 17, 2024 by desk",
        "Dear reader, Quay News Now is run by two volunteers. If you enjoy our coverage, "
        "please make a donation today. Even a little keeps us online!",
        "Share on Facebook | Share on X | Copy link",
        *ORIGINAL_BODY,
        "Never miss a story: get the Quay News Now app on Google Play and the App Store",
        "Source link",
        "You may also like",
        "Storm closes the coast road for a second day",
        "Ten walks to try this autumn",
        "Leave a Reply",
        "Comment * Name * Email * Website",
        "Save my name, email, and website in this browser for the next time I comment.",
        "We use cookies to give you the best experience. By continuing you agree to our "
        "cookie policy.",
        "© 2024 Quay News Now. All rights reserved.",
        "About Us | Contact | DMCA | Privacy Policy",
    )
    first, second = clean(original), clean(copy)
    assert first.text == second.text == "\n\n".join(ORIGINAL_BODY)
    assert first.title == second.title == HEADLINE
    assert (first.published, second.published) == ("2024-10-16", "2024-10-17")
    assert first.author == "Nell Dorran"
    assert first.removed == ["October 16, 2024", "By Nell Dorran, The Harbour Post"]
    assert second.outlet == "Quay News Now"
    assert len(second.removed) == 16, "every block but the headline and the body"


def test_stamp_lines_with_reading_time() -> None:
    article = clean(page("A short headline about the harbour",
                         "October 17, 2024 | 3 min read", *ORIGINAL_BODY[:2]))
    assert article.published == "2024-10-17"
    assert article.removed == ["October 17, 2024 | 3 min read"]


def test_a_bare_date_inside_the_article_is_a_subheading_and_stays() -> None:
    body = page(*ORIGINAL_BODY[:2], "March 3, 2025", *ORIGINAL_BODY[2:4])
    article = clean(body)
    assert "March 3, 2025" in lines_of(article.text)
    assert article.published is None


# --- batch repetition ------------------------------------------------------------------------


def test_lines_repeated_on_three_pages_of_one_outlet_are_furniture() -> None:
    footer = "Harbour Post Ltd, Quay Street 4, Harbourtown"
    stories = ("The ferry stopped running.", "A storm closed the road.", "The school reopened.")
    pages = [
        Article(id=f"p{i}", source=f"p{i}", outlet="The Harbour Post", content_hash=str(i),
                raw=f"{story}\n\n{footer}\n")
        for i, story in enumerate(stories)
    ]
    other = Article(id="o", source="o", raw=f"Another story entirely.\n\n{footer}\n")
    repeated = repeated_lines([*pages, other])
    assert repeated == {"harbour post ltd, quay street 0, harbourtown"}
    assert repeated_lines(pages[:2]) == set()
    ctx = RunContext(settings={"repeated_lines": repeated})
    cleaned = CleanStep().process(other, ctx)
    assert cleaned is not None and cleaned.text == "Another story entirely."
    assert cleaned.removed == [footer]


# --- HTML -------------------------------------------------------------------------------------


def test_html_page_text_metadata_and_removed_lines() -> None:
    article = clean(HTML_PAGE, InputFormat.HTML)
    text = lines_of(article.text)
    assert article.title == "Bridge vote passes"
    assert text[0].startswith("The town council of Harbourtown voted")
    assert "A long debate" in text
    assert "Share this article" not in text and "Share this article" in article.removed
    assert article.published == "2024-05-02"
    assert article.outlet == "The Harbour Post"
    assert article.author == "Jane Writer"
    assert article.url == "https://www.harbourpost.example/news/bridge-vote"
    assert article.language == "en"
    for page_line in ("Bridge vote passes | The Harbour Post", "Home World Sport", "Most read",
                      "Privacy policy"):
        assert page_line in article.removed
    assert not any("never shown" in r for r in article.removed), "scripts are not visible"


def test_html_fragment_from_jsonl_is_extracted() -> None:
    fragment = ("<p>The council of Harbourtown voted on Tuesday to build a new bridge over "
                "the estuary, ending a debate of more than ten years.</p>"
                "<p>Engineers expect the bridge to open in 2027, the council said in a "
                "statement published on its website.</p>")
    page = extract_html(fragment)
    assert len(lines_of(page.text)) == 2


# --- dates and language -----------------------------------------------------------------------


@pytest.mark.parametrize("line,iso", [
    ("March 14, 2025", "2025-03-14"),
    ("14 March 2025", "2025-03-14"),
    ("2025-03-14", "2025-03-14"),
    ("Updated: Fri, 14 Mar 2025 10:31 GMT", "2025-03-14"),
    ("14.03.2025", "2025-03-14"),
    ("March 14", None),
    ("03/04/2025", None),
    ("The talks on March 14, 2025 were long", None),
])
def test_date_lines(line: str, iso: str | None) -> None:
    assert date_line(line) == iso


def test_dates_in_text_and_given_values() -> None:
    assert find_date("The talks on March 14, 2025 were long") == "2025-03-14"
    assert iso_date("2024-05-02T09:30:00+02:00") == "2024-05-02"
    assert iso_date("Thu, 02 May 2024 09:30:00 GMT") == "2024-05-02"
    assert iso_date("February 30, 2024") is None
    assert iso_date("soon") is None


@pytest.mark.parametrize("text,lang", [
    ("The council voted on Tuesday to build a bridge, and the mayor said it was a good day "
     "for the town.", "en"),
    ("Der Stadtrat hat am Dienstag beschlossen, eine neue Brücke über den Fluss zu bauen, und "
     "die Bürgermeisterin ist mit dem Ergebnis sehr zufrieden.", "de"),
    ("Le conseil municipal a voté mardi pour la construction d'un pont sur l'estuaire, et le "
     "maire s'est dit très satisfait du résultat.", "fr"),
    ("El ayuntamiento votó el martes a favor de construir un puente sobre el estuario, y la "
     "alcaldesa dijo que es un buen día para la ciudad.", "es"),
    ("Городской совет во вторник проголосовал за строительство нового моста через реку, и "
     "мэр сказал, что это хороший день для города.", "ru"),
    ("市议会周二投票决定在河口上建造一座新桥，结束了长达十多年的争论。"
     "市长表示，这是城市的好日子。", "zh"),
    ("Too short to tell.", None),
])
def test_language_detection(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


def test_non_english_article_is_kept_and_marked() -> None:
    article = clean("Der Stadtrat hat am Dienstag beschlossen, eine neue Brücke über den Fluss "
                    "zu bauen. Die Bürgermeisterin ist mit dem Ergebnis sehr zufrieden.")
    assert article.language == "de" and article.text


# --- the five seed articles ---------------------------------------------------------------------

# Cues a removed line may carry when it is long; written for this test from the
# furniture kinds of the task, independently of clean/patterns.py.
FURNITURE_WORDS = re.compile(
    r"support|contribut|journalism|value|photo|comment|community|feedback|download|\bapp\b|"
    r"news|feed|check out|welcome|click|readers|guidelines|admin", re.IGNORECASE)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+){5,}")
SHORT_WORDS = 12
RELATED_HEADER = re.compile(r"^(related|read more|you may also like)\b", re.IGNORECASE)


def before_related_list(lines: list[str]) -> list[str]:
    """The lines above a related-stories header (the list is checked separately)."""
    for i, line in enumerate(lines):
        if RELATED_HEADER.match(line):
            return lines[:i]
    return lines


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[list[str], Article]]:
    """Seed number -> (the file's non-blank lines, its cleaned article)."""
    ctx = RunContext()
    out: dict[str, tuple[list[str], Article]] = {}
    for article in read_paths([SEEDS], ctx):
        raw_lines = [" ".join(line.split()) for line in article.raw.splitlines()]
        cleaned = CleanStep().process(article, ctx)
        assert cleaned is not None
        out[article.id[:3]] = ([line for line in raw_lines if line], cleaned)
    assert not ctx.rejects
    return out


seed_test = pytest.mark.skipif(not SEEDS.is_dir(), reason="needs ../shared/seeds")


@seed_test
@pytest.mark.seeds
def test_seed_furniture_is_removed(seeds: dict[str, tuple[list[str], Article]]) -> None:
    def removed_matching(seed: str, pattern: str) -> list[str]:
        _, article = seeds[seed]
        found = [r for r in article.removed if re.search(pattern, r)]
        text_lines = set(lines_of(article.text))
        assert found, f"{seed}: nothing removed matches {pattern!r}"
        assert not text_lines & set(found)
        return found

    removed_matching("000", r"^Share$")
    removed_matching("000", r"^Leave A Reply$")
    removed_matching("000", r"^Welcome to ")
    removed_matching("001", r"^We need your help")
    removed_matching("001", r"readers like you")
    removed_matching("001", r"please contribute what you can")
    removed_matching("001", r"^\d+ Comments$")
    removed_matching("001", r"^Leave a Comment$")
    removed_matching("001", r"^Leave a commentcancel$")
    removed_matching("001", r"^Your feedback has been sent")
    removed_matching("001", r"Alamy Stock Photo$")
    removed_matching("001", SLUG.pattern)
    removed_matching("001", r"^News in 60 seconds$")
    removed_matching("002", r"^Source link$")
    removed_matching("003", r"^Catch all the .*App")
    removed_matching("003", r"automated news agency feed")
    removed_matching("003", r"^MoreLess$")
    removed_matching("004", r"^\d+(\.\d)? C$")
    removed_matching("004", r"^Leave a Comment$")
    assert "syndicated" in seeds["003"][1].flags


@seed_test
@pytest.mark.seeds
def test_seed_related_list_goes_to_its_end(seeds: dict[str, tuple[list[str], Article]]) -> None:
    raw_lines, article = seeds["004"]
    start = raw_lines.index("Related posts")
    tail = raw_lines[start:]
    assert len(tail) >= 5 and tail.count("Admin") >= 2
    assert all(line in article.removed for line in tail)
    assert not set(tail) & set(lines_of(article.text))


@seed_test
@pytest.mark.seeds
def test_seed_body_lines_stay(seeds: dict[str, tuple[list[str], Article]]) -> None:
    for seed, (raw_lines, article) in seeds.items():
        text_lines = set(lines_of(article.text))
        for line in before_related_list(raw_lines):
            long_body = len(line.split()) > SHORT_WORDS and not FURNITURE_WORDS.search(line)
            if long_body and line != article.title:
                assert line in text_lines, f"{seed}: body line lost: {line[:60]}"
        related_list = set(raw_lines[len(before_related_list(raw_lines)):])
        for removed in article.removed:
            assert (len(removed.split()) <= SHORT_WORDS or FURNITURE_WORDS.search(removed)
                    or SLUG.match(removed) or removed in related_list), (
                f"{seed}: removed a body line: {removed[:60]}")


@seed_test
@pytest.mark.seeds
def test_seed_subheadings_and_sign_offs_stay(
        seeds: dict[str, tuple[list[str], Article]]) -> None:
    checked = 0
    for all_lines, article in seeds.values():
        text_lines = set(lines_of(article.text))
        raw_lines = before_related_list(all_lines)
        for before, line, after in zip(raw_lines, raw_lines[1:], raw_lines[2:], strict=False):
            is_subheading = (2 <= len(line.split()) <= 8 and not line.endswith(".")
                             and len(before) > 60 and len(after) > 60)
            if is_subheading:
                assert line in text_lines
                checked += 1
        for line in raw_lines:
            if line.startswith(("With additional reporting from", "With assistance from")):
                assert line in text_lines
                checked += 1
    assert checked >= 6


@seed_test
@pytest.mark.seeds
def test_seed_titles_and_header_date(seeds: dict[str, tuple[list[str], Article]]) -> None:
    for seed in ("001", "003", "004"):
        raw_lines, article = seeds[seed]
        assert article.title is not None and article.title in raw_lines
        assert not article.title.endswith(".")
        assert article.title not in lines_of(article.text)
        assert article.title not in article.removed
    for seed in ("000", "002"):
        assert seeds[seed][1].title is None
    assert seeds["004"][1].published == "2025-03-14"
    assert all(article.language == "en" for _, article in seeds.values())


def test_a_text_longer_than_an_article_is_cut_flagged_and_noted() -> None:
    from corroborate.clean.step import MAX_ARTICLE_CHARS

    paragraph = "The river rose again overnight and the council closed the bridge. " * 8
    raw = "\n\n".join(f"{i}. {paragraph}" for i in range(MAX_ARTICLE_CHARS // 400))
    article = Article(id="long", source="long.txt", raw=raw, format=InputFormat.TEXT)
    cleaned = CleanStep().process(article, RunContext())
    assert cleaned is not None
    assert "truncated" in cleaned.flags
    assert len(cleaned.text) <= MAX_ARTICLE_CHARS
    assert cleaned.text.endswith(paragraph.strip())  # cut between paragraphs, not inside
    assert any(line.startswith("[truncated:") for line in cleaned.removed)


def test_html_without_date_metadata_gets_htmldates_date_and_a_canonical_url() -> None:
    page = ("<html><head><title>Bridge</title></head><body><article><h1>Bridge vote</h1>"
            "<p>Posted 4 March 2024</p><p>The council met on Tuesday and voted to build a "
            "bridge across the river after years of delay and argument.</p><p>Work will start "
            "in the spring and take two years, the mayor said on Tuesday evening.</p>"
            "</article></body></html>")
    found = extract_html(page, "HTTPS://News.Example.ORG:443/2024/bridge?utm_source=feed")
    assert found.published == "2024-03-04"
    assert found.url == "https://news.example.org/2024/bridge"
