"""The story's title: the most representative headline, else a lead sentence.

The story centroid is the mean of all its sentence vectors. Among articles that have
a title, the title closest to the centroid wins (a headline that names the story's
main event rather than one outlet's angle). Without titles, the most central of the
articles' lead sentences stands in, trimmed at a word boundary.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from corroborate.analyse.facts import MIN_FACT_WORDS
from corroborate.analyse.sentences import SentenceTable
from corroborate.enrich.embed import embed_texts
from corroborate.model import Article

# Longest title we make from a sentence; news headlines run 60-110 characters.
MAX_TITLE_CHARS = 120
# Cosine to the story centroid below which a sentence is not about the story. On the
# seed story, story sentences score 0.45-0.78 and page furniture (donation appeals,
# comment prompts, datelines) 0.0-0.35.
LEAD_MIN_CENTRALITY = 0.45
_ELLIPSIS = "…"


def story_title(articles: Sequence[Article], table: SentenceTable) -> str:
    """A title for the story of `articles`; "" when they have no text at all."""
    titled = [a for a in articles if a.title and a.title.strip()]
    if titled:
        return _central_title(titled, table)
    return _lead_sentence(articles, table)


def _central_title(titled: list[Article], table: SentenceTable) -> str:
    titles = [" ".join((a.title or "").split()) for a in titled]
    if len(titles) == 1 or len(table) == 0:
        return titles[0]
    scores = embed_texts(titles) @ table.centroid()
    return titles[int(np.argmax(scores))]


def _lead_sentence(articles: Sequence[Article], table: SentenceTable) -> str:
    """The most central of the articles' leads. An article's lead is its first full
    sentence about the story: uncleaned pages open on furniture (donation appeals,
    cookie notices, datelines) that is far from the story centroid."""
    if len(table) == 0:
        return ""
    centroid = table.centroid()
    leads: list[tuple[float, str]] = []
    for article in articles:
        rows = [r for r in table.rows_of(article.id) if r.words >= MIN_FACT_WORDS]
        scored = [(float(table.vectors[r.index] @ centroid), r.text) for r in rows]
        lead = next((pair for pair in scored if pair[0] >= LEAD_MIN_CENTRALITY), None)
        if lead is not None:
            leads.append(lead)
    if not leads:
        leads = [(float(table.vectors[r.index] @ centroid), r.text) for r in table.rows]
    return trim_at_word(max(leads)[1], MAX_TITLE_CHARS)


def trim_at_word(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, marked with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(_ELLIPSIS) + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > 0 else cut[: limit - len(_ELLIPSIS)]
    return cut.rstrip(" ,;:—–-") + _ELLIPSIS
