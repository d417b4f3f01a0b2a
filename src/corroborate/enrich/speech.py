"""Word lists for finding who said what: speech verbs, cue phrases, roles, titles.

These are heuristics kept as data (STYLE.md, habit 6). They start from the
attribution conventions of English-language wire and newspaper copy (AP/Reuters
house style: "said" after the quote, a role before the name, "according to" for a
secondary source). The lists were first tuned on PolNeAR dev and the demo corpus;
the indirect-speech cues and the constants added for issue 6 were tuned on PolNeAR
train only (`bench/quotes.py --split train`), dev being the gate. Which other words
cue an attribution is learned from PolNeAR train (`quote_cues`, `quote_cue_rates`).
Words were added when quotes lost their speaker for a word-list reason ("boast",
"laud", "rebuke"; speech nouns such as "Putin's claim") and removed when they gave
wrong speakers ("conclude", "maintain" in "talks conclude", "does not maintain a
“choke hold”"). Scores are in `tests/test_quotes_gate.py`. Lemmas are spaCy lemmas,
lower case.
"""

from __future__ import annotations

# Verbs that introduce a direct quote ("…,” she said"; "he wrote: “…”"), and verbs
# that characterise someone's words ("rebuked it as “manipulative”", "praised him for
# “doing everything”"): the quoted words are the subject's.
SPEECH_VERBS = frozenset({
    "say", "tell", "write", "add", "state", "tweet", "post", "warn", "insist", "argue",
    "announce", "ask", "urge", "continue", "reiterate", "explain", "note", "declare",
    "respond", "reply", "remark", "comment", "acknowledge", "admit", "confirm", "stress",
    "emphasise", "emphasize", "claim", "predict", "recall", "complain", "clarify",
    "vow", "promise", "caution", "demand", "testify", "assert", "allege", "deny",
    "counter", "quip", "joke", "shout", "suggest", "point", "describe", "call",
    "dismiss", "brand", "label", "rebuke", "hail", "praise", "condemn", "criticise",
    "criticize", "accuse", "refer", "express", "pledge", "threaten", "repeat", "boast",
    "laud", "concede", "exclaim", "proclaim", "retort", "scoff", "tout", "observe",
    "muse", "lament", "charge", "mock", "blast", "slam",
})

# Speech verbs that are something else when they take a direct object ("adding
# doubts", "continued the talks", "posted a video", "pointed a gun", "noted the date").
NOT_SPEECH_WITH_OBJECT = frozenset({
    "add", "continue", "post", "point", "note", "repeat", "call", "refer", "charge",
    "observe",
})

# Nouns that carry someone's words when their owner is named ("Putin’s claim that
# “…”", "an appeal by Trump to save “thousands”"). They only claim a quotation the
# parse attaches to them; they never introduce one on their own.
SPEECH_NOUNS = frozenset({
    "claim", "appeal", "statement", "remark", "comment", "word", "warning", "plea",
    "message", "post", "promise", "demand", "accusation", "assertion", "insistence",
    "pledge", "vow", "threat", "tweet", "call", "description", "assessment",
})
AGENT_PREPOSITIONS = frozenset({"by", "from"})

# Verbs whose clausal complement is reported speech ("X said that …"). Stricter
# than SPEECH_VERBS: "continue", "ask", "urge", "post", "point", "describe", "suggest"
# take complements that are not statements ("asked whether", "urged them to").
INDIRECT_VERBS = frozenset({
    "say", "tell", "write", "add", "state", "tweet", "warn", "insist", "argue",
    "announce", "reiterate", "explain", "note", "declare", "acknowledge", "admit",
    "confirm", "stress", "emphasise", "emphasize", "claim", "predict", "clarify",
    "assert", "allege", "deny", "testify", "vow", "promise", "pledge",
})
# A reported clause opening with one of these is a relative clause misparsed as
# speech ("troops whom he said were surrounded"), not a statement.
WH_WORDS = frozenset({"what", "who", "whom", "which", "where", "when", "why", "how"})

# Who someone "told": kept in the cue ("told reporters"), never taken as the speaker.
TOLD_AUDIENCE_MAX_TOKENS = 4

# "said in a statement", "wrote in a post": the medium joins the cue.
MEDIUM_NOUNS = frozenset({
    "statement", "post", "interview", "address", "briefing", "conference", "tweet",
    "letter", "message", "speech", "video", "broadcast", "podcast", "email", "remark",
    "comment", "note", "release", "op-ed", "column",
})
MEDIUM_PREPOSITIONS = frozenset({"in", "on", "during"})

# Pronoun subjects and the kind of antecedent each may take. "they" is left out on
# purpose: plural antecedents (officials, analysts) are rarely named entities.
PERSON_PRONOUNS = frozenset({"he", "she"})
# Possessives read as their subject pronoun ("her remark that …" is what she said).
POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "its": "it"}
GROUP_PRONOUNS = frozenset({"it"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})

# How far back a pronoun looks for its antecedent, in sentences. News paragraphs are
# one to three sentences; beyond two paragraphs "he" has usually changed referent.
PRONOUN_LOOKBACK_SENTENCES = 6

# Head nouns of subjects that speak for an institution ("Ukrainian general staff
# wrote", "the defence ministry said"). The subject phrase becomes the speaker.
INSTITUTION_NOUNS = frozenset({
    "staff", "ministry", "army", "military", "government", "office", "department",
    "police", "council", "committee", "agency", "command", "administration", "cabinet",
    "parliament", "court", "embassy", "commission", "service", "presidency", "navy",
    "force", "forces", "party", "campaign", "company", "firm", "board", "leadership",
    "authority", "authorities",
})

# Heads that speak on behalf of the organisation named in front of them ("a Kremlin
# spokesman said" -> the Kremlin). A named person in the phrase always wins.
SPOKESPERSON_NOUNS = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "representative", "mouthpiece",
})

# Role heads that may be linked to a name given earlier in the article ("Ukrainian
# President Volodymyr Zelenskyy" … "the Ukrainian president said"). Linking needs a
# modifier as well ("Ukrainian president"), never a bare "the president".
ROLE_NOUNS = frozenset({
    "president", "minister", "secretary", "chancellor", "leader", "envoy", "spokesman",
    "spokeswoman", "spokesperson", "ambassador", "premier", "governor", "senator",
    "mayor", "chief", "general", "commander", "pope", "king", "queen", "prince",
    "monarch", "diplomat", "official", "counterpart", "head",
    "director", "adviser", "advisor", "ceo", "chairman", "chairwoman", "chair",
})
ROLE_MIN_WORDS = 2
# How many characters before a name are searched for the role that introduces it.
ROLE_CONTEXT_CHARS = 60

# Honorifics and titles stripped from names before matching them ("Mr Witkoff",
# "President Trump", "Sir Keir"). Lower case, without trailing dots.
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord",
    "lady", "president", "vice", "prime", "minister", "pm", "chancellor", "secretary",
    "senator", "sen", "rep", "representative", "gov", "governor", "mayor", "general",
    "gen", "col", "colonel", "lt", "captain", "capt", "admiral", "pope", "king", "queen",
    "prince", "princess", "cardinal", "archbishop", "bishop", "rev", "reverend",
    "father", "sheikh", "emir", "judge", "justice", "ambassador", "envoy", "spokesman",
    "spokeswoman", "spokesperson", "foreign", "defence", "defense", "interior", "deputy",
    "chief", "state", "special", "former", "acting", "speaker", "leader", "commander",
    "of", "the", "us", "uk", "eu", "un",
})

# Speaker-capable entity labels (spaCy). PERSON first: a person in the subject
# phrase is the speaker even when an organisation is named too.
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})
GROUP_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC"})
# Labels that mark a capitalised word as not a name ("Friday said" is no speaker).
# Other labels are kept open: the recogniser often tags a surname WORK_OF_ART.
NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT",
                            "QUANTITY"})

# Quotation marks. Straight marks are resolved from context (see quote_spans).
DOUBLE_OPEN = frozenset({"“", "„", "«"})
DOUBLE_CLOSE = frozenset({"”", "»"})
SINGLE_OPEN = frozenset({"‘"})
SINGLE_CLOSE = frozenset({"’"})
STRAIGHT_DOUBLE = '"'

# A single-quoted span shorter than this is a scare quote or a headline word
# ('spare'), not a statement; single quotes need this many words *and* a speech verb.
SINGLE_QUOTE_MIN_WORDS = 4
# A double-quoted fragment this short (“fiction”, “for”) is only attributed when a
# speech verb governs it in the parse; longer quotes may take the nearest verb.
FRAGMENT_MAX_WORDS = 3
# An unattributed quote right after an attributed one in the same paragraph takes
# its speaker (“A,” he said. “B.”) when no other sentence lies between them and at
# most this many words do: long appositions ("said X, a professor at … who …") run
# to 40 words in PolNeAR dev.
SPLIT_QUOTE_MAX_GAP_WORDS = 60
# How many arcs up from a quotation a learned cue may govern it ("blamed the law on
# “…”": two). Further up, the quotation belongs to a clause inside the cue's content.
GOVERNING_CUE_MAX_STEPS = 3
# Indirect speech shorter than this ("he said so") carries no content worth keeping.
INDIRECT_MIN_TOKENS = 3
# An object reported by a cue ("called the plan a disaster", "denied the report") needs
# this many words outside quotation marks: "denied it" reports nothing.
OBJECT_MIN_WORDS = 2
# A reported "clause" opening with one of these is a relative clause the parse hung on
# the cue ("troops whom he said were surrounded"), not what anyone said.
RELATIVE_WORDS = frozenset({"who", "whom", "which", "whose"})
# A subject phrase that describes an unnamed speaker ("a senior administration
# official") is kept as the speaker up to this length; longer ones carry clauses.
DESCRIBED_MAX_CHARS = 80
