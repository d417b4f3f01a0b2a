"""The clustering step: places the batch's new articles into stored or new stories, then
merges and splits the stories the batch touched (`corroborate.cluster.maintenance`).

The clusterer continues the store's stories and document frequencies
(`online.load_clusterer`) and saves them back (`online.save_clusterer`). Every story
the batch changed has its analysis dropped, so the story steps that follow (or, after
`corroborate cluster`, the next `corroborate analyze`) analyse it again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from corroborate.cluster.drift import Matrix, SplitPolicy
from corroborate.cluster.features import prepare
from corroborate.cluster.maintenance import (
    MaintenancePolicy,
    StoryMaintenance,
    publication_order,
)
from corroborate.cluster.online import (
    OnlineClusterer,
    active_horizon,
    add_to_state,
    load_clusterer,
    save_clusterer,
)
from corroborate.cluster.scoring import article_profile, pair_probability, weigh
from corroborate.cluster.tfidf import DocumentFrequencies
from corroborate.model import Article, ProvenanceKind
from corroborate.pipeline.base import CorpusStep, RunContext
from corroborate.store.sqlite import Store, StoryState

COPY_KINDS = frozenset({ProvenanceKind.VERBATIM, ProvenanceKind.SYNDICATED,
                        ProvenanceKind.PARAPHRASE})

# Maintenance in the clustering step. As the issue asks, thresholds are chosen on ECB+
# dev (bench/story_maintenance.py --sweep split: 5 shuffled streams in batches of 40 fed
# to this step on a real store) and checked on ECB+ train, the demo corpus and the
# seeds; the sweeps are in that script's MEASURED.
# - Splits are judged on the clusterer's own model: two articles are one event with
#   the probability `scoring` gives an article joining a story. A story is split when
#   its best cut has at most SPLIT_MAX_BETWEEN mean probability across it and each
#   part holds together better by SPLIT_MIN_GAP. Dev: F1 0.889 -> 0.940 (2.2 splits per
#   stream), on a plateau of 0.937-0.945 for across <= 0.25-0.35 and gap >= 0.20-0.40;
#   of that plateau, this setting costs train least (0.919 -> 0.923; its best, 0.926,
#   splits less: across <= 0.15). Looser settings split events whose articles the model
#   pairs weakly (across <= 0.55, gap >= 0.20 cut a demo event in two).
# - Merges use maintenance's own story similarity (`maintenance.MERGE_THRESHOLD`): the
#   clusterer's story-to-story probability rates two events of one topic 0.99 and above.
SPLIT_MAX_BETWEEN = 0.25
SPLIT_MIN_GAP = 0.40

PolicyFactory = Callable[[OnlineClusterer], MaintenancePolicy]

__all__ = ["ClusterStep", "clusterer_policy", "family_story", "publication_order"]


def clusterer_policy(clusterer: OnlineClusterer, **overrides: Any) -> MaintenancePolicy:
    """Maintenance judged by `clusterer`'s scoring model and statistics (see above);
    `overrides` replace MaintenancePolicy fields (`split_overrides`: SplitPolicy's)."""
    split_overrides = overrides.pop("split_overrides", {})
    split = SplitPolicy(max_between=SPLIT_MAX_BETWEEN, min_gap=SPLIT_MIN_GAP,
                        similarity=_pairwise_probability(clusterer.frequencies))
    return replace(MaintenancePolicy(split=replace(split, **split_overrides)), **overrides)


class ClusterStep(CorpusStep):
    """`maintenance` makes the policy from the batch's clusterer; None leaves the
    stories as the clusterer made them."""

    name = "cluster"
    needs = frozenset({"embedding", "entities", "stored", "provenance"})
    provides = frozenset({"story"})

    def __init__(self, maintenance: PolicyFactory | None = clusterer_policy) -> None:
        self.maintenance = maintenance

    def process_all(self, articles: list[Article], ctx: RunContext) -> list[Article]:
        store: Store = ctx.store
        placed = [a for a in sorted(articles, key=publication_order) if a.is_english]
        clusterer = load_clusterer(store, active_since=active_horizon(store, placed))
        if len(placed) < len(articles):
            # Stored and reported, but not placed in a story: the story analysis (facts,
            # claims, quotes) reads English only for now.
            ctx.count("cluster.skipped-language", len(articles) - len(placed))
        assignments: dict[str, str] = {}
        features = prepare(placed, body=clusterer.body_vectors)
        for article, article_features in zip(placed, features, strict=True):
            family = family_story(article, assignments, store)
            result = clusterer.assign(article, family_story=family, features=article_features)
            assignments[article.id] = result.story_id
            ctx.count("cluster.new-story" if result.new_story else "cluster.joined")
        touched = set(assignments.values())
        save_clusterer(store, clusterer, touched)
        store.assign_story(assignments)
        store.mark_stories_unanalysed(touched)
        if self.maintenance is not None and touched:
            maintenance = StoryMaintenance(store, clusterer.states, self.maintenance(clusterer),
                                           build_state=_rebuild_with(clusterer))
            for event in maintenance.run(touched):
                ctx.count(f"cluster.{event.kind}")
        now = store.story_ids_of([a.id for a in placed])
        for article in placed:
            article.story = now.get(article.id)
        return articles


def family_story(article: Article, assigned: Mapping[str, str], store: Store, *,
                 stored: bool = True) -> str | None:
    """The story of an article this one copies or is copied by, if already placed:
    in `assigned`, else (with `stored`) in the store."""
    for edge in store.edges_touching([article.id]):
        if edge.kind not in COPY_KINDS:
            continue
        other = edge.source if edge.target == article.id else edge.target
        if other in assigned:
            return assigned[other]
        if stored:
            found = store.story_ids_of([other]).get(other)
            if found:
                return found
    return None


def _rebuild_with(clusterer: OnlineClusterer) -> Callable[[str, Sequence[Article]], StoryState]:
    """Rebuild a story's state as `clusterer` builds it, with its statistics of the
    moment (read only: rebuilding counts nothing twice), features in one batch."""
    def build(story_id: str, articles: Sequence[Article]) -> StoryState:
        state = StoryState(id=story_id, n_articles=0, centroid_sum=None)
        for article, features in zip(articles, prepare(articles, body=clusterer.body_vectors),
                                     strict=True):
            add_to_state(state, article, features, clusterer.frequencies)
        return state

    return build


def _pairwise_probability(frequencies: DocumentFrequencies) -> Callable[[Sequence[Article]],
                                                                          Matrix]:
    """Article-by-article join probability under the clusterer's model, on words,
    names, figures and lead vectors (no body vectors: re-embedding a story's bodies at
    every batch would cost more than the rest of maintenance), dates left out (two
    halves of a long story are days apart, not two events)."""
    def similarity(articles: Sequence[Article]) -> Matrix:
        sides = [weigh(replace(article_profile(f), first=None, last=None), frequencies)
                 for f in prepare(articles, body=False)]
        n = len(sides)
        matrix = np.eye(n)
        for i in range(n):
            for j in range(i + 1, n):
                matrix[i, j] = matrix[j, i] = pair_probability(sides[i], sides[j])
        return matrix

    return similarity
