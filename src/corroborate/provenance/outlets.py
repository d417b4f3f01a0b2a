"""Recognising news outlets in text: aliases from the data lists, and ORG entities.

A name counts as an outlet when it is a known alias (`cues.AGENCIES`, `cues.OUTLETS`),
when spaCy tagged it ORG and its last word is a news word ("Kyiv Post", "Riverside
Times"), or when the text itself calls it a news agency.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from corroborate.model import EntityMention
from corroborate.provenance.cues import (
    AGENCIES,
    NEWS_AGENCY_HEAD,
    NEWS_AGENCY_TAIL,
    ORG_OUTLET_SUFFIXES,
    OUTLETS,
)


def _alias_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, aliases in (*AGENCIES.items(), *OUTLETS.items()):
        for alias in (canonical, *aliases):
            table.setdefault(alias, canonical)
    return table


ALIASES: dict[str, str] = _alias_table()
CANONICAL_NAMES = frozenset(ALIASES.values())
_ALIAS_ALTERNATION = "|".join(
    re.escape(alias) for alias in sorted(ALIASES, key=len, reverse=True)
)
# An alias starting where we look, with an optional leading article.
_ALIAS_AT = re.compile(
    rf"(?:[Tt]he\s+)?(?P<name>{_ALIAS_ALTERNATION})(?![\w-])(?:{NEWS_AGENCY_TAIL}\b)?"
)
# An alias ending where we look (the text before a cue such as "reported").
_ALIAS_BEFORE = re.compile(rf"(?<![\w-])(?:[Tt]he\s+)?(?P<name>{_ALIAS_ALTERNATION})\s*$")
# "the Foo news agency": the text vouches for the name.
_CALLED_AGENCY = re.compile(
    rf"(?:[Tt]he\s+)?(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){{0,2}}){NEWS_AGENCY_TAIL}\b"
)
_DESCRIBED_AGENCY = re.compile(NEWS_AGENCY_HEAD)
# A capitalised name on a credit line ("Source: Riverside Times"), checked by the
# suffix rule since removed lines have no entities.
_CAPITALISED = re.compile(r"[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4}")
_NOT_KEY = re.compile(r"[\W_]+")
_DOMAIN_TAIL = re.compile(r"\.(?:com|co\.uk|co|org|net|ie|in|news|uk|us)(?:/.*)?$")
_BEFORE_WINDOW = 60


@dataclass(frozen=True, slots=True)
class OutletMatch:
    """An outlet named in a text: its canonical name and the characters naming it."""

    name: str
    start: int
    end: int


def canonical_outlet(name: str) -> str:
    """The canonical form of an outlet name: the listed name for a known alias."""
    bare = name.strip()
    if bare in ALIASES:
        return ALIASES[bare]
    for prefix in ("the ", "The "):
        if bare.startswith(prefix) and bare[len(prefix):] in ALIASES:
            return ALIASES[bare[len(prefix):]]
    return bare


def outlet_key(name: str) -> str:
    """A comparison key that equates "The Guardian", "Guardian" and "theguardian.com",
    or "Mint" and "livemint.com"."""
    key = _raw_key(canonical_outlet(name))
    known = _ALIAS_KEYS.get(key)
    return _raw_key(known) if known is not None else key


def _raw_key(name: str) -> str:
    bare = name.casefold().strip().removeprefix("www.")
    key = _NOT_KEY.sub("", _DOMAIN_TAIL.sub("", bare))
    return key.removeprefix("the") or key


_ALIAS_KEYS: dict[str, str] = {_raw_key(alias): canonical for alias, canonical in ALIASES.items()}


def outlet_at(text: str, pos: int, entities: Sequence[EntityMention]) -> OutletMatch | None:
    """The outlet named right at `pos` (after a cue such as "told" or "according to")."""
    alias = _ALIAS_AT.match(text, pos)
    if alias is not None:
        return OutletMatch(ALIASES[alias["name"]], pos, alias.end())
    entity = _outlet_entity(entities, lambda e: pos <= e.start <= pos + len("the ")
                            and text[pos:e.start].strip() in ("", "the", "The"))
    if entity is not None:
        return OutletMatch(_display_name(entity.text), pos, entity.end)
    called = _CALLED_AGENCY.match(text, pos)
    if called is not None:
        return OutletMatch(called["name"], pos, called.end())
    described = _DESCRIBED_AGENCY.match(text, pos)
    if described is not None:
        alias = _ALIAS_AT.match(text, described.end())
        if alias is not None:
            return OutletMatch(ALIASES[alias["name"]], pos, alias.end())
    return None


def outlet_on_credit_line(line: str, pos: int) -> OutletMatch | None:
    """The outlet a credit line names at `pos`: an alias, or a capitalised name whose
    last word is a news word ("Source: Riverside Times")."""
    found = outlet_at(line, pos, ())
    if found is not None:
        return found
    name = _CAPITALISED.match(line, pos)
    if name is None:
        return None
    outlet = outlet_named(name.group().rstrip(".,;:"))
    return OutletMatch(outlet, pos, pos + len(name.group().rstrip(".,;:"))) if outlet else None


def outlet_before(text: str, end: int, entities: Sequence[EntityMention]) -> OutletMatch | None:
    """The outlet named right before `end` (before a cue such as "reported")."""
    stop = end
    while stop > 0 and text[stop - 1].isspace():
        stop -= 1
    window_start = max(0, stop - _BEFORE_WINDOW)
    alias = _ALIAS_BEFORE.search(text[window_start:stop])
    if alias is not None:
        return OutletMatch(ALIASES[alias["name"]], window_start + alias.start(), stop)
    entity = _outlet_entity(entities, lambda e: e.end == stop)
    if entity is not None:
        start = entity.start
        if text[max(0, start - 4):start] in ("the ", "The "):
            start -= 4
        return OutletMatch(_display_name(entity.text), start, stop)
    return None


def outlet_named(name: str) -> str | None:
    """The outlet a bare name denotes (a dateline's "(Reuters)"), or None."""
    bare = name.strip()
    if canonical_outlet(bare) in CANONICAL_NAMES:
        return canonical_outlet(bare)
    words = bare.split()
    if len(words) >= 2 and words[-1] in ORG_OUTLET_SUFFIXES:
        return _display_name(bare)
    return None


def _outlet_entity(
    entities: Sequence[EntityMention], where: Callable[[EntityMention], bool]
) -> EntityMention | None:
    for entity in entities:
        if entity.label != "ORG" or not where(entity):
            continue
        words = entity.text.split()
        # One word is not enough: "Press" or "News" alone is not an outlet's name.
        if len(words) >= 2 and words[-1] in ORG_OUTLET_SUFFIXES:
            return entity
    return None


def _display_name(text: str) -> str:
    name = " ".join(text.split())
    for prefix in ("the ", "The "):
        name = name.removeprefix(prefix)
    return canonical_outlet(name)
