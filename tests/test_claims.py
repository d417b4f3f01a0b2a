"""The claim matrix: stances, holders and statuses on invented and seed stories."""

from __future__ import annotations

import re

import pytest

from corroborate.analyse.claims import find_claims
from corroborate.analyse.facts import find_facts
from corroborate.analyse.holders import NameBook
from corroborate.analyse.sentences import build_sentence_table
from corroborate.analyse.stance import Reading, read_sentence
from corroborate.model import Article, Claim, ClaimStatus, Stance, StoryEntity
from story_fixtures import SEEDS, Story, enrich, fire_story, seed_story


def holders(claim: Claim, stance: Stance) -> set[str]:
    return {s.holder for s in claim.stances if s.stance is stance}


def claim_about(claims: list[Claim], pattern: str) -> Claim:
    for claim in claims:
        if re.search(pattern, claim.text, re.IGNORECASE):
            return claim
    raise AssertionError(f"no claim matches {pattern!r}: {[c.text for c in claims]}")


def assert_stances_cite_sentences(story: Story, claims: list[Claim]) -> None:
    sentences = {(a.id, s.start, s.end) for a in story.articles for s in a.sentences}
    for claim in claims:
        assert claim.stances
        for record in claim.stances:
            assert (record.article, record.start, record.end) in sentences


@pytest.fixture(scope="module")
def fire() -> Story:
    return fire_story()


@pytest.fixture(scope="module")
def fire_claims(fire: Story) -> list[Claim]:
    facts = find_facts(fire.table, fire.families)
    return find_claims(fire.table, facts, fire.quotes, fire.families)


def test_denied_cause_is_disputed(fire: Story, fire_claims: list[Claim]) -> None:
    cause = claim_about(fire_claims, r"electrical fault")
    assert cause.status is ClaimStatus.DISPUTED
    assert fire_claims[0] is cause, "disputed claims come first"
    assert "Tomas Brandt" in holders(cause, Stance.ASSERTS)
    assert "Harlan Chemicals" in holders(cause, Stance.DENIES), "subject of the denial"
    assert "Ingrid Solberg" in holders(cause, Stance.DENIES), "speaker of the quoted denial"
    assert cause.support == ["copy", "gazette", "wire"]
    assert cause.independent_support == 2
    assert_stances_cite_sentences(fire, fire_claims)


def test_undisputed_fact_is_corroborated_and_reported(
    fire: Story, fire_claims: list[Claim]
) -> None:
    blaze = claim_about(fire_claims, r"^Firefighters fought a large blaze")
    assert blaze.status is ClaimStatus.CORROBORATED
    assert blaze.independent_support == 3
    assert holders(blaze, Stance.REPORTS) == {
        "Harbour Gazette", "Coastal Times", "Regional Wire", "Port Digest"}


def test_copies_do_not_corroborate(fire: Story, fire_claims: list[Claim]) -> None:
    evacuated = claim_about(fire_claims, r"20 workers")
    assert evacuated.support == ["copy", "gazette"]
    assert evacuated.status is ClaimStatus.SINGLE_SOURCE


def test_doubt_is_a_question_and_names_who_made_the_claim(fire_claims: list[Claim]) -> None:
    doubted = next(c for c in fire_claims if holders(c, Stance.QUESTIONS))
    assert holders(doubted, Stance.QUESTIONS) == {"Union representatives"}
    assert "company" in holders(doubted, Stance.ASSERTS), "whose account is doubted"


@pytest.fixture(scope="module")
def harbour() -> Article:
    text = (
        "No evidence supports Mayor Ruth Calder's claims that the old harbour wall is "
        "safe, a claim denied by dock engineers.\n"
        "The port authority did not deny that the wall had cracked.\n"
        "If the council rejected the claims, repairs would start in spring.\n"
        "The storm denied the fishermen a week of work.\n"
        "Ruth Calder said the harbour wall was safe.\n"
    )
    return enrich([Article(id="harbour", source="harbour.txt", text=text)])[0]


def reading(article: Article, index: int, names: NameBook | None = None) -> Reading:
    table = build_sentence_table([article])
    return read_sentence(article, table.rows[index], names or NameBook([], []))


def test_denial_by_agent_and_named_claimants(harbour: Article) -> None:
    found = reading(harbour, 0)
    stances = {cue.stance for cue in found.cues}
    assert stances == {Stance.DENIES, Stance.QUESTIONS}
    denial = next(c for c in found.cues if c.stance is Stance.DENIES)
    assert denial.holders == ("dock engineers",)
    assert "Ruth Calder" in denial.claimants
    start, end = denial.proposition
    assert harbour.text[start:end] == "the old harbour wall is safe"


def test_negated_hypothetical_and_depriving_uses_are_not_cues(harbour: Article) -> None:
    assert reading(harbour, 1).cues == ()
    assert reading(harbour, 2).cues == ()
    assert reading(harbour, 3).cues == ()


def test_holder_names_are_canonical(harbour: Article) -> None:
    names = NameBook([StoryEntity(name="Ruth Calder", type="PERSON", aliases=["Mayor Calder"])],
                     [])
    assert reading(harbour, 4, names).speaker == "Ruth Calder"
    assert names.resolve("Calder", person=True) == "Ruth Calder"
    assert names.resolve("Mayor Calder") == "Ruth Calder"


@pytest.mark.seeds
@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seed articles not available")
def test_seed_encirclement_claim_is_disputed() -> None:
    story = seed_story()
    facts = find_facts(story.table, story.families)
    claims = find_claims(story.table, facts, story.quotes, story.families)
    assert_stances_cite_sentences(story, claims)
    encircled = [c for c in claims if re.search(r"encircle|surround", c.text, re.IGNORECASE)
                 and c.status is ClaimStatus.DISPUTED]
    assert encircled, [c.text for c in claims]
    claim = encircled[0]
    asserters = " | ".join(holders(claim, Stance.ASSERTS))
    deniers = " | ".join(holders(claim, Stance.DENIES))
    assert "Trump" in asserters and "Putin" in asserters, asserters
    assert re.search(r"ukrain\w*\s+(military|general staff)", deniers, re.IGNORECASE), deniers
    assert claim.independent_support >= 2
