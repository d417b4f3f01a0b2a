"""Exact and near-duplicate articles: which texts copy which, and how much.

Two passes. Articles whose normalised text is identical form an exact group (one
hash each, no pairwise work). One member per group goes into the MinHash LSH index;
each candidate pair it proposes is then compared exactly:

- shingle containment: the share of the shorter text's shingles found in the longer
  one (decides the kind: a verbatim copy or a syndicated, edited one);
- sentence alignment (`passages.align_passages`): which sentences of one occur in the
  other, in any order and with light edits. It tells an edited wire copy (most shared
  sentences intact) from a spun one (most reworded), and links two wire copies that
  credit the same agency but share only part of their text.

Candidate pairs that share some text but too little for a copy are kept as
`reworded`: the paraphrase detector (`paraphrase.py`) looks at them again by meaning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from corroborate.model import Article, ProvenanceKind
from corroborate.provenance.attribution import ArticleCues
from corroborate.provenance.passages import align_passages
from corroborate.provenance.shingles import (
    CandidateIndex,
    digest,
    line_shingles,
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
# Hand-set from these; on bench/provenance.py (seeds 1 and 2) generated wire copies
# keep 0.68-1.0, copies wrapped in furniture, reordered or excerpted 1.0.
VERBATIM_CONTAINMENT = 0.9
SYNDICATED_CONTAINMENT = 0.5
# Between the two, a copy whose aligned sentences are mostly reworded (fewer than this
# share copied word for word) is a spun paraphrase, not an edited wire copy: a wire
# subscriber rewrites the lead and cuts paragraphs but leaves most sentences intact,
# while a spinner touches most sentences. Generated corpus (bench/provenance.py, seeds
# 1 and 2, pairs in this containment range): wire copies 0.80-1.0, spins that swap
# 20-35% of the content words 0.0-0.64.
MIN_VERBATIM_SENTENCE_SHARE = 0.7
# Two articles that both carry agency copy (a credit line or a feed statement) are
# syndicated when this share of one's sentences occurs in the other, and at least
# this many sentences: wire subscribers cut and rewrite more than other copiers do.
CREDITED_SENTENCE_SHARE = 0.3
CREDITED_MIN_SENTENCES = 3
# A rejected candidate pair sharing at least this share of the shorter text's shingles
# is handed to the paraphrase detector, which decides by meaning. Generated corpus
# (seeds 1 and 2): spins keep 0.29-0.79; reports of one ECB+ event by different outlets
# a median of 0.006 and at most 0.18 (18 of 346 pairs pass, and are rejected there).
REWORDED_CONTAINMENT = 0.12
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


@dataclass(slots=True)
class CopyScan:
    """Exact groups (each a list of articles with the same normalised text, one group
    per matchable text, sorted by id), the near-duplicate matches between them, and
    the candidate pairs of groups that share some text but were not copies."""

    groups: list[list[Article]]
    matches: list[GroupMatch]
    reworded: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Text:
    """What the comparison needs of one text."""

    article: Article
    words: int
    shingles: frozenset[str]


def find_copies(articles: Sequence[Article], cues: Mapping[str, ArticleCues]) -> CopyScan:
    """Group identical texts, then find near-duplicate pairs of groups via LSH."""
    texts, groups = _exact_groups(articles)
    index = CandidateIndex()
    for key, text in enumerate(texts):
        if text.words >= MIN_COPY_WORDS:
            index.add(key, signature(text.shingles))
    scan = CopyScan(groups, [])
    for first, second in index.pairs():
        containment = _containment(texts[first], texts[second])
        wire = _wire_copy(groups[first], groups[second], cues)
        kind = _kind(texts[first], texts[second], containment, wire)
        if kind is not None:
            scan.matches.append(GroupMatch(first, second, kind, containment))
        elif containment >= REWORDED_CONTAINMENT:
            scan.reworded.append((first, second))
    return scan


def _containment(one: _Text, two: _Text) -> float:
    shorter = min(len(one.shingles), len(two.shingles))
    return len(one.shingles & two.shingles) / shorter if shorter else 0.0


def _kind(one: _Text, two: _Text, containment: float, wire: _Wire) -> ProvenanceKind | None:
    """The kind of copy the two texts are, or None when they are not copies. The
    sentence alignment is computed only when the containment alone does not decide.

    A copy of agency copy (a credit line or feed statement on either side) is
    syndicated however much of it was kept; a reworded one is a paraphrase.
    """
    if containment >= VERBATIM_CONTAINMENT:
        return ProvenanceKind.SYNDICATED if wire.either else ProvenanceKind.VERBATIM
    if containment < SYNDICATED_CONTAINMENT and not wire.shared:
        return None
    alignment = align_passages(one.article, two.article)
    if containment >= SYNDICATED_CONTAINMENT:
        if alignment.verbatim_share < MIN_VERBATIM_SENTENCE_SHARE:
            return ProvenanceKind.PARAPHRASE
        return ProvenanceKind.SYNDICATED
    reused = max(alignment.target_share, alignment.source_share)
    if reused >= CREDITED_SENTENCE_SHARE and len(alignment.pairs) >= CREDITED_MIN_SENTENCES:
        return ProvenanceKind.SYNDICATED
    return None


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
            by_digest[key] = (_Text(article, words, line_shingles(lines)), [article])
    entries = [(sorted(group, key=lambda a: a.id), text) for text, group in by_digest.values()]
    entries.sort(key=lambda entry: entry[0][0].id)
    return [text for _, text in entries], [group for group, _ in entries]


@dataclass(frozen=True, slots=True)
class _Wire:
    either: bool  # one side or both carry agency copy
    shared: bool  # both do, and not from two different named agencies


def _wire_copy(
    one: Sequence[Article], two: Sequence[Article], cues: Mapping[str, ArticleCues]
) -> _Wire:
    one_cues = [cues[a.id] for a in one if cues[a.id].carries_wire_copy]
    two_cues = [cues[a.id] for a in two if cues[a.id].carries_wire_copy]
    if not one_cues or not two_cues:
        return _Wire(either=bool(one_cues or two_cues), shared=False)
    one_credits = frozenset().union(*(c.credits for c in one_cues))
    two_credits = frozenset().union(*(c.credits for c in two_cues))
    same = not one_credits or not two_credits or bool(one_credits & two_credits)
    return _Wire(either=True, shared=same)
