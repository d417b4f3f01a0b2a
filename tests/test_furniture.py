"""Site furniture found by repetition across the pages of one outlet."""

from __future__ import annotations

from pathlib import Path

from corroborate.clean.furniture import SiteFurnitureStep, furniture_candidate
from corroborate.model import Article
from corroborate.pipeline.base import RunContext
from corroborate.store.sqlite import Store

PLUG = "Become a Harbour Gazette member for 3 euros a month"
QUOTE = "“We will rebuild the pier,” the mayor said."


def page(n: int, outlet: str = "Harbour Gazette", title: str | None = None,
         extra: str = "") -> Article:
    body = (f"Story {n} begins with a long first paragraph about the harbour and the boats "
            f"that were moored there on the night of the storm number {n}.\n\n"
            f"{PLUG}\n\n{QUOTE}\n\n{extra}").strip()
    return Article(id=f"p{n}", source=f"p{n}", text=body, outlet=outlet,
                   title=title or f"Headline {n}", content_hash=f"h{n}")


def run(articles: list[Article], store: Store | None = None) -> RunContext:
    ctx = RunContext(store=store)
    SiteFurnitureStep().process_all(articles, ctx)
    return ctx


def test_a_line_on_three_pages_of_one_outlet_moves_to_removed() -> None:
    pages = [page(1), page(2), page(3)]
    ctx = run(pages)
    for article in pages:
        assert PLUG not in article.text
        assert PLUG in article.removed
        assert "\n\n\n" not in article.text
        assert article.text.startswith("Story")
    assert ctx.stats["clean.site-furniture-lines"] == 3


def test_quotes_and_reported_sentences_are_never_furniture() -> None:
    pages = [page(1), page(2), page(3)]
    run(pages)
    assert all(QUOTE in a.text for a in pages)
    assert not furniture_candidate(QUOTE)
    assert not furniture_candidate(
        "The port authority said on Monday that the storm had damaged forty boats and "
        "two cranes in the outer harbour.")
    assert furniture_candidate(PLUG)


def test_two_pages_or_two_outlets_are_not_enough() -> None:
    two = [page(1), page(2)]
    run(two)
    assert all(PLUG in a.text for a in two)
    mixed = [page(1), page(2), page(3, outlet="Coast Courier")]
    run(mixed)
    assert all(PLUG in a.text for a in mixed)


def test_versions_of_one_article_count_once() -> None:
    versions = [page(n, title="Storm hits harbour") for n in (1, 2, 3)]
    run(versions)
    assert all(PLUG in a.text for a in versions)


def test_articles_without_an_outlet_are_left_alone() -> None:
    pages = [page(n, outlet="") for n in (1, 2, 3)]
    for article in pages:
        article.outlet = None
    run(pages)
    assert all(PLUG in a.text for a in pages)


def test_the_store_remembers_an_outlets_lines_across_runs(tmp_path: Path) -> None:
    with Store.open(tmp_path / "f.db") as store:
        first = [page(1), page(2)]
        run(first, store)
        assert all(PLUG in a.text for a in first)  # two pages: not yet furniture
        later = [page(3)]
        run(later, store)
        assert PLUG not in later[0].text
        assert PLUG in later[0].removed
