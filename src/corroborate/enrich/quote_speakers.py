"""Who speaks in a sentence: speech verbs and nouns, cues, speakers, and pronouns.

The syntactic half of quote finding. `ArticleSpeech` walks an article's sentences in
order and records, for each, the speech events it contains (a speech verb, a speech
noun with a named owner, or "according to"; its cue phrase and its resolved speaker)
and the sentence's salient person and organisation, which later pronouns ("he said",
"it said") resolve to. What a named subject phrase refers to is `quote_subjects`.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corroborate.enrich.quote_subjects import Speaker, SubjectNames, subject_of, token_mask
from corroborate.enrich.speech import (
    AGENT_PREPOSITIONS,
    DESCRIBED_MAX_CHARS,
    GROUP_PRONOUNS,
    MEDIUM_NOUNS,
    MEDIUM_PREPOSITIONS,
    NOT_SPEECH_WITH_OBJECT,
    PERSON_PRONOUNS,
    POSSESSIVE_PRONOUNS,
    PRONOUN_LOOKBACK_SENTENCES,
    RELATIVE_PRONOUNS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    TOLD_AUDIENCE_MAX_TOKENS,
)
from corroborate.model import EntityMention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_MODIFIER_DEPS = frozenset({"amod", "acl", "compound"})
# Clauses hung on a subject that are not part of its name ("Rubio, who said …").
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "conj", "cc"})


@dataclass(frozen=True, slots=True)
class SpeechEvent:
    """A speech verb (or "according to") in a sentence, with who it attributes."""

    token: int  # index of the verb, or of "according"
    offset: int
    sentence: int
    cue: str
    speaker: Speaker | None
    according_to: bool = False
    nominal: bool = False  # a speech noun ("Putin’s claim"): claims governed quotes only
    # The words of the attribution that name the speaker, as written there ("he",
    # "Flynn, a top Trump surrogate,"): what PolNeAR annotates as the source.
    source: tuple[int, int] | None = None

    @property
    def verbal(self) -> bool:
        return not (self.according_to or self.nominal)


class ArticleSpeech:
    """Speech events and salient speakers of one parsed article, sentence by sentence."""

    def __init__(self, text: str, doc: Doc, sentences: list[Span],
                 entities: list[EntityMention], quoted: list[tuple[int, int]]) -> None:
        self.text = text
        self.doc = doc
        self.sentences = sentences
        self._token_starts = [t.idx for t in doc]
        self._quoted = token_mask(doc, quoted)
        self.names = SubjectNames(text, doc, sentences, entities, self._quoted)
        self.events: list[list[SpeechEvent]] = []
        self._salient_person: list[Speaker | None] = []
        self._salient_group: list[Speaker | None] = []
        for index in range(len(sentences)):
            self._read_sentence(index)

    # -- sentences ---------------------------------------------------------------

    def sentence_at(self, offset: int) -> int | None:
        return self.names.sentence_at(offset)

    def sentence_tokens(self, index: int) -> list[Token]:
        sent = self.sentences[index]
        lo = bisect_left(self._token_starts, sent.start)
        hi = bisect_left(self._token_starts, sent.end)
        return [self.doc[i] for i in range(lo, hi)]

    def is_quoted(self, token: Token) -> bool:
        return self._quoted[token.i]

    def _read_sentence(self, index: int) -> None:
        tokens = [t for t in self.sentence_tokens(index) if not self._quoted[t.i]]
        events = [e for t in tokens if (e := self._event_at(t, index)) is not None]
        self.events.append(events)
        self._salient_person.append(self._salient(tokens, events, index, person=True))
        self._salient_group.append(self._salient(tokens, events, index, person=False))

    def _event_at(self, token: Token, sentence: int) -> SpeechEvent | None:
        lemma = token.lemma_.lower()
        if token.lower_ == "according" and token.i + 1 < len(self.doc) \
                and self.doc[token.i + 1].lower_ == "to":
            target = next((c for c in self.doc[token.i + 1].children if c.dep_ == "pobj"),
                          None)
            speaker = self.speaker_for(target, sentence) if target is not None else None
            return SpeechEvent(token.i, token.idx, sentence, "according to", speaker,
                               according_to=True, source=self.phrase(target))
        if token.pos_ == "NOUN" and lemma in SPEECH_NOUNS:
            return self._noun_event(token, sentence)
        if token.pos_ != "VERB" or lemma not in SPEECH_VERBS or token.dep_ in _MODIFIER_DEPS:
            return None  # "the repeated claim", "a statement posted online"
        if any(c.dep_ == "neg" and not self._quoted[c.i] and token.i - 3 <= c.i < token.i
               for c in token.children):
            return None  # "Trump didn't say what he meant" attributes nothing
        if lemma in NOT_SPEECH_WITH_OBJECT and any(c.dep_ == "dobj" for c in token.children):
            return None
        subject = self._within(subject_of(token), sentence)
        if subject is not None and self._quoted[subject.i]:
            subject = None  # the parse took a word of the quotation for the subject
        speaker = self.speaker_for(subject, sentence) if subject is not None else None
        if speaker is None and subject is not None:
            speaker = self.described(subject)
        source = self.source_of(token, subject)
        if speaker is None and subject is None:
            speaker = self.names.adjacent_speaker(token)
            source = (speaker.start, speaker.end) if speaker is not None else None
        return SpeechEvent(token.i, token.idx, sentence, self._cue(token), speaker,
                           source=source)

    def _within(self, subject: Token | None, sentence: int) -> Token | None:
        """The subject if it is in the verb's sentence, else its apposition there.

        The shared parse runs over the whole text and sometimes hangs a subject on a
        token of the previous line (a heading); the name is then an apposition.
        """
        if subject is None:
            return None
        bounds = self.sentences[sentence]
        if bounds.start <= subject.idx < bounds.end:
            return subject
        return next((c for c in subject.children
                     if c.dep_ in ("appos", "conj") and bounds.start <= c.idx < bounds.end),
                    None)

    def _noun_event(self, noun: Token, sentence: int) -> SpeechEvent | None:
        """ "Putin’s claim", "an appeal by Trump": a named owner of the words."""
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None:
            agent = next((c for c in noun.children
                          if c.dep_ == "prep" and c.lower_ in AGENT_PREPOSITIONS), None)
            if agent is not None:
                owner = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if owner is None or (owner.pos_ == "PRON"
                             and owner.lower_ not in POSSESSIVE_PRONOUNS):
            return None
        speaker = self.speaker_for(owner, sentence)
        if speaker is None:
            return None
        return SpeechEvent(noun.i, noun.idx, sentence, noun.text, speaker, nominal=True,
                           source=self.phrase(owner))

    def source_of(self, cue: Token, subject: Token | None) -> tuple[int, int] | None:
        """The words naming the speaker at the cue: its subject phrase, or the relative
        pronoun standing for it ("Rubio, who said …" -> "who")."""
        own = next((c for c in cue.children if c.dep_ == "nsubj"), None)
        if own is not None and own.lower_ in RELATIVE_PRONOUNS and not self._quoted[own.i]:
            return own.idx, own.idx + len(own)
        return self.phrase(subject)

    def phrase(self, head: Token | None) -> tuple[int, int] | None:
        """The span of a subject phrase, without the clauses hung on it and without
        quoted words ("Rubio, who said …" -> "Rubio")."""
        if head is None:
            return None
        sentence = self.sentence_at(head.idx)
        bounds = self.sentences[sentence] if sentence is not None else None
        kept = {head.i}
        stack = [head]
        while stack:
            token = stack.pop()
            for child in token.children:
                if child.dep_ in _CLAUSE_DEPS or self._quoted[child.i]:
                    continue
                if bounds is not None and not bounds.start <= child.idx < bounds.end:
                    continue
                kept.add(child.i)
                stack.append(child)
        first, last = self.doc[min(kept)], self.doc[max(kept)]
        return first.idx, last.idx + len(last)

    def in_sentence(self, token: Token, sentence: int) -> bool:
        bounds = self.sentences[sentence]
        return bounds.start <= token.idx < bounds.end

    def described(self, subject: Token) -> Speaker | None:
        """A subject that describes the speaker without a name ("the newspaper",
        "White House officials"): the phrase itself. Pronouns describe no one."""
        if subject.pos_ not in ("NOUN", "PROPN") or self._quoted[subject.i] \
                or self.names.is_numeric(subject):
            return None  # "on 6 March, which stated": a date says nothing
        span = self.phrase(subject)
        if span is None or span[1] - span[0] > DESCRIBED_MAX_CHARS:
            return None
        text = self.text[span[0] : span[1]].strip(" ,")
        start = self.text.index(text, span[0])
        return Speaker(text, start, start + len(text), False)

    def cue_of(self, token: Token) -> str:
        return self._cue(token) if token.pos_ == "VERB" else token.text

    def _cue(self, verb: Token) -> str:
        """The verb with what makes it a cue: "told reporters", "wrote in a statement"."""
        last = verb.i
        for child in verb.rights:
            if self._quoted[child.i] or child.i > last + TOLD_AUDIENCE_MAX_TOKENS + 1:
                break
            if child.dep_ in ("dobj", "dative") and verb.lemma_ == "tell":
                sub = list(child.subtree)
                if len(sub) <= TOLD_AUDIENCE_MAX_TOKENS:
                    last = max(last, sub[-1].i)
            elif child.dep_ == "prt":
                last = max(last, child.i)
            elif child.dep_ == "prep" and child.lower_ in MEDIUM_PREPOSITIONS:
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None and obj.lemma_.lower() in MEDIUM_NOUNS:
                    last = max(last, obj.i)
        return str(self.doc[verb.i : last + 1].text)

    # -- speakers ----------------------------------------------------------------

    def speaker_for(self, subject: Token, sentence: int) -> Speaker | None:
        """The speaker a subject (or "according to" object) names, if any."""
        if self._quoted[subject.i]:
            return None  # a word of the quotation the parse made the subject
        low = POSSESSIVE_PRONOUNS.get(subject.lower_, subject.lower_)
        if low in PERSON_PRONOUNS:
            return self._same_sentence_subject(subject, sentence) \
                or self._antecedent(sentence, self._salient_person)
        if low in GROUP_PRONOUNS:
            return self._antecedent(sentence, self._salient_group)
        if subject.pos_ == "PRON":
            return None
        return self.names.named_speaker(subject)

    def _same_sentence_subject(self, pronoun: Token, sentence: int) -> Speaker | None:
        """ "Trump wrote that he asked …": an earlier named subject of the same sentence."""
        for token in reversed(self.sentence_tokens(sentence)):
            if token.i >= pronoun.i or self._quoted[token.i] or token.dep_ != "nsubj" \
                    or token.pos_ == "PRON":
                continue
            speaker = self.speaker_for(token, sentence)
            if speaker is not None and speaker.person:
                return speaker
        return None

    # -- salience and pronouns -----------------------------------------------------

    def _salient(self, tokens: list[Token], events: list[SpeechEvent], index: int,
                 *, person: bool) -> Speaker | None:
        """Whom a later pronoun most likely means: the sentence's speaker or subject."""
        for event in events:
            if event.speaker is not None and event.speaker.person == person \
                    and event.verbal:
                return event.speaker
        for token in tokens:
            if token.dep_ == "ROOT":
                subject = subject_of(token) or next(
                    (c for c in token.children if c.dep_ == "nsubjpass"), None)
                if subject is not None:
                    speaker = self.speaker_for(subject, index)
                    if speaker is not None and speaker.person == person:
                        return speaker
        if not person:
            return None  # "it" never reaches for an arbitrary organisation
        return self.names.first_person_in(index)

    def _antecedent(self, sentence: int, salient: list[Speaker | None]) -> Speaker | None:
        stop = max(-1, sentence - 1 - PRONOUN_LOOKBACK_SENTENCES)
        for j in range(min(sentence, len(salient)) - 1, stop, -1):
            if salient[j] is not None:
                return salient[j]
        return None


