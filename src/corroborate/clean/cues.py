"""Line-level tests built on the data in `patterns.py`: what one line looks like.

Each function answers one question about a single normalised line; the zone logic that
combines them (top, middle, bottom of the page) is in `boilerplate.py`.
"""

from __future__ import annotations

import re

from corroborate.clean import patterns as p
from corroborate.clean.dates import date_line
from corroborate.clean.text import ends_sentence, word_count

# A line of body text: a full sentence of a few words, or a block too long to be a
# headline even without a final stop (headlines stay under ~25 words).
PROSE_MIN_WORDS = 30
SENTENCE_MIN_WORDS = 5
# Items of a related-stories list (headlines, author names, dates) and stubs at the
# edges of the page (labels, widget leftovers): no final full stop, headline length.
LIST_ITEM_MAX_CHARS = 160
# Labels between two furniture lines at the top ("New York" under a weather widget).
TOP_STUB_MAX_WORDS = 3
# A breadcrumb is a menu path plus at most a headline.
BREADCRUMB_MAX_CHARS = 250
NOT_MENU_CHARS = frozenset("#@/_:.()=<>[]{}")

_DIGITS = re.compile(r"\d+")
_WORDS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def furniture_kind(line: str) -> str | None:
    """The kind of site furniture `line` is wherever it stands, or None."""
    for cue in p.ANYWHERE:
        if cue.matches(line):
            return cue.kind
    if stamp_date(line) is not None and not is_bare_date(line):
        return "timestamp"
    if is_share_bar(line):
        return "share"
    if is_menu(line):
        return "menu"
    if is_pitch(line):
        return "donation"
    if is_breadcrumb(line):
        return "breadcrumb"
    return None


def top_kind(line: str) -> str | None:
    """Furniture that only counts above the first paragraph (labels, dates, bylines)."""
    if is_greeting(line):
        return "greeting"
    if is_bare_date(line):
        return "date"
    if p.TAGLINE.search(line) and not ends_sentence(line) and len(line) <= p.TAGLINE_MAX_LEN:
        return "tagline"
    if is_section_label(line):
        return "section"
    if byline_author(line) is not None:
        return "byline"
    return None


def is_protected(line: str) -> bool:
    """Sign-offs and datelines: the article's own short lines at its edges."""
    return any(rx.search(line) for rx in p.PROTECTED) or bool(p.DATELINE.match(line))


def is_prose(line: str) -> bool:
    words = word_count(line)
    return words >= PROSE_MIN_WORDS or (words >= SENTENCE_MIN_WORDS and ends_sentence(line))


def is_list_item(line: str) -> bool:
    """A headline, name or label: short and not closed by a full stop."""
    if word_count(line) <= TOP_STUB_MAX_WORDS:
        return True
    closed = ends_sentence(line) and not line.rstrip("\"'”’»)] ").endswith(("?", "!"))
    return len(line) <= LIST_ITEM_MAX_CHARS and not closed


def is_top_stub(line: str) -> bool:
    return word_count(line) <= TOP_STUB_MAX_WORDS and not ends_sentence(line)


def is_share_bar(line: str) -> bool:
    tokens = [t.lower() for t in p.SHARE_TOKEN.findall(line) if not t.isdigit()]
    if not tokens or len(tokens) > p.SHARE_MAX_WORDS:
        return False
    counters = [t for t in tokens if t[:1].isdigit()]  # "1.2k" shares
    words = [t for t in tokens if t not in counters]
    return (all(w in p.SHARE_WORDS for w in words)
            and any(w in p.SHARE_ANCHORS for w in words))


def is_bare_date(line: str) -> bool:
    """A date alone (with a weekday or time): a header date at the top, but a timeline
    subheading in the middle of a live blog, so only furniture above the body."""
    return date_line(line) is not None and not p.TIMESTAMP_PREFIX.match(line)


def stamp_date(line: str) -> str | None:
    """The date of a publication stamp: "Posted on March 3, 2025 by desk",
    "Updated: 3 March 2025 10:31", "October 17, 2024 | 3 min read"."""
    if len(line) > p.STAMP_MAX_LEN:
        return None
    bare = p.STAMP_BY.sub("", line)
    parts = [part for part in p.SECTION_SEPARATORS.split(bare) if part]
    dates = [date_line(part) for part in parts]
    found = [d for d in dates if d is not None]
    others_ok = all(d is not None or _is_reading_time(part) for part, d in zip(parts, dates,
                                                                                 strict=True))
    return found[0] if found and others_ok else None


def _is_reading_time(part: str) -> bool:
    return any(cue.matches(part) for cue in p.READING_TIME)


def is_menu(line: str) -> bool:
    """"Home | World | Politics | Contact": three or more short items, mostly the names
    of sections or site pages."""
    parts = [part.strip() for part in p.SECTION_SEPARATORS.split(line) if part.strip()]
    if len(parts) < p.MENU_MIN_ITEMS or any(word_count(part) > 3 for part in parts):
        return False
    known = sum(1 for part in parts if part.lower() in p.SECTION_WORDS | p.SITE_PAGE_WORDS)
    return known >= p.MENU_KNOWN_SHARE * len(parts)


def is_pitch(line: str) -> bool:
    """A donation or subscription box in one paragraph: pitch vocabulary, a call to act,
    and the site speaking to the reader (news about donations speaks of third parties)."""
    return (len(line) <= p.PITCH_MAX_LEN and pitch_score(line) >= p.PITCH_LINE_MIN_WORDS
            and p.PITCH_CALL.search(line) is not None and p.READER_VOICE.search(line) is not None)


def is_section_label(line: str) -> bool:
    """"World", "News | Politics", "Home > World > Europe": a section name or path."""
    parts = [part for part in p.SECTION_SEPARATORS.split(line.strip()) if part]
    if not parts or any(word_count(part) > TOP_STUB_MAX_WORDS for part in parts):
        return False
    return all(part.lower() in p.SECTION_WORDS for part in parts)


def is_breadcrumb(line: str) -> bool:
    """A navigation path: "Home > World > <headline>" or menu words run together
    ("Business NewsPoliticsHeadline") when the page was flattened to text."""
    if ends_sentence(line) and not line.endswith("?"):
        return False
    parts = [part for part in p.PATH_SEPARATORS.split(line) if part]
    if len(parts) >= 2 and parts[0].lower() in p.SECTION_WORDS and line[:1].isupper():
        return all(word_count(part) <= 4 for part in parts[:-1])
    return len(line) <= BREADCRUMB_MAX_CHARS and _menu_run_together(line)


def _menu_run_together(line: str) -> bool:
    """Menu words glued without spaces, two of them section names ("NewsPolitics").
    Handles, hashtags, URLs and code identifiers ("UnboundLocalError") are not menus."""
    joins = 0
    sections = 0
    for token in line.split():
        if any(ch in NOT_MENU_CHARS for ch in token):
            continue
        segments = p.RUN_TOGETHER.split(token)
        if len(segments) > 1:
            joins += len(segments) - 1
            sections += sum(1 for s in segments if s.lower() in p.SECTION_WORDS)
    return joins >= p.RUN_TOGETHER_MIN_JOINS and sections >= 2


def byline_author(line: str) -> str | None:
    if len(line) > p.BYLINE_MAX_LEN:
        return None
    match = p.BYLINE.match(line)
    return match.group("author").strip() if match else None


def pitch_score(line: str) -> int:
    """Distinct donation-pitch words in `line`."""
    return len({w.lower() for w in _WORDS.findall(line)} & p.PITCH_WORDS)


def line_key(line: str) -> str:
    """The form under which lines are compared across pages (counters ignored)."""
    return _DIGITS.sub("0", " ".join(line.casefold().split()))


def is_greeting(line: str) -> bool:
    """"Welcome to Example News" (with a tagline or widget text around it), not a lede
    that starts "Welcome to Paris, where ...": the line's first segment (up to a "|",
    dash or "!") must be the greeting and the site name alone."""
    if not p.GREETING.search(line):
        return False
    if len(line) <= p.GREETING_SHORT:
        return True
    site = greeting_site(line)
    if site is None:
        return False
    bare = p.INLINE_FURNITURE.sub(" ", line)
    first = p.GREETING_END.split(bare, maxsplit=1)[0]
    rest = p.GREETING_SPLIT.sub(" ", first).replace(site, " ")
    return word_count(rest) <= p.GREETING_MAX_EXTRA_WORDS


def greeting_site(line: str) -> str | None:
    """"Welcome to Example News" -> "Example News" (other widget text removed first)."""
    bare = p.INLINE_FURNITURE.sub(" ", line)
    pieces = p.GREETING_SPLIT.split(bare, maxsplit=2)
    if len(pieces) < 2:
        return None
    match = p.GREETING_SITE.match(pieces[1].strip())
    return match.group("site").strip() if match else None


def promo_site(line: str) -> str | None:
    """"... News Updates on Example Daily." -> "Example Daily"."""
    match = p.PROMO_SITE.search(line)
    return match.group("site").strip() if match else None


def pitch_site(line: str) -> str | None:
    """"Support from readers like you keeps Example Times open." -> "Example Times"."""
    match = p.PITCH_SITE.search(line)
    return match.group("site").strip() if match else None
