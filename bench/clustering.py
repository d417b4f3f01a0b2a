"""Story clustering on ECB+ (../shared/datasets/ecbplus): BCubed P/R/F1 and articles/s.

    .venv/bin/python bench/clustering.py [--split dev] [--threshold 0.55] [--sweep]

All documents of a split are clustered together, no gold topics given; the gold
story of a document is (topic, subtopic). The first line of every `ecbplus` document
is its source URL, which gives the answer away: it is dropped.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

from corroborate.cluster.online import OnlineClusterer
from corroborate.enrich.embed import EmbedStep
from corroborate.enrich.entities import EntityStep
from corroborate.model import Article
from corroborate.pipeline.base import RunContext

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "ecbplus" / "documents.jsonl"


def detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens)
    for a, b in ((" ,", ","), (" .", "."), (" 's", "'s"), (" n't", "n't"), ("`` ", '"'),
                 (" ''", '"'), (" :", ":"), (" ;", ";"), ("( ", "("), (" )", ")")):
        text = text.replace(a, b)
    return text


def load(split: str) -> tuple[list[Article], dict[str, str]]:
    articles, gold = [], {}
    for line in DATA.open(encoding="utf-8"):
        row = json.loads(line)
        if row["split"] != split:
            continue
        sentences = row["sentences"]
        if row["subtopic"] == "ecbplus":
            sentences = sentences[1:]  # the URL line leaks the label
        text = "\n".join(detokenize(s) for s in sentences)
        doc_id = row["doc_id"]
        articles.append(Article(id=doc_id, source=doc_id, text=text, content_hash=doc_id))
        gold[doc_id] = f"{row['topic']}/{row['subtopic']}"
    return articles, gold


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for doc, c in pred.items():
        by_pred[c].add(doc)
    for doc, c in gold.items():
        by_gold[c].add(doc)
    p = r = 0.0
    for doc in pred:
        same_pred, same_gold = by_pred[pred[doc]], by_gold[gold[doc]]
        shared = len(same_pred & same_gold)
        p += shared / len(same_pred)
        r += shared / len(same_gold)
    p, r = p / len(pred), r / len(pred)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def cluster(articles: list[Article], threshold: float) -> dict[str, str]:
    clusterer = OnlineClusterer([], threshold=threshold)
    return {a.id: clusterer.assign(a).story_id for a in articles}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--sweep", action="store_true", help="print F1 for a range of thresholds")
    parser.add_argument("--seed", type=int, default=0, help="shuffle seed for the stream order")
    args = parser.parse_args()
    if not DATA.is_file():
        print(f"skipped: {DATA} not found", file=sys.stderr)
        return 0
    articles, gold = load(args.split)
    ctx = RunContext()
    t0 = time.perf_counter()
    articles = list(EmbedStep().run(EntityStep().run(articles, ctx), ctx))
    enrich_s = time.perf_counter() - t0
    random.Random(args.seed).shuffle(articles)
    thresholds = ([x / 100 for x in range(30, 80, 5)] if args.sweep
                  else [args.threshold] if args.threshold is not None else [None])
    print(f"ECB+ {args.split}: {len(articles)} documents, {len(set(gold.values()))} gold stories; "
          f"enrichment {len(articles) / enrich_s:.1f} docs/s")
    for threshold in thresholds:
        t1 = time.perf_counter()
        pred = cluster(articles, threshold) if threshold is not None else cluster(
            articles, OnlineClusterer([]).threshold)
        elapsed = time.perf_counter() - t1
        p, r, f = bcubed(pred, gold)
        label = "default" if threshold is None else f"{threshold:.2f}"
        print(f"threshold {label}: B3 P {p:.3f} R {r:.3f} F1 {f:.3f}  stories "
              f"{len(set(pred.values()))}  clustering {len(articles) / elapsed:.0f} docs/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
