"""Story metadata: keywords, main entities, first and last seen.

Keywords are the story's words that are frequent in it and rare in English at large:
tf x idf, where tf sums each article's sublinear count (1 + ln n, so one long article
does not outvote the rest) and idf is -ln of the word's general-English frequency from
wordfreq. The background is a fixed language model rather than the store's articles,
so a story's keywords do not depend on what else is stored and a story alone has them.

Never keywords: stop words, tokens without letters, and names. Names are the main
entities' business (a name wordfreq has never seen would otherwise top every list),
and keywords say what happened. A word is a name when the story capitalises it in
most of its occurrences inside a sentence ("Tolvane", "Minister", but not "dam" of
"Lanmoor Dam", which the story mostly writes "the dam"); a word only ever met at the
start of a sentence is a name when it is part of a named-entity mention. A keyword
must occur in two articles of the story (twice in a story of one), so that one
writer's turn of phrase is not one.

Main entities are the story's canonical entities (`analyse.entities`) with the most
mentions; first and last seen are the earliest and latest publication dates.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from corroborate.model import Article, StoryEntity

KEYWORDS = 8
MAIN_ENTITIES = 5
# Names of people, organisations and places are what a reader scans for; a nationality
# or a date is rarely what a story is about.
MAIN_ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"})
# Mentions whose words are names, not keywords (spaCy labels).
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT",
                         "PRODUCT", "WORK_OF_ART", "LAW"})
# Words wordfreq has never seen (names, coinages) get this frequency: as rare as the
# rarest words it lists (its floor is about 1e-8).
UNSEEN_FREQUENCY = 1e-8
MIN_LETTERS = 3
# Words that carry no topic in news text: function words, reporting verbs, time and
# number words.
# Written for this module (general English knowledge, not copied from a list).
_STOP_WORDS_TEXT = """
a about above after again against all also although am among an and another any are
around as at away back be became because been before being below between both but by
can cannot could did do does doing done down during each either else even ever every
few for from further had has have having he her here hers herself him himself his how
however i if in including into is it its itself just last least less like made make
many may me might more most much must my myself near nearly neither never new next no
nor not now of off often on once one only onto or other others our ours ourselves out
over own per perhaps rather same several she should since so some still such than that
the their theirs them themselves then there these they this those though through thus
to too toward towards under until up upon us very via was we were what whatever when
where whether which while who whom whose why will with within without would yet you
your yours yourself
said says say saying told tell tells according added adding asked noted stated reported
reports reporting announced claimed called spokesman spokeswoman spokesperson statement
news report reporters press media article story update updated read
today yesterday tomorrow week weeks month months year years day days time times hour
hours minute minutes morning afternoon evening night tonight early later ago
monday tuesday wednesday thursday friday saturday sunday january february march april
june july august september october november december
mr mrs ms dr
two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
hundred hundreds thousand thousands million millions billion billions dozen dozens
first second third fourth fifth half
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True, slots=True)
class MainEntity:
    name: str
    type: str
    mentions: int
    articles: int

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "type": self.type, "mentions": self.mentions,
                "articles": self.articles}


def story_keywords(articles: Sequence[Article], limit: int = KEYWORDS) -> list[str]:
    """The story's top words by tf x general-English idf, lower-cased, best first."""
    weight: dict[str, float] = {}
    spread: Counter[str] = Counter()
    total: Counter[str] = Counter()
    capitals = _CapitalVotes()
    for article in articles:
        counts: Counter[str] = Counter()
        for word, initial in _words(f"{article.title or ''}\n{article.text}"):
            key = word.lower()
            counts[key] += 1
            if not initial:
                capitals.vote(key, word[0].isupper())
        for key, n in counts.items():
            weight[key] = weight.get(key, 0.0) + 1.0 + math.log(n)
            spread[key] += 1
            total[key] += n
    entity_words = _entity_words(articles)
    needed = 2 if len(articles) > 1 else 1
    scored = [(weight[k] * _idf(k), k) for k in weight
              if spread[k] >= needed and (len(articles) > 1 or total[k] >= 2)
              and not capitals.is_name(k, entity_words)]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [k for _, k in scored[:limit]]


def main_entities(entities: Sequence[StoryEntity], limit: int = MAIN_ENTITIES) -> list[MainEntity]:
    """The canonical entities with the most mentions (then the most articles)."""
    ranked = [MainEntity(e.name, e.type, len(e.mentions), len({m.article for m in e.mentions}))
              for e in entities if e.type in MAIN_ENTITY_TYPES and e.mentions]
    ranked.sort(key=lambda m: (-m.mentions, -m.articles, m.name))
    return ranked[:limit]


def seen_span(articles: Sequence[Article]) -> tuple[str | None, str | None]:
    """(first seen, last seen): the earliest and latest publication dates, or None."""
    dates = sorted(a.published for a in articles if a.published)
    return (dates[0], dates[-1]) if dates else (None, None)


class _CapitalVotes:
    """How often each word is capitalised inside a sentence, against lower case."""

    def __init__(self) -> None:
        self.upper: Counter[str] = Counter()
        self.lower: Counter[str] = Counter()

    def vote(self, key: str, capitalised: bool) -> None:
        (self.upper if capitalised else self.lower)[key] += 1

    def is_name(self, key: str, entity_words: set[str]) -> bool:
        up, low = self.upper[key], self.lower[key]
        if up == low == 0:
            return key in entity_words
        return up > low


def _words(text: str) -> Iterator[tuple[str, bool]]:
    """(word, starts a sentence) for each candidate word of `text`."""
    for match in _WORD.finditer(text):
        word = match.group().replace("’", "'")
        if word.lower().endswith("'s"):
            word = word[:-2]
        if len(word) >= MIN_LETTERS and word.lower() not in STOP_WORDS:
            yield word, _starts_sentence(text, match.start())


def _starts_sentence(text: str, at: int) -> bool:
    before = text[max(0, at - 4) : at].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n" or before[-1] in "—-–"


def _entity_words(articles: Sequence[Article]) -> set[str]:
    """Lower-cased words of the story's named-entity mentions."""
    return {word.lower() for article in articles for mention in article.entities
            if mention.label in NAME_LABELS for word, _ in _words(mention.text)}


def _idf(word: str) -> float:
    from wordfreq import word_frequency  # imported here: reports load without it

    return -math.log(max(word_frequency(word, "en"), UNSEEN_FREQUENCY))
