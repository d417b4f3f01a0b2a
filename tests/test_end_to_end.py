"""The whole pipeline on the invented demo corpus (examples/demo), through the Python API
and through the installed `corroborate` command, on real SQLite files."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from corroborate import analyze
from corroborate.report.schema import reference_problems, validate_report

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"
EXPECTED = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
CLI = Path(sys.executable).with_name("corroborate")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    work = tmp_path_factory.mktemp("demo")
    report = analyze([DEMO], db=work / "demo.db", out=work / "out", timestamp=False)
    return report, work


def story_of(report: Any) -> dict[str, str]:
    return {a["id"]: a["story"] for a in report.articles}


def test_every_demo_article_is_in_the_report(demo_run: tuple[Any, Path]) -> None:
    report, _ = demo_run
    expected_ids = {i for ids in EXPECTED["events"].values() for i in ids}
    assert {a["id"] for a in report.articles} == expected_ids
    assert report.rejects == []


def test_each_event_is_one_story_and_events_are_separate(demo_run: tuple[Any, Path]) -> None:
    report, _ = demo_run
    stories = story_of(report)
    event_story = {}
    for event, ids in EXPECTED["events"].items():
        assert {stories[i] for i in ids} == {stories[ids[0]]}, f"{event} was split"
        event_story[event] = stories[ids[0]]
    assert len(set(event_story.values())) == len(EXPECTED["events"]), "events were merged"
    assert len(report.stories) == len(EXPECTED["events"])


def test_republished_copies_are_linked_to_their_originals(demo_run: tuple[Any, Path]) -> None:
    report, _ = demo_run
    edges = {(e["from"], e["to"], e["kind"]) for s in report.stories for e in s["provenance"]}
    flags = {a["id"]: a["flags"] for a in report.articles}
    for pair in EXPECTED["republished"]:
        assert (pair["original"], pair["copy"], "verbatim") in edges
        assert "republished" in flags[pair["copy"]]
        assert "republished" not in flags[pair["original"]]


def test_copies_share_a_family_and_independent_support_counts_families(
        demo_run: tuple[Any, Path]) -> None:
    report, _ = demo_run
    for story in report.stories:
        family_of = {a: i for i, fam in enumerate(story["families"]) for a in fam}
        for pair in EXPECTED["republished"]:
            if pair["copy"] in family_of:
                assert family_of[pair["copy"]] == family_of[pair["original"]]
        for fact in story["facts"]:
            assert fact["independent_support"] == len({family_of[a] for a in fact["support"]})
            assert fact["independent_support"] <= len(fact["support"])


def test_the_planted_contradiction_is_disputed_with_the_right_sides(
        demo_run: tuple[Any, Path]) -> None:
    report, _ = demo_run
    planted = EXPECTED["contradiction"]
    story_id = story_of(report)[EXPECTED["events"][planted["event"]][0]]
    [story] = [s for s in report.stories if s["id"] == story_id]
    disputed = [c for c in story["claims"] if c["status"] == "disputed"]
    holders = {(st["holder"], st["stance"]) for c in disputed for st in c["stances"]}
    for name in planted["asserted_by"]:
        assert (name, "asserts") in holders
    # The denying person is found; resolving "the company" to the organisation she
    # speaks for is the claims issue's work (#7), not checked here yet.
    assert any((name, "denies") in holders for name in planted["denied_by"])


def test_the_report_validates_and_every_offset_points_into_its_article(
        demo_run: tuple[Any, Path]) -> None:
    report, _ = demo_run
    validate_report(report.data)
    assert reference_problems(report.data) == []
    texts = {a["id"]: a["text"] for a in report.articles}
    for story in report.stories:
        for sentence in story["summary"]:
            first = sentence["citations"][0]
            assert texts[first["article"]][first["start"]:first["end"]] == sentence["text"]
        for quote in story["quotes"]:
            assert texts[quote["article"]][quote["start"]:quote["end"]] == quote["text"]


def test_boilerplate_of_the_republished_pages_is_removed_and_kept(
        demo_run: tuple[Any, Path]) -> None:
    report, _ = demo_run
    articles = {a["id"]: a for a in report.articles}
    for pair in EXPECTED["republished"]:
        copy, original = articles[pair["copy"]], articles[pair["original"]]
        assert copy["text"] == original["text"]
        assert copy["removed"], "the copy's site furniture should be listed in `removed`"


def test_the_written_files_are_the_api_result(demo_run: tuple[Any, Path]) -> None:
    report, work = demo_run
    on_disk = json.loads((work / "out" / "report.json").read_text(encoding="utf-8"))
    assert on_disk == report.data
    assert (work / "out" / "report.md").read_text(encoding="utf-8").startswith("#")
    page = (work / "out" / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()


def test_analysing_the_same_input_again_changes_nothing(demo_run: tuple[Any, Path]) -> None:
    first, work = demo_run
    again = analyze([DEMO], db=work / "demo.db", timestamp=False)
    assert again.data["stats"]["ingest.already-stored"] == len(first.articles)
    assert "ingest.new" not in again.data["stats"]
    assert again.articles == first.articles
    assert [s["id"] for s in again.stories] == [s["id"] for s in first.stories]


def test_a_second_run_adds_to_the_stories_of_the_first(tmp_path: Path) -> None:
    dam = EXPECTED["events"]["dam"]
    first_half, second_half = tmp_path / "first", tmp_path / "second"
    for folder, ids in ((first_half, dam[:2]), (second_half, dam[2:4])):
        folder.mkdir()
        for article_id in ids:
            name = EXPECTED["articles"][article_id]["file"]
            shutil.copy(DEMO / name, folder / name)
    db = tmp_path / "grow.db"
    one = analyze([first_half], db=db, timestamp=False)
    [story] = one.stories
    two = analyze([second_half], db=db, timestamp=False)
    assert [s["id"] for s in two.stories] == [story["id"]]
    assert set(two.stories[0]["articles"]) == set(dam[:4])
    assert len(two.articles) == 4


def test_bad_files_are_reported_and_the_rest_of_the_batch_lands(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for article_id in EXPECTED["events"]["summit"][:3]:
        name = EXPECTED["articles"][article_id]["file"]
        shutil.copy(DEMO / name, inputs / name)
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "blank.txt").write_text("   \n\n  \n")
    (inputs / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (inputs / "liar.txt").write_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8" * 40)
    (inputs / "feed.jsonl").write_text('{"id": "ok-1", "text": "' + "Words here. " * 30
                                       + '"}\n{not json\n{"id": "no-text"}\n')
    report = analyze([inputs], db=tmp_path / "bad.db", timestamp=False)
    reasons = {Path(r["source"].split("#")[0]).name + r["source"].partition("#")[2]: r["reason"]
               for r in report.rejects}
    assert reasons == {"empty.txt": "empty", "blank.txt": "empty", "image.html": "binary",
                       "liar.txt": "undecodable", "feed.jsonlL2": "malformed-json",
                       "feed.jsonlL3": "missing-text"}
    assert report.data["stats"]["rejected.empty"] == 2
    landed = {a["id"] for a in report.articles}
    assert set(EXPECTED["events"]["summit"][:3]) | {"ok-1"} <= landed


def test_the_command_line_writes_what_the_api_returns(demo_run: tuple[Any, Path],
                                                      tmp_path: Path) -> None:
    report, _ = demo_run
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    db, out = tmp_path / "cli.db", tmp_path / "out"
    run = subprocess.run([str(CLI), "analyze", str(DEMO), "--db", str(db), "--out", str(out)],
                         capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 0, run.stderr
    assert "3 stories" in run.stdout
    written = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert written["generated_at"]
    written["generated_at"] = None
    assert written == report.data

    listing = subprocess.run([str(CLI), "stories", "--db", str(db), "--json"],
                             capture_output=True, text=True, env=env, check=True)
    rows = json.loads(listing.stdout)
    assert sorted(r["id"] for r in rows) == sorted(s["id"] for s in report.stories)

    story_id = report.stories[0]["id"]
    shown = subprocess.run([str(CLI), "show", story_id[:6] + story_id[6:9], "--db", str(db),
                            "--format", "json"], capture_output=True, text=True, env=env,
                           check=True)
    document = json.loads(shown.stdout)
    assert [s["id"] for s in document["stories"]] == [story_id]
    assert document["stories"][0]["summary"] == report.stories[0]["summary"]


def test_usage_errors_exit_2_with_a_message(tmp_path: Path) -> None:
    missing = subprocess.run([str(CLI), "analyze", str(tmp_path / "nope"), "--db",
                              str(tmp_path / "x.db")], capture_output=True, text=True,
                             check=False)
    assert missing.returncode == 2
    assert "not found" in missing.stderr
    no_db = subprocess.run([str(CLI), "stories", "--db", str(tmp_path / "none.db")],
                           capture_output=True, text=True, check=False)
    assert no_db.returncode == 2
    assert "no database" in no_db.stderr
