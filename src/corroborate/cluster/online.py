"""Online story clustering: each article joins its most likely story or opens one.

For each article, in the order given (the clustering step sorts by publication date,
undated last, so the first report of an event founds its story):

1. the stream's clock moves to the article's date, and the stories gone cold (no
   article for STORY_COLD_DAYS before it) leave the candidate index: they are never
   joined again;
2. an article of a source family already placed (a copy of a placed article) joins
   that story whatever its score;
3. else the CANDIDATES active stories closest by dense cosine (`CentroidIndex`) are
   scored (`scoring`: dense, TF-IDF and lead cosines, names by type, figures, days
   and years, time gap), and the best is joined if its join probability reaches the
   threshold (`scoring.JOIN_PROBABILITY`); otherwise the article opens a new story;
4. only then are the article's terms, names and figures counted into the document
   frequencies: an article is scored with the statistics of the articles before it.

Story ids are derived from the founding article's content hash, so analysing the same
input into an empty store always gives the same ids. `load_clusterer` and
`save_clusterer` carry the stories and the document frequencies across runs.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from corroborate.cluster.features import ArticleFeatures, parse_date, prepare, unit
from corroborate.cluster.index import CentroidIndex
from corroborate.cluster.scoring import (
    JOIN_PROBABILITY,
    Side,
    article_profile,
    pair_probability,
    story_profile,
    weigh,
)
from corroborate.cluster.tfidf import DocumentFrequencies, add_terms
from corroborate.model import Article
from corroborate.store.sqlite import Store, StoryState

# Stories scored per article: the closest by dense cosine. On ECB+ train streams (5
# shuffled orders) the open gold story is the closest for 94.3% of the articles, among
# the closest 4 for 99.92%, 8 for 99.96%, 16 for all (bench/train_cluster_scorer.py
# --recall); more candidates cost time, not F1. Extra candidates sharing a rare name
# were tried and dropped: with this recall they changed nothing but the memory.
CANDIDATES = 8
STORY_COLD_DAYS = 7
# A story's weighted side is cached and weighed again with fresh IDF once the articles
# counted have grown by this share (an IDF then moves by at most ln 1.05 = 0.05).
IDF_REFRESH = 0.05
# Per story: the heaviest terms and lead terms and the most salient names and figures
# kept (each cut back to this past twice as many): memory stays bounded however long a
# story runs. On ECB+ the cuts cost no F1 (bench/train_cluster_scorer.py --no-cut, join
# probability 0.30: train mean of 5 shuffled orders 0.906 with or without them).
# Terms, names and figures a clusterer holds counts for before it forgets those seen in
# one article only (`DocumentFrequencies.prune`, once per stream day): about 30 MB of
# counts. The 100k-article stream of bench/clustering_stream.py holds 86k.
MAX_TERMS = 250_000
STORY_TERMS = 150
STORY_LEAD_TERMS = 50
STORY_KEYS = 60

# The coarse score of the first clustering version (lead vector and entity names) and
# its threshold, for callers that have no `ArticleFeatures` at hand (the provenance
# step's story shortlist). Tuned then on ECB+ train, shuffled: BCubed F1 0.879 at 0.45.
# The clusterer itself decides on the join probability (`best_story`).
JOIN_THRESHOLD = 0.45
ENTITY_WEIGHT = 0.35
VECTOR_WEIGHT = 1.0 - ENTITY_WEIGHT
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})


def entity_keys(article: Article) -> set[str]:
    """Normalised keys of the article's named entities (a person by surname), without
    group: what the coarse `OnlineClusterer.score` compares."""
    keys: set[str] = set()
    for mention in article.entities:
        if mention.label not in ENTITY_LABELS:
            continue
        words = [w for w in mention.text.lower().replace("’", "'").split() if w.isalpha()]
        if not words:
            continue
        keys.add(words[-1] if mention.label == "PERSON" else " ".join(words))
    return keys


def story_id_for(article: Article) -> str:
    digest = hashlib.blake2b(article.content_hash.encode(), digest_size=5).hexdigest()
    return f"s-{digest}"


@dataclass(slots=True)
class Assignment:
    article_id: str
    story_id: str
    score: float
    new_story: bool


class OnlineClusterer:
    """Places articles into stories one at a time; `states` holds every story seen
    (with `forget_cold`, the cold ones are dropped from it: for streams whose states
    are saved elsewhere before they cool, so memory follows the active stories)."""

    def __init__(self, states: Iterable[StoryState], threshold: float = JOIN_PROBABILITY,
                 *, frequencies: DocumentFrequencies | None = None,
                 candidates: int = CANDIDATES, body_vectors: bool = True,
                 forget_cold: bool = False,
                 id_taken: Callable[[str], bool] | None = None,
                 max_terms: int = MAX_TERMS) -> None:
        self.states: dict[str, StoryState] = {s.id: s for s in states}
        # Ids in use outside `states` (a store's cold stories, which are not loaded).
        self.id_taken = id_taken
        self.max_terms = max_terms
        self.threshold = threshold
        self.frequencies = frequencies if frequencies is not None else DocumentFrequencies()
        self.candidates = candidates
        self.body_vectors = body_vectors
        self.forget_cold = forget_cold
        self._index: CentroidIndex | None = None
        self._clock: date | None = None
        self._cooling: list[tuple[str, str]] = []  # (last_seen, story id), a min-heap
        # Weighted story sides: story id -> (n_articles when weighed, side).
        self._sides: dict[str, tuple[int, Side]] = {}
        self._idf_stamp = self.frequencies.n_docs
        for state in self.states.values():
            self._activate(state)

    # -- placing articles ----------------------------------------------------------

    def assign(self, article: Article, family_story: str | None = None,
               features: ArticleFeatures | None = None) -> Assignment:
        """Place `article`. `features` may be given when computed in a batch
        (`features.prepare`); else they are computed here."""
        if features is None:
            features = prepare([article], body=self.body_vectors)[0]
        self._advance_clock(features.published)
        if family_story is not None and family_story in self.states:
            return self._join(family_story, article, features, 1.0)
        best_id, best = self.best_story(features)
        if best_id is not None and best >= self.threshold:
            return self._join(best_id, article, features, best)
        state = StoryState(id=self._unused_id(story_id_for(article)), n_articles=0,
                           centroid_sum=None)
        self.states[state.id] = state
        result = self._join(state.id, article, features, best)
        result.new_story = True
        return result

    def best_story(self, features: ArticleFeatures) -> tuple[str | None, float]:
        """The active story the article most likely belongs to, and that probability
        (None and 0.0 without a candidate). Changes nothing but caches."""
        article = weigh(article_profile(features), self.frequencies)
        best_id, best = None, 0.0
        for story_id in self.candidate_ids(features):
            state = self.states[story_id]
            if self._is_cold(state, features.published):
                continue
            p = pair_probability(article, self._story_side(state))
            if p > best or (p == best and best_id is not None and story_id < best_id):
                best_id, best = story_id, p
        return best_id, best

    def candidate_ids(self, features: ArticleFeatures) -> list[str]:
        """Active stories worth scoring, the closest centroid first."""
        if features.vector is None:
            # Nothing to search with (the embedder did not reach the article): score
            # every active story rather than none.
            return [s.id for s in self.states.values() if not self._is_cold(s, self._clock)]
        if self._index is None:
            return []
        return [story_id for story_id, _ in self._index.search(features.vector,
                                                                self.candidates)]

    # -- coarse score (first version) ----------------------------------------------

    @staticmethod
    def score(vector: np.ndarray | None, keys: set[str], state: StoryState) -> float:
        """The first version's score: lead vector cosine and entity agreement, against
        JOIN_THRESHOLD. For callers without `ArticleFeatures`; see `best_story`."""
        cosine = 0.0
        if vector is not None and state.centroid_sum is not None:
            centroid = unit(state.centroid_sum)
            if centroid is not None:
                cosine = float(vector @ centroid)
        return VECTOR_WEIGHT * cosine + ENTITY_WEIGHT * _entity_agreement(keys, state)

    # -- state ---------------------------------------------------------------------

    def _join(self, story_id: str, article: Article, features: ArticleFeatures,
              score: float) -> Assignment:
        state = self.states[story_id]
        add_to_state(state, article, features, self.frequencies)
        self.frequencies.add(features.keys())
        self._activate(state)
        return Assignment(article.id, story_id, score, new_story=False)

    def _story_side(self, state: StoryState) -> Side:
        """The story's weighted side, weighed again when the story has changed or the
        document frequencies have grown by IDF_REFRESH since."""
        if self.frequencies.n_docs > self._idf_stamp * (1 + IDF_REFRESH):
            self._idf_stamp = self.frequencies.n_docs
            self._sides.clear()
        cached = self._sides.get(state.id)
        if cached is not None and cached[0] == state.n_articles:
            return cached[1]
        side = weigh(story_profile(state), self.frequencies)
        self._sides[state.id] = (state.n_articles, side)
        return side

    def _activate(self, state: StoryState) -> None:
        """(Re)index a story that is not cold: its centroid and when it cools."""
        if self._is_cold(state, self._clock):
            return
        if state.centroid_sum is not None:
            if self._index is None:
                self._index = CentroidIndex(len(state.centroid_sum))
            self._index.upsert(state.id, state.centroid_sum)
        if state.last_seen:
            heapq.heappush(self._cooling, (state.last_seen[:10], state.id))

    def _advance_clock(self, published: date | None) -> None:
        """Move the stream's clock to `published` and retire the stories gone cold."""
        if published is None or (self._clock is not None and published <= self._clock):
            return
        self._clock = published
        self.frequencies.prune(self.max_terms)
        horizon = (published - timedelta(days=STORY_COLD_DAYS)).isoformat()
        while self._cooling and self._cooling[0][0] < horizon:
            last_seen, story_id = heapq.heappop(self._cooling)
            state = self.states.get(story_id)
            if state is None or (state.last_seen or "")[:10] != last_seen:
                continue  # an outdated entry: the story has had articles since
            self._retire(story_id)

    def _retire(self, story_id: str) -> None:
        if self._index is not None:
            self._index.remove(story_id)
        self._sides.pop(story_id, None)
        if self.forget_cold:
            del self.states[story_id]

    @staticmethod
    def _is_cold(state: StoryState, when: date | None) -> bool:
        last = parse_date(state.last_seen)
        if when is None or last is None:
            return False
        return (when - last).days > STORY_COLD_DAYS

    def _unused_id(self, story_id: str) -> str:
        candidate, n = story_id, 1
        while candidate in self.states or (self.id_taken is not None
                                           and self.id_taken(candidate)):
            n += 1
            candidate = f"{story_id}-{n}"
        return candidate


def add_to_state(state: StoryState, article: Article, features: ArticleFeatures,
                 frequencies: DocumentFrequencies) -> None:
    """Fold one article into a story's state (the cuts rank terms by `frequencies`)."""
    if features.vector is not None:
        state.centroid_sum = (features.vector.copy() if state.centroid_sum is None
                              else state.centroid_sum + features.vector)
    state.n_articles += 1
    add_terms(state.terms, features.terms, STORY_TERMS, frequencies)
    add_terms(state.lead_terms, features.lead_terms, STORY_LEAD_TERMS, frequencies)
    _accumulate(state.entity_bag, features.entities, STORY_KEYS)
    _accumulate(state.numbers, dict.fromkeys(features.numbers, 1.0), STORY_KEYS)
    if article.published:
        if state.first_seen is None or article.published < state.first_seen:
            state.first_seen = article.published
        if state.last_seen is None or article.published > state.last_seen:
            state.last_seen = article.published


def load_clusterer(store: Store, threshold: float = JOIN_PROBABILITY, *,
                   candidates: int = CANDIDATES, body_vectors: bool = True,
                   active_since: str | None = None) -> OnlineClusterer:
    """A clusterer that continues the store's stories and document frequencies: all
    stories, or with `active_since` (`active_horizon`) only those that can still be
    joined. The cold ones stay in the store, and their ids stay taken."""
    n_docs, df = store.document_frequencies()
    return OnlineClusterer(store.story_states(active_since), threshold,
                           frequencies=DocumentFrequencies(n_docs, df),
                           candidates=candidates, body_vectors=body_vectors,
                           id_taken=store.story_exists)


def active_horizon(store: Store, articles: Iterable[Article]) -> str | None:
    """The date from which stored stories can still take `articles`: STORY_COLD_DAYS
    before the oldest dated one (or, with none dated, before the store's newest story
    activity). None when nothing is dated: every story is then a candidate."""
    dates = [d for d in (parse_date(a.published) for a in articles) if d is not None]
    oldest = min(dates) if dates else parse_date(store.newest_story_activity())
    if oldest is None:
        return None
    return (oldest - timedelta(days=STORY_COLD_DAYS)).isoformat()


def save_clusterer(store: Store, clusterer: OnlineClusterer, story_ids: Iterable[str]) -> None:
    """Persist the given stories and the document frequencies counted since the last
    save (they are added to the stored counts)."""
    store.put_story_states(clusterer.states[s] for s in sorted(set(story_ids))
                           if s in clusterer.states)
    n_docs, df = clusterer.frequencies.take_pending()
    if n_docs:
        store.add_document_frequencies(n_docs, df)


def _accumulate(bag: dict[str, float], weights: Mapping[str, float], keep: int) -> None:
    """Add `weights` into `bag`; past 2 x `keep` keys, keep the `keep` heaviest."""
    for key, weight in weights.items():
        bag[key] = bag.get(key, 0.0) + weight
    if len(bag) > 2 * keep:
        kept = sorted(bag.items(), key=lambda item: (-item[1], item[0]))[:keep]
        bag.clear()
        bag.update(kept)


def _entity_agreement(keys: set[str], state: StoryState) -> float:
    """Weighted Jaccard between the article's names and the story's entity profile
    (group prefixes ignored: `keys` come from `entity_keys`)."""
    if not keys or state.n_articles == 0:
        return 0.0
    weights: dict[str, float] = {}
    for key, count in state.entity_bag.items():
        bare = key.split(":", 1)[-1]
        weights[bare] = min(1.0, max(weights.get(bare, 0.0), count / state.n_articles))
    shared = sum(weights.get(k, 0.0) for k in keys)
    union = len(keys) + sum(weights.values()) - shared
    return shared / union if union > 0 else 0.0
