"""Bytes to text: BOMs, strict UTF-8, a careful legacy fallback, and binary detection.

Order of decisions (`decode_bytes`):

1. nothing but whitespace -> `empty`;
2. a byte-order mark names the encoding (UTF-32 before UTF-16: the UTF-32-LE mark starts
   with the UTF-16-LE one);
3. a recognised binary signature, NUL bytes (unless the NULs form the regular pattern of
   BOM-less UTF-16) or many control bytes -> `binary`;
4. strict UTF-8, which almost never accepts text in another encoding by accident;
5. UTF-8 with a few broken bytes (a page stitched from several sources), when valid
   multi-byte characters far outnumber the broken ones; the broken bytes become U+FFFD;
6. the charset an HTML/XML header declares (`<meta charset>`, `encoding="..."`), with
   ISO-8859-1 read as Windows-1252 as browsers do;
7. Windows-1252, when the result looks like Western European text: that is what legacy
   news files are in practice, and the detector (charset_normalizer) cannot tell it
   from cp1250/cp1257, which decode the same bytes to other letters;
8. otherwise the detector's best guess (Cyrillic, Greek, CJK legacy encodings ...);
9. nothing plausible -> `undecodable` (garbage is worse than a reject).

`decode_with_charset` is the same for a body whose HTTP header names its charset (WARC
records, fetched pages): the header is honoured unless a BOM or valid UTF-8 says otherwise.

`content_hash` is the identity of a document's text for de-duplication: the same
document re-saved with other line endings, trailing spaces or composed/decomposed
accents hashes the same.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata

from corroborate.errors import RecordError

# How much of a file the binary and encoding checks look at; a text file shows its
# nature in its first few kilobytes, and the detector is slow on megabytes.
SAMPLE_BYTES = 64 * 1024

# Share of C0 control bytes (other than tab, newlines, form feed, escape) above which
# a file is binary. Text files have none; 5% leaves room for a stray control character
# in a long text while every compressed or executable file scores far above it.
MAX_CONTROL_SHARE = 0.05

# Share of NUL bytes above which a file is binary. Binary formats are full of NULs;
# a web page may carry a stray run of them (one evaluation page has 22 in 190 KB).
MAX_NUL_SHARE = 0.005

# Share of NULs on the odd (even) byte positions above which BOM-less data is taken for
# UTF-16-LE (-BE): ASCII-range text in UTF-16 has a NUL in every other byte.
UTF16_NUL_SHARE = 0.4

# When more than this share of the replacement characters is needed to decode a file
# whose BOM names its encoding, the BOM lies and the file is rejected.
MAX_REPLACEMENT_SHARE = 0.01

# Signatures of common binary formats that can slip past the NUL/control checks in
# their first bytes (JPEG and PDF headers are mostly printable).
BINARY_SIGNATURES: tuple[bytes, ...] = (
    b"%PDF-", b"PK\x03\x04", b"\x1f\x8b", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff",
    b"Rar!", b"7z\xbc\xaf", b"OggS", b"ID3", b"\x7fELF", b"BZh", b"\xfd7zXZ",
    b"SQLite format 3", b"\xd0\xcf\x11\xe0",  # the last one: old MS Office files
)

# A file that is mostly valid UTF-8 (this many valid multi-byte characters per broken
# byte sequence) is UTF-8 with damage; text in a legacy encoding has almost no valid
# multi-byte sequences at all, so the two are far apart.
MIN_VALID_PER_BROKEN = 4

# An HTML or XML header names its charset within the first few kilobytes.
DECLARATION_BYTES = 8192
# Declared charsets read as their supersets, as browsers do (WHATWG Encoding Standard):
# the "latin-1" web is cp1252 and the "gb2312" web is GB18030.
_BROWSER_CODECS = {
    "latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252",
    "gb2312": "gb18030", "gbk": "gb18030", "euc_kr": "cp949", "shift_jis": "cp932",
}
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""",
                       re.IGNORECASE)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_ALLOWED_CONTROLS = frozenset(b"\t\n\r\x0b\x0c\x1b")
# The other C0 bytes, as a deletion table: counting them with `bytes.translate` runs in
# C (a Python loop over a 64 KB sample was most of the time spent reading a WARC).
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in _ALLOWED_CONTROLS)

# Characters that are invisible yet not whitespace to `str.strip`.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"

# Non-ASCII characters that Western European text decoded as cp1252 legitimately
# contains besides letters: typographic punctuation, currency and a few symbols.
# A cp1250/cp1251 file decoded as cp1252 instead shows symbols such as ¹ ³ ¿ ¾ in the
# middle of words, which are not in this set.
_WESTERN_SYMBOLS = frozenset(
    "\u00a0“”‘’„‚‹›«»–—…•·€£¥¢§©®™°±×÷¡¿¶†‡‰ªº²³¹¼½¾´¨¸¯¬¦¤µ"
)
# Western text is mostly ASCII letters: in French, German or Spanish news under 10% of
# letters carry accents. 30% leaves a wide margin; Cyrillic or Greek decoded as cp1252
# scores near 100%.
MAX_WESTERN_ACCENT_SHARE = 0.3
# Share of non-ASCII characters that must be letters or `_WESTERN_SYMBOLS`.
MIN_WESTERN_PLAUSIBLE = 0.95
# Share of non-ASCII characters that may be symbols wedged inside a word.
MAX_WEDGED_SHARE = 0.02
_INWORD_MARKS = frozenset("’‘·‐‑–—\u00a0")


def decode_bytes(data: bytes) -> str:
    """Decode a file's bytes to text, or raise `RecordError` (`empty`, `binary`, `undecodable`)."""
    if not data.strip():
        raise RecordError("empty", "the file has no content")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_decode_declared(data[len(bom):], encoding))
    sample = data[:SAMPLE_BYTES]
    utf16 = _bomless_utf16(sample)
    if utf16 is not None:
        return _checked(_decode_declared(data, utf16))
    reject_binary(sample)
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return _checked(mostly)
    return _checked(_decode_legacy(data))


def decode_with_charset(data: bytes, charset: str | None) -> str:
    """Decode a body whose transport (an HTTP `Content-Type` header) names its charset.

    A byte-order mark beats the header, as in browsers. A legacy charset (ISO-8859-1,
    cp1252 ...) is not trusted over valid UTF-8: servers send "ISO-8859-1" by default
    for UTF-8 pages, while legacy text with accents is virtually never valid UTF-8.
    An unknown or wrong charset falls back to `decode_bytes`, which finds the real one.
    """
    codec = _codec_name(charset)
    if codec is None or any(data.startswith(bom) for bom, _ in _BOMS):
        return decode_bytes(data)
    if not data.strip():
        raise RecordError("empty", "the body has no content")
    if not codec.startswith(("utf-16", "utf-32")):
        reject_binary(data[:SAMPLE_BYTES])
    if not codec.startswith("utf"):
        try:
            return _checked(data.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    try:
        return _checked(data.decode(codec))
    except UnicodeDecodeError:
        return decode_bytes(data)


def content_hash(text: str) -> str:
    """SHA-256 hex digest of `text` after NFC and whitespace normalisation."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()


_DROP_INVISIBLE = str.maketrans("", "", _INVISIBLE)


def normalise_for_hash(text: str) -> str:
    """NFC, invisible characters dropped, each line's whitespace collapsed, blank lines dropped."""
    text = unicodedata.normalize("NFC", text)
    # Most texts hold none of them; `in` scans in C, `translate` walks every character.
    if any(ch in text for ch in _INVISIBLE):
        text = text.translate(_DROP_INVISIBLE)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def is_blank(text: str) -> bool:
    return not text.strip().strip(_INVISIBLE).strip()


def _checked(text: str) -> str:
    if is_blank(text):
        raise RecordError("empty", "the file holds only whitespace")
    return text.lstrip("\ufeff")


def _decode_declared(data: bytes, encoding: str) -> str:
    """Decode with the encoding a BOM (or the UTF-16 NUL pattern) declares."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        pass
    text = data.decode(encoding, errors="replace")
    if text.count("\ufffd") > MAX_REPLACEMENT_SHARE * max(len(text), 1):
        raise RecordError("undecodable", f"not valid {encoding} despite its byte-order mark")
    return text


def _bomless_utf16(sample: bytes) -> str | None:
    """`utf-16-le`/`utf-16-be` when the NULs sit regularly on one byte position."""
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul = even.count(0) / len(even)
    odd_nul = odd.count(0) / max(len(odd), 1)
    if odd_nul >= UTF16_NUL_SHARE and even_nul < 0.05:
        return "utf-16-le"
    if even_nul >= UTF16_NUL_SHARE and odd_nul < 0.05:
        return "utf-16-be"
    return None


def wide_encoding(head: bytes) -> str | None:
    """The UTF-16/32 encoding `head` starts in (by BOM or NUL pattern), else None.

    Line-oriented readers need this: a wide encoding cannot be split on b"\\n".
    """
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return None if encoding == "utf-8" else encoding
    return _bomless_utf16(head)


def reject_binary(sample: bytes) -> None:
    """Raise `RecordError("binary")` when `sample` (a file's first bytes) is not text."""
    for signature in BINARY_SIGNATURES:
        if sample.startswith(signature):
            raise RecordError("binary", f"starts like a binary file ({signature[:4]!r})")
    nuls = sample.count(0)
    if nuls > MAX_NUL_SHARE * len(sample):
        raise RecordError("binary", f"{nuls} NUL bytes in the first {len(sample)}")
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > MAX_CONTROL_SHARE * len(sample):
        raise RecordError("binary", f"{controls} control bytes in the first {len(sample)}")


def _mostly_utf8(data: bytes) -> str | None:
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = sum(1 for ch in text if ord(ch) > 127) - broken
    return text if valid >= MIN_VALID_PER_BROKEN * broken else None


def _declared_charsets(data: bytes) -> list[str]:
    """Non-UTF codecs the header declares, in order (an archived page declares twice)."""
    found: list[str] = []
    for match in _DECLARED.finditer(data[:DECLARATION_BYTES]):
        try:
            codec = codecs.lookup(match.group(1).decode("ascii")).name
        except LookupError:
            continue
        codec = _BROWSER_CODECS.get(codec, codec)
        if not codec.startswith("utf") and codec not in found:
            found.append(codec)
    return found


def _codec_name(charset: str | None) -> str | None:
    """Python's codec for a declared charset, read as browsers read it; None if unknown."""
    if not charset:
        return None
    try:
        codec = codecs.lookup(charset.strip().strip("\"'")).name
    except LookupError:
        return None
    return _BROWSER_CODECS.get(codec, codec)


def _decode_legacy(data: bytes) -> str:
    for declared in _declared_charsets(data):
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            continue
    western = _decode_western(data)
    if western is not None and _looks_western(western[:SAMPLE_BYTES]):
        return western
    guess = _detector_guess(data)
    if guess is not None:
        return guess
    raise RecordError("undecodable", "neither UTF-8 nor a recognisable legacy encoding")


def _decode_western(data: bytes) -> str | None:
    """cp1252, or latin-1 when the file uses the five bytes cp1252 leaves undefined."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    # Latin-1 maps 0x80-0x9f to C1 controls; more than a couple means it is not latin-1.
    c1 = sum(1 for ch in text if "\x80" <= ch <= "\x9f")
    return text if c1 <= 2 else None


def _looks_western(text: str) -> bool:
    letters = 0
    accented = 0
    non_ascii = 0
    plausible = 0
    for ch in text:
        is_letter = ch.isalpha()
        letters += is_letter
        if ord(ch) < 128:
            continue
        non_ascii += 1
        accented += is_letter
        plausible += is_letter or ch in _WESTERN_SYMBOLS
    if non_ascii == 0:
        return True
    return (accented <= MAX_WESTERN_ACCENT_SHARE * max(letters, 1)
            and plausible >= MIN_WESTERN_PLAUSIBLE * non_ascii
            and _wedged_symbols(text) <= MAX_WEDGED_SHARE * non_ascii)


def _wedged_symbols(text: str) -> int:
    """Non-letter characters between two letters ("dziesi±tej"): Central European text
    read as cp1252. Apostrophes, dashes and the middle dot legitimately sit there."""
    return sum(
        1 for i in range(1, len(text) - 1)
        if ord(text[i]) > 127 and not text[i].isalpha() and text[i] not in _INWORD_MARKS
        and text[i - 1].isalpha() and text[i + 1].isalpha()
    )


def _detector_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:SAMPLE_BYTES]).best()
    if best is None or best.encoding is None:
        return None
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
