"""Span matching and scores for `bench/quotes.py` (definitions in its docstring)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from quote_gold import WORD, Attribution, Doc, Fragments

_EDGE = "\"“”„«»‘’'`.,;:!?()[]—–- \t\n"


def _overlap(a: Fragments, b: Fragments) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _trimmed_chars(text: str, fragments: Fragments) -> frozenset[int]:
    chars: set[int] = set()
    for start, end in fragments:
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        chars.update(range(start, end))
    return frozenset(chars)


def _greedy(golds: Sequence[Fragments], preds: Sequence[Fragments]) -> list[tuple[int, int]]:
    """1:1 pairs (gold index, pred index), the largest character overlap first."""
    pairs = sorted(((_overlap(g, p), gi, pi) for gi, g in enumerate(golds)
                    for pi, p in enumerate(preds)), reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    matched = []
    for size, gi, pi in pairs:
        if size <= 0:
            break
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            matched.append((gi, pi))
    return matched


class Tally:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, key: str, n: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def prf(self, kind: str) -> dict[str, float]:
        gold, pred = self.counts.get(f"{kind}.gold", 0), self.counts.get(f"{kind}.pred", 0)
        out: dict[str, float] = {}
        for match in ("overlap", "exact"):
            hit = self.counts.get(f"{kind}.{match}", 0)
            p = hit / pred if pred else 0.0
            r = hit / gold if gold else 0.0
            out[f"{match}_p"], out[f"{match}_r"] = round(p, 4), round(r, 4)
            out[f"{match}_f1"] = round(2 * p * r / (p + r), 4) if p + r else 0.0
        return out


def score_doc(doc: Doc, preds: list[Attribution], tally: Tally, subset: str) -> None:
    golds = [g for g in doc.gold if subset == "all" or g.direct]
    mine = [p for p in preds if subset == "all" or p.direct]
    _score_spans(doc.text, [g.content for g in golds], [p.content for p in mine],
                 tally, f"{subset}.content")
    _score_spans(doc.text, [g.source for g in golds if g.source],
                 [p.source for p in mine if p.source], tally, f"{subset}.source")
    for gi, pi in _greedy([g.content for g in golds], [p.content for p in mine]):
        gold, ours = golds[gi], mine[pi]
        if gold.source is None:
            continue
        right = _speaker_right(doc.text, gold, ours)
        _count(tally, f"{subset}.speaker", right)
        if ours.speaker is not None:
            _count(tally, f"{subset}.given", right)
        if gold.named:
            _count(tally, f"{subset}.name", _name_right(doc.text, gold, ours))
        else:
            _count(tally, f"{subset}.pronoun", _pronoun_right(gold, ours))


def _count(tally: Tally, key: str, right: bool) -> None:
    tally.add(f"{key}.n", 1)
    tally.add(f"{key}.right", int(right))


def _score_spans(text: str, golds: list[Fragments], preds: list[Fragments], tally: Tally,
                 kind: str) -> None:
    tally.add(f"{kind}.gold", len(golds))
    tally.add(f"{kind}.pred", len(preds))
    tally.add(f"{kind}.overlap", len(_greedy(golds, preds)))
    gold_chars = [_trimmed_chars(text, g) for g in golds]
    pred_chars = {_trimmed_chars(text, p) for p in preds}
    tally.add(f"{kind}.exact", sum(1 for g in set(gold_chars) if g in pred_chars))


def _speaker_right(text: str, gold: Attribution, ours: Attribution) -> bool:
    """Our attribution names the gold source: its source phrase or the mention its
    speaker was resolved to overlaps the gold source span, or our speaker's surname is
    a word of the gold source text."""
    if ours.speaker is None or gold.source is None:
        return False
    for mention in (ours.source, ours.speaker_span):
        if mention and _overlap(gold.source, mention) > 0:
            return True
    return _surname_in(ours.speaker, " ".join(text[a:b] for a, b in gold.source))


def _name_right(text: str, gold: Attribution, ours: Attribution) -> bool:
    """For a gold source that is a name: the name we resolved to is that one."""
    if ours.speaker is None or gold.source is None:
        return False
    if ours.speaker_span and _overlap(gold.source, ours.speaker_span) > 0:
        return True
    return _surname_in(ours.speaker, " ".join(text[a:b] for a, b in gold.source))


def _pronoun_right(gold: Attribution, ours: Attribution) -> bool:
    """For a gold pronoun or description: our name is the antecedent proxy's."""
    if ours.speaker is None or gold.source_name is None:
        return False
    return _surname_in(ours.speaker, gold.source_name)


def _surname_in(speaker: str, name: str) -> bool:
    words = WORD.findall(speaker.lower().replace("’s", "").replace("'s", ""))
    name_words = {w.replace("’s", "").replace("'s", "") for w in WORD.findall(name.lower())}
    return bool(words) and words[-1] in name_words


def _ratio(tally: Tally, hits: str, total: str) -> float:
    n = tally.counts.get(total, 0)
    return round(tally.counts.get(hits, 0) / n, 4) if n else 0.0


def evaluate(docs: list[Doc], extract: Callable[[Doc], list[Attribution]]) -> dict[str, Any]:
    tally = Tally()
    for doc in docs:
        preds = extract(doc)
        for subset in ("all", "direct"):
            score_doc(doc, preds, tally, subset)
    result: dict[str, Any] = {}
    for subset in ("all", "direct"):
        result[subset] = {
            "content": tally.prf(f"{subset}.content"),
            "source": tally.prf(f"{subset}.source"),
            "speaker_accuracy": _ratio(tally, f"{subset}.speaker.right", f"{subset}.speaker.n"),
            "speaker_matched": tally.counts.get(f"{subset}.speaker.n", 0),
            # the same over the matched contents the system gives a speaker: textacy
            # always does, we leave quotes nobody is named for without one
            "speaker_accuracy_given": _ratio(tally, f"{subset}.given.right",
                                             f"{subset}.given.n"),
            "speaker_given": tally.counts.get(f"{subset}.given.n", 0),
            "name_accuracy": _ratio(tally, f"{subset}.name.right", f"{subset}.name.n"),
            "name_matched": tally.counts.get(f"{subset}.name.n", 0),
            "pronoun_accuracy_proxy": _ratio(tally, f"{subset}.pronoun.right",
                                             f"{subset}.pronoun.n"),
            "pronoun_matched": tally.counts.get(f"{subset}.pronoun.n", 0),
            "gold": tally.counts.get(f"{subset}.content.gold", 0),
            "predicted": tally.counts.get(f"{subset}.content.pred", 0),
        }
    return result
