"""Features of a (headline, body) pair for the article-level stance model.

Shared by `training/train_stance.py` (which builds them for all of FNC-1 train) and
`corroborate.analyse.stance_model` (which builds them for one claim against one
article), so the model always sees features made the same way.

Everything is offline and cheap: word weights come from `wordfreq` (a rare word
weighs more, the role IDF plays in TF-IDF, without shipping a vocabulary), sentence
vectors from the MiniLM model the rest of corroborate uses. One claim against one
article costs one MiniLM pass over the article's first `MAX_SENTENCES` sentences.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
from wordfreq import zipf_frequency

from corroborate.enrich.embed import embed_texts

if TYPE_CHECKING:
    from numpy.typing import NDArray

# FNC-1 bodies average ~20 sentences; the stance of a body is nearly always set in
# its first 40, and the cap bounds the cost of one prediction on a very long page.
MAX_SENTENCES = 40
# Sentences "most similar to the headline" whose cue words are counted separately.
TOP_SENTENCES = 3
# The lead: where news states its main claim.
LEAD_SENTENCES = 3
# Words around a headline word in which a negation counts as negating it.
NEGATION_WINDOW = 4
# Zipf frequency (log10 per billion words) above which a word is a function word
# rather than content: "the" is 7.7, "said" 6.2, "police" 5.4, "ceasefire" 3.4.
# Chosen by eye on FNC-1 headlines so that names and topic words stay content words.
CONTENT_ZIPF = 6.0
# Weight of a word never seen by wordfreq (names, typos): as rare as it gets.
MAX_WEIGHT = 8.0

# Cue lexicons. Refuting and denial words follow the vocabulary news uses to
# report a claim is false (the same cues the claims stage looks for); hedging
# words mark a body that discusses a claim without taking it on.
REFUTING = frozenset({
    "fake", "fraud", "hoax", "false", "falsely", "deny", "denies", "denied", "denial",
    "despite", "nope", "doubt", "doubts", "bogus", "debunk", "debunked", "debunks",
    "prank", "pranks", "retract", "retracted", "untrue", "baseless", "fabricated",
    "fabrication", "misleading", "myth", "satire", "satirical", "fiction", "fictional",
    "refute", "refuted", "refutes", "dismissed", "dismisses", "rejected", "rejects",
    "disputed", "disputes", "incorrect", "wrong", "nonsense", "lie", "lies", "lied",
    "scam", "spoof", "parody", "rumour", "rumor", "rumors", "rumours", "unfounded",
    "erroneous", "inaccurate", "photoshopped", "doctored", "fabricate", "contrary",
})
DENIAL = frozenset({
    "deny", "denies", "denied", "denial", "dismissed", "dismisses", "rejected", "rejects",
    "refute", "refuted", "refutes", "debunk", "debunked", "debunks", "disputed", "disputes",
    "retract", "retracted",
})
HEDGING = frozenset({
    "reportedly", "allegedly", "alleged", "alleges", "claim", "claims", "claimed", "according",
    "unconfirmed", "unverified", "may", "might", "could", "possibly", "possible", "apparently",
    "purportedly", "purported", "suggests", "suggested", "speculation", "speculated",
    "believed", "appears", "appeared", "seems", "likely", "unclear", "perhaps", "rumoured",
    "rumored", "supposedly", "report", "reports", "reported", "if", "whether", "uncertain",
})
REPORTING = frozenset({
    "said", "says", "told", "stated", "announced", "added", "explained", "wrote", "tweeted",
    "posted", "insisted", "confirmed", "revealed", "claimed",
})
CONFIRMING = frozenset({
    "confirmed", "confirms", "confirm", "official", "officially", "verified", "proved",
    "proven", "indeed", "true", "evidence", "revealed", "announced", "admitted", "admits",
})
NEGATION = frozenset({
    "not", "no", "never", "none", "nothing", "neither", "nor", "cannot", "without",
    "isn't", "wasn't", "aren't", "weren't", "don't", "doesn't", "didn't", "won't",
    "hasn't", "haven't", "hadn't", "couldn't", "shouldn't", "wouldn't", "can't",
})

FEATURE_NAMES: tuple[str, ...] = (
    "bow_cos_body", "bow_cos_lead", "bow_cos_best", "bow_cos_top3",
    "overlap_body", "overlap_lead", "overlap_best", "stem_overlap_body", "bigram_overlap",
    "emb_max", "emb_top3", "emb_lead", "emb_first", "emb_mean", "emb_share_close",
    "best_position",
    "refute_body", "refute_top", "denial_body", "denial_top", "hedge_body", "hedge_top",
    "report_body", "report_top", "confirm_body", "confirm_top", "negation_body",
    "negation_top", "negation_near", "question_body", "question_top",
    "refute_head", "hedge_head", "negation_head", "question_head",
    "numbers_head", "numbers_agree", "numbers_clash",
    "log_body_words", "n_sentences", "head_words", "head_content",
)

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(A-Z0-9])|\n+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@lru_cache(maxsize=200_000)
def word_weight(word: str) -> float:
    """How informative a word is: 8 minus its Zipf frequency, floored (IDF-like)."""
    return max(0.1, MAX_WEIGHT - zipf_frequency(word, "en"))


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def split_sentences(text: str) -> list[str]:
    """A cheap sentence split (no parser): enough to rank sentences by similarity."""
    parts = (s.strip() for s in _SENTENCE_END.split(text))
    return [s for s in parts if s][:MAX_SENTENCES]


def _is_content(word: str) -> bool:
    return word_weight(word) > MAX_WEIGHT - CONTENT_ZIPF


def _stem(word: str) -> str:
    # Five letters keep "ceasefire"/"ceasefires" and "deny"/"denied" apart from
    # little else; a lemmatiser would cost a parse of every body.
    return word[:5]


@dataclass(slots=True)
class TextView:
    """A text cut up the ways the features read it."""

    words: list[str]
    sentences: list[list[str]]
    sentence_text: list[str]
    vectors: NDArray[np.float32]
    question_marks: int

    @property
    def content(self) -> set[str]:
        return {w for w in self.words if _is_content(w)}


def view_text(text: str, vectors: NDArray[np.float32] | None = None) -> TextView:
    """The view of a body (its sentences embedded unless `vectors` are given)."""
    sentences = split_sentences(text) or [text[:500]]
    if vectors is None:
        vectors = embed_texts(sentences)
    return TextView(tokens(text), [tokens(s) for s in sentences], sentences, vectors,
                    text.count("?"))


def view_headline(text: str, vector: NDArray[np.float32] | None = None) -> TextView:
    if vector is None:
        vector = embed_texts([text])
    return TextView(tokens(text), [tokens(text)], [text], vector.reshape(1, -1),
                    text.count("?"))


def _weighted_bag(words: Iterable[str]) -> dict[str, float]:
    counts = Counter(words)
    return {w: c * word_weight(w) for w, c in counts.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _overlap(head: set[str], words: Iterable[str]) -> float:
    """Share of the headline's content weight that the words contain."""
    total = sum(word_weight(w) for w in head)
    if not total:
        return 0.0
    present = head & set(words)
    return sum(word_weight(w) for w in present) / total


def _rate(words: Sequence[str], lexicon: frozenset[str]) -> float:
    """Cue words per 100 words (a long body naturally has more of everything)."""
    if not words:
        return 0.0
    return 100.0 * sum(1 for w in words if w in lexicon) / len(words)


def _count(words: Sequence[str], lexicon: frozenset[str]) -> float:
    return float(sum(1 for w in words if w in lexicon))


def _negation_near(sentences: Iterable[Sequence[str]], head: set[str]) -> float:
    """Negations within a few words of a headline content word, in the given sentences."""
    found = 0
    for words in sentences:
        for i, word in enumerate(words):
            if word in NEGATION and head.intersection(
                    words[max(0, i - NEGATION_WINDOW): i + NEGATION_WINDOW + 1]):
                found += 1
    return float(found)


def _numbers(text_words: Iterable[str]) -> set[str]:
    return {w for w in text_words if _NUMBER.fullmatch(w)}


def _bigrams(words: Sequence[str]) -> set[tuple[str, str]]:
    return set(pairwise(words))


def pair_features(head: TextView, body: TextView) -> list[float]:
    """The feature vector of one pair, in `FEATURE_NAMES` order."""
    head_content = head.content
    head_bag = _weighted_bag(w for w in head.words if _is_content(w))
    sentence_cos = [_cosine(head_bag, _weighted_bag(s)) for s in body.sentences]
    sims = body.vectors @ head.vectors[0]
    order = np.argsort(-sims)
    top = [body.sentences[int(i)] for i in order[:TOP_SENTENCES]]
    top_words = [w for s in top for w in s]
    lead = [w for s in body.sentences[:LEAD_SENTENCES] for w in s]
    best = body.sentences[int(order[0])]
    mean_vector = body.vectors.mean(axis=0)
    mean_norm = float(np.linalg.norm(mean_vector)) or 1.0
    head_numbers = _numbers(head.words)
    body_numbers = _numbers(body.words)
    return [
        _cosine(head_bag, _weighted_bag(body.words)),
        _cosine(head_bag, _weighted_bag(lead)),
        max(sentence_cos),
        float(np.mean(sorted(sentence_cos, reverse=True)[:TOP_SENTENCES])),
        _overlap(head_content, body.words),
        _overlap(head_content, lead),
        _overlap(head_content, best),
        _overlap({_stem(w) for w in head_content}, (_stem(w) for w in body.words)),
        len(_bigrams(head.words) & _bigrams(body.words)) / max(1, len(head.words) - 1),
        float(sims[order[0]]),
        float(np.mean(sims[order[:TOP_SENTENCES]])),
        float(np.max(sims[:LEAD_SENTENCES])),
        float(sims[0]),
        float(mean_vector @ head.vectors[0]) / mean_norm,
        float(np.mean(sims > 0.5)),
        float(order[0]) / max(1, len(body.sentences) - 1),
        _rate(body.words, REFUTING), _count(top_words, REFUTING),
        _rate(body.words, DENIAL), _count(top_words, DENIAL),
        _rate(body.words, HEDGING), _count(top_words, HEDGING),
        _rate(body.words, REPORTING), _count(top_words, REPORTING),
        _rate(body.words, CONFIRMING), _count(top_words, CONFIRMING),
        _rate(body.words, NEGATION), _count(top_words, NEGATION),
        _negation_near(top, head_content),
        float(body.question_marks), float(sum(1 for s in order[:TOP_SENTENCES]
                                              if body.sentence_text[int(s)].endswith("?"))),
        _count(head.words, REFUTING), _count(head.words, HEDGING),
        _count(head.words, NEGATION), float(head.question_marks),
        float(len(head_numbers)), float(len(head_numbers & body_numbers)),
        float(len(head_numbers - body_numbers) if body_numbers else 0),
        math.log1p(len(body.words)), float(len(body.sentences)),
        float(len(head.words)), float(len(head_content)),
    ]
