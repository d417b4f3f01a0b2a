"""The claim matrix, first version: propositions, who holds them, and how.

A claim starts from a fact (several articles state it) or from a sentence that
disputes something (a denial or doubt cue, see `analyse.cues`). What a disputing
sentence disputes (the clause after "claims that", "denied that", the object of
"called ... false") is embedded and compared with the other candidates: it joins its
closest candidate, and every other disputing candidate, above `CLAIM_THRESHOLD`. A
disputing sentence that matches nothing stays a claim of its own. Then the sentences
where someone states a disputed claim ("the chief said a fault caused the fire", or a
quote) join it as assertions when what they state is close enough to it.

Each sentence of a claim gives stance records:
- a dispute cue gives `denies`/`questions` to its holder: the quote's speaker when the
  cue is inside a quote, else the grammatical subject (or the agent of "denied by"),
  else the outlet; who made the disputed claim ("the mayor's claims") gets `asserts`;
- any other sentence gives `asserts` to its speaker (a quote's speaker, or the subject
  of a speech verb), else `reports` to the outlet (the article id when unknown).

Status: `disputed` when someone asserts or reports it and someone denies it;
`corroborated` when at least two independent families support it and nobody denies
it; `single-source` otherwise. Support counts the articles that assert or report it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from corroborate.analyse.facts import count_families
from corroborate.analyse.holders import NameBook, quote_speaker_at
from corroborate.analyse.sentences import SentenceRow, SentenceTable
from corroborate.analyse.stance import CLAUSE, Reading, read_sentence
from corroborate.enrich.embed import embed_texts
from corroborate.model import (
    Claim,
    ClaimStatus,
    Fact,
    Stance,
    StanceRecord,
    StoryEntity,
    StoryQuote,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

# Cosine between what a sentence disputes and a candidate claim (or what another
# sentence states) for the two to be the same claim. Lower than FACT_THRESHOLD: a
# denial restates the claim in other words ("denied there was a leak" vs "the pipe
# had burst"). Tuned on the seed story: the denials of its disputed battlefield claim
# score 0.55-0.82 against each other and the clauses that state the claim 0.55-0.69,
# while clauses about other events of the same story stay below 0.45.
CLAIM_THRESHOLD = 0.55
# Cosine between what a speaker states and the closest disputed proposition of a claim
# for the statement to count as asserting it. Stricter than CLAIM_THRESHOLD because
# statements are many and short and the best of several propositions is taken: on
# the seed story the clauses stating its disputed battlefield claim score 0.73-0.84,
# the closest clauses about something else the same soldiers did 0.67.
STATEMENT_THRESHOLD = 0.70
# Before embedding what a sentence states, its whole-sentence vector must come this
# close to a disputed proposition: embedding is the expensive part and most sentences
# of a story are about something else. On the seed story the sentences whose clauses
# end up asserting the disputed claim score 0.44-0.68 here; a third of the story's
# statements score below 0.35 and are skipped.
STATEMENT_ROW_FLOOR = 0.35
# Sentences shorter than this are too small to carry a proposition of their own.
MIN_CLAIM_WORDS = 4
_ASSERTING = frozenset({Stance.ASSERTS, Stance.REPORTS})


@dataclass(slots=True)
class _Unit:
    """A candidate claim: a fact's rows, or one disputing sentence."""

    rows: list[SentenceRow]
    vector: NDArray[np.float32]
    disputing: bool
    from_fact: bool


@dataclass(frozen=True, slots=True)
class _Statement:
    """Someone stating something in a sentence: a candidate assertion of a claim."""

    row: SentenceRow
    holder: str
    text: str


def find_claims(
    table: SentenceTable,
    facts: Sequence[Fact],
    quotes: Sequence[StoryQuote],
    families: Sequence[Sequence[str]],
    entities: Sequence[StoryEntity] = (),
) -> list[Claim]:
    """Claims of a story, disputed ones first. `entities` (optional) canonicalises
    holder names ("Calder" -> "Ruth Calder"); quote speakers are used either way."""
    names = NameBook(entities, quotes)
    fact_rows = _fact_rows(table, facts)
    in_facts = {row.index for rows in fact_rows for row in rows}
    readings = {row.index: read_sentence(table.article(row.article), row, names)
                for row in table.rows
                if row.words >= MIN_CLAIM_WORDS or row.index in in_facts}
    disputed = _disputed_vectors(table, readings)
    units = _units(table, fact_rows, readings, disputed)
    groups = [[units[k] for k in group] for group in _link(units)]
    extra = _attach_statements(table, groups, readings, disputed, quotes)
    claims = [
        _claim(table, group, extra.get(k, []), readings, quotes, families)
        for k, group in enumerate(groups)
    ]
    claims.sort(key=_claim_rank)
    return claims


def _fact_rows(table: SentenceTable, facts: Sequence[Fact]) -> list[list[SentenceRow]]:
    out: list[list[SentenceRow]] = []
    for fact in facts:
        rows = [row for c in fact.citations if (row := table.row_at(c)) is not None]
        if rows:
            out.append(rows)
    return out


def _disputed_vectors(
    table: SentenceTable, readings: dict[int, Reading]
) -> dict[int, NDArray[np.float32]]:
    """For each disputing sentence, the embedding of what it disputes."""
    spans: dict[int, str] = {}
    for index, reading in readings.items():
        if reading.cues:
            cue = min(reading.cues, key=lambda c: c.precision)
            row = table.rows[index]
            spans[index] = table.article(row.article).text[cue.proposition[0]:cue.proposition[1]]
    vectors = embed_texts(list(spans.values()))
    return dict(zip(spans, vectors, strict=True))


def _units(
    table: SentenceTable,
    fact_rows: list[list[SentenceRow]],
    readings: dict[int, Reading],
    disputed: dict[int, NDArray[np.float32]],
) -> list[_Unit]:
    in_facts = {row.index for rows in fact_rows for row in rows}
    groups = [(rows, True) for rows in fact_rows]
    groups += [([table.rows[i]], False) for i in sorted(disputed) if i not in in_facts]
    units: list[_Unit] = []
    for rows, from_fact in groups:
        vectors = [disputed.get(r.index, table.vectors[r.index]) for r in rows]
        units.append(_Unit(
            rows=rows, vector=_unit_mean(vectors),
            disputing=any(r.index in disputed for r in rows), from_fact=from_fact,
        ))
    return units


def _unit_mean(vectors: Sequence[NDArray[np.float32]]) -> NDArray[np.float32]:
    mean = np.mean(np.stack(vectors), axis=0)
    norm = float(np.linalg.norm(mean)) or 1.0
    return np.asarray(mean / norm, dtype=np.float32)


def _link(units: list[_Unit]) -> list[list[int]]:
    """A disputing unit joins its closest unit and every disputing unit above the
    threshold; two facts are never joined directly. Groups are the connected parts."""
    parent = list(range(len(units)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    if units:
        matrix = np.stack([u.vector for u in units])
        sims = matrix @ matrix.T
        np.fill_diagonal(sims, -1.0)
        for k, unit in enumerate(units):
            if not unit.disputing:
                continue
            targets = {int(np.argmax(sims[k]))}
            targets |= {j for j, other in enumerate(units) if other.disputing}
            for j in targets:
                if float(sims[k, j]) >= CLAIM_THRESHOLD:
                    parent[root(k)] = root(j)
    groups: dict[int, list[int]] = {}
    for k in range(len(units)):
        groups.setdefault(root(k), []).append(k)
    return list(groups.values())


def _attach_statements(
    table: SentenceTable,
    groups: list[list[_Unit]],
    readings: dict[int, Reading],
    disputed: dict[int, NDArray[np.float32]],
    quotes: Sequence[StoryQuote],
) -> dict[int, list[_Statement]]:
    """Statements outside a disputed claim that state it, by claim index.

    A statement is compared with each disputed proposition of a claim, not their mean:
    the clauses ("the pipe had burst") are close to the clausal propositions ("there
    was a leak in the pipe") and far from noun phrases ("the claims by the mayor and
    her deputy") that would dilute a mean.
    """
    targets = {k: _targets(g, readings, disputed) for k, g in enumerate(groups)
               if any(u.disputing for u in g)}
    if not targets:
        return {}
    every_target = np.concatenate(list(targets.values()))
    statements = [s for s in _statements(table, readings, quotes)
                  if float(np.max(every_target @ table.vectors[s.row.index]))
                  >= STATEMENT_ROW_FLOOR]
    if not statements:
        return {}
    vectors = embed_texts([s.text for s in statements])
    members = {k: {r.index for u in groups[k] for r in u.rows} for k in targets}
    extra: dict[int, list[_Statement]] = {}
    for statement, vector in zip(statements, vectors, strict=True):
        scores = {k: float(np.max(t @ vector)) for k, t in targets.items()}
        claim = max(scores, key=lambda k: scores[k])
        if scores[claim] >= STATEMENT_THRESHOLD and statement.row.index not in members[claim]:
            extra.setdefault(claim, []).append(statement)
    return extra


def _targets(
    units: list[_Unit], readings: dict[int, Reading], disputed: dict[int, NDArray[np.float32]]
) -> NDArray[np.float32]:
    """The disputed-proposition vectors of a claim, the clausal ones if it has any."""
    located = [(min(c.precision for c in readings[r.index].cues), r.index)
               for u in units for r in u.rows if r.index in disputed]
    clausal = [i for precision, i in located if precision <= CLAUSE]
    return np.stack([disputed[i] for i in clausal or [i for _, i in located]])


def _statements(
    table: SentenceTable, readings: dict[int, Reading], quotes: Sequence[StoryQuote]
) -> list[_Statement]:
    """What speakers state, sentence by sentence: speech-verb clauses and quotes."""
    found: dict[tuple[int, str, str], _Statement] = {}
    for index, reading in readings.items():
        if reading.cues:
            continue
        row = table.rows[index]
        for assertion in reading.assertions:
            found.setdefault((index, assertion.holder, assertion.text),
                             _Statement(row, assertion.holder, assertion.text))
    for quote in quotes:
        where = _row_containing(table, quote.article, quote.start)
        if (quote.speaker and where is not None and where.index in readings
                and not readings[where.index].cues):
            found.setdefault((where.index, quote.speaker, quote.text),
                             _Statement(where, quote.speaker, quote.text))
    return list(found.values())


def _row_containing(table: SentenceTable, article: str, offset: int) -> SentenceRow | None:
    for row in table.rows_of(article):
        if row.start <= offset < row.end:
            return row
    return None


def _claim(
    table: SentenceTable,
    units: list[_Unit],
    statements: list[_Statement],
    readings: dict[int, Reading],
    quotes: Sequence[StoryQuote],
    families: Sequence[Sequence[str]],
) -> Claim:
    rows = sorted({r.index: r for u in units for r in u.rows}.values(),
                  key=lambda r: (r.article_rank, r.position))
    records = [rec for row in rows
               for rec in _row_stances(table, row, readings[row.index], quotes)]
    records += [StanceRecord(s.holder, Stance.ASSERTS, s.row.article, s.row.start, s.row.end)
                for s in statements]
    stances = _dedupe(records)
    support = sorted({s.article for s in stances if s.stance in _ASSERTING})
    independent = count_families(support, families)
    return Claim(
        text=_claim_text(table, units, readings),
        status=_status(stances, independent),
        stances=stances,
        support=support,
        independent_support=independent,
    )


def _row_stances(
    table: SentenceTable, row: SentenceRow, reading: Reading, quotes: Sequence[StoryQuote]
) -> list[StanceRecord]:
    article = table.article(row.article)
    outlet = article.outlet or article.id
    records: list[StanceRecord] = []

    def add(holder: str, stance: Stance) -> None:
        records.append(StanceRecord(holder, stance, row.article, row.start, row.end))

    for cue in reading.cues:
        speaker = quote_speaker_at(quotes, row.article, cue.offset, cue.offset + 1)
        for holder in [speaker] if speaker else (cue.holders or (outlet,)):
            add(holder, cue.stance)
        for claimant in cue.claimants:
            add(claimant, Stance.ASSERTS)
    if not reading.cues:
        speaker = quote_speaker_at(quotes, row.article, row.start, row.end) or reading.speaker
        add(speaker or outlet, Stance.ASSERTS if speaker else Stance.REPORTS)
    return records


def _dedupe(records: Iterable[StanceRecord]) -> list[StanceRecord]:
    seen: set[tuple[str, Stance, str, int]] = set()
    out: list[StanceRecord] = []
    for rec in sorted(records, key=lambda r: (r.article, r.start)):
        key = (rec.holder, rec.stance, rec.article, rec.start)
        if key not in seen:
            seen.add(key)
            out.append(rec)
    return out


def _claim_text(
    table: SentenceTable, units: list[_Unit], readings: dict[int, Reading]
) -> str:
    """The disputed clause when the grammar found one, else the fact's medoid, else the
    disputed phrase or sentence."""
    located = sorted(
        (cue.precision, row.article_rank, row.position, cue.proposition, row.article)
        for unit in units for row in unit.rows for cue in readings[row.index].cues
    )
    if located and located[0][0] <= CLAUSE:
        (start, end), article = located[0][3], located[0][4]
        return table.article(article).text[start:end]
    facts = [u for u in units if u.from_fact]
    if facts:
        return max(facts, key=lambda u: len(u.rows)).rows[0].text
    if located:
        (start, end), article = located[0][3], located[0][4]
        return table.article(article).text[start:end]
    return units[0].rows[0].text


def _status(stances: Sequence[StanceRecord], independent: int) -> ClaimStatus:
    kinds = {s.stance for s in stances}
    denied = Stance.DENIES in kinds
    if denied and kinds & _ASSERTING:
        return ClaimStatus.DISPUTED
    if independent >= 2 and not denied:
        return ClaimStatus.CORROBORATED
    return ClaimStatus.SINGLE_SOURCE


_STATUS_ORDER = {ClaimStatus.DISPUTED: 0, ClaimStatus.CORROBORATED: 1,
                 ClaimStatus.SINGLE_SOURCE: 2}


def _claim_rank(claim: Claim) -> tuple[int, int, int]:
    return (_STATUS_ORDER[claim.status], -claim.independent_support, -len(claim.stances))
