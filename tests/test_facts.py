"""Facts: cross-article alignment on an invented story and on the seed story."""

from __future__ import annotations

import re

import pytest

from corroborate.analyse.facts import count_families, find_facts
from corroborate.analyse.sentences import numbers_in, quoted_regions
from corroborate.model import Fact
from story_fixtures import SEEDS, Story, fire_story, seed_story


def cited_texts(story: Story, fact: Fact) -> list[str]:
    return [story.article(c.article).text[c.start:c.end] for c in fact.citations]


def fact_mentioning(story: Story, facts: list[Fact], *needles: str) -> Fact:
    for fact in facts:
        joined = " ".join(cited_texts(story, fact))
        if all(n in joined for n in needles):
            return fact
    raise AssertionError(f"no fact mentions {needles}: {[f.text for f in facts]}")


def assert_fact_invariants(story: Story, facts: list[Fact]) -> None:
    sentences = {(a.id, s.start, s.end) for a in story.articles for s in a.sentences}
    for fact in facts:
        assert len(fact.support) >= 2
        assert fact.support == sorted(fact.support)
        assert {c.article for c in fact.citations} == set(fact.support)
        assert len(fact.citations) == len(fact.support), "one sentence per article"
        assert all((c.article, c.start, c.end) in sentences for c in fact.citations)
        assert fact.text in cited_texts(story, fact), "the text is a member sentence"
        assert 1 <= fact.independent_support <= len(fact.support)
    ranks = [(-f.independent_support, -len(f.support)) for f in facts]
    assert ranks == sorted(ranks)


@pytest.fixture(scope="module")
def fire() -> Story:
    return fire_story()


@pytest.fixture(scope="module")
def fire_facts(fire: Story) -> list[Fact]:
    return find_facts(fire.table, fire.families)


def test_paraphrases_align_across_articles(fire: Story, fire_facts: list[Fact]) -> None:
    blaze = fact_mentioning(fire, fire_facts, "A large fire broke out")
    assert blaze.support == ["coastal", "copy", "gazette", "wire"]
    assert blaze.independent_support == 3, "the copy shares the original's family"
    assert fire_facts[0].independent_support == 3
    assert_fact_invariants(fire, fire_facts)


def test_different_numbers_never_align(fire: Story, fire_facts: list[Fact]) -> None:
    for fact in fire_facts:
        joined = " ".join(cited_texts(fire, fact))
        assert not ("20 workers" in joined and "30 workers" in joined), joined


def test_hyphenated_and_spaced_numbers_agree(fire: Story, fire_facts: list[Fact]) -> None:
    closure = fact_mentioning(fire, fire_facts, "48-hour", "48 hours", "48 hour closure")
    assert {"gazette", "coastal", "wire"} <= set(closure.support)


def test_quote_fragments_are_not_facts(fire: Story, fire_facts: list[Fact]) -> None:
    # The copy repeats the original's quote verbatim; a quotation is not a fact.
    for fact in fire_facts:
        assert all("grateful" not in text for text in cited_texts(fire, fact))


def test_disputed_cause_is_a_fact_of_its_asserters(fire: Story, fire_facts: list[Fact]) -> None:
    cause = fact_mentioning(fire, fire_facts, "Brandt said the fire was caused")
    assert set(cause.support) == {"gazette", "copy", "wire"}
    assert cause.independent_support == 2


def test_numbers_are_normalised() -> None:
    assert numbers_in("a 30-day truce") == numbers_in("the 30 day truce") == {"30"}
    assert numbers_in("1,000 people and 2.50 dollars") == {"1000", "2.5"}
    assert numbers_in("thirty days") == frozenset()


def test_quoted_regions_reopen_per_paragraph() -> None:
    text = "“First part of a long quote.\n“Second paragraph,” she said."
    regions = quoted_regions(text)
    assert [text[s:e] for s, e in regions] == ["First part of a long quote.", "Second paragraph,"]


def test_families_count_independent_sources() -> None:
    families = [["a", "b"], ["c"]]
    assert count_families(["a", "b"], families) == 1
    assert count_families(["a", "c", "z"], families) == 3, "unlisted ids are their own family"


@pytest.mark.seeds
@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seed articles not available")
def test_seed_story_facts() -> None:
    story = seed_story()
    facts = find_facts(story.table, story.families)
    assert_fact_invariants(story, facts)

    def supported(pattern: str, minimum: int) -> list[Fact]:
        found = []
        for fact in facts:
            hits = {c.article for c, text in zip(fact.citations, cited_texts(story, fact),
                                                 strict=True)
                    if re.search(pattern, text, re.IGNORECASE | re.DOTALL)}
            if len(hits) >= minimum:
                found.append(fact)
        return found

    # The US proposal of a 30-day ceasefire, stated by several outlets.
    assert supported(r"30.day (ceasefire|truce)|30.day.*(ceasefire|truce)", 2)
    # Witkoff's (spun copy: Witkov's) meeting with Putin.
    assert supported(r"witko(ff|v).*putin|putin.*witko(ff|v)", 3)
    # Trump's request to spare the surrounded Ukrainian troops.
    assert supported(r"(spare|save the lives).*(troops|soldiers)", 3)
