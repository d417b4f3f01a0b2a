"""Standard input (`-`): whatever is piped in, recognised by its content.

A pipe has no name, so the format is sniffed: gzip by its magic bytes (decompressed
transparently), JSONL when the first non-blank line is a JSON object (then read line by
line with the per-line cap, so that a large dump can be piped), HTML when the text
opens with `<`, plain text otherwise. A single document is size-capped like a file.

Source labels are `<stdin>` (and `<stdin>#L<n>` for JSONL); ids are `stdin` and
`stdin-L<n>`, unless a JSONL line gives its own.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import BinaryIO

from corroborate.ingest.base import Reader, Record, max_bytes, new_article
from corroborate.ingest.compression import (
    GZIP_MAGIC,
    capped_lines,
    decompressing,
    peek,
    read_limited,
    with_prefix,
)
from corroborate.ingest.decode import decode_bytes, wide_encoding
from corroborate.ingest.jsonl import HEAD_BYTES, field_map, line_records
from corroborate.model import Article, InputFormat
from corroborate.pipeline.base import RunContext

STDIN_SOURCE = "<stdin>"
STDIN_ID = "stdin"

_BOM_AND_SPACE = "\ufeff \t\r\n"


class StdinReader(Reader):
    """Reads standard input, or the binary `stream` given (for embedding and tests)."""

    def __init__(self, stream: BinaryIO | None = None) -> None:
        self.stream = stream

    def read_stdin(self, ctx: RunContext) -> Iterator[Article]:
        ctx.count("read.files")
        ctx.count("read.stdin")
        stream = self.stream if self.stream is not None else sys.stdin.buffer
        yield from self.read_records(STDIN_SOURCE, self.stream_records(stream, ctx), ctx)

    def stream_records(self, stream: BinaryIO, ctx: RunContext) -> Iterator[Record]:
        cap = max_bytes(ctx)
        fields = field_map(ctx.settings)
        magic, stream = peek(stream, len(GZIP_MAGIC), owns=False)
        if magic == GZIP_MAGIC:
            ctx.count("read.gzip")
            stream = decompressing(stream, cap)
        head, stream = peek(stream, HEAD_BYTES)
        if wide_encoding(head) is None:
            first, stream = _first_line(stream, cap)
            if _is_json_object(first):
                yield from line_records(capped_lines(stream, cap), STDIN_SOURCE, STDIN_ID,
                                        cap, fields)
                return
        text = decode_bytes(read_limited(stream, cap, "standard input"))
        if _is_json_object(_first_text_line(text)):  # JSONL in UTF-16: split decoded
            yield from line_records(text.split("\n"), STDIN_SOURCE, STDIN_ID, cap, fields)
            return
        fmt = InputFormat.HTML if text.lstrip(_BOM_AND_SPACE).startswith("<") \
            else InputFormat.TEXT
        yield STDIN_SOURCE, lambda: new_article(STDIN_ID, STDIN_SOURCE, text, fmt)


def _first_line(stream: BinaryIO, cap: int) -> tuple[bytes, BinaryIO]:
    """The first non-blank line (cut at the cap), and a stream that still holds it."""
    consumed = bytearray()
    line = b""
    while len(consumed) <= cap:
        line = stream.readline(cap + 1)
        consumed += line
        if not line or line.strip():
            break
    return line, with_prefix(bytes(consumed), stream)


def _first_text_line(text: str) -> str:
    return next((line for line in text.split("\n") if line.strip()), "")


def _is_json_object(line: bytes | str) -> bool:
    stripped = line.strip()
    if isinstance(stripped, bytes):
        stripped = stripped.removeprefix(b"\xef\xbb\xbf")
        opens = stripped.startswith(b"{")
    else:
        stripped = stripped.lstrip(_BOM_AND_SPACE)
        opens = stripped.startswith("{")
    if not opens:
        return False
    try:
        return isinstance(json.loads(stripped), dict)
    except (ValueError, UnicodeDecodeError):
        return False
