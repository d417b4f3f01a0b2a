"""Non-English articles are stored, marked and reported, and kept out of the English-only
analysis (entities, quotes, stories)."""

from __future__ import annotations

import shutil
from pathlib import Path

from corroborate import analyze

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"

GERMAN = """Hochwasser in Tolvane: Damm bricht nach tagelangem Regen

Nach dem Bruch des Lanmoor-Damms stehen weite Teile der Stadt Tolvane unter Wasser. Die
Innenministerin sagte am Mittwoch, dass die Rettungskräfte die ganze Nacht gearbeitet
haben und dass noch immer neun Menschen vermisst werden.

Die Behörden haben die Bewohner aufgefordert, nicht in ihre Häuser zurückzukehren, bis
Ingenieure den Rest des Damms geprüft haben.
"""


def test_a_german_article_is_stored_marked_and_reported_outside_the_stories(
        tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("dam-01-original.txt", "dam-03-wire.txt"):
        shutil.copy(DEMO / name, inputs / name)
    (inputs / "hochwasser.txt").write_text(GERMAN, encoding="utf-8")
    report = analyze([inputs], db=tmp_path / "lang.db", timestamp=False)
    articles = {a["id"]: a for a in report.articles}
    german = articles["hochwasser"]
    assert german["language"] == "de"
    assert german["story"] is None
    assert german["entities"] == [] and german["quotes"] == []
    assert german["title"] == "Hochwasser in Tolvane: Damm bricht nach tagelangem Regen"
    assert all("hochwasser" not in s["articles"] for s in report.stories)
    assert articles["dam-01-original"]["language"] == "en"
    assert articles["dam-01-original"]["story"] is not None
    assert report.data["stats"]["cluster.skipped-language"] == 1
