"""A story's quotes: every article quote with its speaker's canonical story name."""

from __future__ import annotations

from corroborate.analyse.entities import EntityIndex
from corroborate.model import Article, StoryQuote


def story_quotes(articles: list[Article], index: EntityIndex) -> list[StoryQuote]:
    """One `StoryQuote` per quote of each article, in article and text order.

    The speaker is the canonical entity name when the article's speaker string maps to
    a story entity (a surname several people share is read as the one the article
    named in full last), the article's own string when it does not (an institution
    such as "Ukrainian general staff"), and None when the article names no speaker.
    """
    quotes: list[StoryQuote] = []
    for article in articles:
        for quote in article.quotes:
            speaker = quote.speaker
            if speaker is not None:
                at = quote.speaker_start if quote.speaker_start is not None else quote.start
                speaker = index.canonical_at(speaker, article.id, at + 1) or speaker
            quotes.append(StoryQuote(
                speaker=speaker,
                text=article.text[quote.start : quote.end],
                article=article.id,
                start=quote.start,
                end=quote.end,
                direct=quote.direct,
                speaker_start=quote.speaker_start,
                speaker_end=quote.speaker_end,
            ))
    return quotes
