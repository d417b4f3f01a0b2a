"""The store's story-lifecycle tables: events, redirects, stale analyses, metadata.

Stories change after they are made: story maintenance merges two that converged and
splits one that drifted (`corroborate.cluster.maintenance`), and `corroborate
recluster --apply` replaces every assignment. Each change is a `StoryChange`: an
event row in `story_events` (kind, ids before and after, when, why) and what it does
to articles and stories, written in one transaction. An id that no longer names a
story gets a row in `story_redirects`, so `resolve_story_id` still finds where its
articles went. A story whose articles changed has its analysis set to NULL, and the
next run analyses it again (`unanalysed_story_ids`).

`StoryLifecycle` is mixed into `corroborate.store.sqlite.Store`: it reads and writes
through the store's connection and transactions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from corroborate.model import Article
from corroborate.store.codec import apply_annotations, blob_vector, dumps

# Rows per `IN (...)` query, well under SQLite's bound-parameter limit.
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class StoryEvent:
    """One merge, split or re-clustering: the story ids before and after.

    `score` is the merge's similarity, the split's separation, or for a re-clustering
    the share of the old story's articles that the first new story holds. `at` and
    `id` are set when the event is recorded.
    """

    kind: str  # "merge" | "split" | "recluster"
    old_ids: tuple[str, ...]
    new_ids: tuple[str, ...]
    score: float | None = None
    reason: str = ""
    at: str | None = None
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "old_ids": list(self.old_ids),
                "new_ids": list(self.new_ids), "at": self.at, "score": self.score,
                "reason": self.reason}


@dataclass(frozen=True, slots=True)
class StoryChange:
    """An event and what it does to the store (`event` None: a change logged as none).

    `moves`: article id -> its new story; `removed`: story rows deleted (merged away,
    emptied); `redirects`: old story id -> the story that holds its articles now (it
    needs an event); `stale`: stories whose analysis is dropped because their articles
    changed.
    """

    event: StoryEvent | None
    moves: Mapping[str, str] = field(default_factory=dict)
    removed: Sequence[str] = ()
    redirects: Mapping[str, str] = field(default_factory=dict)
    stale: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class StoryRedirect:
    """One hop from a story id that is gone to where its articles went."""

    old_id: str
    new_id: str
    kind: str
    at: str


class StoryLifecycle:
    """Story events, redirects, stale analyses and story metadata (see module doc)."""

    _conn: sqlite3.Connection

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # provided by Store

    # -- events and redirects --------------------------------------------------------

    def record_story_changes(self, changes: Sequence[StoryChange]) -> list[StoryEvent]:
        """Apply `changes` in one transaction, in order; return the recorded events."""
        recorded = []
        with self.transaction() as conn:
            for change in changes:
                event = _apply_change(conn, change)
                if event is not None:
                    recorded.append(event)
        return recorded

    def resolve_story_id(self, story_id: str) -> str | None:
        """The live story `story_id` names: itself if it exists, else the end of its
        redirects (merged or re-clustered away, several times over); None if unknown."""
        path = self.redirect_path(story_id)
        if path:
            return path[-1].new_id
        return story_id if self._is_live(story_id) else None

    def redirect_path(self, story_id: str) -> list[StoryRedirect]:
        """The hops from `story_id` to a live story; empty when `story_id` is live, and
        also when it is unknown or its redirects lead nowhere (never loops)."""
        path: list[StoryRedirect] = []
        current, seen = story_id, set()
        while not self._is_live(current):
            if current in seen:
                return []
            seen.add(current)
            row = self._conn.execute(
                """SELECT r.new_id, e.kind, e.at FROM story_redirects r
                JOIN story_events e ON e.id = r.event_id WHERE r.old_id = ?""",
                (current,)).fetchone()
            if row is None:
                return []
            path.append(StoryRedirect(current, row[0], row[1], row[2]))
            current = row[0]
        return path

    def find_redirect_ids(self, prefix: str) -> list[str]:
        """Redirected (gone) story ids starting with `prefix`."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._conn.execute(
            "SELECT old_id FROM story_redirects WHERE old_id LIKE ? ESCAPE '\\' ORDER BY old_id",
            (escaped + "%",))
        return [r[0] for r in rows]

    def story_events(self, story_id: str | None = None, *,
                     kind: str | None = None) -> list[StoryEvent]:
        """Events in the order they happened; with `story_id`, those naming it; with
        `kind`, those of that kind."""
        if kind is not None:
            rows = self._conn.execute(
                "SELECT * FROM story_events WHERE kind = ? ORDER BY id", (kind,))
        elif story_id is None:
            rows = self._conn.execute("SELECT * FROM story_events ORDER BY id")
        else:
            rows = self._conn.execute(
                """SELECT * FROM story_events e WHERE EXISTS
                (SELECT 1 FROM json_each(e.old_ids) WHERE value = ?1)
                OR EXISTS (SELECT 1 FROM json_each(e.new_ids) WHERE value = ?1)
                ORDER BY id""", (story_id,))
        return [StoryEvent(r["kind"], tuple(json.loads(r["old_ids"])),
                           tuple(json.loads(r["new_ids"])), r["score"], r["reason"], r["at"],
                           r["id"]) for r in rows]

    def _is_live(self, story_id: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,))
        return row.fetchone() is not None

    # -- what maintenance and re-clustering read -------------------------------------

    def live_story_ids(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT id FROM stories ORDER BY id")]

    def unanalysed_story_ids(self) -> list[str]:
        """Stories that are new or changed since their last analysis."""
        rows = self._conn.execute("SELECT id FROM stories WHERE analysis IS NULL ORDER BY id")
        return [r[0] for r in rows]

    def mark_stories_unanalysed(self, story_ids: Iterable[str]) -> None:
        """Drop the analysis of stories whose articles changed (see module doc)."""
        with self.transaction() as conn:
            _drop_analyses(conn, list(story_ids))

    def story_article_features(self, story_id: str) -> list[Article]:
        """The story's articles with what comparing them needs: id, content hash, title,
        text, published, language, embedding and the annotations (sentences, entities,
        quotes); `raw` is left empty. Cheaper than `get_articles`."""
        rows = self._conn.execute(
            """SELECT id, content_hash, source, title, text, published, language, embedding,
            annotations FROM articles WHERE story_id = ? ORDER BY id""", (story_id,))
        articles = []
        for r in rows:
            article = Article(id=r["id"], source=r["source"], content_hash=r["content_hash"],
                              title=r["title"], text=r["text"], published=r["published"],
                              language=r["language"], embedding=blob_vector(r["embedding"]),
                              story=story_id)
            apply_annotations(article, r["annotations"])
            articles.append(article)
        return articles

    def story_ids_of(self, article_ids: Sequence[str]) -> dict[str, str | None]:
        """The story of each stored article of `article_ids` (None: in no story)."""
        found: dict[str, str | None] = {}
        for chunk in _chunks(list(article_ids)):
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT id, story_id FROM articles WHERE id IN ({marks})", chunk)
            found.update({r[0]: r[1] for r in rows})
        return found

    def clusterable_article_ids(self) -> list[str]:
        """Ids of the stored articles clustering reads (English or of unknown language,
        as `Article.is_english`), in publication order, undated last, then by id."""
        rows = self._conn.execute(
            """SELECT id FROM articles WHERE language IS NULL OR language = 'en'
            ORDER BY published IS NULL, published, id""")
        return [r[0] for r in rows]

    # -- story metadata (keywords, main entities) ------------------------------------

    def put_story_metadata(self, rows: Iterable[tuple[str, list[str], list[str]]]) -> None:
        """(story id, keywords, main entity names) for `corroborate stories`."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE stories SET keywords = ?, main_entities = ? WHERE id = ?",
                [(dumps(keywords), dumps(entities), story_id)
                 for story_id, keywords, entities in rows])

    def story_metadata(self) -> dict[str, tuple[list[str], list[str]]]:
        """Story id -> (keywords, main entity names), as last analysed."""
        rows = self._conn.execute("SELECT id, keywords, main_entities FROM stories")
        return {r[0]: (json.loads(r[1]), json.loads(r[2])) for r in rows}


def _apply_change(conn: sqlite3.Connection, change: StoryChange) -> StoryEvent | None:
    recorded = None if change.event is None else _insert_event(conn, change.event)
    if change.redirects and recorded is None:
        raise ValueError("a redirect needs the event that caused it")
    conn.executemany("UPDATE articles SET story_id = ? WHERE id = ?",
                     [(story, article) for article, story in change.moves.items()])
    for chunk in _chunks(list(change.removed)):
        conn.execute(f"DELETE FROM stories WHERE id IN ({','.join('?' * len(chunk))})", chunk)
    for old_id, new_id in change.redirects.items():
        # Whatever pointed at the old id now points where it went: chains stay one hop.
        conn.execute("UPDATE story_redirects SET new_id = ? WHERE new_id = ?", (new_id, old_id))
        conn.execute("INSERT OR REPLACE INTO story_redirects VALUES (?, ?, ?)",
                     (old_id, new_id, recorded.id if recorded else None))
    if recorded is not None:
        # A story id that lives again (a split-off part taking back the id of a story
        # merged away) is no longer a redirect.
        live_again = [s for s in recorded.new_ids if s not in change.redirects]
        conn.executemany("DELETE FROM story_redirects WHERE old_id = ?",
                         [(s,) for s in live_again])
    _drop_analyses(conn, list(change.stale))
    return recorded


def _insert_event(conn: sqlite3.Connection, event: StoryEvent) -> StoryEvent:
    at = datetime.now(UTC).isoformat(timespec="seconds")
    cur = conn.execute(
        "INSERT INTO story_events (kind, old_ids, new_ids, at, score, reason) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (event.kind, dumps(list(event.old_ids)), dumps(list(event.new_ids)), at, event.score,
         event.reason))
    return StoryEvent(event.kind, event.old_ids, event.new_ids, event.score, event.reason, at,
                      int(cur.lastrowid or 0))


def _drop_analyses(conn: sqlite3.Connection, story_ids: list[str]) -> None:
    for chunk in _chunks(story_ids):
        conn.execute(f"UPDATE stories SET analysis = NULL WHERE id IN "
                     f"({','.join('?' * len(chunk))})", chunk)


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]
