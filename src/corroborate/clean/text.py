"""Text normalisation and the paragraph layout every cleaned text has.

Cleaned text is one paragraph per line, paragraphs separated by a blank line, no
trailing whitespace: sentence splitting relies on a newline always being a boundary,
and offsets into it are stable because nothing rewrites it later.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable

# Characters that render as nothing (or as a break opportunity) and only disturb
# matching: BOM, zero-width space/joiners, word joiner, soft hyphen.
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u00ad"
_DROP = {ord(ch): None for ch in INVISIBLE}
# C0/C1 control characters other than newline and tab: they come from bad conversions.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HSPACE = re.compile(r"[^\S\n]+")
_CLOSERS = "\"'”’»)]*"
_TERMINAL = ".!?…"

# Hard-wrapped text (lines cut at a fixed width inside paragraphs) is recognised when
# the wrap width is short and most lines fill it; measured on invented wrapped texts
# at widths 60-80, and no seed (paragraph per line) passes.
WRAP_MAX_WIDTH = 100
WRAP_MIN_WIDTH = 40
WRAP_FULL_SHARE = 0.6  # a line "fills" the width when at least this share of it
WRAP_MIN_FULL_LINES = 0.5  # share of lines that must fill the width
WRAP_MIN_LINES = 6


def normalise(raw: str) -> str:
    """NFC, one kind of newline, invisible and control characters dropped, each line's
    whitespace collapsed to single spaces and trimmed."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\f", "\n")
    text = _CONTROLS.sub("", text.translate(_DROP).replace("\t", " "))
    return "\n".join(_HSPACE.sub(" ", line).strip() for line in text.split("\n"))


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of normalised text: each non-blank line, or each wrapped block rejoined."""
    lines = text.split("\n")
    if _is_hard_wrapped(lines):
        return _unwrap(lines)
    return [line for line in lines if line]


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    return "\n\n".join(p for p in paragraphs if p)


def ends_sentence(line: str) -> bool:
    """True when the line ends with sentence punctuation (inside closing quotes too)."""
    stripped = line.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(stripped) and stripped[-1] in _TERMINAL


def word_count(line: str) -> int:
    return len(line.split())


def flatten(text: str) -> str:
    """All whitespace runs to one space: for substring tests across line layouts."""
    return " ".join(text.split())


def _is_hard_wrapped(lines: list[str]) -> bool:
    filled = [line for line in lines if line]
    if len(filled) < WRAP_MIN_LINES or len(filled) == len(lines):
        return False  # no blank lines: each line is its own paragraph
    lengths = sorted(len(line) for line in filled)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not WRAP_MIN_WIDTH <= width <= WRAP_MAX_WIDTH:
        return False
    full = sum(1 for n in lengths if n >= WRAP_FULL_SHARE * width)
    return full >= WRAP_MIN_FULL_LINES * len(filled) and _has_wrapped_block(lines, width)


def _has_wrapped_block(lines: list[str], width: int) -> bool:
    """At least one full line directly followed by another line of the same block."""
    return any(
        a and b and len(a) >= WRAP_FULL_SHARE * width
        for a, b in itertools.pairwise(lines)
    )


def _unwrap(lines: list[str]) -> list[str]:
    filled = [line for line in lines if line]
    width = sorted(len(line) for line in filled)[int(0.9 * (len(filled) - 1))]
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            current = _flush(paragraphs, current)
            continue
        current = _join_wrapped(current, line) if current else line
        if len(line) < WRAP_FULL_SHARE * width:  # a short line ends its paragraph
            current = _flush(paragraphs, current)
    _flush(paragraphs, current)
    return paragraphs


def _join_wrapped(left: str, right: str) -> str:
    if left.endswith("-") and left[-2:-1].isalpha() and right[:1].islower():
        return left + right  # a word hyphenated at the wrap
    return f"{left} {right}"


def _flush(paragraphs: list[str], current: str) -> str:
    if current:
        paragraphs.append(current)
    return ""
