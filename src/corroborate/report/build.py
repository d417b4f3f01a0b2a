"""Model objects -> the report's JSON dict (the contract in docs/report-schema.md).

The dict is the one source every output renders from: report.json is it verbatim,
and the Markdown and HTML renderers read nothing else, so a report.json written
yesterday renders today without rerunning the pipeline.

Output is deterministic: lists keep the order the pipeline produced, enums become
their string values, nothing goes through a set. The only ordering this module
chooses is for `stats`, whose keys are sorted because counters merged from worker
processes arrive in whatever order the workers finished.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from corroborate.analyse.entities import entity_roles
from corroborate.analyse.keywords import main_entities, seen_span, story_keywords
from corroborate.analyse.ledger import build_ledger
from corroborate.model import (
    Article,
    Citation,
    Claim,
    EntityMention,
    Fact,
    LedgerCarrier,
    LedgerEntry,
    ProvenanceEdge,
    Quote,
    Span,
    StanceRecord,
    Story,
    StoryEntity,
    StoryQuote,
    SummarySentence,
    TimelineEntry,
)
from corroborate.pipeline.base import Reject

SCHEMA_ID = "corroborate.report/1"


def build_report(
    articles: list[Article],
    stories: list[Story],
    *,
    rejects: list[Reject],
    stats: Mapping[str, int],
    generated_at: str | None = None,
) -> dict[str, Any]:
    """The report dict for a run: every article, every story, the rejects and counters.

    `generated_at` is an ISO timestamp chosen by the caller (None keeps the output
    byte-for-byte reproducible, which tests rely on).
    """
    story_of = _story_membership(stories)
    by_id = {a.id: a for a in articles}
    return {
        "schema": SCHEMA_ID,
        "generated_at": generated_at,
        "articles": [article_dict(a, story_of.get(a.id)) for a in articles],
        "stories": [_story(s, [by_id[i] for i in s.article_ids if i in by_id])
                    for s in stories],
        "rejects": [_reject(r) for r in rejects],
        "stats": {key: int(stats[key]) for key in sorted(stats)},
    }


def _story_membership(stories: list[Story]) -> dict[str, str]:
    """Article id -> id of the first story that lists it (fallback for `Article.story`)."""
    membership: dict[str, str] = {}
    for story in stories:
        for article_id in story.article_ids:
            membership.setdefault(article_id, story.id)
    return membership


def article_dict(article: Article, listed_in: str | None = None, *,
                 annotations: bool = True) -> dict[str, Any]:
    """One article as the report shows it. Without `annotations` the offset lists
    (sentences, entities, quotes) are left out, as `corroborate extract` prints it."""
    # `Article.story` is authoritative; when the clustering step left it unset but a
    # story lists the article, the report still links the two both ways.
    fields: dict[str, Any] = {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "crawled": article.crawled,
        "language": article.language,
        "format": str(article.format.value),
        "content_hash": article.content_hash,
        "story": article.story if article.story is not None else listed_in,
        "flags": list(article.flags),
        "removed": list(article.removed),
        "text": article.text,
    }
    if annotations:
        fields["sentences"] = [_span(s) for s in article.sentences]
        fields["entities"] = [_mention(m) for m in article.entities]
        fields["quotes"] = [_article_quote(q) for q in article.quotes]
    return fields


def _span(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end}


def _mention(mention: EntityMention) -> dict[str, Any]:
    return {"start": mention.start, "end": mention.end, "text": mention.text,
            "label": mention.label}


def _article_quote(quote: Quote) -> dict[str, Any]:
    return {
        "start": quote.start,
        "end": quote.end,
        "speaker": quote.speaker,
        "speaker_start": quote.speaker_start,
        "speaker_end": quote.speaker_end,
        "direct": quote.direct,
        "cue": quote.cue,
    }


def _story(story: Story, articles: list[Article]) -> dict[str, Any]:
    # Keywords, main entities, dates, roles and the quote ledger are derived here from
    # what the report holds, so every report (a run's, `show`'s) has them, whenever
    # the story was analysed and whatever the store kept of the analysis.
    first_seen, last_seen = seen_span(articles)
    texts = {a.id: a.text for a in articles}
    roles = {e.name: e.roles or entity_roles(e, texts) for e in story.entities}
    ledger = story.ledger or build_ledger(story.quotes, articles, roles)
    return {
        "id": story.id,
        "title": story.title,
        "articles": list(story.article_ids),
        "first_seen": first_seen,
        "last_seen": last_seen,
        "keywords": story_keywords(articles),
        "main_entities": [m.to_dict() for m in main_entities(story.entities)],
        "summary": [_summary_sentence(s) for s in story.summary],
        "entities": [_entity(e, roles[e.name]) for e in story.entities],
        "quotes": [_story_quote(q) for q in story.quotes],
        "ledger": [_ledger_entry(x) for x in ledger],
        "facts": [_fact(f) for f in story.facts],
        "claims": [_claim(c) for c in story.claims],
        "provenance": [_edge(e) for e in story.provenance],
        "families": [list(family) for family in story.families],
        "timeline": [_timeline_entry(t) for t in story.timeline],
    }


def _citations(citations: list[Citation]) -> list[dict[str, Any]]:
    return [c.to_dict() for c in citations]


def _summary_sentence(sentence: SummarySentence) -> dict[str, Any]:
    return {"text": sentence.text, "citations": _citations(sentence.citations)}


def _entity(entity: StoryEntity, roles: list[str]) -> dict[str, Any]:
    return {
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "roles": list(roles),
        "articles": list(dict.fromkeys(c.article for c in entity.mentions)),
        "mentions": _citations(entity.mentions),
    }


def _story_quote(quote: StoryQuote) -> dict[str, Any]:
    return {
        "speaker": quote.speaker,
        "text": quote.text,
        "article": quote.article,
        "start": quote.start,
        "end": quote.end,
        "direct": quote.direct,
        "speaker_start": quote.speaker_start,
        "speaker_end": quote.speaker_end,
        "speaker_text": quote.speaker_text,
    }


def _ledger_entry(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "speaker": entry.speaker,
        "text": entry.text,
        "direct": entry.direct,
        "first": entry.first.to_dict(),
        "articles": list(entry.articles),
        "outlets": list(entry.outlets),
        "flags": list(entry.flags),
        "carriers": [_ledger_carrier(c) for c in entry.carriers],
    }


def _ledger_carrier(carrier: LedgerCarrier) -> dict[str, Any]:
    return {
        "article": carrier.article,
        "outlet": carrier.outlet,
        "published": carrier.published,
        "speaker": carrier.speaker,
        "speaker_text": carrier.speaker_text,
        "text": carrier.text,
        "start": carrier.start,
        "end": carrier.end,
        "speaker_start": carrier.speaker_start,
        "speaker_end": carrier.speaker_end,
        "direct": carrier.direct,
        "flags": list(carrier.flags),
    }


def _fact(fact: Fact) -> dict[str, Any]:
    return {
        "text": fact.text,
        "support": list(fact.support),
        "independent_support": fact.independent_support,
        "citations": _citations(fact.citations),
    }


def _claim(claim: Claim) -> dict[str, Any]:
    return {
        "text": claim.text,
        "status": str(claim.status.value),
        "stances": [_stance(s) for s in claim.stances],
        "support": list(claim.support),
        "independent_support": claim.independent_support,
    }


def _stance(record: StanceRecord) -> dict[str, Any]:
    return {
        "holder": record.holder,
        "stance": str(record.stance.value),
        "article": record.article,
        "start": record.start,
        "end": record.end,
    }


def _edge(edge: ProvenanceEdge) -> dict[str, Any]:
    return {
        "from": edge.source,
        "to": edge.target,
        "kind": str(edge.kind.value),
        "overlap": float(edge.overlap),
        "directed": edge.directed,
        "evidence": edge.evidence,
        "passages": [
            {"from_start": p.source_start, "from_end": p.source_end,
             "to_start": p.target_start, "to_end": p.target_end,
             "similarity": float(p.similarity)}
            for p in edge.passages
        ],
    }


def _timeline_entry(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "date": entry.date,
        "text": entry.text,
        "articles": list(entry.articles),
        "citations": _citations(entry.citations),
    }


def _reject(reject: Reject) -> dict[str, Any]:
    return reject.to_dict()
