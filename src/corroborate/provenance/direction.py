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
5. clearly more site furniture (lines the cleaner removed) on one side: aggregators
   wrap copies in more navigation and promotion than the source site.

Rule 2 comes before dates because it is explicit text, while dates of copies are
often the crawl or republication day and time zones shift them by a day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from corroborate.model import Article
from corroborate.provenance.attribution import ArticleCues
from corroborate.provenance.outlets import outlet_key

# Removed-line difference that counts as "clearly more furniture". Guessed from the
# seed pages (aggregators remove 5-20 lines, source sites 0-4); a weak cue, used last.
FURNITURE_MARGIN = 3


@dataclass(frozen=True, slots=True)
class Orientation:
    source: Article
    target: Article
    directed: bool
    evidence: str


def orient(a: Article, b: Article, cues: Mapping[str, ArticleCues]) -> Orientation:
    """Decide which of two copies is the source, with the reason as evidence."""
    for rule in (_siblings, _names_other_outlet, _dates, _republication_note, _furniture):
        decided = rule(a, b, cues)
        if decided is not None:
            return decided
    return _undirected(a, b, "no date or cue tells which came first")


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


def _siblings(a: Article, b: Article, cues: Mapping[str, ArticleCues]) -> Orientation | None:
    own = {outlet_key(x.outlet) for x in (a, b) if x.outlet}
    shared = sorted(
        name for name in cues[a.id].credits & cues[b.id].credits if outlet_key(name) not in own
    )
    if not shared:
        return None
    return _undirected(a, b, f"both carry copy credited to {shared[0]}")


def _names_other_outlet(
    a: Article, b: Article, cues: Mapping[str, ArticleCues]
) -> Orientation | None:
    a_names_b = cues[a.id].names(b.outlet)
    b_names_a = cues[b.id].names(a.outlet)
    if a_names_b == b_names_a:
        return None
    source, target = (b, a) if a_names_b else (a, b)
    return Orientation(source, target, True,
                       f"copy names {source.outlet}, the other article's outlet")


def _dates(a: Article, b: Article, cues: Mapping[str, ArticleCues]) -> Orientation | None:
    a_date, b_date = _date(a), _date(b)
    if a_date is None or b_date is None or a_date == b_date:
        return None
    source, target = (a, b) if a_date < b_date else (b, a)
    return Orientation(source, target, True,
                       f"earlier publication date ({source.published} vs {target.published})")


def _republication_note(
    a: Article, b: Article, cues: Mapping[str, ArticleCues]
) -> Orientation | None:
    a_note, b_note = _copy_note(cues[a.id]), _copy_note(cues[b.id])
    if (a_note is None) == (b_note is None):
        return None
    source, target, note = (b, a, a_note) if a_note is not None else (a, b, b_note)
    return Orientation(source, target, True, f"copy carries a republication note ({note!r})")


def _furniture(a: Article, b: Article, cues: Mapping[str, ArticleCues]) -> Orientation | None:
    a_lines, b_lines = len(a.removed), len(b.removed)
    if abs(a_lines - b_lines) < FURNITURE_MARGIN:
        return None
    source, target = (a, b) if a_lines < b_lines else (b, a)
    return Orientation(
        source, target, True,
        f"copy carries more site furniture ({len(target.removed)} vs "
        f"{len(source.removed)} removed lines)",
    )


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
