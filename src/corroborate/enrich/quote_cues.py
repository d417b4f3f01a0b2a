"""Which words cue an attribution, learned from PolNeAR train, and what they report.

A word cues an attribution when it reports what someone said, wrote, thought or
found ("said that …", "told reporters …", "the poll shows …", "proposed that …",
"Putin's claim that …"). Whether it does depends on the word and on what hangs on
it: "said" with a clause almost always does, "called" with an object often
("called the statement outlandish"), "announced" with an object sometimes. The
table `quote_cue_rates.CUE_RATES` holds, for each (lemma, complement) pair seen in
PolNeAR train, how often it was an annotated cue there (`bench/train_quote_cues.py`
writes it; the threshold below was chosen on train with `bench/quotes.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from corroborate.enrich.quote_cue_rates import CUE_RATES

if TYPE_CHECKING:
    from spacy.tokens import Token

# Dependents that carry reported content, most telling first, and the kind each is.
_COMPLEMENTS: tuple[tuple[str, str], ...] = (
    ("ccomp", "clause"), ("xcomp", "to"), ("dobj", "object"), ("acl", "clause"),
    ("prep", "prep"),
)
# Prepositions whose object is reported content ("spoke about the economy", "warned of
# a crisis", "called for a ban"); others ("in Ohio", "on Tuesday") are circumstances.
CONTENT_PREPOSITIONS = frozenset({"about", "of", "for", "on", "against", "that"})
# A (lemma, complement) pair is a cue when at least this share of its occurrences in
# PolNeAR train were annotated cues. Chosen on train (`bench/quotes.py --split train
# --limit 120`), content / source overlap F1 over all attributions: 0.3 -> 0.719 /
# 0.674, 0.4 -> 0.711 / 0.685, 0.55 -> 0.699 / 0.667; 0.4 also keeps more speakers
# right than 0.3. A stricter 0.6 for infinitives and prepositions cost 0.007 F1.
CUE_RATE_MIN = 0.4


def complement_of(token: Token, quoted: Callable[[Token], bool] | None = None
                  ) -> tuple[str, Token] | None:
    """The kind and head of the dependent carrying what `token` reports, if any."""
    for dep, kind in _COMPLEMENTS:
        for child in token.children:
            if child.dep_ != dep:
                continue
            if dep == "prep":
                if child.lower_ not in CONTENT_PREPOSITIONS:
                    continue
                obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
                if obj is None:
                    continue
                child = obj
            if quoted is not None and quoted(child):
                return "quoted", child
            return kind, child
    return None


def cue_key(token: Token, quoted: Callable[[Token], bool] | None = None
            ) -> tuple[str, str] | None:
    """(lemma, complement kind) of a verb or noun, the key of `CUE_RATES`."""
    if token.pos_ not in ("VERB", "NOUN"):
        return None
    found = complement_of(token, quoted)
    if found is None:
        return None
    lemma = token.lemma_.lower() if token.pos_ == "VERB" else token.lemma_.lower() + "/n"
    return lemma, found[0]


def is_cue(key: tuple[str, str]) -> bool:
    rate = CUE_RATES.get(key)
    return rate is not None and rate[0] >= CUE_RATE_MIN
