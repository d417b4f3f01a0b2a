"""JSONL: one article per line, with the user's field names mapped to ours.

A line holds a JSON object with `text` or `html` (when it has both, `text` is used: it
is what the producer of the file already extracted), and optionally `id`, `url`,
`title`, `published`, `outlet`, `author`. Dumps made by other tools name these fields
otherwise; `ctx.settings["jsonl_fields"]` maps ours to theirs, e.g.
`{"text": "body", "title": "headline", "published": "date", "url": "meta.url"}`
(a dotted name reaches into nested objects). A mapping naming a field we do not
have is a `UsageError` before anything is read.

The size cap applies to each line, not to the file: a JSONL corpus may be large.
Lines are read one at a time, so neither a huge file nor a huge line fills memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from corroborate.clean.dates import iso_date
from corroborate.errors import RecordError, UsageError
from corroborate.ingest.base import Reader, Record, max_bytes, new_article, read_capped
from corroborate.ingest.compression import capped_lines, document_stem, open_input
from corroborate.ingest.decode import decode_bytes, is_blank, reject_binary, wide_encoding
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import RunContext

# Our article fields a JSONL line may carry, in the order the body is looked for.
JSONL_FIELDS = ("text", "html", "id", "url", "title", "published", "outlet", "author")
SETTING = "jsonl_fields"

# Enough of a file to tell empty, binary and UTF-16 files from JSONL.
HEAD_BYTES = 4096

FieldMap = Mapping[str, str]


def field_map(settings: Mapping[str, Any]) -> dict[str, str]:
    """Our field -> the name in the user's JSONL: the identity, overridden by
    `settings["jsonl_fields"]`. Raises `UsageError` on a bad mapping."""
    given = settings.get(SETTING) or {}
    if not isinstance(given, Mapping):
        raise UsageError(f"the {SETTING} setting must map our field names to yours, "
                         f"e.g. {{'text': 'body'}}; got {type(given).__name__}")
    unknown = sorted(str(k) for k in given if k not in JSONL_FIELDS)
    if unknown:
        raise UsageError(f"{SETTING}: unknown field(s) {', '.join(unknown)}; "
                         f"the fields are {', '.join(JSONL_FIELDS)}")
    bad = sorted(k for k, v in given.items() if not isinstance(v, str) or not v.strip())
    if bad:
        raise UsageError(f"{SETTING}: give the name of your field for {', '.join(bad)} "
                         "as a non-empty string")
    return {field: str(given.get(field, field)).strip() for field in JSONL_FIELDS}


class JsonlReader(Reader):
    """One article per non-blank line; see the module docstring for the fields."""

    def records(self, path: Path, ctx: RunContext) -> Iterator[Record]:
        cap = max_bytes(ctx)
        fields = field_map(ctx.settings)
        with open_input(path, cap) as handle:
            head = handle.read(HEAD_BYTES)
        if not head.strip():
            raise RecordError("empty", "the file has no content")
        if wide_encoding(head) is not None:
            # UTF-16/32 cannot be split on newline bytes: decode it whole (capped).
            text = decode_bytes(read_capped(path, cap))
            yield from line_records(text.split("\n"), str(path), document_stem(path),
                                    cap, fields)
            return
        reject_binary(head)  # once for the file, not once per line
        with open_input(path, cap) as handle:
            yield from line_records(capped_lines(handle, cap), str(path),
                                    document_stem(path), cap, fields)


def line_records(lines: Iterable[bytes | str], label: str, id_stem: str, cap: int,
                 fields: FieldMap) -> Iterator[Record]:
    """A record per non-blank line: source `<label>#L<n>`, default id `<id_stem>-L<n>`."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield f"{label}#L{number}", _line_builder(line, number, label, id_stem, cap,
                                                      fields)


def _line_builder(line: bytes | str, number: int, label: str, id_stem: str, cap: int,
                  fields: FieldMap) -> Callable[[], Article]:
    def build() -> Article:
        size = len(line) if isinstance(line, bytes) else len(line.encode("utf-8"))
        if size > cap:
            raise RecordError("too-large", f"a line of more than {cap} bytes (cap {cap})")
        text = decode_bytes(line) if isinstance(line, bytes) else line
        return article_from_json(text, f"{label}#L{number}", f"{id_stem}-L{number}", fields)

    return build


def article_from_json(line: str, source: str, default_id: str,
                      fields: FieldMap | None = None) -> Article:
    """The article of one JSONL line (`RecordError` when the line is not one)."""
    names = fields or {field: field for field in JSONL_FIELDS}
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise RecordError("malformed-json", f"{err.msg} at column {err.colno}") from err
    if not isinstance(record, dict):
        raise RecordError("malformed-json", "a line must hold a JSON object")
    raw, fmt = _json_body(record, names)
    given_id = _json_str(record, names["id"])
    article = new_article(given_id or default_id, source, raw, fmt)
    article.url = _json_str(record, names["url"])
    article.title = _json_str(record, names["title"])
    article.outlet = _json_str(record, names["outlet"])
    article.author = _json_str(record, names["author"])
    published = _json_str(record, names["published"])
    article.published = iso_date(published) if published else None
    return article


def lookup(record: Mapping[str, Any], name: str) -> Any:
    """`record[name]`, or for a dotted name the value nested along its parts
    (`meta.url`); None when absent. A key that itself contains dots wins."""
    if name in record:
        return record[name]
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _json_body(record: dict[str, Any], names: FieldMap) -> tuple[str, InputFormat]:
    for field, fmt in (("text", InputFormat.TEXT), ("html", InputFormat.HTML)):
        value = lookup(record, names[field])
        if isinstance(value, str):
            if is_blank(value):
                raise RecordError("empty", f"`{names[field]}` is blank")
            return value, fmt
    raise RecordError("missing-text", f"the record has no string `{names['text']}` "
                                      f"or `{names['html']}` field")


def _json_str(record: dict[str, Any], name: str) -> str | None:
    value = lookup(record, name)
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None
