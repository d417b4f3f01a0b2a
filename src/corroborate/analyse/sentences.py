"""The sentence table of one story: every sentence of every article, embedded once.

Facts, claims, the timeline, the summary and the title all compare sentences across
the articles of a story. Building the table once per story means each sentence is
embedded once and its cheap features (numbers, names, key nouns, how much of it sits
inside quotation marks) are computed once; the analysis functions take the table as
an argument instead of re-reading the articles.

A row keeps its article id and character offsets, so anything built from rows can cite
`article.text[start:end]` exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from corroborate.enrich.embed import DIMENSIONS, embed_texts
from corroborate.enrich.nlp import parse
from corroborate.model import Article, Citation, Span

if TYPE_CHECKING:
    from numpy.typing import NDArray

# Entity labels that name something (numbers and dates are handled apart).
NAME_LABELS = frozenset({
    "PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART",
})
# Names and nouns are compared by their first letters so that spelling variants and
# derived forms meet: transliterations of one surname (-sky / -skyy / -skiy), a surname
# misspelt by a spun copy (-off / -ov), a country and its adjective (Norway /
# Norwegian). Five letters was the shortest prefix that did
# not join unrelated words in the seed story's vocabulary (four joins "unit"/"united").
KEY_PREFIX = 5
# Words shorter than this are not keys (of, war, US are too common or too short to tell).
MIN_KEY_LENGTH = 3
# A sentence this far inside quotation marks is a quote fragment, not a report: it
# leaves at most a short attribution ("he said") outside the marks.
QUOTE_FRAGMENT_SHARE = 0.7

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
# Curly double quotes open and close; a straight double quote toggles.
_OPEN = "“«"
_CLOSE = "”»"
_STRAIGHT = '"'


@dataclass(frozen=True, slots=True)
class SentenceRow:
    """One sentence of one article, with the features the analysis compares."""

    index: int  # row number in the table (and in its vector matrix)
    article: str
    article_rank: int  # order of the article in the story
    position: int  # sentence number within its article
    start: int
    end: int
    text: str
    words: int
    numbers: frozenset[str]
    names: frozenset[str]  # name-token keys of the named entities it mentions
    nouns: frozenset[str]  # key-noun keys
    quoted: float  # share of its word characters inside quotation marks

    @property
    def citation(self) -> Citation:
        return Citation(self.article, self.start, self.end)

    @property
    def keys(self) -> frozenset[str]:
        return self.names | self.nouns

    @property
    def is_quote_fragment(self) -> bool:
        return self.quoted >= QUOTE_FRAGMENT_SHARE


@dataclass(slots=True)
class SentenceTable:
    """All sentences of a story, their unit vectors (row i of `vectors`) and articles."""

    articles: list[Article]
    rows: list[SentenceRow]
    vectors: NDArray[np.float32]
    _by_article: dict[str, list[SentenceRow]] = field(default_factory=dict, repr=False)
    _index: dict[str, Article] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {a.id: a for a in self.articles}
        self._by_article = {a.id: [] for a in self.articles}
        for row in self.rows:
            self._by_article[row.article].append(row)

    def __len__(self) -> int:
        return len(self.rows)

    def article(self, article_id: str) -> Article:
        return self._index[article_id]

    def rows_of(self, article_id: str) -> list[SentenceRow]:
        return self._by_article.get(article_id, [])

    def row_at(self, citation: Citation) -> SentenceRow | None:
        """The row a citation points at (exact sentence offsets), or None."""
        for row in self.rows_of(citation.article):
            if row.start == citation.start and row.end == citation.end:
                return row
        return None

    def similarity(self, a: int, b: int) -> float:
        return float(self.vectors[a] @ self.vectors[b])

    def similarities(self, indices: Sequence[int]) -> NDArray[np.float32]:
        """Cosine matrix of the given rows (square, in the given order)."""
        sub = self.vectors[list(indices)]
        return np.asarray(sub @ sub.T, dtype=np.float32)

    def centroid(self, indices: Iterable[int] | None = None) -> NDArray[np.float32]:
        """Unit mean vector of the given rows (all rows by default)."""
        chosen = self.vectors if indices is None else self.vectors[list(indices)]
        if len(chosen) == 0:
            return np.zeros(DIMENSIONS, dtype=np.float32)
        mean = chosen.mean(axis=0)
        norm = float(np.linalg.norm(mean))
        return np.asarray(mean / norm if norm > 0 else mean, dtype=np.float32)

    def relative_position(self, row: SentenceRow) -> float:
        """0.0 for an article's first sentence, towards 1.0 for its last."""
        count = len(self.rows_of(row.article))
        return row.position / count if count else 0.0


def build_sentence_table(articles: Sequence[Article]) -> SentenceTable:
    """Rows for every sentence of `articles` (which must already have sentences and
    entities), embedded in one batch."""
    rows: list[SentenceRow] = []
    for rank, article in enumerate(articles):
        rows.extend(_article_rows(article, rank, len(rows)))
    vectors = embed_texts([row.text for row in rows])
    return SentenceTable(articles=list(articles), rows=rows, vectors=vectors)


def _article_rows(article: Article, rank: int, first_index: int) -> list[SentenceRow]:
    text = article.text
    mask = quote_mask(text, quoted_regions(text, [(q.start, q.end) for q in article.quotes
                                                   if q.direct]))
    nouns = _noun_keys_by_sentence(text, article.sentences)
    rows: list[SentenceRow] = []
    for position, span in enumerate(article.sentences):
        sentence = span.text_of(text)
        rows.append(SentenceRow(
            index=first_index + position,
            article=article.id,
            article_rank=rank,
            position=position,
            start=span.start,
            end=span.end,
            text=sentence,
            words=len(_WORD.findall(sentence)),
            numbers=numbers_in(sentence),
            names=_name_keys(article, span),
            nouns=nouns[position],
            quoted=_quoted_share(text, span, mask),
        ))
    return rows


def numbers_in(text: str) -> frozenset[str]:
    """Digit numbers of `text`, normalised: "1,000" -> "1000", "30-day" -> "30".

    Written numbers ("thirty") are not read: they are rarer in news copy and the
    guard they feed only needs to avoid false alignments, not to find all of them.
    """
    found: set[str] = set()
    for match in _NUMBER.finditer(text):
        value = match.group().replace(",", "")
        if value.count(".") == 1:
            value = value.rstrip("0").rstrip(".") or "0"
        found.add(value.lstrip("0") or "0")
    return frozenset(found)


def key_of(word: str) -> str | None:
    """The comparison key of a name token or noun lemma, or None if it is too short."""
    letters = word.lower().strip("'’-.")
    if len(letters) < MIN_KEY_LENGTH or not letters.isalpha():
        return None
    return letters[:KEY_PREFIX]


def _name_keys(article: Article, span: Span) -> frozenset[str]:
    keys: set[str] = set()
    for ent in article.entities:
        if ent.label in NAME_LABELS and span.start <= ent.start and ent.end <= span.end:
            keys.update(k for w in _WORD.findall(ent.text) if (k := key_of(w)) is not None)
    return frozenset(keys)


def _noun_keys_by_sentence(text: str, sentences: Sequence[Span]) -> list[frozenset[str]]:
    """Key nouns (lemmas of common nouns that are not stop words) of each sentence."""
    if not sentences:
        return []
    doc = parse(text)
    buckets: list[set[str]] = [set() for _ in sentences]
    starts = [s.start for s in sentences]
    cursor = 0
    for token in doc:
        if token.pos_ != "NOUN" or token.is_stop:
            continue
        while cursor + 1 < len(starts) and starts[cursor + 1] <= token.idx:
            cursor += 1
        span = sentences[cursor]
        if span.start <= token.idx < span.end and (key := key_of(token.lemma_)) is not None:
            buckets[cursor].add(key)
    return [frozenset(b) for b in buckets]


def quoted_regions(text: str, extra: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Character ranges of `text` inside double quotation marks, plus `extra` ranges.

    News style reopens a quote at each new paragraph of a multi-paragraph quotation
    without closing the previous one, so an unclosed quote ends at the line break.
    """
    regions: list[tuple[int, int]] = list(extra)
    for line in re.finditer(r"[^\n]+", text):
        opened: int | None = None
        for offset in range(line.start(), line.end()):
            char = text[offset]
            if opened is None and (char in _OPEN or char == _STRAIGHT):
                opened = offset + 1
            elif opened is not None and (char in _CLOSE or char == _STRAIGHT):
                regions.append((opened, offset))
                opened = None
        if opened is not None:
            regions.append((opened, line.end()))
    return sorted(regions)


def _quoted_share(text: str, span: Span, mask: bytearray) -> float:
    inside = total = 0
    for offset in range(span.start, span.end):
        if text[offset].isalnum():
            total += 1
            inside += mask[offset]
    return inside / total if total else 0.0


def quote_mask(text: str, regions: Iterable[tuple[int, int]]) -> bytearray:
    """One byte per character of `text`: 1 inside a quoted region, else 0."""
    mask = bytearray(len(text))
    for start, end in regions:
        mask[start:end] = b"\x01" * (min(end, len(text)) - start)
    return mask
