"""Resolving a DATE mention ("on Thursday", "6 March", "last August") to an ISO date.

The result is as precise as the text: "YYYY-MM-DD" for a day, "YYYY-MM" for a month
(and for "earlier this week" when the week lies inside one month), "YYYY" for a
year. Relative expressions are resolved against the article's publication date and
skipped without one; nothing is ever resolved against the clock.

Conventions (news usage): a bare weekday is the most recent such day on or before
publication ("the minister said on Thursday" in Friday's paper), or the next one on or after
it when the clause is about the future ("will meet on Saturday"); a month or day
without a year is the most recent one on or before publication, or the next one for
the future. Durations ("30-day", "two weeks", "recent days") are not dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser

MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")),
        start=1,
    )
    for name in names
}
WEEKDAYS = {name: number for number, name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
# The last month of each season in the northern hemisphere, where most English news
# is written: "last summer" ended in August.
SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}
_UNITS = {"day": 1, "week": 7}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
# "30-day", "three-year", "two weeks", "a year", "recent days", "the long term"; but
# not "two weeks ago" or "last year".
_DURATION = re.compile(
    r"\w+\s*-\s*(?:day|week|month|year)s?\b|\b(?:recent|long|short)\b"
    r"|\b(?:days|weeks|months|years|decades)\b(?!\s+ago)"
    r"|\b(?:a|an|one|\d+)\s+(?:day|week|month|year)\b(?!\s+ago)"
)
_WORD = re.compile(r"[a-z]+|\d+")
# dateparser reads numeric forms our patterns do not ("2025-03-14", "14/03/2025"); it
# is asked for complete dates only, with a fixed base so it never looks at the clock.
_DATEPARSER_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RELATIVE_BASE": datetime(2000, 1, 1),
    "PREFER_DATES_FROM": "past",
}


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    value: str  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    first_day: date  # where the period starts, for sorting

    @property
    def precision(self) -> int:
        """3 for a day, 2 for a month, 1 for a year."""
        return self.value.count("-") + 1


def day(value: date) -> ResolvedDate:
    return ResolvedDate(value.isoformat(), value)


def month(year: int, number: int) -> ResolvedDate:
    return ResolvedDate(f"{year:04d}-{number:02d}", date(year, number, 1))


def year(value: int) -> ResolvedDate:
    return ResolvedDate(f"{value:04d}", date(value, 1, 1))


def parse_iso(value: str | None) -> date | None:
    """The date of an ISO "YYYY-MM-DD..." string, or None."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def resolve_date(text: str, published: date | None, future: bool = False) -> ResolvedDate | None:
    """The date a DATE mention refers to, or None (duration, vague, or unresolvable)."""
    lowered = text.lower()
    if _DURATION.search(lowered):
        return None
    words = _WORD.findall(lowered)
    return (
        _absolute(words, published, future)
        or (_relative(words, published, future) if published else None)
        or _numeric(text)
    )


def _absolute(words: list[str], published: date | None, future: bool) -> ResolvedDate | None:
    """"6 March", "March 14, 2025", "March 2025", "in August", "2017"."""
    months = [MONTHS[w] for w in words if w in MONTHS]
    years = [int(w) for w in words if w.isdigit() and len(w) == 4 and 1800 <= int(w) <= 2199]
    days = [int(w) for w in words if w.isdigit() and len(w) <= 2 and 1 <= int(w) <= 31]
    if not months:
        if years and not days and not _relative_words(words):
            return year(years[0])
        return None
    number = months[0]
    if years:
        the_year = years[0]
    elif published is not None:
        the_year = _year_for(number, days[0] if days else None, published, future,
                             strictly="last" in words)
    else:
        return None
    if days:
        try:
            return day(date(the_year, number, days[0]))
        except ValueError:
            return None
    return month(the_year, number)


def _relative_words(words: list[str]) -> bool:
    return any(w in {"last", "next", "this", "ago", "previous"} for w in words)


def _year_for(
    number: int, day_of_month: int | None, published: date, future: bool, strictly: bool
) -> int:
    """The year that puts a month (and day) on the right side of publication."""
    this_year = (number, day_of_month or 1)
    now = (published.month, published.day if day_of_month else 1)
    if future:
        return published.year if this_year >= now else published.year + 1
    if strictly:
        return published.year if this_year < now else published.year - 1
    return published.year if this_year <= now else published.year - 1


def _relative(words: list[str], published: date, future: bool) -> ResolvedDate | None:
    """Against the publication date: yesterday, on Thursday, last week, 3 days ago."""
    simple = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
    for word, shift in simple.items():
        if word in words:
            return day(published + timedelta(days=shift))
    if "ago" in words:
        return _ago(words, published)
    weekday = next((WEEKDAYS[w] for w in words if w in WEEKDAYS), None)
    if weekday is not None:
        return day(_weekday(weekday, published, words, future))
    for unit, resolve in (("week", _week), ("month", _month_of), ("year", _year_of)):
        if unit in words:
            return resolve(words, published)
    season = next((w for w in words if w in SEASON_END), None)
    if season is not None and "last" in words:
        end = SEASON_END[season]
        return year(published.year if end < published.month else published.year - 1)
    return None


def _ago(words: list[str], published: date) -> ResolvedDate | None:
    index = words.index("ago")
    if index < 2:
        return None
    count_word, unit = words[index - 2], words[index - 1].rstrip("s")
    count = int(count_word) if count_word.isdigit() else _NUMBER_WORDS.get(count_word)
    if count is None:
        return None
    if unit in _UNITS:
        return day(published - timedelta(days=count * _UNITS[unit]))
    if unit == "month":
        total = published.year * 12 + published.month - 1 - count
        return month(total // 12, total % 12 + 1)
    if unit == "year":
        return year(published.year - count)
    return None


def _weekday(weekday: int, published: date, words: list[str], future: bool) -> date:
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if "last" in words:
        return published - timedelta(days=back or 7)
    if "next" in words:
        return published + timedelta(days=ahead or 7)
    if future:
        return published + timedelta(days=ahead)
    return published - timedelta(days=back)


def _week(words: list[str], published: date) -> ResolvedDate | None:
    """A week is written as its month when it lies inside one month, else skipped."""
    shift = -7 if "last" in words or "previous" in words else 7 if "next" in words else 0
    monday = published - timedelta(days=published.weekday()) + timedelta(days=shift)
    sunday = monday + timedelta(days=6)
    if shift == 0 and "earlier" in words:
        sunday = published
    if monday.month != sunday.month:
        return None
    return month(monday.year, monday.month)


def _month_of(words: list[str], published: date) -> ResolvedDate | None:
    shift = -1 if "last" in words or "previous" in words else 1 if "next" in words else 0
    total = published.year * 12 + published.month - 1 + shift
    return month(total // 12, total % 12 + 1)


def _year_of(words: list[str], published: date) -> ResolvedDate | None:
    shift = -1 if "last" in words or "previous" in words else 1 if "next" in words else 0
    return year(published.year + shift)


def _numeric(text: str) -> ResolvedDate | None:
    if not re.search(r"\d{4}", text):
        return None
    parsed = dateparser.parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)
    return day(parsed.date()) if parsed is not None else None
