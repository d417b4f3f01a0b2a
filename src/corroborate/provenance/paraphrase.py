"""Paraphrase and spin: copies rewritten word by word, which shingles no longer see.

A machine-spun copy swaps words for odd synonyms ("water" -> "liquid"), garbles names
and reorders paragraphs; few word 5-grams survive, but each sentence still means what
its source sentence meant and keeps its skeleton (most of its words, in their order).
So sentences are paired by meaning, with the offline MiniLM sentence vectors, and a
pair counts only when the two sentences also keep one skeleton. Two articles are a
paraphrase copy when most sentences of the shorter one pair off one to one.

Independent reports of one event share a few sentences of the same meaning (a quote, a
casualty figure, an official statement), never most of them, and they tell the rest
in their own words and order: on the five seed reports of one event at most 7% of the
shorter article's sentences pair off, on the demo's spun copies 60-87% (see the
constants).

Embedding every sentence of a corpus would double the cost of the pipeline, so only
candidate pairs are compared: articles whose title-and-lead vectors are close, that
share rare names, or that the MinHash stage proposed but found too reworded to be a
copy. A cheap word-overlap test drops candidates that cannot be rewrites of each other
before anything is embedded; each remaining article's sentences are embedded once per
call, in large batches.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

import numpy as np
from wordfreq import zipf_frequency

from corroborate.enrich.embed import embed_texts
from corroborate.model import Article
from corroborate.provenance.families import UnionFind
from corroborate.provenance.passages import SentencePair, Unit, sentence_units

if TYPE_CHECKING:
    from numpy.typing import NDArray

# Two sentences pair off when their MiniLM cosine reaches this. On the demo corpus, a
# spun sentence and its source score 0.7-0.95; a sentence restating the same fact in
# another outlet's words mostly 0.5-0.7, a shared quote 0.9 and more.
SENTENCE_SIMILARITY = 0.7
# ... and when they keep one skeleton: difflib's ratio of their word sequences reaches
# this. A spinner swaps words in place (demo spun pairs: median 0.58-0.71, generated
# spins 0.87-0.95); two outlets telling one fact word their sentences apart (seed
# pairs: median 0.18-0.39, same-event ECB+ reports 0.34-0.40).
MIN_SKELETON_RATIO = 0.5
# A spinner keeps each sentence's length; two sentences of very different length that
# happen to score high are a summary and a detail, not a rewrite.
MAX_LENGTH_RATIO = 2.0
# A pair of articles is a paraphrase copy when this share of the shorter article's
# sentences pair off (one to one), and at least MIN_ALIGNED sentences. Demo spun copies
# reach 0.60-0.87; the seed reports of one event at most 0.07, same-event ECB+ reports
# up to 0.27 (bench/provenance.py, seed 1).
PARAPHRASE_SHARE = 0.5
MIN_ALIGNED = 4
# Two sentences are compared by meaning only when they share this much of their words
# (Jaccard of word sets). It follows from MIN_SKELETON_RATIO: difflib's ratio 2M/T >= 0.5
# needs M >= T/4 words matched in order, so a Jaccard of about a third; 0.25 leaves
# room for repeated words. An article pair with too few such sentence pairs to reach
# PARAPHRASE_SHARE is dropped before anything is embedded.
MIN_WORD_JACCARD = 0.25
# Candidates by article vector (title and lead): the demo's spun copies score 0.77-0.95
# with their sources, independent reports of one event 0.6-0.85, so the vector only
# proposes and the sentence alignment decides. Each article keeps its nearest few.
CANDIDATE_COSINE = 0.6
MAX_NEIGHBOURS = 8
# Candidates by names: a spun copy garbles some names but keeps most, and place or
# person names rare in general English are what two rewrites of one text share. Rare
# means a Zipf frequency below this (wordfreq: "Kursk" 2.4, "Putin" 4.1, "Trump" 4.9).
RARE_NAME_ZIPF = 3.5
MIN_SHARED_RARE_NAMES = 2
# A name carried by more articles than this is the topic of the batch, not a clue.
MAX_NAME_ARTICLES = 50
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"})
# Rows of article vectors compared per block, to keep the cosine matrix small.
BLOCK_ROWS = 1024
# Candidate pairs whose articles' sentences are embedded in one batch; vectors are
# dropped once no later pair needs them (a window holds at most twice this many
# articles, about 30 MB of vectors).
PAIRS_PER_WINDOW = 256

_NAME_TOKEN = re.compile(r"[^\W\d_]{3,}")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class ParaphraseMatch:
    """`second` rewrites `first` (or the reverse; direction is decided later): `pairs`
    index `first`'s sentence units as source and `second`'s as target."""

    first: Article
    second: Article
    pairs: list[SentencePair]
    share: float  # aligned sentences / the shorter article's sentences


@dataclass(slots=True)
class _Sentences:
    """An article's matchable sentences (row k is unit `indices[k]`): texts, words,
    word sets, and the MiniLM vectors of the rows embedded so far."""

    units: list[Unit]
    indices: list[int]
    texts: list[str]
    words: list[list[str]]
    word_sets: list[frozenset[str]]
    vectors: dict[int, NDArray[np.float32]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Candidate:
    one: str
    two: str
    rows: list[tuple[int, int]]  # sentence rows that may pair: (row in one, row in two)


def find_paraphrases(
    articles: Sequence[Article], families: UnionFind, *,
    proposed: Iterable[tuple[str, str]] = (), focus: Collection[str] | None = None,
) -> list[ParaphraseMatch]:
    """Paraphrase copies among `articles` that are not yet in one family.

    `families` holds the copies found so far and is updated with each match, so a spun
    copy is linked to one member of its source's family, not to all of them.
    `proposed` adds candidate pairs (ids) found elsewhere; with `focus`, only pairs
    that involve one of those ids are compared.
    """
    by_id = {a.id: a for a in articles}
    prepared: dict[str, _Sentences] = {}

    def sentences(article_id: str) -> _Sentences:
        if article_id not in prepared:
            prepared[article_id] = _prepare(by_id[article_id])
        return prepared[article_id]

    candidates: list[_Candidate] = []
    for one, two in candidate_pairs(articles, proposed=proposed, focus=focus):
        if families.find(one) != families.find(two):
            rows = _word_pairs(sentences(one), sentences(two))
            if rows is not None:
                candidates.append(_Candidate(one, two, rows))
    last_use = {i: k for k, c in enumerate(candidates) for i in (c.one, c.two)}
    matches: list[ParaphraseMatch] = []
    for start in range(0, len(candidates), PAIRS_PER_WINDOW):
        window = [c for c in candidates[start:start + PAIRS_PER_WINDOW]
                  if families.find(c.one) != families.find(c.two)]
        _embed([(prepared[c.one], row) for c in window for row, _ in c.rows]
               + [(prepared[c.two], row) for c in window for _, row in c.rows])
        for candidate in window:
            if families.find(candidate.one) == families.find(candidate.two):
                continue  # joined by a match found earlier in this window
            match = _compare(by_id, prepared, candidate)
            if match is not None:
                matches.append(match)
                families.union(candidate.one, candidate.two)
        # Drop vectors no later pair needs, so memory stays bounded.
        done = start + PAIRS_PER_WINDOW
        for article_id, ready in prepared.items():
            if last_use.get(article_id, -1) < done:
                ready.vectors.clear()
    return matches


def candidate_pairs(
    articles: Sequence[Article], *, proposed: Iterable[tuple[str, str]] = (),
    focus: Collection[str] | None = None,
) -> list[tuple[str, str]]:
    """Id pairs worth a sentence alignment, most promising first (by article cosine)."""
    known = {a.id for a in articles}
    scores: dict[tuple[str, str], float] = {}
    for pair, score in _vector_neighbours(articles, focus).items():
        scores[pair] = score
    for pair in [*_shared_rare_names(articles), *proposed]:
        one, two = sorted(pair)
        if one != two and one in known and two in known:
            scores.setdefault((one, two), 0.0)
    if focus is not None:
        scores = {p: s for p, s in scores.items() if p[0] in focus or p[1] in focus}
    return sorted(scores, key=lambda p: (-scores[p], p))


def _vector_neighbours(
    articles: Sequence[Article], focus: Collection[str] | None,
) -> dict[tuple[str, str], float]:
    """Pairs whose article vectors reach CANDIDATE_COSINE; each row keeps its
    MAX_NEIGHBOURS nearest. Rows are blocks of the focus articles (or all)."""
    embedded = [a for a in articles if a.embedding]
    if len(embedded) < 2:
        return {}
    ids = [a.id for a in embedded]
    matrix = np.asarray([a.embedding for a in embedded], dtype=np.float32)
    rows = [i for i, a in enumerate(embedded) if focus is None or a.id in focus]
    found: dict[tuple[str, str], float] = {}
    for block_start in range(0, len(rows), BLOCK_ROWS):
        block = rows[block_start:block_start + BLOCK_ROWS]
        scores = matrix[block] @ matrix.T
        for row, own in zip(scores, block, strict=True):
            row[own] = -1.0
            nearest = np.argsort(-row)[:MAX_NEIGHBOURS]
            for other in nearest:
                score = float(row[other])
                if score < CANDIDATE_COSINE:
                    break
                pair = (min(ids[own], ids[other]), max(ids[own], ids[other]))
                found[pair] = max(score, found.get(pair, score))
    return found


def _shared_rare_names(articles: Sequence[Article]) -> list[tuple[str, str]]:
    holders: dict[str, set[str]] = defaultdict(set)
    for article in articles:
        for token in rare_name_tokens(article):
            holders[token].add(article.id)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for ids in holders.values():
        if len(ids) > MAX_NAME_ARTICLES:
            continue
        ordered = sorted(ids)
        for i, one in enumerate(ordered):
            for two in ordered[i + 1:]:
                shared[(one, two)] += 1
    return [pair for pair, count in shared.items() if count >= MIN_SHARED_RARE_NAMES]


def rare_name_tokens(article: Article) -> set[str]:
    """Lowercased words of the article's named entities that are rare in English."""
    tokens: set[str] = set()
    for mention in article.entities:
        if mention.label in NAME_LABELS:
            for token in _NAME_TOKEN.findall(mention.text):
                word = token.casefold()
                if zipf_frequency(word, "en") < RARE_NAME_ZIPF:
                    tokens.add(word)
    return tokens


def _prepare(article: Article) -> _Sentences:
    units = sentence_units(article)
    indices = [i for i, unit in enumerate(units) if unit.matchable]
    texts = [article.text[units[i].start:units[i].end] for i in indices]
    words = [_WORD.findall(text.casefold()) for text in texts]
    return _Sentences(units, indices, texts, words, [frozenset(w) for w in words])


def _word_pairs(one: _Sentences, two: _Sentences) -> list[tuple[int, int]] | None:
    """Sentence pairs (rows) that share MIN_WORD_JACCARD of their words and could keep
    one skeleton, or None when too few sentences could pair for a paraphrase copy."""
    shorter = min(len(one.indices), len(two.indices))
    needed = max(MIN_ALIGNED, PARAPHRASE_SHARE * shorter)
    if shorter < MIN_ALIGNED:
        return None
    postings: dict[str, list[int]] = defaultdict(list)
    for row, words in enumerate(two.word_sets):
        for word in words:
            postings[word].append(row)
    pairs: list[tuple[int, int]] = []
    for row, words in enumerate(one.word_sets):
        shared = Counter(other for word in words for other in postings.get(word, ()))
        for other, count in shared.items():
            if (count >= MIN_WORD_JACCARD * len(words | two.word_sets[other])
                    and _similar_length(one.words[row], two.words[other])):
                pairs.append((row, other))
    if min(len({r for r, _ in pairs}), len({r for _, r in pairs})) < needed:
        return None
    return pairs


def _embed(wanted: Iterable[tuple[_Sentences, int]]) -> None:
    """Embed the wanted sentence rows not embedded yet, in one batch (MiniLM is several
    times faster on one large batch than on many small ones)."""
    todo = list(dict.fromkeys((id(s), row) for s, row in wanted if row not in s.vectors))
    owners = {id(s): s for s, _ in wanted} if todo else {}
    if not todo:
        return
    vectors = embed_texts([owners[key].texts[row] for key, row in todo])
    for (key, row), vector in zip(todo, vectors, strict=True):
        owners[key].vectors[row] = vector


def _compare(
    by_id: Mapping[str, Article], prepared: Mapping[str, _Sentences], candidate: _Candidate,
) -> ParaphraseMatch | None:
    """A match when enough sentences pair off one to one: greedy by cosine, best first,
    among the candidate rows, keeping only pairs with one skeleton."""
    one, two = prepared[candidate.one], prepared[candidate.two]
    scored = sorted(((float(one.vectors[a] @ two.vectors[b]), a, b) for a, b in candidate.rows),
                    reverse=True)
    used_one: set[int] = set()
    used_two: set[int] = set()
    pairs: list[SentencePair] = []
    for score, a, b in scored:
        if score < SENTENCE_SIMILARITY:
            break
        if a in used_one or b in used_two or not _same_skeleton(one.words[a], two.words[b]):
            continue
        used_one.add(a)
        used_two.add(b)
        pairs.append(SentencePair(one.indices[a], two.indices[b], round(min(1.0, score), 3)))
    shorter = min(len(one.indices), len(two.indices))
    if len(pairs) < MIN_ALIGNED or len(pairs) < PARAPHRASE_SHARE * shorter:
        return None
    first, second = by_id[candidate.one], by_id[candidate.two]
    if first.id > second.id:  # pairs are indexed (first, second) in id order
        first, second = second, first
        pairs = [SentencePair(p.target, p.source, p.similarity) for p in pairs]
    return ParaphraseMatch(first, second, sorted(pairs, key=lambda p: p.target),
                           round(len(pairs) / shorter, 3))


def _similar_length(one: list[str], two: list[str]) -> bool:
    return max(len(one), len(two)) <= MAX_LENGTH_RATIO * min(len(one), len(two))


def _same_skeleton(one: list[str], two: list[str]) -> bool:
    return SequenceMatcher(None, one, two, autojunk=False).ratio() >= MIN_SKELETON_RATIO
