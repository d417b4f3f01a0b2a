"""The exception tree.

Two kinds of error (see STYLE.md): `UsageError` for bad configuration or usage, raised
at once with a message that says what to do; `RecordError` for one bad input record,
which steps raise and the runner counts, reports and skips so that the batch goes on.
"""

from __future__ import annotations


class CorroborateError(Exception):
    """Base class of every error corroborate raises on purpose."""


class UsageError(CorroborateError):
    """Bad configuration or usage: fail at once, tell the user what to do."""


class PipelineError(UsageError):
    """A pipeline is wired wrongly (a step needs what no earlier step provides)."""


class ModelUnavailableError(UsageError):
    """A language model the default pipeline needs is not installed."""


class StoreError(CorroborateError):
    """The SQLite store cannot be opened, migrated or written."""


class RecordError(CorroborateError):
    """One input record cannot be processed; `reason` is a short machine-readable code.

    Reasons used so far: `empty`, `binary`, `undecodable`, `unreadable`, `too-large`,
    `corrupt` (truncated or damaged gzip/WARC), `malformed-json`, `missing-text`,
    `no-content`, `too-deep`, `unsupported`, `malformed-feed`, `bad-url`, and for
    fetching `timeout`, `unreachable`, `http-<status>`, `bad-scheme`, `blocked-address`,
    `robots-disallowed`, `too-many-redirects`. `internal-error` marks a bug of ours met
    on one record.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
