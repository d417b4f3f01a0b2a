"""The persisted MinHash/LSH index: copy candidates among every stored article, found
with indexed lookups instead of by loading the store.

Each indexed article keeps its signature (`shingles.sign_texts`) and one row per LSH
band in the store's `minhash_buckets` table, keyed by (band, bucket). A new article's
candidates are the stored articles that share at least one (band, bucket) with it:
`shingles.LSH_BANDS` primary-key lookups, whatever the size of the store. The bands are
the ones the in-memory `shingles.CandidateIndex` uses within a batch, so a pair is
proposed whether its articles arrive in one run or in two.

The index records the settings it was built with (`shingles.layout()`). Opening it
with other settings (a new shingle size, band layout or rensa algorithm) empties it,
and `reindex` signs the stored articles again: signatures of two layouts never mix.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from corroborate.provenance.duplicates import MIN_EXACT_WORDS
from corroborate.provenance.shingles import NUM_PERM, Signature, band_keys, layout, sign_texts
from corroborate.store.sqlite import MinHashEntry, Store

log = logging.getLogger(__name__)

# Texts with fewer words than this are recorded as seen but put in no bucket: the
# comparison never matches them (below MIN_EXACT_WORDS even an identical text is site
# furniture, "Page not found"), and their signatures would crowd a few buckets.
MIN_INDEX_WORDS = MIN_EXACT_WORDS
# Articles signed per store read and index write when backfilling: a few MB of text
# at a time, and one transaction per batch.
REINDEX_BATCH = 500

_SIGNATURE_DTYPE = np.dtype("<u4")


def sign_articles(texts: Sequence[str]) -> list[Signature | None]:
    """The index signature of each text, or None when it is too short to index."""
    if not texts:
        return []
    matrix, words = sign_texts(texts)
    return [row if n >= MIN_INDEX_WORDS else None
            for row, n in zip(matrix, words.tolist(), strict=True)]


class LshIndex:
    """MinHash LSH over the store's articles; all reads and writes go through `Store`."""

    def __init__(self, store: Store) -> None:
        self._store = store
        wanted = layout()
        found = store.minhash_settings()
        if found != wanted:
            if found:
                log.warning("MinHash index built with other settings (%s): emptied, the "
                            "stored articles will be signed again", _changed(found, wanted))
            store.reset_minhash_index(wanted)

    def __len__(self) -> int:
        return self._store.count_minhash_entries()

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and bool(self.indexed([article_id]))

    def indexed(self, article_ids: Iterable[str]) -> set[str]:
        """Those of `article_ids` that have an entry (indexed, or recorded too short)."""
        return set(self._store.minhash_signatures(list(article_ids)))

    def add(self, article_id: str, signature: Signature | None) -> bool:
        """Index one article; True when the index changed (see `add_many`)."""
        return self.add_many([(article_id, signature)]) == 1

    def add_many(self, entries: Iterable[tuple[str, Signature | None]]) -> int:
        """Index articles, in one transaction; return how many entries were written.

        A None signature records the article as seen and too short to match, so
        `reindex` does not sign it again. Adding an article again with the same
        signature changes nothing; with another one, replaces its entry.
        """
        wanted = dict(entries)
        stored = self._store.minhash_signatures(list(wanted))
        added = {i: _to_bytes(sig) for i, sig in wanted.items()}
        changed = {i: blob for i, blob in added.items() if i not in stored or stored[i] != blob}
        replaced = [i for i in changed if i in stored]
        self._store.write_minhash(removed=_entries([(i, stored[i]) for i in replaced]),
                                  added=_entries(list(changed.items())))
        return len(changed)

    def remove(self, article_id: str) -> bool:
        return self.remove_many([article_id]) == 1

    def remove_many(self, article_ids: Iterable[str]) -> int:
        """Take articles out of the index; return how many were in it."""
        stored = self._store.minhash_signatures(list(dict.fromkeys(article_ids)))
        self._store.write_minhash(removed=_entries(list(stored.items())), added=[])
        return len(stored)

    def candidates(self, signature: Signature) -> set[str]:
        """Indexed articles that share at least one LSH band with `signature`."""
        return set(self.candidates_many({"": signature}).get("", {}))

    def candidates_many(
        self, signatures: Mapping[str, Signature]
    ) -> dict[str, dict[str, int]]:
        """For each query: the indexed articles sharing a band with it, each with the
        number of bands shared. That number is a cheap similarity: its expectation is
        LSH_BANDS * J^LSH_ROWS for shingle Jaccard J. A query never finds itself."""
        names = list(signatures)
        if not names:
            return {}
        keys = band_keys(np.stack([_checked(signatures[name]) for name in names]))
        probes = [(query, band, int(bucket))
                  for query, row in enumerate(keys.tolist())
                  for band, bucket in enumerate(row)]
        found: dict[str, dict[str, int]] = {name: {} for name in names}
        for query, article_id, shared in self._store.minhash_bucket_hits(probes):
            if article_id != names[query]:
                found[names[query]][article_id] = shared
        return found


def reindex(
    store: Store, index: LshIndex | None = None, *, exclude: Iterable[str] = (),
    batch_size: int = REINDEX_BATCH,
) -> int:
    """Sign and index the stored articles that have no index entry (stored before the
    index existed, or by a run that stopped before its provenance step), except those
    in `exclude`. Reads texts only, in batches. Returns how many were indexed."""
    index = index if index is not None else LshIndex(store)
    skip = set(exclude)
    missing = [i for i in store.articles_missing_minhash() if i not in skip]
    for start in range(0, len(missing), batch_size):
        texts = store.article_texts(missing[start : start + batch_size])
        ids = list(texts)
        index.add_many(zip(ids, sign_articles([texts[i] for i in ids]), strict=True))
    return len(missing)


def backfill(store: Store, index: LshIndex, pending: Iterable[str]) -> int:
    """`reindex` when the store holds articles the index lacks besides `pending` (new
    articles about to be indexed); two counts decide, so an up-to-date store costs no
    scan. Returns how many articles were indexed."""
    pending_ids = set(pending)
    unindexed_pending = len(pending_ids - index.indexed(pending_ids))
    if store.count_articles() - len(index) <= unindexed_pending:
        return 0
    done = reindex(store, index, exclude=pending_ids)
    log.info("MinHash index: signed %d stored articles it did not have", done)
    return done


def _checked(signature: Signature) -> Signature:
    if signature.shape != (NUM_PERM,):
        raise ValueError(f"a signature has {NUM_PERM} values, not {signature.shape}")
    return signature


def _to_bytes(signature: Signature | None) -> bytes | None:
    return None if signature is None else _checked(signature).astype(_SIGNATURE_DTYPE).tobytes()


def _entries(items: Sequence[tuple[str, bytes | None]]) -> list[MinHashEntry]:
    """Store entries with their (band, bucket) pairs, all keys computed in one go."""
    signed = [(i, blob) for i, blob in items if blob is not None]
    matrix = np.frombuffer(b"".join(blob for _, blob in signed), dtype=_SIGNATURE_DTYPE)
    keys = band_keys(matrix.reshape(len(signed), NUM_PERM)).tolist() if signed else []
    buckets = {i: list(enumerate(row)) for (i, _), row in zip(signed, keys, strict=True)}
    return [MinHashEntry(i, blob, buckets.get(i, [])) for i, blob in items]


def _changed(found: Mapping[str, str], wanted: Mapping[str, str]) -> str:
    names = sorted(set(found) | set(wanted))
    return ", ".join(f"{n} {found.get(n)} -> {wanted.get(n)}"
                     for n in names if found.get(n) != wanted.get(n))
