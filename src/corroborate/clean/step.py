"""The cleaning step: raw text or HTML in, clean paragraphs and metadata out.

Reads like a checklist: extract (HTML) or normalise (text), remove furniture, take the
title line out of the text, settle metadata (what the input gave wins over what the
page says, which wins over what the text suggests), detect the language, check that
something is left.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from corroborate.clean.boilerplate import Cleaned, clean_plain_text, remove_boilerplate
from corroborate.clean.html import HTML_MAX_DEPTH, exceeds_parser_depth, extract_html
from corroborate.clean.language import detect_language
from corroborate.clean.metadata import detect_title, outlet_from_url, same_title
from corroborate.clean.text import join_paragraphs, split_paragraphs
from corroborate.enrich.nlp import MAX_PARSE_CHARS
from corroborate.errors import RecordError
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import ArticleStep, RunContext

TRUNCATED_FLAG = "truncated"
# The longest news long-reads run to about 30,000 words (~180,000 characters); past
# that a text is not one article. Well under spaCy's parse limit.
MAX_ARTICLE_CHARS = min(200_000, MAX_PARSE_CHARS)


@dataclass(slots=True)
class PageFacts:
    """Metadata the page (HTML) or its furniture (text) states, before precedence."""

    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    language: str | None = None
    removed: list[str] = field(default_factory=list)


class CleanStep(ArticleStep):
    """Fills `text` (one paragraph per line, blank line between paragraphs), `removed`,
    and the metadata the input did not give: title, outlet, published, author, url,
    language. `ctx.settings["repeated_lines"]` (from `repeated_lines`) is honoured."""

    name = "clean"
    needs = frozenset({"raw"})
    provides = frozenset({"text", "removed", "title", "outlet", "published", "language"})

    def process(self, article: Article, ctx: RunContext) -> Article:
        repeated: Collection[str] = ctx.settings.get("repeated_lines") or frozenset()
        cleaned, facts = _clean(article, repeated)
        paragraphs, title = _take_title(cleaned.kept, article.title or facts.title)
        paragraphs, cut = _capped(article, paragraphs)
        if not paragraphs:
            if article.format is InputFormat.HTML and exceeds_parser_depth(article.raw):
                raise RecordError("too-deep", "the page nests elements deeper than the HTML "
                                  f"parser's limit of {HTML_MAX_DEPTH} levels")
            raise RecordError("no-content", "nothing is left once boilerplate is removed")
        article.text = join_paragraphs(paragraphs)
        article.removed = facts.removed + cleaned.removed + cut
        article.title = title
        _settle_metadata(article, cleaned, facts)
        for flag in cleaned.flags:
            article.add_flag(flag)
        ctx.count("clean.removed_lines", len(article.removed))
        ctx.count(f"clean.language.{article.language or 'unknown'}")
        return article


def _clean(article: Article, repeated: Collection[str]) -> tuple[Cleaned, PageFacts]:
    if article.format is not InputFormat.HTML:
        return clean_plain_text(article.raw, repeated), PageFacts()
    page = extract_html(article.raw, article.url)
    facts = PageFacts(title=page.title, published=page.published, outlet=page.outlet,
                      author=page.author, url=page.url, language=page.language,
                      removed=page.removed)
    return remove_boilerplate(split_paragraphs(page.text), repeated), facts


def _take_title(paragraphs: list[str], known: str | None) -> tuple[list[str], str | None]:
    """Remove the headline line from the text; it lives in `title`."""
    if known:
        if paragraphs and same_title(paragraphs[0], known):
            return paragraphs[1:], known
        return paragraphs, known
    detected = detect_title(paragraphs)
    if detected is not None:
        return paragraphs[1:], detected
    return paragraphs, None


def _capped(article: Article, paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Whole paragraphs up to `MAX_ARTICLE_CHARS`: longer texts are not single articles
    (a book, a dump of a whole site) and would stall every later step. The cut is
    flagged and noted in `removed`; the full input stays in the store's documents."""
    total = 0
    for i, paragraph in enumerate(paragraphs):
        total += len(paragraph) + 2
        if total > MAX_ARTICLE_CHARS:
            rest = paragraphs[i:]
            article.add_flag(TRUNCATED_FLAG)
            note = (f"[truncated: {len(rest)} more paragraphs, {sum(map(len, rest))} "
                    f"characters past the {MAX_ARTICLE_CHARS:,}-character article limit; "
                    "the stored raw document keeps them]")
            return paragraphs[:i], [note]
    return paragraphs, []


def _settle_metadata(article: Article, cleaned: Cleaned, facts: PageFacts) -> None:
    """Given (JSONL) beats the page's metadata, which beats hints found in the text."""
    article.url = article.url or facts.url
    article.published = article.published or facts.published or cleaned.published
    article.author = article.author or facts.author or cleaned.author
    article.outlet = (article.outlet or facts.outlet or cleaned.outlet
                      or (outlet_from_url(article.url) if article.url else None))
    article.language = detect_language(article.text) or _primary(facts.language)


def _primary(language: str | None) -> str | None:
    """"en-GB" -> "en": the page's declared language, as a fallback."""
    if not language:
        return None
    code = language.split("-")[0].split("_")[0].lower()
    return code if len(code) == 2 and code.isalpha() else None
