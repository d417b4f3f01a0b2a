"""Article-level stance toward a claim: the FNC-1 model shipped as JSON.

The model is a gradient-boosted tree ensemble (trained by `training/train_stance.py`
with scikit-learn, exported as plain node arrays) over the pair features of
`stance_features`. A tiny evaluator here walks the trees, so prediction needs
neither scikit-learn's pickles nor the training code. The JSON also records the
sha256 of the training CSVs, the feature list, library versions and the date.

Labels are FNC-1's: agree, disagree, discuss, unrelated.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from corroborate.analyse.stance_features import (
    FEATURE_NAMES,
    pair_features,
    split_sentences,
    view_headline,
    view_text,
)
from corroborate.enrich.embed import embed_texts
from corroborate.errors import ModelUnavailableError

LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
MODEL_RESOURCE = "data/stance_model.json"
# Pairs embedded together by `predict_pairs`: big enough to keep MiniLM's batches
# full, small enough to bound memory on a file of thousands of pairs.
PAIR_BATCH = 128


@dataclass(frozen=True, slots=True)
class Tree:
    """One regression tree as parallel node arrays; `left[i] == -1` marks a leaf."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def __call__(self, x: Sequence[float]) -> float:
        node = 0
        while self.left[node] >= 0:
            # Same rule as the trainer: values at or below the threshold go left.
            node = (self.left[node] if x[self.feature[node]] <= self.threshold[node]
                    else self.right[node])
        return self.value[node]

    def to_dict(self) -> dict[str, list[Any]]:
        return {"f": list(self.feature), "t": list(self.threshold), "l": list(self.left),
                "r": list(self.right), "v": list(self.value)}

    @classmethod
    def from_dict(cls, data: dict[str, list[Any]]) -> Tree:
        return cls(tuple(int(v) for v in data["f"]), tuple(float(v) for v in data["t"]),
                   tuple(int(v) for v in data["l"]), tuple(int(v) for v in data["r"]),
                   tuple(float(v) for v in data["v"]))


@dataclass(frozen=True, slots=True)
class StanceModel:
    """Boosted trees: per class, a baseline plus the sum of that class's trees,
    then a softmax. `trees[i][k]` is iteration i's tree for class k."""

    labels: tuple[str, ...]
    features: tuple[str, ...]
    baseline: tuple[float, ...]
    trees: tuple[tuple[Tree, ...], ...]
    meta: dict[str, Any]

    def probabilities(self, x: Sequence[float]) -> list[float]:
        raw = list(self.baseline)
        for stage in self.trees:
            for k, tree in enumerate(stage):
                raw[k] += tree(x)
        top = max(raw)
        exps = [math.exp(r - top) for r in raw]
        total = sum(exps)
        return [e / total for e in exps]

    def predict(self, x: Sequence[float]) -> tuple[str, float]:
        probs = self.probabilities(x)
        best = max(range(len(probs)), key=probs.__getitem__)
        return self.labels[best], probs[best]

    def to_dict(self) -> dict[str, Any]:
        return {"format": 1, "kind": "boosted-trees-softmax", "labels": list(self.labels),
                "features": list(self.features), "baseline": list(self.baseline),
                "trees": [[t.to_dict() for t in stage] for stage in self.trees],
                "meta": self.meta}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StanceModel:
        return cls(tuple(data["labels"]), tuple(data["features"]),
                   tuple(float(b) for b in data["baseline"]),
                   tuple(tuple(Tree.from_dict(t) for t in stage) for stage in data["trees"]),
                   dict(data.get("meta", {})))


@dataclass(frozen=True, slots=True)
class Stance:
    """The stance of a body toward a headline (claim), with the model's confidence."""

    label: str
    confidence: float
    probabilities: dict[str, float]


_lock = threading.Lock()
_model: StanceModel | None = None


def load_model() -> StanceModel:
    """The shipped model, read once on first use."""
    global _model
    with _lock:
        if _model is None:
            try:
                text = resources.files("corroborate").joinpath(MODEL_RESOURCE).read_text(
                    encoding="utf-8")
            except (FileNotFoundError, ModuleNotFoundError) as err:
                raise ModelUnavailableError(
                    "the stance model is missing from the package: run "
                    "`python training/train_stance.py --write`") from err
            model = StanceModel.from_dict(json.loads(text))
            if model.features != FEATURE_NAMES:
                raise ModelUnavailableError(
                    "the shipped stance model was trained on other features than this code "
                    "computes: retrain it with `python training/train_stance.py --write`")
            _model = model
        return _model


def predict_stance(headline: str, body: str) -> Stance:
    """The stance of `body` toward `headline` (a claim)."""
    return ClaimStance(headline)(body)


class ClaimStance:
    """Scores articles one at a time against one claim (embedded once)."""

    def __init__(self, claim: str) -> None:
        self.model = load_model()
        self.claim = view_headline(claim)

    def __call__(self, body: str) -> Stance:
        return _stance(self.model, pair_features(self.claim, view_text(body)))


def predict_pairs(pairs: Sequence[tuple[str, str]]) -> list[Stance]:
    """The stance of each (headline, body) pair, in order. Texts are embedded in
    batches of `PAIR_BATCH` pairs: one MiniLM call per batch, not per sentence."""
    model = load_model()
    stances: list[Stance] = []
    for start in range(0, len(pairs), PAIR_BATCH):
        stances.extend(_stance(model, x) for x in _batch_features(pairs[start:start + PAIR_BATCH]))
    return stances


def _batch_features(pairs: Sequence[tuple[str, str]]) -> list[list[float]]:
    sentences = [split_sentences(body) or [body[:500]] for _, body in pairs]
    vectors = embed_texts([h for h, _ in pairs] + [s for group in sentences for s in group])
    features = []
    offset = len(pairs)
    for i, (headline, body) in enumerate(pairs):
        n = len(sentences[i])
        head = view_headline(headline, vectors[i])
        features.append(pair_features(head, view_text(body, vectors[offset:offset + n])))
        offset += n
    return features


def _stance(model: StanceModel, x: Sequence[float]) -> Stance:
    probs = model.probabilities(x)
    best = max(range(len(probs)), key=probs.__getitem__)
    return Stance(model.labels[best], probs[best], dict(zip(model.labels, probs, strict=True)))
