"""PolNeAR gold attributions for `bench/quotes.py` (see its docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "polnear" / "data"
Fragments = tuple[tuple[int, int], ...]
DOUBLE_MARKS = frozenset('"“”„«»')
WORD = re.compile(r"[\w’'-]+")
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "his", "her", "its",
                       "their", "him", "them", "who", "which", "that"})
_PERSONAL = frozenset({"he", "she", "his", "her", "him", "i", "my", "me"})


@dataclass(frozen=True, slots=True)
class Attribution:
    content: Fragments
    source: Fragments | None
    direct: bool
    speaker: str | None = None  # ours and textacy's: the speaker string
    speaker_span: Fragments | None = None  # ours: the name mention it was resolved to
    source_name: str | None = None  # gold: the name the speaker must carry (see docstring)
    named: bool = False  # gold: the source is a name, not a pronoun or description


@dataclass(frozen=True, slots=True)
class Doc:
    stem: str
    text: str
    gold: list[Attribution]


def load_split(split: str, limit: int | None = None) -> list[Doc]:
    root = DATA / split
    stems = sorted(p.stem for p in (root / "text").glob("*.txt"))
    if limit is not None and limit < len(stems):  # evenly spread: every outlet, not one
        stems = [stems[i * len(stems) // limit] for i in range(limit)]
    anns = sorted((root / "attributions").glob("*.ann"))
    docs = []
    for stem in stems:
        first = next((a for a in anns if a.stem.rsplit("_", 1)[0] == stem), None)
        if first is None:
            continue
        text = (root / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        docs.append(Doc(stem, text, _read_ann(first.read_text(encoding="utf-8"), text)))
    return docs


def _read_ann(ann: str, text: str) -> list[Attribution]:
    spans: dict[str, Fragments] = {}
    events: list[dict[str, list[str]]] = []
    for line in ann.splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            kind_and_offsets = fields[1].split(" ", 1)
            if len(kind_and_offsets) == 2:
                spans[fields[0]] = tuple(
                    (int(a), int(b)) for a, b in
                    (part.split() for part in kind_and_offsets[1].split(";")))
        elif line.startswith("E") and len(fields) >= 2:
            roles: dict[str, list[str]] = {}
            for arg in fields[1].split():
                role, _, ref = arg.partition(":")
                roles.setdefault(role.rstrip("0123456789"), []).append(ref)
            events.append(roles)
    gold = []
    names: list[str] = []  # named gold sources so far, in text order
    for roles in sorted(events, key=lambda r: _first_offset(r, spans)):
        content = tuple(sorted(f for ref in roles.get("Content", []) for f in spans.get(ref, ())))
        if not content:
            continue
        source = next((spans[ref] for ref in roles.get("Source", []) if ref in spans), None)
        name = None
        named = False
        if source is not None:
            source_text = " ".join(text[a:b] for a, b in source)
            named = _is_named(source_text)
            if named:
                name = source_text
                names.append(source_text)
            else:
                name = _antecedent(source_text, names)
        gold.append(Attribution(content, source, has_marks(text, content), source_name=name,
                                named=named))
    return gold


def _antecedent(source_text: str, names: list[str]) -> str | None:
    """The nearest earlier named gold source a pronoun or description may mean: for a
    personal pronoun, one ending in a capitalised word (a person's name, not "the
    poll" or "The editorial")."""
    words = WORD.findall(source_text.lower())
    personal = bool(words) and words[0] in _PERSONAL
    for name in reversed(names):
        last = WORD.findall(name)
        if not personal or (last and last[-1][:1].isupper()):
            return name
    return None


def _first_offset(roles: dict[str, list[str]], spans: dict[str, Fragments]) -> int:
    offsets = [f[0] for refs in roles.values() for ref in refs for f in spans.get(ref, ())]
    return min(offsets, default=0)


def _is_named(source_text: str) -> bool:
    words = WORD.findall(source_text)
    return any(w[:1].isupper() and w.lower() not in _PRONOUNS for w in words)


def has_marks(text: str, fragments: Fragments) -> bool:
    return any(ch in DOUBLE_MARKS for a, b in fragments for ch in text[a:b])
