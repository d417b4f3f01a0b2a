"""Cues of the text-quality flags, kept as data: what a cut-off ending, a sign-off line,
a translation artefact and a transliteration variant look like.

Written from how these things are worded in news pages (wire sign-offs, feed excerpts,
machine-translated and spun copies), not from one site's lines. `quality.py` and
`flags.py` hold the logic and the tuned thresholds.
"""

from __future__ import annotations

import re

# --- Truncation ---------------------------------------------------------------------

# The end of a text that was cut on purpose: an ellipsis (bare or bracketed, as feed
# excerpts end), or a link to the rest of the story left on the last line.
# Case-sensitive: a link label is capitalised, a sentence that ends "... to read more."
# is not a cut.
CUT_ENDING = re.compile(
    r"(?:\.\.\.|…|\[\s*(?:\.\.\.|…|&hellip;)\s*\]|\(\s*(?:\.\.\.|…)\s*\)|"
    r"\b(?:Read more|READ MORE|Continue reading|CONTINUE READING|Click here to read more|"
    r"Read the (?:full|whole|rest of the) (?:story|article)|Full story)\W*)$",
)

# Closing lines that legitimately end without a full stop, and that a cut text would
# not end with anyway: wire sign-offs ("(Reporting by ...; Editing by ...)"), credit
# lines ("With assistance from ...", "Additional reporting by ..."), a byline or a
# source line, a feed's "The post ... appeared first on ...", and datelines or update
# stamps. The check for a cut reads the paragraph before them.
_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
SIGN_OFF = re.compile(
    r"^(?:\(.{0,300}\)$"  # a whole paragraph in brackets: "(Reporting by ...)"
    r"|(?:with )?(?:additional |further )?(?:reporting|assistance|writing|editing|"
    r"research|contributions?) (?:by|from)\b"
    r"|(?:edited|compiled|written|produced|translated|reported) by\b"
    r"|by (?-i:[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3})(?:,.{0,60})?$"
    r"|(?:source|sources|photo|image|video|credit|credits|via)\s*:"
    r"|[—–-]{1,2}\s*\S.{0,40}$"  # "— AFP", "-- Reuters"
    r"|the post .{1,300} appeared first on\b"
    r"|(?:published|updated|posted|first published|last updated)\b.{0,60}$"
    r"|(?:[©@#]|\(c\)).{0,120}$"
    r"|.{0,120}\bcontributed to this (?:report|story|article)\b.*"
    # a dateline or a time stamp: "Kyiv, 14 March 2025", "March 14, 2025 10:30 GMT"
    r"|(?:[\w .'’-]{1,30},\s*)?(?:\d{1,2}\s+" + _MONTH + r"|" + _MONTH + r"\s+\d{1,2},?)"
    r"\s+\d{4}(?:,?\s*[-–—|]?\s*\d{1,2}[:.]\d{2}.{0,12})?$)",
    re.IGNORECASE,
)

# --- Translation artefacts ----------------------------------------------------------

# Sentences run together: a word, its full stop and the next sentence with no space
# ("... Peskov said.[Putin] He supports"). Two lowercase letters before the stop keep
# abbreviations ("U.S.", "p.m.") and initials out.
RUN_TOGETHER = re.compile(r"[a-z]{2}[.!?][\"”’]?(?=\[?[A-Z][a-z])")
# An editor's bracketed insertion that starts in lower case and is followed by a
# capitalised word: machine translation keeps the source's capital after the bracket
# ("[the Ukrainian troops] Put their arms down"); English editing writes "[they] put".
BRACKET_SPLICE = re.compile(r"\[[a-z][^\]\n]{0,80}\]\s+[A-Z][a-z]+")

# Words that are capitalised mid-sentence in correct English without being names.
ALWAYS_CAPITALISED = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "christmas",
    "easter", "web",
    "september", "october", "november", "december", "god", "internet", "parliament",
    "president", "minister", "prime", "secretary", "state", "government", "army",
    "council", "senate", "congress", "court", "party", "union", "mr", "mrs", "ms", "dr",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})

# --- Headlines ----------------------------------------------------------------------

# Short function words that headline styles (AP, Reuters, Bloomberg, most newspapers)
# keep in lower case even in title case. Article spinners capitalise every word
# ("... Tolvane As Thousands Of Individuals Escape").
MINOR_TITLE_WORDS = frozenset({
    "a", "an", "the", "and", "but", "or", "nor", "as", "at", "by", "for", "in", "of",
    "on", "to", "up", "via", "per",
})

# --- Names --------------------------------------------------------------------------

# Romanisations of one name differ in their vowels (Zelensky / Zelenskyy / Zelenskiy,
# Kiev / Kyiv, Hormozgan / Hormouzgan, Salahuddin / Salahaddin) and in a few consonant
# pairs (Cyrillic х, ж: kh / h, zh / j): applied in order, these folds and a vowel
# skeleton (each run of vowels one mark) make them one key. A spinner's garbles change
# consonants ("Witkoff" -> "Witkov", "Brill" -> "Bril") or drop a syllable ("Volodymyr"
# -> "Voldymir"), which the skeleton keeps. Doubled letters are not folded.
TRANSLITERATION_FOLDS: tuple[tuple[str, str], ...] = (("kh", "h"), ("zh", "j"), ("tz", "ts"))
VOWEL_RUN = re.compile(r"[aeiouy]+")

# One-letter endings that derive a word from a name (a demonym, a plural): "Velmora"
# and "Velmoran" are one name, not a misspelling of it. (Longer endings always derive.)
DERIVED_SUFFIXES = ("n", "s", "i")

# Entity labels whose words are names a spinner may garble.
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
