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


def _merge_fragments(text: str, spans: list[Span]) -> list[Span]:
    """Join a bare closing quote or bracket the parser split off to its sentence."""
    merged: list[Span] = []
    for span in spans:
        fragment = text[span.start : span.end]
        if merged and len(fragment) <= 2 and not any(ch.isalnum() for ch in fragment):
            prev = merged[-1]
            if "\n" not in text[prev.end : span.start]:
                merged[-1] = Span(prev.start, span.end)
                continue
        merged.append(span)
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
