"""The shipped FNC-1 stance model: its provenance, its evaluator, and its predictions
on short invented pairs (real MiniLM vectors, the real shipped trees)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from corroborate.analyse.stance_features import FEATURE_NAMES, split_sentences
from corroborate.analyse.stance_model import (
    LABELS,
    ClaimStance,
    Tree,
    load_model,
    predict_pairs,
    predict_stance,
)

FNC = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "fnc-1"

CLAIM = "Zorvald Mining confirms it will close the Brenna copper mine in June"
UNRELATED = ("The Harlow Rovers beat Kestrel Town 3-1 on Saturday, with two late goals from "
             "their new striker. The coach said the team had trained hard all week. Fans "
             "celebrated in the square until midnight.")
DENIED = ("Zorvald Mining denied on Monday reports that it will close the Brenna copper mine "
          "in June. The company called the reports false and said the claim that the mine "
          "would shut was fabricated. A spokesman said there was no truth to the story and "
          "that the Brenna mine would keep all of its 800 workers.")
CONFIRMED = ("Zorvald Mining will close the Brenna copper mine in June, the company confirmed "
             "on Monday. Chief executive Ilse Marr said falling copper prices had made the "
             "Brenna mine unprofitable. The closure will cost 800 jobs, the company said.")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_model_loads_with_its_provenance() -> None:
    model = load_model()
    assert model.labels == LABELS
    assert model.features == FEATURE_NAMES
    assert model.trees and all(len(stage) == len(LABELS) for stage in model.trees)
    meta = model.meta
    assert set(meta["data_sha256"]) == {"train_stances.csv", "train_bodies.csv"}
    assert meta["versions"]["scikit-learn"] and meta["trained"]


@pytest.mark.skipif(not FNC.is_dir(), reason=f"FNC-1 not found at {FNC}")
def test_recorded_data_hash_is_the_training_csvs() -> None:
    recorded = load_model().meta["data_sha256"]
    for name, digest in recorded.items():
        assert sha256(FNC / name) == digest, name


def test_tree_walks_to_the_right_leaf() -> None:
    # x[0] <= 0.5 goes left (leaf 1.0); otherwise x[1] <= 2.0 decides (leaves 2.0, 3.0).
    tree = Tree(feature=(0, 0, 1, 0, 0), threshold=(0.5, 0.0, 2.0, 0.0, 0.0),
                left=(1, -1, 3, -1, -1), right=(2, -1, 4, -1, -1),
                value=(0.0, 1.0, 0.0, 2.0, 3.0))
    assert tree([0.5, 9.0]) == 1.0
    assert tree([0.6, 2.0]) == 2.0
    assert tree([0.6, 2.1]) == 3.0


def test_probabilities_sum_to_one() -> None:
    found = predict_stance(CLAIM, CONFIRMED)
    assert sum(found.probabilities.values()) == pytest.approx(1.0)
    assert found.confidence == max(found.probabilities.values())


def test_unrelated_body_is_unrelated() -> None:
    assert predict_stance(CLAIM, UNRELATED).label == "unrelated"


def test_body_calling_the_claim_false_leans_to_disagree() -> None:
    denied = predict_stance(CLAIM, DENIED)
    confirmed = predict_stance(CLAIM, CONFIRMED)
    assert denied.label not in {"agree", "unrelated"}
    assert denied.probabilities["disagree"] > 10 * confirmed.probabilities["disagree"]


@pytest.mark.xfail(strict=True, reason="known gap: short denial bodies (FNC-1 bodies are "
                   "~370 words) come out `discuss`; disagree F1 in CV is only 0.31")
def test_body_calling_the_claim_false_disagrees() -> None:
    assert predict_stance(CLAIM, DENIED).label == "disagree"


def test_body_confirming_the_claim_is_related_and_not_disagree() -> None:
    assert predict_stance(CLAIM, CONFIRMED).label in {"agree", "discuss"}


def test_batched_pairs_match_one_at_a_time() -> None:
    bodies = [UNRELATED, DENIED, CONFIRMED]
    batched = predict_pairs([(CLAIM, b) for b in bodies])
    scorer = ClaimStance(CLAIM)
    for one, body in zip(batched, bodies, strict=True):
        single = scorer(body)
        assert one.label == single.label
        assert one.confidence == pytest.approx(single.confidence, abs=1e-4)


def test_sentence_split_at_end_marks_and_newlines_and_caps_length() -> None:
    # A closing quote after the end mark is dropped with the space: the features
    # never read it, and the shipped model was trained on sentences cut this way.
    text = 'He said "it is over." Then he left! Did it end? Yes.\nNew line here'
    assert split_sentences(text) == ['He said "it is over.', "Then he left!", "Did it end?",
                                     "Yes.", "New line here"]
    assert len(split_sentences("A b. " * 100)) == 40
