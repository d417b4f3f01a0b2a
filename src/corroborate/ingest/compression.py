"""Transparent gzip, capped reads and capped lines: the byte streams readers work on.

Any input may be gzip-compressed (`page.html.gz`, `dump.jsonl.gz`, `crawl.warc.gz`, or
gzip piped to stdin). It is decompressed as a stream, never whole, and guarded twice:

- a whole document is read up to the size cap (`max_bytes`) of *decompressed* bytes,
  so a gzip bomb costs at most the cap before it is rejected `too-large`;
- a stream of records (JSONL, WARC) may legitimately exceed the cap in total, so past
  the cap it must also keep a plausible compression ratio, or it is `too-large` too;
- a truncated or damaged stream is `corrupt` (not `unreadable`: the file was read).

`capped_lines` splits a byte stream into lines without ever holding more than one
capped line in memory, so a file with no newline cannot exhaust memory either.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from corroborate.errors import RecordError

GZIP_SUFFIX = ".gz"
GZIP_MAGIC = b"\x1f\x8b"

# Text compresses 3-10x with gzip, boilerplate-heavy HTML and WARC files up to ~20x,
# a file of zeros or of one repeated byte ~1000x. A stream that is already past the
# size cap and still expands more than this is a bomb, not a corpus.
MAX_STREAM_RATIO = 100

# Read size for draining and decompressing; large enough to keep the Python overhead
# per byte negligible, small enough to stay far below any size cap.
CHUNK_BYTES = 64 * 1024


class StreamError(RecordError):
    """The byte stream under an input's records is damaged or a bomb: whatever record
    was being read when it happened, the rest of the input is lost with it."""


def is_gzipped(path: Path) -> bool:
    return path.name.lower().endswith(GZIP_SUFFIX)


def format_suffix(path: Path) -> str:
    """The extension that names the format, once a trailing `.gz` is set aside:
    `page.HTML.gz` -> `.html`, `crawl.warc.gz` -> `.warc`, `notes` -> ``."""
    return Path(_without_gz(path.name)).suffix.lower()


def document_stem(path: Path) -> str:
    """The file's name without `.gz` and without its format extension: the default id
    of the article it holds (`page.html.gz` -> `page`)."""
    return Path(_without_gz(path.name)).stem


def open_input(path: Path, cap: int) -> BinaryIO:
    """A binary stream of the file's content, decompressed when the name ends in `.gz`.

    Reads from a compressed file raise `StreamError` (`corrupt`, `too-large`), never
    `EOFError`/`zlib.error`: callers (and libraries such as warcio, which takes an
    `EOFError` for a clean end) must not mistake damage for the end of the data.
    """
    handle = path.open("rb")
    if not is_gzipped(path):
        return handle
    return decompressing(handle, cap)


def decompressing(compressed: BinaryIO, cap: int) -> BinaryIO:
    """`compressed` gzip data as a guarded stream of decompressed bytes."""
    return io.BufferedReader(_GuardedGzip(compressed, cap), buffer_size=CHUNK_BYTES)


def read_limited(stream: BinaryIO, cap: int, what: str = "the input") -> bytes:
    """All of `stream`, or `too-large` once it has given more than `cap` bytes."""
    data = bytearray()
    while len(data) <= cap:
        chunk = stream.read(min(CHUNK_BYTES, cap + 1 - len(data)))
        if not chunk:
            return bytes(data)
        data += chunk
    raise RecordError("too-large", f"{what} holds more than {cap} bytes (cap {cap})")


def capped_lines(stream: BinaryIO, cap: int) -> Iterator[bytes]:
    """The lines of `stream`; a line longer than `cap` comes out cut to `cap + 1` bytes
    (so that the caller sees it is too large) and the rest of it is skipped unread."""
    while True:
        line = stream.readline(cap + 1)
        if not line:
            return
        if len(line) > cap and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
        yield line


def with_prefix(prefix: bytes, stream: BinaryIO, *, owns: bool = True) -> BinaryIO:
    """A stream that gives `prefix` and then the rest of `stream`: a reader can look at
    the start of a stream it cannot seek (stdin) and still read it from the start.
    Closing it closes `stream` too, unless `owns` is False (stdin is not ours to close)."""
    return io.BufferedReader(_Prefixed(prefix, stream, owns), buffer_size=CHUNK_BYTES)


def peek(stream: BinaryIO, size: int, *, owns: bool = True) -> tuple[bytes, BinaryIO]:
    """Up to `size` first bytes of `stream`, and a stream that still starts with them
    (and replaces `stream`: see `with_prefix` for `owns`)."""
    head = bytearray()
    while len(head) < size:
        chunk = stream.read(size - len(head))
        if not chunk:
            break
        head += chunk
    return bytes(head), with_prefix(bytes(head), stream, owns=owns)


def read_some(stream: BinaryIO, size: int) -> bytes:
    """Up to `size` bytes with at most one read underneath (`read1` when the stream is
    buffered). A buffered `read(size)` waits for all `size` bytes, so when the data
    ends in damage it raises and drops the good bytes it had already decompressed."""
    read1 = getattr(stream, "read1", None)
    data = read1(size) if read1 is not None else stream.read(size)
    return bytes(data)


def _without_gz(name: str) -> str:
    return name[: -len(GZIP_SUFFIX)] if name.lower().endswith(GZIP_SUFFIX) else name


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while True:
        chunk = stream.readline(CHUNK_BYTES)
        if not chunk or chunk.endswith(b"\n"):
            return


class _Counting:
    """Counts the compressed bytes gzip consumes, for the ratio guard (stdin cannot
    `tell`)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.consumed = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.consumed += len(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        # gzip only seeks to rewind, which a one-pass reader never asks for.
        raise io.UnsupportedOperation("a guarded gzip stream is read once, forwards")

    def close(self) -> None:
        self.stream.close()


class _GuardedGzip(io.RawIOBase):
    """Decompressed bytes of a gzip stream, with damage and bombs as `RecordError`."""

    def __init__(self, compressed: BinaryIO, cap: int) -> None:
        super().__init__()
        self._source = _Counting(compressed)
        self._gzip = gzip.GzipFile(fileobj=self._source, mode="rb")
        self._cap = cap
        self._produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._gzip.read1(len(buffer))
        except EOFError as err:
            raise StreamError("corrupt", f"truncated gzip data ({err})") from err
        except (OSError, zlib.error) as err:  # gzip.BadGzipFile is an OSError
            raise StreamError("corrupt", f"damaged gzip data ({err})") from err
        self._produced += len(data)
        self._check_ratio()
        buffer[: len(data)] = data
        return len(data)

    def _check_ratio(self) -> None:
        if self._produced <= self._cap:
            return
        ratio = self._produced / max(self._source.consumed, 1)
        if ratio > MAX_STREAM_RATIO:
            raise StreamError(
                "too-large",
                f"gzip data expands {ratio:.0f}-fold past {self._cap} bytes (a gzip bomb?)")

    def close(self) -> None:
        if not self.closed:
            self._gzip.close()
            self._source.close()
        super().close()


class _Prefixed(io.RawIOBase):
    def __init__(self, prefix: bytes, stream: BinaryIO, owns: bool) -> None:
        super().__init__()
        self._prefix = memoryview(prefix)
        self._stream = stream
        self._owns = owns

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = read_some(self._stream, len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed and self._owns:
            self._stream.close()
        super().close()
