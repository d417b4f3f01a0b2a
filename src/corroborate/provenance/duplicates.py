"""Exact and near-duplicate articles: which texts copy which, and how much.

Two passes. Articles whose normalised text is identical form an exact group (one
hash each, no pairwise work). One member per group goes into the MinHash LSH index;
each candidate pair it proposes is then compared exactly:

- shingle containment: the share of the shorter text's shingles found in the longer
  one (decides the kind: a verbatim copy or a syndicated, edited one);
- sentence reuse, both ways: the share of one article's sentences that occur,
  normalised, anywhere in the other's text (robust to reordered paragraphs and
  inserted lines; becomes the edge's `overlap` once the direction is known).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from corroborate.model import Article, ProvenanceKind
from corroborate.provenance.attribution import ArticleCues
from corroborate.provenance.shingles import (
    CandidateIndex,
    digest,
    line_shingles,
    normalise,
    normalised_lines,
    signature,
)

# Kind thresholds on shingle containment of the shorter text. 0.9 leaves room for a
# changed headline line or a few corrected words in an otherwise identical copy; 0.5
# ("half of the shorter text is shared word for word") is where an edited wire copy
# stops looking like an independent report. Measured: the five seed reports of one
# event by five outlets stay below 0.04 with each other; the test fixture of another
# outlet's report sharing a quote and an official statement word for word reaches
# 0.25; an agency story with a rewritten lead and one edited paragraph keeps 0.74.
# Hand-set from these, no labelled dev set yet.
VERBATIM_CONTAINMENT = 0.9
SYNDICATED_CONTAINMENT = 0.5
# Two articles that both carry agency copy (a credit line or a feed statement) are
# syndicated when this share of one's sentences occurs in the other, and at least
# this many sentences: wire subscribers cut and rewrite more than other copiers do.
CREDITED_SENTENCE_SHARE = 0.3
CREDITED_MIN_SENTENCES = 3
# Sentences shorter than this ("Share", "Advertisement", "Read more") say nothing
# about copying and are left out of sentence reuse.
MIN_SENTENCE_WORDS = 4
# Texts shorter than these are never matched: a one-line brief contained in a long
# article is usually a shared quote, not a copy; below MIN_EXACT_WORDS even an
# identical text ("Page not found") is furniture, not an article.
MIN_COPY_WORDS = 30
MIN_EXACT_WORDS = 5


@dataclass(frozen=True, slots=True)
class GroupMatch:
    """Two exact groups (indexes into `CopyScan.groups`) whose texts copy each other."""

    first: int
    second: int
    kind: ProvenanceKind
    containment: float
    first_in_second: float  # share of the first group's sentences found in the second
    second_in_first: float


@dataclass(slots=True)
class CopyScan:
    """Exact groups (each a list of articles with the same normalised text, one group
    per matchable text, sorted by id) and the near-duplicate matches between them."""

    groups: list[list[Article]]
    matches: list[GroupMatch]


@dataclass(slots=True)
class _Text:
    """What the comparison needs of one text; sentence keys are filled on first use,
    since only texts in a candidate pair need them."""

    article: Article
    padded: str  # " normalised text ", so a sentence is found on word boundaries
    words: int
    shingles: frozenset[str]
    sentences: tuple[str, ...] | None = None


def find_copies(articles: Sequence[Article], cues: Mapping[str, ArticleCues]) -> CopyScan:
    """Group identical texts, then find near-duplicate pairs of groups via LSH."""
    texts, groups = _exact_groups(articles)
    index = CandidateIndex()
    for key, text in enumerate(texts):
        if text.words >= MIN_COPY_WORDS:
            index.add(key, signature(text.shingles))
    matches: list[GroupMatch] = []
    for first, second in index.pairs():
        credited = _share_wire_copy(groups[first], groups[second], cues)
        match = _compare(texts[first], texts[second], credited)
        if match is not None:
            kind, containment, one_in_two, two_in_one = match
            matches.append(GroupMatch(first, second, kind, containment, one_in_two, two_in_one))
    return CopyScan(groups, matches)


def _compare(
    one: _Text, two: _Text, credited: bool
) -> tuple[ProvenanceKind, float, float, float] | None:
    """Kind, containment and sentence reuse both ways, or None when not a copy."""
    shorter = min(len(one.shingles), len(two.shingles))
    if shorter == 0:
        return None
    containment = len(one.shingles & two.shingles) / shorter
    one_in_two, one_found = _sentence_reuse(one, two)
    two_in_one, two_found = _sentence_reuse(two, one)
    kind: ProvenanceKind | None = None
    if containment >= VERBATIM_CONTAINMENT:
        kind = ProvenanceKind.VERBATIM
    elif containment >= SYNDICATED_CONTAINMENT or (
        credited
        and max(one_in_two, two_in_one) >= CREDITED_SENTENCE_SHARE
        and min(one_found, two_found) >= CREDITED_MIN_SENTENCES
    ):
        kind = ProvenanceKind.SYNDICATED
    if kind is None:
        return None
    return kind, containment, one_in_two, two_in_one


def _exact_groups(articles: Sequence[Article]) -> tuple[list[_Text], list[list[Article]]]:
    """One prepared text per distinct normalised text, and the articles sharing it."""
    by_digest: dict[str, tuple[_Text, list[Article]]] = {}
    for article in articles:
        lines = normalised_lines(article.text)
        normalised = " ".join(lines)
        words = normalised.count(" ") + 1 if normalised else 0
        if words < MIN_EXACT_WORDS:
            continue
        key = digest(normalised)
        if key in by_digest:
            by_digest[key][1].append(article)
        else:
            text = _Text(article, f" {normalised} ", words, line_shingles(lines))
            by_digest[key] = (text, [article])
    entries = [(sorted(group, key=lambda a: a.id), text) for text, group in by_digest.values()]
    entries.sort(key=lambda entry: entry[0][0].id)
    return [text for _, text in entries], [group for group, _ in entries]


def _sentence_keys(text: _Text) -> tuple[str, ...]:
    if text.sentences is None:
        keys = (normalise(sentence) for sentence in _sentence_texts(text.article))
        text.sentences = tuple(k for k in keys if k.count(" ") + 1 >= MIN_SENTENCE_WORDS)
    return text.sentences


def _sentence_texts(article: Article) -> list[str]:
    if article.sentences:
        return [article.text[s.start:s.end] for s in article.sentences]
    # Without a sentence split, lines (paragraphs) are the next best unit.
    return article.text.splitlines()


def _sentence_reuse(derived: _Text, source: _Text) -> tuple[float, int]:
    """Share and number of `derived`'s sentences that occur in `source`'s text."""
    keys = _sentence_keys(derived)
    if not keys:
        return 0.0, 0
    found = sum(1 for key in keys if f" {key} " in source.padded)
    return found / len(keys), found


def _share_wire_copy(
    one: Sequence[Article], two: Sequence[Article], cues: Mapping[str, ArticleCues]
) -> bool:
    """Both sides carry agency copy, and not from two different named agencies."""
    one_cues = [cues[a.id] for a in one if cues[a.id].carries_wire_copy]
    two_cues = [cues[a.id] for a in two if cues[a.id].carries_wire_copy]
    if not one_cues or not two_cues:
        return False
    one_credits = frozenset().union(*(c.credits for c in one_cues))
    two_credits = frozenset().union(*(c.credits for c in two_cues))
    return not one_credits or not two_credits or bool(one_credits & two_credits)
