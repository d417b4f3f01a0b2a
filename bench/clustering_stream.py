"""Streaming story clustering at scale: a synthetic stream of 100k articles, fed in time
order to `OnlineClusterer`, for throughput and memory.

    .venv/bin/python bench/clustering_stream.py [--articles 100000] [--days 40] [--seed 0]
        [--seeds 3000] [--time-limit 780] [--json]

Seeds: real texts from ../shared/datasets (ECB+ documents, detokenised, the URL line
of `ecbplus` documents dropped; PolNeAR articles; NeuS leads; FNC-1 bodies), each cut
to SEED_MAX_CHARS at a line end. Their sentences, entities and MiniLM vectors are
computed once by the pipeline's own steps and cached outside the repository (--cache;
the first run takes ~10 minutes for 3,000 seeds on 2 busy cores, later runs seconds).

Events: an event draws a seed and makes it its own (EVENT_SHIFT, NAME_SWAP and
WORD_SWAP say why and how); its articles are light variants of that: a subset of its
sentences (the lead kept most of the time, two neighbours swapped now and then), the
entities inside them (offsets moved to the new text), and the event's vector plus a
little noise. Sizes are heavy-tailed and the articles spread over the event's life.

Timed: `OnlineClusterer.assign` alone, with features precomputed (`prepare`, lead
vectors only: body vectors are MiniLM passes, i.e. enrichment); `prepare` is timed
apart. Memory: resident set size (/proc/self/status) at each tenth of the stream; an
event's words are dropped after its last article, so the bench's own memory is flat.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from corroborate.cluster import online
from corroborate.cluster.features import prepare
from corroborate.cluster.online import OnlineClusterer
from corroborate.enrich.embed import EmbedStep
from corroborate.enrich.entities import EntityStep
from corroborate.enrich.sentences import SentenceStep
from corroborate.model import Article, EntityMention
from corroborate.pipeline.base import RunContext

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"
CACHE_VERSION = "stream-features-1"
# Seeds are cut here (at a line end): synthetic articles then have ordinary news
# lengths, and spaCy's cost per seed stays bounded.
SEED_MAX_CHARS = 3000
MIN_SEED_CHARS = 200
START = date(2025, 1, 1)
# Articles between two saves of the document-frequency counts (a clustering batch).
SAVE_EVERY = 1_000
# A story with no article for longer than this is cold (the clusterer's own rule when
# it has one). Gaps inside an event stay within it, so an event is one story.
STREAM_COLD_DAYS: int = getattr(online, "STORY_COLD_DAYS", 7)
# Each seed serves several events at once (10k live events; the data hold ~2.3k
# distinct real events among 3,000 seeds), and copies of one text would be one story
# to any clusterer. So an event moves its seed's vector by EVENT_SHIFT (cosine 0.80 to
# the seed; two events of one seed 0.64, about the median cosine of a seed to its
# nearest seed of another real event, 0.69), swaps NAME_SWAP of the names for others
# of the same label from all seeds and WORD_SWAP of the other words (4+ letters) for
# random words of the seeds' vocabulary: events of one seed then differ like two
# reports of similar events, in names and wording. An article's noise (ARTICLE_NOISE)
# leaves it at cosine 0.91 to its event, 0.83 to the event's other articles.
EVENT_SHIFT = 0.75
ARTICLE_NOISE = 0.45
NAME_SWAP = 0.8
WORD_SWAP = 0.5
# An event draws on three quarters of its seed's sentences; an article keeps each of
# those with probability ARTICLE_SENTENCES.
EVENT_SENTENCES = 0.75
ARTICLE_SENTENCES = 0.7
# Event sizes: a discrete power law (exponent 2.5, capped at 400): three events in
# four are one article, the mean is ~1.9. An event of n articles lasts
# LIFE_PER_ARTICLE x sqrt(n - 1) days. With 100k articles over --days 40 (the default)
# ~10.4k events are live at steady state (`StreamPlan.live_events`). Over 100 days it
# would be ~4k: a story stays active STREAM_COLD_DAYS + 1 days after its last article,
# so even a stream of only single-article stories holds at most 8 days x 1,000
# articles a day = 8k active stories.
SIZE_EXPONENT = 2.5
MAX_EVENT_SIZE = 400
LIFE_PER_ARTICLE = 1.5
MAX_LIFE_DAYS = 30.0


@dataclass(frozen=True, slots=True)
class Seed:
    group: str  # the real event: texts of one group must not be told apart
    title: str | None
    text: str


@dataclass(slots=True)
class SeedFeatures:
    vector: np.ndarray[Any, np.dtype[np.float32]]
    sentences: list[tuple[int, int]]
    entities: list[tuple[int, int, str]]  # start, end, label


# -- seeds ---------------------------------------------------------------------------

def _cut(text: str) -> str:
    text = text.strip()
    end = text.rfind("\n", 0, SEED_MAX_CHARS) if len(text) > SEED_MAX_CHARS else len(text)
    return text[: end if end > MIN_SEED_CHARS else SEED_MAX_CHARS].strip()


def _detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens)
    for a, b in ((" ,", ","), (" .", "."), (" 's", "'s"), (" n't", "n't"), ("`` ", '"'),
                 (" ''", '"'), (" :", ":"), (" ;", ";"), ("( ", "("), (" )", ")")):
        text = text.replace(a, b)
    return text


def ecb_seeds() -> Iterator[Seed]:
    for line in (DATA / "ecbplus" / "documents.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        sentences = row["sentences"][1:] if row["subtopic"] == "ecbplus" else row["sentences"]
        yield Seed(f"ecb:{row['topic']}/{row['subtopic']}", None,
                   "\n".join(_detokenize(s) for s in sentences))


def polnear_seeds() -> Iterator[Seed]:
    for path in sorted((DATA / "polnear" / "data").glob("*/text/*.txt")):
        title, _, body = path.read_text(encoding="utf-8").strip().partition("\n")
        yield Seed(f"polnear:{path.stem}", title.strip(), body)


def neus_seeds() -> Iterator[Seed]:
    # A line holds the left, centre and right leads of one event, [SEP] between them.
    for split in ("train", "val"):
        for n, line in enumerate((DATA / "neus" / f"{split}.source").open(encoding="utf-8")):
            for part in line.split("[SEP]"):
                title, _, body = part.replace("TITLE=>", "").partition("ARTICLE=>")
                yield Seed(f"neus:{split}/{n}", title.strip() or None, body)


def fnc_seeds() -> Iterator[Seed]:
    with (DATA / "fnc-1" / "train_bodies.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield Seed(f"fnc:{row['Body ID']}", None, row["articleBody"])


def load_seeds(limit: int, rng: random.Random) -> list[Seed]:
    """Up to `limit` seeds, taken in turn from each source so that all are represented."""
    pools = []
    for source in (ecb_seeds, polnear_seeds, neus_seeds, fnc_seeds):
        pool = [Seed(s.group, s.title, _cut(s.text)) for s in source()]
        pools.append([s for s in pool if len(s.text) >= MIN_SEED_CHARS])
        rng.shuffle(pools[-1])
    picked: list[Seed] = []
    while len(picked) < limit and any(pools):
        picked.extend(pool.pop() for pool in pools if pool)
    return picked[:limit]


# -- features, computed once and cached ---------------------------------------------------

def _key(seed: Seed) -> str:
    return hashlib.blake2b(f"{seed.title}\n{seed.text}".encode(), digest_size=10).hexdigest()


def seed_features(seeds: list[Seed], cache_dir: Path) -> list[SeedFeatures]:
    path = cache_dir / f"{CACHE_VERSION}.json"
    cached: dict[str, Any] = json.loads(path.read_text()) if path.is_file() else {}
    missing = [s for s in seeds if _key(s) not in cached]
    if missing:
        print(f"computing features of {len(missing)} seed texts (cached in {path})",
              file=sys.stderr)
        t0 = time.perf_counter()
        ctx = RunContext()
        raw = [Article(id=_key(s), source=_key(s), title=s.title, text=s.text) for s in missing]
        steps = EmbedStep().run(EntityStep().run(SentenceStep().run(raw, ctx), ctx), ctx)
        for done, article in enumerate(steps, 1):
            cached[article.id] = {
                "vector": [round(x, 6) for x in article.embedding or []],
                "sentences": [[s.start, s.end] for s in article.sentences],
                "entities": [[e.start, e.end, e.label] for e in article.entities],
            }
            if done % 500 == 0:
                print(f"  {done}/{len(missing)} ({done / (time.perf_counter() - t0):.1f}/s)",
                      file=sys.stderr)
        cache_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(cached))
    return [_features(cached[_key(s)]) for s in seeds]


def _features(row: dict[str, Any]) -> SeedFeatures:
    return SeedFeatures(np.asarray(row["vector"], dtype=np.float32),
                        [(a, b) for a, b in row["sentences"]],
                        [(a, b, label) for a, b, label in row["entities"]])


# -- the synthetic stream ---------------------------------------------------------------

@dataclass(slots=True)
class Event:
    seed: int
    vector: np.ndarray[Any, np.dtype[np.float32]]
    words: dict[str, str]  # the seed's names and words -> this event's
    sentences: list[int]  # the seed sentences this event's articles draw from


@dataclass
class StreamPlan:
    """When each article appears (days since START, sorted) and its event."""

    times: np.ndarray[Any, np.dtype[np.float64]]
    events: np.ndarray[Any, np.dtype[np.int64]]

    def __post_init__(self) -> None:
        n = int(self.events.max()) + 1
        self.first = np.full(n, np.inf)
        self.last = np.full(n, -np.inf)
        np.minimum.at(self.first, self.events, self.times)
        np.maximum.at(self.last, self.events, np.floor(self.times))

    def live_events(self, day: float) -> int:
        """Events started by `day` whose last article is at most STREAM_COLD_DAYS old:
        the stories a perfect clusterer holds active then."""
        return int(np.count_nonzero((self.first <= day)
                                    & (self.last >= math.floor(day) - STREAM_COLD_DAYS)))


def plan_stream(count: int, days: float, rng: np.random.Generator) -> StreamPlan:
    """`count` articles over `days`. Events start uniformly, also before the window
    (so it opens at steady state); an event of n articles lasts LIFE_PER_ARTICLE x
    sqrt(n - 1) days (capped), its articles spread uniformly over that life. Articles
    outside the window are dropped, and a random surplus to get exactly `count`."""
    sizes = np.arange(1, MAX_EVENT_SIZE + 1)
    weights = sizes ** -SIZE_EXPONENT / np.sum(sizes ** -SIZE_EXPONENT)
    times, events, total = [], [], 0
    while total < count:
        for size in rng.choice(sizes, size=1024, p=weights):
            life = min(MAX_LIFE_DAYS, LIFE_PER_ARTICLE * math.sqrt(size - 1))
            at = rng.uniform(-life, days) + np.sort(rng.uniform(0, life, size))
            at = at[(at >= 0) & (at < days)]
            times.append(at)
            events.append(np.full(len(at), len(events)))
            total += len(at)
    keep = np.sort(rng.choice(total, size=count, replace=False))
    all_times = np.concatenate(times)[keep]
    # Events emptied by the surplus draw are numbered away: ids stay 0..n-1.
    all_events = np.unique(np.concatenate(events)[keep], return_inverse=True)[1]
    order = np.argsort(all_times, kind="stable")
    return StreamPlan(all_times[order], all_events[order])


class StreamWriter:
    """Makes events (`event`) and their articles (`article`) from the seeds."""

    def __init__(self, seeds: list[Seed], features: list[SeedFeatures], seed: int) -> None:
        self.seeds, self.features = seeds, features
        self.rng = np.random.default_rng(seed)
        self.names: dict[str, list[str]] = defaultdict(list)
        for s, f in zip(seeds, features, strict=True):
            for start, end, label in f.entities:
                self.names[label].append(s.text[start:end])
        self.vocabulary = sorted({w.lower() for s in seeds for w in _WORD.findall(s.text)})

    def event(self) -> Event:
        index = int(self.rng.integers(len(self.seeds)))
        text, features = self.seeds[index].text, self.features[index]
        words = {w: self.vocabulary[int(self.rng.integers(len(self.vocabulary)))]
                 for w in sorted({w.lower() for w in _WORD.findall(text)})
                 if self.rng.random() < WORD_SWAP}
        for start, end, label in features.entities:
            if self.rng.random() < NAME_SWAP:
                pool = self.names[label]
                words[text[start:end]] = pool[int(self.rng.integers(len(pool)))]
        n = len(features.sentences)
        keep = self.rng.choice(n, size=max(1, math.ceil(n * EVENT_SENTENCES)), replace=False)
        return Event(index, _moved(features.vector, EVENT_SHIFT, self.rng), words,
                     sorted(int(i) for i in keep))

    def article(self, number: int, event: Event, day: float) -> Article:
        seed = self.seeds[event.seed]
        text, mentions = _rewrite(seed.text, self.features[event.seed], self._sentences(event),
                                  event.words)
        title = _swap_words(seed.title, event.words) if seed.title else None
        return Article(id=f"a{number}", source=f"a{number}", content_hash=f"a{number}",
                       title=title, text=text, entities=mentions,
                       embedding=_moved(event.vector, ARTICLE_NOISE, self.rng).tolist(),
                       published=(START + timedelta(days=math.floor(day))).isoformat())

    def _sentences(self, event: Event) -> list[int]:
        """Some of the event's sentences, the lead kept 4 times in 5, two neighbours
        swapped now and then: how outlets retell one report."""
        pool = event.sentences
        chosen = [i for i in pool[1:] if self.rng.random() < ARTICLE_SENTENCES]
        if self.rng.random() < 0.8 or not chosen:
            chosen.insert(0, pool[0])
        if len(chosen) > 2 and self.rng.random() < 0.5:
            j = int(self.rng.integers(1, len(chosen) - 1))
            chosen[j], chosen[j + 1] = chosen[j + 1], chosen[j]
        return chosen


_WORD = re.compile(r"[A-Za-z]{4,}")


def _swap_words(text: str, words: dict[str, str]) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group()
        new = words.get(word.lower(), word)
        return new.capitalize() if word[0].isupper() else new
    return _WORD.sub(swap, text)


def _moved(vector: np.ndarray[Any, np.dtype[np.float32]], distance: float,
           rng: np.random.Generator) -> np.ndarray[Any, np.dtype[np.float32]]:
    """`vector` plus a random direction of length `distance`, unit length again."""
    noise = rng.standard_normal(len(vector)).astype(np.float32)
    moved = vector / np.linalg.norm(vector) + distance * noise / np.linalg.norm(noise)
    return (moved / np.linalg.norm(moved)).astype(np.float32)


def _rewrite(text: str, features: SeedFeatures, chosen: list[int],
             words: dict[str, str]) -> tuple[str, list[EntityMention]]:
    """The chosen sentences, one per line, with the event's names and words swapped
    in; the entity mentions inside them moved to their new offsets."""
    parts: list[str] = []
    mentions: list[EntityMention] = []
    at = 0

    def put(piece: str) -> None:
        nonlocal at
        parts.append(piece)
        at += len(piece)

    for index in chosen:
        start, end = features.sentences[index]
        cursor = start
        for e_start, e_end, label in features.entities:
            if start <= e_start and e_end <= end:
                put(_swap_words(text[cursor:e_start], words))
                name = words.get(text[e_start:e_end], text[e_start:e_end])
                mentions.append(EntityMention(at, at + len(name), name, label))
                put(name)
                cursor = e_end
        put(_swap_words(text[cursor:end], words) + "\n")
    return "".join(parts).rstrip("\n"), mentions


# -- the run --------------------------------------------------------------------------

def synthetic_articles(plan: StreamPlan, writer: StreamWriter) -> Iterator[tuple[Article, float]]:
    """The stream's articles in time order, with their day; an event is made at its
    first article and dropped after its last, so the bench's own memory stays flat."""
    last = np.zeros(len(plan.first), dtype=np.int64)
    last[plan.events] = np.arange(len(plan.events))
    events: dict[int, Event] = {}
    for number, (day, event_id) in enumerate(zip(plan.times, plan.events, strict=True)):
        event = events.get(event_id) or events.setdefault(event_id, writer.event())
        yield writer.article(number + 1, event, float(day)), float(day)
        if last[event_id] == number:
            del events[event_id]


@dataclass
class Meter:
    """Times `prepare` and `assign` apart, and reads the state at checkpoints."""

    clusterer: OnlineClusterer
    plan: StreamPlan
    assign_s: float = 0.0
    prepare_s: float = 0.0
    window: tuple[int, float] = (0, 0.0)  # first article of the window, its assign time
    slowest: float = 0.0  # the window's slowest assign (an index rebuild shows here)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def place(self, article: Article) -> str:
        t0 = time.perf_counter()
        features = prepare([article], body=False)[0]
        t1 = time.perf_counter()
        story_id = self.clusterer.assign(article, features=features).story_id
        t2 = time.perf_counter()
        self.prepare_s += t1 - t0
        self.assign_s += t2 - t1
        self.window = (self.window[0], self.window[1] + t2 - t1)
        self.slowest = max(self.slowest, t2 - t1)
        return story_id

    def checkpoint(self, done: int, day: float) -> None:
        start, seconds = self.window
        horizon = (START + timedelta(days=math.floor(day) - STREAM_COLD_DAYS)).isoformat()
        states = self.clusterer.states.values()
        self.rows.append({
            "articles": f"{start:,}-{done:,}", "day": round(day, 1),
            "articles_per_s": round((done - start) / seconds, 1),
            "slowest_assign_ms": round(1000 * self.slowest, 1),
            "active_stories": sum(1 for s in states if (s.last_seen or "") >= horizon),
            "live_events": self.plan.live_events(day),
            "stories_in_memory": len(states),
            "df_keys": len(self.clusterer.frequencies.df),
            "rss_mb": round(rss_mb(), 1)})
        print(_row_text(self.rows[-1]), file=sys.stderr)
        self.window, self.slowest = (done, 0.0), 0.0


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bcubed(pred: list[str], gold: list[int]) -> tuple[float, float, float]:
    pairs = Counter(zip(pred, gold, strict=True))
    pred_sizes, gold_sizes = Counter(pred), Counter(gold)
    p = sum(n * n / pred_sizes[c] for (c, _), n in pairs.items()) / len(pred)
    r = sum(n * n / gold_sizes[g] for (_, g), n in pairs.items()) / len(pred)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def run(args: argparse.Namespace) -> dict[str, Any]:
    seeds = load_seeds(args.seeds, random.Random(args.seed))
    writer = StreamWriter(seeds, seed_features(seeds, args.cache), args.seed)
    plan = plan_stream(args.articles, args.days, np.random.default_rng(args.seed))
    # As the clustering step runs: cold stories leave memory (the step keeps them in
    # its store); --keep-cold shows what memory does without that.
    meter = Meter(OnlineClusterer([], body_vectors=False, forget_cold=not args.keep_cold,
                                  max_terms=args.max_terms), plan)
    tenths = {max(1, args.articles * i // 10) for i in range(1, 11)}
    before, load = rss_mb(), [round(x, 2) for x in os.getloadavg()]
    pred: list[str] = []
    for article, day in synthetic_articles(plan, writer):
        pred.append(meter.place(article))
        if len(pred) % SAVE_EVERY == 0:
            # The clustering step saves the counts added by each batch to its store
            # (`save_clusterer`), which empties them from memory; this bench has no store.
            meter.clusterer.frequencies.take_pending()
        if len(pred) in tenths or meter.assign_s > args.time_limit:
            meter.checkpoint(len(pred), day)
            if meter.assign_s > args.time_limit:
                print(f"stopped: clustering took over {args.time_limit:.0f} s", file=sys.stderr)
                break
    p, r, f = bcubed(pred, [int(e) for e in plan.events[: len(pred)]])
    return {
        "articles": len(pred), "days": args.days, "seed": args.seed,
        "keep_cold": args.keep_cold, "seed_texts": len(seeds),
        "seed_groups": len({s.group for s in seeds}),
        "events": len(np.unique(plan.events[: len(pred)])), "stories": len(set(pred)),
        "assign_articles_per_s": round(len(pred) / meter.assign_s, 1),
        "prepare_and_assign_articles_per_s": round(
            len(pred) / (meter.assign_s + meter.prepare_s), 1),
        "rss_mb_before_stream": round(before, 1), "load_average_at_start": load,
        "checkpoints": meter.rows,
        "bcubed": {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)},
    }


def _row_text(row: dict[str, Any]) -> str:
    return (f"{row['articles']:>15} day {row['day']:4.1f} {row['articles_per_s']:6.1f} art/s "
            f"(slowest {row['slowest_assign_ms']:6.1f} ms)  active {row['active_stories']:5d} "
            f"(live events {row['live_events']:5d})  in memory {row['stories_in_memory']:5d}  "
            f"df keys {row['df_keys']:6d}  RSS {row['rss_mb']:6.1f} MB")


def print_report(result: dict[str, Any]) -> None:
    print(f"synthetic stream: {result['articles']:,} articles over {result['days']:g} days, "
          f"{result['events']:,} events from {result['seed_texts']:,} real texts "
          f"({result['seed_groups']:,} real events); seed {result['seed']}"
          + ("; cold stories kept in memory" if result["keep_cold"] else ""))
    print("OnlineClusterer.assign alone (features precomputed; lead vectors only), per tenth:")
    for row in result["checkpoints"]:
        print("  " + _row_text(row))
    first, last, b = result["checkpoints"][0], result["checkpoints"][-1], result["bcubed"]
    print(f"assign: {result['assign_articles_per_s']} articles/s; with `prepare` (terms, names, "
          f"figures; no MiniLM): {result['prepare_and_assign_articles_per_s']} articles/s")
    print(f"RSS: {result['rss_mb_before_stream']} MB before the stream, {first['rss_mb']} "
          f"after its first tenth, {last['rss_mb']} at the end; load average at the start "
          f"{result['load_average_at_start']} (other work on the machine slows the timings)")
    print(f"BCubed vs the synthetic events: P {b['precision']:.3f} R {b['recall']:.3f} "
          f"F1 {b['f1']:.3f} ({result['stories']:,} stories for {result['events']:,} events)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--days", type=float, default=40.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, default=3000, help="real texts to draw events from")
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get(
        "XDG_CACHE_HOME", Path.home() / ".cache")) / "corroborate")
    parser.add_argument("--time-limit", type=float, default=780.0,
                        help="stop once clustering has taken this many seconds")
    parser.add_argument("--keep-cold", action="store_true",
                        help="keep cold stories in the clusterer's memory (by default they "
                             "leave it, as in the clustering step, which stores them)")
    parser.add_argument("--max-terms", type=int, default=online.MAX_TERMS,
                        help="document-frequency terms held before those seen once are "
                             "forgotten")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    missing = [p for p in ("ecbplus", "polnear", "neus", "fnc-1") if not (DATA / p).is_dir()]
    if missing:
        print(f"skipped: {', '.join(missing)} not found in {DATA}", file=sys.stderr)
        return 0
    result = run(args)
    print(json.dumps(result, indent=2) if args.json else "", end="\n" if args.json else "")
    if not args.json:
        print_report(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
