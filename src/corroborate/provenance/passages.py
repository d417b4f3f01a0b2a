"""Passage-level reuse: which sentences of a target article come from a source article.

Sentences are aligned out of order (any sentence of the target may match any sentence
of the source), so reordered paragraphs and inserted lines do not hide a copy, a gap
that in-order aligners such as passim leave open. Two sentences match when most of the
word pairs (bigrams) of the shorter one occur in the other: a changed word breaks two
bigrams, a cut clause removes some, and the rest still match. Aligned sentences that
follow each other in both texts are merged into one `Passage`, with character offsets
into both texts.

The same merging serves the paraphrase detector (`paraphrase.py`), which pairs sentences
by meaning instead of words and hands its pairs to `passages_from_pairs`.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from corroborate.model import Article, Passage, Span

# A sentence of fewer words says nothing about copying ("Advertisement", "Share",
# "Read more"); it is never matched, and a passage never runs across it.
MIN_UNIT_WORDS = 4
# Two sentences match when this share of the shorter one's bigrams occurs in the other,
# and at least MIN_SHARED_BIGRAMS of them. On invented fixtures: one changed word in a
# 20-word sentence keeps 0.89, a clause cut from a 30-word sentence keeps 1.0 of the
# shorter side, while two reports of one fact in their own words share 0.1-0.3.
MIN_BIGRAM_CONTAINMENT = 0.6
MIN_SHARED_BIGRAMS = 3
# ... and the longer one must not dwarf the match: a 4-word phrase found inside a
# 50-word sentence is a shared phrase, not a copied sentence.
MIN_BIGRAM_SHARE_OF_LONGER = 0.3
# A sentence pair at or above this Dice similarity of bigrams reads as copied word for
# word (a typo fixed or a word changed at most); used to tell an edited wire copy
# (most sentences intact) from a spun one (most sentences reworded).
VERBATIM_SENTENCE_SIMILARITY = 0.9

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence (or line) of an article: its offsets and its word bigrams."""

    start: int
    end: int
    words: int
    bigrams: frozenset[str]

    @property
    def matchable(self) -> bool:
        return self.words >= MIN_UNIT_WORDS


@dataclass(frozen=True, slots=True)
class SentencePair:
    """Unit `source` (index into the source's units) is reused as unit `target`."""

    source: int
    target: int
    similarity: float


@dataclass(slots=True)
class Alignment:
    """How a target article reuses a source article, sentence by sentence."""

    pairs: list[SentencePair]
    passages: list[Passage]
    source_coverage: float  # share of the source's non-space characters in passages
    target_coverage: float  # the same for the target: the edge's `overlap`
    source_units: list[Unit]  # the units `pairs` index into
    target_units: list[Unit]

    @property
    def target_share(self) -> float:
        """Share of the target's matchable sentences that come from the source."""
        return _share({p.target for p in self.pairs}, self.target_units)

    @property
    def source_share(self) -> float:
        """Share of the source's matchable sentences reused in the target."""
        return _share({p.source for p in self.pairs}, self.source_units)

    @property
    def verbatim_share(self) -> float:
        """Share of aligned sentences copied word for word (see VERBATIM_SENTENCE_SIMILARITY)."""
        if not self.pairs:
            return 0.0
        kept = sum(1 for p in self.pairs if p.similarity >= VERBATIM_SENTENCE_SIMILARITY)
        return kept / len(self.pairs)


def sentence_units(article: Article) -> list[Unit]:
    """The article's sentences (its lines when it has no sentence split), in order."""
    spans = article.sentences or list(_lines(article.text))
    units = []
    for span in spans:
        words = _WORD.findall(article.text[span.start:span.end].casefold())
        units.append(Unit(span.start, span.end, len(words), _bigrams(words)))
    return units


def align_passages(source: Article, target: Article) -> Alignment:
    """Which sentences of `target` come from `source`, merged into passages."""
    source_units, target_units = sentence_units(source), sentence_units(target)
    pairs = match_units(source_units, target_units)
    return build_alignment(source, target, source_units, target_units, pairs)


def match_units(source_units: Sequence[Unit], target_units: Sequence[Unit]) -> list[SentencePair]:
    """For each target unit, its best-matching source unit by shared bigrams, if any.

    Several target units may match one source unit (a sentence split in two, or a
    paragraph repeated); the order of either text plays no part.
    """
    postings: dict[str, list[int]] = defaultdict(list)
    for index, unit in enumerate(source_units):
        if unit.matchable:
            for gram in unit.bigrams:
                postings[gram].append(index)
    pairs: list[SentencePair] = []
    previous: int | None = None
    for target_index, unit in enumerate(target_units):
        if not unit.matchable:
            continue
        shared = Counter(i for gram in unit.bigrams for i in postings.get(gram, ()))
        best = _best_source(shared, source_units, unit, previous)
        if best is not None:
            source_index, similarity = best
            pairs.append(SentencePair(source_index, target_index, similarity))
            previous = source_index
    return pairs


def build_alignment(
    source: Article, target: Article, source_units: Sequence[Unit],
    target_units: Sequence[Unit], pairs: Sequence[SentencePair],
) -> Alignment:
    passages = passages_from_pairs(source_units, target_units, pairs)
    return Alignment(
        pairs=list(pairs),
        passages=passages,
        source_coverage=coverage(source.text,
                                 [Span(p.source_start, p.source_end) for p in passages]),
        target_coverage=coverage(target.text,
                                 [Span(p.target_start, p.target_end) for p in passages]),
        source_units=list(source_units),
        target_units=list(target_units),
    )


def passages_from_pairs(
    source_units: Sequence[Unit], target_units: Sequence[Unit], pairs: Iterable[SentencePair],
) -> list[Passage]:
    """Merge aligned sentences that follow each other in both texts into passages.

    A run continues while the next target unit is aligned to the source unit after the
    previous one (or to the same one, when the target split a sentence in two). Any
    unaligned unit between them, even a one-word line, ends the run, so a passage never
    spans inserted furniture.
    """
    runs: list[list[SentencePair]] = []
    for pair in sorted(pairs, key=lambda p: p.target):
        if runs and _continues(runs[-1][-1], pair):
            runs[-1].append(pair)
        else:
            runs.append([pair])
    return [_passage(run, source_units, target_units) for run in runs]


def coverage(text: str, spans: Iterable[Span]) -> float:
    """Share of `text`'s non-space characters that lie inside `spans` (which may overlap)."""
    total = _non_space(text, 0, len(text))
    if total == 0:
        return 0.0
    covered, reach = 0, 0
    for span in sorted(spans, key=lambda s: s.start):
        start = max(span.start, reach)
        if span.end > start:
            covered += _non_space(text, start, span.end)
            reach = span.end
    return covered / total


def _best_source(
    shared: Counter[int], source_units: Sequence[Unit], unit: Unit, previous: int | None,
) -> tuple[int, float] | None:
    best: tuple[float, bool, int] | None = None
    for index, count in shared.items():
        other = source_units[index]
        shorter, longer = sorted((len(unit.bigrams), len(other.bigrams)))
        if (count < MIN_SHARED_BIGRAMS or count < MIN_BIGRAM_CONTAINMENT * shorter
                or count < MIN_BIGRAM_SHARE_OF_LONGER * longer):
            continue
        dice = 2 * count / (len(unit.bigrams) + len(other.bigrams))
        # On a tie (a sentence the source repeats), the one after the previous match
        # keeps the passage in one piece.
        follows = previous is not None and index == previous + 1
        key = (dice, follows, -index)
        if best is None or key > best:
            best = key
    if best is None:
        return None
    return -best[2], round(best[0], 3)


def _continues(last: SentencePair, pair: SentencePair) -> bool:
    return pair.target == last.target + 1 and pair.source in (last.source, last.source + 1)


def _passage(
    run: Sequence[SentencePair], source_units: Sequence[Unit], target_units: Sequence[Unit],
) -> Passage:
    sources = [source_units[p.source] for p in run]
    targets = [target_units[p.target] for p in run]
    weights = [t.end - t.start for t in targets]
    similarity = sum(p.similarity * w for p, w in zip(run, weights, strict=True)) / sum(weights)
    return Passage(
        source_start=min(u.start for u in sources), source_end=max(u.end for u in sources),
        target_start=targets[0].start, target_end=targets[-1].end,
        similarity=round(min(1.0, max(0.0, similarity)), 3),
    )


def _share(aligned: set[int], units: Sequence[Unit]) -> float:
    matchable = sum(1 for unit in units if unit.matchable)
    return len(aligned) / matchable if matchable else 0.0


def _bigrams(words: Sequence[str]) -> frozenset[str]:
    if len(words) == 1:
        return frozenset(words)
    return frozenset(f"{a} {b}" for a, b in itertools.pairwise(words))


def _lines(text: str) -> Iterable[Span]:
    for line in re.finditer(r"[^\n]+", text):
        start, end = line.start(), line.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            yield Span(start, end)


def _non_space(text: str, start: int, end: int) -> int:
    piece = text[start:end]
    return len(piece) - sum(1 for ch in piece if ch.isspace())
