"""The story timeline: dated events, one entry per (date, proposition).

Each DATE mention that resolves to a date (`analyse.dates`) dates the clause it sits
in: the clause of the verb it modifies ("while the union on Thursday set out terms"),
or its sentence when that verb is the sentence's main verb. Clauses of different
articles with the same date that say the same thing (embedding similarity) are one
entry citing each of them. Entries are sorted by date; a coarser date ("2025-03")
sorts before the days of its period.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from corroborate.analyse.dates import ResolvedDate, parse_iso, resolve_date
from corroborate.analyse.facts import link_groups
from corroborate.analyse.sentences import SentenceTable
from corroborate.analyse.stance import char_span
from corroborate.enrich.embed import embed_texts
from corroborate.enrich.nlp import parse
from corroborate.model import Article, Citation, EntityMention, TimelineEntry

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from spacy.tokens import Token

# Mean cosine at which dated clauses with the same date report the same event (group
# average, as for facts). Lower than FACT_THRESHOLD: sharing the date is already strong
# evidence. Tuned on the seed story with its publication date (2025-03-14): the three
# clauses reporting one Thursday meeting score 0.55-0.71 against each other (mean 0.66)
# and merge; a different announcement of the same Thursday scores 0.43-0.57 against
# them and stays apart. Checked on tests/test_timeline.py's invented story.
TIMELINE_MERGE_THRESHOLD = 0.60
# Every pair of clauses in one entry must reach this (see facts.FACT_FLOOR).
TIMELINE_MERGE_FLOOR = 0.50
# A sentence with fewer words than this besides its date is a dateline, not an event.
MIN_EVENT_WORDS = 4
# A dated clause shorter than this is too small to read alone; its sentence is used.
MIN_CLAUSE_WORDS = 6
# Words that put a clause in the future, so that "on Saturday" means the next one.
FUTURE_MARKERS = re.compile(
    r"\b(?:will|shall|’ll|'ll|plans? to|planning to|is to|are to|set to|due to|"
    r"expected to|scheduled to|intends? to|tomorrow|next)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
# spaCy tags "Wednesday night" or "Friday morning" as TIME; the weekday still dates it
# (a bare time such as "10pm" resolves to nothing and is dropped).
DATED_LABELS = frozenset({"DATE", "TIME"})


@dataclass(frozen=True, slots=True)
class DatedEvent:
    date: ResolvedDate
    article: str
    article_rank: int
    start: int  # the dated clause, in the article text
    end: int
    text: str


def build_timeline(table: SentenceTable) -> list[TimelineEntry]:
    """Dated events of a story's articles, merged across articles, sorted by date."""
    events = [event for rank, article in enumerate(table.articles)
              for event in dated_events(article, rank)]
    if not events:
        return []
    vectors = embed_texts([e.text for e in events])
    entries = [_entry(group) for group in _merge(events, vectors)]
    return [entry for _, entry in sorted(entries, key=lambda pair: pair[0])]


def dated_events(article: Article, rank: int = 0) -> Iterator[DatedEvent]:
    """The dated clauses of one article (needs its sentences and entities)."""
    published = parse_iso(article.published)
    seen: set[tuple[str, int, int]] = set()
    for mention in article.entities:
        if mention.label not in DATED_LABELS:
            continue
        sentence = _sentence_at(article, mention.start)
        if sentence is None or _words_besides(article.text, sentence, mention) < MIN_EVENT_WORDS:
            continue
        start, end = _dated_clause(article, mention.start, sentence)
        text = article.text[start:end]
        resolved = resolve_date(mention.text, published, FUTURE_MARKERS.search(text) is not None)
        if resolved is None or (resolved.value, start, end) in seen:
            continue
        seen.add((resolved.value, start, end))
        yield DatedEvent(resolved, article.id, rank, start, end, text)


def _sentence_at(article: Article, offset: int) -> tuple[int, int] | None:
    index = article.sentence_index_at(offset)
    if index is None:
        return None
    span = article.sentences[index]
    return span.start, span.end


def _words_besides(text: str, sentence: tuple[int, int], mention: EntityMention) -> int:
    return len(_WORD.findall(text[sentence[0]:sentence[1]])) - len(_WORD.findall(mention.text))


def _dated_clause(article: Article, offset: int, sentence: tuple[int, int]) -> tuple[int, int]:
    """The clause of the verb the date modifies, inside its sentence; the sentence
    itself when that verb is the main verb or the clause is too short."""
    found = parse(article.text).char_span(offset, offset + 1, alignment_mode="expand")
    verb = _verb_of(found[0]) if found is not None and len(found) else None
    # A clause without its own subject is a fragment ("to discuss ..."), and the small
    # model sometimes tags a name as a verb: both read better as the whole sentence.
    if verb is None or verb.dep_ == "ROOT" or not _has_subject(verb):
        return sentence
    start, end = char_span(verb)
    start, end = max(start, sentence[0]), min(end, sentence[1])
    if len(_WORD.findall(article.text[start:end])) < MIN_CLAUSE_WORDS:
        return sentence
    return start, end


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in verb.children)


def _verb_of(token: Token) -> Token | None:
    node = token
    for _ in range(len(token.doc)):
        if node.pos_ in {"VERB", "AUX"}:
            return node
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _merge(
    events: Sequence[DatedEvent], vectors: NDArray[np.float32]
) -> list[list[DatedEvent]]:
    """Average-linkage groups of same-date events, one clause per article per group."""
    sims = np.asarray(vectors @ vectors.T, dtype=np.float32)
    groups = link_groups(
        sims, [e.article for e in events],
        lambda i, j: events[i].date.value == events[j].date.value,
        TIMELINE_MERGE_THRESHOLD, TIMELINE_MERGE_FLOOR,
    )
    return [[events[k] for k in group] for group in groups]


def _entry(
    group: list[DatedEvent],
) -> tuple[tuple[object, ...], TimelineEntry]:
    first = min(group, key=lambda e: (e.article_rank, e.start))
    entry = TimelineEntry(
        date=first.date.value,
        text=first.text,
        articles=sorted({e.article for e in group}),
        citations=[Citation(e.article, e.start, e.end)
                   for e in sorted(group, key=lambda e: (e.article_rank, e.start))],
    )
    key = (first.date.first_day, first.date.precision, first.article_rank, first.start)
    return key, entry
