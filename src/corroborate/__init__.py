"""corroborate: turn a pile of news articles into verified, cross-source stories."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Article",
    "CorroborateError",
    "RecordError",
    "Report",
    "Story",
    "UsageError",
    "__version__",
    "analyze",
    "extract",
    "list_stories",
    "show_story",
]

if TYPE_CHECKING:
    from corroborate.api import Report, analyze, extract, list_stories, show_story
    from corroborate.errors import CorroborateError, RecordError, UsageError
    from corroborate.model import Article, Story

_LAZY = {
    "Report": "corroborate.api",
    "analyze": "corroborate.api",
    "extract": "corroborate.api",
    "list_stories": "corroborate.api",
    "show_story": "corroborate.api",
    "CorroborateError": "corroborate.errors",
    "RecordError": "corroborate.errors",
    "UsageError": "corroborate.errors",
    "Article": "corroborate.model",
    "Story": "corroborate.model",
}


def __getattr__(name: str) -> Any:
    # Importing the API pulls in spaCy and torch; `import corroborate.model` (and the
    # CLI's --help) should not pay for that.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'corroborate' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
