"""The acceptance story: the five real seed articles in ../shared/seeds, end to end.

Skipped when the shared folder is absent (a user's machine will not have it). The
assertions read the seed texts at test time; no seed text is kept in the repository.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corroborate import analyze
from corroborate.report.schema import reference_problems, validate_report

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
pytestmark = [
    pytest.mark.seeds,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}"),
]

# Site furniture of the kinds the foundation issue names (donation pitches, comment
# widgets, "Leave a Comment", "Related posts" lists, app promotions): short generic
# cues, each of which occurs in at least one seed page.
FURNITURE_CUES = [
    "Leave a Comment",
    "Leave A Reply",
    "Related posts",
    "Support from readers like you",
    "comments community",
    "Download",
    "Source link",
    "Exit mobile version",
]


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> Any:
    work = tmp_path_factory.mktemp("seeds")
    return analyze([SEEDS], db=work / "seeds.db", out=work / "out", timestamp=False)


def test_all_five_seed_articles_are_one_story(seed_report: Any) -> None:
    assert len(seed_report.articles) == 5
    assert seed_report.rejects == []
    [story] = seed_report.stories
    assert sorted(story["articles"]) == sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_the_report_validates(seed_report: Any) -> None:
    validate_report(seed_report.data)
    assert reference_problems(seed_report.data) == []


def test_every_summary_sentence_cites_an_offset_that_contains_it(seed_report: Any) -> None:
    texts = {a["id"]: a["text"] for a in seed_report.articles}
    [story] = seed_report.stories
    assert len(story["summary"]) >= 3
    for sentence in story["summary"]:
        cited = [texts[c["article"]][c["start"]:c["end"]] for c in sentence["citations"]]
        assert sentence["text"] in cited


@pytest.mark.parametrize("cue", FURNITURE_CUES)
def test_furniture_is_gone_from_text_and_listed_in_removed(seed_report: Any, cue: str) -> None:
    raw_has_cue = [p.stem for p in SEEDS.glob("*.txt") if cue in p.read_text(encoding="utf-8")]
    assert raw_has_cue, f"no seed page carries {cue!r}; the cue list is out of date"
    articles = {a["id"]: a for a in seed_report.articles}
    for article_id in raw_has_cue:
        article = articles[article_id]
        assert cue not in article["text"], f"{cue!r} left in {article_id}"
        assert any(cue in line for line in article["removed"]), f"{cue!r} not in removed"


def test_related_posts_headlines_go_with_their_header(seed_report: Any) -> None:
    for article in seed_report.articles:
        removed = "\n".join(article["removed"])
        if "Related posts" not in removed:
            continue
        raw = next(SEEDS.glob(f"{article['id']}.txt")).read_text(encoding="utf-8")
        listed = [ln.strip() for ln in raw.split("Related posts", 1)[1].splitlines()
                  if ln.strip() and ln.strip() != "Leave a Comment"]
        assert listed
        for line in listed:
            assert line not in article["text"]


@pytest.mark.parametrize("person", ["Trump", "Peskov", "Rubio"])
def test_quotes_are_attributed_to(seed_report: Any, person: str) -> None:
    [story] = seed_report.stories
    theirs = [q for q in story["quotes"] if q["speaker"] and person in q["speaker"]]
    assert theirs, f"no quote attributed to {person}"
    texts = {a["id"]: a["text"] for a in seed_report.articles}
    for quote in theirs:
        assert texts[quote["article"]][quote["start"]:quote["end"]] == quote["text"]


def test_speakers_are_canonical_story_entities(seed_report: Any) -> None:
    [story] = seed_report.stories
    people = {e["name"] for e in story["entities"] if e["type"] == "PERSON"}
    for person in ("Trump", "Peskov", "Rubio"):
        speakers = {q["speaker"] for q in story["quotes"]
                    if q["speaker"] in people and person in q["speaker"]}
        # One canonical name, not several spellings ("the Trump administration" is an
        # organisation and is not counted here).
        assert len(speakers) == 1, speakers


def _seed(report: Any, prefix: str) -> dict[str, Any]:
    return next(a for a in report.articles if a["id"].startswith(prefix))


def test_provenance_flags_and_credits_of_the_seeds(seed_report: Any) -> None:
    [story] = seed_report.stories
    edges = {(e["from"], e["to"], e["kind"]) for e in story["provenance"]}
    republished, spun, wire = (_seed(seed_report, p) for p in ("000", "002", "003"))
    assert "republished" in republished["flags"]
    assert ("outlet:The Guardian", republished["id"], "attributed") in edges
    assert "machine-translated" in spun["flags"]
    assert ("outlet:Al Jazeera", spun["id"], "attributed") in edges
    assert "syndicated" in wire["flags"]
    for other in ("001", "004"):
        assert "machine-translated" not in _seed(seed_report, other)["flags"]


def test_the_five_seeds_stay_five_independent_families(seed_report: Any) -> None:
    [story] = seed_report.stories
    assert sorted(len(f) for f in story["families"]) == [1, 1, 1, 1, 1]
    ids = set(story["articles"])
    copies = [e for e in story["provenance"]
              if e["kind"] != "attributed" and e["from"] in ids and e["to"] in ids]
    assert copies == []
    for fact in story["facts"]:
        assert fact["independent_support"] == len(fact["support"])
