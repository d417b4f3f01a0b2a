"""Named-entity mentions from spaCy's NER, as spans into the article text."""

from __future__ import annotations

from corroborate.enrich.nlp import parse
from corroborate.model import Article, EntityMention
from corroborate.pipeline.base import ArticleStep, RunContext

# Labels a story's entity list cares about. Cardinal numbers, ordinals, money and
# percentages are kept too: fact alignment compares them across articles.
KEPT_LABELS = frozenset({
    "PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART",
    "DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL",
})


def find_entities(text: str) -> list[EntityMention]:
    doc = parse(text)
    mentions: list[EntityMention] = []
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        start, end = _strip_possessive(text, ent.start_char, ent.end_char)
        if end > start:
            mentions.append(EntityMention(start, end, text[start:end], ent.label_))
    return mentions


def _strip_possessive(text: str, start: int, end: int) -> tuple[int, int]:
    """"Putin’s" -> "Putin", and a leading "the" dropped: the name is what we index."""
    for suffix in ("’s", "'s", "’", "'"):
        if text.endswith(suffix, start, end) and end - len(suffix) > start:
            end -= len(suffix)
            break
    for prefix in ("the ", "The "):
        if text.startswith(prefix, start, end) and end - start > len(prefix):
            start += len(prefix)
            break
    return start, end


class EntityStep(ArticleStep):
    name = "entities"
    needs = frozenset({"text"})
    provides = frozenset({"entities"})

    def process(self, article: Article, ctx: RunContext) -> Article:
        if not article.is_english:
            # The NER model is English; on other languages it finds nonsense.
            ctx.count("entities.skipped-language")
            article.entities = []
            return article
        article.entities = find_entities(article.text) if article.text else []
        return article
