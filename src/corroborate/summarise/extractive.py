"""A neutral extractive summary of a story: whole sentences of its articles, cited.

Each candidate sentence is scored by how central it is to the story (cosine to the
centroid of all candidates), how many independent families state it (the fact it
belongs to), and how near the top of its article it is. Sentences that are mostly
quotation, first or second person (the outlet or a speaker talking, or copy
addressed to the reader), questions, or copies of what an original article says
lose points. Maximal marginal relevance then picks sentences that add something new,
and the picks are put in reading order (where each sits in its own article).

Every summary sentence is the exact text of its first citation:
`article.text[start:end] == sentence.text`; the other citations are the sentences
of other articles that state the same fact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from corroborate.analyse.facts import FACT_THRESHOLD, MIN_FACT_WORDS, count_families
from corroborate.analyse.sentences import SentenceRow, SentenceTable
from corroborate.model import Citation, Fact, SummarySentence

if TYPE_CHECKING:
    from numpy.typing import NDArray

# Score weights. Centrality alone favours long generic sentences; support alone
# favours whatever was syndicated most; the lead weight encodes the inverted pyramid.
# Set by reading the seed story's summary (no reference summary exists for it): with
# these the six sentences cover its main events (the envoy's meeting and the truce
# proposal, each side's position, the contested request, the spokesman's message) and
# none of the page furniture; the disputed claim itself is not among them (a gap).
CENTRALITY_WEIGHT = 0.45
SUPPORT_WEIGHT = 0.35
LEAD_WEIGHT = 0.20
# Penalties, subtracted from the score.
QUOTED_PENALTY = 0.30  # times the share of the sentence inside quotation marks
PERSON_PENALTY = 0.25  # first or second person outside quotes
QUESTION_PENALTY = 0.25
DERIVATIVE_PENALTY = 0.20  # a copy's sentence when an original says the same
# A sentence opening on a connective or a pronoun leans on the one before it ("But
# ...", "He said ...") and reads as a non sequitur out of its article.
DANGLING_PENALTY = 0.10
DANGLING_OPENERS = frozenset({
    "but", "however", "and", "so", "yet", "also", "still", "meanwhile", "afterward",
    "afterwards", "instead", "then", "he", "she", "they", "it", "this", "that", "these",
    "those", "his", "her", "their", "its",
})
# Maximal marginal relevance: weight of the score against redundancy with the picks.
MMR_LAMBDA = 0.7
# Sentences longer than this are run-ons or glued paragraphs; they read badly alone.
MAX_SUMMARY_WORDS = 60
# Flags (set by cleaning and provenance) of articles whose sentences are copies.
DERIVATIVE_FLAGS = frozenset({"machine-translated", "republished"})

PERSON_WORDS = frozenset({"i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your",
                          "yours"})
_WORDS = re.compile(r"\w+")
_QUOTED = re.compile(r"[“\"«][^”\"»]*[”\"»]?")
_OPENER = re.compile(r"\W*(\w+)")
_CLOSINGS = (".", "!", "?", "”", "\"", "’", "'", ")")


@dataclass(frozen=True, slots=True)
class _Candidate:
    row: SentenceRow
    score: float
    fact: int | None  # index of the fact the sentence belongs to


def summarise(
    table: SentenceTable,
    facts: Sequence[Fact],
    families: Sequence[Sequence[str]],
    max_sentences: int = 6,
) -> list[SummarySentence]:
    """Up to `max_sentences` cited sentences summarising the story, in reading order."""
    fact_of = _fact_membership(table, facts)
    candidates = _candidates(table, facts, families, fact_of)
    if not candidates or max_sentences <= 0:
        return []
    chosen = _mmr(candidates, table, max_sentences)
    chosen.sort(key=lambda c: _reading_order(c, table))
    return [_summary_sentence(c, table, facts) for c in chosen]


def _fact_membership(table: SentenceTable, facts: Sequence[Fact]) -> dict[int, int]:
    """Row index -> index of the fact that cites it."""
    membership: dict[int, int] = {}
    for k, fact in enumerate(facts):
        for citation in fact.citations:
            row = table.row_at(citation)
            if row is not None:
                membership.setdefault(row.index, k)
    return membership


def _candidates(
    table: SentenceTable,
    facts: Sequence[Fact],
    families: Sequence[Sequence[str]],
    fact_of: dict[int, int],
) -> list[_Candidate]:
    rows = [r for r in table.rows if _eligible(r)]
    if not rows:
        return []
    centroid = table.centroid(r.index for r in rows)
    total_families = max(1, count_families([a.id for a in table.articles], families))
    originals = _original_rows(table)
    out: list[_Candidate] = []
    for row in rows:
        fact = fact_of.get(row.index)
        support = facts[fact].independent_support if fact is not None else 1
        score = (
            CENTRALITY_WEIGHT * float(table.vectors[row.index] @ centroid)
            + SUPPORT_WEIGHT * (support - 1) / max(1, total_families - 1)
            + LEAD_WEIGHT * (1.0 - table.relative_position(row))
            - _penalty(row, table, originals)
        )
        out.append(_Candidate(row, score, fact))
    return out


def _eligible(row: SentenceRow) -> bool:
    """Complete sentences of a readable length that are not quotations. A headline or a
    caption has no closing punctuation and is left to the title."""
    return (MIN_FACT_WORDS <= row.words <= MAX_SUMMARY_WORDS and not row.is_quote_fragment
            and row.text.rstrip().endswith(_CLOSINGS))


def _original_rows(table: SentenceTable) -> list[int]:
    return [r.index for r in table.rows
            if not DERIVATIVE_FLAGS & set(table.article(r.article).flags)]


def _penalty(row: SentenceRow, table: SentenceTable, originals: list[int]) -> float:
    penalty = QUOTED_PENALTY * row.quoted
    if _speaks_in_person(row.text):
        penalty += PERSON_PENALTY
    if row.text.rstrip("”\"’' ").endswith("?"):
        penalty += QUESTION_PENALTY
    if _is_derivative_copy(row, table, originals):
        penalty += DERIVATIVE_PENALTY
    opener = _OPENER.match(row.text)
    if opener and opener.group(1).lower() in DANGLING_OPENERS:
        penalty += DANGLING_PENALTY
    return penalty


def _speaks_in_person(text: str) -> bool:
    """First or second person outside quotation marks ("US", the country, is not "us")."""
    words = _WORDS.findall(_QUOTED.sub(" ", text))
    return any(w.lower() in PERSON_WORDS and w != "US" for w in words)


def _is_derivative_copy(row: SentenceRow, table: SentenceTable, originals: list[int]) -> bool:
    """A sentence of a flagged copy that an unflagged article says too."""
    if not DERIVATIVE_FLAGS & set(table.article(row.article).flags) or not originals:
        return False
    sims = table.vectors[originals] @ table.vectors[row.index]
    return bool(float(np.max(sims)) >= FACT_THRESHOLD)


def _mmr(candidates: list[_Candidate], table: SentenceTable, limit: int) -> list[_Candidate]:
    """Maximal marginal relevance; never two sentences of one fact."""
    vectors: NDArray[np.float32] = table.vectors[[c.row.index for c in candidates]]
    chosen: list[int] = []
    redundancy = np.full(len(candidates), -1.0, dtype=np.float32)
    for _ in range(min(limit, len(candidates))):
        best, best_value = -1, -np.inf
        for k, cand in enumerate(candidates):
            if k in chosen or _same_fact(cand, [candidates[j] for j in chosen]):
                continue
            value = MMR_LAMBDA * cand.score - (1 - MMR_LAMBDA) * max(0.0, float(redundancy[k]))
            if value > best_value:
                best, best_value = k, value
        if best < 0:
            break
        chosen.append(best)
        redundancy = np.maximum(redundancy, vectors @ vectors[best])
    return [candidates[k] for k in chosen]


def _same_fact(candidate: _Candidate, chosen: list[_Candidate]) -> bool:
    return candidate.fact is not None and any(c.fact == candidate.fact for c in chosen)


def _reading_order(candidate: _Candidate, table: SentenceTable) -> tuple[float, int, int]:
    """Where the sentence sits in its own article (relative): the coverage's own
    inverted-pyramid order, and sentences of one article keep their order, so that a
    sentence never comes before the one it follows ("Afterwards, ...")."""
    row = candidate.row
    return table.relative_position(row), row.article_rank, row.position


def _summary_sentence(
    candidate: _Candidate, table: SentenceTable, facts: Sequence[Fact]
) -> SummarySentence:
    row = candidate.row
    citations = [row.citation]
    if candidate.fact is not None:
        citations += [c for c in facts[candidate.fact].citations if c.article != row.article]
    return SummarySentence(text=row.text, citations=_unique(citations))


def _unique(citations: list[Citation]) -> list[Citation]:
    return list(dict.fromkeys(citations))
