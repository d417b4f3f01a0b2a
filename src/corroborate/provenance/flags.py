"""Article flags: what provenance says about a copy, and what the text itself shows.

Copy flags, set by `apply_flags` from provenance edges and attribution cues:

- `republished`: the target of a directed verbatim edge (an undirected edge's target
  is only the later id, so it says nothing); and an article that tells an unnamed
  source's words as given to another outlet ("a senior official told the Guardian",
  see `attribution._first_hand`) while its own, known outlet is a different one: the
  words were that outlet's reporting.
- `syndicated`: both ends of a syndicated edge, and every article that credits its
  copy to another outlet or says it comes from an agency feed.

Text flags, per article (`quality.quality_flags` gives them with the story-level
`machine-translated` flag, whose per-article cues are here too: translation artefacts,
capitalised common words, unknown words, a spinner's headline):

- `boilerplate-heavy`: the furniture the cleaner removed outweighs the article.
- `truncated`: the text stops mid-sentence or ends on a cut marker ("…", "[...]",
  "Read more"). The cleaning step sets it too, for texts cut at the length limit.

Flags the cleaning step already set are kept and never repeated (`Article.add_flag`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from wordfreq import zipf_frequency

from corroborate.clean.text import ends_sentence
from corroborate.model import Article, ProvenanceEdge, ProvenanceKind
from corroborate.provenance.attribution import ArticleCues
from corroborate.provenance.quality_cues import (
    ALWAYS_CAPITALISED,
    BRACKET_SPLICE,
    CUT_ENDING,
    MINOR_TITLE_WORDS,
    RUN_TOGETHER,
    SIGN_OFF,
)

REPUBLISHED = "republished"
SYNDICATED = "syndicated"
MACHINE_TRANSLATED = "machine-translated"
BOILERPLATE_HEAVY = "boilerplate-heavy"
TRUNCATED = "truncated"

# Furniture is "heavy" when the removed characters reach this multiple of the kept
# text's: the page showed more furniture than article. Removed lines are no measure
# (an HTML menu is one line per item): summit-01, an original on a newspaper's page,
# loses 25 lines. Measured on the seeds and the demo corpus, removed/kept characters
# run from 0 to 0.63 (scraper copies 0.40-0.63, newspapers' own pages 0.33-0.41, seed
# 001's donation pitch and comment widget, 19 lines, 0.21): no page there is mostly
# furniture, and no ratio below 1 separates scrapers from newspapers, so none is
# flagged. A short item on a page of related links and comments is.
BOILERPLATE_HEAVY_RATIO = 1.0
# The cleaner's own note on a cut text is not furniture.
_CUT_NOTE_PREFIX = "[truncated:"
# A last paragraph without end punctuation is a cut sentence when it has at least this
# many words; a shorter one is a leftover label or subheading ("Tomorrow's summit"),
# and the paragraph before it is read instead.
MIN_CUT_WORDS = 6
# How many closing lines (sign-offs, labels) are looked past to find the last body
# paragraph: wire copies end with up to two credit lines and a dateline.
MAX_CLOSING_LINES = 4

# Cues of machine translation or spinning that one article shows by itself; the
# `machine-translated` flag weighs them with the story-level ones (`quality`).
# A word English hardly knows: a part of it below this Zipf frequency (typos, invented
# compounds: "Cerez-fire" 0).
ODD_WORD_ZIPF = 1.5
# A capitalised word mid-sentence is odd when its lower-case form is this common
# ("Resting" 3.9); rarer ones are names.
COMMON_WORD_ZIPF = 3.5
MIN_TITLE_WORDS = 5

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")


def apply_flags(
    articles: Sequence[Article], edges: Iterable[ProvenanceEdge],
    cues: Mapping[str, ArticleCues],
) -> None:
    by_id = {article.id: article for article in articles}
    for edge in edges:
        if edge.kind is ProvenanceKind.VERBATIM and edge.directed and edge.target in by_id:
            by_id[edge.target].add_flag(REPUBLISHED)
        elif edge.kind is ProvenanceKind.SYNDICATED:
            for end in (edge.source, edge.target):
                if end in by_id:
                    by_id[end].add_flag(SYNDICATED)
    for article in articles:
        article_cues = cues[article.id]
        if article_cues.carries_wire_copy:
            article.add_flag(SYNDICATED)
        if relays_other_outlet(article, article_cues):
            article.add_flag(REPUBLISHED)


def relays_other_outlet(article: Article, cues: ArticleCues) -> bool:
    """A first-hand "told <Outlet>" in an article whose own outlet is another one.

    Own-outlet mentions were already dropped by `read_cues`, so any first-hand "told"
    left names a different outlet.
    """
    return bool(article.outlet) and any(a.own_voice for a in cues.attributions)


def is_boilerplate_heavy(article: Article) -> bool:
    removed = sum(len(line) for line in article.removed if not line.startswith(_CUT_NOTE_PREFIX))
    return bool(article.text) and removed >= BOILERPLATE_HEAVY_RATIO * len(article.text)


def looks_truncated(article: Article) -> bool:
    """The text ends on a cut marker, or its last body paragraph stops mid-sentence.

    Closing lines that end without a full stop (a wire sign-off, a credit line, a
    dateline, a short label) are looked past first.
    """
    paragraphs = [p.strip() for p in article.text.split("\n") if p.strip()]
    if paragraphs and CUT_ENDING.search(paragraphs[-1]):
        return True
    for paragraph in paragraphs[::-1][:MAX_CLOSING_LINES + 1]:
        if SIGN_OFF.match(paragraph):
            continue
        if CUT_ENDING.search(paragraph):
            return True
        if ends_sentence(paragraph):
            return False
        if len(paragraph.split()) >= MIN_CUT_WORDS:
            return True
    return False


def unknown_word(word: str) -> bool:
    """A lower-case word or a hyphenated compound with a part English hardly knows
    (a capitalised single word is a name, which the name check reads)."""
    parts = word.split("-")
    if word[0].isupper() and len(parts) == 1:
        return False
    return min(zipf_frequency(p, "en") for p in parts) < ODD_WORD_ZIPF


def capitalised_common_words(article: Article, entity_words: set[str]) -> list[str]:
    """Common words capitalised on their own in the middle of a sentence: "the
    country's anti-aggressive Resting, which" (a translation keeping a source noun's
    capital). Names the entity step found (`entity_words`, lower case) are not."""
    found = []
    for span in article.sentences:
        text = article.text[span.start:span.end]
        words = list(WORD.finditer(text))
        for before, word, after in zip(words, words[1:], [*words[2:], None], strict=False):
            plain = _POSSESSIVE.sub("", word.group())
            if (_capital_mid_sentence(text, before, word, after) and _plain_word(plain)
                    and plain.lower() not in entity_words
                    and zipf_frequency(plain.lower(), "en") >= COMMON_WORD_ZIPF):
                found.append(plain)
    return found


def _capital_mid_sentence(
    text: str, before: re.Match[str], word: re.Match[str], after: re.Match[str] | None,
) -> bool:
    """Capitalised right after a lower-case word and a plain space (after a quote mark,
    colon, bracket or ellipsis a capital is normal), not in a run of capitalised words
    (a name), not before a number ("Number 10")."""
    return (word.group()[0].isupper() and before.group()[0].islower()
            and text[before.end():word.start()] == " "
            and (after is None or not after.group()[0].isupper())
            and not text[word.end():word.end() + 2].strip()[:1].isdigit())


def _plain_word(word: str) -> bool:
    """Not an acronym, a compound, a contraction, or a word capitalised by rule."""
    return (len(word) >= 3 and not word.isupper() and not any(c in word for c in "-'’")
            and word.lower() not in ALWAYS_CAPITALISED)


def translation_artefacts(text: str) -> list[str]:
    """Snippets around sentences run together and lower-case bracketed insertions
    followed by a capital, one per place."""
    spans = sorted({m.start(): m.end() for p in (RUN_TOGETHER, BRACKET_SPLICE)
                    for m in p.finditer(text)}.items())
    return [_snippet(text, start, end) for start, end in spans]


def _snippet(text: str, start: int, end: int, context: int = 12) -> str:
    return "…" + text[max(0, start - context):end + context].replace("\n", " ") + "…"


def spinner_headline(title: str | None) -> bool:
    """Every word capitalised, short function words too ("... As Thousands Of ...")."""
    words = WORD.findall(title or "")
    if len(words) < MIN_TITLE_WORDS:
        return False
    minor = [w for w in words[1:] if w.lower() in MINOR_TITLE_WORDS]
    return bool(minor) and all(w[0].isupper() for w in words)
