"""Passage-level reuse: which sentences of a copy come from its source, with offsets in
both texts, whatever the order of the paragraphs and whatever was inserted around them;
and reuse by meaning, where a spun copy rewords every sentence.

Fixtures are short invented reports; sentences, entities and vectors come from the real
spaCy and MiniLM steps, so the offsets are the ones the pipeline would store.
"""

from __future__ import annotations

import re

import pytest

from corroborate.enrich.embed import EmbedStep
from corroborate.enrich.entities import EntityStep
from corroborate.enrich.sentences import SentenceStep
from corroborate.model import Article, Passage, ProvenanceKind, Span
from corroborate.pipeline.base import RunContext
from corroborate.provenance import find_provenance
from corroborate.provenance.families import UnionFind
from corroborate.provenance.paraphrase import candidate_pairs, find_paraphrases
from corroborate.provenance.passages import (
    SentencePair,
    align_passages,
    coverage,
    passages_from_pairs,
    sentence_units,
)
from corroborate.provenance.shingles import shingles

HARBOUR = [
    "Dock workers at the port of Elland walked off the job on Saturday, halting container "
    "traffic at one of the busiest terminals on the coast.",
    "The union said the strike would last at least 48 hours after talks over pay and shift "
    "patterns collapsed late on Friday. Union secretary Dara Mullen said members had "
    "worked through two winters without a proper raise.",
    "The port authority said twelve ships were waiting offshore and that perishable cargo "
    "would be diverted to neighbouring harbours.",
    "Shipping companies warned that delays could spread to factories that rely on "
    "just-in-time deliveries of parts.",
    "The transport ministry urged both sides to return to mediation and offered to host "
    "talks on Monday.",
]


def _article(article_id: str, paragraphs: list[str]) -> Article:
    text = "\n\n".join(paragraphs)
    article = Article(id=article_id, source=article_id, text=text)
    SentenceStep().process(article, RunContext())
    return article


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def test_identical_text_is_one_passage_covering_everything() -> None:
    source, copy = _article("a", HARBOUR), _article("b", HARBOUR)
    alignment = align_passages(source, copy)
    assert alignment.passages == [Passage(0, len(source.text), 0, len(copy.text), 1.0)]
    assert alignment.target_coverage == alignment.source_coverage == 1.0
    assert alignment.verbatim_share == 1.0


def test_reordered_paragraphs_with_inserted_boilerplate() -> None:
    source = _article("source", HARBOUR)
    furniture = ["Share this article", "Subscribe to our newsletter for daily updates",
                 "Advertisement"]
    copy = _article("copy", [furniture[0], HARBOUR[3], HARBOUR[4], furniture[1],
                             HARBOUR[0], HARBOUR[1], furniture[2], HARBOUR[2]])
    alignment = align_passages(source, copy)
    # One passage per run of paragraphs that follow each other in both texts.
    spans = [(copy.text[p.target_start:p.target_end], source.text[p.source_start:p.source_end])
             for p in alignment.passages]
    assert [target for target, _ in spans] == [
        f"{HARBOUR[3]}\n\n{HARBOUR[4]}", f"{HARBOUR[0]}\n\n{HARBOUR[1]}", HARBOUR[2]]
    assert all(target == source_text for target, source_text in spans)
    assert all(p.similarity == 1.0 for p in alignment.passages)
    # No passage runs across an inserted line.
    for line in furniture:
        start = copy.text.index(line)
        assert not any(p.target_start <= start < p.target_end for p in alignment.passages)
    # The copy's own lines are what it does not owe to the source.
    inserted = sum(len(line.replace(" ", "")) for line in furniture)
    total = len(re.sub(r"\s", "", copy.text))
    assert alignment.target_coverage == pytest.approx(1 - inserted / total, abs=1e-3)
    assert alignment.source_coverage == 1.0


def test_light_edits_still_align_with_lower_similarity() -> None:
    source = _article("source", HARBOUR)
    edited = [
        HARBOUR[0].replace("Saturday", "Sunday"),  # one word changed
        HARBOUR[1],
        # a clause cut
        "The port authority said twelve ships were waiting offshore.",
        HARBOUR[3],
        HARBOUR[4],
    ]
    copy = _article("copy", edited)
    alignment = align_passages(source, copy)
    [passage] = alignment.passages
    assert (passage.target_start, passage.target_end) == (0, len(copy.text))
    assert (passage.source_start, passage.source_end) == (0, len(source.text))
    assert 0.8 < passage.similarity < 1.0
    by_target = {p.target: p for p in alignment.pairs}
    units = alignment.target_units
    changed = next(i for i, u in enumerate(units) if "Sunday" in copy.text[u.start:u.end])
    cut = next(i for i, u in enumerate(units) if copy.text[u.start:u.end].startswith("The port"))
    assert by_target[changed].similarity < 1.0
    assert by_target[cut].similarity < 1.0
    assert alignment.verbatim_share >= 0.5


def test_offsets_point_at_the_same_words_in_both_texts() -> None:
    source = _article("source", HARBOUR)
    copy = _article("copy", ["Breaking News", HARBOUR[2], "Read more: ten photos of the week",
                             HARBOUR[1]])
    alignment = align_passages(source, copy)
    assert len(alignment.passages) == 2
    for passage in alignment.passages:
        target = copy.text[passage.target_start:passage.target_end]
        origin = source.text[passage.source_start:passage.source_end]
        assert _words(target) == _words(origin)
    # The second paragraph of the source holds two sentences; both are one passage.
    assert any(source.text[p.source_start:p.source_end] == HARBOUR[1]
               for p in alignment.passages)


def test_unrelated_sentences_and_short_lines_are_not_matched() -> None:
    source = _article("source", HARBOUR)
    other = _article("other", [
        "Farmers counted their losses after the river burst its banks on Monday.",
        "Share", "Advertisement",
        "The union said the strike would last at least 48 hours.",  # a shared phrase
    ])
    alignment = align_passages(source, other)
    matched = [other.text[u.start:u.end] for u in
               (alignment.target_units[p.target] for p in alignment.pairs)]
    assert "Share" not in matched and "Advertisement" not in matched
    assert not any(text.startswith("Farmers") for text in matched)


def test_without_sentence_spans_lines_are_the_units() -> None:
    text = "First line of the report here.\n\n  Second line of the report here.  \n"
    article = Article(id="x", source="x", text=text)
    units = sentence_units(article)
    assert [text[u.start:u.end] for u in units] == ["First line of the report here.",
                                                    "Second line of the report here."]


def test_pairs_merge_only_when_they_follow_in_both_texts() -> None:
    source = _article("source", HARBOUR)
    units = sentence_units(source)
    pairs = [SentencePair(0, 0, 1.0), SentencePair(1, 1, 0.9), SentencePair(3, 2, 1.0),
             SentencePair(3, 3, 1.0)]  # the last: one source sentence split in two
    passages = passages_from_pairs(units, units, pairs)
    assert [(p.target_start, p.target_end) for p in passages] == [
        (units[0].start, units[1].end), (units[2].start, units[3].end)]
    # Similarity is weighted by the length of the target stretch.
    assert 0.9 < passages[0].similarity < 1.0


def test_coverage_counts_non_space_characters_once() -> None:
    text = "ab cd\n\nef gh"
    assert coverage(text, [Span(0, 5), Span(3, 5)]) == pytest.approx(0.5)
    assert coverage(text, []) == 0.0
    assert coverage("   ", [Span(0, 3)]) == 0.0


# --- passages by meaning: paraphrase and spin -------------------------------------------

# HARBOUR put through an article spinner: odd synonyms, a garbled name, two paragraphs
# swapped. Few word 5-grams survive, so only the meaning links it to its source.
HARBOUR_SPUN = [
    "Dock staff on the port of Elland walked off the job on Saturday, halting container "
    "site visitors at one of many busiest terminals on the shoreline.",
    "The union stated the walkout would final at the very least 48 hours after talks over "
    "wages and shift patterns fell apart late on Friday. Union secretary Dara Mullin "
    "stated members had labored by two winters with no correct elevate.",
    "Delivery firms cautioned that delays may unfold to factories that depend on "
    "just-in-time deliveries of elements.",
    "The port authority stated twelve vessels had been ready offshore and that perishable "
    "cargo could be diverted to neighbouring harbours.",
    "The transport ministry urged each events to return to mediation and supplied to host "
    "talks on Monday.",
]

# The same strike told by another outlet in its own words: same facts, not a copy.
HARBOUR_OTHER = [
    "Container traffic stopped at Elland on Saturday as dockers began a walkout over pay.",
    "Talks between the union and port managers broke down on Friday night, and the union "
    "says the stoppage will run for two days at least.",
    "Dara Mullen, who leads the dockers' union, told a rally outside the gates that her "
    "members deserved better after two hard winters.",
    "Twelve vessels were anchored off the coast by the afternoon, according to harbour "
    "officials.",
    "Manufacturers in the region fear shortages of parts if the dispute drags on.",
    "The government has offered to host mediation talks on Monday.",
]


def _enriched(article_id: str, paragraphs: list[str], published: str | None = None) -> Article:
    text = "\n\n".join(paragraphs)
    article = Article(id=article_id, source=article_id, text=text, published=published)
    ctx = RunContext()
    for step in (SentenceStep(), EntityStep(), EmbedStep()):
        step.process(article, ctx)
    return article


def _containment(one: Article, two: Article) -> float:
    a, b = shingles(one.text), shingles(two.text)
    return len(a & b) / min(len(a), len(b))


def test_spun_copy_is_a_paraphrase_edge_with_passages() -> None:
    source = _enriched("wire-strike", HARBOUR, published="2025-05-10")
    spun = _enriched("spun-strike", HARBOUR_SPUN, published="2025-05-11")
    assert _containment(source, spun) < 0.5  # the shingle comparison alone would miss it
    result = find_provenance([spun, source])
    [edge] = [e for e in result.edges if e.kind is not ProvenanceKind.ATTRIBUTED]
    assert edge.kind is ProvenanceKind.PARAPHRASE
    assert (edge.source, edge.target, edge.directed) == ("wire-strike", "spun-strike", True)
    assert "reworded one to one" in (edge.evidence or "")
    assert edge.overlap > 0.8
    # Each passage pairs a spun stretch with the stretch of the source it rewords.
    for passage in edge.passages:
        assert 0.7 <= passage.similarity <= 1.0
        assert passage.target_end <= len(spun.text) and passage.source_end <= len(source.text)
    ships = next(p for p in edge.passages
                 if "twelve vessels" in spun.text[p.target_start:p.target_end])
    assert "twelve ships" in source.text[ships.source_start:ships.source_end]
    assert result.families == [["spun-strike", "wire-strike"]]


def test_independent_report_of_the_same_event_is_not_a_copy() -> None:
    source = _enriched("wire-strike", HARBOUR, published="2025-05-10")
    other = _enriched("other-strike", HARBOUR_OTHER, published="2025-05-10")
    # Candidates by vector: the paraphrase check does run on this pair.
    assert candidate_pairs([source, other]) == [("other-strike", "wire-strike")]
    result = find_provenance([source, other])
    assert [e for e in result.edges if e.kind is not ProvenanceKind.ATTRIBUTED] == []
    assert result.families == [["other-strike"], ["wire-strike"]]


def test_undated_spun_copy_is_the_text_with_odder_words() -> None:
    source = _enriched("b-source", HARBOUR)
    spun = _enriched("a-spun", HARBOUR_SPUN)
    [edge] = [e for e in find_provenance([source, spun]).edges
              if e.kind is not ProvenanceKind.ATTRIBUTED]
    assert (edge.source, edge.target, edge.directed) == ("b-source", "a-spun", True)
    assert "odder" in (edge.evidence or "")


def test_paraphrase_needs_most_sentences_not_a_few() -> None:
    # Three spun sentences inside an otherwise different report: a shared passage at
    # most, not a rewrite of the whole article.
    source = _enriched("wire-strike", HARBOUR)
    mixed = _enriched("mixed", [*HARBOUR_SPUN[:2], *HARBOUR_OTHER[1:]])
    one, two = sorted((source, mixed), key=lambda a: a.id)
    families = UnionFind([one.id, two.id])
    assert find_paraphrases([one, two], families) == []
