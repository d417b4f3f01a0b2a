"""Site furniture found by repetition: a short line that one outlet prints on many
different pages ("Support our journalism", a newsletter plug, a standing credit) is
not part of any article, whatever its wording.

Counts are per outlet, over the batch and, when a store is attached, over every page
of that outlet stored before (so a site's furniture is learnt once and recognised in
later, smaller batches). A page is counted once per *distinct article*: versions of
one article (same title) share their paragraphs for good reason.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from corroborate.clean.boilerplate import REPEAT_MAX_WORDS, REPEAT_MIN_PAGES
from corroborate.clean.cues import is_protected, line_key
from corroborate.clean.text import ends_sentence, word_count
from corroborate.model import Article
from corroborate.pipeline.base import CorpusStep, RunContext

# A repeated line that reads like a reported sentence (long, closed by a full stop) or
# holds a quotation is more likely a repeated paragraph of the same news than furniture.
# 15 words: the longest pitch lines on the seed and demo pages are 9-13 words, while
# 80% of news paragraphs in the demo corpus are longer than 15.
SENTENCE_GUARD_WORDS = 15
QUOTE_MARKS = frozenset("\"“”«»")


def furniture_candidate(line: str) -> bool:
    words = word_count(line)
    if words > REPEAT_MAX_WORDS or is_protected(line) or QUOTE_MARKS & set(line):
        return False
    return not (words > SENTENCE_GUARD_WORDS and ends_sentence(line))


def line_digest(line: str) -> str:
    return hashlib.blake2b(line_key(line).encode(), digest_size=12).hexdigest()


def outlet_key(article: Article) -> str | None:
    return article.outlet.casefold().strip() if article.outlet else None


def page_identity(article: Article) -> str:
    """Versions of one article share a title; different articles rarely do."""
    return (article.title or "").casefold().strip() or article.content_hash or article.id


def count_lines(articles: Iterable[Article]) -> dict[str, dict[str, set[str]]]:
    """outlet -> line digest -> the distinct pages it occurs on, for candidate lines."""
    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for article in articles:
        outlet = outlet_key(article)
        if outlet is None:
            continue
        page = page_identity(article)
        for line in article.text.split("\n"):
            if line and furniture_candidate(line):
                seen[outlet][line_digest(line)].add(page)
    return seen


def strip_lines(article: Article, furniture: set[str]) -> int:
    """Move the article's furniture lines from `text` to `removed`; return how many.
    An article is never emptied: if every line matched, it is left as it was."""
    lines = article.text.split("\n")
    keep = [ln for ln in lines if not (ln and line_digest(ln) in furniture)]
    if not any(keep) or len(keep) == len(lines):
        return 0
    article.removed.extend(ln for ln in lines if ln and line_digest(ln) in furniture)
    article.text = _tidy("\n".join(keep))
    return len(lines) - len(keep)


def _tidy(text: str) -> str:
    """Collapse the blank lines a removed paragraph leaves behind."""
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n")


class SiteFurnitureStep(CorpusStep):
    name = "site-furniture"
    needs = frozenset({"text", "outlet", "removed"})
    provides = frozenset({"site-furniture"})

    def process_all(self, articles: list[Article], ctx: RunContext) -> list[Article]:
        batch = count_lines(articles)
        stored = ctx.store.outlet_line_pages(batch) if ctx.store is not None else {}
        furniture: dict[str, set[str]] = {}
        for outlet, lines in batch.items():
            before = stored.get(outlet, {})
            furniture[outlet] = {digest for digest, pages in lines.items()
                                 if len(pages) + before.get(digest, 0) >= REPEAT_MIN_PAGES}
        for article in articles:
            site = outlet_key(article)
            if site and furniture.get(site):
                ctx.count("clean.site-furniture-lines", strip_lines(article, furniture[site]))
        if ctx.store is not None:
            ctx.store.add_outlet_line_pages(
                {o: {d: len(p) for d, p in lines.items()} for o, lines in batch.items()})
        return articles
