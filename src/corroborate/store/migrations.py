"""Named, transactional schema migrations for the SQLite store.

Each migration runs once, inside one transaction, and is recorded by name in
`schema_migrations`. Migrations are append-only: never edit one that has shipped;
add a new one. The schema is documented in docs/store.md so that other tools
(sqlite3, datasette, duckdb) can read the file.
"""

from __future__ import annotations

from typing import Final

MIGRATIONS: Final[list[tuple[str, str]]] = [
    (
        "0001_initial",
        """
        CREATE TABLE documents (
            content_hash TEXT PRIMARY KEY,
            article_id   TEXT NOT NULL UNIQUE,
            source       TEXT NOT NULL,
            format       TEXT NOT NULL,
            raw          TEXT NOT NULL,
            first_seen   TEXT NOT NULL
        );
        CREATE TABLE articles (
            id           TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL REFERENCES documents(content_hash),
            source       TEXT NOT NULL,
            url          TEXT,
            outlet       TEXT,
            title        TEXT,
            published    TEXT,
            author       TEXT,
            language     TEXT,
            text         TEXT NOT NULL,
            removed      TEXT NOT NULL,  -- JSON list of strings
            flags        TEXT NOT NULL,  -- JSON list of strings
            annotations  TEXT NOT NULL,  -- JSON: sentences, entities, quotes (offsets into text)
            embedding    BLOB,           -- float32 little-endian
            story_id     TEXT,
            ingested_at  TEXT NOT NULL
        );
        CREATE INDEX articles_story ON articles(story_id);
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE stories (
            id           TEXT PRIMARY KEY,
            title        TEXT NOT NULL DEFAULT '',
            n_articles   INTEGER NOT NULL DEFAULT 0,
            centroid     BLOB,           -- float32 sum of member article vectors
            entity_bag   TEXT NOT NULL DEFAULT '{}',  -- JSON {entity key: count}
            first_seen   TEXT,
            last_seen    TEXT,
            analysis     TEXT,           -- JSON: the story's report section
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL
        );
        CREATE TABLE provenance_edges (
            source    TEXT NOT NULL,
            target    TEXT NOT NULL,
            kind      TEXT NOT NULL,
            overlap   REAL NOT NULL,
            directed  INTEGER NOT NULL,
            evidence  TEXT,
            PRIMARY KEY (source, target, kind)
        );
        CREATE INDEX provenance_target ON provenance_edges(target);
        CREATE TABLE runs (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at  TEXT NOT NULL,
            finished_at TEXT,
            inputs      TEXT NOT NULL,   -- JSON list of paths as given
            stats       TEXT             -- JSON counters
        );
        CREATE TABLE rejects (
            run_id  INTEGER NOT NULL REFERENCES runs(id),
            source  TEXT NOT NULL,
            step    TEXT NOT NULL,
            reason  TEXT NOT NULL,
            detail  TEXT NOT NULL DEFAULT ''
        );
        """,
    ),
    (
        "0002_outlet_lines",
        """
        CREATE TABLE outlet_lines (
            outlet     TEXT NOT NULL,     -- casefolded outlet name
            line_hash  TEXT NOT NULL,     -- blake2b of the normalised line
            pages      INTEGER NOT NULL,  -- distinct articles of the outlet carrying it
            PRIMARY KEY (outlet, line_hash)
        ) WITHOUT ROWID;
        """,
    ),
    (
        "0003_article_crawled",
        """
        ALTER TABLE articles ADD COLUMN crawled TEXT;  -- WARC-Date or fetch time, ISO 8601
        """,
    ),
    (
        "0004_edge_passages",
        """
        -- JSON list of [source_start, source_end, target_start, target_end, similarity]
        ALTER TABLE provenance_edges ADD COLUMN passages TEXT NOT NULL DEFAULT '[]';
        """,
    ),
    (
        "0005_minhash_index",
        """
        -- The persisted MinHash/LSH index (corroborate.provenance.index). One row per
        -- indexed article, and `doc` is the compact key the bucket table repeats.
        CREATE TABLE minhash_signatures (
            doc         INTEGER PRIMARY KEY,
            article_id  TEXT NOT NULL UNIQUE,
            signature   BLOB              -- NUM_PERM little-endian uint32, NULL: too short
        );
        -- One row per (band, bucket) an article falls in: the LSH candidates of a new
        -- article are the docs sharing any of its (band, bucket) pairs.
        CREATE TABLE minhash_buckets (
            band    INTEGER NOT NULL,
            bucket  INTEGER NOT NULL,     -- 47-bit hash of the band's signature rows
            doc     INTEGER NOT NULL,
            PRIMARY KEY (band, bucket, doc)
        ) WITHOUT ROWID;
        -- What the signatures and buckets were built with (shingle size, permutations,
        -- seed, bands). An index built otherwise is dropped and rebuilt.
        CREATE TABLE minhash_settings (
            name   TEXT PRIMARY KEY,
            value  TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    ),
    (
        "0006_cluster_features",
        """
        -- What story clustering scores besides the centroid and the entity bag
        -- (corroborate.cluster.scoring): JSON {term: summed sublinear tf} of the whole
        -- texts and of the leads, cut to the heaviest terms, and JSON {figure, day or
        -- year key: articles stating it}.
        ALTER TABLE stories ADD COLUMN terms TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE stories ADD COLUMN lead_terms TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE stories ADD COLUMN numbers TEXT NOT NULL DEFAULT '{}';
        -- Streaming document frequencies of terms and entity keys: a later run goes on
        -- from the counts of the earlier ones.
        CREATE TABLE term_frequencies (
            term  TEXT PRIMARY KEY,
            df    INTEGER NOT NULL      -- articles counted that contain the term
        ) WITHOUT ROWID;
        CREATE TABLE cluster_counters (
            name   TEXT PRIMARY KEY,    -- 'documents': articles counted in term_frequencies
            value  INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    ),
    (
        "0007_story_events",
        """
        -- Story maintenance (corroborate.cluster.maintenance) and `corroborate recluster`:
        -- one row per merge, split or re-clustering of a story, with the ids before and
        -- after, so that a link to a story that no longer exists can be followed.
        CREATE TABLE story_events (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            kind     TEXT NOT NULL,     -- merge | split | recluster
            old_ids  TEXT NOT NULL,     -- JSON list: the stories before
            new_ids  TEXT NOT NULL,     -- JSON list: the stories after
            at       TEXT NOT NULL,     -- ISO 8601 UTC
            score    REAL,              -- merge: similarity, split: separation, recluster: share
            reason   TEXT NOT NULL DEFAULT ''
        );
        -- A story id that is gone, and the story that holds its articles now. A live
        -- story with the same id wins over a redirect (Store.resolve_story_id).
        CREATE TABLE story_redirects (
            old_id    TEXT PRIMARY KEY,
            new_id    TEXT NOT NULL,
            event_id  INTEGER NOT NULL REFERENCES story_events(id)
        ) WITHOUT ROWID;
        CREATE INDEX story_redirects_new ON story_redirects(new_id);
        -- What `corroborate stories` shows beside the title (corroborate.analyse.keywords).
        ALTER TABLE stories ADD COLUMN keywords TEXT NOT NULL DEFAULT '[]';       -- JSON list
        ALTER TABLE stories ADD COLUMN main_entities TEXT NOT NULL DEFAULT '[]';  -- JSON list
        -- A story whose analysis is NULL is new or has changed: the next run analyses it.
        CREATE INDEX stories_unanalysed ON stories(id) WHERE analysis IS NULL;
        """,
    ),
    (
        "0008_active_stories",
        """
        -- The clustering step loads only the stories still active around its batch
        -- (Store.story_states(active_since=...)): a store of years of news keeps its
        -- cold stories on disk, not in the clusterer's memory.
        CREATE INDEX stories_last_seen ON stories(last_seen);
        """,
    ),
]
