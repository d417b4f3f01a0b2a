"""Line-level boilerplate removal for plain text: site furniture out, article lines kept.

A page flattened to text has three zones, and a line is judged by its zone:

- the middle (the article) loses only lines a cue recognises (`patterns.py`), plus the
  blocks such a line opens: a donation pitch runs on while its lines talk like a pitch,
  and a "Related posts" header takes the list of headlines and names below it;
- the top (above the first paragraph of prose) also loses labels, dates, greetings and
  bylines, and the short stubs sandwiched between such lines ("New York" under a
  weather widget). The headline stays: it is the title (see `metadata.py`);
- the bottom (after the last paragraph of prose) loses every short stub below the first
  furniture line there: what follows a comment widget is widget.

Sign-offs and datelines are protected everywhere. Lines a batch has seen on three pages
of one outlet (`repeated_lines`) are furniture too. Nothing is lost: every removed line
goes to `removed`, and the header date, the site name and a byline become metadata.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from corroborate.clean import cues
from corroborate.clean import patterns as p
from corroborate.clean.metadata import outlet_from_url
from corroborate.clean.text import normalise, split_paragraphs, word_count
from corroborate.model import Article, InputFormat

# A line seen on this many pages of one outlet within a batch is furniture. Three, not
# two: two pages of one outlet often share a line legitimately (an update of a story).
REPEAT_MIN_PAGES = 3
# Longer repeated lines are body text of republished copies, not furniture.
REPEAT_MAX_WORDS = 30

SYNDICATED_FLAG = "syndicated"


@dataclass(slots=True)
class Cleaned:
    """What boilerplate removal kept, removed and learned about the page."""

    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    published: str | None = None
    outlet: str | None = None
    author: str | None = None


def remove_boilerplate(lines: list[str], repeated: Collection[str] = frozenset()) -> Cleaned:
    """Split paragraphs into kept and removed; see the module docstring for the rules."""
    marks = _mark_cues(lines, repeated)
    _mark_blocks(lines, marks)
    body_start = _first_body_line(lines, marks)
    _mark_top(lines, marks, body_start)
    _mark_bottom(lines, marks, body_start)
    return _result(lines, marks, body_start)


def _mark_cues(lines: list[str], repeated: Collection[str]) -> list[str | None]:
    marks: list[str | None] = []
    for line in lines:
        kind = None if cues.is_protected(line) else cues.furniture_kind(line)
        if kind is None and repeated and _is_repeated(line, repeated):
            kind = "repeated"
        marks.append(kind)
    return marks


def _is_repeated(line: str, repeated: Collection[str]) -> bool:
    return (word_count(line) <= REPEAT_MAX_WORDS and not cues.is_protected(line)
            and cues.line_key(line) in repeated)


def _mark_blocks(lines: list[str], marks: list[str | None]) -> None:
    """Extend donation openers and related-list headers over the lines they govern."""
    for i, kind in enumerate(list(marks)):
        if kind == "donation":
            _extend(lines, marks, i, "donation", p.PITCH_MAX_LINES,
                    lambda line: cues.pitch_score(line) >= p.PITCH_MIN_WORDS)
        elif kind == "related":
            _extend(lines, marks, i, "related", p.RELATED_MAX_ITEMS, cues.is_list_item)


def _extend(lines: list[str], marks: list[str | None], start: int, kind: str, limit: int,
            belongs: Callable[[str], bool]) -> None:
    taken = 0
    for j in range(start + 1, len(lines)):
        if marks[j] is not None:
            continue  # other furniture inside the block does not end it
        if taken >= limit or cues.is_protected(lines[j]) or not belongs(lines[j]):
            return
        marks[j] = kind
        taken += 1


def _first_body_line(lines: list[str], marks: list[str | None]) -> int:
    for i, line in enumerate(lines):
        if marks[i] is None and cues.is_prose(line) and cues.top_kind(line) is None:
            return i
    return len(lines)


def _mark_top(lines: list[str], marks: list[str | None], body_start: int) -> None:
    for i in range(body_start):
        if marks[i] is None and not cues.is_protected(lines[i]):
            marks[i] = cues.top_kind(lines[i])
    furniture = [i for i in range(body_start) if marks[i] is not None]
    if len(furniture) < 2:
        return
    for i in range(furniture[0] + 1, furniture[-1]):
        if marks[i] is None and cues.is_top_stub(lines[i]) and not cues.is_protected(lines[i]):
            marks[i] = "top-stub"


def _mark_bottom(lines: list[str], marks: list[str | None], body_start: int) -> None:
    tail = len(lines)
    while tail > body_start:
        line, kind = lines[tail - 1], marks[tail - 1]
        if kind is None and (cues.is_protected(line) or not cues.is_list_item(line)):
            break
        tail -= 1
    first_furniture = next((i for i in range(tail, len(lines)) if marks[i] is not None), None)
    if first_furniture is None:
        return
    for i in range(first_furniture + 1, len(lines)):
        if marks[i] is None:
            marks[i] = "bottom-stub"


def _result(lines: list[str], marks: list[str | None], body_start: int) -> Cleaned:
    cleaned = Cleaned()
    for i, (line, kind) in enumerate(zip(lines, marks, strict=True)):
        if kind is None:
            cleaned.kept.append(line)
            continue
        cleaned.removed.append(line)
        _learn(cleaned, line, kind, at_top=i < body_start)
    return cleaned


def _learn(cleaned: Cleaned, line: str, kind: str, *, at_top: bool) -> None:
    """Metadata that furniture carries: header date, site name, byline, syndication."""
    if kind == "syndication" and SYNDICATED_FLAG not in cleaned.flags:
        cleaned.flags.append(SYNDICATED_FLAG)
    if at_top and kind in ("date", "timestamp") and cleaned.published is None:
        cleaned.published = cues.stamp_date(line)
    if at_top and kind == "byline" and cleaned.author is None:
        cleaned.author = cues.byline_author(line)
    if cleaned.outlet is None:
        site = (cues.greeting_site(line) if kind == "greeting"
                else cues.promo_site(line) if kind == "app-promo"
                else cues.pitch_site(line) if kind == "donation" else None)
        cleaned.outlet = site


def clean_plain_text(raw: str, repeated: Collection[str] = frozenset()) -> Cleaned:
    """Normalise raw text, split it into paragraphs and remove its furniture."""
    return remove_boilerplate(split_paragraphs(normalise(raw)), repeated)


def repeated_lines(articles: Iterable[Article],
                   min_pages: int = REPEAT_MIN_PAGES) -> set[str]:
    """Keys (`cues.line_key`) of short lines seen on >= `min_pages` distinct pages of one
    outlet. Articles whose outlet is unknown (no outlet, no URL) are not counted: lines
    shared by unrelated files are copies of one story, not furniture."""
    pages: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for article in articles:
        outlet = _outlet_key(article)
        if outlet is None:
            continue
        for line in _page_lines(article):
            if word_count(line) <= REPEAT_MAX_WORDS and not cues.is_protected(line):
                pages[outlet][cues.line_key(line)].add(article.content_hash or article.id)
    return {key for lines in pages.values() for key, seen in lines.items()
            if len(seen) >= min_pages}


def _outlet_key(article: Article) -> str | None:
    outlet = article.outlet or (outlet_from_url(article.url) if article.url else None)
    return outlet.casefold() if outlet else None


def _page_lines(article: Article) -> list[str]:
    if article.text:
        return [line for line in article.text.split("\n") if line]
    if article.format is InputFormat.TEXT:
        return split_paragraphs(normalise(article.raw))
    return []  # raw HTML: trafilatura already drops what pages repeat
