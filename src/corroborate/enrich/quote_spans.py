"""Where quotations are: spans between quotation marks, found paragraph by paragraph.

This is the lexical half of quote finding (`corroborate.enrich.quotes` adds the
speakers). A paragraph is one line of the cleaned text: the cleaner keeps one block
per line. Double quotes (curly or straight) always delimit a quotation; a single
curly or straight pair only becomes one when a speech verb governs it, which the
caller decides (`QuoteSpan.single`), because single marks double as apostrophes and
as scare quotes in headlines.

News style lets a quotation run over several paragraphs: each paragraph but the last
has an opening mark and no closing one. Such a quotation yields one span per
paragraph, the later ones with `continues=True`, so that every span's content is
plain text without marks or line breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corroborate.enrich.speech import (
    DOUBLE_CLOSE,
    DOUBLE_OPEN,
    SINGLE_CLOSE,
    SINGLE_OPEN,
    STRAIGHT_DOUBLE,
)

_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
# Characters after which a straight single mark opens a quotation rather than
# ending a word ("rock 'n' roll" and "'90s" stay apostrophes: see _single_spans).
_OPENING_CONTEXT = frozenset(" \t([{—–-/“\"")


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One quotation in one paragraph.

    `open`/`close` include the marks (`close` is the content end when the paragraph
    ends before a closing mark); `start`/`end` are the content, trimmed of spaces
    and of the comma that belongs to the attribution ("A,” he said).
    """

    open: int
    start: int
    end: int
    close: int
    paragraph: int
    single: bool = False
    continues: bool = False
    unclosed: bool = False

    def words(self, text: str) -> int:
        return len(_WORD.findall(text, self.start, self.end))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """`(start, end)` of each non-blank line of `text`."""
    return [(m.start(), m.end()) for m in _LINE.finditer(text) if m.group().strip()]


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """All quotation spans of `text`, in order, without spans nested in others."""
    spans: list[QuoteSpan] = []
    left_open = False
    for index, (start, end) in enumerate(paragraphs(text)):
        doubles, left_open = _double_spans(text, start, end, index, left_open)
        spans.extend(doubles)
        spans.extend(_single_spans(text, start, end, index))
    return _outermost(sorted(spans, key=lambda s: (s.open, -s.close)))


def _double_spans(
    text: str, start: int, end: int, paragraph: int, previous_left_open: bool
) -> tuple[list[QuoteSpan], bool]:
    """Double-quote spans of one paragraph, and whether one is left open at its end."""
    spans: list[QuoteSpan] = []
    stack: list[int] = []
    first_mark = _first_visible(text, start, end)
    for i in range(start, end):
        if text[i] == STRAIGHT_DOUBLE and i > start and text[i - 1].isdigit():
            continue  # an inch mark (a 55" screen), not a quotation mark
        role = _double_role(text[i], bool(stack))
        if role == "open":
            stack.append(i)
        elif role == "close" and stack:
            opened = stack.pop()
            continues = previous_left_open and opened == first_mark
            span = _make_span(text, opened, i, i + 1, paragraph, continues=continues)
            if span is not None:
                spans.append(span)
    left_open = False
    if stack:
        opened = stack[0]  # an outer quotation left open swallows inner ones
        continues = previous_left_open and opened == first_mark
        span = _make_span(text, opened, end, end, paragraph, continues=continues,
                          unclosed=True)
        if span is not None:
            spans.append(span)
            left_open = _next_paragraph_opens(text, end)
    return spans, left_open


def _double_role(char: str, pending: bool) -> str | None:
    if char in DOUBLE_OPEN:
        return "open"
    if char in DOUBLE_CLOSE:
        return "close"
    if char == STRAIGHT_DOUBLE:
        # Straight marks alternate within a paragraph; the state says which one this is.
        return "close" if pending else "open"
    return None


def _single_spans(text: str, start: int, end: int, paragraph: int) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    opened: int | None = None
    for i in range(start, end):
        char = text[i]
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        if opened is None:
            if (char in SINGLE_OPEN or char == "'") and before in _OPENING_CONTEXT \
                    and after.isalpha():
                opened = i
        elif (char in SINGLE_CLOSE or char == "'") and not before.isspace() \
                and not after.isalnum():
            span = _make_span(text, opened, i, i + 1, paragraph, single=True)
            if span is not None:
                spans.append(span)
            opened = None
    return spans


def _make_span(
    text: str, opened: int, content_end: int, close: int, paragraph: int, *,
    single: bool = False, continues: bool = False, unclosed: bool = False,
) -> QuoteSpan | None:
    start, end = opened + 1, content_end
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if end <= start or not any(ch.isalnum() for ch in text[start:end]):
        return None
    return QuoteSpan(opened, start, end, close, paragraph, single=single,
                     continues=continues, unclosed=unclosed)


def _first_visible(text: str, start: int, end: int) -> int:
    i = start
    while i < end and text[i].isspace():
        i += 1
    return i


def _next_paragraph_opens(text: str, end: int) -> bool:
    """Whether the next non-blank line starts with an opening double mark."""
    match = _LINE.search(text, end)
    while match is not None and not match.group().strip():
        match = _LINE.search(text, match.end())
    if match is None:
        return False
    first = match.group().lstrip()[:1]
    return first in DOUBLE_OPEN or first == STRAIGHT_DOUBLE


def _outermost(spans: list[QuoteSpan]) -> list[QuoteSpan]:
    """Drop spans inside another span: a quote within a quote is part of it."""
    kept: list[QuoteSpan] = []
    for span in spans:
        if kept and span.open < kept[-1].close:
            continue
        kept.append(span)
    return kept
