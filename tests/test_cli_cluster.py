"""`corroborate cluster` and `corroborate recluster`, run as the installed command on the
demo corpus and on small invented JSONL inputs, with real SQLite files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from corroborate.store.sqlite import Store

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"
EXPECTED = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
CLI = Path(sys.executable).with_name("corroborate")

# Invented lines: two reports of one event, a third of another; ids out of order, one
# with a tab in it, and the same text again under another id.
FLOOD = ("Floodwater swept through Tolvane after the Lanmoor Dam gave way on Tuesday night. "
         "Interior Minister Ana Teller said two people had died and nine were missing.")
FLOOD_AGAIN = ("Rescue teams in Tolvane searched for nine people missing after the Lanmoor "
               "Dam failed. Ana Teller said the army would help clear the flooded streets.")
SUMMIT = ("Trade ministers left Port Anselm without signing the grain accord after Kaspar Rell "
          "said the Brandmoor delegation had walked out over tariffs.")
LINES = [
    {"id": "z-flood", "text": FLOOD, "published": "2025-03-12"},
    {"id": "a-summit", "text": SUMMIT, "published": "2025-03-12"},
    {"id": "m\tflood", "text": FLOOD_AGAIN, "published": "2025-03-12"},
    {"id": "copy-of-z", "text": FLOOD, "published": "2025-03-12"},
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def demo_clustered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    work = tmp_path_factory.mktemp("cluster")
    db, tsv = work / "demo.db", work / "stories.tsv"
    done = run("cluster", str(DEMO), "--out", str(tsv), "--db", str(db), "--quiet")
    assert done.returncode == 0, done.stderr
    return db, tsv, done.stderr


def test_cluster_writes_one_sorted_line_per_article(demo_clustered: tuple[Path, Path, str]
                                                    ) -> None:
    db, tsv, stderr = demo_clustered
    pairs = [line.split("\t") for line in tsv.read_text(encoding="utf-8").splitlines()]
    assert all(len(p) == 2 for p in pairs)
    ids = [a for a, _ in pairs]
    assert ids == sorted(ids)
    story = dict(pairs)
    # The articles' own ids (the files' stems), and the stories the store holds.
    assert set(story) == {a for members in EXPECTED["events"].values() for a in members}
    with Store.open(db) as store:
        assert store.story_ids_of(ids) == story
    assert f"20 articles in {len(set(story.values()))} stories" in stderr


def test_cluster_puts_each_demo_event_in_one_story(demo_clustered: tuple[Path, Path, str]
                                                   ) -> None:
    """The acceptance case of issue 5 ("demo corpus: one story per event")."""
    _, tsv, _ = demo_clustered
    story = dict(line.split("\t") for line in tsv.read_text(encoding="utf-8").splitlines())
    for event, members in EXPECTED["events"].items():
        assert {story[a] for a in members} == {story[members[0]]}, f"{event} was split"
    assert len(set(story.values())) == len(EXPECTED["events"]), "events were merged"


def test_cluster_stores_articles_and_leaves_the_stories_for_analysis(
        demo_clustered: tuple[Path, Path, str]) -> None:
    db, _, _ = demo_clustered
    with Store.open(db) as store:
        assert store.count_articles() == 20
        # No story analysis was run: every story waits for the next `analyze`.
        assert store.unanalysed_story_ids() == store.live_story_ids()


def test_cluster_keys_lines_by_the_jsonl_ids(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(line) + "\n" for line in LINES), encoding="utf-8")
    done = run("cluster", str(feed), "--out", "-", "--db", str(tmp_path / "j.db"), "--quiet")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    story = dict(line.split("\t") for line in lines)
    assert list(story) == ["a-summit", "copy-of-z", "m\\tflood", "z-flood"]
    # The copy is the same document as z-flood: the same article, so the same story.
    assert story["z-flood"] == story["copy-of-z"] == story["m\\tflood"] != story["a-summit"]


def test_recluster_compares_and_changes_nothing_without_apply(
        demo_clustered: tuple[Path, Path, str]) -> None:
    db, _, _ = demo_clustered
    with Store.open(db) as store:
        before = store.story_ids_of(store.article_ids())
        events = store.story_events()
    done = run("recluster", "--db", str(db), "--json", "--quiet")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["articles"], result["stories_before"]) == (20, len(set(before.values())))
    assert result["stories_after"] == len(set(result["assignment"].values()))
    assert 0.0 <= result["f1"] <= 1.0 and -1.0 <= result["ari"] <= 1.0
    assert result["applied"] is False and result["events"] == []
    with Store.open(db) as store:
        assert store.story_ids_of(store.article_ids()) == before
        assert store.story_events() == events


def test_recluster_and_cluster_report_usage_errors(tmp_path: Path) -> None:
    missing = run("recluster", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2 and "no database" in missing.stderr
    no_input = run("cluster", str(tmp_path / "nothing-here"), "--out", "-")
    assert no_input.returncode == 2 and "input not found" in no_input.stderr
