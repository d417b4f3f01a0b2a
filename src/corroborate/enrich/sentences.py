"""Sentence spans from the spaCy parse, never crossing a paragraph break.

The parser's sentence boundaries are good inside running prose but it sometimes
glues a subheading to the next paragraph; a blank line or a single newline in the
cleaned text is always a boundary, because the cleaner keeps one block per line.
"""

from __future__ import annotations

import re

from corroborate.enrich.nlp import parse, parse_many
from corroborate.model import Article, Span
from corroborate.pipeline.base import ArticleStep, RunContext

_LINE = re.compile(r"[^\n]+")


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of `text`, trimmed of surrounding whitespace, in order."""
    spans: list[Span] = []
    doc = parse(text)
    for sent in doc.sents:
        for line in _LINE.finditer(text, sent.start_char, sent.end_char):
            span = _trimmed(text, line.start(), line.end())
            if span is not None:
                spans.append(span)
    return _merge_fragments(text, spans)


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


_OPENING = frozenset("“‘\"'([«")


def _merge_fragments(text: str, spans: list[Span]) -> list[Span]:
    """Rejoin punctuation the parser split off: an opening quote or bracket goes to the
    sentence after it, a bare closing one to the sentence before it (same line only)."""
    merged: list[Span] = []
    carry: Span | None = None
    for span in spans:
        if carry is not None:
            if "\n" not in text[carry.end : span.start]:
                span = Span(carry.start, span.end)
            else:
                merged.append(carry)
            carry = None
        fragment = text[span.start : span.end]
        if len(fragment) <= 2 and not any(ch.isalnum() for ch in fragment):
            # A straight quote is opening or closing: closing when it touches the
            # sentence before it ("...end."" ), opening when a space separates them.
            touches_previous = bool(merged) and merged[-1].end == span.start
            if all(ch in _OPENING for ch in fragment) and not (
                    touches_previous and fragment[0] in "\"'"):
                carry = span
                continue
            if merged and "\n" not in text[merged[-1].end : span.start]:
                merged[-1] = Span(merged[-1].start, span.end)
                continue
        merged.append(span)
    if carry is not None:
        merged.append(carry)
    return merged


class SentenceStep(ArticleStep):
    name = "sentences"
    needs = frozenset({"text"})
    provides = frozenset({"sentences"})

    def process(self, article: Article, ctx: RunContext) -> Article:
        article.sentences = split_sentences(article.text) if article.text else []
        return article

    def process_batch(self, articles: list[Article], ctx: RunContext) -> list[Article]:
        # One batched parse warms the cache for this and the next steps.
        parse_many([a.text for a in articles if a.text])
        return super().process_batch(articles, ctx)
