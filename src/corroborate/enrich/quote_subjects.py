"""What a subject phrase names: the speaker behind "Kremlin spokesman Dmitry Peskov".

`SubjectNames` turns the subject of a speech verb into a `Speaker`, a span of the
article text: the named mention inside the phrase (a person first), the phrase itself
for an institution ("Ukrainian general staff"), the organisation a spokesperson
speaks for, or the person an earlier sentence introduced with the same role ("the
Ukrainian president" after "Ukrainian President Volodymyr Zelenskyy"). Pronouns are
not its business: `quote_speakers` resolves them from the sentences before.

spaCy's labels for bare surnames are unreliable (a surname is often tagged ORG or
GPE, sometimes WORK_OF_ART), so a mention counts as a person when it is tagged PERSON
or when its text is a person's name or surname elsewhere in the article.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corroborate.enrich.speech import (
    INSTITUTION_NOUNS,
    NUMERIC_LABELS,
    RELATIVE_PRONOUNS,
    ROLE_CONTEXT_CHARS,
    ROLE_MIN_WORDS,
    ROLE_NOUNS,
    SPEAKER_LABELS,
    SPEECH_VERBS,
    SPOKESPERSON_NOUNS,
)
from corroborate.model import EntityMention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Dependents that leave the subject's core phrase: "an aide to Trump", "Trump's
# spokesman", "Rubio, who said" name someone other than the speaker.
_OUTSIDE_CORE = frozenset({"prep", "relcl", "acl", "conj", "cc", "poss", "case", "punct",
                           "advcl", "ccomp"})
_CLIMB_DEPS = frozenset({"advcl", "conj", "xcomp"})
# Tokens that may stand between a subject and its verb ("Putin has praised").
_VERB_PREFIX_DEPS = frozenset({"aux", "neg", "advmod", "punct"})
_SPACES = re.compile(r"[\s,]+")
# A mention across a line break or with brackets in it is a recogniser slip.
_NAME = re.compile(r"[\w.’'&-]+(?: [\w.’'&-]+)*")


@dataclass(frozen=True, slots=True)
class Speaker:
    text: str
    start: int
    end: int
    person: bool


class SubjectNames:
    """Named mentions of one article, and what a subject token refers to."""

    def __init__(self, text: str, doc: Doc, sentences: list[Span],
                 entities: list[EntityMention], quoted: list[bool]) -> None:
        self.text = text
        self.doc = doc
        self.sentences = sentences
        self.quoted = quoted
        self.token_starts = [t.idx for t in doc]
        self._sentence_starts = [s.start for s in sentences]
        self.mentions = sorted((m for m in entities
                                if m.label in SPEAKER_LABELS and _NAME.fullmatch(m.text)),
                               key=lambda m: m.start)
        self._mention_starts = [m.start for m in self.mentions]
        self._not_a_name = token_mask(doc, [(m.start, m.end) for m in entities
                                            if m.label in NUMERIC_LABELS])
        self._person_names = _person_names(entities)

    def sentence_at(self, offset: int) -> int | None:
        i = bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and offset < self.sentences[i].end:
            return i
        return None

    def is_numeric(self, token: Token) -> bool:
        """Whether the token is part of a date, time or number ("6 March")."""
        return self._not_a_name[token.i]

    def is_person(self, mention: EntityMention) -> bool:
        return mention.label == "PERSON" or _name_key(mention.text) in self._person_names

    def speaker(self, mention: EntityMention) -> Speaker:
        start = mention.start
        if mention.label == "PERSON":
            # "baker Tomas Brill": a lower-case role the recogniser took in is no name.
            words = self.text[mention.start : mention.end].split(" ")
            while len(words) > 1 and words[0][:1].islower():
                start += len(words[0]) + 1
                words = words[1:]
        return Speaker(self.text[start : mention.end], start, mention.end,
                       self.is_person(mention))

    def named_speaker(self, subject: Token) -> Speaker | None:
        """The speaker a non-pronoun subject (or "according to" object) names."""
        subject = _unglued(subject)
        core = self._core(subject)
        mentions = self._mentions_within(core)
        head = next((m for m in mentions if m.start <= subject.idx < m.end), None)
        persons = [m for m in mentions if self.is_person(m)]
        lemma = subject.lemma_.lower()
        if head is not None and self.is_person(head):
            return self.speaker(head)
        if lemma in INSTITUTION_NOUNS:  # "the Trump administration" is not Trump
            return self._institution(subject, core)
        if persons:  # an apposition: "the Kremlin spokesperson, Dmitry Peskov,"
            return self.speaker(persons[-1])
        if head is not None:
            return self.speaker(head)
        if lemma in SPOKESPERSON_NOUNS and mentions:
            return self.speaker(mentions[0])
        if lemma in ROLE_NOUNS:
            return self._role_holder(core)
        if self._looks_like_name(subject):
            return self._proper_name(subject)
        return None

    def first_person_in(self, sentence: int) -> Speaker | None:
        """The first person named outside quotation marks in a sentence."""
        bounds = self.sentences[sentence]
        for mention in self.mentions[bisect_left(self._mention_starts, bounds.start) :]:
            if mention.start >= bounds.end:
                break
            if self.is_person(mention) and not self._inside_quotes(mention):
                return self.speaker(mention)
        return None

    def adjacent_speaker(self, verb: Token) -> Speaker | None:
        """The name right before a subjectless speech verb ("Putin has praised"), or
        right after one that follows a quotation ("…,” said Macron): a failed parse."""
        i = verb.i - 1
        while i >= 0 and self.doc[i].dep_ in _VERB_PREFIX_DEPS and not self.quoted[i] \
                and self.doc[i].text not in ",”\"":
            i -= 1
        end_before = self.doc[i].idx + len(self.doc[i]) if i >= 0 else -1
        after_quote = any(self.quoted[j] for j in range(max(0, verb.i - 2), verb.i))
        for mention in self.mentions:
            if mention.end == end_before and not self._inside_quotes(mention):
                return self.speaker(mention)
            if after_quote and 0 <= mention.start - (verb.idx + len(verb)) <= 1:
                return self.speaker(mention)
        return None

    def _core(self, head: Token) -> set[int]:
        """Token indices of the subject phrase without clauses and attachments."""
        sentence = self.sentence_at(head.idx)
        lo, hi = (self.sentences[sentence].start, self.sentences[sentence].end) \
            if sentence is not None else (head.idx, head.idx + len(head))
        core = {head.i}
        stack = [head]
        while stack:
            token = stack.pop()
            for child in token.children:
                if child.dep_ not in _OUTSIDE_CORE and not self.quoted[child.i] \
                        and lo <= child.idx < hi:
                    core.add(child.i)
                    stack.append(child)
        return core

    def _mentions_within(self, core: set[int]) -> list[EntityMention]:
        lo, hi = self.doc[min(core)].idx, self.doc[max(core)].idx + len(self.doc[max(core)])
        found = []
        for mention in self.mentions[bisect_left(self._mention_starts, lo) :]:
            if mention.start >= hi:
                break
            tokens = range(bisect_right(self.token_starts, mention.start) - 1,
                           bisect_left(self.token_starts, mention.end))
            if mention.end <= hi and all(i in core for i in tokens):
                found.append(mention)
        return found

    def _inside_quotes(self, mention: EntityMention) -> bool:
        i = bisect_right(self.token_starts, mention.start) - 1
        return i >= 0 and self.quoted[i]

    def _institution(self, head: Token, core: set[int]) -> Speaker | None:
        """ "Ukrainian general staff", "Russia's defence ministry" as the speaker."""
        words = sorted(set(core) | {t.i for c in head.children if c.dep_ == "poss"
                                    for t in c.subtree})
        while words and self.doc[words[0]].dep_ == "det":
            words = words[1:]
        if not words or not any(self.doc[i].text[:1].isupper() for i in words):
            return None  # "the military said": no name, no speaker
        start = self.doc[words[0]].idx
        end = self.doc[words[-1]].idx + len(self.doc[words[-1]])
        return Speaker(self.text[start:end], start, end, False)

    def _role_holder(self, core: set[int]) -> Speaker | None:
        """ "the Ukrainian president" -> the person introduced earlier with that role."""
        words = [self.doc[i].lower_.replace(".", "") for i in sorted(core)
                 if self.doc[i].dep_ not in ("det", "poss", "case", "punct")]
        if len(words) < ROLE_MIN_WORDS:
            return None  # a bare "the president" could be anyone's
        role = " ".join(words)
        before = self.doc[min(core)].idx
        for mention in reversed(self.mentions[: bisect_left(self._mention_starts, before)]):
            if not self.is_person(mention):
                continue
            window = self.text[max(0, mention.start - ROLE_CONTEXT_CHARS) : mention.start]
            window = window.rsplit("\n", 1)[-1].lower().replace(".", "")
            context = _SPACES.sub(" ", window).strip()
            if context == role or context.endswith(" " + role):
                return self.speaker(mention)
        return None

    def _looks_like_name(self, token: Token) -> bool:
        """A capitalised subject the recogniser missed, unless it is a date or number."""
        if not token.text[:1].isupper() or self._not_a_name[token.i]:
            return False
        return token.pos_ == "PROPN" or token.lower_ in self._person_names

    def _proper_name(self, head: Token) -> Speaker:
        """A capitalised subject the recogniser missed or mislabelled ("Chaffetz" as a
        work of art), with its compounds. The subject of a speech verb that is no known
        organisation or place is taken for a person."""
        tokens = [t for t in head.lefts if t.dep_ in ("compound", "flat")
                  and t.pos_ == "PROPN"] + [head]
        start, end = tokens[0].idx, head.idx + len(head)
        return Speaker(self.text[start:end], start, end, True)


def _unglued(subject: Token) -> Token:
    """ "Peskov said.[Putin": the tokenizer glued the next sentence onto the word
    after a name and the parse made that token the subject; the name before it is."""
    if _NAME.fullmatch(subject.text):
        return subject
    names = [t for t in subject.lefts if t.dep_ in ("compound", "flat") and t.pos_ == "PROPN"]
    return names[-1] if names else subject


def subject_of(verb: Token) -> Token | None:
    """The grammatical subject of `verb`, climbing out of "…, adding that" clauses."""
    if verb.tag_ == "VBG" and not any(c.dep_ == "nsubj" for c in verb.children):
        # "X said Y had sent a message, adding that …": the parse often hangs the
        # participle on the reported clause; the speaker is the one who said.
        for ancestor in verb.ancestors:
            if ancestor.lemma_.lower() in SPEECH_VERBS and ancestor.pos_ == "VERB":
                subject = next((c for c in ancestor.children if c.dep_ == "nsubj"), None)
                if subject is not None:
                    return subject
    token = verb
    for _ in range(4):
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            if subject.lower_ in RELATIVE_PRONOUNS and token.dep_ == "relcl":
                return token.head  # "Marco Rubio, who said": the noun the clause modifies
            return subject
        if token.dep_ not in _CLIMB_DEPS or token.head.i == token.i:
            return None
        if token.dep_ == "conj" and token.head.dep_ == "ccomp" \
                and verb.lemma_.lower() in SPEECH_VERBS:
            # "Putin acknowledged that X was … but insisted on …": the parse hangs the
            # second speech verb on the reported clause; its subject is the speaker's.
            speaker = _speech_ancestor_subject(token.head)
            if speaker is not None:
                return speaker
        token = token.head
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ == "ROOT":
            return token  # a misparse that made the subject the root ("Trump repeated …")
    return None


def _speech_ancestor_subject(token: Token) -> Token | None:
    for ancestor in token.ancestors:
        if ancestor.lemma_.lower() in SPEECH_VERBS and ancestor.pos_ == "VERB":
            return next((c for c in ancestor.children if c.dep_ == "nsubj"), None)
    return None


def token_mask(doc: Doc, spans: list[tuple[int, int]]) -> list[bool]:
    """Per token of `doc`, whether it starts inside one of the character spans."""
    mask = [False] * len(doc)
    starts = [t.idx for t in doc]
    for start, end in spans:
        for i in range(bisect_left(starts, start), bisect_left(starts, end)):
            mask[i] = True
    return mask


def _name_key(name: str) -> str:
    return " ".join(name.lower().replace("’s", "").replace("'s", "").split())


def _person_names(entities: list[EntityMention]) -> set[str]:
    """Full names and surnames of the article's PERSON mentions."""
    names: set[str] = set()
    for mention in entities:
        if mention.label == "PERSON":
            key = _name_key(mention.text)
            names.add(key)
            names.add(key.rsplit(" ", 1)[-1])
    return names
