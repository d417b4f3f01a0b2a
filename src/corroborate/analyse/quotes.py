"""A story's quotes: every article quote with its speaker's canonical story name.

An article's speaker string becomes the story's name for that speaker in this order:
a name that qualifies a role in the text, when only one of the story's people holds
that role ("Kremlin" in "the Kremlin spokesman told reporters" -> "Dmitry Peskov");
a name or spelling of a story entity ("Zelensky" -> "Volodymyr Zelenskyy"); such a
role itself ("the Ukrainian president"); else the article's own string, with the spellings of
one institution made one ("Ukrainian general staff", "Ukraine's military
leadership"). A quoted fragment inside a reported statement that names its speaker
("Putin insisted on certain “nuances”") is that speaker's.
"""

from __future__ import annotations

import re
from collections import Counter

from corroborate.analyse.entities import EntityIndex
from corroborate.analyse.roles import ROLE_KINDS, parse_role
from corroborate.model import Article, Quote, StoryQuote

# Words after a speaker name that can continue it into a role ("Kremlin spokesman",
# "Ukraine's foreign minister"): at most this many.
_ROLE_TAIL_WORDS = 3
_TAIL_WORD = re.compile(r"(?:['’]s)?\s+([\w-]+)")
_PLAIN_NAME = re.compile(r"[\w’'.&-]+(?: [\w’'.&-]+)*")
_LEADING_NAME = re.compile(r"[A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*")


def story_quotes(articles: list[Article], index: EntityIndex) -> list[StoryQuote]:
    """One `StoryQuote` per quote of each article, in article and text order.

    The speaker is the canonical name (see the module docstring), and None when the
    article names no speaker; `speaker_text` keeps the article's own string.
    """
    quotes: list[StoryQuote] = []
    for article in articles:
        for quote in article.quotes:
            quote = _with_enclosing_speaker(quote, article.quotes)
            quotes.append(StoryQuote(
                speaker=_resolve(quote, article, index),
                text=article.text[quote.start : quote.end],
                article=article.id,
                start=quote.start,
                end=quote.end,
                direct=quote.direct,
                speaker_start=quote.speaker_start,
                speaker_end=quote.speaker_end,
                speaker_text=quote.speaker,
            ))
    _unify_institutions(quotes, index)
    return quotes


def _with_enclosing_speaker(quote: Quote, others: list[Quote]) -> Quote:
    """A quote without a speaker that lies inside another quote of the article takes
    that quote's speaker: the words quoted inside a reported statement are its
    speaker's ("Putin ... insisted on certain “nuances,”")."""
    if quote.speaker is not None:
        return quote
    for outer in others:
        inside = outer.start <= quote.start and quote.end <= outer.end + 1
        if outer is not quote and outer.speaker is not None and inside \
                and outer.end - outer.start > quote.end - quote.start:
            return Quote(quote.start, quote.end, outer.speaker, outer.speaker_start,
                         outer.speaker_end, quote.direct, outer.cue)
    return quote


def _resolve(quote: Quote, article: Article, index: EntityIndex) -> str | None:
    if quote.speaker is None:
        return None
    if quote.speaker_end is not None:  # "the Kremlin spokesman" is not the Kremlin
        role = _role_after_name(article.text, quote.speaker, quote.speaker_end)
        owner = index.role_owner(role) if role else None
        if owner is not None:
            return owner
    at = quote.speaker_start if quote.speaker_start is not None else quote.start
    return index.resolve(_name_part(quote.speaker), article.id, at + 1) or quote.speaker


def _name_part(speaker: str) -> str:
    """The name at the start of a speaker string the recogniser ran past a sentence
    end ("Peskov said.[Putin" -> "Peskov"); other strings unchanged."""
    if _PLAIN_NAME.fullmatch(speaker):
        return speaker
    match = _LEADING_NAME.match(speaker)
    return match.group(0) if match else speaker


def _role_after_name(text: str, name: str, end: int) -> str | None:
    """The role a speaker name qualifies in the text: "Kremlin" in "the Kremlin
    spokesman told reporters" -> "Kremlin spokesman"; None when no role follows."""
    words: list[str] = []
    position = end
    for _ in range(_ROLE_TAIL_WORDS):
        match = _TAIL_WORD.match(text, position)
        if not match or (match.group(1)[:1].isupper() and not words):
            break  # "Kremlin Peskov" is two names, not a role
        words.append(match.group(1))
        position = match.end()
        if match.group(1).lower() in ROLE_KINDS:
            return f"{name} {' '.join(words)}"
    return None


def _unify_institutions(quotes: list[StoryQuote], index: EntityIndex) -> None:
    """One name for an institution the articles describe differently ("Ukrainian
    general staff", "Ukraine's military leadership"): same kind of role, same
    country. The name kept is the one that uses the role's own word, then the most
    frequent, then the first in publication order."""
    keys: dict[str, tuple[str, frozenset[str]]] = {}
    for quote in quotes:
        speaker = quote.speaker
        if speaker is None or speaker in keys or index.canonical(speaker) == speaker:
            continue
        role = parse_role(speaker)
        if role is not None:
            keys[speaker] = (role.kind, role.qualifiers)
    counts = Counter(q.speaker for q in quotes if q.speaker in keys)
    groups: dict[tuple[str, frozenset[str]], list[str]] = {}
    for speaker in dict.fromkeys(q.speaker for q in quotes if q.speaker in keys):
        assert speaker is not None
        groups.setdefault(keys[speaker], []).append(speaker)
    names: dict[str, str] = {}
    for (kind, _), members in groups.items():
        best = max(members, key=lambda s: (kind in s.lower(), counts[s], -members.index(s)))
        names.update(dict.fromkeys(members, best))
    for quote in quotes:
        if quote.speaker in names:
            quote.speaker = names[quote.speaker]

