"""Online story clustering with real spaCy entities, real MiniLM vectors and a real
store: same-kind events kept apart, one event kept together, cold stories, streaming
statistics, persistence across runs, and the ECB+ quality gate.

The fixture texts are invented (places, people, figures): two floods in the same week,
each told by several outlets in their own words, and a trade summit.

The gate runs `bench/clustering.py --split dev --json --no-cache` when
../shared/datasets/ecbplus exists, and skips otherwise: ~1-2 min on two cores, most of
it spaCy and MiniLM on the 197 dev documents (the cache is not used: CI starts clean).
Measured on 2026-11-21 (`.venv/bin/python bench/clustering.py --split dev`), BCubed F1:
- streaming as corroborate runs (the clustering step, maintenance every 40 articles):
  0.959 in file order, 0.931 mean and 0.899 min over 5 shuffled orders (seeds 101-105);
- the online clusterer alone: 0.917 file order, 0.908 mean, 0.886 min;
- the TF-IDF + average-link baseline, its threshold tuned on dev: 0.887.
The issue's target is 0.93 in file order; the other floors sit under the measured
values by about the spread between shuffled orders. Never lower a floor silently.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from corroborate.cluster import online, scoring
from corroborate.cluster.features import (
    BODY_CHUNKS,
    ArticleFeatures,
    body_chunks,
    entity_weights,
    number_keys,
    prepare,
)
from corroborate.cluster.online import (
    OnlineClusterer,
    active_horizon,
    entity_keys,
    load_clusterer,
    save_clusterer,
    story_id_for,
)
from corroborate.cluster.scoring import story_similarity, time_penalty
from corroborate.cluster.tfidf import DocumentFrequencies
from corroborate.enrich.embed import EmbedStep
from corroborate.enrich.entities import EntityStep
from corroborate.ingest.known import IngestStep
from corroborate.model import Article
from corroborate.pipeline.base import RunContext
from corroborate.store.sqlite import Store, StoryState

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench" / "clustering.py"
ECBPLUS = ROOT.parent / "shared" / "datasets" / "ecbplus" / "documents.jsonl"

# One flood told by three outlets, each in its own words.
TOLVANE = [
    "Floodwater swept through Tolvane after the Lanmoor Dam gave way on Tuesday night. "
    "Interior Minister Ana Teller said two people had died and 19 were missing, and "
    "that 1,200 residents had been moved to schools in Corvel.",
    "Rescue teams in Tolvane searched on Wednesday for 19 people missing since the "
    "Lanmoor Dam failed. Ana Teller, the interior minister, said 1,200 people had left "
    "their homes and the army would help clear the streets.",
    "The collapse of the Lanmoor Dam left much of Tolvane under water, Interior Minister "
    "Ana Teller told reporters, as rescuers kept looking for the 19 missing. About 1,200 "
    "people spent the night in Corvel.",
]
# Another flood two days later: another river, town, official and toll.
BRISA = [
    "The Sarn river burst its banks in Brisa on Thursday, and Governor Marta Ilves said "
    "seven people had drowned and 340 homes were flooded in the port district.",
    "Governor Marta Ilves toured the flooded port district of Brisa, where the Sarn "
    "river rose 3.4 metres overnight, drowning seven people and damaging 340 homes.",
]
SUMMIT = [
    "Trade ministers left Port Anselm without signing the accord after Kaspar Rell said "
    "the Brandmoor delegation had walked out over grain tariffs.",
]


def enriched(texts: list[str], prefix: str, published: str | None = "2025-03-12"
             ) -> list[Article]:
    ctx = RunContext()
    raw = [Article(id=f"{prefix}{i}", source=f"{prefix}{i}", text=t, content_hash=f"{prefix}{i}",
                   published=published) for i, t in enumerate(texts)]
    return list(EmbedStep().run(EntityStep().run(raw, ctx), ctx))


@pytest.fixture(scope="module")
def floods() -> dict[str, list[Article]]:
    return {"tolvane": enriched(TOLVANE, "t", "2025-03-12"),
            "brisa": enriched(BRISA, "b", "2025-03-14"),
            "summit": enriched(SUMMIT, "s", "2025-03-14")}


def place_all(articles: list[Article], clusterer: OnlineClusterer | None = None
              ) -> dict[str, str]:
    clusterer = clusterer or OnlineClusterer([])
    return {a.id: clusterer.assign(a).story_id for a in articles}


# -- the clustering -------------------------------------------------------------------


def test_two_events_of_the_same_kind_stay_two_stories(floods: dict[str, list[Article]]) -> None:
    stories = place_all(floods["tolvane"] + floods["brisa"] + floods["summit"])
    assert len({stories[a.id] for a in floods["tolvane"]}) == 1
    assert len({stories[a.id] for a in floods["brisa"]}) == 1
    assert len({stories["t0"], stories["b0"], stories["s0"]}) == 3


def test_one_event_worded_differently_stays_one_story_in_any_order(
        floods: dict[str, list[Article]]) -> None:
    for order in itertools.permutations(floods["tolvane"]):
        stories = place_all(list(order))
        assert len(set(stories.values())) == 1, [a.id for a in order]


def test_the_same_flood_undated_is_joined_on_content_alone(
        floods: dict[str, list[Article]]) -> None:
    undated = enriched(TOLVANE, "u", published=None)
    assert len(set(place_all(undated).values())) == 1


def test_a_cold_story_is_not_joined() -> None:
    [early] = enriched(TOLVANE[:1], "early", published="2025-03-12")
    [late] = enriched(TOLVANE[1:2], "late", published="2025-06-30")
    clusterer = OnlineClusterer([])
    first = clusterer.assign(early).story_id
    assert clusterer.assign(late).story_id != first
    # Cold stories leave the candidate index, and are dropped with `forget_cold`.
    assert first not in clusterer.candidate_ids(prepare([late])[0])


def test_a_cold_story_is_forgotten_when_asked() -> None:
    [early] = enriched(TOLVANE[:1], "early", published="2025-03-12")
    [late] = enriched(BRISA[:1], "late", published="2025-06-30")
    clusterer = OnlineClusterer([], forget_cold=True)
    first = clusterer.assign(early).story_id
    clusterer.assign(late)
    assert first not in clusterer.states


def test_story_ids_are_stable_and_derived_from_the_founding_article(
        floods: dict[str, list[Article]]) -> None:
    founder = floods["tolvane"][0]
    first = OnlineClusterer([]).assign(founder)
    assert first.new_story and first.story_id == story_id_for(founder)
    assert OnlineClusterer([]).assign(founder).story_id == first.story_id


def test_a_copy_joins_the_story_of_its_family_whatever_its_score(
        floods: dict[str, list[Article]]) -> None:
    clusterer = OnlineClusterer([])
    home = clusterer.assign(floods["tolvane"][0]).story_id
    placed = clusterer.assign(floods["summit"][0], family_story=home)
    assert placed.story_id == home and not placed.new_story


# -- streaming statistics -------------------------------------------------------------


def test_document_frequencies_count_only_the_articles_already_placed(
        floods: dict[str, list[Article]]) -> None:
    articles = floods["tolvane"] + floods["brisa"]
    clusterer = OnlineClusterer([])
    for placed, article in enumerate(articles):
        assert clusterer.frequencies.n_docs == placed
        # "sarn" is a Brisa word: unseen until the first Brisa article is placed.
        seen_brisa = sum(1 for a in articles[:placed] if a.id.startswith("b"))
        assert clusterer.frequencies.df.get("sarn", 0) == seen_brisa
        clusterer.assign(article)


def test_an_articles_score_does_not_depend_on_the_articles_after_it(
        floods: dict[str, list[Article]]) -> None:
    stream = floods["tolvane"] + floods["brisa"]
    short, long = OnlineClusterer([]), OnlineClusterer([])
    first = [short.assign(a) for a in stream[:3]]
    second = [long.assign(a) for a in stream]
    assert [(r.story_id, r.score) for r in first] == [(r.story_id, r.score)
                                                       for r in second[:3]]


def test_idf_has_a_language_prior_and_grows_with_what_is_seen() -> None:
    frequencies = DocumentFrequencies()
    # Before anything is seen, a common word weighs less than a rare name.
    assert frequencies.idf("said") < frequencies.idf("tolvane")
    before = frequencies.idf("tolvane")
    for _ in range(50):
        frequencies.add({"tolvane"})
    assert frequencies.idf("tolvane") < before
    assert frequencies.weighted({"tolvane": 2.0, "said": 1.0}) == pytest.approx(
        {"tolvane": 2.0 * frequencies.idf("tolvane"), "said": frequencies.idf("said")})
    assert frequencies.take_pending() == (50, {"tolvane": 50})
    assert frequencies.take_pending() == (0, {})


# -- persistence ----------------------------------------------------------------------


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "stories.db") as opened:
        yield opened


def test_state_round_trips_through_the_store_and_a_second_run_continues(
        tmp_path: Path, floods: dict[str, list[Article]]) -> None:
    path = tmp_path / "stories.db"
    with Store.open(path) as store:
        first = load_clusterer(store)
        placed = place_all(floods["tolvane"][:2] + floods["brisa"][:1], first)
        save_clusterer(store, first, placed.values())
    with Store.open(path) as store:
        again = load_clusterer(store)
        assert again.frequencies.n_docs == 3
        assert again.frequencies.df == first.frequencies.df
        for story_id, state in first.states.items():
            stored = again.states[story_id]
            assert stored.n_articles == state.n_articles
            assert stored.terms == pytest.approx(state.terms)
            assert stored.lead_terms == pytest.approx(state.lead_terms)
            assert stored.entity_bag == pytest.approx(state.entity_bag)
            assert stored.numbers == pytest.approx(state.numbers)
            assert stored.centroid_sum is not None and state.centroid_sum is not None
            assert np.allclose(stored.centroid_sum, state.centroid_sum)
        # The second run places the rest of both floods into the stories of the first.
        later = place_all(floods["tolvane"][2:] + floods["brisa"][1:], again)
        assert later["t2"] == placed["t0"] and later["b1"] == placed["b0"]
        save_clusterer(store, again, later.values())
    with Store.open(path) as store:
        n_docs, df = store.document_frequencies()
        assert n_docs == 5 and df["sarn"] == 2


def test_only_stories_active_around_the_batch_are_loaded_and_cold_ids_stay_taken(
        tmp_path: Path, floods: dict[str, list[Article]]) -> None:
    path = tmp_path / "stories.db"
    with Store.open(path) as store:
        clusterer = load_clusterer(store)
        old = enriched(TOLVANE[:1], "old", "2024-11-02")[0]
        placed = place_all([old, *floods["brisa"]], clusterer)
        save_clusterer(store, clusterer, placed.values())
    with Store.open(path) as store:
        batch = floods["tolvane"]  # published 2025-03-12
        horizon = active_horizon(store, batch)
        assert horizon == "2025-03-05"
        loaded = load_clusterer(store, active_since=horizon)
        # The November story stays on disk; the March flood is loaded.
        assert set(loaded.states) == {placed["b0"]}
        assert {s.id for s in store.story_states()} == {placed["old0"], placed["b0"]}
        # A new story never takes the id of a stored cold one.
        assert store.story_exists(placed["old0"])
        reborn = Article(id="again", source="again", text=old.text, content_hash="old0",
                         published="2025-03-12", entities=old.entities,
                         embedding=old.embedding)
        assert loaded.assign(reborn).story_id == f"{placed['old0']}-2"
        # With nothing dated in the batch, the store's newest activity sets the window.
        undated = [Article(id="u", source="u", text="x", content_hash="u")]
        assert active_horizon(store, undated) == "2025-03-07"


def test_a_story_keeps_a_bounded_number_of_terms_and_names() -> None:
    state = StoryState("s-long", 0, None)
    frequencies = DocumentFrequencies()
    for i in range(40):
        features = ArticleFeatures(
            vector=None, terms={f"word{i}x{j}": 1.0 for j in range(100)},
            lead_terms={f"lead{i}x{j}": 1.0 for j in range(30)},
            entities={f"person:name{i}x{j}": 1.0 for j in range(20)},
            numbers=frozenset(f"num:{i}{j}" for j in range(10)))
        online.add_to_state(state, Article(id=str(i), source=str(i)), features, frequencies)
    assert state.n_articles == 40
    assert len(state.terms) <= 2 * online.STORY_TERMS
    assert len(state.lead_terms) <= 2 * online.STORY_LEAD_TERMS
    assert len(state.entity_bag) <= 2 * online.STORY_KEYS
    assert len(state.numbers) <= 2 * online.STORY_KEYS


# -- evidence -------------------------------------------------------------------------


def test_story_similarity_is_symmetric_and_tells_one_event_from_another(
        floods: dict[str, list[Article]]) -> None:
    clusterer = OnlineClusterer([])
    stories = place_all(floods["tolvane"] + floods["brisa"], clusterer)
    tolvane, brisa = (clusterer.states[stories[k]] for k in ("t0", "b0"))
    # The same flood, as two stories of its first and of its later articles.
    early, late = OnlineClusterer([]), OnlineClusterer([])
    place_all(floods["tolvane"][:1], early)
    place_all(floods["tolvane"][1:], late)
    [half_a], [half_b] = early.states.values(), late.states.values()
    frequencies = clusterer.frequencies
    same = story_similarity(half_a, half_b, frequencies)
    different = story_similarity(tolvane, brisa, frequencies)
    assert same == pytest.approx(story_similarity(half_b, half_a, frequencies))
    assert 0.0 <= different < scoring.JOIN_PROBABILITY <= same <= 1.0


def test_time_is_neutral_without_dates_a_bonus_in_the_news_cycle_then_a_cost() -> None:
    assert time_penalty(None) == 0.0
    assert time_penalty(0) == time_penalty(scoring.TIME_GRACE_DAYS) < 0.0
    assert 0.0 < time_penalty(scoring.TIME_GRACE_DAYS + 2) < time_penalty(
        scoring.TIME_GRACE_DAYS + 4)


def test_figures_days_and_years_are_read_from_the_text() -> None:
    keys = number_keys("On Aug. 2, 2013 the quake of magnitude 7.1 killed 1,200 people; "
                       "3 roads closed. Talks resume on 14 March.")
    assert {"year:2013", "num:7.1", "num:1200", "date:08-02", "date:03-14"} <= keys
    assert "num:3" not in keys and "num:2013" not in keys


def test_names_are_grouped_and_weighted_by_salience(floods: dict[str, list[Article]]) -> None:
    weights = entity_weights(floods["tolvane"][0])
    assert weights["person:teller"] > 1.0  # named in the lead
    assert "place:tolvane" in weights
    # The coarse keys of the first version stay ungrouped.
    assert "teller" in entity_keys(floods["tolvane"][0])


def test_body_stretches_skip_the_lead_and_short_tails() -> None:
    lead_only = "word " * 200
    assert body_chunks(lead_only) == []
    long_text = "a" * 1200 + "b" * 1000 + "c" * 50
    assert body_chunks(long_text) == ["b" * 1000][:BODY_CHUNKS]


# -- ingest (clustering's input) ------------------------------------------------------


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


# -- the quality gate on ECB+ dev -----------------------------------------------------

FLOOR_STREAMING_FILE_ORDER = 0.93
FLOOR_STREAMING_SHUFFLED_MEAN = 0.92
FLOOR_STREAMING_SHUFFLED_MIN = 0.88
FLOOR_ONLINE_FILE_ORDER = 0.91
FLOOR_ONLINE_SHUFFLED_MEAN = 0.90
GATE_SECONDS = 900  # a hang guard, not a speed test: ~1-2 min measured

needs_ecbplus = pytest.mark.skipif(not ECBPLUS.is_file(), reason=f"{ECBPLUS} not found")


@pytest.fixture(scope="module")
def gate() -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, str(BENCH), "--split", "dev", "--json", "--no-cache", "--seeds", "5"],
        capture_output=True, text=True, check=True, timeout=GATE_SECONDS, env=env, cwd=ROOT)
    summary: dict[str, Any] = json.loads(done.stdout)
    return summary


@needs_ecbplus
def test_clustering_gate(gate: dict[str, Any]) -> None:
    assert gate["documents"] == 197 and gate["gold_stories"] == 16
    streaming, online, baseline = gate["maintained"], gate["online"], gate["baseline"]
    assert streaming["file_order"]["b3_f1"] >= FLOOR_STREAMING_FILE_ORDER
    assert streaming["shuffled"]["mean"]["b3_f1"] >= FLOOR_STREAMING_SHUFFLED_MEAN
    assert streaming["shuffled"]["min"]["b3_f1"] >= FLOOR_STREAMING_SHUFFLED_MIN
    assert online["file_order"]["b3_f1"] >= FLOOR_ONLINE_FILE_ORDER
    assert online["shuffled"]["mean"]["b3_f1"] >= FLOOR_ONLINE_SHUFFLED_MEAN
    # Maintenance splits what the online pass chained, and streaming beats the batch
    # baseline that was tuned on these very documents.
    assert streaming["shuffled"]["mean"]["splits"] > 0
    assert streaming["file_order"]["b3_f1"] > online["file_order"]["b3_f1"]
    assert streaming["shuffled"]["mean"]["b3_f1"] > baseline["b3_f1"]
