"""Online story clustering and idempotent ingest, with real vectors and a real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corroborate.cluster.online import OnlineClusterer, entity_keys, story_id_for
from corroborate.enrich.embed import EmbedStep
from corroborate.enrich.entities import EntityStep
from corroborate.ingest.known import IngestStep
from corroborate.model import Article
from corroborate.pipeline.base import RunContext
from corroborate.store.sqlite import Store

# Two invented events of the same kind (floods) in different places, and a summit.
FLOOD_A = [
    "Floodwater swept through Tolvane after the Lanmoor Dam gave way on Tuesday night. "
    "Interior Minister Ana Teller said two people had died and nine were missing.",
    "Rescue teams in Tolvane searched for nine people missing after the Lanmoor Dam "
    "failed. Ana Teller said the army would help clear the flooded streets.",
    "The collapse of the Lanmoor Dam left much of Tolvane under water, Interior "
    "Minister Ana Teller told reporters, as rescuers kept searching for the missing.",
]
FLOOD_B = [
    "Heavy rain flooded the Brackwater valley in Norvenia, where the Greyfell Mining "
    "Group evacuated its pit and union leader Ines Korda demanded an inquiry.",
    "Ines Korda of the Norvenian Mineworkers' Federation said Greyfell Mining Group had "
    "ignored warnings before water filled the Brackwater pit.",
]
SUMMIT = [
    "Trade ministers left Port Anselm without signing the accord after Kaspar Rell said "
    "the Brandmoor delegation had walked out over grain tariffs.",
]


def articles_of(texts: list[str], prefix: str, published: str = "2025-03-12") -> list[Article]:
    ctx = RunContext()
    raw = [Article(id=f"{prefix}{i}", source=f"{prefix}{i}", text=t, content_hash=f"{prefix}{i}",
                   published=published) for i, t in enumerate(texts)]
    return list(EmbedStep().run(EntityStep().run(raw, ctx), ctx))


def test_two_events_of_the_same_kind_become_two_stories() -> None:
    clusterer = OnlineClusterer([])
    stories = {}
    for article in articles_of(FLOOD_A, "a") + articles_of(FLOOD_B, "b") + articles_of(
            SUMMIT, "s"):
        stories[article.id] = clusterer.assign(article).story_id
    assert stories["a0"] == stories["a1"] == stories["a2"]
    assert stories["b0"] == stories["b1"]
    assert len({stories["a0"], stories["b0"], stories["s0"]}) == 3


def test_story_ids_are_stable_and_derived_from_the_founding_article() -> None:
    articles = articles_of(FLOOD_A, "a")
    first = OnlineClusterer([]).assign(articles[0])
    assert first.new_story and first.story_id == story_id_for(articles[0])
    again = OnlineClusterer([]).assign(articles[0])
    assert again.story_id == first.story_id


def test_a_copy_joins_the_story_of_its_family_whatever_its_score() -> None:
    clusterer = OnlineClusterer([])
    [flood] = articles_of(FLOOD_A[:1], "a")
    [summit] = articles_of(SUMMIT, "s")
    home = clusterer.assign(flood).story_id
    assert clusterer.assign(summit, family_story=home).story_id == home


def test_a_cold_story_is_not_joined() -> None:
    clusterer = OnlineClusterer([])
    [early] = articles_of(FLOOD_A[:1], "a", published="2025-03-12")
    [late] = articles_of(FLOOD_A[1:2], "late", published="2025-06-30")
    assert clusterer.assign(early).story_id != clusterer.assign(late).story_id


def test_entity_keys_use_surnames_for_people() -> None:
    [article] = articles_of(FLOOD_A[:1], "a")
    keys = entity_keys(article)
    assert "teller" in keys and "tolvane" in keys


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "ingest.db") as opened:
        yield opened


def raw(article_id: str, content_hash: str) -> Article:
    return Article(id=article_id, source=f"{article_id}.txt", raw="x", content_hash=content_hash)


def test_ingest_drops_stored_and_repeated_documents_and_keeps_ids_unique(store: Store) -> None:
    stored = raw("kept", "h-stored")
    stored.text = "stored text"
    store.put_articles([stored])
    ctx = RunContext(store=store)
    batch = [raw("kept", "h-new"), raw("dup", "h-new"), raw("again", "h-stored"),
             raw("kept", "h-other")]
    out = list(IngestStep().run(batch, ctx))
    assert [(a.id, a.content_hash) for a in out] == [("kept~2", "h-new"), ("kept~3", "h-other")]
    assert ctx.seen_ids == ["kept~2", "kept~2", "kept", "kept~3"]
    assert ctx.stats["ingest.new"] == 2
    assert ctx.stats["ingest.already-stored"] == 1
    assert ctx.stats["ingest.duplicate-in-batch"] == 1
