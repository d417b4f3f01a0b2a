"""Reading: files and directories to `Article`s with raw text, id, source and content hash."""

from __future__ import annotations

from corroborate.ingest.decode import content_hash, decode_bytes
from corroborate.ingest.readers import (
    DEFAULT_MAX_BYTES,
    FileReader,
    HtmlReader,
    JsonlReader,
    Reader,
    TextReader,
    read_paths,
    walk_files,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FileReader",
    "HtmlReader",
    "JsonlReader",
    "Reader",
    "TextReader",
    "content_hash",
    "decode_bytes",
    "read_paths",
    "walk_files",
]
