"""Who holds a stance: subjects and agents read from the parse, written as names.

A holder is a proper noun, a named person/organisation/place, a pronoun with a named
antecedent, or a phrase headed by a noun that can hold a stance (`cues.HOLDER_NOUNS`:
"analysts", "the General Staff"). Names are made canonical through a `NameBook`
built from the story's entities and quote speakers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from corroborate.analyse import cues
from corroborate.model import Article, EntityMention, StoryEntity, StoryQuote

if TYPE_CHECKING:
    from spacy.tokens import Token

NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# Children kept when a holder's head noun is written out as a phrase: modifiers and
# "of"/"in"/"at" phrases, but not appositions, relative clauses or other conjuncts.
_PHRASE_DEPS = frozenset({
    "det", "amod", "compound", "poss", "case", "nmod", "nummod", "quantmod", "prep", "pobj",
    "npadvmod",
})
_LEADING_DROP = frozenset({"the", "a", "an", "some", "even"})


class NameBook:
    """Canonical holder names: story entities and quote speakers, looked up by alias
    or, for people, by surname ("Calder" -> "Ruth Calder")."""

    def __init__(self, entities: Iterable[StoryEntity], quotes: Iterable[StoryQuote]) -> None:
        entities = list(entities)
        self._alias: dict[str, str] = {}
        for entity in entities:
            for alias in (entity.name, *entity.aliases):
                self._alias.setdefault(_norm(alias), entity.name)
        people = [(e.name, [e.name, *e.aliases]) for e in entities if e.type == "PERSON"]
        people.extend((s, [s]) for s in sorted({q.speaker for q in quotes if q.speaker}))
        surnames: dict[str, set[str]] = {}
        for name, aliases in people:
            self._alias.setdefault(_norm(name), name)
            for alias in aliases:
                words = _norm(alias).split()
                if words:
                    surnames.setdefault(words[-1], set()).add(name)
        self._surname = {surname: person for surname, names in surnames.items()
                         if (person := _one_person(names)) is not None}

    def resolve(self, text: str, person: bool = False) -> str:
        key = _norm(text)
        if key in self._alias:
            return self._alias[key]
        words = key.split()
        if person and words and words[-1] in self._surname:
            return self._surname[words[-1]]
        return text


def _one_person(names: set[str]) -> str | None:
    """The one person that names sharing a surname stand for, when each is a tail of
    the longest ("Calder", "Ruth Calder" -> "Ruth Calder"); None when they differ
    ("Ruth Calder", "Owen Calder")."""
    longest = max(names, key=lambda n: (len(n.split()), n))
    words = _norm(longest).split()
    for name in names:
        other = _norm(name).split()
        if other != words[len(words) - len(other):]:
            return None
    return longest


def _norm(text: str) -> str:
    return " ".join(strip_possessive(text.strip()).lower().split())


def strip_possessive(text: str) -> str:
    for suffix in ("’s", "'s"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def quote_speaker_at(
    quotes: Sequence[StoryQuote], article: str, start: int, end: int
) -> str | None:
    """The speaker of a quote whose content or attribution overlaps `[start, end)`."""
    for quote in quotes:
        if quote.article != article or quote.speaker is None:
            continue
        if quote.start < end and start < quote.end:
            return quote.speaker
        if quote.speaker_start is not None and start <= quote.speaker_start < end:
            return quote.speaker
    return None


def can_hold(token: Token) -> bool:
    # The small model often misses or mislabels a surname (as ORG, or not at all),
    # so a proper noun is accepted as a holder even without an entity label.
    if token.ent_type_ in NAMED_LABELS or token.pos_ == "PROPN":
        return True
    if token.lower_ in cues.PERSONAL_PRONOUNS:
        return True
    return token.lemma_.lower() in cues.HOLDER_NOUNS


def holder_name(article: Article, token: Token, names: NameBook) -> str | None:
    """A holder's name; None for a pronoun with no named antecedent nearby."""
    if token.lower_ in cues.PERSONAL_PRONOUNS:
        resolved = antecedent(article, token)
        return names.resolve(resolved, person=True) if resolved else None
    if token.ent_type_ == "PERSON":
        return names.resolve(_entity_text(token), person=True)
    if token.pos_ == "PROPN" and not token.ent_type_:
        return names.resolve(_phrase(token), person=True)
    return names.resolve(_phrase(token))


def subject_of(verb: Token, skip: Token | None = None) -> Token | None:
    """The verb's subject if it can hold a stance. A relative pronoun stands for the
    noun its clause hangs on; expletives and claim nouns ("the reports are false") do
    not hold anything; a subject containing `skip` ("no evidence supports it") neither.
    """
    for child in verb.children:
        if child.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        if skip is not None and child.left_edge.i <= skip.i <= child.right_edge.i:
            continue
        lower = child.lower_
        if lower in cues.RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            return _appositive_name(verb.head)
        if lower in cues.EMPTY_SUBJECTS or child.lemma_.lower() in cues.CLAIM_NOUNS:
            continue
        if can_hold(child):
            return child
    return None


def agent_of(verb: Token) -> Token | None:
    """X in "denied by X"."""
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _appositive_name(noun: Token) -> Token:
    """'the city's treasurer, Ana Ruiz, who ...' -> Ruiz."""
    for child in noun.children:
        if child.dep_ == "appos" and child.ent_type_ == "PERSON":
            return child
    return noun


def antecedent(article: Article, pronoun: Token) -> str | None:
    """A crude stand-in for coreference: the subject of the sentence's main clause when
    it is a name before the pronoun ("Calder thanked Ruiz, who she said ..."), else the
    nearest named entity before it, in its sentence or the one before."""
    root = pronoun.sent.root
    main = subject_of(root) if root.i != pronoun.i else None
    if main is not None and main.i < pronoun.i:
        if main.lower_ == pronoun.lower_:
            return antecedent(article, main)  # "She thanked Ruiz, who she said ..."
        if main.ent_type_ in NAMED_LABELS or main.pos_ == "PROPN":
            return _entity_text(main) if main.ent_type_ else _phrase(main)
    window_start = _previous_sentence_start(article, pronoun.idx)
    best: str | None = None
    for ent in article.entities:
        if window_start <= ent.start and ent.end <= pronoun.idx and _fits(ent, pronoun, article):
            best = ent.text
    return best


def _fits(ent: EntityMention, pronoun: Token, article: Article) -> bool:
    """Can this mention be what the pronoun stands for? "he"/"she" want a person; the
    small model labels some surnames as organisations, so an ORG mention whose last
    word is a person's surname elsewhere in the article counts as a person."""
    if pronoun.lower_ not in {"he", "she"}:
        return ent.label in NAMED_LABELS
    if ent.label == "PERSON":
        return True
    if ent.label != "ORG":
        return False
    surnames = {e.text.split()[-1].lower() for e in article.entities
                if e.label == "PERSON" and e.text.split()}
    words = ent.text.split()
    return bool(words) and words[-1].lower() in surnames


def _previous_sentence_start(article: Article, offset: int) -> int:
    index = article.sentence_index_at(offset)
    if index is None:
        return max(0, offset - 300)
    return article.sentences[max(0, index - 1)].start


def _entity_text(token: Token) -> str:
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return strip_possessive(str(ent.text))
    return str(token.text)


def _phrase(head: Token) -> str:
    keep = {head.i}
    stack = [head]
    while stack:
        node = stack.pop()
        for child in node.children:
            if child.dep_ in _PHRASE_DEPS and child.i not in keep:
                keep.add(child.i)
                stack.append(child)
    tokens = list(head.doc[min(keep) : max(keep) + 1])
    while tokens and (tokens[0].lower_ in _LEADING_DROP or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens:
        return str(head.text)
    text: str = head.doc.text
    return strip_possessive(text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)])
