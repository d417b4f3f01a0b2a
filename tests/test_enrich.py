"""Sentences, entities and article vectors, with the real spaCy model and MiniLM."""

from __future__ import annotations

import itertools

import numpy as np

from corroborate.enrich.embed import DIMENSIONS, EmbedStep, embed_texts
from corroborate.enrich.entities import EntityStep, find_entities
from corroborate.enrich.nlp import parse, parse_many
from corroborate.enrich.sentences import SentenceStep, split_sentences
from corroborate.model import Article
from corroborate.pipeline.base import RunContext

TEXT = (
    "Floodwater reached the old quay in Tolvane on Tuesday. Interior Minister Ana Teller "
    "visited the town.\n\n"
    "Rescue crews\n\n"
    "“We are doing everything we can,” she said. Crews from Marrow County worked through "
    "the night."
)


def test_sentences_are_trimmed_spans_that_never_cross_a_line_break() -> None:
    spans = split_sentences(TEXT)
    texts = [TEXT[s.start:s.end] for s in spans]
    assert texts[:3] == [
        "Floodwater reached the old quay in Tolvane on Tuesday.",
        "Interior Minister Ana Teller visited the town.",
        "Rescue crews",  # a subheading is its own sentence, not glued to the next one
    ]
    assert texts[3].startswith("“We are doing everything")
    for span in spans:
        assert "\n" not in TEXT[span.start:span.end]
        assert TEXT[span.start:span.end] == TEXT[span.start:span.end].strip()
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_entities_are_offsets_into_the_text_without_possessives() -> None:
    text = "Ana Teller’s office said the Interior Ministry would reply on Friday."
    mentions = find_entities(text)
    by_text = {m.text: m.label for m in mentions}
    assert by_text.get("Ana Teller") == "PERSON"
    assert "Friday" in by_text
    for m in mentions:
        assert text[m.start:m.end] == m.text
        assert not m.text.endswith(("’s", "'s"))


def test_steps_fill_the_article_and_count() -> None:
    ctx = RunContext()
    article = Article(id="a", source="a.txt", text=TEXT)
    [done] = list(EntityStep().run(SentenceStep().run([article], ctx), ctx))
    assert done.sentences and done.entities
    assert any(e.text == "Ana Teller" for e in done.entities)
    assert ctx.stats["sentences.ok"] == 1 and ctx.stats["entities.ok"] == 1


def test_batched_parsing_gives_the_same_parse_as_one_by_one() -> None:
    texts = [TEXT, "A second, shorter text about the dam.", TEXT.upper()]
    batched = parse_many(texts)
    assert [d.text for d in batched] == texts
    assert [[t.dep_ for t in d] for d in batched] == [[t.dep_ for t in parse(t)] for t in texts]


def test_embeddings_are_normalised_and_close_for_paraphrases() -> None:
    vectors = embed_texts([
        "The United States proposed a 30-day ceasefire.",
        "Washington put forward a thirty-day truce.",
        "The bakery on Quay Street sells rye bread.",
    ])
    assert vectors.shape == (3, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    assert embed_texts([]).shape == (0, DIMENSIONS)


def test_embed_step_gives_every_article_a_vector() -> None:
    ctx = RunContext()
    articles = [Article(id=str(i), source=str(i), text=f"Story number {i}.", title="T")
                for i in range(5)]
    done = list(EmbedStep().run(articles, ctx))
    assert all(a.embedding is not None and len(a.embedding) == DIMENSIONS for a in done)
    assert ctx.stats["embed.ok"] == 5
