"""TF-IDF for a stream: document frequencies that grow with the articles seen.

In a stream, statistics may only use articles already seen: an article is scored with
the frequencies of the articles before it, then counted (`DocumentFrequencies.add`).
The frequencies are persisted in the store (`Store.add_document_frequencies`), so a
second run continues them; `pending` holds what this run added and has not saved yet.
The same table counts entity keys ("place:tolvane") and figures ("num:7.1"), so a rare
name weighs more than a common one ("place:united states").

A stream starts with nothing seen, and the first articles' IDF would be noise. Each
term's count is therefore smoothed with a language prior: PRIOR_DOCUMENTS imagined
articles in which the term occurs as often as wordfreq's English frequencies say
(an article of PRIOR_ARTICLE_WORDS words contains a word of frequency f with
probability 1 - exp(-f x words)). The prior is fixed knowledge of English, not of the
corpus: it uses no article that has not been seen. As articles are counted, the
corpus's own statistics take over.

Story profiles keep sums of sublinear term frequencies without IDF (`StoryState.terms`)
and apply the IDF of the moment when they are scored: the first articles of a story
were counted when little had been seen, and their terms are weighted like the rest.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

# The prior's weight, in imagined articles, and their length. Chosen on ECB+ train
# streams (bench/train_cluster_scorer.py --prior N, join probability 0.30, mean of 5
# shuffled orders): 0.904 with no prior, 0.906 at 300 and 1000, 0.907 at 3000; on dev
# 0.893, 0.908, 0.908, 0.916. The prior matters (it is worth 0.015 on dev, whose 197
# documents give a stream little to count), its size within 300-3000 does not.
PRIOR_DOCUMENTS = 1000
PRIOR_ARTICLE_WORDS = 500
# Keys that are not words (figures, days, years) have no English frequency: their
# prior share is 0, as rare as a new name.
NON_WORD_PREFIXES = ("num:", "date:", "year:")


class DocumentFrequencies:
    """How many of the `n_docs` articles seen so far contain each term."""

    def __init__(self, n_docs: int = 0, df: Mapping[str, int] | None = None,
                 prior_documents: int | None = None) -> None:
        self.n_docs = n_docs
        self.df: dict[str, int] = dict(df or {})
        self.prior_documents = PRIOR_DOCUMENTS if prior_documents is None else prior_documents
        self.pending_docs = 0
        self.pending: Counter[str] = Counter()
        # ln(1 + df + n0 x prior share) per term, the part of its IDF that changes only
        # when the term is counted: `weighted` is scoring's hot loop, and the prior's
        # lookup and the logarithm cost more than the rest of it.
        self._log_counts: dict[str, float] = {}

    def idf(self, term: str) -> float:
        """Smoothed IDF, ln((1 + n + n0) / (1 + df + n0 x prior share)) + 1, with n0 the
        prior's imagined articles: near 1 for a word in every article, high for a name
        never seen."""
        n0 = self.prior_documents
        expected = n0 * prior_share(term) if n0 else 0.0
        return math.log((1 + self.n_docs + n0) / (1 + self.df.get(term, 0) + expected)) + 1.0

    def weighted(self, weights: Mapping[str, float]) -> dict[str, float]:
        """`weights` times their IDF (`idf`, with the per-term part cached)."""
        top = math.log(1 + self.n_docs + self.prior_documents) + 1.0
        cached = self._log_counts
        out = {}
        for term, weight in weights.items():
            log_count = cached.get(term)
            if log_count is None:
                log_count = cached[term] = self._log_count(term)
            out[term] = weight * (top - log_count)
        return out

    def _log_count(self, term: str) -> float:
        n0 = self.prior_documents
        expected = n0 * prior_share(term) if n0 else 0.0
        return math.log(1 + self.df.get(term, 0) + expected)

    def add(self, keys: Iterable[str]) -> None:
        """Count one more article containing each of `keys` (distinct)."""
        self.n_docs += 1
        self.pending_docs += 1
        for key in keys:
            self.df[key] = self.df.get(key, 0) + 1
            self.pending[key] += 1
            self._log_counts.pop(key, None)

    def prune(self, max_terms: int) -> int:
        """Past `max_terms` terms held, forget those counted in one article only: a
        stream's vocabulary grows without end (every event brings new names), and a term
        seen once weighs about as much as one never seen. The counts to be saved
        (`pending`) keep them. Returns the number forgotten."""
        if len(self.df) <= max_terms:
            return 0
        once = [term for term, n in self.df.items() if n == 1]
        for term in once:
            del self.df[term]
            self._log_counts.pop(term, None)
        return len(once)

    def take_pending(self) -> tuple[int, dict[str, int]]:
        """What was added since the last call (to persist it), and forget it."""
        docs, pending = self.pending_docs, dict(self.pending)
        self.pending_docs, self.pending = 0, Counter()
        return docs, pending


@lru_cache(maxsize=1 << 18)
def prior_share(term: str) -> float:
    """The share of English news articles expected to contain `term` (an entity key is
    looked up by its name: "place:tolvane" as "tolvane")."""
    if term.startswith(NON_WORD_PREFIXES):
        return 0.0
    from wordfreq import word_frequency  # imported here: a second's load, once

    word = term.split(":", 1)[-1]
    return 1.0 - math.exp(-PRIOR_ARTICLE_WORDS * word_frequency(word, "en"))


def add_terms(profile: dict[str, float], terms: Mapping[str, float], keep: int,
              frequencies: DocumentFrequencies) -> None:
    """Add an article's term weights to a story profile, in place. Past 2 x `keep`
    terms the profile is cut to its `keep` heaviest by weight x IDF, so a story's
    memory stays bounded however long it runs (cutting only then keeps the sorting
    rare)."""
    for term, weight in terms.items():
        profile[term] = profile.get(term, 0.0) + weight
    if len(profile) > 2 * keep:
        ranked = sorted(profile.items(),
                        key=lambda item: (-item[1] * frequencies.idf(item[0]), item[0]))
        profile.clear()
        profile.update(ranked[:keep])
