"""The story's quote ledger: each statement once, with every outlet that carries it.

Outlets quote one statement in pieces ("cautious optimism"), in full, cut with an
ellipsis, paraphrased ("Putin would not willingly end the war"), and, in a translated
or spun copy, reworded ("a horrifying massacre" for "a horrible massacre").
`build_ledger` groups the story's quotes by statement on their content words
(lower-cased, crudely stemmed, stop words out), so punctuation, case, ellipsis and
truncation never split a statement, and flags what a reader should look at:

- `altered`: a direct quote whose words differ from another direct quote of the
  statement beyond punctuation, case, ellipsis and truncation: the two are versions of
  one sentence, and share a word outside any passage they have in common. Of the two,
  the one fewer other quotes bear out (then the machine-translated one, then the
  later one) is flagged. A reported paraphrase is never altered: it is no quotation;
- `speaker-differs`: the carrier names another speaker than the statement's
  (possible misattribution).

Two quotes are one statement when their speakers agree (the same, one unknown, or an
institution and its voice) and (a) one's words run, in order, inside the other's and it
has at least two content words, or (b) they share enough content words, the names of
the story's people and places left out: `SAME_SPEAKER_SHARE` of the shorter one and
`SAME_SPEAKER_LONGER_SHARE` of the longer one (two quotes of one article, or one with
no speaker: `OTHER_SPEAKER_SHARE`). Quotes of two different speakers are one statement
only when long and near-identical (`OTHER_SPEAKER_SHARE`, `OTHER_SPEAKER_MIN_SHARED`).
Quotes are joined transitively.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache

from corroborate.analyse.roles import name_qualifiers, role_qualifiers
from corroborate.model import Article, Citation, LedgerCarrier, LedgerEntry, StoryQuote

# Thresholds chosen on the seed story (5 real articles, 156 quotes, one spun
# translation) and checked on the demo corpus (20 invented articles): the lowest
# values that join the spun copy's reworded quotes to their originals without joining
# two different statements of one speaker there.
SAME_SPEAKER_SHARE = 0.5
SAME_SPEAKER_MIN_SHARED = 2
# ... and this share of the longer one, so two sentences of one speech that share a
# few words ("end the war") do not chain into one statement.
SAME_SPEAKER_LONGER_SHARE = 0.25
# Two different speakers with the same words: only long, near-identical quotes,
# because two people echoing a phrase ("reasons to be cautiously optimistic") is
# common and no misattribution.
OTHER_SPEAKER_SHARE = 0.8
OTHER_SPEAKER_MIN_SHARED = 5
# A fragment joins a longer quote it lies in only with this many content words:
# "very bad" fits in too many sentences to say which one it came from.
PHRASE_MIN_CONTENT = 2

# Entity labels whose words are left out of the words compared (see `_name_words`);
# events ("World War II") stay: they are what a statement is about.
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# English function words (and the intensifiers quotes are full of), left out of the
# content words compared.
_STOP_WORDS_TEXT = """
a about after again all also am an and any are as at be been before being but by can
could did do does doing for from had has have having he her here him his how i if in
into is it its just let me more most my no nor not now of on once only or other our
out over own same she should so some such than that the their them then there these
they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours s t ll ve re d m don won since
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
# Suffixes stripped (repeatedly) before comparing: enough for "cautiously optimistic"
# to meet "cautious optimism", not a linguistic stemmer.
_SUFFIXES = ("ically", "ally", "istic", "ism", "ness", "ing", "ly", "ed", "s")
_WORD = re.compile(r"\w+")
_ELLIPSIS = re.compile(r"\.\.\.|…|\[[^\]]*\]")


def build_ledger(quotes: Sequence[StoryQuote], articles: Sequence[Article],
                 roles: Mapping[str, list[str]] | None = None) -> list[LedgerEntry]:
    """The story's statements, most widely carried first, then in order of appearance.

    `roles` (canonical name -> roles, as on `StoryEntity.roles`) lets an institution
    and its voice agree: "the Kremlin" said what "Kremlin spokesman" Dmitry Peskov
    said, which is no misattribution.
    """
    voices = _Voices(roles or {})
    order = {a.id: i for i, a in enumerate(_publication_order(articles))}
    by_id = {a.id: a for a in articles}
    usable = [q for q in quotes if q.article in order and _words(q.text)]
    usable.sort(key=lambda q: (order[q.article], q.start))
    groups = _group(usable, _name_words(articles), voices)
    entries = [_entry(members, by_id, voices) for members in groups]
    entries.sort(key=lambda e: (-len(e.articles), order[e.first.article], e.first.start))
    return entries


def _publication_order(articles: Sequence[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published is None, a.published or "", a.id))


# -- grouping ------------------------------------------------------------------------

class _Voices:
    """Which speakers may say one statement without contradiction: the same, or an
    institution and a person whose role is of it ("the Kremlin" and its "Kremlin
    spokesman"; "the Federation" and "the head of the Mineworkers' Federation")."""

    def __init__(self, roles: Mapping[str, list[str]]) -> None:
        self._of = {name: role_qualifiers(list(r)) for name, r in roles.items()}
        self._known: dict[tuple[str, str], bool] = {}  # every pair is asked many times

    def agree(self, first: str | None, second: str | None) -> bool:
        if first is None or second is None or first == second:
            return True
        pair = (first, second)
        if pair not in self._known:
            self._known[pair] = self._speaks_for(first, second) \
                or self._speaks_for(second, first)
        return self._known[pair]

    def _speaks_for(self, institution: str, person: str) -> bool:
        words = name_qualifiers(institution)
        return bool(words) and words <= self._of.get(person, frozenset())


def _name_words(articles: Sequence[Article]) -> frozenset[str]:
    """Words of the story's names: every quote of a story about Putin and Trump names
    them, so sharing them says nothing about sharing a statement."""
    return frozenset(word for a in articles for m in a.entities if m.label in NAME_LABELS
                     for word in _words(m.text))


def _group(quotes: list[StoryQuote], names: frozenset[str],
           voices: _Voices) -> list[list[StoryQuote]]:
    words = [_words(q.text) for q in quotes]
    content = [Counter(w for w in ws if w not in STOP_WORDS and w not in names)
               for ws in words]
    parent = list(range(len(quotes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(quotes)):
        for j in range(i + 1, len(quotes)):
            if find(i) != find(j) and _same_statement(
                    (quotes[i], words[i], content[i]), (quotes[j], words[j], content[j]),
                    voices):
                parent[find(i)] = find(j)
    groups: dict[int, list[StoryQuote]] = {}
    for i, quote in enumerate(quotes):
        groups.setdefault(find(i), []).append(quote)
    return list(groups.values())


_Item = tuple[StoryQuote, list[str], Counter[str]]


def _same_statement(first: _Item, second: _Item, voices: _Voices) -> bool:
    (qa, wa, ca), (qb, wb, cb) = first, second
    small, large = sorted((sum(ca.values()), sum(cb.values())))
    if small == 0:
        return wa == wb and qa.speaker is not None and qa.speaker == qb.speaker
    shared = sum((ca & cb).values()) if not ca.keys().isdisjoint(cb.keys()) else 0
    if not voices.agree(qa.speaker, qb.speaker):
        return shared >= OTHER_SPEAKER_MIN_SHARED and shared / small >= OTHER_SPEAKER_SHARE
    if small >= PHRASE_MIN_CONTENT and (_runs_inside(wa, wb) or _runs_inside(wb, wa)):
        return True
    if qa.speaker is None or qb.speaker is None:  # an unattributed echo: be strict
        return shared >= OTHER_SPEAKER_MIN_SHARED and shared / small >= OTHER_SPEAKER_SHARE
    if qa.article == qb.article:  # two sentences of one article: nearly the same words
        return small >= PHRASE_MIN_CONTENT and shared / small >= OTHER_SPEAKER_SHARE
    return (shared >= SAME_SPEAKER_MIN_SHARED and shared / small >= SAME_SPEAKER_SHARE
            and shared / large >= SAME_SPEAKER_LONGER_SHARE)


def _runs_inside(part: list[str], whole: list[str]) -> bool:
    """`part`'s words appear, in order and next to each other, inside `whole`."""
    n = len(part)
    return 0 < n <= len(whole) and any(whole[i : i + n] == part
                                       for i in range(len(whole) - n + 1))


def _words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower().replace("’", "'"))]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    if word in STOP_WORDS:
        return word
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                changed = True
                break
    return word


# -- entries -------------------------------------------------------------------------

def _entry(members: list[StoryQuote], articles: dict[str, Article],
           voices: _Voices) -> LedgerEntry:
    speaker = _main_speaker(members)
    direct = [q for q in members if q.direct]
    statement = _main_wording(direct or members, articles)
    altered = _altered_quotes(direct, statement, articles)
    carriers = [_carrier(q, articles[q.article], any(q is a for a in altered),
                         not voices.agree(q.speaker, speaker) and not _embedded(q, members))
                for q in members]
    flags = sorted({flag for c in carriers for flag in c.flags})
    first = members[0]
    return LedgerEntry(
        speaker=speaker,
        text=statement.text,
        direct=bool(direct),
        first=Citation(first.article, first.start, first.end),
        articles=list(dict.fromkeys(q.article for q in members)),
        outlets=list(dict.fromkeys(o for q in members if (o := articles[q.article].outlet))),
        carriers=carriers,
        flags=flags,
    )


def _embedded(quote: StoryQuote, members: list[StoryQuote]) -> bool:
    """Speech reported inside another quote of the same article ("Okafor said engineers
    had declared the dam stable"): its own speaker is no misattribution."""
    return any(other is not quote and other.article == quote.article
               and other.start <= quote.start and quote.end <= other.end
               and other.end - other.start > quote.end - quote.start for other in members)


def _main_speaker(members: list[StoryQuote]) -> str | None:
    """The speaker most carriers name (articles counted once each), then the first."""
    votes = Counter(dict.fromkeys((q.article, q.speaker) for q in members if q.speaker))
    counts = Counter(speaker for _, speaker in votes)
    if not counts:
        return None
    ranked = [q.speaker for q in members if q.speaker]
    return max(counts, key=lambda s: (counts[s], -ranked.index(s)))


def _main_wording(quotes: list[StoryQuote], articles: dict[str, Article]) -> StoryQuote:
    """The most common wording (by words, ignoring punctuation and case), then one
    from an article not flagged machine-translated (a spun copy rewords), then the
    longest, then the first."""
    counts = Counter(tuple(_words(q.text)) for q in quotes)
    return max(quotes, key=lambda q: (
        counts[tuple(_words(q.text))],
        "machine-translated" not in articles[q.article].flags,
        len(_words(q.text)), -quotes.index(q)))


def _carrier(quote: StoryQuote, article: Article, altered: bool,
             speaker_differs: bool) -> LedgerCarrier:
    flags = []
    if altered:
        flags.append("altered")
    if speaker_differs:
        flags.append("speaker-differs")
    return LedgerCarrier(
        article=quote.article, outlet=article.outlet, published=article.published,
        speaker=quote.speaker, speaker_text=quote.speaker_text, text=quote.text,
        start=quote.start, end=quote.end, speaker_start=quote.speaker_start,
        speaker_end=quote.speaker_end, direct=quote.direct, flags=flags)


def _altered_quotes(direct: list[StoryQuote], statement: StoryQuote,
                   articles: dict[str, Article]) -> list[StoryQuote]:
    """The direct quotes whose words were changed: of two quotes that share words
    outside any passage they have in common ("this horrible, bloody war will
    *eventually end*" against "... will *finally come to an end*"), the one fewer other
    quotes bear out. Cuts and overlapping cuts of one passage never conflict."""
    support = {id(q): sum(_faithful(q.text, o.text) or _faithful(o.text, q.text)
                          for o in direct if o is not q) for q in direct}

    def rank(q: StoryQuote) -> tuple[bool, int, bool, int]:
        return (q is statement, support[id(q)],
                "machine-translated" not in articles[q.article].flags, -direct.index(q))

    return [q for q in direct if any(o is not q and rank(o) > rank(q) and _conflict(q, o)
                                     for o in direct)]


def _conflict(first: StoryQuote, second: StoryQuote) -> bool:
    """Two versions of one sentence (sharing as many content words as two quotes of
    one statement do) that share a content word no passage common to both contains."""
    a, b = _words(first.text), _words(second.text)
    content_a = {w for w in a if w not in STOP_WORDS}
    content_b = {w for w in b if w not in STOP_WORDS}
    shared = content_a & content_b
    small, large = sorted((len(content_a), len(content_b)))
    if not shared or len(shared) < SAME_SPEAKER_SHARE * small \
            or len(shared) < SAME_SPEAKER_LONGER_SHARE * large:
        return False  # two sentences of one speech, not two versions of one
    covered: set[str] = set()
    for piece, other in [*((p, b) for p in _pieces(first.text)),
                         *((p, a) for p in _pieces(second.text))]:
        covered.update(_longest_common_run(piece, other))
    return bool(shared - covered)


def _pieces(text: str) -> list[list[str]]:
    return [words for part in _ELLIPSIS.split(text) if (words := _words(part))]


def _longest_common_run(first: list[str], second: list[str]) -> list[str]:
    best, end = 0, 0
    previous = [0] * (len(second) + 1)
    for i, word in enumerate(first, 1):
        current = [0] * (len(second) + 1)
        for j, other in enumerate(second, 1):
            if word == other:
                current[j] = previous[j - 1] + 1
                if current[j] > best:
                    best, end = current[j], i
        previous = current
    return first[end - best : end]


def _faithful(part: str, whole: str) -> bool:
    """Every ellipsis-separated piece of `part` runs inside `whole`."""
    words = _words(whole)
    return all(_runs_inside(p, words) for p in _pieces(part))
