"""Dates as news pages print them, to ISO `YYYY-MM-DD`.

Plain regular expressions rather than `dateparser`: the formats a header line uses are
few ("March 14, 2025", "14 March 2025", "2025-03-14", "Fri, 14 Mar 2025 10:00 GMT"),
and a general parser reads dates into words that are not dates ("May", "March on").
Numeric day/month orders are ambiguous ("03/04/2025") and are only read when the day
is unambiguous (above 12) or the order is the dotted European one ("14.03.2025").
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Years outside this range in a header are not publication dates (or are typos).
MIN_YEAR = 1990
MAX_YEAR = 2100

_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
          r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"

DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b{_YEAR}[-/.](?P<mnum>\d{{1,2}})[-/.]{_DAY}(?=\b|T)",      # 2025-03-14
        rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",             # March 14, 2025
        rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b",   # 14 March 2025
        rf"\b{_DAY}\.(?P<mnum>\d{{1,2}})\.{_YEAR}\b",                # 14.03.2025
        rf"\b{_DAY}/(?P<mnum>\d{{1,2}})/{_YEAR}\b",                  # 14/03/2025 (day > 12)
    )
)

# Words a header line may carry around its date and still be "a date line".
DATE_LINE_FILLER = frozenset({
    "published", "updated", "posted", "last", "first", "on", "at", "date", "time", "am", "pm",
    "a.m", "p.m", "gmt", "utc", "bst", "cet", "cest", "est", "edt", "pst", "pdt", "ist", "et",
    "cst", "cdt", "mst", "mdt", "aest", "jst", "msk", "eet", "eest", "wib", "sgt", "hkt",
    "hrs", "local", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "and", "modified",
})
_TIME = re.compile(r"(?:T|\b)\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\.\d+)?Z?|[+-]\d{2}:?\d{2}\b")
_WORD = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*")


def find_date(text: str) -> str | None:
    """The first valid date written in `text`, as ISO, or None."""
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            iso = _from_match(match)
            if iso is not None:
                return iso
    return None


def date_line(line: str) -> str | None:
    """ISO date when `line` is essentially a date ("Updated: March 14, 2025 10:31 GMT")."""
    if len(line) > 80:
        return None
    for pattern in DATE_PATTERNS:
        match = pattern.search(line)
        if match is None:
            continue
        iso = _from_match(match)
        if iso is None:
            continue
        rest = _TIME.sub(" ", line[: match.start()] + " " + line[match.end():])
        words = [w.lower().rstrip(".") for w in _WORD.findall(rest)]
        if all(w in DATE_LINE_FILLER for w in words):
            return iso
    return None


def iso_date(value: str) -> str | None:
    """Normalise a given date value (ISO timestamp, RFC 2822, written date) to ISO."""
    value = value.strip()
    if not value:
        return None
    found = find_date(value)
    if found is not None:
        return found
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return _valid(parsed.year, parsed.month, parsed.day)


def _from_match(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    year, day = int(groups["year"]), int(groups["day"])
    if groups.get("mnum") is not None:
        month = int(groups["mnum"])
        if "/" in match.group(0) and not match.group(0).startswith(groups["year"]) and day <= 12:
            return None  # 03/04/2025: day and month cannot be told apart
    else:
        month = MONTHS[groups["month"].lower()[:3]]
    return _valid(year, month, day)


def _valid(year: int, month: int, day: int) -> str | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
