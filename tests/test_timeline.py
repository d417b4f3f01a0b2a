"""Timeline: date resolution against publication dates, and merged dated events."""

from __future__ import annotations

from datetime import date

import pytest

from corroborate.analyse.dates import resolve_date
from corroborate.analyse.sentences import build_sentence_table
from corroborate.analyse.timeline import build_timeline
from corroborate.model import Article, TimelineEntry
from story_fixtures import SEEDS, Story, enrich, fire_story, seed_story

FRIDAY = date(2024, 5, 17)


def value(text: str, published: date | None = FRIDAY, future: bool = False) -> str | None:
    resolved = resolve_date(text, published, future)
    return resolved.value if resolved else None


def test_weekdays_are_the_latest_on_or_before_publication() -> None:
    assert value("on Wednesday") == "2024-05-15"
    assert value("Wednesday night") == "2024-05-15"
    assert value("Friday") == "2024-05-17", "the publication day itself"
    assert value("Saturday") == "2024-05-11"
    assert value("last Friday") == "2024-05-10"


def test_future_clauses_look_forward() -> None:
    assert value("on Monday", future=True) == "2024-05-20"
    assert value("20 December", future=True) == "2024-12-20"
    assert value("20 December") == "2023-12-20"


def test_relative_expressions() -> None:
    assert value("yesterday") == "2024-05-16"
    assert value("tomorrow") == "2024-05-18"
    assert value("two weeks ago") == "2024-05-03"
    assert value("last August") == "2023-08"
    assert value("earlier this week") == "2024-05"
    assert value("last year") == "2023"
    # A week across two months has no single month to stand for it.
    assert value("this week", published=date(2024, 5, 1)) is None


def test_absolute_dates_keep_their_precision() -> None:
    assert value("March 14, 2025") == "2025-03-14"
    assert value("14 March 2025", published=None) == "2025-03-14"
    assert value("6 March") == "2024-03-06"
    assert value("March 2025", published=None) == "2025-03"
    assert value("in 2022", published=None) == "2022"
    assert value("2025-03-10", published=None) == "2025-03-10"


def test_durations_and_unanchored_expressions_are_not_dates() -> None:
    for text in ("30-day", "the three-year", "two weeks", "a year", "recent days",
                 "the long term", "the weekend"):
        assert value(text) is None, text
    for text in ("Thursday", "yesterday", "6 March", "last August"):
        assert value(text, published=None) is None, text


@pytest.fixture(scope="module")
def fire() -> Story:
    return fire_story()


@pytest.fixture(scope="module")
def fire_timeline(fire: Story) -> list[TimelineEntry]:
    return build_timeline(fire.table)


def test_one_event_reported_by_several_articles_is_one_entry(
    fire_timeline: list[TimelineEntry],
) -> None:
    # The Gazette (Thursday) and the others (Friday) all mean Wednesday 15 May.
    blaze = [e for e in fire_timeline if "blaze" in e.text or "fire broke out" in e.text]
    merged = [e for e in blaze if len(e.articles) >= 3]
    assert len(merged) == 1
    assert merged[0].date == "2024-05-15"
    assert {"gazette", "coastal", "wire"} <= set(merged[0].articles)


def test_entries_are_dated_sorted_and_cited(
    fire: Story, fire_timeline: list[TimelineEntry]
) -> None:
    dates = [e.date for e in fire_timeline]
    assert "2023-08" in dates, "last August, month precision"
    assert "2024-05-20" in dates, "the road will reopen on Monday"
    assert dates == sorted(dates)
    for entry in fire_timeline:
        assert entry.articles == sorted({c.article for c in entry.citations})
        first = entry.citations[0]
        assert fire.article(first.article).text[first.start:first.end] == entry.text


def test_relative_dates_need_a_publication_date() -> None:
    article = enrich([Article(
        id="undated", source="undated.txt",
        text="The ferry company cancelled its crossings on Tuesday because of the storm.\n"
             "The same company had opened the route in 2019 with two small vessels.\n",
    )])[0]
    timeline = build_timeline(build_sentence_table([article]))
    assert [e.date for e in timeline] == ["2019"]


@pytest.mark.seeds
@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seed articles not available")
def test_seed_timeline_without_publication_dates_keeps_only_absolute_dates() -> None:
    story = seed_story()
    timeline = build_timeline(story.table)
    assert timeline, "the seeds carry absolute dates (years, a full dateline date)"
    assert all(len(e.date) in (4, 7, 10) for e in timeline)
    assert [e.date for e in timeline] == sorted(e.date for e in timeline)
