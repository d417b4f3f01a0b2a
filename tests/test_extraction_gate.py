"""Quality gate for HTML extraction on the trafilatura evaluation corpus, and the rules
that gate rests on (standfirst, web widget cues, the benchmark's scoring) on invented
pages.

The gate runs `bench/extraction.py` (plain trafilatura and corroborate's clean step on
the same decoded pages, scored with the corpus's own metric) on all 990 pages when
../shared/datasets/trafilatura-eval exists, and skips otherwise. The whole corpus,
not a subset: the acceptance criterion is stated on the whole corpus, and a subset
would let the two drift apart. One core takes ~25 ms a page for plain trafilatura and
~45 ms for corroborate's clean step, so the run (two worker processes) takes ~40 s on
two idle cores and up to ~90 s on a busy machine, well inside the suite's budget.

The floors are pinned just under the values measured on 2026-11-21 (trafilatura 2.3.1,
`bench/extraction.py --workers 2`): all pages F1 0.9483, English pages (173) 0.9495,
test half (523 pages, not used for tuning) 0.9451. Never lower a floor silently: if a
change costs F1, say so in the commit, with the numbers.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import trafilatura

from corroborate.clean import CleanStep, clean_plain_text
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import RunContext

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench" / "extraction.py"
CORPUS = ROOT.parent / "shared" / "datasets" / "trafilatura-eval" / "orig" / "tests"

# Measured minus a margin of 0.002-0.0025 F1: about 14 snippets on all pages (~5,900
# snippets), 3 on the English pages (~1,060) and 7 on the test half (~3,100), so that a
# cue that moves a snippet or two does not trip the gate but a real regression does.
FLOOR_ALL = 0.946
FLOOR_ENGLISH = 0.947
FLOOR_TEST_HALF = 0.943
# The gate's run must stay well inside the suite's budget (10 minutes on two cores).
MAX_SECONDS = 300

needs_corpus = pytest.mark.skipif(not (CORPUS / "evaldata.json").is_file(),
                                  reason=f"{CORPUS} not found")


# --- The gate -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scores() -> dict[str, Any]:
    """The benchmark's JSON summary for plain trafilatura and corroborate."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, str(BENCH), "--json", "--workers", "2",
         "--systems", "trafilatura,corroborate", "--data", str(CORPUS)],
        capture_output=True, text=True, check=True, timeout=MAX_SECONDS, env=env, cwd=ROOT)
    summary: dict[str, Any] = json.loads(done.stdout)
    return summary


def f1(scores: dict[str, Any], group: str, system: str) -> float:
    value: float = scores["groups"][group]["systems"][system]["f1"]
    return value


@needs_corpus
def test_every_page_of_the_corpus_was_scored(scores: dict[str, Any]) -> None:
    assert scores["pages"] == 990
    assert scores["groups"]["english"]["pages"] >= 150


@needs_corpus
def test_corroborate_is_at_least_as_good_as_plain_trafilatura_overall(
        scores: dict[str, Any]) -> None:
    assert f1(scores, "all", "corroborate") >= FLOOR_ALL
    assert f1(scores, "all", "corroborate") >= f1(scores, "all", "trafilatura")


@needs_corpus
def test_corroborate_is_better_than_plain_trafilatura_on_english_pages(
        scores: dict[str, Any]) -> None:
    assert f1(scores, "english", "corroborate") >= FLOOR_ENGLISH
    assert f1(scores, "english", "corroborate") > f1(scores, "english", "trafilatura")


@needs_corpus
def test_the_gain_holds_on_the_half_no_rule_was_tuned_on(scores: dict[str, Any]) -> None:
    assert f1(scores, "test half", "corroborate") >= FLOOR_TEST_HALF
    assert f1(scores, "test half", "corroborate") > f1(scores, "test half", "trafilatura")


# --- The standfirst (invented pages) ------------------------------------------------------

BODY = "".join(f"<p>{paragraph}</p>" for paragraph in (
    "The council met on Tuesday evening in the old town hall to vote on the plan, which has "
    "been debated since 2013 and changed four times since then.",
    "Engineers expect the bridge to open in 2027. The cost is now put at 12 million euros, "
    "twice the first estimate, the council said in a statement.",
    "Residents who live near the estuary have asked for a noise barrier, and the council "
    "agreed to study one before the work begins next spring.",
    "The ferry that crosses the estuary today will stop running once the bridge opens, and "
    "its two crews will be offered other jobs by the town.",
))
STANDFIRST = ("The vote ends one of the longest planning fights in the region, after a decade "
              "of objections and four redesigns.")
CAPTION = "The old ferry at the pier in Harbourtown, photographed at dusk last year."


def bridge_page(*, header: str, description: str = "Local news from Harbourtown.",
                above: str = "") -> str:
    return f"""<!doctype html><html lang="en"><head>
<title>Harbourtown approves estuary bridge | The Harbour Post</title>
<meta name="description" content="{description}"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>{above}
<header class="article-header"><h1>Harbourtown approves estuary bridge</h1>{header}
<div class="byline">By Sam Rivers</div></header>
<article><div class="article-body">{BODY}</div></article>
<footer><p>Copyright 2025 The Harbour Post. All rights reserved.</p></footer></body></html>"""


def clean_page(html: str) -> Article:
    article = Article(id="bridge", source="bridge.html", raw=html, format=InputFormat.HTML,
                      url="https://harbourpost.example/news/bridge")
    ctx = RunContext()
    cleaned = list(CleanStep().run([article], ctx))
    assert not ctx.rejects, ctx.rejects
    return cleaned[0]


def test_the_standfirst_under_the_headline_opens_the_text_and_the_caption_stays_out() -> None:
    html = bridge_page(header=f'<div class="standfirst">{STANDFIRST}</div><figure>'
                              f'<img src="ferry.jpg"><figcaption>{CAPTION}</figcaption></figure>')
    assert STANDFIRST not in (trafilatura.extract(html) or "")  # what the rule is for
    article = clean_page(html)
    paragraphs = article.text.split("\n\n")
    assert article.title == "Harbourtown approves estuary bridge"
    assert paragraphs[0] == STANDFIRST
    assert paragraphs[1].startswith("The council met on Tuesday evening")
    assert CAPTION not in article.text
    assert CAPTION in article.removed


def test_a_description_printed_on_the_page_is_the_standfirst_wherever_it_stands() -> None:
    above = f'<div class="teaser"><p>{STANDFIRST}</p></div>'  # above the headline
    html = bridge_page(header="", description=STANDFIRST, above=above)
    assert STANDFIRST not in (trafilatura.extract(html) or "")
    article = clean_page(html)
    assert article.text.split("\n\n")[0] == STANDFIRST


def test_a_description_the_page_does_not_print_is_not_text() -> None:
    unprinted = ("Harbourtown has voted for a bridge over the estuary after ten years of "
                 "debate, our reporter writes.")
    article = clean_page(bridge_page(header="", description=unprinted))
    assert unprinted not in article.text
    assert article.text.startswith("The council met on Tuesday evening")


def test_short_blocks_under_the_headline_are_not_a_standfirst() -> None:
    article = clean_page(bridge_page(header="<p>Updated on Tuesday night.</p>"))
    assert "Updated on Tuesday night." not in article.text


# --- Web widget cues (invented lines) -------------------------------------------------------

GERMAN_PAGE = "\n\n".join((
    "Der Stadtrat hat am Dienstag den Bau einer Brücke über die Mündung beschlossen. Die "
    "Debatte darüber dauerte mehr als zehn Jahre, und der Plan wurde viermal geändert.",
    "Lesen Sie auch: Fischer protestieren gegen neue Fangquoten",
    "Foto: Anna Beispiel",
    "Der Verlag teilte mit, sein Newsletter erreiche inzwischen zehntausend Leser in der Region.",
    "Die Brücke soll 2027 eröffnet werden und zwölf Millionen Euro kosten, teilte die Stadt mit.",
    "Mit unserem Newsletter erhalten Sie jeden Morgen die wichtigsten Nachrichten aus der Region!",
    "Weitere Artikel zum Thema",
    "Fähre stellt Betrieb ein",
    "Anwohner fordern Lärmschutz",
))


def test_german_related_links_credits_and_newsletter_pitch_are_removed() -> None:
    cleaned = clean_plain_text(GERMAN_PAGE)
    assert "Lesen Sie auch: Fischer protestieren gegen neue Fangquoten" in cleaned.removed
    assert "Foto: Anna Beispiel" in cleaned.removed
    assert any(line.startswith("Mit unserem Newsletter") for line in cleaned.removed)
    assert {"Weitere Artikel zum Thema", "Fähre stellt Betrieb ein",
            "Anwohner fordern Lärmschutz"} <= set(cleaned.removed)
    # News about a newsletter is not a pitch: it speaks of a third party.
    assert any("sein Newsletter erreiche" in line for line in cleaned.kept)
    assert len(cleaned.kept) == 3


def test_english_paywall_app_and_affiliate_notices_are_removed() -> None:
    body = ("The council voted on Tuesday to build a bridge over the estuary, ending a debate "
            "that has lasted for more than ten years.")
    furniture = [
        "Subscribe now to our Harbour Post edition for the full story.",
        "For the latest stories download the Harbour Post apps for iOS and Android.",
        "This post contains affiliate links. We may earn a commission when you buy through them.",
        "If you're seeing this message but you're already a subscriber, you can log in here.",
    ]
    answer = "Lee: We wanted the bridge to open sooner, but the money was not there."
    cleaned = clean_plain_text("\n\n".join([body, *furniture, answer]))
    assert set(furniture) <= set(cleaned.removed)
    assert cleaned.kept == [body, answer]  # an interview answer is not a "Lee:" link


# --- The benchmark's own parts ------------------------------------------------------------


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_extraction", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_scoring_is_the_corpus_metric(bench: ModuleType) -> None:
    page = bench.Page(url="https://example.org/a", file="a.html",
                      with_=["the  bridge\nopens", "ferry stops"],
                      without=["Share this", "Home"], html="", language="en", half="tune")
    counts = bench.score_page(page, "Then the bridge opens in 2027.\nShare   this article.")
    assert (counts.tp, counts.fn, counts.fp, counts.tn) == (1, 1, 1, 1)
    # Case counts, as in the corpus's metric: "The bridge opens" is not "the bridge opens".
    assert bench.score_page(page, "The bridge opens.").tp == 0
    missed = bench.score_page(page, None)
    assert (missed.tp, missed.fn, missed.fp, missed.tn) == (0, 2, 0, 2)
    counts.add(missed)
    scores = counts.scores()
    assert scores["precision"] == pytest.approx(0.5)
    assert scores["recall"] == pytest.approx(0.25)
    assert scores["accuracy"] == pytest.approx((1 + 3) / 8)
    assert scores["f1"] == pytest.approx(2 * 1 / (2 * 1 + 1 + 3))


def test_the_split_is_a_stable_hash_of_the_url(bench: ModuleType) -> None:
    urls = [f"https://example.org/{i}" for i in range(200)]
    halves = [bench.split_half(url) for url in urls]
    assert halves == [bench.split_half(url) for url in urls]
    assert 60 < halves.count("tune") < 140


def test_a_page_declared_english_but_written_in_german_is_german(bench: ModuleType) -> None:
    prose = ("Der Stadtrat hat am Dienstag den Bau einer Brücke über die Mündung beschlossen, "
             "und die Debatte darüber dauerte mehr als zehn Jahre.")
    html = f'<html lang="en-US"><body><nav>Home News Contact</nav><p>{prose}</p></body></html>'
    assert bench.page_language(html, ["den Bau einer Brücke"]) == "de"
    assert bench.page_language("<html lang='fr'><body><p>Oui.</p></body></html>", []) == "fr"
    assert bench.page_language("<html><body><p>Hi.</p></body></html>", []) == "unknown"
