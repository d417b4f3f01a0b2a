"""The SQLite store: migrations, idempotent writes, round trips, a real file on disk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from corroborate.errors import StoreError
from corroborate.model import (
    Article,
    Citation,
    Claim,
    ClaimStatus,
    EntityMention,
    Fact,
    InputFormat,
    LedgerCarrier,
    LedgerEntry,
    Passage,
    ProvenanceEdge,
    ProvenanceKind,
    Quote,
    Span,
    Stance,
    StanceRecord,
    Story,
    StoryEntity,
    StoryQuote,
    SummarySentence,
    TimelineEntry,
)
from corroborate.pipeline.base import Reject
from corroborate.store.migrations import MIGRATIONS
from corroborate.store.sqlite import Store, StoryState

TEXT = "The mayor opened the bridge on Monday. “It is safe,” she said."


def make_article(article_id: str = "a1", content_hash: str = "h1") -> Article:
    return Article(
        id=article_id, source=f"/in/{article_id}.txt", raw="<p>raw</p>",
        format=InputFormat.HTML, content_hash=content_hash, text=TEXT, outlet="The Ledger",
        title="Bridge opens", published="2025-03-14", language="en",
        removed=["Share this"], flags=["syndicated"],
        sentences=[Span(0, 38), Span(39, 62)],
        entities=[EntityMention(31, 37, "Monday", "DATE")],
        quotes=[Quote(40, 51, "she", None, None, True, "said")],
        embedding=[0.5, -0.25, 1.0],
    )


def test_migrations_are_named_recorded_and_run_once(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store.open(path) as store:
        assert store.applied_migrations() == [name for name, _ in MIGRATIONS]
    with Store.open(path) as store:
        assert store.migrate() == []  # nothing pending on a second open


def test_store_is_a_plain_sqlite_file_other_tools_can_read(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store.open(path) as store:
        store.put_articles([make_article()])
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT id, outlet FROM articles").fetchall() == [("a1", "The Ledger")]


def test_article_round_trip_keeps_every_field(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.db") as store:
        store.put_articles([make_article()])
        [back] = store.get_articles(["a1"])
    original = make_article()
    assert back == original


def test_same_article_twice_is_stored_once(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.db") as store:
        store.put_articles([make_article()])
        store.put_articles([make_article()])
        assert store.count_articles() == 1
        assert store.article_id_for_hash("h1") == "a1"
        assert store.article_id_for_hash("nope") is None


def test_story_states_and_analysis_round_trip(tmp_path: Path) -> None:
    story = Story(
        id="s-1", title="Bridge opens", article_ids=["a1"],
        entities=[StoryEntity("Ana Teller", "PERSON", ["Teller"], [Citation("a1", 0, 3)],
                              ["Interior Minister"])],
        quotes=[StoryQuote("Ana Teller", "It is safe", "a1", 40, 50, True, 0, 3, "Teller")],
        ledger=[LedgerEntry("Ana Teller", "It is safe", True, Citation("a1", 40, 50), ["a1"],
                            ["Daily"], [LedgerCarrier("a1", "Daily", "2025-03-14", "Ana Teller",
                                                      "Teller", "It is safe", 40, 50, 0, 3, True,
                                                      ["altered"])], ["altered"])],
        facts=[Fact("The bridge opened.", ["a1"], 1, [Citation("a1", 0, 38)])],
        claims=[Claim("The bridge is safe.", ClaimStatus.DISPUTED,
                      [StanceRecord("Ana Teller", Stance.ASSERTS, "a1", 39, 62)], ["a1"], 1)],
        provenance=[ProvenanceEdge("a0", "a1", ProvenanceKind.VERBATIM, 0.97, True, "dates")],
        timeline=[TimelineEntry("2025-03-10", "Bridge opened", ["a1"], [Citation("a1", 0, 5)])],
        summary=[SummarySentence("The mayor opened the bridge.", [Citation("a1", 0, 38)])],
        families=[["a1"]],
    )
    with Store.open(tmp_path / "c.db") as store:
        store.put_story_states([StoryState("s-1", 1, np.ones(3, dtype=np.float32),
                                           {"teller": 1}, "2025-03-14", "2025-03-14")])
        store.put_story_analysis(story)
        assert store.get_story("s-1") == story
        [state] = store.story_states()
        assert state.entity_bag == {"teller": 1}
        assert state.centroid_sum is not None and state.centroid_sum.tolist() == [1.0, 1.0, 1.0]
        assert store.find_story_ids("s-") == ["s-1"]
        assert store.find_story_ids("s_") == []  # LIKE wildcards are escaped
        assert store.list_stories()[0]["title"] == "Bridge opens"


def test_edges_are_upserted_by_endpoints_and_kind(tmp_path: Path) -> None:
    edge = ProvenanceEdge("a0", "a1", ProvenanceKind.VERBATIM, 0.9, True, None)
    with Store.open(tmp_path / "c.db") as store:
        store.put_edges([edge])
        store.put_edges([ProvenanceEdge("a0", "a1", ProvenanceKind.VERBATIM, 0.95, True, "x")])
        store.put_edges([ProvenanceEdge("outlet:Wire", "a1", ProvenanceKind.ATTRIBUTED, 0.0)])
        edges = store.edges_touching(["a1"])
    assert [(e.source, e.kind.value, e.overlap) for e in edges] == [
        ("a0", "verbatim", 0.95), ("outlet:Wire", "attributed", 0.0)]


def test_edge_passages_round_trip(tmp_path: Path) -> None:
    edge = ProvenanceEdge("a0", "a1", ProvenanceKind.SYNDICATED, 0.6, True, "credit line",
                          [Passage(0, 40, 10, 50, 1.0), Passage(60, 90, 55, 88, 0.83)])
    with Store.open(tmp_path / "c.db") as store:
        store.put_edges([edge])
        [back] = store.edges_touching(["a1"])
    assert back == edge


def test_runs_record_stats_and_rejects(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store.open(path) as store:
        run = store.start_run(["in/"])
        store.finish_run(run, {"read.files": 3}, [Reject("in/bad.bin", "read", "binary")])
    rows = sqlite3.connect(path).execute("SELECT source, reason FROM rejects").fetchall()
    assert rows == [("in/bad.bin", "binary")]


def test_a_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.db") as store:
        with pytest.raises(RuntimeError), store.transaction() as conn:
            conn.execute("INSERT INTO runs (started_at, inputs) VALUES ('t', '[]')")
            raise RuntimeError("boom")
        assert store._conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 50)
    with pytest.raises(StoreError, match="not a corroborate database"):
        Store.open(bogus)


def test_missing_directories_are_created(tmp_path: Path) -> None:
    with Store.open(tmp_path / "new" / "dir" / "c.db") as store:
        assert store.count_articles() == 0
    assert (tmp_path / "new" / "dir" / "c.db").is_file()


def test_an_uncreatable_location_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="cannot create the database"):
        Store.open(tmp_path / "file" / "c.db")
