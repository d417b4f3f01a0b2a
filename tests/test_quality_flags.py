"""Text-quality flags: machine-translated / spun, boilerplate-heavy, truncated.

The invented story (a bridge collapse in a made-up town) is told by four articles: an
original, two independent reports that spell two names in different standard ways,
and a spun copy of the original with garbled names, odd synonyms and a spinner's
headline. Articles go through the real sentence and entity steps. The seed and demo
checks read ../shared/seeds and examples/demo at test time.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from corroborate import analyze
from corroborate.clean import CleanStep
from corroborate.enrich.entities import EntityStep
from corroborate.enrich.sentences import SentenceStep
from corroborate.ingest.readers import read_paths
from corroborate.model import Article
from corroborate.pipeline.base import RunContext
from corroborate.provenance.flags import (
    BOILERPLATE_HEAVY,
    MACHINE_TRANSLATED,
    TRUNCATED,
    is_boilerplate_heavy,
    looks_truncated,
)
from corroborate.provenance.quality import assess_quality, quality_flags
from corroborate.store.sqlite import Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
DEMO = ROOT / "examples" / "demo"

ORIGINAL = (
    "A section of the Kessling road bridge collapsed into the Veld canal on Tuesday "
    "morning, injuring four people and cutting the main route into Brackholm.\n\n"
    "Transport minister Marek Dolansky said engineers had warned about cracks in the "
    "bridge supports last spring.\n\n"
    "“We will find out why this bridge failed and who ignored the warnings,” Dolansky "
    "told reporters at the scene.\n\n"
    "Rescue teams pulled two drivers from the water, and the injured were taken to the "
    "city hospital.\n\n"
    "Mayor Ilona Marchetti said the city would open a temporary ferry service across "
    "the canal on Thursday.\n\n"
    "Engineer Denys Shmyhal, who inspected the bridge in 2023, said the steel joints "
    "were badly rusted.\n\n"
    "The bridge, built in 1971, carried about 30,000 cars a day."
)
SPUN = (
    "A part of the Kessling highway bridge fell down into the Veld waterway on Tuesday "
    "morn, wounding four individuals and severing the principal path into Brackholm.\n\n"
    "Conveyance minister Marek Dolasky stated technicians had cautioned about fissures "
    "in the bridge props last springtime.\n\n"
    "“We will discover why this bridge faltered and who disregarded the cautions,” "
    "Dolasky informed journalists at the locale.\n\n"
    "Rescue teams hauled two drivers from the liquid, and the wounded were conveyed "
    "to the city infirmary.\n\n"
    "Mayor Ilona Marcheti stated the metropolis would launch a provisional ferry "
    "facility over the waterway on Thursday.\n\n"
    "Engineer Denys Shmygal, who examined the bridge in 2023, stated the steel joints "
    "were gravely corroded.\n\n"
    "The bridge, constructed in 1971, conveyed round 30,000 automobiles a day."
)
# "Serhiy" and "Serhii" are two romanisations of one name; "Shmyhal" and "Shmygal"
# are two spellings, each used by two articles.
COURIER = (
    "Traffic stretched for miles around Brackholm on Wednesday, a day after the "
    "Kessling bridge fell into the canal.\n\n"
    "Marek Dolansky, the transport minister, promised a full inquiry into the "
    "collapse.\n\n"
    "Bridge inspector Serhiy Hrytsenko said he had recommended closing the crossing to "
    "heavy lorries in a report sent to the ministry in May.\n\n"
    "“The warning was clear,” Hrytsenko said.\n\n"
    "Mayor Ilona Marchetti asked commuters to take the train until the ferry starts on "
    "Thursday.\n\n"
    "Denys Shmyhal, the engineer who led last year's inspection, declined to comment."
)
RADIO = (
    "Divers from the fire service searched the Veld canal on Wednesday for debris from "
    "the collapsed Kessling bridge.\n\n"
    "Serhii Hrytsenko, an inspector who examined the bridge last year, told Canal Radio "
    "his report had been ignored.\n\n"
    "Engineer Denys Shmygal said the corrosion had been visible from the towpath for "
    "years.\n\n"
    "Mayor Ilona Marchetti said the ferry service would start on Thursday morning.\n\n"
    "Shop owners near the bridge said they had lost most of their customers overnight."
)
STORY = {
    "original": ("Kessling bridge collapses into canal, four hurt", ORIGINAL),
    "spun": ("Kessling Road Bridge Crumbles Into Canal As Four Are Hurt", SPUN),
    "courier": ("Commuters stuck as Brackholm waits for ferry after bridge collapse", COURIER),
    "radio": ("Divers search canal for bridge debris", RADIO),
}


def enrich(articles: list[Article]) -> list[Article]:
    ctx = RunContext()
    return list(EntityStep().run(SentenceStep().run(articles, ctx), ctx))


@cache
def bridge_story() -> tuple[Article, ...]:
    return tuple(enrich([Article(id=key, source=f"{key}.txt", title=title, text=text)
                         for key, (title, text) in STORY.items()]))


def read_and_prepare(paths: list[Path]) -> list[Article]:
    """Articles as the pipeline has them when a story is analysed (less the store)."""
    ctx = RunContext()
    return enrich(list(CleanStep().run(read_paths(paths, ctx), ctx)))


# --- machine-translated / spun ------------------------------------------------------

def test_only_the_spun_copy_is_flagged_machine_translated() -> None:
    flags = quality_flags(list(bridge_story()))
    assert {aid for aid, found in flags.items() if MACHINE_TRANSLATED in found} == {"spun"}


def test_the_evidence_names_the_garbled_spellings_and_the_swapped_words() -> None:
    spin = assess_quality(list(bridge_story()))["spun"].spin
    assert set(spin.garbled_names) == {("Dolasky", "Dolansky"), ("Marcheti", "Marchetti")}
    assert spin.substituted
    assert ("liquid", "water") in spin.substitutions
    assert spin.title_case
    described = spin.describe()
    assert "Dolasky (Dolansky)" in described
    assert f"{len(spin.substitutions)} rarer words" in described


def test_transliterations_and_spellings_two_articles_share_are_not_garbled() -> None:
    verdicts = assess_quality(list(bridge_story()))
    for article_id in ("original", "courier", "radio"):
        assert verdicts[article_id].spin.garbled_names == ()
    # "Shmygal" is the spun copy's spelling, but the radio report uses it too.
    assert "Shmygal" not in dict(verdicts["spun"].spin.garbled_names)


def test_the_original_is_not_blamed_for_its_spun_copy_s_words() -> None:
    spin = assess_quality(list(bridge_story()))["original"].spin
    assert not spin.substituted
    assert spin.score == 0.0


def test_translation_artefacts_and_capitalised_common_words_count() -> None:
    text = ("The minister said the talks went well.[Officials] They will meet again.\n\n"
            "“If [the delegates] Agree on a text, it will be signed,” she added.\n\n"
            "Officials met the anti-corruption Resting in the capital.")
    [article] = enrich([Article(id="a", source="a.txt", text=text)])
    spin = assess_quality([article])["a"].spin
    assert len(spin.artefacts) == 2
    assert "Resting" in spin.odd_words


# --- boilerplate-heavy --------------------------------------------------------------

def test_furniture_outweighing_the_article_is_boilerplate_heavy() -> None:
    article = Article(id="a", source="a.txt", text="The council approved the budget on Monday.",
                      removed=["Related posts", "Ten gadgets you need this summer",
                               "Leave a Comment", "Subscribe to our newsletter today"])
    assert is_boilerplate_heavy(article)
    assert quality_flags([article]) == {"a": [BOILERPLATE_HEAVY]}


def test_a_donation_pitch_beside_a_long_article_is_not_heavy() -> None:
    article = Article(id="a", source="a.txt", text=ORIGINAL,
                      removed=["Support our journalism: donate today.", "Leave a Comment"])
    assert not is_boilerplate_heavy(article)


def test_the_cleaners_cut_note_is_not_furniture() -> None:
    note = "[truncated: 40 more paragraphs, 90000 characters past the limit]"
    assert not is_boilerplate_heavy(Article(id="a", source="a", text=ORIGINAL, removed=[note]))


# --- truncated ----------------------------------------------------------------------

@pytest.mark.parametrize("ending", [
    "The minister said the bridge would be rebuilt by the end of",
    "The minister said the bridge would be rebuilt…",
    "The minister said the bridge would be rebuilt [...]",
    "The minister said the bridge would be rebuilt. Read more",
    "The minister said the bridge would be rebuilt. Continue reading →",
    "The minister said the bridge would be rebuilt, and that\n\n(Reporting by Jana Holm)",
])
def test_a_text_cut_mid_sentence_or_on_a_cut_marker_is_truncated(ending: str) -> None:
    article = Article(id="a", source="a", text=f"{ORIGINAL}\n\n{ending}")
    assert looks_truncated(article)
    assert TRUNCATED in quality_flags([article])["a"]


@pytest.mark.parametrize("ending", [
    "(Reporting by Jana Holm in Tolvane; Editing by Marcus Feld)",
    "With additional reporting from AFP, Keith Kelly and Jane Moore",
    "With assistance from Pavel Renko in Castrelle",
    "Additional reporting by Tove Brandt in Vantria",
    "— Meridian Wire",
    "Brackholm, 14 March 2025",
    "Updated March 14, 2025 10:30 GMT",
    "By Jana Holm",
    "Related Topics",
    "“We will rebuild it, and faster than anyone thinks…”",
    "Visitors can read more.",
])
def test_sign_offs_datelines_and_labels_after_a_full_stop_are_not_a_cut(ending: str) -> None:
    assert not looks_truncated(Article(id="a", source="a", text=f"{ORIGINAL}\n\n{ending}"))


# --- the acceptance cases -----------------------------------------------------------

@pytest.mark.seeds
@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}")
def test_of_the_seeds_exactly_002_is_machine_translated() -> None:
    articles = read_and_prepare(sorted(SEEDS.glob("*.txt")))
    verdicts = assess_quality(articles)
    flagged = {a.id[:3] for a in articles if MACHINE_TRANSLATED in verdicts[a.id].flags}
    assert flagged == {"002"}
    [spun] = [a for a in articles if a.id.startswith("002")]
    assert ("Witkov", "Witkoff") in verdicts[spun.id].spin.garbled_names
    for article in articles:  # 001's pitch and comment widget are not "heavy"
        assert BOILERPLATE_HEAVY not in verdicts[article.id].flags
        assert TRUNCATED not in verdicts[article.id].flags


def test_in_the_demo_corpus_exactly_the_spun_copies_are_machine_translated() -> None:
    expected = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
    articles = {a.id: a for a in read_and_prepare([DEMO])}
    spun = {relation["copy"] for relation in expected["spun"]}
    flagged = set()
    for members in expected["events"].values():
        verdicts = assess_quality([articles[i] for i in members])
        flagged |= {i for i, verdict in verdicts.items() if MACHINE_TRANSLATED in verdict.flags}
    assert flagged == spun


# --- wiring: flags reach the report and the store, once -----------------------------

def test_analysis_stores_the_flags_and_a_second_run_does_not_repeat_them(
    tmp_path: Path,
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for key, (title, text) in STORY.items():
        (inputs / f"{key}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    db = tmp_path / "story.db"
    first = analyze([inputs], db=db, timestamp=False)
    again = analyze([inputs], db=db, timestamp=False)
    for report in (first, again):
        flags = {a["id"]: a["flags"] for a in report.articles}
        assert flags["spun"].count(MACHINE_TRANSLATED) == 1
        assert MACHINE_TRANSLATED not in flags["original"]
    with Store.open(db) as store:
        [stored] = store.get_articles(["spun"])
    assert stored.flags.count(MACHINE_TRANSLATED) == 1
