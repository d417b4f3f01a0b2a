"""Model objects to and from the JSON kept in the store's text columns."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import numpy as np

from corroborate.model import (
    Article,
    Citation,
    Claim,
    ClaimStatus,
    EntityMention,
    Fact,
    LedgerCarrier,
    LedgerEntry,
    Passage,
    ProvenanceEdge,
    ProvenanceKind,
    Quote,
    Span,
    Stance,
    StanceRecord,
    Story,
    StoryEntity,
    StoryQuote,
    SummarySentence,
    TimelineEntry,
)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def annotations_json(article: Article) -> str:
    return dumps({
        "sentences": [[s.start, s.end] for s in article.sentences],
        "entities": [asdict(e) for e in article.entities],
        "quotes": [asdict(q) for q in article.quotes],
    })


def apply_annotations(article: Article, payload: str) -> None:
    data = json.loads(payload)
    article.sentences = [Span(start, end) for start, end in data.get("sentences", [])]
    article.entities = [EntityMention(**e) for e in data.get("entities", [])]
    article.quotes = [Quote(**q) for q in data.get("quotes", [])]


def vector_blob(vector: list[float] | None) -> bytes | None:
    if vector is None:
        return None
    return np.asarray(vector, dtype="<f4").tobytes()


def blob_vector(blob: bytes | None) -> list[float] | None:
    if blob is None:
        return None
    return [float(x) for x in np.frombuffer(blob, dtype="<f4")]


def story_json(story: Story) -> str:
    return dumps(asdict(story))


def story_from_json(payload: str) -> Story:
    d = json.loads(payload)
    return Story(
        id=d["id"],
        title=d.get("title", ""),
        article_ids=list(d.get("article_ids", [])),
        entities=[
            StoryEntity(e["name"], e["type"], list(e["aliases"]), _citations(e["mentions"]),
                        list(e.get("roles", [])))
            for e in d.get("entities", [])
        ],
        quotes=[StoryQuote(**q) for q in d.get("quotes", [])],
        ledger=[_ledger_entry(x) for x in d.get("ledger", [])],
        facts=[
            Fact(f["text"], list(f["support"]), f["independent_support"],
                 _citations(f.get("citations", [])))
            for f in d.get("facts", [])
        ],
        claims=[_claim(c) for c in d.get("claims", [])],
        provenance=[edge_from_dict(e) for e in d.get("provenance", [])],
        timeline=[
            TimelineEntry(t["date"], t["text"], list(t["articles"]),
                          _citations(t.get("citations", [])))
            for t in d.get("timeline", [])
        ],
        summary=[SummarySentence(s["text"], _citations(s["citations"]))
                 for s in d.get("summary", [])],
        families=[list(f) for f in d.get("families", [])],
    )


def edge_from_dict(d: dict[str, Any]) -> ProvenanceEdge:
    return ProvenanceEdge(
        source=d["source"], target=d["target"], kind=ProvenanceKind(d["kind"]),
        overlap=float(d["overlap"]), directed=bool(d["directed"]), evidence=d.get("evidence"),
        passages=[Passage(**p) for p in d.get("passages", [])],
    )


def passages_json(passages: list[Passage]) -> str:
    return dumps([[p.source_start, p.source_end, p.target_start, p.target_end, p.similarity]
                  for p in passages])


def passages_from_json(payload: str | None) -> list[Passage]:
    return [Passage(*row) for row in json.loads(payload or "[]")]


def _ledger_entry(d: dict[str, Any]) -> LedgerEntry:
    first = d["first"]
    return LedgerEntry(
        speaker=d["speaker"], text=d["text"], direct=d["direct"],
        first=Citation(first["article"], first["start"], first["end"]),
        articles=list(d["articles"]), outlets=list(d["outlets"]),
        carriers=[LedgerCarrier(**{**c, "flags": list(c.get("flags", []))})
                  for c in d["carriers"]],
        flags=list(d.get("flags", [])))


def _citations(items: list[dict[str, Any]]) -> list[Citation]:
    return [Citation(c["article"], c["start"], c["end"]) for c in items]


def _claim(d: dict[str, Any]) -> Claim:
    return Claim(
        text=d["text"],
        status=ClaimStatus(d["status"]),
        stances=[
            StanceRecord(s["holder"], Stance(s["stance"]), s["article"], s["start"], s["end"])
            for s in d.get("stances", [])
        ],
        support=list(d.get("support", [])),
        independent_support=int(d.get("independent_support", 0)),
    )
