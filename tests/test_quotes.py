"""Quotes with speakers, on short invented articles, the demo corpus and the seed story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corroborate.analyse.entities import build_entity_index
from corroborate.analyse.quotes import story_quotes
from corroborate.enrich.entities import EntityStep, find_entities
from corroborate.enrich.quote_spans import find_quote_spans
from corroborate.enrich.quotes import QuoteStep, find_attributed_quotes, find_quotes
from corroborate.enrich.sentences import SentenceStep, split_sentences
from corroborate.model import Article, Quote
from corroborate.pipeline.base import RunContext

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"


def quotes_of(text: str) -> list[Quote]:
    return find_quotes(text, split_sentences(text), find_entities(text))


def direct(text: str) -> list[Quote]:
    return [q for q in quotes_of(text) if q.direct]


def content(text: str, quote: Quote) -> str:
    return text[quote.start : quote.end]


def speaker_span(text: str, quote: Quote) -> str | None:
    if quote.speaker_start is None or quote.speaker_end is None:
        return None
    return text[quote.speaker_start : quote.speaker_end]


# -- direct quotes and their speakers ------------------------------------------------

def test_curly_quote_with_inverted_attribution() -> None:
    text = "“The bridge will open in May,” said Maria Kovalenko."
    [quote] = direct(text)
    assert content(text, quote) == "The bridge will open in May"
    assert quote.speaker == "Maria Kovalenko"
    assert speaker_span(text, quote) == "Maria Kovalenko"
    assert quote.cue == "said"


def test_straight_quotes_after_a_colon() -> None:
    text = ('Harbour chief Tomas Brennik said: "We have cleared the channel and ships '
            'can enter again."')
    [quote] = direct(text)
    assert content(text, quote) == "We have cleared the channel and ships can enter again."
    assert quote.speaker == "Tomas Brennik"


def test_quote_split_around_its_attribution_keeps_the_speaker() -> None:
    text = "“The first payments go out next week,” Kovalenko said. “Nobody should doubt it.”"
    first, second = direct(text)
    assert content(text, first) == "The first payments go out next week"
    assert content(text, second) == "Nobody should doubt it."
    assert first.speaker == second.speaker == "Kovalenko"


def test_pronoun_speaker_resolves_to_the_person_named_before_not_in_the_quote() -> None:
    text = ("Senator Alan Whitcombe spoke to farmers in Dunmore on Friday.\n\n"
            "“I told Governor Ruth Abara that the subsidy stays,” he said.")
    [quote] = direct(text)
    assert quote.speaker == "Alan Whitcombe"
    # The speaker span is the named mention in the earlier paragraph, not "he".
    assert quote.speaker_start is not None
    assert quote.speaker_start < text.index("\n")
    assert speaker_span(text, quote) == "Alan Whitcombe"


def test_role_prefix_gives_the_person_inside_it() -> None:
    text = "“We see reasons for hope,” Harbour Authority spokesman Tomas Brennik told reporters."
    [quote] = direct(text)
    assert quote.speaker == "Tomas Brennik"
    assert quote.cue == "told reporters"


def test_role_is_linked_to_the_name_introduced_with_it() -> None:
    text = ("Estonian Prime Minister Liis Varma opened the summit in Tallinn on Monday.\n\n"
            "“Our borders are safe and our allies are close,” the Estonian prime minister said.")
    [quote] = direct(text)
    assert quote.speaker == "Liis Varma"
    assert speaker_span(text, quote) == "Liis Varma"


def test_bare_role_without_a_modifier_stays_unresolved() -> None:
    text = ("Estonian Prime Minister Liis Varma opened the summit in Tallinn on Monday.\n\n"
            "“Our borders are safe and our allies are close,” the president said.")
    [quote] = direct(text)
    # Not linked to Liis Varma: "the president" could be anyone's. The article's own
    # description is kept as the speaker, with its span (it was None before, which
    # lost the one thing the article says about who spoke).
    assert quote.speaker == "the president"
    assert speaker_span(text, quote) == "the president"
    assert quote.cue == "said"


def test_organisation_speaks_in_a_statement() -> None:
    text = ("“The talks were constructive and we expect a second round,” the World Bank "
            "said in a statement.")
    [quote] = direct(text)
    assert quote.speaker == "World Bank"
    assert quote.cue == "said in a statement"


def test_institution_phrase_is_the_speaker() -> None:
    text = ("Norway's defence ministry wrote in a statement: “Our ships will stay in the "
            "northern harbour until the storm passes.”")
    [quote] = direct(text)
    assert quote.speaker == "Norway's defence ministry"
    assert speaker_span(text, quote) == "Norway's defence ministry"
    assert quote.cue == "wrote in a statement"


def test_quote_continued_in_the_next_paragraph() -> None:
    text = ("Kovalenko said: “The work starts in April and will take two years.\n\n"
            "“After that, the old ferry will stop running.”")
    first, second = direct(text)
    assert content(text, first) == "The work starts in April and will take two years."
    assert content(text, second) == "After that, the old ferry will stop running."
    assert first.speaker == second.speaker == "Kovalenko"
    spans = find_quote_spans(text)
    assert spans[0].unclosed and spans[1].continues


def test_paragraph_of_quotation_continues_the_previous_speaker() -> None:
    text = ("“The bridge is safe,” Kovalenko said.\n\n"
            "“Every cable was checked twice by independent engineers.”")
    first, second = direct(text)
    assert second.speaker == first.speaker == "Kovalenko"


def test_attribution_introduced_in_the_previous_sentence() -> None:
    text = ("Tomas Brennik spoke after the vote.\n\n"
            "He then added:\n“The harbour will reopen on Tuesday morning.”")
    [quote] = direct(text)
    assert quote.speaker == "Tomas Brennik"
    assert quote.cue == "added"


def test_unattributed_quotes_have_no_speaker() -> None:
    text = ("The banner read “No more delays” in large letters.\n\n"
            "“Nobody knows who wrote it.”")
    quotes = direct(text)
    assert [content(text, q) for q in quotes] == ["No more delays", "Nobody knows who wrote it."]
    assert all(q.speaker is None and q.speaker_start is None for q in quotes)


def test_single_quoted_scare_words_and_headlines_are_not_quotes() -> None:
    text = ("Minister calls the budget plan ‘reckless’\n\n"
            "The so-called ‘peace dividend’ never came, and 'the last mile' is still unbuilt.")
    # No direct quotes. The headline is still an attribution ("Minister calls the plan
    # reckless", as PolNeAR annotates such headlines): indirect, its content unquoted.
    quotes = quotes_of(text)
    assert [q for q in quotes if q.direct] == []
    assert [(content(text, q), q.speaker, q.cue) for q in quotes] == [
        ("the budget plan ‘reckless’", "Minister", "calls")]


def test_attributed_single_quoted_statement_is_a_quote() -> None:
    text = "‘We will not sign this agreement today,’ Kovalenko said."
    [quote] = direct(text)
    assert content(text, quote) == "We will not sign this agreement today"
    assert quote.speaker == "Kovalenko"


# -- indirect speech -------------------------------------------------------------------

def test_indirect_speech_named_and_described_speakers_but_not_negated() -> None:
    text = ("Maria Kovalenko said that the bridge would open in May. "
            "According to the World Bank, growth slowed to two percent last year. "
            "Kovalenko did not say when the ferry would stop. "
            "Officials said the bridge was safe.")
    quotes = quotes_of(text)
    assert all(not q.direct for q in quotes)
    found = {content(text, q): (q.speaker, q.cue) for q in quotes}
    # "Officials" was left out before (named speakers only); PolNeAR counts unnamed
    # sources, and the article's description is what a reader gets to know of them.
    assert found == {
        "the bridge would open in May": ("Maria Kovalenko", "said"),
        "growth slowed to two percent last year": ("World Bank", "according to"),
        "the bridge was safe": ("Officials", "said"),
    }


def test_direct_quote_is_not_repeated_as_indirect_speech() -> None:
    text = "Tomas Brennik said: “The harbour will reopen on Tuesday morning.”"
    quotes = quotes_of(text)
    assert [q.direct for q in quotes] == [True]


def test_learned_cue_reports_an_object_and_gives_the_quoted_words_a_speaker() -> None:
    text = "Senator Ruth Abara called the harbour plan “a disaster for farmers” on Monday."
    quotes = quotes_of(text)
    indirect = [q for q in quotes if not q.direct]
    [fragment] = [q for q in quotes if q.direct]
    assert [content(text, q) for q in indirect] == ["the harbour plan “a disaster for farmers”"]
    assert indirect[0].speaker == fragment.speaker == "Ruth Abara"
    assert content(text, fragment) == "a disaster for farmers"


def test_told_reporters_that_and_the_source_phrase_as_written() -> None:
    text = ("Maria Kovalenko, who leads the port authority, told reporters that the "
            "channel would reopen on Friday.")
    [found] = find_attributed_quotes(text, split_sentences(text), find_entities(text))
    quote = found.quote
    assert content(text, quote) == "the channel would reopen on Friday"
    assert quote.speaker == "Maria Kovalenko" and quote.cue == "told reporters"
    assert found.source is not None
    assert text[found.source[0] : found.source[1]].startswith("Maria Kovalenko")


def test_relative_pronoun_is_the_source_and_its_noun_the_speaker() -> None:
    text = "The delegates met Tomas Brennik, who said that the talks had stalled."
    [found] = find_attributed_quotes(text, split_sentences(text), find_entities(text))
    assert found.quote.speaker == "Tomas Brennik"
    assert found.source is not None and text[found.source[0] : found.source[1]] == "who"


def test_a_name_heading_the_quotation_with_a_colon_is_its_speaker() -> None:
    text = "Harbour outlook - Maria Kovalenko: “The channel is open and ships are moving.”"
    [quote] = direct(text)
    assert quote.speaker == "Maria Kovalenko"


def test_short_exclamation_and_the_quote_after_its_attribution_sentence() -> None:
    text = ("Ruth Abara was surprised by the call from the ministry. “I’m honored!” she said. "
            "“It gives me goosebumps.”")
    first, second = direct(text)
    assert first.speaker == second.speaker == "Ruth Abara"


def test_possessive_owner_of_a_speech_noun_resolves_like_a_pronoun() -> None:
    text = ("Ruth Abara spoke in Dunmore on Friday. The crowd cheered her remark that "
            "“nobody here will be left behind.”")
    [quote] = direct(text)
    assert quote.speaker == "Ruth Abara"


# -- the step ------------------------------------------------------------------------

def test_a_fragment_belongs_to_its_own_speech_verb_not_an_enclosing_one() -> None:
    text = ("On Monday, Arlen Vosk admitted that the toll was fair but insisted on "
            "several changes, a plan Mira Tallis dismissed as “cynical.”")
    [quote] = direct(text)
    assert content(text, quote) == "cynical."
    assert quote.speaker == "Mira Tallis"


def test_a_reported_clause_runs_on_over_a_stray_conjunct_with_a_quotation() -> None:
    text = ("Vosk first made the claim earlier in the week when he said Ukrainian miners "
            "had been surrounded during a retreat from the harbour region, and had the "
            "choice to “wait or dig.”")
    [quote] = direct(text)
    assert content(text, quote) == "wait or dig."
    assert quote.speaker == "Vosk"


def test_a_name_glued_to_the_next_sentence_stops_at_the_name() -> None:
    # The tokenizer makes one token of "said.[Putin" and the recogniser one name of
    # "Peskov said.[Putin"; the bracket is how some pages mark a link.
    text = "“There is a reason to be careful,” Peskov said.[Putin] He backs the plan."
    [quote] = direct(text)
    assert quote.speaker == "Peskov"
    assert speaker_span(text, quote) == "Peskov"


def test_quote_step_fills_article_quotes_and_counts() -> None:
    text = "“Prices will fall by the summer,” Tomas Brennik told reporters on Tuesday."
    article = Article(id="a1", source="a1.txt", text=text)
    ctx = RunContext()
    steps = [SentenceStep(), EntityStep(), QuoteStep()]
    [out] = list(steps[2].run(steps[1].run(steps[0].run([article], ctx), ctx), ctx))
    assert QuoteStep.needs == {"text", "sentences", "entities"}
    assert QuoteStep.provides == {"quotes"}
    [quote] = out.quotes
    assert quote.speaker == "Tomas Brennik" and quote.cue == "told reporters"
    assert ctx.stats["quotes.direct"] == 1
    assert ctx.stats["quotes.ok"] == 1


def test_empty_article_has_no_quotes() -> None:
    assert find_quotes("", [], []) == []
    article = QuoteStep().process(Article(id="e", source="e.txt"), RunContext())
    assert article.quotes == []


# -- the seed story --------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_articles() -> list[Article]:
    ctx = RunContext()
    steps = [SentenceStep(), EntityStep(), QuoteStep()]
    articles = []
    for path in sorted(SEEDS.glob("*.txt")):
        article = Article(id=path.stem, source=str(path), text=path.read_text(encoding="utf-8"))
        for step in steps:
            processed = step.process(article, ctx)
            assert processed is not None
            article = processed
        articles.append(article)
    return articles


@pytest.mark.seeds
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not available")
def test_seed_quotes_are_attributed_to_the_story_speakers(seed_articles: list[Article]) -> None:
    assert len(seed_articles) == 5
    index = build_entity_index(seed_articles)
    quotes = story_quotes(seed_articles, index)
    speakers = {q.speaker for q in quotes if q.direct}
    for name in ("Donald Trump", "Dmitry Peskov", "Marco Rubio", "Vladimir Putin",
                 "Volodymyr Zelenskyy", "David Lammy", "Keir Starmer", "Emmanuel Macron",
                 "Ukrainian general staff"):
        assert name in speakers, name
    for quote in quotes:
        article = next(a for a in seed_articles if a.id == quote.article)
        assert article.text[quote.start : quote.end] == quote.text
        assert quote.text.strip() == quote.text
        if quote.direct:  # the content of a direct quote is inside the marks
            assert quote.text[0] not in "“”\"" and quote.text[-1] not in "“”\""
        if quote.speaker_start is not None and quote.speaker_end is not None:
            assert article.text[quote.speaker_start : quote.speaker_end].strip()


# -- the demo corpus's ground truth ----------------------------------------------------

@pytest.mark.skipif(not (DEMO / "expected.json").is_file(), reason="examples/demo is absent")
def test_demo_quotes_have_their_expected_speakers() -> None:
    """Every quote `examples/demo/expected.json` lists, through read, clean and enrich.

    Floor: all 30 at the time of writing; one miss is tolerated because the parse of
    an invented name can change with the spaCy model, two are a regression.
    """
    from corroborate.clean import CleanStep
    from corroborate.ingest.known import IngestStep
    from corroborate.pipeline.default import ReadStep

    ctx = RunContext()
    paths = [str(p) for p in sorted(DEMO.iterdir()) if p.suffix in (".txt", ".html", ".jsonl")]
    stream = iter(paths)
    for step in (ReadStep(), IngestStep(), CleanStep(), SentenceStep(), EntityStep(),
                 QuoteStep()):
        stream = step.run(stream, ctx)
    articles = {a.id: a for a in stream}
    events: dict[str, list[Article]] = {}
    for item in articles.values():
        events.setdefault(item.id.split("-")[0], []).append(item)
    indexes = {event: build_entity_index(items) for event, items in events.items()}
    expected = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))["quotes"]
    missed = []
    for quote in expected:
        item = articles[quote["article"]]
        found = story_quotes([item], indexes[item.id.split("-")[0]])
        speakers = {q.speaker for q in found if quote["text_contains"] in q.text}
        if quote["speaker"] not in speakers:
            missed.append((quote["article"], quote["speaker"], speakers))
    assert len(expected) >= 30
    assert len(missed) <= 1, missed
