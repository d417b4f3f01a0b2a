"""Shared story fixtures for the analysis tests (facts, claims, timeline, summary).

An invented story (a warehouse fire in a made-up port town) told by four articles:
a number conflict (20 vs 30 workers evacuated), a disputed cause, dates relative to
each article's publication date, and one article that republishes another word for
word. Articles go through the real sentence and entity steps, so spans are real.

Builders are cached so that each test module reuses one sentence table (embeddings)
per session.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from corroborate.analyse.sentences import SentenceTable, build_sentence_table
from corroborate.enrich.entities import EntityStep
from corroborate.enrich.sentences import SentenceStep
from corroborate.model import Article, StoryQuote
from corroborate.pipeline.base import RunContext

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

GAZETTE = (
    "Firefighters fought a large blaze at the Harlan Chemicals warehouse in Marrowick "
    "on Wednesday night.\n"
    "Fire chief Tomas Brandt said the fire was caused by an electrical fault in the "
    "loading bay.\n"
    "The company said 20 workers were evacuated from the site before the roof collapsed.\n"
    "Mayor Elena Voss ordered a 48-hour closure of the harbour road while crews cool "
    "the site.\n"
    "Inspectors last visited the warehouse last August and found no safety breaches.\n"
    "“We are grateful that nobody was hurt,” Voss said.\n"
)
COASTAL = (
    "A large fire broke out at the Harlan Chemicals warehouse in Marrowick on Wednesday "
    "night, firefighters said.\n"
    "Harlan Chemicals denied that an electrical fault caused the fire, calling the fire "
    "chief's account false.\n"
    "Company spokesperson Ingrid Solberg said 30 workers were evacuated from the site "
    "before the roof collapsed.\n"
    "Marrowick's mayor, Elena Voss, ordered the harbour road closed for 48 hours while "
    "crews cool the site.\n"
    "“Claims of an electrical fault are untrue,” Solberg said.\n"
    "The harbour road will reopen on Monday, the council said.\n"
)
WIRE = (
    "Fire chief Tomas Brandt said an electrical fault in the loading bay caused "
    "Wednesday's blaze at the Harlan Chemicals warehouse.\n"
    "Firefighters fought the large blaze at the chemical warehouse in Marrowick on "
    "Wednesday night.\n"
    "Mayor Elena Voss ordered a 48 hour closure of the harbour road as crews cool the site.\n"
    "Union representatives cast doubt on the company's account of the evacuation.\n"
)


@dataclass(frozen=True)
class Story:
    articles: list[Article]
    table: SentenceTable
    families: list[list[str]]
    quotes: list[StoryQuote]

    def article(self, article_id: str) -> Article:
        return next(a for a in self.articles if a.id == article_id)


def enrich(articles: list[Article]) -> list[Article]:
    ctx = RunContext()
    return list(EntityStep().run(SentenceStep().run(articles, ctx), ctx))


def quote_of(article: Article, content: str, speaker: str, speaker_name: str) -> StoryQuote:
    """A hand-built story quote: `content` and `speaker_name` located in the text."""
    start = article.text.index(content)
    at = article.text.index(speaker_name, start + len(content))
    return StoryQuote(speaker=speaker, text=content, article=article.id, start=start,
                      end=start + len(content), direct=True, speaker_start=at,
                      speaker_end=at + len(speaker_name))


@cache
def fire_story() -> Story:
    articles = enrich([
        Article(id="gazette", source="gazette.txt", text=GAZETTE, outlet="Harbour Gazette",
                title="Fire engulfs chemical warehouse in Marrowick", published="2024-05-16"),
        Article(id="coastal", source="coastal.txt", text=COASTAL, outlet="Coastal Times",
                title="Marrowick warehouse fire: company disputes fault claim",
                published="2024-05-17"),
        Article(id="wire", source="wire.txt", text=WIRE, outlet="Regional Wire",
                title="Electrical fault blamed for Marrowick chemical fire",
                published="2024-05-17"),
        Article(id="copy", source="copy.txt", text=GAZETTE, outlet="Port Digest",
                title="Fire engulfs chemical warehouse in Marrowick", published="2024-05-16",
                flags=["republished"]),
    ])
    by_id = {a.id: a for a in articles}
    quotes = [
        quote_of(by_id["gazette"], "We are grateful that nobody was hurt", "Elena Voss", "Voss"),
        quote_of(by_id["coastal"], "Claims of an electrical fault are untrue", "Ingrid Solberg",
                 "Solberg"),
    ]
    families = [["gazette", "copy"], ["coastal"], ["wire"]]
    return Story(articles, build_sentence_table(articles), families, quotes)


@cache
def seed_story() -> Story:
    """The five seed articles, raw text as the cleaned text, each its own family.

    Quotes come from the real quote step when it exists (turned into story quotes
    with the speaker as written); they are never written by hand for the seeds.
    """
    articles = enrich([
        Article(id=path.stem[:3], source=str(path), text=path.read_text(encoding="utf-8"))
        for path in sorted(SEEDS.glob("*.txt"))
    ])
    quotes: list[StoryQuote] = []
    try:
        from corroborate.enrich.quotes import QuoteStep
    except ImportError:
        pass
    else:
        ctx = RunContext()
        articles = list(QuoteStep().run(articles, ctx))
        quotes = [
            StoryQuote(speaker=q.speaker, text=a.text[q.start:q.end], article=a.id,
                       start=q.start, end=q.end, direct=q.direct,
                       speaker_start=q.speaker_start, speaker_end=q.speaker_end)
            for a in articles for q in a.quotes
        ]
    families = [[a.id] for a in articles]
    return Story(articles, build_sentence_table(articles), families, quotes)
