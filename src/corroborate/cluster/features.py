"""What the story clusterer reads from one article: its `ArticleFeatures`.

- `vector`: the article's dense story vector, unit length: the mean of the title + lead
  vector the enrichment step made (`Article.embedding`) and the vectors of up to
  BODY_CHUNKS further stretches of the text (`body_vectors`; see BODY_CHUNKS).
- `terms`: sublinear term frequencies (1 + log tf) of the content words of the title
  and the whole text, for TF-IDF (`corroborate.cluster.tfidf`); `lead_terms` the same
  for the headline and the first LEAD_TERM_CHARS characters, where news says what
  happened, to whom and where.
- `entities`: named-entity keys prefixed by group ("person:teller", "place:tolvane"),
  people by surname, each weighted by how much the article is about it.
- `numbers`: figures, calendar days and years the text states ("num:7.1",
  "date:08-02", "year:2013"): two earthquakes of one week share every word but the
  place, the magnitude and the toll; two Oscar announcements differ by the year.
- `published`: the publication date, or None (time evidence is then neutral).
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from corroborate.enrich.embed import LEAD_CHARS, embed_texts
from corroborate.model import Article

Vector = np.ndarray[Any, np.dtype[np.float32]]

# Body stretches embedded beside the title + lead vector, and their length. Each costs
# one more MiniLM pass (~15 ms on this machine's 2 cores). On ECB+ they change BCubed
# F1 by less than the spread between shuffled orders (bench/train_cluster_scorer.py
# with and without --no-body, join probability 0.30: train mean of 5 shuffled orders
# 0.906 both ways; dev 0.908 with, 0.909 without): the lead vector carries the event
# and TF-IDF reads the whole body. One stretch keeps the body in the vector at a
# bounded cost; `prepare(body=False)` skips it.
BODY_CHUNKS = 1
BODY_CHUNK_CHARS = 1000
# A stretch shorter than this is a sign-off or a caption, not body text.
MIN_BODY_CHUNK_CHARS = 200

# The lead for `lead_terms`: headline and about the first two sentences. On ECB+ train,
# batch average-link clustering with the pairwise model gains 0.011 BCubed F1 from lead
# terms at 300 characters (0.005 at 150, 0.004 at 600).
LEAD_TERM_CHARS = 300
# Names in the first LEAD_NAME_CHARS characters weigh LEAD_NAME_BONUS more: who and
# where the news is about, rather than who is quoted on the side.
LEAD_NAME_CHARS = 400
LEAD_NAME_BONUS = 1.0

# Entity groups: who, where and which organisation matter more than other names.
ENTITY_GROUPS: dict[str, str] = {
    "PERSON": "person",
    "GPE": "place", "LOC": "place", "FAC": "place",
    "ORG": "org",
    "NORP": "other", "EVENT": "other", "LAW": "other", "PRODUCT": "other",
    "WORK_OF_ART": "other",
}
GROUPS = ("person", "place", "org", "other")
NUMBER_PREFIXES = ("num:", "date:", "year:")

_WORD = re.compile(r"[a-z][a-z'’\-]*[a-z]|[a-z]")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w])")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
           "dec")
_MONTH_DAY = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?!\d)",
    re.IGNORECASE)
_DAY_MONTH = re.compile(
    r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|"
    r"dec)[a-z]*\b", re.IGNORECASE)
# Numbers too common to tell events apart: single digits count everything ("two
# people", "3 p.m."); years are evidence of their own.
MIN_NUMBER_DIGITS = 2


@dataclass(slots=True)
class ArticleFeatures:
    vector: Vector | None
    terms: dict[str, float] = field(default_factory=dict)
    lead_terms: dict[str, float] = field(default_factory=dict)
    entities: dict[str, float] = field(default_factory=dict)
    numbers: frozenset[str] = frozenset()
    published: date | None = None

    def keys(self) -> set[str]:
        """Everything the document frequencies count for this article."""
        return set(self.terms) | set(self.entities) | self.numbers


def prepare(articles: Sequence[Article], body: bool = True) -> list[ArticleFeatures]:
    """Features of each article; `body=False` skips the body vectors (lead only)."""
    bodies = body_vectors(articles) if body else [[] for _ in articles]
    return [article_features(a, b) for a, b in zip(articles, bodies, strict=True)]


def article_features(article: Article, body: Sequence[Vector] = ()) -> ArticleFeatures:
    """Features of one article, given the vectors of its body stretches (if any)."""
    headline = f"{article.title}\n" if article.title else ""
    return ArticleFeatures(
        vector=story_vector(article.embedding, body),
        terms=term_weights(headline + article.text),
        lead_terms=term_weights(headline + article.text[:LEAD_TERM_CHARS]),
        entities=entity_weights(article),
        numbers=frozenset(number_keys(article.text)),
        published=parse_date(article.published),
    )


def body_chunks(text: str) -> list[str]:
    """The stretches of `text` after the lead that `body_vectors` embeds."""
    chunks: list[str] = []
    start = LEAD_CHARS
    while len(chunks) < BODY_CHUNKS and start < len(text):
        piece = text[start : start + BODY_CHUNK_CHARS]
        if len(piece.strip()) < MIN_BODY_CHUNK_CHARS:
            break
        chunks.append(piece)
        start += BODY_CHUNK_CHARS
    return chunks


def body_vectors(articles: Sequence[Article]) -> list[list[Vector]]:
    """The MiniLM vectors of each article's body stretches, in one batched call."""
    owners: list[int] = []
    texts: list[str] = []
    for i, article in enumerate(articles):
        for chunk in body_chunks(article.text):
            owners.append(i)
            texts.append(chunk)
    out: list[list[Vector]] = [[] for _ in articles]
    if texts:
        for owner, vector in zip(owners, embed_texts(texts), strict=True):
            out[owner].append(vector)
    return out


def story_vector(lead: Sequence[float] | None, body: Sequence[Vector] = ()) -> Vector | None:
    """Unit mean of the lead vector and the body vectors (None without a lead vector:
    an article the embedder did not reach is scored on words and names alone)."""
    if lead is None:
        return None
    vectors = [np.asarray(lead, dtype=np.float32), *body]
    return unit(np.mean(vectors, axis=0))


def unit(vector: Any) -> Vector | None:
    arr = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(arr))
    return (arr / norm).astype(np.float32) if norm > 0 else None


def term_weights(text: str) -> dict[str, float]:
    """Sublinear frequencies (1 + log tf) of the content words of `text`."""
    counts = Counter(words(text))
    return {w: 1.0 + math.log(n) for w, n in counts.items()}


def words(text: str) -> list[str]:
    """Lower-cased content words: stop words, one-letter words and possessives dropped.
    Interned: every story holding a word shares one string."""
    stop = _stop_words()
    out = []
    for token in _WORD.findall(text.lower()):
        token = token.replace("’", "'")
        if token.endswith("'s"):
            token = token[:-2]
        token = token.strip("'-")
        if len(token) > 1 and token not in stop:
            out.append(sys.intern(token))
    return out


def entity_weights(article: Article) -> dict[str, float]:
    """Entity keys prefixed by group ("person:teller", "place:tolvane"), each weighted
    by how much the article is about it: 1 + log(mentions), and LEAD_NAME_BONUS more
    when it is named in the lead."""
    mentions: Counter[str] = Counter()
    in_lead: set[str] = set()
    for mention in article.entities:
        group = ENTITY_GROUPS.get(mention.label)
        if group is None:
            continue
        key = entity_key(mention.text, surname=group == "person")
        if key:
            grouped = sys.intern(f"{group}:{key}")
            mentions[grouped] += 1
            if mention.start < LEAD_NAME_CHARS:
                in_lead.add(grouped)
    return {k: 1.0 + math.log(n) + (LEAD_NAME_BONUS if k in in_lead else 0.0)
            for k, n in mentions.items()}


def entity_key(name: str, surname: bool = False) -> str:
    """A mention's key: its alphabetic words, lower-cased; a person's last word only
    ("President Ana Teller" and "Teller" are one person within a story)."""
    parts = [w for w in name.lower().replace("’", "'").split() if w.isalpha()]
    if not parts:
        return ""
    return parts[-1] if surname else " ".join(parts)


def number_keys(text: str) -> set[str]:
    """Figures ("num:7.1", "num:1200"), calendar days ("date:08-02") and years
    ("year:2013") in `text`."""
    keys = {f"year:{year}" for year in _YEAR.findall(text)}
    for raw in _NUMBER.findall(text):
        value = raw.replace(",", "")
        if _YEAR.fullmatch(value):
            continue
        digits = value.replace(".", "")
        if len(digits) >= MIN_NUMBER_DIGITS or "." in value:
            keys.add(f"num:{value}")
    for month, day in _MONTH_DAY.findall(text):
        keys.add(_day_key(month, day))
    for day, month in _DAY_MONTH.findall(text):
        keys.add(_day_key(month, day))
    return {sys.intern(k) for k in keys}


def _day_key(month: str, day: str) -> str:
    return f"date:{_MONTHS.index(month.lower()[:3]) + 1:02d}-{int(day):02d}"


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


_STOP: frozenset[str] | None = None


def _stop_words() -> frozenset[str]:
    """spaCy's English stop words (loaded once; spaCy is imported lazily)."""
    global _STOP
    if _STOP is None:
        from spacy.lang.en.stop_words import STOP_WORDS

        _STOP = frozenset(w.replace("’", "'") for w in STOP_WORDS)
    return _STOP
