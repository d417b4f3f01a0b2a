"""The report as one self-contained HTML page.

Inline CSS, no scripts, no fonts or images, no link leaving the page: the file is
opened offline and archived next to report.json. A Content-Security-Policy meta tag
forbids scripts and outside resources, a second line of defence behind escaping.

Every string that comes from an article (text, titles, outlets, quotes, speakers,
ids, reject details) passes through `html.escape`. Each article's cleaned text is
shown in a `<details>` with every cited span wrapped in `<mark>`; the mark that
begins at offset `s` of the article at report position `p` has id `cite-p-s`, which
the citation markers link to. HTML ids are built from positions and offsets, never
from ids in the data, so they are always valid and unique.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from html import escape
from importlib import resources
from itertools import pairwise
from typing import Any

from corroborate.report.markdown import (
    FLAG_NOTES,
    ArticleIndex,
    Sources,
    ledger_outlets,
    plural,
    run_counts,
    snippet,
    story_metadata,
    support_phrase,
)

CSS_FILE = "report.css"
_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_NOT_CSS_TOKEN = re.compile(r"[^a-z0-9-]")


def e(value: object) -> str:
    """Escape anything for HTML text or a double-quoted attribute."""
    return escape("" if value is None else str(value), quote=True)


def load_css() -> str:
    return resources.files("corroborate.report").joinpath(CSS_FILE).read_text("utf-8")


def render_html(report: Mapping[str, Any]) -> str:
    """The whole report as one HTML document."""
    index = ArticleIndex(report["articles"])
    stories = list(report["stories"])
    body = [
        _header(report, stories),
        *(_story_section(k, story, index) for k, story in enumerate(stories, start=1)),
        _articles_section(report, index),
        _rejects_section(report.get("rejects", [])),
        _stats_section(report.get("stats", {})),
    ]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>corroborate report</title>\n"
        f"<style>\n{load_css()}</style>\n</head>\n<body>\n"
        + "\n".join(b for b in body if b)
        + "\n</body>\n</html>\n"
    )


def _header(report: Mapping[str, Any], stories: list[Mapping[str, Any]]) -> str:
    generated = report.get("generated_at")
    when = f"Generated {e(generated)}. " if generated else ""
    counts = f"{e(run_counts(report))}. Schema {e(report['schema'])}."
    toc = "".join(f'<li><a href="#story-{k}">{e(_story_title(s))}</a> '
                  f'<span class="muted">({plural(len(s["articles"]), "article")})</span></li>'
                  for k, s in enumerate(stories, start=1))
    nav = f"<nav><ol>{toc}</ol></nav>" if toc else ""
    return (f"<header><h1>corroborate report</h1>"
            f'<p class="summary-line">{when}{counts}</p>{nav}</header>')


def _story_title(story: Mapping[str, Any]) -> str:
    return str(story["title"] or f"Story {story['id']}")


# --- one story -------------------------------------------------------------------------

def _story_section(k: int, story: Mapping[str, Any], index: ArticleIndex) -> str:
    sources = Sources()
    cite = _Citer(k, sources, index)
    blocks = [
        f'<section class="story" id="story-{k}"><h2>{k}. {e(_story_title(story))}</h2>'
        f'<p class="muted">Story id {e(story["id"])}</p>',
        _story_metadata(story),
        _articles_table(story, index),
        _summary(story, cite),
        _facts(story, cite),
        _claims(story, cite, index),
        _ledger(story, cite, index),
        _quotes(story, cite, index),
        _entities(story),
        _provenance(story, index),
        _timeline(story, cite),
        _sources_list(k, sources, index),
        "</section>",
    ]
    return "\n".join(b for b in blocks if b)


def _story_metadata(story: Mapping[str, Any]) -> str:
    items = story_metadata(story)
    if not items:
        return ""
    return '<dl class="meta">' + "".join(f"<dt>{e(label)}</dt><dd>{e(text)}</dd>"
                                         for label, text in items) + "</dl>"


class _Citer:
    """Numbers citations (shared `Sources`) and renders their markers as links."""

    def __init__(self, k: int, sources: Sources, index: ArticleIndex) -> None:
        self.k, self.sources, self.index = k, sources, index

    def marker(self, cited: Mapping[str, Any]) -> str:
        n = self.sources.number(cited)
        article, start, end = cited["article"], int(cited["start"]), int(cited["end"])
        words = snippet(self.index.cited_text(article, start, end))
        return (f'<a class="cite" href="{_cite_href(self.index, article, start)}" '
                f'title="{e(words)}">[{n}]</a>')

    def markers(self, citations: Iterable[Mapping[str, Any]]) -> str:
        return "".join(self.marker(c) for c in citations)


def _cite_href(index: ArticleIndex, article_id: str, start: int) -> str:
    position = index.position.get(article_id)
    return "#" if position is None else f"#cite-{position}-{start}"


def _article_link(index: ArticleIndex, node_id: str) -> str:
    """A link to an article in the page, or plain text for an external node."""
    position = index.position.get(node_id)
    if position is None:
        return e(node_id)
    return f'<a href="#art-{position}">{e(index.label(node_id))}</a> <span class="muted">' \
           f"{e(node_id)}</span>"


def _table(header: list[str], rows: Iterable[list[str]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _flags(flags: Iterable[str]) -> str:
    return "".join(f'<span class="flag">{e(flag)}</span>' for flag in flags)


def _articles_table(story: Mapping[str, Any], index: ArticleIndex) -> str:
    rows = []
    for article_id in story["articles"]:
        article = index.by_id.get(article_id, {})
        rows.append([_article_link(index, article_id), e(article.get("title") or ""),
                     e(article.get("published") or ""), _flags(article.get("flags", []))])
    return "<h3>Articles</h3>" + _table(["Outlet", "Title", "Published", "Flags"], rows)


def _summary(story: Mapping[str, Any], cite: _Citer) -> str:
    if not story["summary"]:
        return ""
    sentences = " ".join(f"{e(s['text'])}{cite.markers(s['citations'])}"
                         for s in story["summary"])
    return f'<h3>Summary</h3><p class="story-summary">{sentences}</p>'


def _facts(story: Mapping[str, Any], cite: _Citer) -> str:
    if not story["facts"]:
        return ""
    items = "".join(
        f"<li>{e(f['text'])}{cite.markers(f['citations'])} <span class=\"support\">"
        f"{e(support_phrase(f['support'], f['independent_support']))}</span></li>"
        for f in story["facts"])
    return f"<h3>Facts shared by several sources</h3><ul>{items}</ul>"


def _claims(story: Mapping[str, Any], cite: _Citer, index: ArticleIndex) -> str:
    if not story["claims"]:
        return ""
    items = []
    for claim in story["claims"]:
        status = str(claim["status"])
        stances = "".join(
            f"<li>{e(s['holder'])} <span class=\"stance\">{e(s['stance'])}</span> "
            f"({e(index.label(s['article']))}){cite.marker(s)}</li>"
            for s in claim["stances"])
        support = support_phrase(claim["support"], claim["independent_support"])
        items.append(
            f'<li><span class="status status-{_NOT_CSS_TOKEN.sub("", status)}">{e(status)}'
            f"</span> {e(claim['text'])} <span class=\"support\">{e(support)}</span>"
            + (f"<ul>{stances}</ul>" if stances else "") + "</li>")
    return f"<h3>Claims</h3><ul>{''.join(items)}</ul>"


def _ledger(story: Mapping[str, Any], cite: _Citer, index: ArticleIndex) -> str:
    if not story.get("ledger"):
        return ""
    items = []
    for entry in story["ledger"]:
        speaker = e(entry["speaker"]) if entry["speaker"] else "<i>unattributed</i>"
        kind = "" if entry["direct"] else ' <span class="muted">(reported)</span>'
        flags = "".join(f' <span class="flag">{e(f)}</span>' for f in entry["flags"])
        carried = plural(len(entry["articles"]), "article")
        markers = "".join(cite.marker(c) for c in entry["carriers"])
        variants = "".join(
            f"<li>{e(', '.join(FLAG_NOTES.get(f, f) for f in c['flags']))}: "
            f"{e(index.label(c['article']))} quotes {e(c['speaker'] or 'nobody')}: "
            f"“{e(c['text'])}”{cite.marker(c)}</li>"
            for c in entry["carriers"] if c["flags"])
        items.append(
            f"<li><b>{speaker}</b>: “{e(entry['text'])}”{kind}{flags} — "
            f"{e(carried)}: {e(ledger_outlets(entry, index))}; first in "
            f"{e(index.label(entry['first']['article']))}{markers}"
            + (f"<ul>{variants}</ul>" if variants else "") + "</li>")
    return f"<h3>Who said what</h3><ul>{''.join(items)}</ul>"


def _quotes(story: Mapping[str, Any], cite: _Citer, index: ArticleIndex) -> str:
    if not story["quotes"]:
        return ""
    items = []
    for quote in story["quotes"]:
        speaker = e(quote["speaker"]) if quote["speaker"] else "<i>unattributed</i>"
        kind = "" if quote["direct"] else ' <span class="muted">(indirect)</span>'
        items.append(f"<li><b>{speaker}</b>: “{e(quote['text'])}”{kind} — "
                     f"{e(index.label(quote['article']))}{cite.marker(quote)}</li>")
    return f"<h3>Quotes</h3><ul>{''.join(items)}</ul>"


def _entities(story: Mapping[str, Any]) -> str:
    if not story["entities"]:
        return ""
    rows = ([e(x["name"]), e(x["type"]), e(", ".join(x["aliases"])),
             e(", ".join(x.get("roles", []))), str(len(x["mentions"])),
             str(len({c["article"] for c in x["mentions"]}))]
            for x in story["entities"])
    return "<h3>Entities</h3>" + _table(
        ["Name", "Type", "Also called", "Roles", "Mentions", "Articles"], rows)


def _provenance(story: Mapping[str, Any], index: ArticleIndex) -> str:
    if not story["provenance"] and not story["families"]:
        return ""
    parts = ["<h3>Provenance</h3>"]
    if story["provenance"]:
        rows = ([_article_link(index, x["from"]), _article_link(index, x["to"]), e(x["kind"]),
                 f"{float(x['overlap']):.2f}", "yes" if x["directed"] else "no (order unknown)",
                 e(x["evidence"] or "")] for x in story["provenance"])
        parts.append(_table(["From", "To", "Kind", "Overlap", "Directed", "Evidence"], rows))
    if story["families"]:
        families = "".join("<li>" + ", ".join(_article_link(index, a) for a in family) + "</li>"
                           for family in story["families"])
        parts.append(f"<p>Source families (an original and its copies):</p><ul>{families}</ul>")
    return "".join(parts)


def _timeline(story: Mapping[str, Any], cite: _Citer) -> str:
    if not story["timeline"]:
        return ""
    rows = ([e(t["date"]), e(t["text"]) + cite.markers(t["citations"])]
            for t in story["timeline"])
    return "<h3>Timeline</h3>" + _table(["Date", "Event"], rows)


def _sources_list(k: int, sources: Sources, index: ArticleIndex) -> str:
    entries = sources.entries()
    if not entries:
        return ""
    items = "".join(
        f'<li id="story-{k}-source-{n}"><a href="{_cite_href(index, a, s)}">{e(a)} [{s}:{end}]</a>'
        f" {e(index.label(a))} — <span class=\"snippet\">“{e(snippet(index.cited_text(a, s, end)))}"
        "”</span></li>"
        for n, a, s, end in entries)
    return f'<h3>Sources</h3><ol class="sources">{items}</ol>'


# --- the articles, with cited spans marked ---------------------------------------------

def _articles_section(report: Mapping[str, Any], index: ArticleIndex) -> str:
    cited = _cited_spans(report["stories"])
    story_position = {s["id"]: k for k, s in enumerate(report["stories"], start=1)}
    blocks = [_article_details(p, a, cited.get(a["id"], []), story_position)
              for p, a in enumerate(report["articles"])]
    return "<section id=\"articles\"><h2>Articles</h2>" + "\n".join(blocks) + "</section>"


def _cited_spans(stories: Iterable[Mapping[str, Any]]) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for story in stories:
        for cited in _story_citations(story):
            spans[str(cited["article"])].append((int(cited["start"]), int(cited["end"])))
    return spans


def _story_citations(story: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """What the story sections link to (entity mentions are too many to mark)."""
    for sentence in story["summary"]:
        yield from sentence["citations"]
    for fact in story["facts"]:
        yield from fact["citations"]
    for claim in story["claims"]:
        yield from claim["stances"]
    yield from story["quotes"]
    for entry in story["timeline"]:
        yield from entry["citations"]


def _article_details(position: int, article: Mapping[str, Any], spans: list[tuple[int, int]],
                     story_position: Mapping[str, int]) -> str:
    heading = (f"{e(article.get('outlet') or article['source'])} — "
               f"{e(article.get('title') or '(untitled)')}{_flags(article.get('flags', []))}")
    removed = article.get("removed", [])
    removed_block = (
        f'<details class="removed"><summary>Removed boilerplate ({len(removed)})</summary>'
        "<ul>" + "".join(f"<li>{e(r)}</li>" for r in removed) + "</ul></details>"
        if removed else "")
    return (f'<details class="article" id="art-{position}"><summary>{heading}</summary>'
            f"{_article_meta(article, story_position)}"
            f'<div class="text">{marked_text(article["text"], spans, position)}</div>'
            f"{removed_block}</details>")


def _article_meta(article: Mapping[str, Any], story_position: Mapping[str, int]) -> str:
    story = article.get("story")
    k = story_position.get(story) if isinstance(story, str) else None
    story_cell = e(story) if k is None else f'<a href="#story-{k}">{e(story)}</a>'
    # The URL is shown as text, not a link: the page promises no outgoing requests.
    fields = [("id", e(article["id"])), ("source", e(article["source"])),
              ("url", e(article.get("url") or "")), ("author", e(article.get("author") or "")),
              ("published", e(article.get("published") or "")),
              ("language", e(article.get("language") or "")), ("story", story_cell)]
    return '<dl class="meta">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in fields
                                         if v) + "</dl>"


def marked_text(text: str, spans: Iterable[tuple[int, int]], position: int) -> str:
    """`text` escaped, with every span in `<mark>`; a mark starting at `s` has id
    `cite-{position}-{s}`. Overlapping spans are split at every boundary, so marks
    never nest; spans outside the text are ignored."""
    valid = sorted({(s, end) for s, end in spans if 0 <= s <= end <= len(text)})
    starts = {s for s, _ in valid}
    depth_change: dict[int, int] = defaultdict(int)
    for s, end in valid:
        if end > s:
            depth_change[s] += 1
            depth_change[end] -= 1
    bounds = sorted({0, len(text)} | starts | {end for _, end in valid})
    out: list[str] = []
    depth = 0
    for b0, b1 in pairwise(bounds):
        depth += depth_change[b0]
        anchor = f' id="cite-{position}-{b0}"' if b0 in starts else ""
        segment = e(text[b0:b1])
        if depth > 0:
            out.append(f"<mark{anchor}>{segment}</mark>")
        else:
            # Only a zero-length span can start where nothing is covered.
            out.append((f"<mark{anchor}></mark>" if anchor else "") + segment)
    if len(text) in starts:  # a zero-length span at the very end
        out.append(f'<mark id="cite-{position}-{len(text)}"></mark>')
    return "".join(out)


# --- run-level sections ------------------------------------------------------------------

def _rejects_section(rejects: list[Mapping[str, Any]]) -> str:
    if not rejects:
        return '<section id="rejects"><h2>Rejected inputs</h2><p>None.</p></section>'
    rows = ([e(r["source"]), e(r["step"]), e(r["reason"]), e(r.get("detail", ""))]
            for r in rejects)
    return ('<section id="rejects"><h2>Rejected inputs</h2>'
            + _table(["Source", "Step", "Reason", "Detail"], rows) + "</section>")


def _stats_section(stats: Mapping[str, int]) -> str:
    if not stats:
        return ""
    rows = ([e(k), e(v)] for k, v in stats.items())
    return ('<section id="stats"><h2>Run statistics</h2>'
            + _table(["Counter", "Value"], rows) + "</section>")
