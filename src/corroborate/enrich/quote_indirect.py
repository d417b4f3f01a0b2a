"""Indirect speech and other attributions: "X said (that) …", "according to X, …",
"X told reporters …", "X called the plan a disaster", "the poll shows …".

A word is a cue when `quote_cues` says so (a rate learned on PolNeAR train for its
lemma and complement, or a speech verb of `speech.INDIRECT_VERBS` with a clause).
The content is the complement's words in the cue's sentence, trimmed of a leading
"that" and of punctuation; the source is the cue's subject phrase as written, and
the speaker what that phrase resolves to (`ArticleSpeech.speaker_for`), or the
phrase itself when it describes the speaker without naming anyone ("the newspaper",
"White House officials"). A pronoun nobody can resolve leaves the speaker empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corroborate.enrich.quote_cues import complement_of, cue_key, is_cue
from corroborate.enrich.quote_speakers import ArticleSpeech, SpeechEvent
from corroborate.enrich.quote_subjects import Speaker, subject_of
from corroborate.enrich.speech import (
    INDIRECT_MIN_TOKENS,
    INDIRECT_VERBS,
    OBJECT_MIN_WORDS,
    RELATIVE_WORDS,
)
from corroborate.model import Quote

if TYPE_CHECKING:
    from spacy.tokens import Token

_WORD = re.compile(r"\w+")
_LEADING = frozenset({"that", "whether", "if"})
# What follows an object and says what it was called ("called him a “clown”").
_OBJECT_PREDICATES = frozenset({"oprd", "xcomp", "ccomp", "acomp"})


@dataclass(frozen=True, slots=True)
class AttributedQuote:
    """A quote and the words of its attribution that name the speaker as written
    there ("he", "a top Trump surrogate"), which `Quote.speaker_start` does not keep:
    it points to the name the speaker was resolved to. Benchmarks score this span."""

    quote: Quote
    source: tuple[int, int] | None


def make_quote(start: int, end: int, speaker: Speaker | None, cue: str | None,
               source: tuple[int, int] | None, *, direct: bool) -> AttributedQuote:
    quote = Quote(start, end, speaker.text if speaker else None,
                  speaker.start if speaker else None, speaker.end if speaker else None,
                  direct=direct, cue=cue)
    return AttributedQuote(quote, source)


def indirect_quotes(text: str, speech: ArticleSpeech,
                    quoted: list[tuple[int, int]]) -> list[AttributedQuote]:
    """Every attribution of `text` whose content is not (only) a quotation."""
    found: list[AttributedQuote] = []
    for index in range(len(speech.sentences)):
        for event in speech.events[index]:
            if event.according_to:
                content = according_content(text, speech, event)
                if content is not None and _words_outside(text, content, quoted) \
                        >= INDIRECT_MIN_TOKENS:
                    found.append(make_quote(*content, event.speaker, event.cue,
                                            event.source, direct=False))
        for token in speech.sentence_tokens(index):
            if speech.is_quoted(token):
                continue
            quote = _cued_content(text, speech, token, index, quoted)
            if quote is not None:
                found.append(quote)
    return found


def _cued_content(text: str, speech: ArticleSpeech, token: Token, sentence: int,
                  quoted: list[tuple[int, int]]) -> AttributedQuote | None:
    key = cue_key(token, speech.is_quoted)
    if key is None:
        return None
    if not is_cue(key) and not (key[1] == "clause" and key[0] in INDIRECT_VERBS):
        return None
    if any(c.dep_ == "neg" for c in token.children):
        return None  # "Kovalenko did not say when …" reports nothing
    complement = complement_of(token, speech.is_quoted)
    if complement is None or complement[0] == "quoted":
        return None  # a quotation: the direct quotes have it
    content = _content(text, speech, token, complement[1], sentence)
    if content is None:
        return None
    least = INDIRECT_MIN_TOKENS if complement[0] in ("clause", "to") else OBJECT_MIN_WORDS
    if _words_outside(text, content, quoted) < least:
        return None
    subject = subject_of(token) if token.pos_ == "VERB" else _owner(token)
    if subject is None or not speech.in_sentence(subject, sentence):
        return None
    speaker = speech.speaker_for(subject, sentence) or speech.described(subject)
    cue = speech.cue_of(token)
    return make_quote(*content, speaker, cue, speech.source_of(token, subject), direct=False)


def _owner(noun: Token) -> Token | None:
    """ "Putin's claim that …": the owner of a cue noun."""
    return next((c for c in noun.children if c.dep_ == "poss"), None)


def _content(text: str, speech: ArticleSpeech, cue: Token, head: Token,
             sentence: int) -> tuple[int, int] | None:
    """The complement's words in the cue's sentence, without a leading "that"."""
    bounds = speech.sentences[sentence]
    heads = [head]
    if head.dep_ == "dobj":  # "called the plan “a disaster”": the predicate goes too
        heads += [c for c in cue.children if c.dep_ in _OBJECT_PREDICATES and c.i > head.i]
    tokens = sorted((t for h in heads for t in h.subtree
                     if bounds.start <= t.idx < bounds.end), key=lambda t: t.i)
    while tokens and (tokens[0].lower_ in _LEADING or tokens[0].dep_ == "mark"
                      or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].dep_ == "cc" or tokens[-1].is_punct) \
            and not speech.is_quoted(tokens[-1]):
        tokens = tokens[:-1]  # "… for two weeks, and" ends before its conjunction
    if not tokens or tokens[0].lower_ in RELATIVE_WORDS:
        return None  # "troops whom he said were surrounded": a relative clause
    tokens += _stray_conjunct(speech, cue, tokens[-1], bounds.end)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    start, end = _around_quotes(text, start, end, speech, sentence)
    if start < cue.idx < end:
        return None  # the parse hung the cue inside its own content
    return start, end


def _stray_conjunct(speech: ArticleSpeech, cue: Token, last: Token,
                    sentence_end: int) -> list[Token]:
    """ "when he said troops had been surrounded …, and had the choice to “surrender
    or die.”": a subjectless conjunct right after the content that the parse hung on
    a word above the cue still belongs to the reported clause when it carries a
    quotation (what the speaker is quoted as saying)."""
    doc = speech.doc
    i = last.i + 1
    while i < len(doc) and (doc[i].is_punct or doc[i].dep_ == "cc") \
            and not speech.is_quoted(doc[i]):
        i += 1
    if i >= len(doc) or i == last.i + 1 or doc[i].idx >= sentence_end:
        return []
    verb = doc[i]
    if verb.dep_ != "conj" or verb.pos_ not in ("VERB", "AUX") \
            or verb.head not in list(cue.ancestors) \
            or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return []
    extra = [t for t in verb.subtree if t.i > last.i and t.idx < sentence_end]
    if not any(speech.is_quoted(t) for t in extra):
        return []
    while extra and extra[-1].is_punct and not speech.is_quoted(extra[-1]):
        extra = extra[:-1]
    return [doc[j] for j in range(last.i + 1, extra[-1].i + 1)] if extra else []


def _around_quotes(text: str, start: int, end: int, speech: ArticleSpeech,
                   sentence: int) -> tuple[int, int]:
    """Widen a content that ends on a quotation's last word to take its closing mark."""
    bounds = speech.sentences[sentence]
    while end < bounds.end and text[end] in ".,?!" and end + 1 < bounds.end \
            and text[end + 1] in "”\"’'":
        end += 1
    if end < bounds.end and text[end] in "”\"":
        end += 1
    if start > bounds.start and text[start - 1] in "“\"":
        start -= 1
    return start, end


def according_content(text: str, speech: ArticleSpeech,
                      event: SpeechEvent) -> tuple[int, int] | None:
    """ "According to X, CLAUSE." or "CLAUSE, according to X." -> CLAUSE."""
    sentence = speech.sentences[event.sentence]
    phrase = list(speech.doc[event.token].subtree)
    phrase_start = phrase[0].idx
    phrase_end = phrase[-1].idx + len(phrase[-1])
    if not text[sentence.start : phrase_start].strip():
        start, end = phrase_end, sentence.end
    elif text[phrase_end : sentence.end].strip() in ("", "."):
        start, end = sentence.start, phrase_start
    else:
        return None
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    others = [e for e in speech.events[event.sentence] if e is not event]
    if len(_WORD.findall(text, start, end)) < INDIRECT_MIN_TOKENS or \
            any(start <= e.offset < end for e in others):
        return None  # "According to X, Y said …": Y's attribution, not X's
    return start, end


def _words_outside(text: str, content: tuple[int, int], quoted: list[tuple[int, int]]) -> int:
    """Words of `content` outside quotation marks: the indirect part of the clause."""
    start, end = content
    words = 0
    for match in _WORD.finditer(text, start, end):
        if not any(q_start <= match.start() < q_end for q_start, q_end in quoted):
            words += 1
    return words
