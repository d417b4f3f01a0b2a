"""A small language guesser: writing system first, then common function words.

Good enough to tell English from other languages and to label the common European
ones; not a general-purpose identifier. Scripts with one dominant language (Greek,
Hebrew, Hangul, kana, Thai, Devanagari, Arabic, Han) are named from the script; texts in
Latin or Cyrillic script are scored by the share of their words that are function
words of each language (lists written for this module: articles, pronouns,
prepositions, conjunctions and auxiliaries, the words every text of the language has).

Thresholds: a text needs `MIN_WORDS` words to be judged. The function words of a
text's own language make 35-50% of English news prose but only 10-15% of German
technical or listing pages (measured on the trafilatura evaluation pages, ../shared),
while the best other list stays under ~8%; `MIN_SHARE` = 0.08 keeps the German pages
and still returns None for code, tables and languages without a list.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

MIN_WORDS = 12
# Scripts written without spaces (Han, kana, Thai) are judged on letters, not words.
MIN_LETTERS = 30
MIN_SHARE = 0.08
# Only the start of a long text is read: the language does not change midway.
SAMPLE_CHARS = 5000

STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the of and to in is was that for it with as on be at by this have from or "
              "had not are but were they which their has been would there we he she his "
              "her its will said an who after also than more about could into when what",
        "de": "der die das und ist nicht ein eine einen dem den des sich mit auf für von "
              "zu im auch es wird wurde sind sie ich wir nach bei aus oder aber wie noch "
              "nur über hat haben dass vor man werden kann zum zur",
        "fr": "le la les des du un une et est pas que qui dans pour sur au aux avec ce "
              "cette il elle ils sont ont été par plus mais ou se sa son ses leur nous vous "
              "être fait comme tout aussi très",
        "es": "el la los las del un una y es que en por con para se no su sus al como más "
              "pero fue son ha han este esta lo le ya muy también hay sobre entre desde "
              "cuando porque sin",
        "it": "il lo la gli le di del della dei delle un una e è che per con non si sono "
              "al alla nel nella come più ma anche ha hanno questo questa dal dalla tra "
              "stato essere gli cui",
        "pt": "o os a as do da dos das um uma e é que em no na nos nas por para com não se "
              "mais como mas foi são ao aos pelo pela também já está ser tem sobre quando "
              "muito entre",
        "nl": "de het een en is van op te dat niet met voor zijn er aan ook als bij maar om "
              "dan wordt werd door naar uit nog wel heeft hebben ze hij zij wat deze dit "
              "geen worden kunnen",
        "sv": "och att det som en ett är på av för med till den inte har om var de jag vi "
              "han hon men eller så kan från efter också sig vid nu skulle när denna detta "
              "inom",
        "pl": "i w na z się nie do że to jest o jak po co przez dla ale od jego jej są był "
              "była było tak ze być oraz już tylko może który która które również przy",
        "tr": "ve bir bu da de için ile olarak çok daha gibi olan en ama kadar sonra ne "
              "var değil ise her şey ancak olduğu tarafından ya veya mi",
        "ru": "и в не на что с он как это по но из у за от то же для так все его она было "
              "был были бы уже или о к только еще при также который которые",
        "uk": "і в не на що з він як це по але із у за від те же для так всі його вона "
              "було був були б вже або о до тільки ще при також який які та",
    }.items()
}

# Scripts that name their language (the most common one, for scripts shared by several).
_SCRIPT_LANGUAGE = {
    "GREEK": "el", "HEBREW": "he", "HANGUL": "ko", "THAI": "th", "DEVANAGARI": "hi",
    "ARABIC": "ar", "CJK": "zh",
}
_WORD = re.compile(r"[^\W\d_]+")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_OTHER_LETTER = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`'s language, or None when there is too little text or
    no language scores well enough."""
    sample = text[:SAMPLE_CHARS]
    script, letters = _dominant_script(sample)
    if script in _SCRIPT_LANGUAGE:
        if letters < MIN_LETTERS:
            return None
        return "ja" if script == "CJK" and _has_kana(sample) else _SCRIPT_LANGUAGE[script]
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < MIN_WORDS:
        return None
    return _by_stopwords(words)


def _by_stopwords(words: list[str]) -> str | None:
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in STOPWORDS.items()}
    lang, best = max(scores.items(), key=lambda item: item[1])
    return lang if best >= MIN_SHARE * len(words) else None


def _dominant_script(sample: str) -> tuple[str | None, int]:
    """The script most letters are written in, and how many letters it has. Latin
    letters are counted with one regex; only the others are looked up one by one."""
    latin = len(_LATIN_LETTER.findall(sample))
    counts: Counter[str] = Counter(_script_of(ch) for ch in _OTHER_LETTER.findall(sample))
    if latin:
        counts["LATIN"] += latin
    if not counts:
        return None, 0
    script, letters = counts.most_common(1)[0]
    return script, letters


def _script_of(ch: str) -> str:
    first = unicodedata.name(ch, "").split(" ", 1)[0]
    if first in ("HIRAGANA", "KATAKANA"):
        return "CJK"  # kana and Han together are Japanese; see _has_kana
    return first


def _has_kana(sample: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" for ch in sample)
