"""Quote extraction scored on PolNeAR, beside textacy's `direct_quotations`.

    .venv/bin/python bench/quotes.py [--split dev|train] [--limit N] [--json]
                                     [--baseline/--no-baseline]

Gold: PolNeAR (`../shared/datasets/polnear/data/<split>`), brat standoff. For each
article, the first annotator's `.ann` file in sorted order. Each event line (`E…`)
is one attribution and ties its text-bound spans together by role: `Content` (and
`Content2`), `Source` (absent for `Attribution-no-source`), `Cue`. A span may be
discontinuous (`start end;start end`): PolNeAR keeps a quotation split around its
attribution as one content.

Ours: the pipeline's own steps (`SentenceStep`, `EntityStep`, `QuoteStep`) on an
English `Article` built from the text, so the parse, entities and quotes are what
`corroborate analyze` would find. Quotes that PolNeAR would call one attribution are
joined first: consecutive quotes with the same cue and speaker mention, nothing
quoted between them and at most one paragraph apart (“A,” he said. “B.”).

Metrics, for all attributions and for direct ones only (a gold content holding a
double quotation mark, or one of ours that is `direct` or holds one):

- content and source precision, recall and F1, with 1:1 greedy matching (the pair
  with the largest character overlap first). *Overlap*: the two spans share at least
  one character. *Exact*: the same characters once each fragment is trimmed of
  spaces, punctuation and quotation marks at its ends.
- speaker accuracy on the contents matched by overlap whose gold attribution has a
  source. Ours is right when our speaker mention overlaps the gold source span, or
  when our speaker's last word (the surname, lower case, possessive dropped) is a word
  of the gold source's *name*. The name is the gold source text itself, or, when the
  gold source is a pronoun or has no capitalised word ("he", "the spokesman"), the
  text of the nearest earlier gold source in the article that has one (the annotators
  link no coreference, so that is the proxy for whom "he" means). No speaker is wrong.
- throughput: articles per second of our three steps, parse included, one process.

textacy (if installed) runs paragraph by paragraph on the same texts with the same
spaCy model, as in the issue's reference numbers; its speaker is its speaker tokens.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from corroborate.enrich.entities import EntityStep
from corroborate.enrich.quote_indirect import AttributedQuote
from corroborate.enrich.quotes import find_attributed_quotes
from corroborate.enrich.sentences import SentenceStep
from corroborate.model import Article, Quote
from corroborate.pipeline.base import RunContext
from quote_gold import DATA, Attribution, Doc, has_marks, load_split
from quote_metrics import evaluate

# Quotes of one attribution further apart than this many paragraph breaks are not joined.
_JOIN_MAX_BREAKS = 1
_BREAK = re.compile(r"\n(?:\s*\n)*")


# -- ours ------------------------------------------------------------------------------

class OurExtractor:
    """The pipeline's enrichment steps, in order, on one article at a time.

    The last step is what `QuoteStep.process` runs (`find_quotes` is
    `find_attributed_quotes` without the source phrases), called directly to keep
    each quote's source phrase for the source metric.
    """

    def __init__(self) -> None:
        self.steps = [SentenceStep(), EntityStep()]
        self.ctx = RunContext()
        self.seconds = 0.0

    def __call__(self, doc: Doc) -> list[Attribution]:
        article = Article(id=doc.stem, source=doc.stem, text=doc.text, language="en")
        began = time.perf_counter()
        for step in self.steps:
            article = step.process(article, self.ctx) or article
        found = find_attributed_quotes(article.text, article.sentences, article.entities)
        self.seconds += time.perf_counter() - began
        return [_as_attribution(doc.text, group) for group in _joined(doc.text, found)]


def _joined(text: str, found: list[AttributedQuote]) -> list[list[AttributedQuote]]:
    """Quotes PolNeAR counts as one attribution: “A,” he said. “B.”; and a quoted
    fragment inside a reported clause (said Trump was “absolutely right”) is part of
    the clause's attribution, not one of its own."""
    clauses = [(f.quote.start, f.quote.end) for f in found if not f.quote.direct]
    found = [f for f in found if not f.quote.direct or not any(
        a <= f.quote.start and f.quote.end <= b for a, b in clauses)]
    groups: list[list[AttributedQuote]] = []
    for quote in sorted(found, key=lambda q: q.quote.start):
        if groups and _same_attribution(text, groups[-1][-1].quote, quote.quote):
            groups[-1].append(quote)
        else:
            groups.append([quote])
    return groups


def _same_attribution(text: str, before: Quote, after: Quote) -> bool:
    if not (before.direct and after.direct) or before.speaker_start is None:
        return False
    if (before.speaker_start, before.speaker_end, before.cue) != \
            (after.speaker_start, after.speaker_end, after.cue):
        return False
    return len(_BREAK.findall(text, before.end, after.start)) <= _JOIN_MAX_BREAKS


def _as_attribution(text: str, group: list[AttributedQuote]) -> Attribution:
    head = group[0].quote
    content = tuple((f.quote.start, f.quote.end) for f in group)
    source = (group[0].source,) if group[0].source is not None else None
    name = ((head.speaker_start, head.speaker_end),) \
        if head.speaker_start is not None and head.speaker_end is not None else None
    direct = any(f.quote.direct for f in group) or has_marks(text, content)
    return Attribution(content, source, direct, speaker=head.speaker, speaker_span=name)


# -- textacy ---------------------------------------------------------------------------

def textacy_extractor() -> Callable[[Doc], list[Attribution]] | None:
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    from corroborate.enrich.nlp import load_nlp

    nlp = load_nlp()

    def extract(doc: Doc) -> list[Attribution]:
        found = []
        for match in re.finditer(r"[^\n]+", doc.text):
            paragraph = match.group()
            if not paragraph.strip():
                continue
            try:
                triples = list(direct_quotations(nlp(paragraph)))
            except (ValueError, IndexError):
                continue
            for triple in triples:
                found.append(_textacy_attribution(doc.text, match.start(), triple))
        return found

    return extract


def _textacy_attribution(text: str, offset: int, triple: Any) -> Attribution:
    content = ((offset + triple.content.start_char, offset + triple.content.end_char),)
    speaker_tokens = list(triple.speaker)
    source = None
    speaker = None
    if speaker_tokens:
        start = offset + min(t.idx for t in speaker_tokens)
        end = offset + max(t.idx + len(t) for t in speaker_tokens)
        source, speaker = ((start, end),), text[start:end]
    return Attribution(content, source, True, speaker=speaker)


# -- output ----------------------------------------------------------------------------

def _table(results: dict[str, dict[str, Any]]) -> str:
    head = ("| system | subset | gold | pred | content overlap P/R/F1 | content exact F1 "
            "| source overlap P/R/F1 | source exact F1 | speaker acc | speaker acc when given "
            "| name acc | pronoun acc (proxy) |")
    rows = [head, "|" + "---|" * 12]
    for system, result in results.items():
        for subset in ("all", "direct"):
            r = result[subset]
            c, s = r["content"], r["source"]
            rows.append(
                f"| {system} | {subset} | {r['gold']} | {r['predicted']} "
                f"| {c['overlap_p']:.3f}/{c['overlap_r']:.3f}/**{c['overlap_f1']:.3f}** "
                f"| {c['exact_f1']:.3f} "
                f"| {s['overlap_p']:.3f}/{s['overlap_r']:.3f}/**{s['overlap_f1']:.3f}** "
                f"| {s['exact_f1']:.3f} | {r['speaker_accuracy']:.3f} "
                f"| {r['speaker_accuracy_given']:.3f} ({r['speaker_given']}) "
                f"| {r['name_accuracy']:.3f} ({r['name_matched']}) "
                f"| {r['pronoun_accuracy_proxy']:.3f} ({r['pronoun_matched']}) |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--limit", type=int, default=None,
                        help="N articles spread evenly over the split")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=True,
                        help="also run textacy's direct_quotations (when installed)")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"PolNeAR not found at {DATA}: nothing to score.", file=sys.stderr)
        return 0
    docs = load_split(args.split, args.limit)
    ours = OurExtractor()
    ours(Doc("warm-up", "The model loads here, she said.", []))
    ours.seconds = 0.0
    results: dict[str, dict[str, Any]] = {"corroborate": evaluate(docs, ours)}
    output: dict[str, Any] = {
        "split": args.split, "articles": len(docs),
        "articles_per_second": round(len(docs) / ours.seconds, 2) if ours.seconds else 0.0,
    }
    if args.baseline:
        baseline = textacy_extractor()
        if baseline is None:
            print("textacy is not installed: baseline skipped "
                  "(`.venv/bin/pip install textacy` to add it).", file=sys.stderr)
        else:
            results["textacy"] = evaluate(docs, baseline)
    output["results"] = results
    if args.json:
        print(json.dumps(output, indent=2))
    else:
        print(f"PolNeAR {args.split}: {len(docs)} articles, "
              f"ours {output['articles_per_second']} articles/s (sentences+entities+quotes)")
        print(_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
