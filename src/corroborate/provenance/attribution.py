"""Attribution cues: which outlets an article credits, quotes or relays.

Two kinds of cue matter. A *mention* names an outlet as the place a quote or a report
came from ("told the Guardian", "according to Reuters", "the Washington Post
reported"). A *credit* says the article's copy itself comes from an outlet (a "(Reuters)
-" dateline, "Source: AFP", Bloomberg's "With assistance from" sign-off). Both become
`attributed` edges from an external `outlet:<Name>` node; only credits (and feed
statements, which name no one) mark the article as syndicated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from corroborate.model import Article, ProvenanceEdge, ProvenanceKind
from corroborate.provenance.cues import (
    BEFORE_CUE_FILLERS,
    CREDIT_CUES,
    CREDIT_LINE_MAX_WORDS,
    DATELINE,
    DATELINE_TRIGGER,
    FEED_STATEMENTS,
    HOUSE_CREDIT_LINES,
    NAME_AFTER_CUES,
    NAME_BEFORE_CUES,
    REPUBLICATION_NOTES,
    SECOND_HAND_MARKERS,
    SPEAKER_PRONOUNS,
    SPEAKER_WINDOW_CHARS,
)
from corroborate.provenance.outlets import (
    outlet_at,
    outlet_before,
    outlet_key,
    outlet_named,
    outlet_on_credit_line,
)

EXTERNAL_PREFIX = "outlet:"
# Where a cue was found outside the text (a line the cleaner removed).
OUTSIDE_TEXT = -1


_AFTER = tuple((label, re.compile(rf"{cue}\s+")) for label, cue in NAME_AFTER_CUES)
_BEFORE = tuple((label, re.compile(cue)) for label, cue in NAME_BEFORE_CUES)
_FILLERS_BEFORE = re.compile(rf"(?:\s+(?:{'|'.join(BEFORE_CUE_FILLERS)}))*\s*$")
_FILLER_WINDOW = 40
_CREDITS = tuple((label, trigger, re.compile(cue, re.IGNORECASE))
                 for label, trigger, cue in CREDIT_CUES)
_DATELINE = re.compile(DATELINE)
_HOUSE = tuple((label, trigger, re.compile(cue, re.IGNORECASE), outlet)
               for label, trigger, cue, outlet in HOUSE_CREDIT_LINES)
_FEEDS = tuple((trigger, re.compile(pattern, re.IGNORECASE))
               for trigger, pattern in FEED_STATEMENTS)
_NOTES = tuple((trigger, re.compile(pattern, re.IGNORECASE))
               for trigger, pattern in REPUBLICATION_NOTES)
_SECOND_HAND = re.compile(SECOND_HAND_MARKERS)
# Agency names in photo captions ("Photograph: AFP via Getty") credit the picture,
# not the text.
_PHOTO_LINE = re.compile(
    r"(?i)\b(?:photo(?:graph)?s?|pictures?|images?|getty|illustration|video|stock)\b"
)


@dataclass(frozen=True, slots=True)
class Attribution:
    """One outlet named by an article, with the words that name it."""

    outlet: str
    cue: str
    start: int  # offset of the cue in `article.text`, or OUTSIDE_TEXT
    credit: bool  # the article's copy comes from this outlet
    own_voice: bool = False  # "an official told <outlet>" as the article's own reporting


@dataclass(frozen=True, slots=True)
class ArticleCues:
    """Everything an article says about where its copy and its quotes came from."""

    attributions: tuple[Attribution, ...]
    feed_statement: str | None = None
    republication_note: str | None = None

    @property
    def credits(self) -> frozenset[str]:
        return frozenset(a.outlet for a in self.attributions if a.credit)

    @property
    def named(self) -> frozenset[str]:
        return frozenset(a.outlet for a in self.attributions)

    @property
    def carries_wire_copy(self) -> bool:
        """The article says its text is another outlet's or an agency feed's."""
        return bool(self.credits) or self.feed_statement is not None

    def names(self, outlet: str | None) -> bool:
        if not outlet:
            return False
        key = outlet_key(outlet)
        return any(outlet_key(name) == key for name in self.named)


def read_cues(article: Article) -> ArticleCues:
    """Find the attribution cues, feed statement and republication note of an article."""
    lowered = _lowered(article.text)
    found = [*_mentions(article, lowered), *_text_credits(article.text, lowered),
             *_removed_credits(article.removed)]
    own = outlet_key(article.outlet) if article.outlet else None
    kept = sorted((a for a in found if outlet_key(a.outlet) != own), key=_position)
    return ArticleCues(
        attributions=tuple(kept),
        feed_statement=_first_note(_FEEDS, article.text, lowered, article.removed,
                                   short_lines_only=False),
        republication_note=_first_note(_NOTES, article.text, lowered, article.removed,
                                       short_lines_only=True),
    )


def attribution_edges(article_id: str, cues: ArticleCues) -> list[ProvenanceEdge]:
    """One `attributed` edge per outlet the article names; evidence is its first cue."""
    edges: list[ProvenanceEdge] = []
    seen: set[str] = set()
    for attribution in cues.attributions:
        key = outlet_key(attribution.outlet)
        if key in seen:
            continue
        seen.add(key)
        edges.append(ProvenanceEdge(
            source=EXTERNAL_PREFIX + attribution.outlet, target=article_id,
            kind=ProvenanceKind.ATTRIBUTED, overlap=0.0, directed=True,
            evidence=attribution.cue,
        ))
    return edges


def _position(attribution: Attribution) -> tuple[bool, int]:
    return attribution.start == OUTSIDE_TEXT, attribution.start


def _mentions(article: Article, lowered: str) -> Iterator[Attribution]:
    text, entities = article.text, article.entities
    for label, cue in _AFTER:
        for hit in cue.finditer(lowered):
            if not _starts_word(lowered, hit.start()):
                continue
            named = outlet_at(text, hit.end(), entities)
            if named is not None:
                own_voice = label == "told" and _first_hand(article, hit.start())
                yield Attribution(named.name, _squash(text[hit.start():named.end]),
                                  hit.start(), credit=False, own_voice=own_voice)
    for _label, cue in _BEFORE:
        for hit in cue.finditer(lowered):
            if not _starts_word(lowered, hit.start()):
                continue
            fillers = _FILLERS_BEFORE.search(lowered, max(0, hit.start() - _FILLER_WINDOW),
                                             hit.start())
            name_end = fillers.start() if fillers is not None else hit.start()
            named = outlet_before(text, name_end, entities)
            if named is not None:
                yield Attribution(named.name, _squash(text[named.start:hit.end()]),
                                  named.start, credit=False)


def _lowered(text: str) -> str:
    """`text` in lowercase with every offset unchanged (str.lower can lengthen a few
    characters, such as "İ")."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def _starts_word(text: str, offset: int) -> bool:
    return offset == 0 or not text[offset - 1].isalnum()


def _text_credits(text: str, lowered: str) -> Iterator[Attribution]:
    if DATELINE_TRIGGER in text:
        for hit in _DATELINE.finditer(text):
            outlet = outlet_named(hit["name"])
            if outlet is not None:
                start = hit.start("name") - 1
                yield Attribution(outlet, _squash(text[start:hit.end()]), start, credit=True)
    yield from _credit_lines(text, lowered)


def _removed_credits(removed: Sequence[str]) -> Iterator[Attribution]:
    for line in removed:
        for credit in _credit_lines(line, _lowered(line)):
            yield Attribution(credit.outlet, credit.cue, OUTSIDE_TEXT, credit=True)


def _credit_lines(text: str, lowered: str) -> Iterator[Attribution]:
    for _label, trigger, pattern in _CREDITS:
        for start, end in _lines_containing(text, lowered, trigger):
            line = text[start:end]
            if not _is_credit_line(line):
                continue
            for hit in pattern.finditer(line):
                named = outlet_on_credit_line(line, hit.end())
                if named is not None:
                    yield Attribution(named.name, _squash(line[hit.start():named.end]),
                                      start + hit.start(), credit=True)
    for label, trigger, pattern, outlet in _HOUSE:
        for start, end in _lines_containing(text, lowered, trigger):
            house = pattern.search(text[start:end])  # "^" means the line's start
            if house is not None:
                yield Attribution(outlet, label, start + house.start(), credit=True)
                break


def _lines_containing(text: str, lowered: str, trigger: str) -> Iterator[tuple[int, int]]:
    """`(start, end)` of each line of `text` whose lowercase form contains `trigger`."""
    found = lowered.find(trigger)
    while found >= 0:
        start, end = _line_at(text, found)
        yield start, end
        found = lowered.find(trigger, end)


def _is_credit_line(line: str) -> bool:
    return len(line.split()) <= CREDIT_LINE_MAX_WORDS and _PHOTO_LINE.search(line) is None


def _line_at(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, end if end >= 0 else len(text)


def _first_hand(article: Article, offset: int) -> bool:
    """Whether "told <Outlet>" at `offset` reads as the article's own reporting: an
    unnamed speaker, and nothing in the sentence says the quote is relayed."""
    index = article.sentence_index_at(offset)
    if index is not None:
        start, end = article.sentences[index].start, article.sentences[index].end
    else:
        start, end = _line_at(article.text, offset)
    if _SECOND_HAND.search(article.text, start, end) is not None:
        return False
    window = max(start, offset - SPEAKER_WINDOW_CHARS)
    if any(e.label == "PERSON" and e.end > window and e.start < offset
           for e in article.entities):
        return False
    before = article.text[window:offset].split()
    return not before or before[-1].casefold() not in SPEAKER_PRONOUNS


def _first_note(
    patterns: Sequence[tuple[str, re.Pattern[str]]], text: str, lowered: str,
    removed: Sequence[str], short_lines_only: bool,
) -> str | None:
    """The first removed line, then text line, that matches one of `patterns`."""
    sources = [(line, _lowered(line)) for line in removed]
    sources.append((text, lowered))
    for source, source_lowered in sources:
        for trigger, pattern in patterns:
            for start, end in _lines_containing(source, source_lowered, trigger):
                line = source[start:end]
                if short_lines_only and len(line.split()) > CREDIT_LINE_MAX_WORDS:
                    continue
                if pattern.search(line):
                    return _squash(line)[:160]
    return None


def _squash(text: str) -> str:
    return " ".join(text.split())
