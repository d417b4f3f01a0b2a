"""Text-quality flags of one story's articles: `machine-translated` (spun or machine-
translated text), `boilerplate-heavy` and `truncated`.

`machine-translated` needs the other articles of the story, so the whole story is
assessed at once (`assess_quality`). An article earns points for each kind of evidence,
and is flagged when they reach `SPIN_THRESHOLD`:

- garbled names: a name word that is rare in the story and in English, and a near-
  misspelling of a name word other articles use ("Witkov" where others write
  "Witkoff"). Transliteration variants (Zelensky / Zelenskiy / Zelenskyy, Kiev / Kyiv)
  and derived forms (Velmora / Velmoran) are not garbled;
- word substitutions: sentences that align word for word with a sentence of another
  article of the story, where this article has a rarer word in place of a common one
  ("liquid" for "water", "barrage" for "dam"), many times over: what an article
  spinner does to an original that is in the story;
- translation artefacts: sentences run together ("said.[Putin] He"), a lowercase
  bracketed insertion followed by a capital ("[the troops] Put");
- odd words: words no other article of the story uses and English hardly knows
  ("Cerez-fire"); common words capitalised mid-sentence ("anti-aggressive Resting");
- a spinner's headline, every word capitalised ("... As Thousands Of Individuals").

The other two flags are per article (`flags.is_boilerplate_heavy`,
`flags.looks_truncated`).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from wordfreq import zipf_frequency

from corroborate.model import Article
from corroborate.provenance.flags import (
    BOILERPLATE_HEAVY,
    MACHINE_TRANSLATED,
    TRUNCATED,
    WORD,
    capitalised_common_words,
    is_boilerplate_heavy,
    looks_truncated,
    spinner_headline,
    translation_artefacts,
    unknown_word,
)
from corroborate.provenance.quality_cues import (
    DERIVED_SUFFIXES,
    NAME_LABELS,
    TRANSLITERATION_FOLDS,
    VOWEL_RUN,
)

# --- Scoring. Substitutions are strong evidence and flag alone; garbled names and
# translation artefacts are medium (each kind capped at two points, so names alone
# never flag: real stories have typos and rival romanisations of place names); odd
# words and the headline are weak. Tuned on the seed story (../shared/seeds) and the
# demo corpus (examples/demo): the machine-translated seed 002 scores 5.0 (two garbled
# names, two artefacts, two odd words), the three spun demo copies 4.5-5.5; every
# other article there scores at most 0.5. Checked for false alarms on ECB+
# (../shared/datasets/ecbplus, 772 real articles in 70 stories of the same event):
# none reaches the threshold, the highest scores 2.5 (two rival romanisations of
# Persian village names and an unknown word), and 98% score 1.0 or less.
SPIN_THRESHOLD = 3.0
SUBSTITUTION_POINTS = 3.0
NAME_POINTS, MAX_NAME_POINTS = 1.0, 2.0
ARTEFACT_POINTS, MAX_ARTEFACT_POINTS = 1.0, 2.0
ODD_WORD_POINTS, MAX_ODD_WORD_POINTS = 0.5, 1.0
TITLE_CASE_POINTS = 0.5

# --- Names.
# A name word is rare in English below this Zipf frequency (wordfreq; 3 = once per
# million words): "Witkov" 0, "Voldymir" 0, "Telar" 0, "Bril" 1.8, while common given
# names a spinner swaps in ("Thomas" 4.8, "Anna" 4.4) and "Kiev" (3.5) stay out.
NAME_RARE_ZIPF = 2.5
# A garbled spelling is one article's own; a spelling two articles use is a variant.
MAX_VARIANT_ARTICLES = 1
# The spelling it garbles is the story's: at least this many articles use it.
TWIN_MIN_ARTICLES = 2
# Name words shorter than this are not compared (initials, "Rel" / "Rell" are too
# short to tell a misspelling from another name).
MIN_NAME_LENGTH = 4
# Edit distance (with transpositions) of a misspelling: one edit in short words, two
# from five letters on ("Witkov" / "Witkoff", "Telar" / "Teller").
SHORT_NAME_EDITS, LONG_NAME_EDITS, LONG_NAME_FROM = 1, 2, 5

# --- Substitutions.
# Sentence pairs are compared when they share this share of their indexed words (a
# spinner leaves few: 0.3 missed a fifth of the spun demo sentences, 0.2 finds them and
# nothing more elsewhere), at most ALIGN_MAX_CANDIDATES partners per sentence, most
# shared words first (bounds the work on stories of hundreds of articles); aligned when
# difflib's ratio is at least ALIGN_MIN_RATIO; from VERBATIM_RATIO up the pair is a
# copy (no substitutions to count) and the next best partner is taken.
ALIGN_MIN_SHARED = 0.2
ALIGN_MAX_CANDIDATES = 25
ALIGN_MIN_RATIO = 0.4
VERBATIM_RATIO = 0.97
MIN_ALIGN_WORDS = 6
# Words this common ("the", "said") are not indexed: every sentence has them.
INDEX_MAX_ZIPF = 6.0
# A substitution counts when this article's word is rarer than the aligned one by at
# least this much Zipf: spinners pick rarer synonyms ("liquid" 4.4 for "water" 5.5).
RARER_MARGIN = 0.5
# Rarer substitutions per 100 words: 7.9-9.8 in the spun demo copies, at most 1.6 in
# every other demo article (an original against its spun copy: the copy's words are
# the rarer ones, not the original's) and 0.2 in the seeds. In ECB+ no article has more
# than 3, at rates up to 4.0 in very short texts: hence a minimum count as well.
SUBSTITUTION_RATE = 4.0
MIN_SUBSTITUTIONS = 5

_NAME_PART = re.compile(r"[^\W\d_]+")
_EVIDENCE_ITEMS = 4


@dataclass(frozen=True, slots=True)
class SpinEvidence:
    """What makes an article look machine-translated or spun, and its score."""

    garbled_names: tuple[tuple[str, str], ...] = ()  # (spelling here, the story's spelling)
    substitutions: tuple[tuple[str, str], ...] = ()  # (word here, word it replaces)
    substitution_rate: float = 0.0  # rarer substitutions per 100 words
    artefacts: tuple[str, ...] = ()
    odd_words: tuple[str, ...] = ()  # unknown words and capitalised common words
    title_case: bool = False

    @property
    def substituted(self) -> bool:
        return (len(self.substitutions) >= MIN_SUBSTITUTIONS
                and self.substitution_rate >= SUBSTITUTION_RATE)

    @property
    def score(self) -> float:
        return (min(MAX_NAME_POINTS, NAME_POINTS * len(self.garbled_names))
                + (SUBSTITUTION_POINTS if self.substituted else 0.0)
                + min(MAX_ARTEFACT_POINTS, ARTEFACT_POINTS * len(self.artefacts))
                + min(MAX_ODD_WORD_POINTS, ODD_WORD_POINTS * len(self.odd_words))
                + (TITLE_CASE_POINTS if self.title_case else 0.0))

    @property
    def flagged(self) -> bool:
        return self.score >= SPIN_THRESHOLD

    def describe(self) -> str:
        """One line for logs and reports: 'score 5.0: garbled names Witkov (Witkoff); …'."""
        parts = []
        if self.garbled_names:
            parts.append("garbled names " + _listed(f"{v} ({t})" for v, t in self.garbled_names))
        if self.substituted:
            parts.append(f"{len(self.substitutions)} rarer words for common ones "
                         f"({self.substitution_rate:.1f} per 100 words), e.g. "
                         + _listed(f"{mine} for {theirs}" for mine, theirs in self.substitutions))
        if self.artefacts:
            parts.append("artefacts " + _listed(self.artefacts))
        if self.odd_words:
            parts.append("odd words " + _listed(self.odd_words))
        if self.title_case:
            parts.append("every headline word capitalised")
        return f"score {self.score:.1f}: " + ("; ".join(parts) or "no evidence")


@dataclass(frozen=True, slots=True)
class QualityVerdict:
    flags: tuple[str, ...]
    spin: SpinEvidence


def quality_flags(articles: Sequence[Article]) -> dict[str, list[str]]:
    """Article id -> the quality flags it earns in this story (ids with none left out).

    The flags are not applied; `assess_quality` also gives the evidence.
    """
    return {aid: list(v.flags) for aid, v in assess_quality(articles).items() if v.flags}


def assess_quality(articles: Sequence[Article]) -> dict[str, QualityVerdict]:
    """Every article of one story: its quality flags, and the evidence of spinning."""
    story = _StoryWords(articles)
    verdicts = {}
    for article in articles:
        spin = _spin_evidence(article, story)
        flags = [flag for flag, found in ((MACHINE_TRANSLATED, spin.flagged),
                                          (BOILERPLATE_HEAVY, is_boilerplate_heavy(article)),
                                          (TRUNCATED, looks_truncated(article))) if found]
        verdicts[article.id] = QualityVerdict(tuple(flags), spin)
    return verdicts


def _spin_evidence(article: Article, story: _StoryWords) -> SpinEvidence:
    substitutions = story.substitutions(article)
    words = max(1, len(WORD.findall(article.text)))
    return SpinEvidence(
        garbled_names=tuple(story.garbled_names(article)),
        substitutions=tuple(substitutions),
        substitution_rate=round(100 * len(substitutions) / words, 1),
        artefacts=tuple(translation_artefacts(article.text)),
        odd_words=tuple(story.odd_words(article)),
        title_case=spinner_headline(article.title),
    )


@dataclass(slots=True)
class _Sentence:
    article: str
    words: list[str]  # as written
    lower: list[str]


@dataclass(slots=True)
class _StoryWords:
    """The words of one story's articles, counted and indexed once for the comparisons
    above (linear in the story's size, but for the sentence alignment)."""

    articles: Sequence[Article]
    words: dict[str, set[str]] = field(default_factory=dict)  # article -> words as written
    using: Counter[str] = field(default_factory=Counter)  # word as written -> articles
    using_lower: Counter[str] = field(default_factory=Counter)
    names: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # (word, role)
    naming: Counter[tuple[str, str]] = field(default_factory=Counter)  # (word, role) -> articles
    # Spellings the story uses (TWIN_MIN_ARTICLES), by first letter and role.
    common_names: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    sentences: list[_Sentence] = field(default_factory=list)
    sentences_of: dict[str, list[int]] = field(default_factory=dict)
    index: dict[str, list[int]] = field(default_factory=dict)  # word -> sentence numbers

    def __post_init__(self) -> None:
        for article in self.articles:
            self.words[article.id] = words = set(WORD.findall(article.text))
            self.using.update(words)
            self.using_lower.update({w.lower() for w in words})
            self.names[article.id] = names = _name_words(article)
            self.naming.update(names)
            self.sentences_of[article.id] = []
            for span in article.sentences:
                found = WORD.findall(article.text[span.start:span.end])
                self._add_sentence(_Sentence(article.id, found, [w.lower() for w in found]))
        for word, role in self.naming:
            if self.using[word] >= TWIN_MIN_ARTICLES:
                self.common_names.setdefault((word[0], role), []).append(word)

    def _add_sentence(self, sentence: _Sentence) -> None:
        number = len(self.sentences)
        self.sentences.append(sentence)
        self.sentences_of[sentence.article].append(number)
        for word in _indexed(sentence.lower):
            self.index.setdefault(word, []).append(number)

    # -- garbled names

    def garbled_names(self, article: Article) -> list[tuple[str, str]]:
        own = self.names[article.id]
        found: dict[str, str] = {}
        for word, role in sorted(own):
            if (word in found or zipf_frequency(word, "en") >= NAME_RARE_ZIPF
                    or self.using[word] > MAX_VARIANT_ARTICLES):
                continue
            twin = self._twin(word, role, own)
            if twin is not None:
                found[word] = twin
        return sorted(found.items())

    def _twin(self, word: str, role: str, own: set[tuple[str, str]]) -> str | None:
        """The story's spelling this word misspells, if another article names someone
        so: the nearest, then the most used."""
        best: tuple[int, int, str] | None = None
        for other in self.common_names.get((word[0], role), ()):
            if self.naming[other, role] <= ((other, role) in own) or not _misspells(word, other):
                continue
            key = (_edits(word.lower(), other.lower()), -self.using[other], other)
            best = key if best is None or key < best else best
        return None if best is None else best[2]

    # -- substitutions

    def substitutions(self, article: Article) -> list[tuple[str, str]]:
        found = []
        for number in self.sentences_of[article.id]:
            sentence = self.sentences[number]
            if len(sentence.words) < MIN_ALIGN_WORDS:
                continue
            partner = self._aligned(sentence)
            if partner is not None:
                found.extend(_rarer_swaps(sentence, partner))
        return found

    def _aligned(self, sentence: _Sentence) -> _Sentence | None:
        """The best-aligned sentence of another article, copies of it aside."""
        indexed = set(_indexed(sentence.lower))
        least = max(2.0, ALIGN_MIN_SHARED * len(indexed))
        shared = Counter(n for word in indexed for n in self.index.get(word, ())
                         if self.sentences[n].article != sentence.article)
        best, best_ratio = None, ALIGN_MIN_RATIO
        for number, count in shared.most_common(ALIGN_MAX_CANDIDATES):
            if count < least:
                break
            other = self.sentences[number]
            matcher = difflib.SequenceMatcher(None, sentence.lower, other.lower,
                                              autojunk=False)
            if matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if best_ratio <= ratio < VERBATIM_RATIO:
                best, best_ratio = other, ratio
        return best

    # -- odd words

    def odd_words(self, article: Article) -> list[str]:
        """Words of this article only: unknown to English, or common words capitalised
        mid-sentence (another article writing it capitalised makes it a name)."""
        own = self.words[article.id]
        entity_words = {w.lower() for w, _ in self.names[article.id]}
        unknown = [w for w in sorted(own)
                   if self.using_lower[w.lower()] <= 1 and w.lower() not in entity_words
                   and unknown_word(w)]
        capitalised = [w for w in capitalised_common_words(article, entity_words)
                       if self.using[w] <= (w in own)]
        return list(dict.fromkeys(unknown + capitalised))


def _name_words(article: Article) -> set[tuple[str, str]]:
    """Name words of the article's entity mentions with their role: `first` in a
    several-word name, `last` otherwise (a surname, a single-word name)."""
    found = set()
    for mention in article.entities:
        if mention.label not in NAME_LABELS:
            continue
        # Acronyms (IRNA, ISNA) are not spellings of each other.
        parts = [p for p in _NAME_PART.findall(mention.text)
                 if p[0].isupper() and not p.isupper()]
        for i, part in enumerate(parts):
            if len(part) >= MIN_NAME_LENGTH:
                found.add((part, "first" if i == 0 and len(parts) > 1 else "last"))
    return found


def _misspells(word: str, other: str) -> bool:
    if word == other or word[0] != other[0]:
        return False
    one, two = word.lower(), other.lower()
    if _folded(one) == _folded(two) or _derived(one, two) or _derived(two, one):
        return False
    shortest = min(len(one), len(two))
    limit = LONG_NAME_EDITS if shortest >= LONG_NAME_FROM else SHORT_NAME_EDITS
    return abs(len(one) - len(two)) <= limit and _edits(one, two) <= limit


def _folded(word: str) -> str:
    for old, new in TRANSLITERATION_FOLDS:
        word = word.replace(old, new)
    return VOWEL_RUN.sub("*", word)


def _derived(word: str, base: str) -> bool:
    """`word` is `base` with an ending: a known one ("Velmoran"), or any of two letters
    or more ("Browner" is not "Brown" misspelt). One other letter is a garble ("Bril")."""
    ending = word[len(base):]
    return word.startswith(base) and (ending in DERIVED_SUFFIXES or len(ending) >= 2)


def _edits(one: str, two: str) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment)."""
    rows = [list(range(len(two) + 1))]
    for i, a in enumerate(one, 1):
        row = [i] + [0] * len(two)
        for j, b in enumerate(two, 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a != b))
            if i > 1 and j > 1 and a == two[j - 2] and one[i - 2] == b:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _indexed(words: list[str]) -> list[str]:
    return [w for w in words if len(w) >= 3 and zipf_frequency(w, "en") < INDEX_MAX_ZIPF]


def _rarer_swaps(sentence: _Sentence, partner: _Sentence) -> list[tuple[str, str]]:
    """Words (one or two) this sentence has where the aligned one has commoner words.
    Capitalised words are left out: names are compared apart."""
    matcher = difflib.SequenceMatcher(None, sentence.lower, partner.lower, autojunk=False)
    swaps = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace" or i2 - i1 > 2 or j2 - j1 > 2:
            continue
        if any(w[0].isupper() for w in sentence.words[i1:i2]):
            continue
        mine, theirs = sentence.lower[i1:i2], partner.lower[j1:j2]
        if _rarest(mine) <= _rarest(theirs) - RARER_MARGIN:
            swaps.append((" ".join(mine), " ".join(theirs)))
    return swaps


def _rarest(words: list[str]) -> float:
    return min(zipf_frequency(w, "en") for w in words)


def _listed(items: Iterable[str]) -> str:
    listed = list(items)
    more = f" and {len(listed) - _EVIDENCE_ITEMS} more" if len(listed) > _EVIDENCE_ITEMS else ""
    return ", ".join(listed[:_EVIDENCE_ITEMS]) + more
