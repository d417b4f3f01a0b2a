"""The data model: one `Article` owns its cleaned text; everything else points into it.

Sentences, entity mentions and quotes are character-offset spans into `Article.text`.
A `Story` groups articles and holds what the cross-source analysis found; every item
it reports carries `Citation`s (article id, start, end) back into article texts, so a
reader can always jump from a claim in a report to the words that support it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class InputFormat(StrEnum):
    TEXT = "text"
    HTML = "html"


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range `[start, end)` into an article's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class EntityMention:
    start: int
    end: int
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, NORP, LOC, DATE, ...


@dataclass(frozen=True, slots=True)
class Quote:
    """A statement attributed to a speaker, as found in one article.

    `start`/`end` delimit the quoted content (without quotation marks);
    `speaker_start`/`speaker_end` the mention the speaker was resolved from, or None
    when the article does not name the speaker near the quote.
    """

    start: int
    end: int
    speaker: str | None
    speaker_start: int | None = None
    speaker_end: int | None = None
    direct: bool = True
    cue: str | None = None  # the speech verb or phrase ("said", "told reporters")


@dataclass(slots=True)
class Article:
    """One news article: its cleaned text and everything found in it.

    `raw` is the input as read (HTML or text); `text` is filled by the cleaning step.
    """

    id: str
    source: str
    raw: str = ""
    format: InputFormat = InputFormat.TEXT
    content_hash: str = ""
    text: str = ""
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    # When the page was archived or fetched (WARC-Date, HTTP fetch time), ISO 8601.
    # Not a publication date: only an upper bound on it.
    crawled: str | None = None
    author: str | None = None
    language: str | None = None
    removed: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    embedding: list[float] | None = None
    story: str | None = None

    def span_text(self, start: int, end: int) -> str:
        return self.text[start:end]

    @property
    def is_english(self) -> bool:
        """The English models apply: language detected as English, or unknown (too
        little text to tell, which the English pipeline handles no worse)."""
        return self.language in (None, "en")

    def add_flag(self, flag: str) -> None:
        if flag not in self.flags:
            self.flags.append(flag)

    def sentence_index_at(self, offset: int) -> int | None:
        """Index of the sentence containing `offset`, or None."""
        for i, sent in enumerate(self.sentences):
            if sent.start <= offset < sent.end:
                return i
        return None


@dataclass(frozen=True, slots=True)
class Citation:
    article: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "start": self.start, "end": self.end}


@dataclass(slots=True)
class StoryEntity:
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Citation] = field(default_factory=list)
    # Roles written beside the name ("Kremlin spokesman"), most frequent first.
    roles: list[str] = field(default_factory=list)


@dataclass(slots=True)
class StoryQuote:
    speaker: str | None  # canonical story entity name
    text: str
    article: str
    start: int
    end: int
    direct: bool
    speaker_start: int | None = None
    speaker_end: int | None = None
    # The article's own speaker string ("Zelensky", "the Ukrainian president"),
    # before it was resolved to the canonical `speaker`.
    speaker_text: str | None = None


@dataclass(slots=True)
class LedgerCarrier:
    """One article's quote of a ledger statement, with how it departs from it.

    `flags`: "altered" (a direct quote whose wording differs from the statement beyond
    punctuation, case, ellipsis and truncation) and "speaker-differs" (the article
    names another speaker than the statement's: possible misattribution).
    """

    article: str
    outlet: str | None
    published: str | None
    speaker: str | None
    speaker_text: str | None
    text: str
    start: int
    end: int
    speaker_start: int | None
    speaker_end: int | None
    direct: bool
    flags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LedgerEntry:
    """One statement of a story, as every outlet that carries it quotes it.

    `text` is its most common wording; `first` the earliest carrier (earliest published
    article, then position in the text); `flags` the union of the carriers' flags.
    """

    speaker: str | None
    text: str
    direct: bool
    first: Citation
    articles: list[str]
    outlets: list[str]
    carriers: list[LedgerCarrier]
    flags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Fact:
    """A proposition stated by several articles, with a citation in each."""

    text: str
    support: list[str]
    independent_support: int
    citations: list[Citation] = field(default_factory=list)


class Stance(StrEnum):
    ASSERTS = "asserts"
    DENIES = "denies"
    REPORTS = "reports"
    QUESTIONS = "questions"


class ClaimStatus(StrEnum):
    DISPUTED = "disputed"
    CORROBORATED = "corroborated"
    SINGLE_SOURCE = "single-source"


@dataclass(slots=True)
class StanceRecord:
    holder: str
    stance: Stance
    article: str
    start: int
    end: int


@dataclass(slots=True)
class Claim:
    text: str
    status: ClaimStatus
    stances: list[StanceRecord] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    independent_support: int = 0


class ProvenanceKind(StrEnum):
    VERBATIM = "verbatim"
    SYNDICATED = "syndicated"
    PARAPHRASE = "paraphrase"
    ATTRIBUTED = "attributed"


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of the target article that comes from the source article: offsets in
    both texts, and how similar the two stretches are (1.0 = identical words)."""

    source_start: int
    source_end: int
    target_start: int
    target_end: int
    similarity: float


@dataclass(slots=True)
class ProvenanceEdge:
    """`to` derives from `source` (`from` in the report; `from` is a keyword).

    `source` may be an external node such as `outlet:The Guardian` when the text
    credits an outlet that is not in the corpus. `directed` is False when the
    direction could not be established; `source`/`target` are then in id order.
    """

    source: str
    target: str
    kind: ProvenanceKind
    overlap: float
    directed: bool = True
    evidence: str | None = None
    passages: list[Passage] = field(default_factory=list)


@dataclass(slots=True)
class TimelineEntry:
    date: str  # ISO date
    text: str
    articles: list[str]
    citations: list[Citation] = field(default_factory=list)


@dataclass(slots=True)
class SummarySentence:
    text: str
    citations: list[Citation]


@dataclass(slots=True)
class Story:
    id: str
    title: str = ""
    article_ids: list[str] = field(default_factory=list)
    entities: list[StoryEntity] = field(default_factory=list)
    quotes: list[StoryQuote] = field(default_factory=list)
    ledger: list[LedgerEntry] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    provenance: list[ProvenanceEdge] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    families: list[list[str]] = field(default_factory=list)
