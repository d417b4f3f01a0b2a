"""Idempotent ingest: a document already in the store (same content hash) is not
processed again, and the same document twice in one batch is processed once.

Article ids are made unique here too: an id already taken by a different document
gets a suffix, so a user's ids are kept whenever they can be.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from corroborate.model import Article
from corroborate.pipeline.base import RunContext, Step


class IngestStep(Step):
    name = "ingest"
    needs = frozenset({"raw"})
    provides = frozenset()

    def run(self, items: Iterable[Article], ctx: RunContext) -> Iterator[Article]:
        batch_hashes: dict[str, str] = {}
        batch_ids: set[str] = set()
        for article in items:
            if not article.content_hash:
                raise ValueError(f"reader left no content hash on {article.source}")
            known = ctx.store.article_id_for_hash(article.content_hash) if ctx.store else None
            if known is not None:
                ctx.count("ingest.already-stored")
                ctx.seen_ids.append(known)
                continue
            if article.content_hash in batch_hashes:
                ctx.count("ingest.duplicate-in-batch")
                ctx.seen_ids.append(batch_hashes[article.content_hash])
                continue
            article.id = _unique_id(article.id, batch_ids, ctx)
            batch_hashes[article.content_hash] = article.id
            batch_ids.add(article.id)
            ctx.seen_ids.append(article.id)
            ctx.count("ingest.new")
            yield article


def _unique_id(wanted: str, batch_ids: set[str], ctx: RunContext) -> str:
    def taken(candidate: str) -> bool:
        in_store = ctx.store is not None and ctx.store.has_article_id(candidate)
        return candidate in batch_ids or in_store

    candidate, n = wanted, 1
    while taken(candidate):
        n += 1
        candidate = f"{wanted}~{n}"
    return candidate
