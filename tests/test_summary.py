"""The extractive summary and the story title."""

from __future__ import annotations

import pytest

from corroborate.analyse.facts import find_facts
from corroborate.analyse.sentences import build_sentence_table
from corroborate.analyse.title import MAX_TITLE_CHARS, story_title, trim_at_word
from corroborate.model import Article, Fact, SummarySentence
from corroborate.summarise import summarise
from story_fixtures import SEEDS, Story, fire_story, seed_story


def assert_summary_invariants(story: Story, summary: list[SummarySentence]) -> None:
    for sentence in summary:
        first = sentence.citations[0]
        assert story.article(first.article).text[first.start:first.end] == sentence.text
        assert len(set(sentence.citations)) == len(sentence.citations)
        others = [c.article for c in sentence.citations[1:]]
        assert first.article not in others


@pytest.fixture(scope="module")
def fire() -> Story:
    return fire_story()


@pytest.fixture(scope="module")
def fire_facts(fire: Story) -> list[Fact]:
    return find_facts(fire.table, fire.families)


@pytest.fixture(scope="module")
def fire_summary(fire: Story, fire_facts: list[Fact]) -> list[SummarySentence]:
    return summarise(fire.table, fire_facts, fire.families)


def test_summary_sentences_cite_their_exact_text(
    fire: Story, fire_summary: list[SummarySentence]
) -> None:
    assert 1 <= len(fire_summary) <= 6
    assert_summary_invariants(fire, fire_summary)


def test_a_stated_fact_cites_every_article_stating_it(
    fire_summary: list[SummarySentence], fire_facts: list[Fact]
) -> None:
    blaze = next(f for f in fire_facts if len(f.support) == 4)
    chosen = [s for s in fire_summary if {c.article for c in s.citations} == set(blaze.support)]
    assert chosen, "the best supported fact is in the summary with all its citations"


def test_no_quotes_no_copies_no_repeats(
    fire: Story, fire_summary: list[SummarySentence], fire_facts: list[Fact]
) -> None:
    assert all("grateful" not in s.text and "untrue" not in s.text for s in fire_summary)
    assert all(s.citations[0].article != "copy" for s in fire_summary), (
        "a republished copy never leads when its original says the same")
    fact_of = {(c.article, c.start): k for k, f in enumerate(fire_facts) for c in f.citations}
    led = [fact_of.get((s.citations[0].article, s.citations[0].start)) for s in fire_summary]
    facts_led = [k for k in led if k is not None]
    assert len(facts_led) == len(set(facts_led)), "one sentence per fact"


def test_reading_order_and_length_limit(
    fire: Story, fire_facts: list[Fact], fire_summary: list[SummarySentence]
) -> None:
    short = summarise(fire.table, fire_facts, fire.families, max_sentences=2)
    assert len(short) == 2
    assert summarise(fire.table, fire_facts, fire.families, max_sentences=0) == []
    for article in fire.articles:
        starts = [s.citations[0].start for s in fire_summary
                  if s.citations[0].article == article.id]
        assert starts == sorted(starts), "sentences of one article keep their order"


def test_title_is_the_most_central_headline(fire: Story) -> None:
    titles = {a.title for a in fire.articles}
    assert story_title(fire.articles, fire.table) in titles


def test_title_without_headlines_is_a_lead_sentence(fire: Story) -> None:
    untitled = [Article(id=a.id, source=a.source, text=a.text, sentences=a.sentences,
                        entities=a.entities) for a in fire.articles]
    title = story_title(untitled, build_sentence_table(untitled))
    leads = {trim_at_word(a.sentences[0].text_of(a.text), MAX_TITLE_CHARS) for a in untitled}
    assert title in leads
    assert len(title) <= MAX_TITLE_CHARS


def test_trim_at_word_boundary() -> None:
    text = "Firefighters fought a large blaze at the warehouse on the harbour road"
    trimmed = trim_at_word(text, 30)
    assert trimmed == "Firefighters fought a large…"
    assert len(trimmed) <= 30
    assert trim_at_word("Short title", 30) == "Short title"


@pytest.mark.seeds
@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seed articles not available")
def test_seed_summary_and_title() -> None:
    story = seed_story()
    facts = find_facts(story.table, story.families)
    summary = summarise(story.table, facts, story.families)
    assert len(summary) == 6
    assert_summary_invariants(story, summary)
    assert sum(len(s.citations) > 1 for s in summary) >= 3, "most are cross-source facts"
    title = story_title(story.articles, story.table)
    assert 0 < len(title) <= MAX_TITLE_CHARS
