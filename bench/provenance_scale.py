"""Copy-candidate search at scale: MinHash signatures + LSH for 100k documents, rensa
(our code path) beside datasketch, and the persisted SQLite index.

    .venv/bin/python bench/provenance_scale.py [--docs 100000] [--datasketch-docs 10000]
        [--persisted-docs 100000] [--workers 2] [--seed 0] [--json] [--curve]

Documents are generated from the real article texts in ../shared/datasets (ECB+
documents, detokenised and without the URL line of `ecbplus` documents, and PolNeAR
texts): an order-2 word Markov chain trained on their paragraphs writes new
paragraphs, with the length profile of a randomly drawn real article, so every
document is distinct but reads, word for word, like that news. 5% are copies of an
earlier document: wrapped in boilerplate, partial (40-70% of the paragraphs),
reordered, syndicated (new lead, credit line, 2% of words edited) or spun (20% of
words replaced). Their sources must come back as LSH candidates.

Timed stages, all on the same documents:
- rensa, one process: shingles (`shingles.normalised_lines` + word 5-grams), MinHash
  sketches, LSH insertion and a query for every document (the in-batch path of
  `provenance.duplicates`).
- rensa, `--workers` processes: shingles and MinHash in worker processes, LSH in this
  one.
- datasketch on the first `--datasketch-docs` documents (it is ~25x slower), same
  shingles, permutations and bands; its rate is extrapolated to all documents.
- the persisted index (`provenance.index.LshIndex` on a SQLite file): signing, insertion
  and candidate lookup.

Memory: resident set size is read before and after each in-memory run (Linux
/proc/self/statm), so the estimate per million documents is what the sketches and
the LSH tables keep, scaled linearly from this run; the peak (ru_maxrss) is printed
beside it. The generated texts are not counted: a real index streams them.
`--curve` prints, on the real texts, the shingle Jaccard of each kind of copy and the
share our band layout finds: the data behind the choice in `shingles.py`.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import rensa

from corroborate.provenance.index import LshIndex, sign_articles
from corroborate.provenance.shingles import (
    LSH_BANDS,
    LSH_ROWS,
    MINHASH_SEED,
    NUM_PERM,
    band_keys,
    line_words,
    shingles,
    sign_texts,
    word_shingles,
)
from corroborate.store.sqlite import Store

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
ECBPLUS = DATASETS / "ecbplus" / "documents.jsonl"
POLNEAR = DATASETS / "polnear" / "data"
TARGET_DOCS_PER_S = 5_000
COPY_SHARE = 0.05
CHUNK = 2_000  # documents per signing call and per worker task
KINDS = ("boilerplate", "partial", "reordered", "syndicated", "spin")
# Invented site furniture for the boilerplate kind (never taken from a data set).
FURNITURE = [
    "Advertisement", "Skip to main content", "Sign up for our daily newsletter",
    "Share this article on social media", "Most read stories this week",
    "Follow us for the latest updates", "Read more: related coverage",
    "Comments are closed for this article", "Subscribe for unlimited access today",
    "This site uses cookies to improve your experience", "Back to top",
    "Download our app to get breaking news alerts", "Related topics", "Sponsored content",
]
CREDITS = ["Reporting by staff in the newsroom; editing by the desk",
           "Copyright 2025 the agency. All rights reserved.",
           "This story was generated from an automated news agency feed"]


# --- the real texts ---------------------------------------------------------------------

def detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens)
    for a, b in ((" ,", ","), (" .", "."), (" 's", "'s"), (" n't", "n't"), ("`` ", '"'),
                 (" ''", '"'), (" :", ":"), (" ;", ";"), ("( ", "("), (" )", ")")):
        text = text.replace(a, b)
    return text


def load_sources() -> list[str]:
    """Article texts of ECB+ and PolNeAR, one paragraph per line."""
    texts = []
    for line in ECBPLUS.open(encoding="utf-8"):
        row = json.loads(line)
        sentences = row["sentences"][1:] if row["subtopic"] == "ecbplus" else row["sentences"]
        texts.append("\n".join(detokenize(s) for s in sentences))
    texts += [p.read_text(encoding="utf-8", errors="replace")
              for p in sorted(POLNEAR.glob("*/text/*.txt"))]
    return [t for t in texts if t.strip()]


def ecb_same_event_pairs(limit: int, rng: random.Random) -> list[tuple[str, str]]:
    """Pairs of different ECB+ documents about the same event (hard negatives)."""
    groups: dict[tuple[int, str], list[str]] = defaultdict(list)
    for line in ECBPLUS.open(encoding="utf-8"):
        row = json.loads(line)
        sentences = row["sentences"][1:] if row["subtopic"] == "ecbplus" else row["sentences"]
        groups[(row["topic"], row["subtopic"])].append(
            "\n".join(detokenize(s) for s in sentences))
    pairs = [(a, b) for docs in groups.values() for i, a in enumerate(docs) for b in docs[i + 1:]]
    return rng.sample(pairs, min(limit, len(pairs)))


# --- generated documents ---------------------------------------------------------------

@dataclass(slots=True)
class Markov:
    """An order-2 word chain; token 0 ends a paragraph."""

    vocab: np.ndarray          # token id -> word (object array; 0 is "\n")
    keys: np.ndarray           # sorted unique state keys (a * V + b)
    starts: np.ndarray         # first successor of each key in `successors`
    counts: np.ndarray
    successors: np.ndarray

    @classmethod
    def train(cls, texts: Sequence[str]) -> Markov:
        ids: dict[str, int] = {"\n": 0}
        stream: list[int] = []
        for text in texts:
            for paragraph in text.splitlines():
                words = paragraph.split()
                if words:
                    stream += [0, 0, *(ids.setdefault(w, len(ids)) for w in words), 0]
        seq = np.asarray(stream, dtype=np.int64)
        size = len(ids)
        a, b, c = seq[:-2], seq[1:-1], seq[2:]
        # Drop the triples that span two paragraphs: (last word, end) -> end and
        # (end, end) -> end; (end, end) -> word starts a paragraph.
        keep = ~(((a != 0) & (b == 0)) | ((a == 0) & (b == 0) & (c == 0)))
        state, nxt = (a * size + b)[keep], c[keep]
        order = np.argsort(state, kind="stable")
        keys, starts, counts = np.unique(state[order], return_index=True, return_counts=True)
        vocab = np.empty(size, dtype=object)
        for word, i in ids.items():
            vocab[i] = word
        return cls(vocab, keys, starts, counts, nxt[order])

    def generate(self, lengths: np.ndarray, rng: np.random.Generator) -> list[str]:
        """One text per entry of `lengths` (words), paragraphs on separate lines."""
        n, size = len(lengths), len(self.vocab)
        steps = int(lengths.max() * 1.3) + 50
        out = np.zeros((steps, n), dtype=np.int32)
        a = np.zeros(n, dtype=np.int64)
        b = np.zeros(n, dtype=np.int64)
        for step in range(steps):
            at = np.searchsorted(self.keys, a * size + b)
            pick = self.starts[at] + (rng.random(n) * self.counts[at]).astype(np.int64)
            c = self.successors[pick]
            out[step] = c
            ended = c == 0
            a, b = np.where(ended, 0, b), np.where(ended, 0, c)
        texts = []
        for column, wanted in zip(out.T, lengths.tolist(), strict=True):
            words = np.flatnonzero(column != 0)
            cut = words[min(wanted, len(words)) - 1] + 1 if len(words) else 0
            texts.append(" ".join(self.vocab[column[:cut]]).replace(" \n ", "\n").strip())
        return texts


@dataclass(slots=True)
class Corpus:
    texts: list[str]
    copies: list[tuple[int, int, str]] = field(default_factory=list)  # (copy, source, kind)


def generate_corpus(n_docs: int, sources: Sequence[str], seed: int) -> Corpus:
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    model = Markov.train(sources)
    real_lengths = np.array([len(t.split()) for t in sources])
    lengths = np.clip(nprng.choice(real_lengths, size=n_docs), 40, 2_000)
    texts: list[str] = []
    for start in range(0, n_docs, 5_000):
        texts += model.generate(lengths[start:start + 5_000], nprng)
    corpus = Corpus(texts)
    vocab = [w for w in model.vocab[1:].tolist() if w.isalpha()]
    # Copies from the first percent on, so that a prefix (datasketch's share) has some.
    copy_at = sorted(rng.sample(range(max(1, n_docs // 100), n_docs),
                                int(n_docs * COPY_SHARE)))
    taken = set(copy_at)
    for n, i in enumerate(copy_at):
        source = rng.randrange(i)
        while source in taken:
            source = rng.randrange(i)
        kind = KINDS[n % len(KINDS)]
        texts[i] = transform(kind, texts[source], rng, vocab, lead=texts[rng.randrange(n_docs)])
        corpus.copies.append((i, source, kind))
    return corpus


def transform(kind: str, text: str, rng: random.Random, vocab: Sequence[str], lead: str) -> str:
    paragraphs = [p for p in text.splitlines() if p.strip()]
    if kind == "boilerplate":
        top, bottom = rng.sample(FURNITURE, rng.randint(2, 4)), rng.sample(FURNITURE, 3)
        paragraphs = top + paragraphs + bottom
    elif kind == "partial":
        size = max(1, round(len(paragraphs) * rng.uniform(0.4, 0.7)))
        first = rng.randrange(len(paragraphs) - size + 1)
        paragraphs = paragraphs[first:first + size]
    elif kind == "reordered":
        rng.shuffle(paragraphs)
    elif kind == "syndicated":
        paragraphs = [lead.splitlines()[0], *_edit_words(paragraphs[1:], 0.02, rng, vocab)]
        paragraphs.append(rng.choice(CREDITS))
    elif kind == "spin":
        paragraphs = _edit_words(paragraphs, 0.2, rng, vocab)
    return "\n".join(paragraphs)


def _edit_words(paragraphs: list[str], share: float, rng: random.Random,
                vocab: Sequence[str]) -> list[str]:
    return [" ".join(rng.choice(vocab) if rng.random() < share else w for w in p.split())
            for p in paragraphs]


# --- timing helpers ----------------------------------------------------------------------

def rss_bytes() -> int:
    """Current resident set size (Linux /proc); 0 where it cannot be read."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def reset_peak_rss() -> None:
    """Start a new peak (Linux >= 4.0: writing 5 to clear_refs resets VmHWM), so a
    run's peak is its own and not the corpus generation's."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss_bytes() -> int:
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0]) * 1024
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def release_freed_memory() -> None:
    """Collect garbage and hand freed heap pages back (glibc), so that what is left of
    a run in the resident set is what it keeps (sketches and tables), not freed
    shingle lists."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass(slots=True)
class Memory:
    """Resident memory a run adds: at its peak, and what it keeps at the end."""

    before: int = 0
    peak: int = 0
    kept: int = 0

    @classmethod
    def start(cls) -> Memory:
        release_freed_memory()
        memory = cls(before=rss_bytes())
        reset_peak_rss()
        return memory

    def stop(self) -> None:
        self.peak = max(0, peak_rss_bytes() - self.before)
        release_freed_memory()
        self.kept = max(0, rss_bytes() - self.before)

    def summary(self, n: int) -> dict[str, Any]:
        return {"peak_bytes_per_doc": round(self.peak / n),
                "peak_gb_per_million": round(self.peak / n * 1e6 / 1e9, 2),
                "kept_bytes_per_doc": round(self.kept / n),
                "kept_gb_per_million": round(self.kept / n * 1e6 / 1e9, 2)}


class Clock:
    """Wall-clock seconds per stage, summed over the chunks of a run, and the CPU
    seconds of this process (rensa's threads included): on a shared machine the CPU
    rate says what the code costs, the wall rate what a user waits."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu_seconds = 0.0

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start, cpu = time.perf_counter(), time.process_time()
        yield
        self.seconds[name] += time.perf_counter() - start
        self.cpu_seconds += time.process_time() - cpu


def chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def candidate_quality(candidates: Sequence[set[int]], corpus: Corpus,
                      n: int) -> dict[str, Any]:
    """Share of planted copies whose source is a candidate, per kind; mean number of
    candidates of documents that are neither a copy nor a source."""
    found: dict[str, list[bool]] = defaultdict(list)
    involved = set()
    for copy, source, kind in corpus.copies:
        if copy < n and source < n:
            found[kind].append(source in candidates[copy])
            involved.update((copy, source))
    others = [len(candidates[i]) for i in range(n) if i not in involved]
    return {
        "copy_recall": {k: round(float(np.mean(v)), 4) for k, v in sorted(found.items())},
        "copy_recall_all": round(float(np.mean([x for v in found.values() for x in v])), 4)
        if found else None,
        "candidates_per_unrelated_doc": round(float(np.mean(others)), 4) if others else 0.0,
    }


# --- rensa and datasketch in memory -----------------------------------------------------

def _shingle_chunk(texts: Sequence[str]) -> list[list[str]]:
    """What `shingles.sign_texts` hashes: the word 5-grams of each text."""
    return [word_shingles(line_words(t)) for t in texts]


def _sketch_chunk(texts: Sequence[str]) -> list[rensa.RMinHash]:
    return rensa.RMinHash.from_token_sets(_shingle_chunk(texts), NUM_PERM, MINHASH_SEED)


def run_rensa(corpus: Corpus) -> dict[str, Any]:
    texts, clock, sketches = corpus.texts, Clock(), []
    memory = Memory.start()
    lsh = rensa.RMinHashLSH(0.2, NUM_PERM, LSH_BANDS)
    for part in chunks(texts):
        with clock.stage("shingles"):
            tokens = _shingle_chunk(part)
        with clock.stage("minhash"):
            batch = rensa.RMinHash.from_token_sets(tokens, NUM_PERM, MINHASH_SEED)
        with clock.stage("lsh_insert"):
            lsh.insert_many(batch, len(sketches))
        sketches += batch
        del tokens
    with clock.stage("lsh_query"):
        found = lsh.query_all(sketches)
    candidates = [set(keys) - {i} for i, keys in enumerate(found)]
    del found
    memory.stop()
    return _summary(len(texts), clock) | {
        "memory": memory.summary(len(texts)), **candidate_quality(candidates, corpus, len(texts))}


def run_rensa_workers(corpus: Corpus, workers: int) -> dict[str, Any]:
    """Shingles and sketches in `workers` processes, LSH in this one; wall clock."""
    texts, sketches = corpus.texts, []
    lsh = rensa.RMinHashLSH(0.2, NUM_PERM, LSH_BANDS)
    start = time.perf_counter()
    # Spawned, not forked: a fork of a process whose rensa thread pool is running can
    # deadlock in the child.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for batch in pool.map(_sketch_chunk, list(chunks(texts))):
            lsh.insert_many(batch, len(sketches))
            sketches += batch
    found = lsh.query_all(sketches)
    seconds = time.perf_counter() - start
    assert len(found) == len(texts)
    return {"docs": len(texts), "workers": workers, "seconds": round(seconds, 2),
            "docs_per_s": round(len(texts) / seconds)}


def run_datasketch(corpus: Corpus, n_docs: int) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH

    texts, clock, sketches = corpus.texts[:n_docs], Clock(), []
    memory = Memory.start()
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(LSH_BANDS, LSH_ROWS))
    for part in chunks(texts):
        with clock.stage("shingles"):
            tokens = _shingle_chunk(part)
        with clock.stage("minhash"):
            batch = MinHash.bulk([[s.encode("utf-8") for s in doc] for doc in tokens],
                                 num_perm=NUM_PERM, seed=MINHASH_SEED)
        with clock.stage("lsh_insert"), lsh.insertion_session() as session:
            for key, sketch in enumerate(batch, start=len(sketches)):
                session.insert(key, sketch)
        sketches += batch
    with clock.stage("lsh_query"):
        found = [lsh.query(sketch) for sketch in sketches]
    candidates = [set(keys) - {i} for i, keys in enumerate(found)]
    del found
    memory.stop()
    return _summary(len(texts), clock) | {
        "memory": memory.summary(len(texts)), **candidate_quality(candidates, corpus, len(texts))}


def _summary(n: int, clock: Clock) -> dict[str, Any]:
    seconds = clock.seconds
    total = sum(seconds.values())
    return {
        "docs": n,
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "total_s": round(total, 2),
        "docs_per_s": round(n / total),
        "docs_per_cpu_s": round(n / clock.cpu_seconds),
        "minhash_lsh_docs_per_s": round(n / (total - seconds["shingles"])),
    }


# --- the persisted index ------------------------------------------------------------------

def run_persisted(corpus: Corpus, n_docs: int) -> dict[str, Any]:
    texts, clock = corpus.texts[:n_docs], Clock()
    ids = [f"d{i:07d}" for i in range(len(texts))]
    memory = Memory.start()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.db"
        with Store.open(path) as store:
            index = LshIndex(store)
            signatures: list[Any] = []
            for start in range(0, len(texts), CHUNK):
                with clock.stage("sign"):
                    part = sign_articles(texts[start:start + CHUNK])
                with clock.stage("insert"):
                    index.add_many(zip(ids[start:start + CHUNK], part, strict=True))
                signatures += part
            candidates: list[set[int]] = []
            for start in range(0, len(texts), CHUNK):
                rows = range(start, min(start + CHUNK, len(texts)))
                queries = {ids[i]: signatures[i] for i in rows if signatures[i] is not None}
                with clock.stage("query"):
                    hits = index.candidates_many(queries)
                candidates += [{int(c[1:]) for c in hits.get(ids[i], {})} for i in rows]
        size = path.stat().st_size + sum(p.stat().st_size for p in Path(tmp).glob("index.db-*"))
    memory.stop()
    n = len(texts)
    seconds = clock.seconds
    return {
        "docs": n,
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "sign_docs_per_s": round(n / seconds["sign"]),
        "insert_docs_per_s": round(n / seconds["insert"]),
        "query_docs_per_s": round(n / seconds["query"]),
        "total_docs_per_s": round(n / sum(seconds.values())),
        "db_bytes_per_doc": round(size / n),
        "db_gb_per_million": round(size / n * 1e6 / 1e9, 2),
        "memory": memory.summary(n),
        **candidate_quality(candidates, corpus, n),
    }


# --- the S-curve on real texts ------------------------------------------------------------

def jaccard_curve(sources: Sequence[str], seed: int, n: int = 300) -> dict[str, Any]:
    """Shingle Jaccard of each copy kind made from real texts, and the share of pairs
    our bands propose; predicted shares for other layouts, for comparison."""
    rng = random.Random(seed)
    vocab = [w for t in sources[:300] for w in t.split() if w.isalpha()]
    long_enough = [t for t in sources if len(t.split()) >= 150 and len(t.splitlines()) >= 4]
    picked = rng.sample(long_enough, min(n, len(long_enough)))
    pairs: dict[str, list[tuple[str, str]]] = {
        kind: [(t, transform(kind, t, rng, vocab, lead=rng.choice(sources))) for t in picked]
        for kind in KINDS}
    pairs["partial-30%"] = [(t, "\n".join(t.splitlines()[: max(1, len(t.splitlines()) * 3
                                                                 // 10)])) for t in picked]
    pairs["same-event (ECB+)"] = ecb_same_event_pairs(2_000, rng)
    layouts = {"128 perm 64x2": (64, 2), "256 perm 128x2": (128, 2), "128 perm 32x4": (32, 4)}
    report = {}
    for kind, items in pairs.items():
        jac = np.array([_jaccard(a, b) for a, b in items])
        ours = np.mean([_share_a_band(a, b) for a, b in items])
        report[kind] = {
            "pairs": len(items),
            "jaccard_p1_p5_median": [round(float(np.percentile(jac, q)), 3) for q in (1, 5, 50)],
            "found_by_our_bands": round(float(ours), 3),
            "predicted": {name: round(float(np.mean(1 - (1 - jac**r) ** b)), 3)
                          for name, (b, r) in layouts.items()},
        }
    return report


def _jaccard(one: str, two: str) -> float:
    a, b = shingles(one), shingles(two)
    return len(a & b) / len(a | b) if a | b else 0.0


def _share_a_band(one: str, two: str) -> bool:
    keys = band_keys(sign_texts([one, two])[0])
    return bool((keys[0] == keys[1]).any())


# --- entry points -----------------------------------------------------------------------------

def missing_data() -> str | None:
    if not ECBPLUS.is_file() or not POLNEAR.is_dir():
        return f"skipped: {ECBPLUS} or {POLNEAR} not found (../shared/datasets)"
    return None


def run_scale(n_docs: int, *, datasketch_docs: int | None = None,
              persisted_docs: int | None = None, workers: int = 2,
              seed: int = 0) -> dict[str, Any]:
    """Generate `n_docs` documents and time every path on them; a JSON-ready dict.

    `datasketch_docs` defaults to min(n_docs, 10,000); `persisted_docs` to n_docs.
    When the data sets are absent, returns {"skipped": reason}.
    """
    reason = missing_data()
    if reason is not None:
        return {"skipped": reason}
    load_before = [round(x, 2) for x in os.getloadavg()]
    start = time.perf_counter()
    sources = load_sources()
    corpus = generate_corpus(n_docs, sources, seed)
    generated_s = time.perf_counter() - start
    ours = run_rensa(corpus)
    parallel = run_rensa_workers(corpus, workers) if workers > 1 else None
    theirs = run_datasketch(corpus, min(n_docs, datasketch_docs or 10_000))
    persisted = run_persisted(corpus, min(n_docs, persisted_docs or n_docs))
    best = max(ours["docs_per_s"], parallel["docs_per_s"] if parallel else 0)
    return {
        "docs": n_docs,
        "source_texts": len(sources),
        "mean_words": round(float(np.mean([len(t.split()) for t in corpus.texts]))),
        "distinct_texts": len(set(corpus.texts)),
        "planted_copies": len(corpus.copies),
        "generation_s": round(generated_s, 1),
        "layout": {"num_perm": NUM_PERM, "bands": LSH_BANDS, "rows": LSH_ROWS},
        "rensa": ours,
        "rensa_parallel": parallel,
        "datasketch": theirs | {
            "extrapolated_total_s_for_all_docs": round(n_docs / theirs["docs_per_s"], 1)},
        "speedup_minhash_lsh": round(ours["minhash_lsh_docs_per_s"]
                                     / theirs["minhash_lsh_docs_per_s"], 1),
        "persisted": persisted,
        "target_docs_per_s": TARGET_DOCS_PER_S,
        "meets_target": best >= TARGET_DOCS_PER_S,
        "cpus": os.cpu_count(),
        # Other processes' load before this ran, and the load at its end (its own
        # included): the wall rates depend on it.
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def print_report(result: dict[str, Any]) -> None:
    ours, par, theirs, db = (result["rensa"], result["rensa_parallel"], result["datasketch"],
                             result["persisted"])
    print(f"load average (1/5/15 min) before: {result['load_average_before']}, after: "
          f"{result['load_average_after']}")
    print(f"{result['docs']} documents generated from {result['source_texts']} real texts "
          f"in {result['generation_s']} s ({result['mean_words']} words on average, "
          f"{result['distinct_texts']} distinct, {result['planted_copies']} planted copies); "
          f"{NUM_PERM} permutations, {LSH_BANDS} bands x {LSH_ROWS} rows; {result['cpus']} CPUs")
    print(f"{'system':24s} {'docs':>7s} {'docs/s':>7s} {'per CPU s':>9s} "
          f"{'MinHash+LSH/s':>13s} {'GB per 1M docs: peak':>20s} {'kept':>5s}  stages (s)")
    for name, run in (("rensa, 1 process", ours), ("datasketch, 1 process", theirs)):
        mem = run["memory"]
        print(f"{name:24s} {run['docs']:7d} {run['docs_per_s']:7d} {run['docs_per_cpu_s']:9d} "
              f"{run['minhash_lsh_docs_per_s']:13d} {mem['peak_gb_per_million']:20.2f} "
              f"{mem['kept_gb_per_million']:5.2f}  {run['seconds']}")
    if par:
        print(f"{'rensa, ' + str(par['workers']) + ' processes':28s} {par['docs']:7d} "
              f"{par['docs_per_s']:8d}")
    print(f"datasketch extrapolated to {result['docs']} documents: "
          f"{theirs['extrapolated_total_s_for_all_docs']} s; rensa is "
          f"{result['speedup_minhash_lsh']}x faster on MinHash + LSH (shingles excluded)")
    print("memory per million documents = resident memory a run added (at its peak, and "
          "kept at its end: sketches + LSH) / documents x 10^6; generated texts excluded")
    print(f"persisted index, {db['docs']} docs: sign {db['sign_docs_per_s']}/s, insert "
          f"{db['insert_docs_per_s']}/s, query {db['query_docs_per_s']}/s, all "
          f"{db['total_docs_per_s']}/s; {db['db_bytes_per_doc']} bytes/doc on disk "
          f"(~{db['db_gb_per_million']} GB per million), peak memory "
          f"~{db['memory']['peak_gb_per_million']} GB per million")
    for name, run in (("rensa", ours), ("persisted", db), ("datasketch", theirs)):
        print(f"candidate recall of planted copies ({name}): {run['copy_recall']} "
              f"all {run['copy_recall_all']}; candidates per unrelated doc "
              f"{run['candidates_per_unrelated_doc']}")
    verdict = "meets" if result["meets_target"] else "MISSES"
    print(f"target {TARGET_DOCS_PER_S} docs/s for signatures + LSH: {verdict}")


def print_curve(report: dict[str, Any]) -> None:
    print(f"{'kind':20s} {'pairs':>5s}  J p1/p5/median       ours  predicted")
    for kind, row in report.items():
        print(f"{kind:20s} {row['pairs']:5d}  {row['jaccard_p1_p5_median']!s:20s} "
              f"{row['found_by_our_bands']:.3f}  {row['predicted']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--datasketch-docs", type=int, default=10_000)
    parser.add_argument("--persisted-docs", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--curve", action="store_true",
                        help="only the Jaccard of each copy kind on the real texts")
    args = parser.parse_args()
    reason = missing_data()
    if reason is not None:
        print(reason, file=sys.stderr)
        return 0
    if args.curve:
        curve = jaccard_curve(load_sources(), args.seed)
        print(json.dumps(curve, indent=1) if args.json else "", end="")
        if not args.json:
            print_curve(curve)
        return 0
    result = run_scale(args.docs, datasketch_docs=args.datasketch_docs,
                       persisted_docs=args.persisted_docs, workers=args.workers,
                       seed=args.seed)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print_report(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
