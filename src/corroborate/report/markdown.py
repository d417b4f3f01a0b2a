"""The report as Markdown: one section per story, every statement numbered back to its source.

Renders from the report dict alone (see build.py). Citation markers `[n]` link to
a numbered source list at the end of each story section that gives the article id,
the offsets and the cited words. Article-derived text is backslash-escaped
(CommonMark allows escaping any ASCII punctuation), so a `|` cannot split a table
cell, a leading `#` cannot open a heading and `<script>` stays text.

The helpers `Sources`, `ArticleIndex`, `support_phrase`, `snippet` and
`story_metadata` are shared with the HTML renderer so both outputs number citations
identically and show the same story metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

# Characters that can start or end Markdown/GFM constructs mid-line (emphasis, links,
# code, tables, raw HTML, entities, strikethrough, headings) and the backslash itself.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&~!])")
# Constructs that only matter at the start of a line: bullets and setext underlines
# (`-+=`), ordered-list numbers ("1." / "1)"); `>` and `#` are escaped everywhere.
_LINE_START_BULLET = re.compile(r"^([-+=])")
_LINE_START_NUMBER = re.compile(r"^(\d+)([.)])")
_SPACES = re.compile(r"\s+")
# A cited span longer than this is shown cut, with an ellipsis: the source list is
# for finding the passage, and the full text is in the article.
SNIPPET_CHARS = 160


def md(text: object) -> str:
    """Escape article-derived `text` for one line of Markdown (newlines become spaces)."""
    flat = _SPACES.sub(" ", str(text)).strip()
    escaped = _INLINE_SPECIAL.sub(r"\\\1", flat)
    escaped = _LINE_START_BULLET.sub(r"\\\1", escaped)
    return _LINE_START_NUMBER.sub(r"\1\\\2", escaped)


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    flat = _SPACES.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 article', '3 articles'; `nouns` for irregular plurals ('stories')."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def support_phrase(support: list[str], independent: int) -> str:
    """'4 articles / 3 independent'."""
    return f"{plural(len(support), 'article')} / {independent} independent"


def run_counts(report: Mapping[str, Any]) -> str:
    """'12 articles, 3 stories, 1 rejected input'."""
    return ", ".join([plural(len(report["articles"]), "article"),
                      plural(len(report["stories"]), "story", "stories"),
                      plural(len(report.get("rejects", [])), "rejected input")])


class ArticleIndex:
    """Article dicts by id, with their position in the report (used for anchors)."""

    def __init__(self, articles: Iterable[Mapping[str, Any]]) -> None:
        self.by_id: dict[str, Mapping[str, Any]] = {}
        self.position: dict[str, int] = {}
        for i, article in enumerate(articles):
            self.by_id.setdefault(article["id"], article)
            self.position.setdefault(article["id"], i)

    def label(self, article_id: str) -> str:
        """Outlet name, else the source path, else the id (external provenance nodes)."""
        article = self.by_id.get(article_id)
        if article is None:
            return article_id
        return str(article.get("outlet") or article.get("source") or article_id)

    def cited_text(self, article_id: str, start: int, end: int) -> str:
        article = self.by_id.get(article_id)
        return "" if article is None else str(article["text"])[start:end]


class Sources:
    """Citation numbers for one story: each distinct (article, start, end) gets the
    next number the first time it is cited, so markers read 1, 2, 3 down the page."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, int, int], int] = {}

    def number(self, cited: Mapping[str, Any]) -> int:
        key = (str(cited["article"]), int(cited["start"]), int(cited["end"]))
        return self._numbers.setdefault(key, len(self._numbers) + 1)

    def entries(self) -> list[tuple[int, str, int, int]]:
        return [(n, a, s, e) for (a, s, e), n in self._numbers.items()]


def render_markdown(report: Mapping[str, Any]) -> str:
    """The whole report as one Markdown document."""
    index = ArticleIndex(report["articles"])
    parts = [_header(report)]
    for k, story in enumerate(report["stories"], start=1):
        parts.append(_story_section(k, story, index))
    parts.append(_unassigned_section(report))
    parts.append(_rejects_section(report.get("rejects", [])))
    parts.append(_stats_section(report.get("stats", {})))
    return "\n\n".join(p for p in parts if p) + "\n"


def _header(report: Mapping[str, Any]) -> str:
    generated = report.get("generated_at")
    when = f"Generated {md(generated)}. " if generated else ""
    return f"# corroborate report\n\n{when}{run_counts(report)}. Schema {md(report['schema'])}."


def _story_section(k: int, story: Mapping[str, Any], index: ArticleIndex) -> str:
    sources = Sources()
    title = story["title"] or f"Story {story['id']}"
    blocks = [
        f"## {k}. {md(title)}\n\nStory id: {md(story['id'])}",
        _metadata_block(story),
        _articles_block(story, index),
        _summary_block(k, story, sources),
        _facts_block(k, story, sources),
        _claims_block(k, story, sources, index),
        _ledger_block(k, story, sources, index),
        _quotes_block(k, story, sources, index),
        _entities_block(story),
        _provenance_block(story, index),
        _timeline_block(k, story, sources),
        _sources_block(k, sources, index),
    ]
    return "\n\n".join(b for b in blocks if b)


def _marker(k: int, sources: Sources, cited: Mapping[str, Any]) -> str:
    n = sources.number(cited)
    return f"[\\[{n}\\]](#story-{k}-source-{n})"


def _markers(k: int, sources: Sources, citations: Iterable[Mapping[str, Any]]) -> str:
    return "".join(_marker(k, sources, c) for c in citations)


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def story_metadata(story: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, plain text) for the story's dates, keywords and main entities, those it
    has (a report written before they existed has none)."""
    items = []
    first, last = story.get("first_seen"), story.get("last_seen")
    if first or last:
        items.append(("Seen", str(first) if first == last else f"{first} to {last}"))
    if story.get("keywords"):
        items.append(("Keywords", ", ".join(story["keywords"])))
    if story.get("main_entities"):
        items.append(("Main entities", ", ".join(
            f"{m['name']} ({plural(m['mentions'], 'mention')})" for m in story["main_entities"])))
    return items


def _metadata_block(story: Mapping[str, Any]) -> str:
    return "\n".join(f"- {label}: {md(text)}" for label, text in story_metadata(story))


def _articles_block(story: Mapping[str, Any], index: ArticleIndex) -> str:
    rows = []
    for article_id in story["articles"]:
        article = index.by_id.get(article_id, {})
        rows.append([
            md(article_id),
            md(index.label(article_id)),
            md(article.get("title") or ""),
            md(article.get("published") or ""),
            md(", ".join(article.get("flags", []))),
        ])
    table = _table(["Article", "Outlet", "Title", "Published", "Flags"], rows)
    return f"### Articles\n\n{table}"


def _summary_block(k: int, story: Mapping[str, Any], sources: Sources) -> str:
    if not story["summary"]:
        return ""
    sentences = [md(s["text"]) + " " + _markers(k, sources, s["citations"])
                 for s in story["summary"]]
    return "### Summary\n\n" + " ".join(s.strip() for s in sentences)


def _facts_block(k: int, story: Mapping[str, Any], sources: Sources) -> str:
    if not story["facts"]:
        return ""
    lines = [
        f"- {md(f['text'])} — support: {support_phrase(f['support'], f['independent_support'])}"
        f" {_markers(k, sources, f['citations'])}".rstrip()
        for f in story["facts"]
    ]
    return "### Facts shared by several sources\n\n" + "\n".join(lines)


def _claims_block(k: int, story: Mapping[str, Any], sources: Sources,
                  index: ArticleIndex) -> str:
    if not story["claims"]:
        return ""
    lines = []
    for claim in story["claims"]:
        support = support_phrase(claim["support"], claim["independent_support"])
        lines.append(f"- **{md(claim['status'])}**: {md(claim['text'])} — support: {support}")
        for stance in claim["stances"]:
            lines.append(f"  - {md(stance['holder'])} *{md(stance['stance'])}* "
                         f"({md(index.label(stance['article']))}) {_marker(k, sources, stance)}")
    return "### Claims\n\n" + "\n".join(lines)


# What each ledger flag tells the reader, as the report words it.
FLAG_NOTES = {"altered": "wording differs", "speaker-differs": "names another speaker"}


def ledger_outlets(entry: Mapping[str, Any], index: ArticleIndex) -> str:
    """Who carries a statement: each article's outlet (else its source), once."""
    return ", ".join(dict.fromkeys(index.label(a) for a in entry["articles"]))


def _ledger_block(k: int, story: Mapping[str, Any], sources: Sources,
                  index: ArticleIndex) -> str:
    if not story.get("ledger"):
        return ""
    lines = []
    for entry in story["ledger"]:
        speaker = md(entry["speaker"]) if entry["speaker"] else "*unattributed*"
        kind = "" if entry["direct"] else " *(reported)*"
        flags = "".join(f" **{md(f)}**" for f in entry["flags"])
        carried = plural(len(entry["articles"]), "article")
        lines.append(
            f"- **{speaker}**: “{md(entry['text'])}”{kind}{flags} — {carried}: "
            f"{md(ledger_outlets(entry, index))}; first in "
            f"{md(index.label(entry['first']['article']))} "
            f"{_markers(k, sources, entry['carriers'])}".rstrip())
        for carrier in entry["carriers"]:
            if carrier["flags"]:
                notes = ", ".join(FLAG_NOTES.get(f, f) for f in carrier["flags"])
                who = md(carrier["speaker"] or "nobody")
                lines.append(f"  - {md(notes)}: {md(index.label(carrier['article']))} "
                             f"quotes {who}: “{md(carrier['text'])}” "
                             f"{_marker(k, sources, carrier)}")
    return "### Who said what\n\n" + "\n".join(lines)


def _quotes_block(k: int, story: Mapping[str, Any], sources: Sources,
                  index: ArticleIndex) -> str:
    if not story["quotes"]:
        return ""
    lines = []
    for quote in story["quotes"]:
        speaker = md(quote["speaker"]) if quote["speaker"] else "*unattributed*"
        kind = "" if quote["direct"] else " *(indirect)*"
        lines.append(f"- **{speaker}**: “{md(quote['text'])}”{kind} — "
                     f"{md(index.label(quote['article']))} {_marker(k, sources, quote)}")
    return "### Quotes\n\n" + "\n".join(lines)


def _entities_block(story: Mapping[str, Any]) -> str:
    if not story["entities"]:
        return ""
    lines = []
    for entity in story["entities"]:
        aliases = f"; also {', '.join(md(a) for a in entity['aliases'])}" \
            if entity["aliases"] else ""
        roles = f"; {', '.join(md(r) for r in entity['roles'])}" if entity.get("roles") else ""
        mentions = plural(len(entity["mentions"]), "mention")
        articles = plural(len({c["article"] for c in entity["mentions"]}), "article")
        lines.append(f"- {md(entity['name'])} ({md(entity['type'])}{roles}{aliases}; "
                     f"{mentions} in {articles})")
    return "### Entities\n\n" + "\n".join(lines)


def _provenance_block(story: Mapping[str, Any], index: ArticleIndex) -> str:
    if not story["provenance"] and not story["families"]:
        return ""
    blocks = ["### Provenance"]
    if story["provenance"]:
        rows = [[
            md(_node(edge["from"], index)),
            md(_node(edge["to"], index)),
            md(edge["kind"]),
            f"{float(edge['overlap']):.2f}",
            "yes" if edge["directed"] else "no (order unknown)",
            md(edge["evidence"] or ""),
        ] for edge in story["provenance"]]
        blocks.append(_table(["From", "To", "Kind", "Overlap", "Directed", "Evidence"], rows))
    if story["families"]:
        families = [f"- {', '.join(md(_node(a, index)) for a in family)}"
                    for family in story["families"]]
        blocks.append("Source families (an original and its copies):\n\n"
                      + "\n".join(families))
    return "\n\n".join(blocks)


def _node(node_id: str, index: ArticleIndex) -> str:
    label = index.label(node_id)
    return node_id if label == node_id else f"{node_id} ({label})"


def _timeline_block(k: int, story: Mapping[str, Any], sources: Sources) -> str:
    if not story["timeline"]:
        return ""
    lines = [f"- {md(t['date'])} — {md(t['text'])} {_markers(k, sources, t['citations'])}"
             .rstrip() for t in story["timeline"]]
    return "### Timeline\n\n" + "\n".join(lines)


def _sources_block(k: int, sources: Sources, index: ArticleIndex) -> str:
    entries = sources.entries()
    if not entries:
        return ""
    lines = []
    for n, article_id, start, end in entries:
        words = snippet(index.cited_text(article_id, start, end))
        lines.append(f'{n}. <a id="story-{k}-source-{n}"></a>{md(article_id)} '
                     f"\\[{start}:{end}\\] {md(index.label(article_id))} — “{md(words)}”")
    return "### Sources\n\n" + "\n".join(lines)


def _unassigned_section(report: Mapping[str, Any]) -> str:
    loose = [a for a in report["articles"] if a.get("story") is None]
    if not loose:
        return ""
    lines = [f"- {md(a['id'])}: {md(a.get('outlet') or a['source'])}"
             + (f" — {md(a['title'])}" if a.get("title") else "") for a in loose]
    return "## Articles in no story\n\n" + "\n".join(lines)


def _rejects_section(rejects: list[Mapping[str, Any]]) -> str:
    if not rejects:
        return "## Rejected inputs\n\nNone."
    rows = [[md(r["source"]), md(r["step"]), md(r["reason"]), md(r.get("detail", ""))]
            for r in rejects]
    return "## Rejected inputs\n\n" + _table(["Source", "Step", "Reason", "Detail"], rows)


def _stats_section(stats: Mapping[str, int]) -> str:
    if not stats:
        return ""
    rows = [[md(key), str(value)] for key, value in stats.items()]
    return "## Run statistics\n\n" + _table(["Counter", "Value"], rows)
