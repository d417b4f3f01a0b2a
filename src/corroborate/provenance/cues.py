"""Data for provenance: news outlets and agencies, and the phrases that credit them.

Everything here is a heuristic kept as data (STYLE.md, habit 6). The outlet list is
hand-compiled from widely cited English-language outlets and the agencies whose
credit lines appear in wire copy; the phrase patterns were written from the
conventions news desks use for credit lines, datelines and attributions, and checked
on the five seed articles (every cue there is found, nothing else fires). There is no
labelled provenance dev set yet: when one exists, extend the lists from its misses.

Patterns are case-insensitive for the cue words and case-sensitive for names: news
text capitalises outlet names, and lowercase matches would hit ordinary words
("mint", "time", "independent").
"""

from __future__ import annotations

# Canonical name -> aliases as they appear in running text. A leading "the"/"The" is
# optional in text and need not be listed. Longer aliases win over their prefixes.
AGENCIES: dict[str, tuple[str, ...]] = {
    "Reuters": ("Reuters", "Thomson Reuters"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "Associated Press": ("Associated Press", "AP"),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "Interfax": ("Interfax",),
    "TASS": ("TASS", "Tass", "ITAR-TASS"),
    "RIA Novosti": ("RIA Novosti",),
    "Xinhua": ("Xinhua", "Xinhua News Agency"),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "EFE": ("EFE",),
    "ANSA": ("ANSA",),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap", "Yonhap News Agency"),
    "Press Trust of India": ("Press Trust of India", "PTI"),
    "ANI": ("ANI", "Asian News International"),
    "IANS": ("IANS",),
    "Ukrinform": ("Ukrinform",),
    "UNIAN": ("UNIAN",),
    "Anadolu": ("Anadolu", "Anadolu Agency"),
    "PA Media": ("PA Media", "Press Association"),
    "Australian Associated Press": ("Australian Associated Press", "AAP"),
    "The Canadian Press": ("Canadian Press",),
    "UPI": ("UPI", "United Press International"),
}

OUTLETS: dict[str, tuple[str, ...]] = {
    "The Guardian": ("Guardian",),
    "The Observer": ("Observer",),
    "The Mirror": ("Mirror", "Daily Mirror"),
    "Al Jazeera": ("Al Jazeera", "Al-Jazeera", "Aljazeera"),
    "Al Arabiya": ("Al Arabiya",),
    "The Washington Post": ("Washington Post",),
    "The New York Times": ("New York Times", "NYT"),
    "The Wall Street Journal": ("Wall Street Journal", "WSJ"),
    "Financial Times": ("Financial Times", "FT"),
    "BBC": ("BBC", "BBC News"),
    "CNN": ("CNN",),
    "Fox News": ("Fox News",),
    "NBC News": ("NBC News", "NBC"),
    "CBS News": ("CBS News", "CBS"),
    "ABC News": ("ABC News", "ABC"),
    "NPR": ("NPR",),
    "PBS": ("PBS",),
    "CNBC": ("CNBC",),
    "MSNBC": ("MSNBC",),
    "Politico": ("Politico", "POLITICO"),
    "Axios": ("Axios",),
    "Semafor": ("Semafor",),
    "Sky News": ("Sky News",),
    "ITV News": ("ITV News", "ITV"),
    "Channel 4 News": ("Channel 4 News",),
    "The Independent": ("Independent",),
    "The Telegraph": ("Telegraph", "Daily Telegraph"),
    "The Times": ("Times of London",),
    "Daily Mail": ("Daily Mail", "MailOnline"),
    "Daily Express": ("Daily Express",),
    "The Sun": ("Sun",),
    "Evening Standard": ("Evening Standard",),
    "The Economist": ("Economist",),
    "Newsweek": ("Newsweek",),
    "Time": ("Time magazine",),
    "USA Today": ("USA Today",),
    "Los Angeles Times": ("Los Angeles Times", "LA Times"),
    "New York Post": ("New York Post",),
    "The Hill": ("The Hill",),
    "The Atlantic": ("The Atlantic",),
    "The New Yorker": ("New Yorker",),
    "Forbes": ("Forbes",),
    "Business Insider": ("Business Insider",),
    "HuffPost": ("HuffPost", "Huffington Post"),
    "Vox": ("Vox",),
    "ProPublica": ("ProPublica",),
    "The Conversation": ("The Conversation",),
    "Voice of America": ("Voice of America", "VOA"),
    "Radio Free Europe/Radio Liberty": ("Radio Free Europe/Radio Liberty", "RFE/RL",
                                        "Radio Free Europe", "Radio Liberty"),
    "Deutsche Welle": ("Deutsche Welle", "DW"),
    "France 24": ("France 24",),
    "Euronews": ("Euronews",),
    "Le Monde": ("Le Monde",),
    "Der Spiegel": ("Der Spiegel", "Spiegel"),
    "Bild": ("Bild",),
    "The Irish Times": ("Irish Times",),
    "Irish Independent": ("Irish Independent",),
    "RTÉ": ("RTÉ", "RTE"),
    "TheJournal.ie": ("TheJournal.ie", "The Journal"),
    "Kyiv Independent": ("Kyiv Independent",),
    "Kyiv Post": ("Kyiv Post",),
    "Ukrainska Pravda": ("Ukrainska Pravda",),
    "Meduza": ("Meduza",),
    "Kommersant": ("Kommersant",),
    "Izvestia": ("Izvestia",),
    "Novaya Gazeta": ("Novaya Gazeta",),
    "The Moscow Times": ("Moscow Times",),
    "RT": ("RT", "Russia Today"),
    "Sputnik": ("Sputnik",),
    "Haaretz": ("Haaretz",),
    "The Times of Israel": ("Times of Israel",),
    "South China Morning Post": ("South China Morning Post", "SCMP"),
    "Nikkei Asia": ("Nikkei Asia", "Nikkei"),
    "The Hindu": ("The Hindu",),
    "Business Standard": ("Business Standard",),
    "Hindustan Times": ("Hindustan Times",),
    "The Times of India": ("Times of India",),
    "Mint": ("Mint", "Livemint", "Live Mint"),
    "CBC News": ("CBC News", "CBC"),
    "The Sydney Morning Herald": ("Sydney Morning Herald",),
}

# Final words of an ORG entity that make it a news organisation even when it is not
# listed above ("the Riverside Times", "Northport Daily News").
ORG_OUTLET_SUFFIXES = frozenset({
    "News", "Post", "Times", "Agency", "Wire", "Press", "Journal", "Herald", "Tribune",
    "Telegraph", "Gazette", "Chronicle", "Courier", "Observer", "Dispatch", "Bulletin",
    "Daily", "Magazine", "Radio", "TV", "Television", "Broadcasting", "Newswire",
    "Newspaper",
})
# Left out on purpose: "Mail", "Express", "Standard" ("Royal Mail", "American Express",
# "Standard Chartered" are no outlets; the outlets among them are listed by name).

# A name that is not an outlet is still one when the text calls it a news agency
# ("the Foo news agency"); and "the state news agency Xinhua" names a listed one
# after the description.
NEWS_AGENCY_TAIL = r"\s+news\s+agency"
NEWS_AGENCY_HEAD = r"(?:[Tt]he\s+)?(?:[a-z-]+\s+){0,2}news\s+agency,?\s+"

# Attribution cues are matched on the lowercased text and start with a literal word:
# the regex engine then jumps between occurrences of that word instead of trying every
# position, which on article-length texts is some fifty times faster. (The word
# boundary before the cue is checked in code.)

# Cue words after which an outlet is named as the source of a quote or a report.
# (label, regex); the name must follow directly, with an optional "the".
NAME_AFTER_CUES: tuple[tuple[str, str], ...] = (
    ("told", r"told"),
    ("according to", r"according\s+to"),
    ("reported by", r"reported\s+by"),
    ("citing", r"citing"),
    ("quoted by", r"quoted\s+by"),
    ("interview with", r"interview\s+with"),
    ("speaking to", r"speaking\s+to"),
    ("said to", r"said\s+to"),
    ("additional reporting", r"additional\s+reporting\s+(?:from|by)"),
)

# Cue words before which an outlet is named ("the Washington Post reported").
NAME_BEFORE_CUES: tuple[tuple[str, str], ...] = (
    ("reported", r"report(?:ed|s)\b"),
    ("said in a report", r"said\s+in\s+a\s+report\b"),
)
# Words that may stand between the name and such a cue ("Reuters first reported").
BEFORE_CUE_FILLERS: tuple[str, ...] = ("first", "had", "has", "have", "earlier", "also")

# Line cues. Each pattern is case-insensitive and runs on one line at a time, and only
# on the lines that contain its trigger (a lowercase literal every match contains):
# most articles have no credit line, so most patterns never run.

# Credit lines: the article's copy itself comes from the named outlet, whose name
# follows the pattern. Matched in the text and in the lines the cleaner removed
# (credit lines often end up there). (label, trigger, regex)
CREDIT_CUES: tuple[tuple[str, str, str], ...] = (
    ("credit line", ":", r"^\s*(?:source|courtesy(?:\s+of)?|via)\s*:\s*"),
    ("copyright", "©", r"©\s*(?:\d{4}\s+)?"),
    ("copyright", "copyright", r"\bcopyright\s+(?:\d{4}\s+)?"),
    ("provided by", "provided", r"\bprovided\s+by\s+"),
    ("supplied by", "supplied", r"\bsupplied\s+by\s+"),
    ("distributed by", "distributed", r"\bdistributed\s+by\s+"),
    ("syndicated by", "syndicated", r"\bsyndicated\s+by\s+"),
    ("originally published", "originally",
     r"\boriginally\s+(?:published|appeared)\s+(?:in|on|by|at)\s+"),
    ("first published", "first", r"\bfirst\s+(?:published|appeared)\s+(?:in|on|by|at)\s+"),
    ("republished from", "republished",
     r"\brepublished\s+(?:from|with\s+permission\s+(?:from|of))\s+"),
)

# Credit lines and republication notes are short lines of their own; a longer line
# that says "first published in" is narrative ("the study, first published in 2019").
CREDIT_LINE_MAX_WORDS = 30

# House credit lines that name no outlet but belong to one: Bloomberg ends its wire
# stories with "With assistance from <reporters>"; Reuters signs off with
# "Reporting by <names>; Editing by <names>". (label, trigger, regex, outlet)
HOUSE_CREDIT_LINES: tuple[tuple[str, str, str, str], ...] = (
    ("With assistance from", "assistance", r"^\s*with\s+assistance\s+from\b", "Bloomberg"),
    ("Reporting by …; Editing by", "editing", r"\breporting\s+by\s+[^;]+;.*\bediting\s+by\b",
     "Reuters"),
)

# Statements that the text is an unedited agency or syndication feed (no name given).
# (trigger, regex)
FEED_STATEMENTS: tuple[tuple[str, str], ...] = (
    ("feed", r"\b(?:automated|syndicated|wire|agency)\s+(?:news\s+)?(?:agency\s+)?feed\b"),
    ("auto-generated", r"\bauto-generated\s+from\b"),
    ("edited by", r"\bnot\s+been\s+edited\s+by\b.{0,40}\bstaff\b"),
)

# Notes a republishing site leaves: a link back to the source, "originally published".
# (trigger, regex), matched in the text and in the removed lines.
REPUBLICATION_NOTES: tuple[tuple[str, str], ...] = (
    ("link", r"^\s*(?:source|original)\s+link\s*:?\s*$"),
    ("article", r"^\s*(?:source|original)\s+article\s*:?\s*$"),
    ("originally", r"\boriginally\s+(?:published|appeared)\b"),
    ("first", r"\bfirst\s+(?:published|appeared)\s+(?:in|on|by|at)\b"),
    ("republished", r"\brepublished\b"),
    ("original", r"\bread\s+the\s+original\s+(?:article|story)\b"),
)

# "KYIV (Reuters) -", "WASHINGTON (AP) —": a place in capitals or title case, the
# agency in brackets, then a dash, at the start of a paragraph. Case-sensitive.
DATELINE_TRIGGER = "("
DATELINE = r"(?m)^[ \t]*[A-Z][^\n()]{0,60}?\((?P<name>[A-Z][^()\n]{0,40})\)\s*[-–—]"

# "told <Outlet>" is taken as the article's own reporting only when the speaker is
# unnamed ("one senior official told the Guardian"): other outlets relay a named
# figure's interview in the same words ("he told The Mirror", "Lammy told the BBC"),
# but rarely an anonymous source without "according to". A PERSON entity within this
# many characters before "told", or one of these pronouns right before it, names the
# speaker. Written from the seeds (one case each way); no dev set yet.
SPEAKER_WINDOW_CHARS = 60
SPEAKER_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})

# Words in the same sentence that make "told <Outlet>" second-hand ("told the Mirror,
# according to ...", "... told the Guardian, the paper reported"): the writer is
# relaying another outlet's interview, not narrating their own.
SECOND_HAND_MARKERS = (
    r"(?i)\b(?:according\s+to|reported|reports|reportedly|cited|citing|quoted|quoting"
    r"|in\s+an\s+interview\s+(?:published|aired|broadcast))\b"
)
