"""HTML pages: main text and metadata through trafilatura, and what it left out.

trafilatura finds the article in the page and its metadata (title, date, site name,
author, canonical URL). What it discarded is kept too, as `removed`: the page's visible
lines (block by block, with the page title) that do not occur in the extracted text,
de-duplicated and capped. That is not exactly trafilatura's own decision list, but it
is honest (every line shown was on the page and is not in the text) and cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from corroborate.clean.dates import iso_date
from corroborate.clean.text import flatten, normalise

# How many discarded lines an HTML article keeps in `removed`, and how long each may be:
# enough to audit what was cut (navigation, footer, related links) without storing the
# whole page twice.
MAX_REMOVED_LINES = 300
MAX_REMOVED_CHARS = 500

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
    text = normalise(doc.text or "") if doc is not None else ""
    result = HtmlExtraction(text=text)
    if doc is not None:
        _copy_metadata(doc, result)
    result.removed = discarded_lines(page, text)
    return result


def discarded_lines(html: str, text: str) -> list[str]:
    """Visible lines of the page that are not part of `text`, in page order."""
    flat = f" {flatten(text)} "
    seen: set[str] = set()
    removed: list[str] = []
    for line in visible_lines(html):
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
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return []
    lines: list[str] = []
    title = tree.findtext(".//title")
    if title and title.strip():
        lines.append(title)
    for element in list(tree.iter(*INVISIBLE_TAGS)):
        element.text = None
        for child in list(element):
            element.remove(child)
    lines.extend(_rendered_text(tree).split("\n"))
    return [flat for line in lines if (flat := flatten(line))]


def _rendered_text(root: Any) -> str:
    """The tree's text with a newline around each block element (iterative: pages nest
    deeper than Python's recursion limit)."""
    pieces: list[str] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""  # comments have no tag
        is_block = tag.lower() in BLOCK_TAGS
        if closing:
            if is_block:
                pieces.append("\n")
            if element.tail and element is not root:
                pieces.append(element.tail)
            continue
        if is_block:
            pieces.append("\n")
        if tag and element.text:
            pieces.append(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return "".join(pieces)


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


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = flatten(value)
    return text or None
