"""Normalised text, word shingles, MinHash signatures and the LSH band layout.

These are the scalable building blocks of copy detection: an exact fingerprint per
article, a MinHash signature over its word 5-gram shingles, and locality-sensitive
hashing (LSH) bands that propose candidate pairs without comparing every article with
every other. The in-memory `CandidateIndex` (one batch) and the persisted
`provenance.index.LshIndex` (the whole store) use the same signatures and the same
bands, so a pair is a candidate whether its two articles arrive in one run or in two.

Shingles are taken within a line (paragraph), never across a line break: a copy with
reordered paragraphs or inserted lines then keeps all of the original's shingles.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import rensa

# Word 5-grams: long enough that two independent reports rarely share one by chance
# outside a quotation, short enough that a light edit breaks only a few of them.
SHINGLE_SIZE = 5

# 256 permutations in 128 bands of 2 rows. A pair shares a band, and so becomes a
# candidate, with probability 1 - (1 - J^2)^128 for shingle Jaccard J: 0.27 at 0.05,
# 0.72 at 0.1, 0.95 at 0.15, 0.995 at 0.2 (the S-curve's midpoint is J ~ 0.074).
# Why so low: Jaccard understates news copies. Measured with
# `bench/provenance_scale.py --curve` (300 ECB+ and PolNeAR articles, a copy of each
# kind made of each): copies wrapped in furniture lines, reordered, or syndicated
# with a new lead keep J >= 0.6 (1st percentile), but an excerpt of 30% of the
# paragraphs has J 0.08 at its 5th percentile (median 0.25), and a spin that swaps
# 20% of the words J 0.15 (median 0.20). 64 bands x 2 rows of 128 permutations find
# 0.89 of those excerpts and 0.91 of those spins; 128 x 2 finds 0.94 and 0.98; 32
# bands x 4 rows below 0.17. The cost is mild. 8% of the ECB+ pairs of reports on
# one event become candidates (a third of those are copies, containment > 0.5, and
# 62% share J > 0.1), which the exact comparison sorts out; and MinHash takes ~10%
# of the time of signing (shingling in Python takes the rest).
NUM_PERM = 256
LSH_BANDS = 128
LSH_ROWS = NUM_PERM // LSH_BANDS
# rensa's LSH only uses its threshold in `is_similar`; candidates come from the bands.
_LSH_THRESHOLD = 0.2
MINHASH_SEED = 1729
# Persisted band keys keep 47 bits of a 64-bit hash: SQLite stores them in 6 bytes
# instead of 8, and two different bands of rows still collide with odds of 2^-47 per
# comparison (about one spurious candidate per million queries in a store of a
# million articles, over all 128 bands).
BAND_KEY_BITS = 47

_NON_WORD = re.compile(r"[\W_]+")

# A faster path to `normalised_lines` that gives the same result. Once its common
# typographic punctuation (all of it non-word) is made a space, most English news is
# ASCII, and there one byte table does what `_NON_WORD` does: letters and digits
# lowercased, line breaks (those `str.splitlines` knows) kept, all else a space.
# Signing is mostly this and shingling; the table normalises PolNeAR texts 2.5x
# faster than the regex. Any other text takes the regex path.
_TYPOGRAPHIC = "“”‘’‚„–—―…«»‹›•·′″\u00a0\u2009\u200a\u200b\ufeff"
_ASCII_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e"
_ASCII_TABLE = bytes(
    ord(c.lower()) if c.isalnum() else ord("\n") if c in _ASCII_LINE_BREAKS else ord(" ")
    for c in map(chr, range(128))
) + b" " * 128

Signature = npt.NDArray[np.uint32]
"""A MinHash signature: NUM_PERM unsigned 32-bit minima (one row of `sign_texts`)."""


def normalise(text: str) -> str:
    """Lowercase, with every run of punctuation and whitespace collapsed to one space."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def normalised_lines(text: str) -> list[str]:
    """The non-empty lines of `text`, each normalised; joined by spaces they equal
    `normalise(text)`."""
    return [" ".join(words) for words in line_words(text)]


def line_words(text: str) -> list[list[str]]:
    """The words of each non-empty normalised line of `text` (see `normalised_lines`)."""
    if not text.isascii():
        for mark in _TYPOGRAPHIC:
            if mark in text:
                text = text.replace(mark, " ")
        if not text.isascii():
            return [line.split() for line in map(normalise, text.splitlines()) if line]
    mapped = text.encode("ascii").translate(_ASCII_TABLE).decode("ascii")
    return [words for words in map(str.split, mapped.split("\n")) if words]


def fingerprint(text: str) -> str:
    """A hash of the normalised text: equal for copies that differ only in layout."""
    return digest(normalise(text))


def digest(normalised: str) -> str:
    return hashlib.blake2b(normalised.encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


def word_count(text: str) -> int:
    return len(normalise(text).split())


def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[str]:
    """Word `size`-grams of each line; a shorter line is one shingle of its own."""
    return line_shingles(normalised_lines(text), size)


def line_shingles(lines: Iterable[str], size: int = SHINGLE_SIZE) -> frozenset[str]:
    """Shingles of already normalised lines (see `shingles`)."""
    return frozenset(shingle_list(lines, size))


def shingle_list(lines: Iterable[str], size: int = SHINGLE_SIZE) -> list[str]:
    """The shingles of normalised `lines` in order, repeats included (MinHash ignores
    repeats, and skipping the set saves a third of the time on large batches)."""
    return word_shingles(map(str.split, lines), size)


def word_shingles(lines: Iterable[list[str]], size: int = SHINGLE_SIZE) -> list[str]:
    """`shingle_list` of lines already split into words (see `line_words`)."""
    found: list[str] = []
    join = " ".join
    for words in lines:
        if len(words) <= size:
            found.append(join(words))
            continue
        # zip stops at the shortest tail: exactly the len(words) - size + 1 windows.
        if size == 5:  # the default, spelt out: 10-15% faster than the general form
            windows = zip(words, words[1:], words[2:], words[3:], words[4:], strict=False)
        else:
            windows = zip(*[words[i:] for i in range(size)], strict=False)
        found += map(join, windows)
    return found


def signature(shingle_set: Iterable[str]) -> rensa.RMinHash:
    """A rensa sketch of one shingle set; its `digest()` equals the `sign_texts` row."""
    sketch = rensa.RMinHash(NUM_PERM, MINHASH_SEED)
    sketch.update(list(shingle_set))
    return sketch


def sign_texts(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """Signatures of many texts at once, and the word count of each normalised text.

    Row i of the (len(texts), NUM_PERM) matrix equals `signature(shingles(texts[i]))
    .digest()`; rensa hashes all texts in one call. A text without words gets a row of
    2^32 - 1, which callers must not index (see `provenance.index.sign_articles`).
    """
    docs = [line_words(text) for text in texts]
    words = np.fromiter((sum(map(len, doc)) for doc in docs), dtype=np.int64, count=len(docs))
    matrix = rensa.RMinHash.digest_matrix_from_token_sets(
        [word_shingles(doc) for doc in docs], NUM_PERM, MINHASH_SEED)
    rows = np.asarray(matrix.to_rows(), dtype=np.uint32)
    return rows.reshape(len(texts), NUM_PERM), words


def band_keys(signatures: npt.NDArray[np.uint32]) -> npt.NDArray[np.int64]:
    """One key per LSH band for each signature row: shape (n, LSH_BANDS).

    Two signatures share a key in band b exactly when their LSH_ROWS values in that
    band are equal (up to a 2^-47 hash collision). The keys are stable across processes
    and versions of Python, so they can be stored.
    """
    rows = np.asarray(signatures, dtype=np.uint64).reshape(-1, LSH_BANDS, LSH_ROWS)
    key = np.zeros(rows.shape[:2], dtype=np.uint64)
    for row in range(LSH_ROWS):
        key = _mix64(key ^ rows[:, :, row])
    return (key >> np.uint64(64 - BAND_KEY_BITS)).astype(np.int64)


def _mix64(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64's finaliser: a bijection on 64 bits that spreads every input bit.
    MinHash minima are small numbers (the least of hundreds of hashes), so their high
    bits are mostly zero; the mix makes the kept high bits of the key uniform."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        result: npt.NDArray[np.uint64] = x ^ (x >> np.uint64(31))
    return result


def layout() -> dict[str, str]:
    """Everything a stored signature or band key depends on; a store whose index was
    built with other values must be rebuilt, not mixed (`provenance.index`)."""
    return {
        # Bump when the code that computes signatures or band keys changes.
        "format": "1",
        "shingle_size": str(SHINGLE_SIZE),
        "num_perm": str(NUM_PERM),
        "seed": str(MINHASH_SEED),
        "bands": str(LSH_BANDS),
        "rows": str(LSH_ROWS),
        "band_key_bits": str(BAND_KEY_BITS),
        "normalise": _NON_WORD.pattern,
        "minhash": f"rensa RMinHash algorithm {_rensa_algorithm()}",
    }


def _rensa_algorithm() -> Any:
    return getattr(rensa.RMinHash, "ALGORITHM_VERSION", "unknown")


class CandidateIndex:
    """MinHash LSH over integer keys; `pairs()` lists keys that share a band."""

    def __init__(self) -> None:
        self._lsh = rensa.RMinHashLSH(_LSH_THRESHOLD, NUM_PERM, LSH_BANDS)
        self._sketches: dict[int, rensa.RMinHash] = {}

    def add(self, key: int, sketch: rensa.RMinHash) -> None:
        self._lsh.insert(key, sketch)
        self._sketches[key] = sketch

    def pairs(self) -> list[tuple[int, int]]:
        """Candidate pairs `(i, j)` with `i < j`, sorted."""
        found: set[tuple[int, int]] = set()
        for key, sketch in self._sketches.items():
            for other in self._lsh.query(sketch):
                if other != key:
                    found.add((min(key, other), max(key, other)))
        return sorted(found)
