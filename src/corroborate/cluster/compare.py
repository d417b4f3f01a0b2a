"""Compare two assignments of articles to stories: BCubed, adjusted Rand, what moved.

Used by `corroborate recluster` (the store's assignment against a fresh one); either
side may play the reference, since BCubed precision and recall swap when they do and
F1 and ARI do not change.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class StoryComparison:
    """`after` against `before`, over the articles both assign.

    `split`: stories of `before` whose articles are spread over several of `after`;
    `merged`: stories of `after` holding articles of several of `before`;
    `unchanged`: stories with exactly the same articles on both sides.
    """

    articles: int
    stories_before: int
    stories_after: int
    precision: float
    recall: float
    f1: float
    ari: float
    split: int
    merged: int
    unchanged: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def compare_assignments(before: Mapping[str, str], after: Mapping[str, str]) -> StoryComparison:
    """Compare two article id -> story id maps (see `StoryComparison`)."""
    common = sorted(before.keys() & after.keys())
    old = {a: before[a] for a in common}
    new = {a: after[a] for a in common}
    precision, recall, f1 = bcubed(new, old)
    old_members, new_members = _members(old), _members(new)
    spread = {s: {new[a] for a in ids} for s, ids in old_members.items()}
    sources = {s: {old[a] for a in ids} for s, ids in new_members.items()}
    old_sets = {frozenset(ids) for ids in old_members.values()}
    return StoryComparison(
        articles=len(common), stories_before=len(old_members), stories_after=len(new_members),
        precision=precision, recall=recall, f1=f1, ari=adjusted_rand_index(old, new),
        split=sum(1 for targets in spread.values() if len(targets) > 1),
        merged=sum(1 for origins in sources.values() if len(origins) > 1),
        unchanged=sum(1 for ids in new_members.values() if frozenset(ids) in old_sets),
    )


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of `pred` against `gold` (same article ids)."""
    if not pred:
        return 1.0, 1.0, 1.0
    pred_members, gold_members = _members(pred), _members(gold)
    overlap = Counter((pred[a], gold[a]) for a in pred)
    precision = recall = 0.0
    for article in pred:
        shared = overlap[(pred[article], gold[article])]
        precision += shared / len(pred_members[pred[article]])
        recall += shared / len(gold_members[gold[article]])
    precision, recall = precision / len(pred), recall / len(pred)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def adjusted_rand_index(a: Mapping[str, str], b: Mapping[str, str]) -> float:
    """Hubert and Arabie's adjusted Rand index of two labelings of the same ids: 1.0 for
    the same partition, about 0 for chance agreement. Two partitions that both put
    every article alone (or all together) agree: 1.0."""
    n = len(a)
    if n < 2:
        return 1.0
    pairs_both = sum(_pairs(c) for c in Counter((a[x], b[x]) for x in a).values())
    pairs_a = sum(_pairs(c) for c in Counter(a.values()).values())
    pairs_b = sum(_pairs(c) for c in Counter(b[x] for x in a).values())
    expected = pairs_a * pairs_b / _pairs(n)
    best = (pairs_a + pairs_b) / 2
    if best == expected:
        return 1.0
    return (pairs_both - expected) / (best - expected)


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def _members(assignment: Mapping[str, str]) -> dict[str, list[str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for article, story in assignment.items():
        members[story].append(article)
    return dict(members)
