"""The embedded store: one SQLite file, every read and write of the project's data.

Writes happen on the connection that opened the store, in explicit transactions
(`with store.transaction():`), from the main process only: worker processes return
results and the executor writes them. That keeps SQLite single-writer, the mode it
is good at, and makes the file safe to copy or open with other tools between runs.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from corroborate.errors import StoreError
from corroborate.model import Article, InputFormat, ProvenanceEdge, ProvenanceKind, Story
from corroborate.pipeline.base import Reject
from corroborate.store.codec import (
    annotations_json,
    apply_annotations,
    blob_vector,
    dumps,
    passages_from_json,
    passages_json,
    story_from_json,
    story_json,
    vector_blob,
)
from corroborate.store.lifecycle import StoryLifecycle
from corroborate.store.migrations import MIGRATIONS

MEMORY = ":memory:"
# Probe rows per candidate query: three parameters each, well under SQLite's default
# limit of 32,766 bound parameters.
_PROBES_PER_QUERY = 2000


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class StoryState:
    """What clustering needs to know about a stored story, without its articles.

    `entity_bag` sums the articles' salience weights of each entity key
    ("place:tolvane"; keys stored before migration 0006 have no group prefix and were
    counted one per article); `numbers` counts the articles stating each figure, day
    or year ("num:7.1", "date:08-02", "year:2013"). `terms` and `lead_terms` sum the
    articles' sublinear term frequencies of the whole text and of the lead. All are
    cut to their heaviest keys as they grow (`corroborate.cluster.online`).
    """

    id: str
    n_articles: int
    centroid_sum: np.ndarray[Any, np.dtype[np.float32]] | None
    entity_bag: dict[str, float] = field(default_factory=dict)
    first_seen: str | None = None
    last_seen: str | None = None
    terms: dict[str, float] = field(default_factory=dict)
    lead_terms: dict[str, float] = field(default_factory=dict)
    numbers: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MinHashEntry:
    """One article in the MinHash index: its signature bytes (None when the text is
    too short to match) and the (band, bucket) pairs it falls in."""

    article_id: str
    signature: bytes | None
    buckets: Sequence[tuple[int, int]] = ()


class Store(StoryLifecycle):
    """A corroborate database. Open with `Store.open(path)`; `":memory:"` for a scratch one.

    The story-lifecycle methods (events, redirects, stale analyses, keywords) come from
    `corroborate.store.lifecycle.StoryLifecycle`.
    """

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self._conn = conn
        self.path = path

    # -- lifecycle -------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path = MEMORY) -> Store:
        location = str(path)
        if location != MEMORY:
            try:
                Path(location).parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(f"cannot create the database {location}: {err}") from err
        try:
            conn = sqlite3.connect(location, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            if location != MEMORY:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{location} is not a corroborate database: {err}") from err
        except sqlite3.Error as err:
            raise StoreError(f"cannot open the database {location}: {err}") from err
        store = cls(conn, location)
        store.migrate()
        return store

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def migrate(self) -> list[str]:
        """Apply pending migrations; return the names applied."""
        try:
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            done = {r[0] for r in self._conn.execute("SELECT name FROM schema_migrations")}
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path} is not a corroborate database: {err}") from err
        applied = []
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            with self.transaction() as conn:
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, _now()))
            applied.append(name)
        return applied

    def applied_migrations(self) -> list[str]:
        return [r[0] for r in self._conn.execute(
            "SELECT name FROM schema_migrations ORDER BY name")]

    # -- documents and articles ------------------------------------------------------

    def article_id_for_hash(self, content_hash: str) -> str | None:
        row = self._conn.execute(
            "SELECT article_id FROM documents WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        return None if row is None else str(row[0])

    def has_article_id(self, article_id: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,))
        return row.fetchone() is not None

    def put_articles(self, articles: Iterable[Article]) -> int:
        """Insert or update articles (and their source documents); return how many."""
        n = 0
        now = _now()
        with self.transaction() as conn:
            for a in articles:
                conn.execute(
                    "INSERT OR IGNORE INTO documents VALUES (?, ?, ?, ?, ?, ?)",
                    (a.content_hash, a.id, a.source, a.format.value, a.raw, now),
                )
                conn.execute(
                    f"""INSERT INTO articles ({", ".join(_ARTICLE_COLUMNS)})
                    VALUES ({", ".join("?" * len(_ARTICLE_COLUMNS))})
                    ON CONFLICT(id) DO UPDATE SET
                        url=excluded.url, outlet=excluded.outlet, title=excluded.title,
                        published=excluded.published, author=excluded.author,
                        language=excluded.language, text=excluded.text,
                        removed=excluded.removed, flags=excluded.flags,
                        annotations=excluded.annotations, embedding=excluded.embedding,
                        story_id=excluded.story_id, crawled=excluded.crawled""",
                    (a.id, a.content_hash, a.source, a.url, a.outlet, a.title, a.published,
                     a.author, a.language, a.text, dumps(a.removed), dumps(a.flags),
                     annotations_json(a), vector_blob(a.embedding), a.story, now, a.crawled),
                )
                n += 1
        return n

    def get_articles(self, ids: Sequence[str]) -> list[Article]:
        """Articles by id, in the order asked; unknown ids are skipped."""
        found: dict[str, Article] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"""SELECT a.*, d.raw, d.format FROM articles a
                JOIN documents d USING (content_hash) WHERE a.id IN ({marks})""",
                chunk,
            )
            for row in rows:
                found[row["id"]] = _row_article(row)
        return [found[i] for i in ids if i in found]

    def article_ids(self, story_id: str | None = None) -> list[str]:
        if story_id is None:
            rows = self._conn.execute("SELECT id FROM articles ORDER BY id")
        else:
            rows = self._conn.execute(
                "SELECT id FROM articles WHERE story_id = ? ORDER BY id", (story_id,))
        return [r[0] for r in rows]

    def count_articles(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def set_flags(self, flags_by_article: dict[str, list[str]]) -> None:
        with self.transaction() as conn:
            for article_id, flags in flags_by_article.items():
                conn.execute("UPDATE articles SET flags = ? WHERE id = ?",
                             (dumps(flags), article_id))

    # -- provenance --------------------------------------------------------------------

    def put_edges(self, edges: Iterable[ProvenanceEdge]) -> None:
        with self.transaction() as conn:
            for e in edges:
                conn.execute(
                    "INSERT OR REPLACE INTO provenance_edges (source, target, kind, overlap, "
                    "directed, evidence, passages) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (e.source, e.target, e.kind.value, e.overlap, int(e.directed), e.evidence,
                     passages_json(e.passages)),
                )

    def edges_touching(self, article_ids: Sequence[str]) -> list[ProvenanceEdge]:
        """Edges with an end among `article_ids` (the other end may be external)."""
        edges: dict[tuple[str, str, str], ProvenanceEdge] = {}
        for chunk in _chunks(list(article_ids), 400):
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"""SELECT * FROM provenance_edges
                WHERE source IN ({marks}) OR target IN ({marks})
                ORDER BY source, target, kind""",
                chunk + chunk,
            )
            for r in rows:
                edges[(r["source"], r["target"], r["kind"])] = ProvenanceEdge(
                    r["source"], r["target"], ProvenanceKind(r["kind"]), r["overlap"],
                    bool(r["directed"]), r["evidence"], passages_from_json(r["passages"]),
                )
        return [edges[k] for k in sorted(edges)]

    # -- MinHash/LSH index (the tables behind corroborate.provenance.index) -------------

    def minhash_settings(self) -> dict[str, str]:
        rows = self._conn.execute("SELECT name, value FROM minhash_settings")
        return {r[0]: r[1] for r in rows}

    def reset_minhash_index(self, settings: Mapping[str, str]) -> None:
        """Drop every signature and bucket, and record the settings of the new index."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM minhash_buckets")
            conn.execute("DELETE FROM minhash_signatures")
            conn.execute("DELETE FROM minhash_settings")
            conn.executemany("INSERT INTO minhash_settings VALUES (?, ?)",
                             sorted(settings.items()))

    def count_minhash_entries(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM minhash_signatures").fetchone()[0])

    def minhash_signatures(self, article_ids: Sequence[str]) -> dict[str, bytes | None]:
        """The stored signature of each of `article_ids` that is indexed (None for an
        article indexed as too short to match)."""
        found: dict[str, bytes | None] = {}
        for chunk in _chunks(list(article_ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT article_id, signature FROM minhash_signatures "
                f"WHERE article_id IN ({marks})", chunk)
            found.update({r[0]: r[1] for r in rows})
        return found

    def write_minhash(
        self, removed: Sequence[MinHashEntry], added: Sequence[MinHashEntry]
    ) -> None:
        """In one transaction, take `removed` out of the index, then put `added` in.

        A removed entry must carry the buckets it was added with. Bucket rows are
        written in key order, so that consecutive rows land on the same B-tree pages.
        """
        with self.transaction() as conn:
            for entry in removed:
                row = conn.execute("SELECT doc FROM minhash_signatures WHERE article_id = ?",
                                   (entry.article_id,)).fetchone()
                if row is None:
                    continue
                conn.executemany(
                    "DELETE FROM minhash_buckets WHERE band = ? AND bucket = ? AND doc = ?",
                    [(band, bucket, row[0]) for band, bucket in entry.buckets])
                conn.execute("DELETE FROM minhash_signatures WHERE doc = ?", (row[0],))
            bucket_rows: list[tuple[int, int, int]] = []
            for entry in added:
                cur = conn.execute(
                    "INSERT INTO minhash_signatures (article_id, signature) VALUES (?, ?)",
                    (entry.article_id, entry.signature))
                doc = int(cur.lastrowid or 0)
                bucket_rows.extend((band, bucket, doc) for band, bucket in entry.buckets)
            bucket_rows.sort()
            conn.executemany("INSERT INTO minhash_buckets VALUES (?, ?, ?)", bucket_rows)

    def minhash_bucket_hits(
        self, probes: Sequence[tuple[int, int, int]]
    ) -> list[tuple[int, str, int]]:
        """Indexed articles that share a bucket with a query, by indexed lookups.

        `probes` are (query number, band, bucket); the result holds one row per query
        and article found: (query number, article id, how many of the query's bands
        it shares).
        """
        hits: Counter[tuple[int, str]] = Counter()
        for start in range(0, len(probes), _PROBES_PER_QUERY):
            chunk = probes[start : start + _PROBES_PER_QUERY]
            values = ",".join(["(?, ?, ?)"] * len(chunk))
            rows = self._conn.execute(
                f"""WITH probe(query, band, bucket) AS (VALUES {values})
                SELECT probe.query, s.article_id, count(*) FROM probe
                JOIN minhash_buckets b ON b.band = probe.band AND b.bucket = probe.bucket
                JOIN minhash_signatures s ON s.doc = b.doc
                GROUP BY probe.query, b.doc""",
                [value for probe in chunk for value in probe],
            )
            # A query's probes may span two chunks: add its counts up.
            for query, article_id, shared in rows:
                hits[(query, article_id)] += shared
        return [(query, article_id, shared) for (query, article_id), shared in hits.items()]

    def articles_missing_minhash(self) -> list[str]:
        """Ids of stored articles that have no entry in the MinHash index."""
        rows = self._conn.execute(
            """SELECT id FROM articles a WHERE NOT EXISTS
            (SELECT 1 FROM minhash_signatures s WHERE s.article_id = a.id) ORDER BY id""")
        return [r[0] for r in rows]

    def article_texts(self, ids: Sequence[str]) -> dict[str, str]:
        """The cleaned text of each stored article of `ids` (no annotations decoded)."""
        found: dict[str, str] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT id, text FROM articles WHERE id IN ({marks})", chunk)
            found.update({r[0]: r[1] for r in rows})
        return found

    # -- stories -----------------------------------------------------------------------

    def story_states(self, active_since: str | None = None) -> list[StoryState]:
        """The clustering state of every story, or with `active_since` (an ISO date) of
        the stories with an article since then and of the undated ones."""
        where, params = "", []
        if active_since is not None:
            where, params = "WHERE last_seen IS NULL OR last_seen >= ?", [active_since]
        rows = self._conn.execute(
            "SELECT id, n_articles, centroid, entity_bag, first_seen, last_seen, terms, "
            f"lead_terms, numbers FROM stories {where} ORDER BY created_at, id", params
        )
        return [
            StoryState(
                id=r["id"], n_articles=r["n_articles"],
                centroid_sum=None if r["centroid"] is None
                else np.frombuffer(r["centroid"], dtype="<f4").copy(),
                entity_bag=json.loads(r["entity_bag"]),
                first_seen=r["first_seen"], last_seen=r["last_seen"],
                terms=json.loads(r["terms"]), lead_terms=json.loads(r["lead_terms"]),
                numbers=json.loads(r["numbers"]),
            )
            for r in rows
        ]

    def story_exists(self, story_id: str) -> bool:
        """Whether a story with this id is stored (active or cold)."""
        row = self._conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone()
        return row is not None

    def newest_story_activity(self) -> str | None:
        """The latest `last_seen` of any story (None when no story is dated)."""
        row = self._conn.execute("SELECT MAX(last_seen) FROM stories").fetchone()
        return None if row is None else row[0]

    def put_story_states(self, states: Iterable[StoryState]) -> None:
        now = _now()
        with self.transaction() as conn:
            for s in states:
                blob = None if s.centroid_sum is None else s.centroid_sum.astype("<f4").tobytes()
                conn.execute(
                    """INSERT INTO stories (id, n_articles, centroid, entity_bag, first_seen,
                        last_seen, terms, lead_terms, numbers, created_at, updated_at)
                        VALUES (?,?,?,?,?,?,?,?,?,?,?)
                    ON CONFLICT(id) DO UPDATE SET n_articles=excluded.n_articles,
                        centroid=excluded.centroid, entity_bag=excluded.entity_bag,
                        first_seen=excluded.first_seen, last_seen=excluded.last_seen,
                        terms=excluded.terms, lead_terms=excluded.lead_terms,
                        numbers=excluded.numbers,
                        updated_at=excluded.updated_at""",
                    (s.id, s.n_articles, blob, dumps(s.entity_bag), s.first_seen, s.last_seen,
                     dumps(s.terms), dumps(s.lead_terms), dumps(s.numbers), now, now),
                )

    def document_frequencies(self) -> tuple[int, dict[str, int]]:
        """The clustering's streaming statistics: how many articles were counted, and
        in how many of them each term or entity key occurs."""
        row = self._conn.execute(
            "SELECT value FROM cluster_counters WHERE name = 'documents'").fetchone()
        rows = self._conn.execute("SELECT term, df FROM term_frequencies")
        return (int(row[0]) if row else 0), {r[0]: int(r[1]) for r in rows}

    def add_document_frequencies(self, n_docs: int, df: Mapping[str, int]) -> None:
        """Add `n_docs` counted articles and their term counts to the stored ones."""
        with self.transaction() as conn:
            conn.execute(
                """INSERT INTO cluster_counters VALUES ('documents', ?)
                ON CONFLICT(name) DO UPDATE SET value = value + excluded.value""", (n_docs,))
            conn.executemany(
                """INSERT INTO term_frequencies VALUES (?, ?)
                ON CONFLICT(term) DO UPDATE SET df = df + excluded.df""",
                sorted(df.items()))

    def assign_story(self, assignments: dict[str, str]) -> None:
        with self.transaction() as conn:
            for article_id, story_id in assignments.items():
                conn.execute("UPDATE articles SET story_id = ? WHERE id = ?",
                             (story_id, article_id))

    def put_story_analysis(self, story: Story) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE stories SET title = ?, analysis = ?, updated_at = ? WHERE id = ?",
                (story.title, story_json(story), _now(), story.id),
            )

    def get_story(self, story_id: str) -> Story | None:
        row = self._conn.execute(
            "SELECT analysis FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None or row[0] is None:
            return None
        return story_from_json(row[0])

    def find_story_ids(self, prefix: str) -> list[str]:
        """Story ids starting with `prefix` (so users can type a short id)."""
        rows = self._conn.execute(
            "SELECT id FROM stories WHERE id LIKE ? ESCAPE '\\' ORDER BY id",
            (_like_prefix(prefix),))
        return [r[0] for r in rows]

    def list_stories(self) -> list[dict[str, Any]]:
        rows = self._conn.execute(
            "SELECT id, title, n_articles, first_seen, last_seen, updated_at FROM stories "
            "ORDER BY COALESCE(last_seen, '') DESC, n_articles DESC, id"
        )
        return [dict(r) for r in rows]

    # -- site furniture ----------------------------------------------------------------

    def outlet_line_pages(self, wanted: dict[str, Any]) -> dict[str, dict[str, int]]:
        """Stored page counts of the (outlet, line hash) pairs in `wanted`."""
        found: dict[str, dict[str, int]] = {}
        for outlet, digests in wanted.items():
            for chunk in _chunks(list(digests), 500):
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT line_hash, pages FROM outlet_lines "
                    f"WHERE outlet = ? AND line_hash IN ({marks})", [outlet, *chunk])
                found.setdefault(outlet, {}).update({r[0]: r[1] for r in rows})
        return found

    def add_outlet_line_pages(self, counts: dict[str, dict[str, int]]) -> None:
        with self.transaction() as conn:
            for outlet, lines in counts.items():
                conn.executemany(
                    """INSERT INTO outlet_lines VALUES (?, ?, ?)
                    ON CONFLICT(outlet, line_hash) DO UPDATE SET pages = pages + excluded.pages""",
                    [(outlet, digest, n) for digest, n in lines.items()],
                )

    # -- runs ------------------------------------------------------------------------

    def start_run(self, inputs: Sequence[str]) -> int:
        with self.transaction() as conn:
            cur = conn.execute("INSERT INTO runs (started_at, inputs) VALUES (?, ?)",
                               (_now(), dumps(list(inputs))))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, stats: dict[str, int], rejects: Iterable[Reject]) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE runs SET finished_at = ?, stats = ? WHERE id = ?",
                         (_now(), dumps(stats), run_id))
            conn.executemany(
                "INSERT INTO rejects VALUES (?, ?, ?, ?, ?)",
                [(run_id, r.source, r.step, r.reason, r.detail) for r in rejects],
            )


_ARTICLE_COLUMNS = (
    "id", "content_hash", "source", "url", "outlet", "title", "published", "author",
    "language", "text", "removed", "flags", "annotations", "embedding", "story_id",
    "ingested_at", "crawled",
)


def _row_article(row: sqlite3.Row) -> Article:
    article = Article(
        id=row["id"], source=row["source"], raw=row["raw"], format=InputFormat(row["format"]),
        content_hash=row["content_hash"], text=row["text"], outlet=row["outlet"],
        title=row["title"], url=row["url"], published=row["published"], author=row["author"],
        language=row["language"], removed=json.loads(row["removed"]),
        flags=json.loads(row["flags"]), embedding=blob_vector(row["embedding"]),
        story=row["story_id"], crawled=row["crawled"],
    )
    apply_annotations(article, row["annotations"])
    return article


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
