"""Cue words for the claim matrix: denial, doubt and assertion, as data.

Where they came from: the usual vocabulary of news reports on disputed statements
(agency style guides' lists of speech verbs; the denial words that recur in fact-check
copy), checked against the seed story and the invented fixtures of tests/test_claims.py.
Words are compared with spaCy lemmas (lower case), phrases with the lower-cased
sentence text. Tuning so far: "wrong" was dropped from the denial adjectives (news
uses it for opinions: "it would be wrong for X to ..."); "questions" as a noun is not
a doubt cue ("serious questions remain over the plan" doubts nothing said); negated
existentials ("there was no leak") were added as denials after the seed story showed
them in the mouths of officials; "deny" with a person as object ("denied the town its
funding") deprives and is filtered in code, not here.
"""

from __future__ import annotations

# Verbs whose subject disputes what follows (their object or clause). Always cues.
DENIAL_VERBS = frozenset({
    "deny", "dispute", "refute", "rebut", "debunk", "contradict", "disavow", "discredit",
})
# Verbs that dispute only when their object is something said (a claim noun below) or
# a clause: "rejected the claims" is a denial, "rejected the proposal" a refusal.
REJECTION_VERBS = frozenset({"reject", "dismiss"})
# Adjectives and nouns that brand a statement untrue: "called the reports false",
# "the claims are fabricated", "described the claims as fiction".
DENIAL_WORDS = frozenset({
    "false", "fabricated", "untrue", "baseless", "groundless", "unfounded", "fake", "bogus",
    "fictitious", "inaccurate", "fiction", "fabrication", "lie", "lying", "hoax",
    "disinformation", "misinformation", "nonsense",
})
# Denial words that are verbs of the accused: in "X is lying" or "fabricated by X",
# X made the disputed claim; the holder of the denial is whoever says so.
BRANDING_VERBS = frozenset({"lie", "fabricate"})
# Multi-word denials, matched in the lower-cased sentence.
DENIAL_PHRASES = (
    "not accurate", "not true", "not the case", "no truth", "never happened",
    "did not happen", "didn’t happen", "didn't happen", "there was no", "there is no",
    "there were no", "there are no",
)
# Doubt rather than denial: the holder questions the statement without calling it false.
DOUBT_VERBS = frozenset({"question", "doubt"})
DOUBT_PHRASES = (
    "cast doubt", "casts doubt", "casting doubt", "raised questions", "raises questions",
    "raising questions", "no evidence", "little evidence", "without evidence",
    "could not be verified", "could not be independently verified", "unverified",
    "could not independently verify", "sceptical", "skeptical",
)
# Nouns that stand for something said; their possessor or "by" phrase names who said
# it ("the mayor's claims", "claims by the mayor and her deputy").
CLAIM_NOUNS = frozenset({
    "claim", "assertion", "allegation", "report", "accusation", "suggestion", "statement",
    "story", "rumour", "rumor", "account",
})
# Speech and assertion verbs: their subject states the clause they govern.
ASSERTION_VERBS = frozenset({
    "say", "tell", "write", "claim", "state", "insist", "assert", "allege", "argue", "add",
    "announce", "declare", "reiterate", "warn", "accuse", "suggest", "maintain", "report",
    "confirm", "describe", "post", "repeat", "stress", "emphasise", "emphasize", "urge",
    "acknowledge", "explain", "note",
})
# Clause markers that make a cue hypothetical: "if the council rejected the claims".
HYPOTHETICAL_MARKERS = frozenset({"if", "whether", "unless"})
# Pronouns a holder may be written as; they are resolved to a nearby named entity.
PERSONAL_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
# Head nouns of a phrase that can hold a stance (people and institutions). A subject
# outside this list that is not a named person, organisation or place ("the post",
# "no evidence", "the reports") is not a holder; the outlet then holds the stance.
HOLDER_NOUNS = frozenset({
    "analyst", "official", "source", "spokesperson", "spokesman", "spokeswoman", "staff",
    "military", "leadership", "expert", "blogger", "chief", "minister", "government",
    "army", "ministry", "president", "commander", "leader", "observer", "journalist",
    "investigator", "critic", "officer", "intelligence", "channel", "administration",
    "agency", "authority", "police", "prosecutor", "lawyer", "witness", "resident",
    "soldier", "diplomat", "envoy", "secretary", "lawmaker", "senator", "company", "firm",
    "campaign", "group", "party", "office", "council", "court", "media", "scientist",
    "researcher", "doctor", "commentator", "representative", "aide", "adviser", "advisor",
    "engineer", "worker", "employee", "union", "inspector", "activist", "protester",
    "regulator", "manager", "executive", "owner", "operator", "survivor", "relative",
})
# Subjects that never hold a stance themselves: expletives and relative pronouns
# (a relative pronoun is replaced by the noun its clause hangs on).
EMPTY_SUBJECTS = frozenset({"there", "it", "this", "that", "which", "what"})
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that"})
