"""Reading one sentence for the claim matrix: its dispute cues, who holds them, what
they dispute, who made the disputed claim, and who asserts what in it.

Everything here works on the shared spaCy parse of the article (`enrich.nlp.parse`,
cached) and returns character offsets into the article text. The word lists live in
`analyse.cues`; holder names come from `analyse.holders`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corroborate.analyse import cues
from corroborate.analyse.holders import (
    NameBook,
    agent_of,
    can_hold,
    holder_name,
    subject_of,
)
from corroborate.analyse.sentences import SentenceRow
from corroborate.enrich.nlp import parse
from corroborate.model import Article, Stance

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

_VERBAL = frozenset({"VERB", "AUX"})
# Objects of a doubt verb that only name the doubt: "cast doubt on X", "raised
# questions about X" dispute X.
_DOUBT_OBJECTS = frozenset({"doubt", "question"})
_ABOUT = frozenset({"about", "on", "over", "of", "regarding"})
# Right-hand parts set off by a comma that comment on a clause rather than belong to
# it: "<the wall is safe>, a claim denied by ...", "<X>, calling it false".
_TRAILING_DEPS = frozenset({"advcl", "npadvmod", "appos", "parataxis", "conj"})

# How precisely a proposition was located, best first.
CLAUSE_OF_CLAIM_NOUN = 0  # "claims that <clause>"
CLAUSE = 1  # "denied that <clause>"
PHRASE = 2  # "called <the reports of X> false"
SENTENCE = 3  # nothing better: the whole sentence


@dataclass(frozen=True, slots=True)
class CueHit:
    """A dispute cue in a sentence, read from the parse."""

    stance: Stance  # DENIES or QUESTIONS
    offset: int  # character offset of the cue word in the article
    holders: tuple[str, ...]  # who disputes, from the grammar; empty when not found
    proposition: tuple[int, int]  # what is disputed (character span)
    precision: int  # CLAUSE_OF_CLAIM_NOUN .. SENTENCE
    claimants: tuple[str, ...]  # who made the disputed claim, when the sentence says


@dataclass(frozen=True, slots=True)
class Assertion:
    """"<holder> said <what>": a speech verb's subject and what it states.

    `text` is for comparing, not citing: a relative pronoun is replaced by the noun it
    stands for ("workers, who he said were evacuated" -> "workers were evacuated").
    """

    holder: str
    text: str


@dataclass(frozen=True, slots=True)
class Reading:
    cues: tuple[CueHit, ...]
    assertions: tuple[Assertion, ...]

    @property
    def speaker(self) -> str | None:
        return self.assertions[0].holder if self.assertions else None


def read_sentence(article: Article, row: SentenceRow, names: NameBook) -> Reading:
    """Cues, holders and assertions of one sentence (`row` must belong to `article`)."""
    doc = parse(article.text)
    sent: SpacySpan | None = doc.char_span(row.start, row.end, alignment_mode="expand")
    if sent is None:
        return Reading(cues=(), assertions=())
    return Reading(cues=tuple(_cue_hits(article, sent, names)),
                   assertions=tuple(_assertions(article, sent, names)))


# --- cues ---------------------------------------------------------------------------

def _cue_hits(article: Article, sent: SpacySpan, names: NameBook) -> Iterator[CueHit]:
    seen: set[tuple[Stance, tuple[str, ...]]] = set()
    for token, stance in _cue_tokens(sent):
        holders = tuple(_holders(article, token, sent, names))
        if (stance, holders) in seen:
            continue  # "false and fabricated": one cue, one record
        seen.add((stance, holders))
        start, end, precision = _proposition(token, sent)
        claimants = [*_claimants(article, sent, names), *_accused(article, token, names)]
        yield CueHit(
            stance=stance, offset=token.idx, holders=holders, proposition=(start, end),
            precision=precision, claimants=tuple(dict.fromkeys(claimants)),
        )


def _cue_tokens(sent: SpacySpan) -> Iterator[tuple[Token, Stance]]:
    for token in sent:
        stance = _word_cue(token)
        if stance is not None and not _negated(token) and not _hypothetical(token):
            yield token, stance
    lowered = sent.text.lower()
    for phrases, stance in ((cues.DENIAL_PHRASES, Stance.DENIES),
                            (cues.DOUBT_PHRASES, Stance.QUESTIONS)):
        for phrase in phrases:
            at = lowered.find(phrase)
            found = _token_at(sent, sent.start_char + at) if at >= 0 else None
            if found is not None and not _hypothetical(found):
                yield found, stance


def _word_cue(token: Token) -> Stance | None:
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB" and lemma in cues.DENIAL_VERBS:
        return None if _deprives(token) else Stance.DENIES
    if token.pos_ == "VERB" and lemma in cues.REJECTION_VERBS and _rejects_a_statement(token):
        return Stance.DENIES
    if token.pos_ in {"ADJ", "NOUN", "VERB"} and (
        lemma in cues.DENIAL_WORDS or token.lower_ in cues.DENIAL_WORDS
    ):
        return Stance.DENIES
    if token.pos_ == "VERB" and lemma in cues.DOUBT_VERBS:
        return Stance.QUESTIONS
    return None


def _deprives(verb: Token) -> bool:
    """"denied the town its funding", "denied the fishermen a week of work": a person or
    body as the object (or a dative) is deprived of something, nothing is disputed."""
    objects = [c for c in verb.rights if c.dep_ in {"dative", "dobj", "npadvmod"}
               and c.pos_ in {"NOUN", "PROPN", "PRON"}]
    if any(c.dep_ == "dative" for c in objects) or len(objects) >= 2:
        return True  # two objects: "denied <the fishermen> <a week of work>"
    return any(c.dep_ == "dobj" and can_hold(c) and c.lemma_.lower() not in cues.CLAIM_NOUNS
               for c in objects)


def _rejects_a_statement(verb: Token) -> bool:
    for child in verb.children:
        if child.dep_ == "ccomp":
            return True
        if child.dep_ in {"dobj", "nsubjpass"} and child.lemma_.lower() in cues.CLAIM_NOUNS:
            return True
    return verb.dep_ in {"acl", "relcl"} and verb.head.lemma_.lower() in cues.CLAIM_NOUNS


def _negated(token: Token) -> bool:
    """"did not deny", "not false": the cue word itself is negated."""
    verb = _governing_verb(token)
    nodes = (token,) if verb is None else (token, verb)
    return any(child.dep_ == "neg" for node in nodes for child in node.children)


def _hypothetical(token: Token) -> bool:
    """"if the council rejected the claims": nothing was disputed yet."""
    verb = _governing_verb(token)
    nodes = (token,) if verb is None else (token, verb)
    return any(child.dep_ == "mark" and child.lower_ in cues.HYPOTHETICAL_MARKERS
               for node in nodes for child in node.children)


def _token_at(sent: SpacySpan, offset: int) -> Token | None:
    for token in sent:
        if token.idx <= offset < token.idx + len(token.text):
            return token
    return None


def _governing_verb(token: Token) -> Token | None:
    node = token
    for _ in range(len(token.doc)):
        if node.pos_ in _VERBAL:
            return node
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _is_branding(token: Token) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in cues.BRANDING_VERBS


# --- holders of a cue -----------------------------------------------------------------

def _holders(article: Article, cue: Token, sent: SpacySpan, names: NameBook) -> Iterator[str]:
    """Who disputes: the agent of a passive denial ("denied by X"), else the nearest
    subject up the tree that can hold a stance; each conjunct is a holder."""
    head = _stance_subject(cue, sent)
    if head is None:
        return
    for token in (head, *head.conjuncts):
        if sent.start <= token.i < sent.end and can_hold(token):
            name = holder_name(article, token, names)
            if name is not None:
                yield name


def _stance_subject(cue: Token, sent: SpacySpan) -> Token | None:
    node = cue
    for _ in range(len(sent)):
        if node.pos_ in _VERBAL and not _is_branding(node):
            agent = agent_of(node) if node.lemma_.lower() in cues.DENIAL_VERBS else None
            if agent is not None:
                return agent
            subject = subject_of(node, skip=cue)
            if subject is not None:
                return subject
        if node.head.i == node.i or not sent.start <= node.head.i < sent.end:
            return None
        node = node.head
    return None


def _accused(article: Article, cue: Token, names: NameBook) -> Iterator[str]:
    """"X is lying", "fabricated by X": X made the claim the cue disputes."""
    if not _is_branding(cue):
        return
    accused = agent_of(cue)
    if accused is None:
        accused = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    if accused is not None and can_hold(accused):
        name = holder_name(article, accused, names)
        if name is not None:
            yield name


def _claimants(article: Article, sent: SpacySpan, names: NameBook) -> Iterator[str]:
    """Makers of a claim the sentence names: "the mayor's claims", "claims by the mayor"."""
    for token in sent:
        if token.lemma_.lower() not in cues.CLAIM_NOUNS:
            continue
        for child in token.children:
            maker: Token | None = None
            if child.dep_ == "poss":
                maker = child
            elif child.dep_ == "prep" and child.lower_ == "by":
                maker = next((g for g in child.children if g.dep_ == "pobj"), None)
            if maker is None:
                continue
            for person in (maker, *maker.conjuncts):
                if can_hold(person) and person.lower_ not in cues.PERSONAL_PRONOUNS:
                    name = holder_name(article, person, names)
                    if name is not None:
                        yield name


# --- what a cue disputes ----------------------------------------------------------------

def _proposition(cue: Token, sent: SpacySpan) -> tuple[int, int, int]:
    """What a cue disputes: the clause of "claims that ...", else the clause or object
    of the disputing verb ("denied that ...", "called <the reports> false"), else the
    subject of a copula ("<the claims> are false"), else the claim noun's phrase.

    The parse may join lines that the sentence splitter keeps apart; a span reaching
    outside the sentence falls back to the sentence."""
    start, end, precision = _locate_proposition(cue, sent)
    if start < sent.start_char or end > sent.end_char:
        return sent.start_char, sent.end_char, SENTENCE
    return start, end, precision


def _locate_proposition(cue: Token, sent: SpacySpan) -> tuple[int, int, int]:
    for token in sent:
        if token.lemma_.lower() in cues.CLAIM_NOUNS:
            clause = _that_clause(token)
            if clause is not None:
                return (*char_span(clause, cue), CLAUSE_OF_CLAIM_NOUN)
    verb = cue if cue.pos_ == "VERB" else _governing_verb(cue)
    found = _verb_proposition(verb, cue) if verb is not None else None
    if found is not None:
        return found
    for token in sent:
        if token.lemma_.lower() in cues.CLAIM_NOUNS and token.i != cue.i:
            return (*char_span(token, cue), PHRASE)
    return sent.start_char, sent.end_char, SENTENCE


def _verb_proposition(verb: Token, cue: Token) -> tuple[int, int, int] | None:
    children = list(verb.children)
    for child in children:
        if child.dep_ == "ccomp" and not child.left_edge.i <= cue.i <= child.right_edge.i:
            return (*char_span(child, cue), CLAUSE)
    for child in children:
        if child.dep_ == "dobj" and child.lemma_.lower() in _DOUBT_OBJECTS:
            topic = _about(child)
            return (*char_span(topic, cue), PHRASE) if topic is not None else None
    # "there was no <leak>": the existential's attribute is what is denied.
    wanted = ("nsubj", "nsubjpass", "attr") if verb.lemma_ == "be" else ("dobj", "nsubjpass")
    for dep in wanted:
        for child in children:
            if child.dep_ == dep and child.i != cue.i:
                start, end = char_span(child, cue)
                if end > start:
                    return start, end, PHRASE
    topic = _about(verb)
    return (*char_span(topic, cue), PHRASE) if topic is not None else None


def _about(token: Token) -> Token | None:
    """X in "questions about X", "lying about X"."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in _ABOUT:
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _that_clause(noun: Token) -> Token | None:
    for child in noun.children:
        if child.dep_ in {"acl", "ccomp"} and child.pos_ in _VERBAL and any(
            g.dep_ == "mark" and g.lower_ == "that" for g in child.children
        ):
            return child
    return None


def char_span(token: Token, cue: Token | None = None) -> tuple[int, int]:
    """Character span of a token's subtree without trailing clauses of its own
    ("denied that <the pipe burst> and described ...", "<a fault caused the
    fire>, calling the account false"), cut before the cue word if the parse put it
    inside ("called <reports of the leak> untrue"), trimmed of edge
    punctuation, markers and dangling prepositions."""
    left: Any = token.left_edge
    right: Any = token.right_edge
    for child in token.rights:
        before = token.doc[child.left_edge.i - 1]
        verbal_conj = child.dep_ == "conj" and child.pos_ in _VERBAL
        if verbal_conj or (before.is_punct and child.dep_ in _TRAILING_DEPS):
            right = token.doc[max(child.left_edge.i - 1, token.i)]
            break
    tokens = list(token.doc[left.i : right.i + 1])
    if cue is not None and tokens and tokens[0].i < cue.i <= tokens[-1].i:
        tokens = [t for t in tokens if t.i < cue.i]
    while tokens and (tokens[0].is_punct or tokens[0].dep_ in {"mark", "cc"}
                      or (tokens[0].dep_ == "det" and tokens[0].lower_ == "no")):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].pos_ in {"ADP", "CCONJ"}):
        tokens = tokens[:-1]
    if not tokens:
        return int(token.idx), int(token.idx) + len(token.text)
    return int(tokens[0].idx), int(tokens[-1].idx) + len(tokens[-1].text)


# --- who asserts what -------------------------------------------------------------------

def _assertions(article: Article, sent: SpacySpan, names: NameBook) -> Iterator[Assertion]:
    """"The chief said a fault caused the fire": each speech verb with a subject that can
    hold a stance, main clause first, with the clause it governs."""
    verbs = [t for t in sent if t.pos_ == "VERB" and t.lemma_.lower() in cues.ASSERTION_VERBS]
    verbs.sort(key=lambda t: (t.dep_ != "ROOT", t.i))
    for verb in verbs:
        if _negated(verb) or _hypothetical(verb):
            continue
        subject = subject_of(verb)
        if subject is None and verb.dep_ in {"advcl", "xcomp", "conj"}:
            subject = subject_of(verb.head)  # "She repeated it, writing that ..."
        if subject is None or not sent.start <= subject.i < sent.end:
            continue
        name = holder_name(article, subject, names)
        if name is None:
            continue
        clause = next((c for c in verb.children if c.dep_ == "ccomp"
                       and sent.start <= c.left_edge.i and c.right_edge.i < sent.end), None)
        text = _stated(clause, verb) if clause is not None else sent.text
        yield Assertion(holder=name, text=text)


def _stated(clause: Token, verb: Token) -> str:
    """The words of a reported clause, without the speech verb and its subject, with a
    relative pronoun subject replaced by its noun."""
    speaker = {t.i for child in verb.children if child.dep_ in {"nsubj", "nsubjpass"}
               for t in child.subtree} | {verb.i}
    start, end = char_span(clause)
    span = clause.doc.char_span(start, end, alignment_mode="expand")
    tokens = list(span) if span is not None else [clause]
    inside = {t.i for t in tokens}
    words: list[str] = []
    for token in tokens:
        if token.i in speaker or token.is_punct:
            continue
        if token.dep_ in {"nsubj", "nsubjpass"} and token.lower_ in cues.RELATIVE_PRONOUNS:
            noun = _relative_noun(token)
            if noun is not None and noun.i not in inside:
                words.append(_noun_words(noun))
            continue
        words.append(str(token.text))
    return " ".join(words)


def _relative_noun(pronoun: Token) -> Token | None:
    """The noun a relative pronoun stands for: "troops, who were ..." and "troops,
    whom he said were ..." (the pronoun's clause hangs on a relative speech verb)."""
    verb = pronoun.head
    if verb.dep_ == "relcl":
        return verb.head
    if verb.dep_ == "ccomp" and verb.head.dep_ == "relcl":
        return verb.head.head
    return None


def _noun_words(noun: Token) -> str:
    modifiers = [c for c in noun.lefts if c.dep_ in {"amod", "compound", "nummod"}]
    return " ".join([*(str(m.text) for m in modifiers), str(noun.text)])
