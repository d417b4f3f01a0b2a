"""Facts: propositions that several articles of a story state, each with its citations.

Sentences of different articles are aligned when their embeddings are close and two
cheap guards agree (the numbers they quote, and at least one shared name or key
noun). Aligned sentences are grouped by a constrained average-linkage merge: a group
never holds two sentences of one article, every pair in it stays above a floor, and
the mean similarity between two groups must reach the threshold before they merge.
That keeps a chain of pairwise-similar sentences (A~B, B~C, A far from C) from
drifting into one fact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from corroborate.analyse.sentences import SentenceRow, SentenceTable
from corroborate.model import Fact

if TYPE_CHECKING:
    from numpy.typing import NDArray

# Cosine (MiniLM, normalised) at which two sentences of different articles state the
# same proposition; a group's mean cross similarity must reach it too. Tuned on the
# seed story (five outlets, one event) by reading the groups at 0.66, 0.68, 0.70 and
# 0.72: paraphrases of one statement score 0.70-0.87; at 0.68 pairs that share only
# the topic join (one leader's doubts and another government's optimism about the same
# truce); at 0.72 true paraphrases start to drop out (two outlets' versions of one
# spokesman's remark score 0.70). Checked on tests/test_facts.py's invented story.
FACT_THRESHOLD = 0.70
# Every pair inside a fact must reach this, so that average linkage cannot pull in a
# sentence that is close to one member and far from the others.
FACT_FLOOR = 0.60
# Shorter sentences are captions, datelines and fragments; they align by accident.
MIN_FACT_WORDS = 6


@dataclass(frozen=True, slots=True)
class FactGroup:
    """A fact with the rows it was built from (the medoid first)."""

    rows: tuple[SentenceRow, ...]

    @property
    def medoid(self) -> SentenceRow:
        return self.rows[0]

    @property
    def articles(self) -> list[str]:
        return sorted({row.article for row in self.rows})


def find_facts(table: SentenceTable, families: Sequence[Sequence[str]]) -> list[Fact]:
    """Propositions stated by at least two articles, best supported first."""
    return [to_fact(group, families) for group in find_fact_groups(table, families)]


def find_fact_groups(
    table: SentenceTable, families: Sequence[Sequence[str]]
) -> list[FactGroup]:
    """The groups behind `find_facts`, in the same order (claims and summary use them)."""
    candidates = [row for row in table.rows if is_fact_candidate(row)]
    clusters = group_aligned(candidates, table, FACT_THRESHOLD, FACT_FLOOR)
    groups = [
        _with_medoid_first([candidates[i] for i in cluster], table)
        for cluster in clusters
        if len({candidates[i].article for i in cluster}) >= 2
    ]
    groups.sort(key=lambda g: _fact_rank(g, families))
    return groups


def to_fact(group: FactGroup, families: Sequence[Sequence[str]]) -> Fact:
    support = group.articles
    return Fact(
        text=group.medoid.text,
        support=support,
        independent_support=count_families(support, families),
        citations=[row.citation for row in group.rows],
    )


def is_fact_candidate(row: SentenceRow) -> bool:
    return row.words >= MIN_FACT_WORDS and not row.is_quote_fragment


def can_align(a: SentenceRow, b: SentenceRow) -> bool:
    """The guards besides similarity: other article, same numbers, a shared key."""
    return a.article != b.article and numbers_agree(a, b) and keys_agree(a, b)


def numbers_agree(a: SentenceRow, b: SentenceRow) -> bool:
    """True unless both quote numbers and neither set contains the other.

    "20 settlements" vs "30 settlements" conflict; "a 30-day truce" vs "the 30 day
    truce agreed in 2025" do not (one says less, not something else).
    """
    if not a.numbers or not b.numbers:
        return True
    return a.numbers <= b.numbers or b.numbers <= a.numbers


def keys_agree(a: SentenceRow, b: SentenceRow) -> bool:
    if not a.keys or not b.keys:
        return True
    return bool(a.keys & b.keys)


def group_aligned(
    rows: Sequence[SentenceRow],
    table: SentenceTable,
    threshold: float,
    floor: float,
) -> list[list[int]]:
    """Constrained average-linkage groups of `rows` (indices into `rows`)."""
    sims = table.similarities([row.index for row in rows])
    return link_groups(sims, [row.article for row in rows],
                       lambda i, j: can_align(rows[i], rows[j]), threshold, floor)


def link_groups(
    sims: NDArray[np.float32],
    owners: Sequence[str],
    allowed: Callable[[int, int], bool],
    threshold: float,
    floor: float,
) -> list[list[int]]:
    """Constrained average-linkage over a similarity matrix; singletons included.

    Pairs are tried from the most similar down; two groups merge when they share no
    owner (article), every cross pair is `allowed` and reaches `floor`, and the mean
    cross similarity reaches `threshold`.
    """
    members: dict[int, list[int]] = {i: [i] for i in range(len(owners))}
    owner_of = list(range(len(owners)))
    above = np.argwhere(np.triu(sims >= threshold, k=1))
    pairs = sorted(((int(i), int(j)) for i, j in above),
                   key=lambda p: -float(sims[p[0], p[1]]))
    for i, j in pairs:
        a, b = owner_of[i], owner_of[j]
        if a == b or not _mergeable(members[a], members[b], owners, sims, allowed,
                                    threshold, floor):
            continue
        members[a].extend(members.pop(b))
        for k in members[a]:
            owner_of[k] = a
    return [sorted(group) for group in members.values()]


def _mergeable(
    left: list[int],
    right: list[int],
    owners: Sequence[str],
    sims: NDArray[np.float32],
    allowed: Callable[[int, int], bool],
    threshold: float,
    floor: float,
) -> bool:
    if {owners[i] for i in left} & {owners[j] for j in right}:
        return False
    cross = sims[np.ix_(left, right)]
    if float(cross.min()) < floor or float(cross.mean()) < threshold:
        return False
    return all(allowed(i, j) for i in left for j in right)


def _with_medoid_first(rows: list[SentenceRow], table: SentenceTable) -> FactGroup:
    """The member closest on average to the others leads; the rest keep story order."""
    sims = table.similarities([row.index for row in rows])
    medoid = int(np.argmax(sims.sum(axis=1)))
    rest = sorted((r for k, r in enumerate(rows) if k != medoid),
                  key=lambda r: (r.article_rank, r.position))
    return FactGroup(rows=(rows[medoid], *rest))


def _fact_rank(
    group: FactGroup, families: Sequence[Sequence[str]]
) -> tuple[int, int, int, int]:
    support = group.articles
    first = min((row.position, row.article_rank) for row in group.rows)
    return (-count_families(support, families), -len(support), first[0], first[1])


def count_families(article_ids: Iterable[str], families: Sequence[Sequence[str]]) -> int:
    """How many distinct source families the articles belong to; an article that no
    family lists is a family of its own."""
    family_of = {aid: k for k, family in enumerate(families) for aid in family}
    return len({family_of.get(aid, f"alone:{aid}") for aid in article_ids})
