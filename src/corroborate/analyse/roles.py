"""Roles: what a story calls its people ("Kremlin spokesman", "Ukrainian President").

News names a person once in full with a role and then by the role alone ("the
Kremlin spokesman said", "the Russian leader"). `roles_near` reads the role written
beside a name mention: before it ("Kremlin spokesman Dmitry Peskov", "the Kremlin
spokesperson, Dmitry Peskov,") or after it ("Marco Rubio, the US secretary of
state,"). `RoleBook` resolves a description to the one person whose roles fit it: a
role fits when it is of the same kind (president ~ leader ~ head of state, spokesman
~ spokesperson ~ press secretary, ...) and carries every qualifier of the
description ("Russian" fits "Russian President"; "the president" fits every
president, so it resolves only when the story has one).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Role heads and the kind of role each names. Two heads of one kind are the same role
# ("the Russian leader" is the Russian President). Gathered from the seed story and
# the demo corpus, plus the usual synonyms in English news (AP style titles).
ROLE_KINDS: dict[str, str] = {
    "president": "leader", "leader": "leader", "head of state": "leader",
    "prime minister": "leader", "premier": "leader", "chancellor": "leader",
    "pm": "leader",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson",
    "spokesperson": "spokesperson", "press secretary": "spokesperson",
    "minister": "minister", "secretary": "minister", "secretary of state": "minister",
    "envoy": "envoy", "special envoy": "envoy", "negotiator": "envoy",
    "ambassador": "ambassador",
    "general staff": "general staff", "military leadership": "general staff",
    "military command": "general staff", "army command": "general staff",
    "commander": "commander", "commander-in-chief": "commander",
    "analyst": "analyst", "coordinator": "coordinator", "mayor": "mayor",
    "governor": "governor", "chief": "chief", "director": "director",
    "head": "chief", "chair": "chief", "chairman": "chief", "chairwoman": "chief",
}
# Longest heads first, so "secretary of state" wins over "secretary".
_HEADS = sorted(ROLE_KINDS, key=lambda h: -len(h.split()))
# Place and nationality words that name the same country, folded to one qualifier
# ("Ukrainian" = "Ukraine's"; "Kremlin" = "Russian"): the countries of the seed story
# and the common English adjective forms.
_PLACE_KEYS = {
    "ukrainian": "ukraine", "ukraine": "ukraine", "kyiv": "ukraine", "kiev": "ukraine",
    "russian": "russia", "russia": "russia", "kremlin": "russia", "moscow": "russia",
    "us": "us", "american": "us", "washington": "us", "united states": "us",
    "british": "uk", "britain": "uk", "uk": "uk", "downing street": "uk",
    "french": "france", "france": "france", "german": "germany", "germany": "germany",
    "canadian": "canada", "canada": "canada", "chinese": "china", "china": "china",
}
# Words that describe a role without qualifying whose it is.
_FILLER = frozenset({"the", "a", "an", "of", "its", "his", "her", "their", "then", "new",
                     "top", "senior", "presidential", "official"})
# Lower-case words allowed inside a role written before a name ("British prime
# minister Keir Starmer", "US special envoy Steve Witkoff"), besides the heads.
_ROLE_MODIFIERS = frozenset({"foreign", "defence", "defense", "interior", "deputy",
                             "special", "vice", "chief", "state", "of", "military",
                             "acting", "presidential", "press", "general", "prime"})
# Capitalised words that open a sentence or clause rather than a title ("However
# Ukrainian President ..."): never part of a role.
_NOT_QUALIFIERS = frozenset({"however", "but", "and", "meanwhile", "then", "also", "on",
                             "in", "at", "after", "before", "when", "while", "earlier",
                             "later", "as", "so", "yet", "since", "with", "by", "for"})
_WORD = re.compile(r"[\w’'.-]+")
# At most this many words of a role before a name: "Ukraine's foreign minister
# Andrii Sybiha" is four; longer runs are sentences, not titles.
_MAX_ROLE_WORDS = 5
_APPOSITION_AFTER = re.compile(
    r",\s+(?:the|a|an)\s+([^,;.()“”\"\n]{2,60}?)(?=,|;|\.|\s+(?:said|says|told|wrote)\b)")


@dataclass(frozen=True, slots=True)
class Role:
    """A role as written ("Kremlin spokesman") with its kind and qualifiers."""

    text: str
    kind: str
    qualifiers: frozenset[str]

    def fits(self, description: Role) -> bool:
        """This role is one `description` may refer to ("the Russian leader" fits
        "Russian President"; "the president" fits any president)."""
        return self.kind == description.kind and description.qualifiers <= self.qualifiers


def parse_role(text: str) -> Role | None:
    """The role in a description ("the Ukrainian president"), None when it has no role
    head ("the Ukrainian side")."""
    words = [_fold(w) for w in _WORD.findall(text)]
    words = [w for w in words if w]
    for size in (3, 2, 1):
        for i in range(len(words) - size, -1, -1):
            head = " ".join(words[i : i + size])
            if head in ROLE_KINDS:
                rest = words[:i] + words[i + size :]
                return Role(_display(text), ROLE_KINDS[head], _qualifiers(rest))
    return None


def _fold(word: str) -> str:
    word = re.sub(r"['’]s$|['’]$", "", word.lower()).strip(".-")
    return "us" if word in ("u.s", "u.s.") else word


def _qualifiers(words: list[str]) -> frozenset[str]:
    out: set[str] = set()
    skip = False
    for i, word in enumerate(words):
        if skip:
            skip = False
            continue
        pair = " ".join(words[i : i + 2])
        if pair in _PLACE_KEYS:
            out.add(_PLACE_KEYS[pair])
            skip = True
        elif word in _PLACE_KEYS:
            out.add(_PLACE_KEYS[word])
        elif word not in _FILLER and word not in ROLE_KINDS:
            # Other demonyms in "-ian" name the country in "-ia" ("Valdorian" army,
            # "Valdoria's" army; "Austrian"/"Austria").
            out.add(word[:-1] if word.endswith("ian") and len(word) > 5 else word)
    return frozenset(out)


def _display(text: str) -> str:
    words = " ".join(text.split()).strip(" ,")
    return re.sub(r"^(?:the|a|an)\s+", "", words, flags=re.IGNORECASE)


def roles_near(text: str, start: int, end: int) -> list[str]:
    """The roles written around the name mention `text[start:end]`."""
    found = [r for r in (_role_before(text, start), _role_after(text, end)) if r]
    return found


def _role_before(text: str, start: int) -> str | None:
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 80) : start]
    if before.rstrip().endswith(","):  # "The Kremlin spokesperson, Dmitry Peskov, said"
        return _appositive_before(before.rstrip()[:-1])
    words = _WORD.findall(before)
    taken: list[str] = []
    in_name = False  # inside the name that qualifies the role ("White House")
    for word in reversed(words[-_MAX_ROLE_WORDS - 1 :]):
        bare = _fold(word)
        known = bare in ROLE_KINDS or bare in _ROLE_MODIFIERS or bare in _PLACE_KEYS
        if known and in_name:
            break  # "Putin Kremlin spokesman": a name and a place are two things
        if not known and not (in_name and word[:1].isupper() and bare not in _NOT_QUALIFIERS) \
                and not _names_the_role(word, taken):
            break
        in_name = not known
        taken.insert(0, word)
    if not taken or (_fold(taken[-1]) not in ROLE_KINDS and not _ends_with_head(taken)):
        return None
    role = parse_role(" ".join(taken))
    return role.text if role else None


def _appositive_before(before: str) -> str | None:
    """The role in "the harbour spokesperson," before a name: every word after "the",
    ending with a role word. Without "the" it is a list ("Trump, Putin")."""
    match = re.search(r"\b(?:the|The)\s+([^,;.()“”\"]{2,60})$", before)
    if not match:
        return None
    words = _WORD.findall(match.group(1))
    if not words or len(words) > _MAX_ROLE_WORDS or not _ends_with_head(words):
        return None
    role = parse_role(match.group(1))
    return role.text if role else None


def _names_the_role(word: str, taken: list[str]) -> bool:
    """A capitalised word right before a role word names whose role it is ("Trump
    envoy", "Carnegie analyst"); a sentence opener ("However") does not."""
    bare = _fold(word)
    return (word[:1].isupper() and bare not in _NOT_QUALIFIERS and bool(taken)
            and (_fold(taken[0]) in ROLE_KINDS or _fold(taken[0]) in _ROLE_MODIFIERS))


def _ends_with_head(words: list[str]) -> bool:
    tail = " ".join(_fold(w) for w in words[-3:])
    return any(tail.endswith(head) for head in _HEADS)


def _role_after(text: str, end: int) -> str | None:
    match = _APPOSITION_AFTER.match(text, end)
    if not match:
        return None
    role = parse_role(match.group(1))
    return role.text if role else None


def place_key(name: str) -> str | None:
    """The country a place-like name stands for ("the Kremlin" -> "russia",
    "Downing Street" -> "uk"), None for other names."""
    words = [w for w in (_fold(w) for w in _WORD.findall(name)) if w and w != "the"]
    return _PLACE_KEYS.get(" ".join(words))


def name_qualifiers(name: str) -> frozenset[str]:
    """What an institution's name says it is of ("the Kremlin" -> {"russia"}, "the
    Mineworkers' Federation" -> {"mineworkers", "federation"})."""
    place = place_key(name)
    if place is not None:
        return frozenset({place})
    return _qualifiers([w for w in (_fold(w) for w in _WORD.findall(name)) if w])


def role_qualifiers(roles: list[str]) -> frozenset[str]:
    """Everything a person's roles are of ("Kremlin spokesman" -> {"russia"}; "head of
    the Mineworkers' Federation" -> {"mineworkers", "federation"})."""
    return frozenset(q for role in map(parse_role, roles) if role for q in role.qualifiers)


class RoleBook:
    """The roles of a story's people, and the one person a description refers to."""

    def __init__(self, roles: dict[str, list[str]]) -> None:
        self._roles = {name: [r for r in map(parse_role, texts) if r]
                       for name, texts in roles.items()}

    def owner(self, description: str) -> str | None:
        """The person `description` ("the Ukrainian president") refers to, when exactly
        one of the story's people has a fitting role."""
        wanted = parse_role(description)
        if wanted is None:
            return None
        owners = {name for name, roles in self._roles.items()
                  if any(role.fits(wanted) for role in roles)}
        return owners.pop() if len(owners) == 1 else None


def common_roles(texts: list[str]) -> list[str]:
    """Distinct roles, most often written first, each in its most frequent spelling."""
    spellings: dict[str, Counter[str]] = {}
    for text in texts:
        spellings.setdefault(text.casefold(), Counter())[text] += 1
    ranked = sorted(spellings.values(), key=lambda c: (-sum(c.values()), min(c)))
    return [c.most_common(1)[0][0] for c in ranked]
