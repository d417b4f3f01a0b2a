"""HTML pages: main text and metadata through trafilatura, and what it left out.

trafilatura finds the article in the page and its metadata (title, date, site name,
author, canonical URL). Two things are added to what it returns:

- the standfirst: news pages print a lead paragraph between the headline and the body,
  often in a header block that trafilatura's body detection drops. Full sentences
  printed as blocks of their own between the headline and the first paragraph of the
  text (not captions, not furniture), and the meta description when the page prints
  it the same way, go in front of the body (after the headline line, if the text
  starts with one). On the 990 trafilatura evaluation pages this finds 63 more "with"
  snippets and 1 more "without" one (bench/extraction.py; 23 and 1 of them on the
  half of the pages the rule was not tuned on);
- `removed`: the page's visible lines (block by block, with the page title) that do not
  occur in the extracted text, de-duplicated and capped. That is not exactly
  trafilatura's own decision list, but it is honest (every line shown was on the page
  and is not in the text) and cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

from corroborate.clean.cues import furniture_kind
from corroborate.clean.dates import iso_date
from corroborate.clean.metadata import same_title
from corroborate.clean.text import ends_sentence, flatten, normalise, word_count

# How many discarded lines an HTML article keeps in `removed`, and how long each may be:
# enough to audit what was cut (navigation, footer, related links) without storing the
# whole page twice.
MAX_REMOVED_LINES = 300
MAX_REMOVED_CHARS = 500

# A standfirst is a full sentence: shorter descriptions are labels or site slogans
# ("Example Union e.V."). Tuned on the "tune" half of the trafilatura evaluation pages
# (../shared; bench/extraction.py): descriptions printed on the page and missing from
# trafilatura's text held 26 "with" snippets and no "without" one; the shortest that
# held a snippet had 9 words.
STANDFIRST_MIN_WORDS = 8
# Between the headline and the body, a standfirst is found only when the two are close
# (at most this many blocks apart: bylines, dates, share bars, an image) and is at most
# this many paragraphs. On the tune half: a gap of 8 found 5 fewer "with" snippets than
# 15, and 25 one more than 15 with one more "without"; no standfirst there was longer
# than 2 paragraphs.
STANDFIRST_MAX_GAP = 15
STANDFIRST_MAX_LINES = 3

# Figures and captions: a caption under the lead image is not the standfirst.
CAPTION_XPATH = "//figure | //figcaption | //*[contains(@class, 'caption')]"

# Elements whose text is never shown on the page.
INVISIBLE_TAGS = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object")
# Elements that start a new line when a browser renders the page.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "summary", "table", "td", "th", "tr", "ul", "option", "button", "label",
})


@dataclass(slots=True)
class PageLines:
    """A page as lines: what `removed` is drawn from and the standfirst is found in."""

    title: str | None = None  # the <title> element
    lines: list[str] = field(default_factory=list)  # visible blocks, in page order
    captions: frozenset[str] = frozenset()  # texts of figures and captions

    def visible(self) -> list[str]:
        return [self.title, *self.lines] if self.title else list(self.lines)

    def in_caption(self, line: str) -> bool:
        return any(line in caption for caption in self.captions)


@dataclass(slots=True)
class HtmlExtraction:
    text: str  # normalised, one paragraph per line
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    language: str | None = None
    removed: list[str] = field(default_factory=list)


def extract_html(html: str, url: str | None = None) -> HtmlExtraction:
    """Main text, metadata and discarded lines of an HTML page (or fragment)."""
    page = _as_document(html)
    doc = _bare_extraction(page, url)
    shown = read_page(page)
    result = HtmlExtraction(text=normalise(doc.text or "") if doc is not None else "")
    if doc is not None:
        _copy_metadata(doc, result)
        result.text = with_standfirst(result.text, shown, result.title,
                                      _clean(doc.description))
    if result.published is None and result.text:
        result.published = publication_date(page, url)
    result.url = canonical_url(result.url or url)
    result.removed = discarded_lines(shown.visible(), result.text)
    return result


def with_standfirst(text: str, page: PageLines, title: str | None = None,
                    description: str | None = None) -> str:
    """`text` with the page's standfirst in front of the body (after the headline line,
    if the text starts with one), when trafilatura left it out."""
    flat = f" {flatten(text)} "
    lead = [line for line in dict.fromkeys(standfirst(page, text, title, description))
            if not _contains(flat, line)]
    if not lead:
        return text
    paragraphs = text.split("\n") if text else []
    at = 1 if paragraphs and title and same_title(paragraphs[0], title) else 0
    return "\n".join([*paragraphs[:at], *lead, *paragraphs[at:]])


def standfirst(page: PageLines, text: str, title: str | None = None,
               description: str | None = None) -> list[str]:
    """The lead sentences of the page: the prose blocks printed between the headline and
    the first paragraph of `text`, and the meta description when it is printed on the
    page as a block of its own."""
    found = _between_headline_and_body(page, text, title) if title else []
    if (description and _is_standfirst(description) and description in page.lines
            and description not in found):
        found.insert(0, description)
    return found


def _between_headline_and_body(page: PageLines, text: str, title: str) -> list[str]:
    """Standfirst blocks after the last headline block above the text's first paragraph
    (the first paragraph long enough not to be a label printed elsewhere too)."""
    lines = page.lines
    paragraphs = {flatten(p) for p in text.split("\n") if word_count(p) >= STANDFIRST_MIN_WORDS}
    body = next((i for i, line in enumerate(lines) if line in paragraphs), None)
    if body is None:
        return []
    heads = [i for i in range(body) if _may_be_title(lines[i], title)
             and same_title(lines[i], title)]
    if not heads or body - heads[-1] - 1 > STANDFIRST_MAX_GAP:
        return []
    between = lines[heads[-1] + 1 : body]
    return [line for line in between
            if _is_standfirst(line) and furniture_kind(line) is None
            and not page.in_caption(line)][:STANDFIRST_MAX_LINES]


def _may_be_title(line: str, title: str) -> bool:
    """A cheap test before `same_title` (which needs lengths within a ratio of ~0.6)."""
    return len(title) <= 2 * len(line) and len(line) <= 2 * len(title)


def _is_standfirst(line: str) -> bool:
    return word_count(line) >= STANDFIRST_MIN_WORDS and ends_sentence(line)


def discarded_lines(lines: list[str], text: str) -> list[str]:
    """The page's visible `lines` that are not part of `text`, in page order."""
    flat = f" {flatten(text)} "
    seen: set[str] = set()
    removed: list[str] = []
    for line in lines:
        if line in seen or _contains(flat, line):
            continue
        seen.add(line)
        removed.append(line[:MAX_REMOVED_CHARS])
        if len(removed) >= MAX_REMOVED_LINES:
            break
    return removed


def visible_lines(html: str) -> list[str]:
    """The page as a browser would lay it out in lines: text of block elements, the
    page title first. Scripts, styles and other invisible elements are skipped."""
    return read_page(html).visible()


def read_page(html: str) -> PageLines:
    """The page's title, its visible lines and the texts of its figures and captions."""
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return PageLines()
    title = flatten(tree.findtext(".//title") or "") or None
    for element in list(tree.iter(*INVISIBLE_TAGS)):
        element.text = None
        for child in list(element):
            element.remove(child)
    captions = frozenset(
        text for element in tree.xpath(CAPTION_XPATH)
        if (text := flatten(element.text_content())))
    lines = [flat for line in _rendered_text(tree).split("\n") if (flat := flatten(line))]
    return PageLines(title, lines, captions)


def _rendered_text(root: Any) -> str:
    """The tree's text with a newline around each block element. The newlines are put
    into the tree (it is ours, parsed for this) and lxml's `itertext` does the walk, so
    no recursion is needed whatever the nesting depth. `itertext` skips comments (their
    tails are text)."""
    for element in root.iter():
        tag = element.tag
        if isinstance(tag, str) and tag.lower() in BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return "".join(root.itertext())


def _contains(flat_text: str, line: str) -> bool:
    """`line` occurs in the text as whole words (so "Home" is not found in "Homeland")."""
    start = flat_text.find(line)
    while start >= 0:
        end = start + len(line)
        before = flat_text[start - 1] if start else " "
        after = flat_text[end] if end < len(flat_text) else " "
        if not (before.isalnum() and line[0].isalnum()) and not (
                after.isalnum() and line[-1].isalnum()):
            return True
        start = flat_text.find(line, start + 1)
    return False


def _as_document(html: str) -> str:
    """trafilatura expects a whole page; wrap a bare fragment ("<p>..</p><p>..</p>")."""
    head = html.lstrip()[:2000].lower()
    if "<html" in head or "<body" in head or "<!doctype" in head:
        return html
    return f"<html><body><article>{html}</article></body></html>"


def _bare_extraction(html: str, url: str | None) -> Any:
    from trafilatura import bare_extraction

    return bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, deduplicate=False,
    )


def _copy_metadata(doc: Any, result: HtmlExtraction) -> None:
    result.title = _clean(doc.title)
    result.published = iso_date(doc.date) if doc.date else None
    result.author = _clean(doc.author)
    result.url = _clean(doc.url)
    result.outlet = _clean(doc.sitename)
    result.language = _clean(doc.language)


def publication_date(html: str, url: str | None) -> str | None:
    """htmldate's own search for the original publication date (not the last update),
    when trafilatura's metadata pass found none: it also reads the URL and the page's
    free text."""
    from htmldate import find_date

    try:
        found = find_date(html, url=url, original_date=True, extensive_search=True)
    except (ValueError, TypeError):  # htmldate on malformed markup; a date is optional
        return None
    return iso_date(found) if found else None


def canonical_url(url: str | None) -> str | None:
    """The URL normalised by courlan (scheme and host lower-cased, default port and
    tracking parameters dropped) so that one page fetched twice has one URL."""
    if not url:
        return None
    from courlan import normalize_url

    try:
        return str(normalize_url(url))
    except ValueError:
        return url


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = flatten(value)
    return text or None


# libxml2's HTML parser gives up below this many nested elements ("Excessive depth in
# document: 256"), and trafilatura then sees an empty page.
HTML_MAX_DEPTH = 255


def exceeds_parser_depth(html: str) -> bool:
    """Whether the parser stopped because the page nests too deep (checked only when
    an extraction came out empty, to give the reject a reason the user can act on)."""
    parser = lxml.html.HTMLParser()
    try:
        lxml.html.fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return False
    return any("Excessive depth" in str(entry) for entry in parser.error_log)
