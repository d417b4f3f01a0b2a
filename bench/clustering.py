"""Story clustering on ECB+ (../shared/datasets/ecbplus): corroborate's streaming
clusterer against a TF-IDF + average-link agglomerative baseline.

    .venv/bin/python bench/clustering.py [--split train|dev] [--seeds 5] [--json]
        [--threshold P] [--no-body] [--cache FILE | --no-cache]

All documents of a split are clustered together, no gold topics given; the gold story
of a document is (topic, subtopic). The first line of every `ecbplus` document is its
source URL, which gives the answer away: it is dropped.

- corroborate: `OnlineClusterer`, documents fed one at a time in file order, then in
  `--seeds` shuffled orders (mean and min reported): a stream's order is not a gift.
  Document frequencies only ever count the documents already fed.
- baseline: TF-IDF (scikit-learn, fitted on the whole split) and average-link
  agglomerative clustering on cosine distance, its distance threshold tuned on the same
  split for the best BCubed F1 (an upper bound of what it would do on unseen data).

Metrics: BCubed precision/recall/F1, pairwise F1 and the adjusted Rand index. Speed:
articles/s of the clustering alone, with the features (spaCy entities, MiniLM vectors,
tokens, figures) computed beforehand, and of the feature computation when it ran.

spaCy and MiniLM results are cached by text hash in FILE (default
out/bench-cache/clustering-features.json), so tuning runs are fast; the cache is never
required (CI starts clean), and --no-cache ignores it.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from corroborate.cluster import features as cluster_features
from corroborate.cluster.features import (
    BODY_CHUNK_CHARS,
    BODY_CHUNKS,
    ArticleFeatures,
    article_features,
    body_chunks,
    body_vectors,
)
from corroborate.cluster.online import OnlineClusterer
from corroborate.cluster.scoring import JOIN_PROBABILITY
from corroborate.cluster.step import ClusterStep, PolicyFactory, clusterer_policy
from corroborate.cluster.tfidf import prior_share
from corroborate.enrich.embed import LEAD_CHARS, EmbedStep
from corroborate.enrich.entities import EntityStep
from corroborate.model import Article, EntityMention
from corroborate.pipeline.base import RunContext
from corroborate.store.sqlite import Store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets" / "ecbplus" / "documents.jsonl"
DEFAULT_CACHE = ROOT / "out" / "bench-cache" / "clustering-features.json"
# Part of every cache key: bump it when what is cached changes meaning.
CACHE_VERSION = "ecb-features-2"
# Shuffled orders use seeds from here on (the scorer's training pairs use 1..N).
SHUFFLE_SEED = 101
# Articles between two story maintenance passes in the streaming rows: the clustering
# step runs maintenance after each batch it is given (one `corroborate analyze` run).
MAINTENANCE_EVERY = 40
# The baseline's distance thresholds tried (cosine distance, average link).
BASELINE_THRESHOLDS = [t / 100 for t in range(50, 100)]


# -- data ------------------------------------------------------------------------------


def detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens)
    for a, b in ((" ,", ","), (" .", "."), (" 's", "'s"), (" n't", "n't"), ("`` ", '"'),
                 (" ''", '"'), (" :", ":"), (" ;", ";"), ("( ", "("), (" )", ")")):
        text = text.replace(a, b)
    return text


def load(split: str, path: Path = DATA) -> tuple[list[Article], dict[str, str]]:
    """The split's documents as articles, in file order, and their gold stories."""
    articles, gold = [], {}
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        if row["split"] != split:
            continue
        sentences = row["sentences"]
        if row["subtopic"] == "ecbplus":
            sentences = sentences[1:]  # the URL line leaks the label
        text = "\n".join(detokenize(s) for s in sentences)
        doc_id = row["doc_id"]
        digest = hashlib.sha256(text.encode()).hexdigest()
        articles.append(Article(id=doc_id, source=doc_id, raw=text, text=text,
                                content_hash=digest, language="en"))
        gold[doc_id] = f"{row['topic']}/{row['subtopic']}"
    return articles, gold


# -- features, cached by text hash -----------------------------------------------------


@dataclass(slots=True)
class Enrichment:
    features: list[ArticleFeatures]
    computed: int  # documents whose spaCy/MiniLM features were computed in this run
    seconds: float  # time spent computing them


def enrich(articles: list[Article], cache: Path | None, body: bool = True) -> Enrichment:
    """Entities, lead vectors and body vectors of `articles` (from `cache` when there),
    then each article's clustering features."""
    cached = _read_cache(cache)
    missing = [a for a in articles if _text_key(a.text) not in cached
               or (body and _body_key(a.text) not in cached)]
    t0 = time.perf_counter()
    if missing:
        ctx = RunContext()
        enriched = list(EmbedStep().run(EntityStep().run(missing, ctx), ctx))
        bodies = body_vectors(enriched) if body else [None] * len(enriched)
        for article, vectors in zip(enriched, bodies, strict=True):
            cached[_text_key(article.text)] = {
                "entities": [[m.start, m.end, m.text, m.label] for m in article.entities],
                "lead": _encode(np.asarray(article.embedding, dtype=np.float32))}
            if vectors is not None:
                cached[_body_key(article.text)] = [_encode(v) for v in vectors]
        if cache is not None:
            _write_cache(cache, cached)
    seconds = time.perf_counter() - t0
    features = []
    for article in articles:
        row = cached[_text_key(article.text)]
        article.entities = [EntityMention(*m) for m in row["entities"]]
        article.embedding = [float(x) for x in _vector(row["lead"])]
        vectors = [_vector(v) for v in cached[_body_key(article.text)]] if body else []
        _CHUNK_VECTORS.update(zip(body_chunks(article.text), vectors, strict=False))
        features.append(article_features(article, vectors))
    return Enrichment(features, len(missing), seconds)


def _text_key(text: str) -> str:
    """Entities and the lead vector depend on the text (and the lead's length)."""
    return _digest(f"{CACHE_VERSION}|lead {LEAD_CHARS}|{text}")


def _body_key(text: str) -> str:
    """Body vectors depend on how the body is cut too."""
    return _digest(f"{CACHE_VERSION}|body {LEAD_CHARS} {BODY_CHUNKS} {BODY_CHUNK_CHARS}|{text}")


def _digest(material: str) -> str:
    return hashlib.blake2b(material.encode(), digest_size=16).hexdigest()


def _encode(vector: np.ndarray) -> str:
    return base64.b64encode(vector.astype("<f4").tobytes()).decode("ascii")


def _vector(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f4").copy()


def _read_cache(path: Path | None) -> dict[str, Any]:
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged cache is recomputed, never trusted
    return data if isinstance(data, dict) else {}


def _write_cache(path: Path, rows: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(rows), encoding="utf-8")
    partial.replace(path)


# -- clustering ------------------------------------------------------------------------


def stream(articles: Sequence[Article], features: Sequence[ArticleFeatures],
           threshold: float = JOIN_PROBABILITY) -> tuple[dict[str, str], float]:
    """corroborate's clusterer over the articles in the order given; the seconds the
    clustering took (features precomputed)."""
    clusterer = OnlineClusterer([], threshold)
    prior_share("news")  # loads wordfreq's tables, once per process: not clustering time
    t0 = time.perf_counter()
    pred = {a.id: clusterer.assign(a, features=f).story_id
            for a, f in zip(articles, features, strict=True)}
    return pred, time.perf_counter() - t0


def maintained_stream(articles: Sequence[Article], every: int,
                      policy: PolicyFactory | None = clusterer_policy
                      ) -> tuple[dict[str, str], dict[str, int], float]:
    """corroborate as it runs: the clustering step (`ClusterStep`, on a fresh SQLite
    store) fed the articles `every` at a time, in the order given. The clusterer places
    each article on its own; after each batch, story maintenance (`policy`) merges and
    splits the stories the batch touched. Returns the final article -> story map, the
    step's counters and the seconds the step took."""
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "bench.db") as store:
        store.put_articles(articles)
        counters: Counter[str] = Counter()
        elapsed = 0.0
        for start in range(0, len(articles), every):
            batch = [replace(a) for a in articles[start : start + every]]
            ctx = RunContext(store=store)
            t0 = time.perf_counter()
            ClusterStep(policy).process_all(batch, ctx)
            elapsed += time.perf_counter() - t0
            counters.update(ctx.stats)
        found = store.story_ids_of([a.id for a in articles])
        return {a: s for a, s in found.items() if s}, dict(counters), elapsed


# Body-stretch text -> its MiniLM vector, filled from the bench's cache by `enrich`: the
# clustering step embeds the body stretches of the articles it places (`features.prepare`),
# and `serve_known_body_vectors` makes it find them here instead of running MiniLM again.
_CHUNK_VECTORS: dict[str, np.ndarray] = {}


def serve_known_body_vectors() -> None:
    """Route the clustering step's body-stretch embedding through `_CHUNK_VECTORS` (the
    same text gives the same vector; unknown stretches are embedded and remembered)."""
    namespace = vars(cluster_features)
    embed: Callable[[Sequence[str]], Any] = namespace["embed_texts"]
    if getattr(embed, "serves_known", False):
        return

    def known_first(texts: Sequence[str]) -> list[Any]:
        missing = [t for t in dict.fromkeys(texts) if t not in _CHUNK_VECTORS]
        if missing:
            _CHUNK_VECTORS.update(zip(missing, embed(missing), strict=True))
        return [_CHUNK_VECTORS[t] for t in texts]

    known_first.serves_known = True  # type: ignore[attr-defined]
    namespace["embed_texts"] = known_first


def shuffled(n: int, seed: int) -> list[int]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return order


def baseline(articles: Sequence[Article], gold: dict[str, str]
             ) -> tuple[dict[str, str], float, float]:
    """TF-IDF + average-link agglomerative clustering at the distance threshold that
    scores best on `gold`: (prediction, threshold, seconds of one clustering)."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english").fit_transform([a.text for a in articles])
    dense = matrix.toarray()
    best: tuple[float, float, dict[str, str], float] | None = None
    for threshold in BASELINE_THRESHOLDS:
        t0 = time.perf_counter()
        labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                         distance_threshold=threshold).fit_predict(dense)
        seconds = time.perf_counter() - t0
        pred = {a.id: str(label) for a, label in zip(articles, labels, strict=True)}
        f1 = bcubed(pred, gold)[2]
        if best is None or f1 > best[0]:
            best = (f1, threshold, pred, seconds)
    assert best is not None
    return best[2], best[1], best[3]


# -- metrics ---------------------------------------------------------------------------


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
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


def pairwise_f1(pred: dict[str, str], gold: dict[str, str]) -> float:
    def pairs(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter((pred[d], gold[d]) for d in pred))
    in_pred, in_gold = pairs(Counter(pred.values())), pairs(Counter(gold[d] for d in pred))
    precision = both / in_pred if in_pred else 1.0
    recall = both / in_gold if in_gold else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def ari(pred: dict[str, str], gold: dict[str, str]) -> float:
    from sklearn.metrics import adjusted_rand_score

    docs = sorted(pred)
    return float(adjusted_rand_score([gold[d] for d in docs], [pred[d] for d in docs]))


def scores(pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    p, r, f = bcubed(pred, gold)
    return {"b3_precision": p, "b3_recall": r, "b3_f1": f,
            "pairwise_f1": pairwise_f1(pred, gold), "ari": ari(pred, gold),
            "stories": float(len(set(pred.values())))}


# -- the run ---------------------------------------------------------------------------


def evaluate(articles: list[Article], features: list[ArticleFeatures], gold: dict[str, str],
             seeds: int, threshold: float, every: int) -> dict[str, Any]:
    """corroborate in file order and in `seeds` shuffled orders, online alone and with
    story maintenance every `every` articles, and the baseline."""
    def online(order: list[int]) -> dict[str, float]:
        pred, seconds = stream([articles[i] for i in order], [features[i] for i in order],
                               threshold)
        return {**scores(pred, gold), "articles_per_s": len(articles) / seconds}

    def maintained(order: list[int]) -> dict[str, float]:
        pred, counters, seconds = maintained_stream([articles[i] for i in order], every)
        return {**scores(pred, gold), "articles_per_s": len(articles) / seconds,
                "merges": float(counters.get("cluster.merge", 0)),
                "splits": float(counters.get("cluster.split", 0))}

    orders = [shuffled(len(articles), seed) for seed in range(SHUFFLE_SEED, SHUFFLE_SEED + seeds)]
    results: dict[str, Any] = {}
    for name, run in (("online", online), ("maintained", maintained)):
        runs = [{**run(order), "seed": SHUFFLE_SEED + k} for k, order in enumerate(orders)]
        results[name] = {"file_order": run(list(range(len(articles))))}
        if runs:
            results[name]["shuffled"] = {
                "seeds": seeds, "runs": runs,
                "mean": {k: statistics.mean(r[k] for r in runs) for k in runs[0] if k != "seed"},
                "min": {k: min(r[k] for r in runs) for k in runs[0] if k != "seed"},
            }
    results["maintained"]["every"] = every
    pred, distance, seconds = baseline(articles, gold)
    results["baseline"] = {**scores(pred, gold), "distance_threshold": distance,
                           "articles_per_s": len(articles) / seconds}
    return results


def report(summary: dict[str, Any]) -> None:
    print(f"ECB+ {summary['split']}: {summary['documents']} documents, "
          f"{summary['gold_stories']} gold stories; join probability {summary['threshold']:.2f}"
          f"{'' if summary['body_vectors'] else ', lead vectors only'}")
    header = (f"{'system':<50} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'pairF1':>6} "
              f"{'ARI':>6} {'stories':>7} {'art/s':>7}")
    print(header)
    every = summary["maintained"]["every"]
    rows = []
    for key, name in (("maintained", f"corroborate streaming (maintenance every {every})"),
                      ("online", "corroborate online clusterer alone")):
        system = summary[key]
        rows.append((f"{name}, file order", system["file_order"]))
        if "shuffled" in system:
            n = system["shuffled"]["seeds"]
            rows.append((f"  shuffled, mean of {n} orders", system["shuffled"]["mean"]))
            rows.append((f"  shuffled, min of {n} orders", system["shuffled"]["min"]))
    base = summary["baseline"]
    rows.append((f"baseline TF-IDF + average link (d={base['distance_threshold']:.2f})", base))
    for name, r in rows:
        print(f"{name:<50} {r['b3_precision']:6.3f} {r['b3_recall']:6.3f} {r['b3_f1']:6.3f} "
              f"{r['pairwise_f1']:6.3f} {r['ari']:6.3f} {r['stories']:7.0f} "
              f"{r['articles_per_s']:7.0f}")
    print("art/s: online, one assign per article with features precomputed; streaming, the "
          "clustering step with its store, body stretches and maintenance; baseline, one "
          "agglomerative fit.")
    features = summary["features"]
    if features["computed"]:
        print(f"features (spaCy entities, MiniLM lead + body vectors): {features['computed']} "
              f"documents at {features['articles_per_s']:.1f} articles/s, models loaded "
              f"included")
    else:
        print("features: all from the cache")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument("--seeds", type=int, default=5, help="shuffled orders to run")
    parser.add_argument("--threshold", type=float, default=JOIN_PROBABILITY,
                        help="join probability (default: the tuned constant)")
    parser.add_argument("--no-body", action="store_true",
                        help="lead vectors only (no body stretches)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--every", type=int, default=MAINTENANCE_EVERY,
                        help="articles between story maintenance passes (streaming rows)")
    parser.add_argument("--json", action="store_true", help="print one JSON summary")
    args = parser.parse_args(argv)
    if not DATA.is_file():
        print(f"skipped: {DATA} not found", file=sys.stderr)
        return 0
    articles, gold = load(args.split)
    enrichment = enrich(articles, None if args.no_cache else args.cache, body=not args.no_body)
    summary: dict[str, Any] = {
        "split": args.split, "documents": len(articles),
        "gold_stories": len(set(gold.values())), "threshold": args.threshold,
        "body_vectors": not args.no_body,
        "features": {"computed": enrichment.computed,
                     "articles_per_s": enrichment.computed / enrichment.seconds
                     if enrichment.computed else None},
    }
    serve_known_body_vectors()
    summary.update(evaluate(articles, enrichment.features, gold, args.seeds, args.threshold,
                            args.every))
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        report(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
