"""Canonical entities of a story: one entry per person, organisation or place.

Outlets spell and dress names differently ("DONALD TRUMP", "President Trump", "Mr
Trump"; "Zelensky", "Zelenskiy", "Zelenskyy"; "Kiev", "Kyiv"), and spaCy labels a
bare surname ORG or GPE as often as PERSON. `build_entity_index` groups the mentions
of all the story's articles in three passes, each with a guard:

1. the same name once titles, possessives, case, accents and initials are set aside;
2. spelling variants: every word alike under a small transliteration key, or only a
   vowel apart (same consonants, same first letter, at least four letters), and a
   variant that is not letter-for-letter the same must be the same kind of thing;
3. a surname alone ("Peskov", "Mr Witkoff") joins the full name that ends with it
   when exactly one does; two different people called Lee both stay apart, and so
   does a bare "Lee". "Sir Keir" joins the one full name that starts with "Keir". A
   word only ever tagged as a place joins a full name only in articles that also
   name the person in full ("Jordan" the country stays apart from "Michael Jordan").

The canonical name is the most frequent full form (two words or more), then the
longest; a bare form only names an entity that never appears in full. Each person
keeps the roles written beside their name ("Kremlin spokesman Dmitry Peskov"), and
`EntityIndex.resolve` reads a role alone ("the Kremlin spokesman") as the one person
the story gives that role (`analyse.roles`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from corroborate.analyse.roles import RoleBook, common_roles, roles_near
from corroborate.enrich.speech import TITLES
from corroborate.model import Article, Citation, StoryEntity

STORY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})
# Which labels name the same kind of thing, for the spelling-variant guard.
_FAMILY = {"PERSON": "person", "ORG": "group", "NORP": "group", "GPE": "place",
           "LOC": "place", "FAC": "place", "EVENT": "event"}
# Honorifics that put a first name after them in British usage ("Sir Keir").
_FIRST_NAME_HONORIFICS = ("Sir ", "Dame ")
# Transliteration variants folded before comparing spellings (Zelenskiy/Zelenskyy,
# Witkoff/Witkov, Kharkov/Kharkiv, Kaspar/Casper): Slavic and Germanic names in
# English news, where the same person is spelled several ways.
_SPELLING_RULES = (("iy", "y"), ("yy", "y"), ("ij", "y"), ("w", "v"), ("ff", "v"),
                   ("ph", "f"), ("kh", "h"), ("ck", "k"), ("c", "k"), ("y", "i"))
_VOWELS = frozenset("aeiou")
# Minimum word length for a vowel-apart match: shorter names (Lee/Li, Dan/Don) are
# different names far more often than different spellings.
_FUZZY_MIN_LETTERS = 4
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_PLAUSIBLE = re.compile(r"\w[\w.’'&-]*(?: [\w.’'&-]+)*")
_NON_WORD = re.compile(r"[^\w\s-]")


@dataclass(slots=True)
class _Node:
    """All mentions whose names are the same once cleaned (pass 1)."""

    key: str
    words: tuple[str, ...]
    surfaces: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    mentions: list[Citation] = field(default_factory=list)
    after_honorific: bool = False  # seen as "Sir Keir": a first name

    @property
    def family(self) -> str:
        label = self.labels.most_common(1)[0][0]
        return _FAMILY.get(label, label)

    @property
    def count(self) -> int:
        return len(self.mentions)


class EntityIndex:
    """The canonical entities of a story, and a lookup from any surface form."""

    def __init__(self, entities: list[StoryEntity], keys: dict[str, str],
                 surnames: dict[str, set[str]], full_names: dict[str, list[Citation]]) -> None:
        self.entities = entities
        self._keys = keys
        self._surnames = surnames
        self._full_names = full_names
        self._roles = RoleBook({e.name: e.roles for e in entities if e.roles})

    def resolve(self, name: str, article: str, offset: int | None = None) -> str | None:
        """The canonical entity a speaker string refers to: a name or spelling of one
        (`canonical_at`), else a role only one of the story's people holds ("the
        Ukrainian president" -> "Volodymyr Zelenskyy")."""
        return self.canonical_at(name, article, offset) or self.role_owner(name)

    def role_owner(self, description: str) -> str | None:
        """The one person of the story whose roles fit `description`, or None."""
        return self._roles.owner(description)

    def canonical(self, name: str) -> str | None:
        """The canonical name for a surface form ("Mr Witkoff" -> "Steve Witkoff")."""
        raw = _key(_clean(name, strip_titles=False))
        if raw in self._keys:
            return self._keys[raw]
        words = _key(_clean(name, strip_titles=True)).split()
        if not words:
            return None
        key = " ".join(words)
        if key in self._keys:
            return self._keys[key]
        if len(words) == 1:
            owners = self._surnames.get(_spelling(words[0]), set())
            if len(owners) == 1:
                return next(iter(owners))
        for known, canonical in self._keys.items():
            if _same_name(tuple(words), tuple(known.split())):
                return canonical
        return None

    def canonical_at(self, name: str, article: str, offset: int | None = None) -> str | None:
        """`canonical`, reading a surname that several people share in its context.

        "Heln said" in an article about Erik Heln whose story also names Marta Heln is
        Erik Heln: the person the article named in full last before `offset`.
        """
        words = _key(_clean(name, strip_titles=True)).split()
        if len(words) == 1:
            owners = self._surnames.get(_spelling(words[0]), set())
            if len(owners) > 1:
                nearest = self._named_before(owners, article, offset)
                if nearest is not None:
                    return nearest
        return self.canonical(name)

    def _named_before(self, owners: set[str], article: str, offset: int | None) -> str | None:
        best: tuple[int, str] | None = None
        for owner in owners:
            for mention in self._full_names.get(owner, []):
                before = offset is None or mention.start < offset
                if mention.article == article and before \
                        and (best is None or mention.start > best[0]):
                    best = (mention.start, owner)
        return best[1] if best else None


def build_entity_index(articles: list[Article]) -> EntityIndex:
    """Group the named-entity mentions of `articles` into canonical story entities."""
    nodes = _nodes(articles)
    groups = _UnionFind(len(nodes))
    _merge_spellings(nodes, groups)
    _merge_longer_names(nodes, groups)
    _merge_partial_names(nodes, groups)
    clusters: dict[int, list[_Node]] = {}
    for i, node in enumerate(nodes):
        clusters.setdefault(groups.find(i), []).append(node)
    entities: list[StoryEntity] = []
    keys: dict[str, str] = {}
    surnames: dict[str, set[str]] = {}
    full_names: dict[str, list[Citation]] = {}
    texts = {a.id: a.text for a in articles}
    for members in clusters.values():
        entity = _entity(members)
        entity.roles = entity_roles(entity, texts)
        entities.append(entity)
        for node in members:
            keys[node.key] = entity.name
            if len(node.words) > 1 and node.family == "person":
                surnames.setdefault(_spelling(node.words[-1]), set()).add(entity.name)
                full_names.setdefault(entity.name, []).extend(node.mentions)
    entities.sort(key=lambda e: (-len(e.mentions), e.name))
    return EntityIndex(entities, keys, surnames, full_names)


def entity_roles(entity: StoryEntity, texts: Mapping[str, str]) -> list[str]:
    """The roles written beside a person's mentions ("Kremlin spokesman"), most
    frequent first; none for other kinds of entity. `texts`: article id -> text."""
    if entity.type != "PERSON":
        return []
    return common_roles([role for c in entity.mentions if c.article in texts
                         for role in roles_near(texts[c.article], c.start, c.end)])


def _nodes(articles: list[Article]) -> list[_Node]:
    by_key: dict[str, _Node] = {}
    for article in articles:
        for mention in article.entities:
            if mention.label not in STORY_LABELS or not _PLAUSIBLE.fullmatch(mention.text):
                continue  # recogniser slips: "-vladimir-putin", names across lines
            person = mention.label == "PERSON"
            surface = _clean(mention.text, strip_titles=person)
            key = _key(surface)
            if not key:
                continue
            node = by_key.setdefault(key, _Node(key, tuple(key.split())))
            node.surfaces[surface] += 1
            node.labels[mention.label] += 1
            node.mentions.append(Citation(article.id, mention.start, mention.end))
            before = article.text[max(0, mention.start - 5) : mention.start]
            node.after_honorific |= before.endswith(_FIRST_NAME_HONORIFICS)
    return list(by_key.values())


def _merge_spellings(nodes: list[_Node], groups: _UnionFind) -> None:
    buckets: dict[tuple[int, str], list[int]] = {}
    for i, node in enumerate(nodes):
        buckets.setdefault((len(node.words), _spelling(node.words[0])[:1]), []).append(i)
    for members in buckets.values():
        for a, i in enumerate(members):
            for j in members[a + 1 :]:
                first, second = nodes[i], nodes[j]
                exact = all(_spelling(x) == _spelling(y)
                            for x, y in zip(first.words, second.words, strict=True))
                if exact or (first.family == second.family
                             and _same_name(first.words, second.words)):
                    groups.union(i, j)


def _merge_longer_names(nodes: list[_Node], groups: _UnionFind) -> None:
    """A person name that ends with another one is that person ("Tolvane Ruth Okafor",
    a recogniser slip that took the dateline town in, is Ruth Okafor)."""
    people = [i for i, node in enumerate(nodes) if len(node.words) > 1 and node.family == "person"]
    for i in people:
        for j in people:
            longer, shorter = nodes[i].words, nodes[j].words
            if len(longer) > len(shorter) and _same_name(longer[-len(shorter) :], shorter):
                groups.union(i, j)


def _merge_partial_names(nodes: list[_Node], groups: _UnionFind) -> None:
    """A lone surname (or "Sir Keir") joins the one full person name it belongs to."""
    full = [i for i, node in enumerate(nodes) if len(node.words) > 1 and node.family == "person"]
    articles: dict[int, set[str]] = {}
    for j in full:
        articles.setdefault(groups.find(j), set()).update(c.article for c in nodes[j].mentions)
    for i, node in enumerate(nodes):
        if len(node.words) != 1:
            continue
        word = node.words[0]
        owners = {groups.find(j) for j in full if _same_word(word, nodes[j].words[-1])}
        if not owners and node.after_honorific:
            owners = {groups.find(j) for j in full if _same_word(word, nodes[j].words[0])}
        if not (node.labels["PERSON"] or node.labels["ORG"]):
            # Only ever tagged a place: a surname only beside its full name ("Witkoff"
            # tagged GPE in an article about Steve Witkoff), never a city on its own.
            seen_in = {c.article for c in node.mentions}
            owners = {root for root in owners if seen_in <= articles[root]}
        if len(owners) == 1:
            groups.union(i, owners.pop())


def _entity(members: list[_Node]) -> StoryEntity:
    # A full form (two words or more) over a bare one, then the most frequent, counting
    # the surname written alone the same way ("Steve Witkoff" and "Witkoff" over a
    # single "Steve Witkov"), then the longest: a recogniser slip that took a word too
    # many ("Tolvane Ruth Okafor") is rarer than the name itself.
    alone = Counter[str]({n.key: n.count for n in members if len(n.words) == 1})
    best = max(members, key=lambda n: (len(n.words) > 1, n.count + alone[n.words[-1]],
                                       len(n.words), n.key))
    name = max(best.surfaces, key=lambda s: (not s.isupper(), best.surfaces[s], s))
    full_forms = [n for n in members if len(n.words) > 1] or members
    labels = Counter[str]()
    for node in full_forms:
        labels.update(node.labels)
    aliases: dict[str, str] = {}
    for node in members:
        for surface in node.surfaces:
            if surface.casefold() != name.casefold():
                aliases.setdefault(surface.casefold(), surface)
    mentions = sorted((c for n in members for c in n.mentions),
                      key=lambda c: (c.article, c.start))
    return StoryEntity(name, labels.most_common(1)[0][0], sorted(aliases.values()), mentions)


# -- names ---------------------------------------------------------------------------

def _clean(name: str, *, strip_titles: bool) -> str:
    """The name without possessive, leading "the", or (for people) titles."""
    words = " ".join(name.split()).split(" ")
    if words and words[-1]:
        words[-1] = _POSSESSIVE.sub("", words[-1])
    if words and words[0].lower() == "the" and len(words) > 1:
        words = words[1:]
    if strip_titles:  # "Foreign Secretary David Lammy", "baker Tomas Brill"
        while len(words) > 1 and (words[0].lower().rstrip(".") in TITLES
                                  or words[0][:1].islower()):
            words = words[1:]
    return " ".join(w for w in words if w)


def _key(name: str) -> str:
    """Lower case, accents folded, dots and initials dropped: "U.S." -> "us"."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    folded = _NON_WORD.sub("", folded.replace(".", "").replace("-", " "))
    words = folded.split()
    if len(words) > 2:
        words = [w for w in words if len(w) > 1] or words  # "Donald J. Trump"
    return " ".join(words)


def _spelling(word: str) -> str:
    for old, new in _SPELLING_RULES:
        word = word.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", word)


def _same_name(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    return len(first) == len(second) and all(
        _same_word(x, y) for x, y in zip(first, second, strict=True))


def _same_word(first: str, second: str) -> bool:
    """Same spelling key, or a vowel apart in a word of four letters or more."""
    a, b = _spelling(first), _spelling(second)
    if a == b:
        return True
    if min(len(first), len(second)) < _FUZZY_MIN_LETTERS or a[0] != b[0]:
        return False
    return _consonants(a) == _consonants(b) and _edit_distance(a, b) <= 1


def _consonants(word: str) -> str:
    return word[0] + "".join(ch for ch in word[1:] if ch not in _VOWELS)


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


class _UnionFind:
    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def find(self, i: int) -> int:
        while self._parent[i] != i:
            self._parent[i] = self._parent[self._parent[i]]
            i = self._parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self._parent[self.find(i)] = self.find(j)
