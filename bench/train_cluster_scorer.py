"""Learn the story clusterer's evidence weights on ECB+ train; check the join threshold.

    .venv/bin/python bench/train_cluster_scorer.py [--seeds 5] [--C 1.0] [--drop NAME ...]
        [--no-body] [--prior N] [--no-cut] [--thresholds] [--recall] [--current]

1. Pairs: the train documents are streamed in `--seeds` shuffled orders. Each document
   is compared with the stories the clusterer would score (`candidate_ids`, the
   closest centroids) plus its gold story when that is open (label 1 for the gold
   story, 0 for the others), then joins its gold story (teacher forcing; the first
   document of a story opens it, and gives only negative pairs: they teach when to
   open a new story). Document frequencies grow as in the clusterer: only documents
   already fed count.
2. Model: scikit-learn logistic regression on standardised evidence, its weights
   folded back to raw units and printed as the constants of
   `corroborate.cluster.scoring` (WEIGHTS, INTERCEPT).
3. Check: the clusterer with those weights on train and dev, in file order and in
   shuffled orders (other seeds than the pairs'), at the current join probability or
   over a range (`--thresholds`). `--recall` prints how often the open gold story is
   among the k closest centroids.

Nothing of dev is used to fit; dev is only read by the checks. Features come from the
bench's cache (bench/clustering.py), computed on first use.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from clustering import (
    DATA,
    DEFAULT_CACHE,
    SHUFFLE_SEED,
    bcubed,
    enrich,
    load,
    shuffled,
    stream,
)
from corroborate.cluster import online, scoring, tfidf
from corroborate.cluster.features import ArticleFeatures
from corroborate.cluster.online import OnlineClusterer
from corroborate.cluster.scoring import FEATURE_NAMES, article_profile, evidence, story_profile
from corroborate.model import Article

# A join probability above 1 never joins on score: every story is opened or joined
# by the teacher (`family_story`).
NEVER = 2.0
# Shuffled orders for the checks: the bench's, apart from the pairs' seeds 1..N.
CHECK_SEED = SHUFFLE_SEED


def training_pairs(articles: Sequence[Article], features: Sequence[ArticleFeatures],
                   gold: dict[str, str], seeds: int) -> tuple[np.ndarray, np.ndarray]:
    rows: list[list[float]] = []
    labels: list[int] = []
    for seed in range(1, seeds + 1):
        clusterer = OnlineClusterer([], NEVER)
        story_of_gold: dict[str, str] = {}
        for i in shuffled(len(articles), seed):
            article, feats = articles[i], features[i]
            target = story_of_gold.get(gold[article.id])
            candidates = clusterer.candidate_ids(feats)
            if target is not None and target not in candidates:
                candidates.append(target)
            profile = article_profile(feats)
            for story_id in candidates:
                state = clusterer.states[story_id]
                rows.append(evidence(profile, story_profile(state), clusterer.frequencies))
                labels.append(int(story_id == target))
            placed = clusterer.assign(article, family_story=target, features=feats)
            story_of_gold[gold[article.id]] = placed.story_id
    return np.asarray(rows), np.asarray(labels)


def candidate_recall(articles: Sequence[Article], features: Sequence[ArticleFeatures],
                     gold: dict[str, str], seeds: int, ks: Sequence[int]) -> dict[int, float]:
    """Share of documents whose open gold story is among the k closest centroids."""
    hits = dict.fromkeys(ks, 0)
    total = 0
    for seed in range(1, seeds + 1):
        clusterer = OnlineClusterer([], NEVER, candidates=max(ks))
        story_of_gold: dict[str, str] = {}
        for i in shuffled(len(articles), seed):
            target = story_of_gold.get(gold[articles[i].id])
            if target is not None:
                total += 1
                ranked = clusterer.candidate_ids(features[i])
                for k in ks:
                    hits[k] += target in ranked[:k]
            placed = clusterer.assign(articles[i], family_story=target, features=features[i])
            story_of_gold[gold[articles[i].id]] = placed.story_id
    return {k: hits[k] / max(total, 1) for k in ks}


def fit(x: np.ndarray, y: np.ndarray, c: float, keep: Sequence[bool]
        ) -> tuple[list[float], float]:
    """Logistic regression on standardised columns; weights in raw units (0 for the
    dropped columns)."""
    from sklearn.linear_model import LogisticRegression

    cols = [i for i, k in enumerate(keep) if k]
    sub = x[:, cols]
    mean, std = sub.mean(axis=0), sub.std(axis=0)
    std[std == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=5000).fit((sub - mean) / std, y)
    raw = model.coef_[0] / std
    weights = [0.0] * x.shape[1]
    for col, w in zip(cols, raw, strict=True):
        weights[col] = float(w)
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / std))
    return weights, intercept


def check(articles: list[Article], features: list[ArticleFeatures], gold: dict[str, str],
          seeds: int, threshold: float) -> dict[str, float]:
    """BCubed F1 in file order, and mean and min over shuffled orders."""
    file_order = bcubed(stream(articles, features, threshold)[0], gold)[2]
    runs = []
    for seed in range(CHECK_SEED, CHECK_SEED + seeds):
        order = shuffled(len(articles), seed)
        pred, _ = stream([articles[i] for i in order], [features[i] for i in order], threshold)
        runs.append(bcubed(pred, gold)[2])
    return {"file": file_order, "mean": statistics.mean(runs), "min": min(runs)}


def print_constants(weights: Sequence[float], intercept: float) -> None:
    print("WEIGHTS: tuple[float, ...] = (")
    for name, w in zip(FEATURE_NAMES, weights, strict=True):
        print(f"    {w:.3f},  # {name}")
    print(")")
    print(f"INTERCEPT = {intercept:.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="shuffled streams, each")
    parser.add_argument("--C", type=float, default=1.0, dest="c",
                        help="inverse regularisation strength")
    parser.add_argument("--drop", nargs="*", default=[], choices=FEATURE_NAMES,
                        help="evidence left out of the model (ablation)")
    parser.add_argument("--no-body", action="store_true", help="lead vectors only")
    parser.add_argument("--prior", type=int, default=None,
                        help="PRIOR_DOCUMENTS of the document frequencies")
    parser.add_argument("--no-cut", action="store_true",
                        help="keep every term and name of a story (no memory bound)")
    parser.add_argument("--thresholds", action="store_true",
                        help="check a range of join probabilities on train and dev")
    parser.add_argument("--recall", action="store_true",
                        help="how often the gold story is among the closest centroids")
    parser.add_argument("--current", action="store_true",
                        help="check the constants in the code instead of fitting")
    args = parser.parse_args(argv)
    if not DATA.is_file():
        print(f"skipped: {DATA} not found", file=sys.stderr)
        return 0
    if args.prior is not None:
        tfidf.PRIOR_DOCUMENTS = args.prior
    if args.no_cut:
        online.STORY_TERMS = online.STORY_LEAD_TERMS = online.STORY_KEYS = 10**9
    splits: dict[str, Any] = {}
    for split in ("train", "dev"):
        articles, gold = load(split)
        splits[split] = (articles, enrich(articles, DEFAULT_CACHE, body=not args.no_body)
                         .features, gold)
    train_articles, train_features, train_gold = splits["train"]
    if args.recall:
        recall = candidate_recall(train_articles, train_features, train_gold, args.seeds,
                                  [1, 2, 4, 8, 16])
        print("gold story among the k closest centroids (train):",
              ", ".join(f"k={k}: {r:.4f}" for k, r in recall.items()))
    if not args.current:
        x, y = training_pairs(train_articles, train_features, train_gold, args.seeds)
        print(f"{len(y)} pairs, {int(y.sum())} positive")
        keep = [name not in args.drop for name in FEATURE_NAMES]
        weights, intercept = fit(x, y, args.c, keep)
        print_constants(weights, intercept)
        scoring.WEIGHTS = tuple(weights)
        scoring.INTERCEPT = intercept
    thresholds = ([t / 100 for t in range(10, 75, 5)] if args.thresholds
                  else [scoring.JOIN_PROBABILITY])
    print(f"BCubed F1, shuffled: {args.seeds} orders from seed {CHECK_SEED}")
    print(f"{'p':>5} {'train file':>10} {'mean':>6} {'min':>6} {'dev file':>9} {'mean':>6} "
          f"{'min':>6}")
    for threshold in thresholds:
        row = [check(*splits[s], args.seeds, threshold) for s in ("train", "dev")]
        print(f"{threshold:5.2f} {row[0]['file']:10.3f} {row[0]['mean']:6.3f} "
              f"{row[0]['min']:6.3f} {row[1]['file']:9.3f} {row[1]['mean']:6.3f} "
              f"{row[1]['min']:6.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
