"""Quotes with speakers: direct quotations, indirect speech and other attributions.

`find_quotes` reads like a checklist. It finds the quotation-mark spans
(`quote_spans`), reads each sentence's speech events from the shared spaCy parse
(`quote_speakers`), then gives every direct quotation the first attribution that
applies, most local first:

1. a speech verb or noun governing the quotation in the parse ("“…,” he said",
   "Putin’s claim that “…”"), the nearest one when a speech verb with a named subject
   stands between ("Putin insisted …, an approach Zelensky dismissed as “…”");
2. a cue learned from PolNeAR (`quote_cues`) the quotation hangs from ("Cruz blamed
   the law on “…”", "calling it a “great meeting”"), or any verb whose clausal
   complement the quotation is (“…?” Hannity pressed);
3. for a quotation longer than a fragment, or one that is a sentence of its own
   (“I’m honored!” she said.), the nearest speech verb of its sentences;
4. a colon introduction, in the same or the previous sentence ("He then added: “…”",
   "Jeffrey M. Jones: “…”");
5. the quotation it continues from the previous paragraph;
6. the attributed quotation just before it in the paragraph (“A,” he said. “B.”, also
   across the attribution's own sentence: “A!” she said. “B.”);
7. for a quotation opening its paragraph, the last attribution of the previous one;

and otherwise no speaker. Single-quoted spans are kept only under rule 1. Indirect
speech and other attributions ("X said that …", "according to X, …", "X called the
plan a disaster") come from `quote_indirect` with `direct=False`; a quoted fragment
with no speaker of its own inside such a clause takes the clause's speaker. A speaker
is a name when the article gives one (through pronouns and roles too), else the
subject phrase that describes the speaker ("White House officials"), else None.
`find_attributed_quotes` also returns each quote's source phrase as written in its
attribution ("he"), which PolNeAR scores (`bench/quotes.py`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from corroborate.enrich.nlp import parse
from corroborate.enrich.quote_cues import cue_key, is_cue
from corroborate.enrich.quote_indirect import AttributedQuote, indirect_quotes, make_quote
from corroborate.enrich.quote_spans import QuoteSpan, find_quote_spans, paragraphs
from corroborate.enrich.quote_speakers import ArticleSpeech, SpeechEvent
from corroborate.enrich.quote_subjects import Speaker, subject_of
from corroborate.enrich.speech import (
    FRAGMENT_MAX_WORDS,
    GOVERNING_CUE_MAX_STEPS,
    SINGLE_QUOTE_MIN_WORDS,
    SPEECH_VERBS,
    SPLIT_QUOTE_MAX_GAP_WORDS,
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
    source: tuple[int, int] | None = None


_NONE = _Attribution(None, None, -1)


def find_quotes(text: str, sentences: list[Span], entities: list[EntityMention]) -> list[Quote]:
    """Direct and indirect quotes of `text`, with speakers where the article names them."""
    return [found.quote for found in find_attributed_quotes(text, sentences, entities)]


def find_attributed_quotes(text: str, sentences: list[Span],
                           entities: list[EntityMention]) -> list[AttributedQuote]:
    """`find_quotes`, with each quote's source phrase."""
    if not text.strip() or not sentences:
        return []
    spans = find_quote_spans(text)
    speech = ArticleSpeech(text, parse(text), sentences, entities,
                           [(s.open, s.close) for s in spans])
    direct = [make_quote(span.start, span.end, found.speaker, found.cue, found.source,
                         direct=True)
              for span, found in _Attributor(text, speech).attribute(spans)]
    indirect = indirect_quotes(text, speech, [(s.open, s.close) for s in spans])
    quotes = [_inherit(quote, indirect) for quote in direct] + indirect
    return sorted(quotes, key=lambda q: (q.quote.start, q.quote.end))


def _inherit(found: AttributedQuote, indirect: list[AttributedQuote]) -> AttributedQuote:
    """A quoted fragment with no speaker of its own inside a reported clause (Trump
    was “absolutely right”, Flynn said) is the clause's speaker's."""
    quote = found.quote
    if quote.speaker is not None:
        return found
    for outer in indirect:
        if outer.quote.speaker is not None and outer.quote.start <= quote.start \
                and quote.end <= outer.quote.end:
            return AttributedQuote(replace(outer.quote, start=quote.start, end=quote.end,
                                           direct=True), outer.source)
    return found


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
        if event is None and (cued := self._governing_cue(span)) is not None:
            return cued
        if event is None and (words > FRAGMENT_MAX_WORDS or self._own_sentence(span)):
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

    def _governing_cue(self, span: QuoteSpan) -> _Attribution | None:
        """A learned cue the quotation hangs from ("Cruz blamed the law on “…”",
        "Trump calling it a “great meeting”", "her remark that “…”")."""
        sentence = self.speech.sentence_at(span.open)
        if sentence is None:
            return None
        for root in self._content_tokens(span, roots_only=True):
            for steps, token in enumerate(root.ancestors):
                if steps >= GOVERNING_CUE_MAX_STEPS or self.speech.is_quoted(token) \
                        or not self.speech.in_sentence(token, sentence):
                    break
                key = cue_key(token)
                frame = steps == 0 and root.dep_ in ("ccomp", "parataxis") \
                    and token.pos_ == "VERB"  # “…,” Hannity pressed: any verb frames it
                # "an approach Zelensky dismissed as “manipulative”": a speech verb
                # whose "as" phrase is the quotation has no complement `cue_key` reads.
                speech_verb = token.pos_ == "VERB" and token.lemma_.lower() in SPEECH_VERBS
                if not frame and not speech_verb and (key is None or not is_cue(key)):
                    continue
                subject = subject_of(token) if token.pos_ == "VERB" else \
                    next((c for c in token.children if c.dep_ == "poss"), None)
                if subject is None or not self.speech.in_sentence(subject, sentence):
                    continue
                speaker = self.speech.speaker_for(subject, sentence) \
                    or self.speech.described(subject)
                return _Attribution(speaker, self.speech.cue_of(token), token.idx,
                                    self.speech.source_of(token, subject))
        return None

    def _own_sentence(self, span: QuoteSpan) -> bool:
        """A quotation that is a whole sentence (“I’m honored!” she said.) is a
        statement, however short, not a fragment of the text around it."""
        index = self.speech.sentence_at(span.open)
        return index is not None and \
            not self.text[self.speech.sentences[index].start : span.open].strip()

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
        roots = [t for t in tokens
                 if not span.open <= t.head.idx < span.close or t.head.i == t.i]
        # The closing full stop (“manipulative.”) hangs on the sentence's root verb,
        # which governs the words no more than any other verb of the sentence.
        return [t for t in roots if not t.is_punct] or roots

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
        named = self._name_before_colon(index, span)
        if named is not None:
            return named
        for token in self.speech.sentence_tokens(index):
            if token.idx >= sentence.start + len(frame) or self.speech.is_quoted(token):
                break
            if token.pos_ in ("VERB", "AUX") and (subject := subject_of(token)) is not None:
                speaker = self.speech.speaker_for(subject, index)
                if speaker is not None:
                    return _Attribution(speaker, None, token.idx,
                                        self.speech.source_of(token, subject))
        return None

    def _name_before_colon(self, index: int, span: QuoteSpan) -> _Attribution | None:
        """ "HuffPollster: “…”", "Jeffrey M. Jones: “…”": a name heading the quotation."""
        colon = self.text.rfind(":", self.speech.sentences[index].start, span.open)
        tokens = [t for t in self.speech.sentence_tokens(index) if t.idx < colon]
        if colon < 0 or not tokens or tokens[-1].pos_ != "PROPN" \
                or self.speech.is_quoted(tokens[-1]):
            return None
        speaker = self.speech.speaker_for(tokens[-1], index)
        if speaker is None:
            return None
        return _Attribution(speaker, ":", colon, self.speech.phrase(tokens[-1]))

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
        cue_sentence = self.speech.sentence_at(found.offset)
        if before is None or here is None or here - before > 2 or \
                (here - before == 2 and cue_sentence != before + 1):
            return None  # another sentence lies between: it may change the speaker
            # (the attribution's own sentence between them, “A!” she said. “B.”, does not)
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
    return _Attribution(event.speaker, event.cue, event.offset, event.source)


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
            if _reports(token):
                break  # "Putin insisted …, an approach Zelensky dismissed as “…”"
    return best


def _reports(token: Token) -> bool:
    """A speech verb with a named subject of its own: it, not a verb further up,
    governs the quotation below it. A pronoun subject ("Ban condemned what he called
    a “brazen breach”") is most often the outer speaker again, whom the outer verb
    names better."""
    return token.pos_ == "VERB" and token.lemma_.lower() in SPEECH_VERBS \
        and any(c.dep_ == "nsubj" and c.pos_ != "PRON" for c in token.children)


def _distance(event: SpeechEvent, span: QuoteSpan) -> int:
    return span.open - event.offset if event.offset < span.open else event.offset - span.close


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
