"""`corroborate cluster`: which story each input article is in, keyed by its own id.

An input article's own id is the one its reader gave it: the JSONL `id` field when
the line has one, else the file's stem (and `-L<n>` for a JSONL line). The ingest step
may store it under another id: a document already stored keeps the id it was first
stored with, and an id taken by a different document gets a suffix (`~2`).
`InputIdsStep` notes each input's own id and content hash as it is read, so the
result maps the user's ids, whatever the store calls the articles.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from corroborate.model import Article
from corroborate.pipeline.base import RunContext, Step
from corroborate.store.sqlite import Store

# Characters that would break a TSV line, and their backslash escapes (the
# "linear TSV" convention: a field never holds a raw tab or newline).
_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


class InputIdsStep(Step):
    """Passes articles on unchanged, noting (own id, content hash) of each."""

    name = "input-ids"
    needs = frozenset({"raw"})

    def __init__(self) -> None:
        self.inputs: list[tuple[str, str]] = []

    def run(self, items: Iterable[Article], ctx: RunContext) -> Iterator[Article]:
        for article in items:
            self.inputs.append((article.id, article.content_hash))
            yield article


def stories_of_inputs(store: Store, inputs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Own article id -> story id, for each input whose article is in a story.

    Inputs that never reached the store (rejected) or are in no story (a language the
    analysis does not read) are left out. When one id names two different documents
    in the inputs, the first keeps it and the others get the id the store gave them.
    """
    stored_ids: dict[str, str] = {}  # own id -> stored article id
    for own_id, content_hash in inputs:
        stored = store.article_id_for_hash(content_hash)
        if stored is None:
            continue
        key = own_id if stored_ids.get(own_id, stored) == stored else stored
        stored_ids.setdefault(key, stored)
    stories = store.story_ids_of(sorted(set(stored_ids.values())))
    return {own: story for own, stored in stored_ids.items()
            if (story := stories.get(stored)) is not None}


def tsv_lines(assignment: Mapping[str, str]) -> Iterator[str]:
    """`article_id<TAB>story_id` lines sorted by article id, no header."""
    for article_id in sorted(assignment):
        yield f"{_field(article_id)}\t{_field(assignment[article_id])}\n"


def _field(value: str) -> str:
    return "".join(_TSV_ESCAPES.get(ch, ch) for ch in value)
