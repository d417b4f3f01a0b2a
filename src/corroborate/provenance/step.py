"""The provenance step: copies and credits between the batch's new articles and the
store, persisted as edges; copy flags updated on both sides.

Incremental: the batch's new articles are signed and looked up in the persisted
MinHash/LSH index (`provenance.index`), and only the stored articles it proposes, plus
those of the stored story each new article most likely belongs to, are loaded and
compared with them. A run costs what its new articles cost, not what the store
holds. Candidates within the batch are `find_provenance`'s own business.

1. index the stored articles the index lacks (once, for a store older than the
   index; again only if a run stopped between storing and this step);
2. sign the new articles; find their stored candidates in the index and in their
   closest stories;
3. `find_provenance` on the new articles and those candidates; keep the edges that
   touch a new article; persist them and the flags that changed;
4. add the new articles to the index.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np

from corroborate.cluster.online import (
    JOIN_THRESHOLD,
    OnlineClusterer,
    active_horizon,
    entity_keys,
)
from corroborate.model import Article
from corroborate.pipeline.base import CorpusStep, RunContext
from corroborate.provenance import find_provenance
from corroborate.provenance.index import LshIndex, backfill, sign_articles
from corroborate.provenance.shingles import Signature
from corroborate.store.sqlite import Store, StoryState

# Stored candidates loaded per new article, the most similar first (most LSH bands
# shared). A wire story republished by hundreds of sites would otherwise make each
# new copy load all of them; the copy still joins that family through its closest
# members (families are connected components). The cap is far above the usual: an
# unrelated document has 3.4 candidates on average among 100k generated documents
# (bench/provenance_scale.py), most of them false ones the comparison drops.
MAX_STORED_CANDIDATES = 64
# A spun or paraphrased copy shares too few word 5-grams for the index; within one
# batch `find_provenance` pairs it with its original by vectors and names. Across runs
# the same chance comes from the story the new article most likely joins (the
# clustering's own score and threshold): its stored articles are compared too, up to
# MAX_STORY_ARTICLES of them (the first by id: the store keeps no better order). On
# the demo corpus analysed in two runs, the dam story's spun copy is found only so.
# Stories scored in full per article: those with the closest centroids.
STORY_SHORTLIST = 8
MAX_STORY_ARTICLES = 64


class ProvenanceStep(CorpusStep):
    name = "provenance"
    needs = frozenset({"text", "sentences", "entities", "stored"})
    provides = frozenset({"provenance", "flags"})

    def process_all(self, articles: list[Article], ctx: RunContext) -> list[Article]:
        if not articles:
            return articles
        store = ctx.store
        index = LshIndex(store)
        new_ids = {a.id for a in articles}
        ctx.count("provenance.reindexed", backfill(store, index, pending=new_ids))
        signatures = dict(zip([a.id for a in articles],
                              sign_articles([a.text for a in articles]), strict=True))
        by_index = stored_candidates(index, signatures, exclude=new_ids)
        by_story = story_candidates(store, articles, exclude=new_ids)
        stored = store.get_articles(sorted(set(by_index) | set(by_story)))
        ctx.count("provenance.index-candidates", len(by_index))
        ctx.count("provenance.story-candidates", len(by_story))
        ctx.count("provenance.candidates-loaded", len(stored))
        flags_before = {a.id: list(a.flags) for a in stored}
        result = find_provenance(articles + stored)
        edges = [e for e in result.edges if e.source in new_ids or e.target in new_ids]
        store.put_edges(edges)
        changed = {a.id: a.flags for a in articles}
        changed.update({a.id: a.flags for a in stored if a.flags != flags_before[a.id]})
        store.set_flags(changed)
        index.add_many(signatures.items())
        ctx.count("provenance.edges", len(edges))
        return articles


def stored_candidates(
    index: LshIndex, signatures: Mapping[str, Signature | None], exclude: Collection[str]
) -> list[str]:
    """Ids of the indexed articles proposed for any of `signatures`: for each, its
    MAX_STORED_CANDIDATES closest (ties by id, so runs are repeatable); sorted."""
    queries = {name: sig for name, sig in signatures.items() if sig is not None}
    wanted: set[str] = set()
    for hits in index.candidates_many(queries).values():
        ranked = sorted((-shared, article_id) for article_id, shared in hits.items()
                        if article_id not in exclude)
        wanted.update(article_id for _, article_id in ranked[:MAX_STORED_CANDIDATES])
    return sorted(wanted)


def story_candidates(store: Store, articles: Sequence[Article],
                     exclude: Collection[str]) -> list[str]:
    """Ids of the stored articles of the story each new article most likely joins
    (score >= JOIN_THRESHOLD), at most MAX_STORY_ARTICLES per story; sorted."""
    with_vectors = [(a, _unit(a.embedding)) for a in articles if a.embedding is not None]
    states = [s for s in store.story_states(active_horizon(store, articles))
              if s.centroid_sum is not None and s.n_articles]
    if not with_vectors or not states:
        return []
    centroids = np.stack([_unit(s.centroid_sum) for s in states])
    cosines = np.stack([vector for _, vector in with_vectors]) @ centroids.T
    wanted: set[str] = set()
    for (article, vector), row in zip(with_vectors, cosines, strict=True):
        story = _likely_story(vector, entity_keys(article), states, row)
        if story is not None:
            ids = [i for i in store.article_ids(story) if i not in exclude]
            wanted.update(ids[:MAX_STORY_ARTICLES])
    return sorted(wanted)


def _likely_story(vector: np.ndarray, keys: set[str], states: Sequence[StoryState],
                  cosines: np.ndarray) -> str | None:
    shortlist = np.argsort(-cosines)[:STORY_SHORTLIST]
    scored = [(OnlineClusterer.score(vector, keys, states[i]), states[i].id)
              for i in shortlist.tolist()]
    score, story = max(scored)
    return story if score >= JOIN_THRESHOLD else None


def _unit(vector: Sequence[float] | np.ndarray | None) -> np.ndarray:
    arr = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(arr))
    return arr / norm if norm > 0 else arr
