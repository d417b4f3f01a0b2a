"""Which of two copies is the source: dates first, then what the texts give away.

A republished copy is usually identical to its source after cleaning, so the texts
alone rarely tell which came first. The rules, in order (the first that decides wins):

1. both carry copy credited to the same third outlet: siblings of one wire story,
   neither derived from the other -> undirected;
2. one names the other's outlet (credit or quote) and not the reverse: a copy keeps
   "told the Guardian" while the Guardian's own page does not credit itself;
3. the earlier publication date;
4. a republication note ("Source link", "originally published") or a feed statement
   on one side only;
5. an agency or outlet credit on one side only: that side carries someone's copy;
6. the odder wording: a spinner swaps words for rarer synonyms and garbles names, so
   in the aligned sentences the side whose own words are rarer in English is the copy
   (for a paraphrase this comes before rule 5: spinners strip credit lines);
7. containment: a partial copy is contained in its source, which has substantial text
   the copy lacks (what a side lacks that is site furniture does not count);
8. inserted furniture in the text: lines such as "Share this", "Advertisement" or
   "Related posts" on one side only, around an otherwise identical text;
9. clearly more site furniture (lines the cleaner removed) on one side: aggregators
   wrap copies in more navigation and promotion than the source site.

Rule 2 comes before dates because it is explicit text, while dates of copies are
often the crawl or republication day and time zones shift them by a day. Rules 6, 7
and 8 need the sentence alignment of the pair (`passages.Alignment`); without it they
are skipped. When no rule decides, the edge is undirected and its evidence says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from statistics import fmean

from wordfreq import zipf_frequency

from corroborate.clean.cues import furniture_kind, is_prose
from corroborate.model import Article, Span
from corroborate.provenance.attribution import ArticleCues
from corroborate.provenance.outlets import outlet_key
from corroborate.provenance.passages import Alignment

# Removed-line difference that counts as "clearly more furniture". Guessed from the
# seed pages (aggregators remove 5-20 lines, source sites 0-4); a weak cue, used last.
FURNITURE_MARGIN = 3
# Odder wording: the mean Zipf frequency (wordfreq, English) of the words only one side
# of the aligned sentence pairs uses must be this much lower on the copy's side. The
# demo's spun copies are 0.4-0.5 lower than their sources; generated spins
# (bench/provenance.py, seed 2) 0.4-1.6, with one at 0.17 left undirected.
ODDNESS_MARGIN = 0.3
# ... counted over at least this many differing words on each side, so that one
# unusual word does not decide.
ODDNESS_MIN_WORDS = 5
# Containment: the copy has at most this share of its text outside the passages (site
# furniture aside), while the source has at least SOURCE_EXCESS of its own. Generated
# corpus (bench/provenance.py, seed 1): a partial copy of 40-70% of the paragraphs
# leaves 0.24-0.65 of its source outside the passages and nothing of itself; a copy
# wrapped in furniture at most 0.03 (furniture lines that read like prose).
CONTAINED_REMAINDER = 0.1
SOURCE_EXCESS = 0.2
# A line at most this much covered by passages counts as not taken from the other side.
UNCOVERED_LINE = 0.5

_ALPHA_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Orientation:
    source: Article
    target: Article
    directed: bool
    evidence: str


@dataclass(frozen=True, slots=True)
class _Remainder:
    """What a text has outside the passages: the share of its non-space characters in
    prose lines, and its furniture lines (widgets, labels, stubs), casefolded."""

    prose: float
    furniture: frozenset[str]


@dataclass
class _Pair:
    """What the rules read: the two articles, their cues, and optionally how `b`
    reuses `a` sentence by sentence."""

    a: Article
    b: Article
    cues: Mapping[str, ArticleCues]
    alignment: Alignment | None
    paraphrase: bool

    @cached_property
    def remainders(self) -> tuple[_Remainder, _Remainder] | None:
        """Each side's text outside the passages, or None without an alignment."""
        if self.alignment is None:
            return None
        passages = self.alignment.passages
        return (_remainder(self.a.text, [Span(p.source_start, p.source_end) for p in passages]),
                _remainder(self.b.text, [Span(p.target_start, p.target_end) for p in passages]))


_Rule = Callable[[_Pair], Orientation | None]


def orient(
    a: Article, b: Article, cues: Mapping[str, ArticleCues], *,
    alignment: Alignment | None = None, paraphrase: bool = False,
) -> Orientation:
    """Decide which of two copies is the source, with the reason as evidence.

    `alignment` is `b`'s reuse of `a` (`a` as source); `paraphrase` says the copy is
    reworded, which puts the wording before credit lines.
    """
    pair = _Pair(a, b, cues, alignment, paraphrase)
    rules: list[_Rule] = [_siblings, _names_other_outlet, _dates, _republication_note]
    # A spinner strips credit lines, so for a paraphrase the wording speaks first; an
    # edited wire copy's credit line is the surer sign.
    if paraphrase:
        rules += [_odder_wording, _credit_on_one_side]
    else:
        rules += [_credit_on_one_side, _odder_wording]
    rules += [_containment, _inserted_furniture, _furniture]
    for rule in rules:
        decided = rule(pair)
        if decided is not None:
            return decided
    return _undirected(a, b, "direction unknown: no date, credit or text cue tells "
                             "which came first")


def pick_original(group: Sequence[Article], cues: Mapping[str, ArticleCues]) -> Article:
    """The member of a group of identical texts most likely to be the source."""
    named = {outlet_key(name) for member in group for name in cues[member.id].named}

    def rank(article: Article) -> tuple[bool, date, bool, int, str]:
        credited = bool(article.outlet) and outlet_key(article.outlet or "") in named
        return (
            not credited,
            _date(article) or date.max,
            _copy_note(cues[article.id]) is not None,
            len(article.removed),
            article.id,
        )

    return min(group, key=rank)


def _siblings(pair: _Pair) -> Orientation | None:
    a, b, cues = pair.a, pair.b, pair.cues
    own = {outlet_key(x.outlet) for x in (a, b) if x.outlet}
    shared = sorted(
        name for name in cues[a.id].credits & cues[b.id].credits if outlet_key(name) not in own
    )
    if not shared:
        return None
    return _undirected(a, b, f"both carry copy credited to {shared[0]}")


def _names_other_outlet(pair: _Pair) -> Orientation | None:
    a, b, cues = pair.a, pair.b, pair.cues
    a_names_b = cues[a.id].names(b.outlet)
    b_names_a = cues[b.id].names(a.outlet)
    if a_names_b == b_names_a:
        return None
    source, target = (b, a) if a_names_b else (a, b)
    return Orientation(source, target, True,
                       f"copy names {source.outlet}, the other article's outlet")


def _dates(pair: _Pair) -> Orientation | None:
    a, b = pair.a, pair.b
    a_date, b_date = _date(a), _date(b)
    if a_date is None or b_date is None or a_date == b_date:
        return None
    source, target = (a, b) if a_date < b_date else (b, a)
    return Orientation(source, target, True,
                       f"earlier publication date ({source.published} vs {target.published})")


def _republication_note(pair: _Pair) -> Orientation | None:
    a, b, cues = pair.a, pair.b, pair.cues
    a_note, b_note = _copy_note(cues[a.id]), _copy_note(cues[b.id])
    if (a_note is None) == (b_note is None):
        return None
    source, target, note = (b, a, a_note) if a_note is not None else (a, b, b_note)
    return Orientation(source, target, True, f"copy carries a republication note ({note!r})")


def _odder_wording(pair: _Pair) -> Orientation | None:
    if pair.alignment is None:
        return None
    a_words, b_words = _differing_words(pair.a, pair.b, pair.alignment)
    if len(a_words) < ODDNESS_MIN_WORDS or len(b_words) < ODDNESS_MIN_WORDS:
        return None
    a_zipf, b_zipf = _mean_zipf(a_words), _mean_zipf(b_words)
    if abs(a_zipf - b_zipf) < ODDNESS_MARGIN:
        return None
    source, target = (pair.a, pair.b) if a_zipf > b_zipf else (pair.b, pair.a)
    return Orientation(source, target, True,
                       f"copy's wording is odder (its own words average Zipf "
                       f"{min(a_zipf, b_zipf):.1f} vs {max(a_zipf, b_zipf):.1f}): "
                       "rarer synonyms and garbled names of a spun rewrite")


def _credit_on_one_side(pair: _Pair) -> Orientation | None:
    a_credit = pair.cues[pair.a.id].carries_wire_copy
    b_credit = pair.cues[pair.b.id].carries_wire_copy
    if a_credit == b_credit:
        return None
    source, target = (pair.b, pair.a) if a_credit else (pair.a, pair.b)
    target_cues = pair.cues[target.id]
    said = sorted(target_cues.credits)
    credit = f"a credit to {said[0]}" if said else "an agency feed statement"
    return Orientation(source, target, True, f"copy carries {credit}; the other does not")


def _containment(pair: _Pair) -> Orientation | None:
    if pair.remainders is None:
        return None
    a_rest, b_rest = pair.remainders
    if a_rest.prose <= CONTAINED_REMAINDER and b_rest.prose >= SOURCE_EXCESS:
        source, target, excess = pair.b, pair.a, b_rest.prose
    elif b_rest.prose <= CONTAINED_REMAINDER and a_rest.prose >= SOURCE_EXCESS:
        source, target, excess = pair.a, pair.b, a_rest.prose
    else:
        return None
    return Orientation(source, target, True,
                       f"copy is contained in the other, which has {excess:.0%} more text")


def _inserted_furniture(pair: _Pair) -> Orientation | None:
    if pair.remainders is None:
        return None
    a_rest, b_rest = pair.remainders
    if max(a_rest.prose, b_rest.prose) > CONTAINED_REMAINDER:
        return None
    # Labels both texts carry ("ABSTRACT.", a byline) are the article's own.
    a_extra, b_extra = a_rest.furniture - b_rest.furniture, b_rest.furniture - a_rest.furniture
    if bool(a_extra) == bool(b_extra):
        return None
    source, target = (pair.b, pair.a) if a_extra else (pair.a, pair.b)
    lines = len(a_extra or b_extra)
    return Orientation(source, target, True,
                       f"copy wraps the text in {lines} line(s) of site furniture")


def _furniture(pair: _Pair) -> Orientation | None:
    a, b = pair.a, pair.b
    a_lines, b_lines = len(a.removed), len(b.removed)
    if abs(a_lines - b_lines) < FURNITURE_MARGIN:
        return None
    source, target = (a, b) if a_lines < b_lines else (b, a)
    return Orientation(
        source, target, True,
        f"copy carries more site furniture ({len(target.removed)} vs "
        f"{len(source.removed)} removed lines)",
    )


def _remainder(text: str, covered: Sequence[Span]) -> _Remainder:
    total = sum(1 for ch in text if not ch.isspace())
    if total == 0:
        return _Remainder(0.0, frozenset())
    prose, furniture = 0, set()
    for match in re.finditer(r"[^\n]+", text):
        line = match.group().strip()
        if not line:
            continue
        size = sum(1 for ch in line if not ch.isspace())
        inside = sum(_non_space_overlap(text, match.start(), match.end(), span)
                     for span in covered)
        if inside > UNCOVERED_LINE * size:
            continue
        if furniture_kind(line) is not None or not is_prose(line):
            furniture.add(line.casefold())
        else:
            prose += size - inside
    return _Remainder(prose / total, frozenset(furniture))


def _non_space_overlap(text: str, start: int, end: int, span: Span) -> int:
    low, high = max(start, span.start), min(end, span.end)
    if high <= low:
        return 0
    return sum(1 for ch in text[low:high] if not ch.isspace())


def _differing_words(a: Article, b: Article, alignment: Alignment) -> tuple[list[str], list[str]]:
    """Words each side of the aligned sentence pairs uses and the other does not."""
    only_a: list[str] = []
    only_b: list[str] = []
    for pair in alignment.pairs:
        source = alignment.source_units[pair.source]
        target = alignment.target_units[pair.target]
        a_words = set(_ALPHA_WORD.findall(a.text[source.start:source.end].casefold()))
        b_words = set(_ALPHA_WORD.findall(b.text[target.start:target.end].casefold()))
        only_a.extend(a_words - b_words)
        only_b.extend(b_words - a_words)
    return only_a, only_b


def _mean_zipf(words: Sequence[str]) -> float:
    return fmean(zipf_frequency(word, "en") for word in words)


def _undirected(a: Article, b: Article, evidence: str) -> Orientation:
    first, second = sorted((a, b), key=lambda article: article.id)
    return Orientation(first, second, False, evidence)


def _copy_note(cues: ArticleCues) -> str | None:
    return cues.republication_note or cues.feed_statement


def _date(article: Article) -> date | None:
    if not article.published:
        return None
    try:
        return date.fromisoformat(article.published[:10])
    except ValueError:
        return None
