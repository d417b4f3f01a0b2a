"""Metadata from the text itself, for articles that come without it.

The title is the headline a flattened page starts with (once top furniture is gone):
a line that is short, not closed by a full stop, not a date and not furniture, with
body text after it. The date and the site name come out of furniture lines and are
collected by `boilerplate.py`; the URL's domain names the outlet when nothing else does.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from corroborate.clean import cues
from corroborate.clean.dates import date_line
from corroborate.clean.text import ends_sentence, word_count

# Longest headline we accept; longer first lines are paragraphs. Headlines on news
# sites run 40-120 characters; 200 leaves room for long wire-style headlines.
TITLE_MAX_CHARS = 200
TITLE_MIN_WORDS = 3
# Two titles are the same when one contains the other and they are this close in
# length: a page's <title> often adds " | Site" to the headline printed above the text.
SAME_TITLE_MIN_RATIO = 0.6


def looks_like_headline(line: str) -> bool:
    if len(line) >= TITLE_MAX_CHARS or word_count(line) < TITLE_MIN_WORDS:
        return False
    if ends_sentence(line) and not line.rstrip("\"'”’»)] ").endswith(("?", "!")):
        return False
    return (date_line(line) is None and cues.furniture_kind(line) is None
            and cues.top_kind(line) is None and not cues.is_protected(line))


def detect_title(paragraphs: list[str]) -> str | None:
    """The first paragraph when it reads as a headline and body text follows it."""
    if len(paragraphs) < 2 or not looks_like_headline(paragraphs[0]):
        return None
    return paragraphs[0]


def same_title(line: str, title: str) -> bool:
    a, b = _title_key(line), _title_key(title)
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    return shorter in longer and len(shorter) >= SAME_TITLE_MIN_RATIO * len(longer)


def outlet_from_url(url: str) -> str | None:
    """The URL's host without "www." ("https://www.example.com/a" -> "example.com")."""
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def _title_key(text: str) -> str:
    return " ".join("".join(ch for ch in text.casefold() if ch.isalnum() or ch.isspace()).split())
