"""Story lifecycle: merges and splits with redirects and events, re-clustering, keywords.

Real components throughout: the demo corpus analysed by the real pipeline into a real
SQLite file, invented short texts through real spaCy and MiniLM, and the real
maintenance code. So that these tests do not hang on how well the clusterer does on
the demo corpus (tests/test_end_to_end.py checks that), the analysed store is first
settled on the corpus's three events, one story each, with the ids their first
articles give them. A merge is then forced by giving maintenance a similarity that
calls two chosen stories one event; a split by maintenance (with the clusterer's own
model) finding that wrongly merged story again.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from corroborate import analyze
from corroborate.analyse.keywords import main_entities, seen_span, story_keywords
from corroborate.api import recluster, resolve_story, show_story
from corroborate.cluster.compare import adjusted_rand_index, bcubed, compare_assignments
from corroborate.cluster.drift import SplitPolicy, find_split
from corroborate.cluster.maintenance import (
    MaintenancePolicy,
    StoryMaintenance,
    combine_states,
    publication_order,
    rebuild_state,
    story_similarity,
)
from corroborate.cluster.online import load_clusterer, story_id_for
from corroborate.cluster.step import clusterer_policy
from corroborate.enrich.embed import EmbedStep
from corroborate.enrich.entities import EntityStep
from corroborate.errors import UsageError
from corroborate.model import Article, Citation, StoryEntity
from corroborate.pipeline.base import RunContext
from corroborate.pipeline.default import story_pipeline
from corroborate.pipeline.executor import LocalExecutor
from corroborate.store.lifecycle import StoryChange, StoryEvent
from corroborate.store.sqlite import Store, StoryState

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"
CLI = Path(sys.executable).with_name("corroborate")
DAM, SUMMIT, MINE = "s-20ca88509e", "s-b1a7563cc8", "s-70e0af4a00"


EVENTS = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))["events"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus analysed by the real pipeline, settled on its three events."""
    work = tmp_path_factory.mktemp("lifecycle")
    analyze([DEMO], db=work / "demo.db", timestamp=False)
    with Store.open(work / "demo.db") as store:
        settle_on_events(store)
    return work / "demo.db"


def settle_on_events(store: Store) -> None:
    """One story per demo event, with the id its first article founds, analysed."""
    moves, states = {}, []
    for members in EVENTS.values():
        articles = sorted(store.get_articles(members), key=publication_order)
        story_id = story_id_for(articles[0])
        moves.update(dict.fromkeys(members, story_id))
        states.append(rebuild_state(story_id, articles))
    ids = {s.id for s in states}
    assert ids == {DAM, SUMMIT, MINE}
    store.put_story_states(states)
    store.record_story_changes([StoryChange(
        None, moves=moves, removed=sorted(set(store.live_story_ids()) - ids), stale=sorted(ids))])
    analyse_pending(store)


@pytest.fixture()
def db(demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the analysed demo store for one test to change."""
    copy = tmp_path / "demo.db"
    shutil.copy(demo_db, copy)
    return copy


def merge_summit_into_dam(store: Store) -> list[StoryEvent]:
    """Force the (wrong) merge of two demo events: maintenance is told they are one
    (and the two months between them are waived)."""
    def only_these(a: StoryState, b: StoryState) -> float:
        return 1.0 if {a.id, b.id} == {DAM, SUMMIT} else 0.0

    policy = MaintenancePolicy(similarity=only_these, merge_threshold=0.5,
                               merge_min_cosine=-1.0, merge_max_gap_days=365, splits=False)
    states = {s.id: s for s in store.story_states()}
    return StoryMaintenance(store, states, policy).run([SUMMIT])


def analyse_pending(store: Store) -> None:
    """The pipeline's story steps over the stories whose analysis was dropped."""
    LocalExecutor(workers=1).run(story_pipeline(), [], RunContext(store=store))


def story_rows(store: Store) -> list[tuple[str, int]]:
    return [(s.id, s.n_articles) for s in store.story_states()]


# --- merge: events, redirects, show ---------------------------------------------------------

def test_a_merged_story_redirects_to_its_survivor_and_show_follows(db: Path) -> None:
    with Store.open(db) as store:
        summit_articles = store.article_ids(SUMMIT)
        [event] = merge_summit_into_dam(store)
        # The larger story (dam, 7 articles against 6) keeps its id.
        assert (event.kind, event.old_ids, event.new_ids) == ("merge", (DAM, SUMMIT), (DAM,))
        assert event.at and event.id and event.score == 1.0
        assert store.resolve_story_id(SUMMIT) == DAM
        assert store.resolve_story_id(DAM) == DAM
        assert SUMMIT not in store.live_story_ids()
        assert set(summit_articles) <= set(store.article_ids(DAM))
        assert dict(story_rows(store))[DAM] == 13
        assert store.story_events(SUMMIT)[-1] == event
        # The survivor's analysis is dropped, the merged story's with its row.
        assert store.unanalysed_story_ids() == [DAM]
        analyse_pending(store)
        assert store.unanalysed_story_ids() == []
    ref = resolve_story(SUMMIT, db)
    assert ref.id == DAM and ref.note == f"story {SUMMIT} was merged into {DAM}"
    assert resolve_story(SUMMIT[:7], db).id == DAM  # a prefix of the old id too
    document = show_story(SUMMIT, db)
    assert [s["id"] for s in document["stories"]] == [DAM]
    assert set(summit_articles) <= set(document["stories"][0]["articles"])
    shown = subprocess.run([str(CLI), "show", SUMMIT, "--db", str(db)], capture_output=True,
                           text=True, check=False)
    assert shown.returncode == 0, shown.stderr
    assert f"story {SUMMIT} was merged into {DAM}" in shown.stderr
    assert f"Story id: {DAM}" in shown.stdout


def test_redirect_chains_resolve_to_the_last_story_and_never_loop(tmp_path: Path) -> None:
    with Store.open(tmp_path / "chain.db") as store:
        store.put_story_states([StoryState("a", 1, None), StoryState("b", 1, None),
                                StoryState("c", 1, None)])
        store.record_story_changes([
            StoryChange(StoryEvent("merge", ("b", "a"), ("b",)), removed=["a"],
                        redirects={"a": "b"}),
            StoryChange(StoryEvent("merge", ("c", "b"), ("c",)), removed=["b"],
                        redirects={"b": "c"}),
        ])
        assert store.resolve_story_id("a") == "c"
        assert [h.new_id for h in store.redirect_path("a")] == ["c"]  # flattened
        assert store.resolve_story_id("nope") is None
        # A damaged store with a loop of redirects resolves to nothing rather than hang.
        store.record_story_changes([StoryChange(StoryEvent("merge", ("x",), ("y",)),
                                                redirects={"x": "y"})])
        store.record_story_changes([StoryChange(StoryEvent("merge", ("y",), ("x",)),
                                                redirects={"y": "x"})])
        assert store.resolve_story_id("x") is None


def test_an_unknown_or_ambiguous_story_is_a_usage_error(db: Path) -> None:
    with pytest.raises(UsageError, match="no story"):
        resolve_story("s-nothing", db)
    with pytest.raises(UsageError, match="matches 3 stories"):
        resolve_story("s-", db)


# --- split --------------------------------------------------------------------------------

def test_maintenance_splits_a_drifted_story_and_the_old_id_comes_back(db: Path) -> None:
    with Store.open(db) as store:
        summit_articles = set(store.article_ids(SUMMIT))
        merge_summit_into_dam(store)
        states = {s.id: s for s in store.story_states()}
        [event] = StoryMaintenance(store, states, MaintenancePolicy(merges=False)).run([DAM])
        assert (event.kind, event.old_ids) == ("split", (DAM,))
        # The larger part keeps the id; the smaller is founded by the summit's first
        # article, so it takes back the id that was merged away, and that id's links
        # find the summit story again.
        assert event.new_ids == (DAM, SUMMIT)
        assert set(store.article_ids(SUMMIT)) == summit_articles
        assert store.resolve_story_id(SUMMIT) == SUMMIT
        assert store.find_redirect_ids(SUMMIT) == []
        assert dict(story_rows(store)) == {DAM: 7, SUMMIT: 6, MINE: 7}
        assert sorted(store.unanalysed_story_ids()) == sorted([DAM, SUMMIT])
        assert [e.kind for e in store.story_events(SUMMIT)][-2:] == ["merge", "split"]


def test_the_two_parts_of_a_split_are_never_merged_back(db: Path) -> None:
    with Store.open(db) as store:
        merge_summit_into_dam(store)
        states = {s.id: s for s in store.story_states()}
        StoryMaintenance(store, states, MaintenancePolicy(merges=False)).run([DAM])
        assert merge_summit_into_dam(store) == []


def test_the_clustering_step_runs_maintenance_with_the_clusterers_model(db: Path) -> None:
    """The step's policy judges splits on the clusterer's pairwise probability; here it
    only has to run on the stored stories and leave every id resolvable."""
    with Store.open(db) as store:
        merge_summit_into_dam(store)
        clusterer = load_clusterer(store)
        events = StoryMaintenance(store, clusterer.states, clusterer_policy(clusterer)).run(
            [DAM, MINE])
        assert all(e.kind in ("merge", "split") for e in events)
        for story_id in (DAM, SUMMIT, MINE):
            assert store.resolve_story_id(story_id) in store.live_story_ids()


EVENT_A = [
    "Floodwater swept through Tolvane after the Lanmoor Dam gave way on Tuesday night. "
    "Interior Minister Ana Teller said two people had died and nine were missing.",
    "Rescue teams in Tolvane searched for nine people missing after the Lanmoor Dam "
    "failed. Ana Teller said the army would help clear the flooded streets.",
    "The collapse of the Lanmoor Dam left much of Tolvane under water, Interior Minister "
    "Ana Teller told reporters, as rescuers kept searching for the missing.",
    "Engineers blamed weeks of rain for the failure of the Lanmoor Dam above Tolvane, "
    "where Ana Teller promised an inquiry into the dam's upkeep.",
]
EVENT_B = [
    "Trade ministers left Port Anselm without signing the grain accord after Kaspar Rell "
    "said the Brandmoor delegation had walked out over tariffs.",
    "Talks on the Port Anselm grain accord collapsed when Brandmoor's negotiators walked "
    "out, Kaspar Rell told journalists.",
    "Kaspar Rell blamed Brandmoor for the failure of the grain tariff talks in Port Anselm, "
    "which ended without an accord.",
]


def enriched(texts: list[str], prefix: str) -> list[Article]:
    ctx = RunContext()
    raw = [Article(id=f"{prefix}{i}", source=f"{prefix}{i}", text=t, content_hash=f"{prefix}{i}",
                   published="2025-03-12") for i, t in enumerate(texts)]
    return list(EmbedStep().run(EntityStep().run(raw, ctx), ctx))


def test_find_split_cuts_two_events_apart_on_the_default_similarity() -> None:
    articles = enriched(EVENT_A, "a") + enriched(EVENT_B, "b")
    plan = find_split(articles)
    assert plan is not None
    assert set(plan.larger) == {"a0", "a1", "a2", "a3"} and set(plan.smaller) == {"b0", "b1",
                                                                                 "b2"}
    assert plan.separation >= SplitPolicy().min_gap
    # One event alone holds together: no split.
    assert find_split(enriched(EVENT_A + EVENT_A[:2], "c")) is None


def test_a_family_is_never_cut() -> None:
    articles = enriched(EVENT_A, "a") + enriched(EVENT_B, "b")
    plan = find_split(articles, families=[["a0", "b0", "b1"]])
    # b0 and b1 outvote a0: the family goes whole to the summit side, which then has
    # four articles against three.
    assert plan is not None and {"a0", "b0", "b1"} <= set(plan.larger)


def test_states_combine_field_by_field() -> None:
    a = StoryState("a", 2, np.array([1.0, 0.0], dtype=np.float32), {"x": 2},
                   "2025-03-02", "2025-03-04")
    b = StoryState("b", 1, np.array([0.0, 1.0], dtype=np.float32), {"x": 1, "y": 1},
                   "2025-03-01", None)
    both = combine_states(a, b)
    assert (both.id, both.n_articles, both.entity_bag) == ("a", 3, {"x": 3, "y": 1})
    assert both.centroid_sum is not None and both.centroid_sum.tolist() == [1.0, 1.0]
    assert (both.first_seen, both.last_seen) == ("2025-03-01", "2025-03-04")
    assert story_similarity(a, a) == pytest.approx(1.0)
    assert story_similarity(a, b) == story_similarity(b, a)


# --- recluster --------------------------------------------------------------------------

def test_recluster_without_apply_changes_nothing(db: Path) -> None:
    with Store.open(db) as store:
        merge_summit_into_dam(store)
        before = (story_rows(store), store.story_ids_of(store.article_ids()),
                  len(store.story_events()), store.unanalysed_story_ids())
    result = recluster(db)
    assert not result.applied and result.events == []
    c = result.comparison
    assert (c.articles, c.stories_before) == (20, 2)
    assert c.stories_after == len(set(result.assignment.values()))
    # The store holds two events in one story: a fresh pass that tells them apart splits it.
    assert c.split >= 1 or c.stories_after == 2
    with Store.open(db) as store:
        after = (story_rows(store), store.story_ids_of(store.article_ids()),
                 len(store.story_events()), store.unanalysed_story_ids())
    assert after == before


def test_recluster_apply_replaces_the_stories_and_logs_where_old_ids_went(db: Path) -> None:
    with Store.open(db) as store:
        merge_summit_into_dam(store)
        analyse_pending(store)
        old_ids = store.live_story_ids()
        old_members = {s: set(store.article_ids(s)) for s in old_ids}
    result = recluster(db, apply=True, workers=1)
    assert result.applied
    with Store.open(db) as store:
        # The store now holds exactly the new assignment, and it is all analysed.
        assert store.story_ids_of(sorted(result.assignment)) == result.assignment
        assert sorted(store.live_story_ids()) == sorted(set(result.assignment.values()))
        assert store.unanalysed_story_ids() == []
        for old in old_ids:
            now = store.resolve_story_id(old)
            assert now is not None
            counts = {s: len(old_members[old] & set(store.article_ids(s)))
                      for s in store.live_story_ids()}
            assert counts[now] == max(counts.values())  # where most of its articles went
        events = store.story_events(kind="recluster")
        changed = [s for s in old_ids if set(store.article_ids(s)) != old_members[s]]
        assert sorted(e.old_ids[0] for e in events if e.old_ids) == sorted(changed)
    for old in old_ids:
        assert show_story(old, db)["stories"][0]["id"] == resolve_story(old, db).id


def test_comparison_metrics_agree_with_scikit_learn() -> None:
    rng = random.Random(7)
    ids = [f"a{i}" for i in range(60)]
    a = {i: f"s{rng.randrange(6)}" for i in ids}
    b = {i: f"t{rng.randrange(9)}" for i in ids}
    expected = adjusted_rand_score([a[i] for i in ids], [b[i] for i in ids])
    assert adjusted_rand_index(a, b) == pytest.approx(expected)
    assert bcubed(a, a) == (1.0, 1.0, 1.0)
    p, r, _ = bcubed(a, b)
    assert bcubed(b, a)[:2] == pytest.approx((r, p))
    same = compare_assignments(a, a)
    assert (same.split, same.merged, same.ari) == (0, 0, 1.0)
    assert same.unchanged == same.stories_after


# --- keywords, main entities, first and last seen ------------------------------------------

def test_keywords_are_topic_words_not_stop_words_numbers_or_names() -> None:
    articles = enriched(EVENT_A, "a")
    articles[0].title = "Lanmoor Dam gives way: 2 dead, 9 missing in Tolvane"
    keywords = story_keywords(articles)
    # Words of two articles or more; "Dam" is mostly written as part of a name here.
    assert keywords[0] == "missing"
    assert not {"tolvane", "teller", "lanmoor", "dam", "the", "said", "2", "nine"} & set(
        keywords)
    assert all(k == k.lower() and any(ch.isalpha() for ch in k) for k in keywords)
    # One article alone has keywords too: the words it uses twice ("Lanmoor Dam" and
    # "the dam's upkeep": half the time a plain word).
    assert story_keywords(articles[3:]) == ["dam"]


def test_main_entities_rank_canonical_entities_by_mentions() -> None:
    def mentions(n: int, articles: int) -> list[Citation]:
        return [Citation(f"a{i % articles}", i, i + 1) for i in range(n)]

    entities = [StoryEntity("Tolvane", "GPE", [], mentions(5, 3)),
                StoryEntity("Ana Teller", "PERSON", [], mentions(7, 2)),
                StoryEntity("Norvenian", "NORP", [], mentions(9, 3)),
                StoryEntity("Tuesday", "DATE", [], mentions(9, 3))]
    ranked = main_entities(entities)
    assert [(m.name, m.mentions, m.articles) for m in ranked] == [("Ana Teller", 7, 2),
                                                                  ("Tolvane", 5, 3)]
    dated = [Article(id="x", source="x", published="2025-03-14"),
             Article(id="y", source="y"), Article(id="z", source="z", published="2025-03-12")]
    assert seen_span(dated) == ("2025-03-12", "2025-03-14")
    assert seen_span(dated[1:2]) == (None, None)


def test_reports_and_the_story_list_carry_keywords_entities_and_dates(db: Path) -> None:
    document = show_story(DAM, db)
    story = document["stories"][0]
    assert (story["first_seen"], story["last_seen"]) == ("2025-03-12", "2025-03-13")
    assert "dam" in story["keywords"]
    assert story["main_entities"][0]["name"] == "Tolvane"
    listing = subprocess.run([str(CLI), "stories", "--db", str(db)], capture_output=True,
                             text=True, check=True).stdout
    assert "keywords: dam" in listing and "entities: Tolvane" in listing


@pytest.fixture()
def fresh_store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "fresh.db") as store:
        yield store


def test_story_steps_analyse_the_stories_left_unanalysed(fresh_store: Store) -> None:
    articles = enriched(EVENT_A, "a")
    for article in articles:
        article.raw, article.story = article.text, "s-1"
    fresh_store.put_articles(articles)
    fresh_store.put_story_states([StoryState("s-1", len(articles), None)])
    assert fresh_store.unanalysed_story_ids() == ["s-1"]
    analyse_pending(fresh_store)
    assert fresh_store.unanalysed_story_ids() == []
    story = fresh_store.get_story("s-1")
    assert story is not None and story.article_ids == [a.id for a in articles]
    keywords, names = fresh_store.story_metadata()["s-1"]
    assert "missing" in keywords and "Ana Teller" in names
