"""Re-cluster a store from scratch, to compare with (or replace) its stories.

Every stored article clustering reads goes, in publication order, through a fresh
`OnlineClusterer` with fresh statistics, as if the store were one stream seen for the
first time; source families are kept together as in the clustering step. The result
is compared with the store's assignment (`corroborate.cluster.compare`).

Applying it replaces the assignment in the store: new story states, every article's
story, and one `recluster` event per old story naming the new stories that hold its
articles. An old id that no longer names a story redirects to the new story holding
most of its articles. Stories whose articles changed lose their analysis, and the
caller analyses them again (`api.recluster` runs the story steps).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from corroborate.cluster.compare import StoryComparison, compare_assignments
from corroborate.cluster.features import prepare
from corroborate.cluster.online import OnlineClusterer
from corroborate.cluster.step import family_story
from corroborate.model import Article
from corroborate.store.lifecycle import StoryChange, StoryEvent
from corroborate.store.sqlite import Store, StoryState

# Articles read from the store and featurised at a time: memory stays flat on a large
# store, and the body vectors are embedded in batches.
READ_BATCH = 256
# The story of an article that was in none, for the comparison (each counts alone).
_NO_STORY = "\x00none:"


@dataclass(slots=True)
class ReclusterResult:
    """The comparison, and the new assignment (article id -> story id)."""

    comparison: StoryComparison
    assignment: dict[str, str] = field(default_factory=dict)
    applied: bool = False
    unplaced_before: int = 0  # articles that were in no story
    events: list[StoryEvent] = field(default_factory=list)
    redirects: dict[str, str] = field(default_factory=dict)
    stale: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**self.comparison.to_dict(), "applied": self.applied,
                "unplaced_before": self.unplaced_before,
                "events": [e.to_dict() for e in self.events],
                "redirects": dict(self.redirects), "assignment": dict(self.assignment)}


def recluster_store(store: Store, *, apply: bool = False,
                    new_clusterer: Callable[[], OnlineClusterer] | None = None,
                    progress: Callable[[int], None] | None = None) -> ReclusterResult:
    """Re-cluster `store` (see the module doc); with `apply`, replace its assignment."""
    clusterer = new_clusterer() if new_clusterer is not None else OnlineClusterer([])
    ids = store.clusterable_article_ids()
    stored = store.story_ids_of(ids)
    before_raw = {a: stored.get(a) for a in ids}  # in publication order, as `fresh`
    fresh: dict[str, str] = {}
    for batch in _batches(store, ids):
        features = prepare(batch, body=clusterer.body_vectors)
        for article, article_features in zip(batch, features, strict=True):
            family = family_story(article, fresh, store, stored=False)
            fresh[article.id] = clusterer.assign(article, family_story=family,
                                                 features=article_features).story_id
        if progress is not None:
            progress(len(batch))
    rename = stable_ids(_members(before_raw), fresh, set(store.find_redirect_ids("")))
    after = {a: rename[s] for a, s in fresh.items()}
    before = {a: s if s else _NO_STORY + a for a, s in before_raw.items()}
    result = ReclusterResult(compare_assignments(before, after), after,
                             unplaced_before=sum(1 for s in before_raw.values() if not s))
    if apply:
        states = [clusterer.states[s] for s in sorted(set(fresh.values()))]
        for state in states:
            state.id = rename[state.id]
        _apply(store, states, before_raw, after, result)
    return result


def stable_ids(old_members: Mapping[str, list[str]], fresh: Mapping[str, str],
               taken: set[str]) -> dict[str, str]:
    """Fresh story id -> the id it keeps: an old story's id goes to the new story that
    holds most of its articles, when no other old story has more articles there (then
    that one's id). Every old id thus names, or redirects to, the new story holding most
    of its articles. A new story that is no old story's keeps its own id, with a suffix
    if an old story or a redirect has it (`taken`: the redirect ids)."""
    new_members = _members(fresh)
    claims: dict[str, list[tuple[int, int, str]]] = {}
    for rank, (old, members) in enumerate(sorted(old_members.items())):
        targets = _targets(members, fresh, new_members)
        if targets:
            held = sum(1 for a in members if fresh.get(a) == targets[0])
            claims.setdefault(targets[0], []).append((-held, rank, old))
    rename = {new: min(claims[new])[2] for new in new_members if new in claims}
    used = set(rename.values()) | set(old_members) | taken
    for new in sorted(new_members):
        if new not in rename:
            candidate, n = new, 1
            while candidate in used:
                n += 1
                candidate = f"{new}-{n}"
            rename[new] = candidate
            used.add(candidate)
    return rename


def _targets(members: list[str], after: Mapping[str, str],
             new_members: Mapping[str, list[str]]) -> list[str]:
    """The new stories holding `members`, most first; of two as large, the one holding
    the earliest of them (members are in publication order)."""
    counts = Counter(after[a] for a in members if a in after)
    position = {a: i for i, a in enumerate(members)}
    return sorted(counts, key=lambda s: (-counts[s], min(position.get(a, len(position))
                                                         for a in new_members[s])))


def _batches(store: Store, ids: list[str]) -> Iterator[list[Article]]:
    for start in range(0, len(ids), READ_BATCH):
        yield store.get_articles(ids[start : start + READ_BATCH])


def _apply(store: Store, states: list[StoryState], before: Mapping[str, str | None],
           after: Mapping[str, str], result: ReclusterResult) -> None:
    old_members = _members({a: s for a, s in before.items() if s})
    new_members = _members(after)
    changes = [_old_story_change(old, members, after, new_members)
               for old, members in sorted(old_members.items())
               if set(new_members.get(old, ())) != set(members)]
    unplaced = {a: after[a] for a, s in before.items() if not s and a in after}
    if unplaced:
        changes.append(StoryChange(
            StoryEvent("recluster", (), tuple(sorted(set(unplaced.values()))), None,
                       f"{len(unplaced)} articles that were in no story"),
            moves=unplaced))
    stale = sorted(s for s, members in new_members.items()
                   if s not in old_members or set(old_members[s]) != set(members))
    # Rows no article points to any more (none of the old stories' ids) go; stories
    # whose articles changed lose their analysis. Neither is an event of its own.
    empty = sorted(set(store.live_story_ids()) - new_members.keys() - old_members.keys())
    changes.append(StoryChange(None, removed=empty, stale=stale))
    store.put_story_states(states)
    result.events = store.record_story_changes(changes)
    result.redirects = {old: new for c in changes for old, new in c.redirects.items()}
    result.stale = stale
    result.applied = True


def _old_story_change(old: str, members: list[str], after: Mapping[str, str],
                      new_members: Mapping[str, list[str]]) -> StoryChange:
    """The event of one old story: where its articles went, its redirect if its id is
    gone, and the moves of its articles."""
    counts = Counter(after[a] for a in members if a in after)
    targets = _targets(members, after, new_members)
    majority = targets[0] if targets else None
    share = counts[majority] / len(members) if majority else 0.0
    moves = {a: after[a] for a in members if a in after and after[a] != old}
    redirects = {old: majority} if majority and old not in new_members else {}
    reason = (f"{counts[majority]} of {len(members)} articles in {majority}" if majority
              else "no article left")
    return StoryChange(
        StoryEvent("recluster", (old,), tuple(targets), round(share, 4), reason),
        moves=moves, removed=[] if old in new_members else [old], redirects=redirects)


def _members(assignment: Mapping[str, str | None]) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for article, story in assignment.items():
        if story:
            members.setdefault(story, []).append(article)
    return members
