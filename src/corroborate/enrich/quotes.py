"""Quotes with speakers: direct quotations and conservative indirect speech.

`find_quotes` reads like a checklist. It finds the quotation-mark spans
(`quote_spans`), reads each sentence's speech events from the shared spaCy parse
(`quote_speakers`), then gives every direct quotation the first attribution that
applies, most local first:

1. a speech verb or noun governing the quotation in the parse ("“…,” he said",
   "Putin’s claim that “…”");
2. for a quotation longer than a fragment, the nearest speech verb of its sentences;
3. a colon introduction, in the same or the previous sentence ("He then added: “…”");
4. the quotation it continues from the previous paragraph;
5. the attributed quotation just before it in the paragraph (“A,” he said. “B.”);
6. for a quotation opening its paragraph, the last attribution of the previous one;

and otherwise no speaker. Single-quoted spans are kept only under rule 1. Indirect
speech ("X said that …", "according to X, …") is added with `direct=False` when the
speaker resolves to a name and the reported clause is not already a quotation.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corroborate.enrich.nlp import parse
from corroborate.enrich.quote_spans import QuoteSpan, find_quote_spans, paragraphs
from corroborate.enrich.quote_speakers import ArticleSpeech, SpeechEvent
from corroborate.enrich.quote_subjects import Speaker, subject_of
from corroborate.enrich.speech import (
    FRAGMENT_MAX_WORDS,
    INDIRECT_MIN_TOKENS,
    INDIRECT_VERBS,
    SINGLE_QUOTE_MIN_WORDS,
    SPLIT_QUOTE_MAX_GAP_WORDS,
    WH_WORDS,
)
from corroborate.model import Article, EntityMention, Quote, Span
from corroborate.pipeline.base import ArticleStep, RunContext

if TYPE_CHECKING:
    from spacy.tokens import Token

_WORD = re.compile(r"\w+")
_CLAUSE_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})


@dataclass(frozen=True, slots=True)
class _Attribution:
    speaker: Speaker | None
    cue: str | None
    offset: int  # where the attribution is, to find "the last one" of a paragraph


_NONE = _Attribution(None, None, -1)


def find_quotes(text: str, sentences: list[Span], entities: list[EntityMention]) -> list[Quote]:
    """Direct and indirect quotes of `text`, with speakers where the article names them."""
    if not text.strip() or not sentences:
        return []
    spans = find_quote_spans(text)
    speech = ArticleSpeech(text, parse(text), sentences, entities,
                           [(s.open, s.close) for s in spans])
    direct = _Attributor(text, speech).attribute(spans)
    quotes = [_quote(span.start, span.end, found, direct=True) for span, found in direct]
    quotes.extend(_indirect_quotes(text, speech, spans))
    return sorted(quotes, key=lambda q: (q.start, q.end))


def _quote(start: int, end: int, found: _Attribution, *, direct: bool) -> Quote:
    speaker = found.speaker
    return Quote(start, end, speaker.text if speaker else None,
                 speaker.start if speaker else None, speaker.end if speaker else None,
                 direct=direct, cue=found.cue)


class _Attributor:
    """Gives each quotation span of one article its attribution, in text order."""

    def __init__(self, text: str, speech: ArticleSpeech) -> None:
        self.text = text
        self.speech = speech
        self.done: list[tuple[QuoteSpan, _Attribution]] = []
        self._paragraph_starts = [start for start, _ in paragraphs(text)]
        self._token_starts = [t.idx for t in speech.doc]
        self._sentence_ends = [s.end for s in speech.sentences]

    def attribute(self, spans: list[QuoteSpan]) -> list[tuple[QuoteSpan, _Attribution]]:
        for span in spans:
            found = self._attribution(span)
            if found is not None:
                self.done.append((span, found))
        return self.done

    def _attribution(self, span: QuoteSpan) -> _Attribution | None:
        words = span.words(self.text)
        event = self._governing_event(span)
        if span.single:
            if event is None or words < SINGLE_QUOTE_MIN_WORDS or not self._has_verb(span):
                return None  # a scare quote or a headline phrase, not a statement
            return _from_event(event)
        if event is None and words > FRAGMENT_MAX_WORDS:
            event = self._nearest_event(span)
        if event is not None and (event.speaker is not None or not span.continues):
            return _from_event(event)
        return (self._colon_intro(span) or self._continued(span) or self._split(span)
                or self._paragraph_opening(span) or _NONE)

    # -- events in the quotation's own sentences -----------------------------------

    def _events_around(self, span: QuoteSpan) -> list[SpeechEvent]:
        """Events of the sentences the quotation overlaps, and of the next sentence
        when the quotation closes its own (“… votes?” Trump said)."""
        sentences = self.speech.sentences
        first = bisect_right(self._sentence_ends, span.open)
        if first >= len(sentences):
            return []
        last = first
        while last + 1 < len(sentences) and sentences[last + 1].start < span.close:
            last += 1
        if last + 1 < len(sentences) and sentences[last].end <= span.close:
            gap = self.text[span.close : sentences[last + 1].start]
            if not gap.strip() and "\n" not in gap:
                last += 1
        return [e for index in range(first, last + 1) for e in self.speech.events[index]]

    def _governing_event(self, span: QuoteSpan) -> SpeechEvent | None:
        """The speech verb or noun the parse attaches the quotation to, nearest first."""
        roots = self._content_tokens(span, roots_only=True)
        best: tuple[int, int, SpeechEvent] | None = None
        for event in self._events_around(span):
            if event.according_to:
                continue
            steps = _steps_to(self.speech.doc[event.token], roots, span)
            if steps is not None:
                key = (steps, _distance(event, span), event)
                if best is None or key[:2] < best[:2]:
                    best = key
        return best[2] if best else None

    def _nearest_event(self, span: QuoteSpan) -> SpeechEvent | None:
        events = self._events_around(span)
        verbs = [e for e in events if e.verbal] or [e for e in events if e.according_to]
        return min(verbs, key=lambda e: _distance(e, span), default=None)

    def _content_tokens(self, span: QuoteSpan, *, roots_only: bool = False) -> list[Token]:
        doc = self.speech.doc
        tokens = [doc[i] for i in range(bisect_left(self._token_starts, span.start),
                                        bisect_left(self._token_starts, span.end))]
        if not roots_only:
            return tokens
        return [t for t in tokens
                if not span.open <= t.head.idx < span.close or t.head.i == t.i]

    def _has_verb(self, span: QuoteSpan) -> bool:
        return any(t.pos_ in ("VERB", "AUX") for t in self._content_tokens(span))

    # -- fallbacks for a quotation with no speech verb of its own --------------------

    def _colon_intro(self, span: QuoteSpan) -> _Attribution | None:
        """ "X said:" or "X <did something>, citing concerns:" right before the quotation."""
        index = self.speech.sentence_at(span.open)
        if index is None:
            return None
        sentence = self.speech.sentences[index]
        frame = self.text[sentence.start : span.open].strip()
        if not frame and index > 0:
            index -= 1
            sentence = self.speech.sentences[index]
            frame = self.text[sentence.start : sentence.end].strip()
        if not frame.endswith(":"):
            return None
        verbal = [e for e in self.speech.events[index] if e.verbal]
        if verbal:
            return _from_event(verbal[-1])
        for token in self.speech.sentence_tokens(index):
            if token.idx >= sentence.start + len(frame) or self.speech.is_quoted(token):
                break
            if token.pos_ in ("VERB", "AUX") and (subject := subject_of(token)) is not None:
                speaker = self.speech.speaker_for(subject, index)
                if speaker is not None:
                    return _Attribution(speaker, None, token.idx)
        return None

    def _continued(self, span: QuoteSpan) -> _Attribution | None:
        if not span.continues:
            return None
        for previous, found in reversed(self.done):
            if previous.paragraph == span.paragraph - 1 and previous.unclosed:
                return found
        return None

    def _split(self, span: QuoteSpan) -> _Attribution | None:
        """ “A,” he said. “B.”: B belongs to A's speaker."""
        if not self.done:
            return None
        previous, found = self.done[-1]
        if previous.paragraph != span.paragraph or found.cue is None:
            return None
        gap = self.text[previous.close : span.open]
        if len(_WORD.findall(gap)) > SPLIT_QUOTE_MAX_GAP_WORDS:
            return None
        before = self.speech.sentence_at(max(previous.open, previous.close - 1))
        here = self.speech.sentence_at(span.open)
        if before is None or here is None or here - before > 1:
            return None  # another sentence lies between: it may change the speaker
        if here > before and self.text[self.speech.sentences[here].start : span.open].strip():
            return None  # the quotation sits in a sentence of its own making
        return found

    def _paragraph_opening(self, span: QuoteSpan) -> _Attribution | None:
        """A paragraph that opens with a quotation continues the previous speaker."""
        start = self._paragraph_starts[span.paragraph]
        if self.text[start : span.open].strip() or span.paragraph == 0:
            return None
        lo = self._paragraph_starts[span.paragraph - 1]
        items = [(found.offset, found) for prev, found in self.done
                 if prev.paragraph == span.paragraph - 1]
        for index in range(bisect_right(self._sentence_ends, lo),
                           bisect_right(self._sentence_ends, start)):
            items.extend((e.offset, _from_event(e)) for e in self.speech.events[index]
                         if not e.nominal and lo <= e.offset < start)
        return max(items, key=lambda item: item[0])[1] if items else None


def _from_event(event: SpeechEvent) -> _Attribution:
    return _Attribution(event.speaker, event.cue, event.offset)


def _steps_to(verb: Token, roots: list[Token], span: QuoteSpan) -> int | None:
    """How many arcs up from the quotation the parse reaches `verb`, if it does.

    A frame verb hung below the quotation (the parse of "X said: “…”" sometimes makes
    the quotation the root) counts as one step.
    """
    if span.start <= verb.head.idx < span.end:
        return 1
    best: int | None = None
    for root in roots:
        token, steps = root, 0
        while token.head.i != token.i:
            token, steps = token.head, steps + 1
            if token.i == verb.i:
                best = steps if best is None else min(best, steps)
                break
    return best


def _distance(event: SpeechEvent, span: QuoteSpan) -> int:
    return span.open - event.offset if event.offset < span.open else event.offset - span.close


# -- indirect speech ----------------------------------------------------------------

def _indirect_quotes(text: str, speech: ArticleSpeech, spans: list[QuoteSpan]) -> list[Quote]:
    quoted = [(s.open, s.close) for s in spans]
    quotes: list[Quote] = []
    for events in speech.events:
        for event in events:
            if event.speaker is None or event.nominal:
                continue
            verb = speech.doc[event.token]
            if event.according_to:
                content = _according_content(text, speech, event)
            elif verb.lemma_.lower() in INDIRECT_VERBS:
                content = _clause_content(speech, verb, event.sentence, quoted)
            else:
                content = None
            if content is None or _words_outside(text, content, quoted) < INDIRECT_MIN_TOKENS:
                continue
            quotes.append(_quote(content[0], content[1], _from_event(event), direct=False))
    return quotes


def _clause_content(speech: ArticleSpeech, verb: Token, sentence: int,
                    quoted: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The reported clause of "X said (that) …" or "…, X said", trimmed of "that"."""
    clause = next((c for c in verb.children if c.dep_ == "ccomp"
                   and not speech.is_quoted(c)), None)
    if clause is None or not any(c.dep_ in _CLAUSE_SUBJECTS for c in clause.children):
        return None  # no subject: a fragment the parse hung on the verb
    tokens = list(clause.subtree)
    while tokens and (tokens[0].dep_ == "mark" or tokens[0].lower_ == "that"
                      or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if len(tokens) < INDIRECT_MIN_TOKENS or tokens[0].lower_ in WH_WORDS:
        return None
    start, end = _around_quotes(tokens[0].idx, tokens[-1].idx + len(tokens[-1]), quoted)
    bounds = speech.sentences[sentence]
    if start < bounds.start or end > bounds.end or start < verb.idx < end:
        return None  # the parse reached into another sentence or paragraph
    if end <= verb.idx and not _only_cue_follows(speech, verb, clause, bounds.end):
        return None  # "CLAUSE, he said, …" goes on with something else
    return start, end


def _around_quotes(start: int, end: int, quoted: list[tuple[int, int]]) -> tuple[int, int]:
    """Widen a clause that starts or ends inside a quotation to take its marks too."""
    for q_start, q_end in quoted:
        if q_start < start < q_end:
            start = q_start
        if q_start < end < q_end:
            end = q_end
    return start, end


def _only_cue_follows(speech: ArticleSpeech, verb: Token, clause: Token, end: int) -> bool:
    """Whether only the verb's own words (subject, audience, time) follow the clause."""
    own = {t.i for t in verb.subtree} - {t.i for t in clause.subtree}
    return all(t.is_punct or t.i in own for t in speech.doc[verb.i :] if t.idx < end)


def _according_content(text: str, speech: ArticleSpeech,
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


class QuoteStep(ArticleStep):
    name = "quotes"
    needs = frozenset({"text", "sentences", "entities"})
    provides = frozenset({"quotes"})

    def process(self, article: Article, ctx: RunContext) -> Article:
        if not article.is_english:
            # Speech verbs and the parse are English; see EntityStep.
            ctx.count("quotes.skipped-language")
            article.quotes = []
            return article
        article.quotes = find_quotes(article.text, article.sentences, article.entities) \
            if article.text else []
        direct = sum(1 for q in article.quotes if q.direct)
        ctx.count("quotes.direct", direct)
        ctx.count("quotes.indirect", len(article.quotes) - direct)
        ctx.count("quotes.unattributed", sum(1 for q in article.quotes if q.speaker is None))
        return article
