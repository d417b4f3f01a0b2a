"""A polite HTTP fetcher for feeds and URL lists.

`Fetcher.fetch(url)` returns a `FetchResult` or raises `RecordError` with a reason the
reader turns into a reject: `bad-url`, `bad-scheme`, `blocked-address`,
`robots-disallowed`, `timeout`, `unreachable`, `http-<status>`, `too-large`,
`too-many-redirects`, `unsupported` (a content encoding we did not ask for).

Politeness, in the order a request meets it:

1. only http and https URLs, on every redirect hop too;
2. the host must resolve to public addresses only (`netguard`; checked again when the
   socket connects, so DNS rebinding cannot slip past) unless `allow_private`;
3. robots.txt, fetched once per origin and cached (`robots`), must allow the path;
4. requests to one host start at least `host_interval` seconds apart (a robots.txt
   Crawl-delay may raise that), measured on the monotonic clock;
5. a clear User-Agent; connect and read timeouts, and a deadline for the whole body;
6. the body is streamed and cut at `max_bytes` (after gzip decoding: no gzip bombs);
7. transient failures (connection errors, timeouts, 408/429/5xx) are retried with
   exponential backoff and jitter, honouring Retry-After up to a cap.

Stdlib `http.client` rather than `httpx`: it needs no dependency, and its connection
factory is the hook where the connect-time address check lives (`netguard`).
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.message
import http.client
import random
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from corroborate import __version__
from corroborate.errors import RecordError, UsageError
from corroborate.ingest import robots
from corroborate.ingest.decode import decode_bytes
from corroborate.ingest.netguard import (
    AddressGuard,
    Resolver,
    checked_addresses,
    guarded_connection,
    split_url,
    system_resolver,
)
from corroborate.pipeline.base import RunContext

PROJECT_URL = "https://github.com/corroborate"
DEFAULT_USER_AGENT = f"corroborate/{__version__} (+{PROJECT_URL}; news analysis)"

# Defaults for the settings keys (`ctx.settings`): `timeout` is both the connect and the
# per-read timeout; news pages answer in well under a second, 15 s covers slow sites.
DEFAULT_TIMEOUT = 15.0
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 1.0  # seconds before the first retry; doubled for each further one
DEFAULT_HOST_INTERVAL = 1.0  # the usual "one request per second per site" courtesy
DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # as the file readers' cap (readers.DEFAULT_MAX_BYTES)
# The whole response (headers and body) must arrive within this many `timeout`s: a
# server trickling one byte per read timeout would otherwise hold the run forever.
TOTAL_TIMEOUT_FACTOR = 6
MAX_BACKOFF = 30.0
# Retry-After values above this are not waited for: the URL fails with its status.
MAX_RETRY_AFTER = 60.0
MAX_REDIRECTS = 5  # as browsers' minimum and RFC 9309 for robots.txt
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
RETRY_REASONS = frozenset({"timeout", "unreachable"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_BYTES = 64 * 1024
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,*/*;q=0.5")


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Everything that decides how the fetcher behaves; built from `ctx.settings`."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = DEFAULT_TIMEOUT
    read_timeout: float = DEFAULT_TIMEOUT
    total_timeout: float = DEFAULT_TIMEOUT * TOTAL_TIMEOUT_FACTOR
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    host_interval: float = DEFAULT_HOST_INTERVAL
    max_bytes: int = DEFAULT_MAX_BYTES
    max_retry_after: float = MAX_RETRY_AFTER
    guard: AddressGuard = field(default_factory=AddressGuard)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> FetchPolicy:
        """Settings keys: `allow_private`, `user_agent`, `timeout`, `retries`,
        `host_interval`, `max_bytes`, `backoff`. Bad values are a `UsageError` now."""
        timeout = _number(settings, "timeout", DEFAULT_TIMEOUT, minimum=0.001)
        return cls(
            user_agent=str(settings.get("user_agent") or DEFAULT_USER_AGENT),
            connect_timeout=timeout,
            read_timeout=timeout,
            total_timeout=timeout * TOTAL_TIMEOUT_FACTOR,
            retries=int(_number(settings, "retries", DEFAULT_RETRIES, minimum=0)),
            backoff=_number(settings, "backoff", DEFAULT_BACKOFF, minimum=0),
            host_interval=_number(settings, "host_interval", DEFAULT_HOST_INTERVAL, minimum=0),
            max_bytes=int(_number(settings, "max_bytes", DEFAULT_MAX_BYTES, minimum=1)),
            guard=AddressGuard.from_setting(settings.get("allow_private", False)),
        )


def _number(settings: Mapping[str, Any], key: str, default: float, minimum: float) -> float:
    value = settings.get(key)
    if value is None:
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UsageError(f"setting {key!r} must be a number, not {value!r}") from None
    if not number >= minimum:  # also false for NaN
        raise UsageError(f"setting {key!r} must be at least {minimum}, not {value!r}")
    return number


@dataclass(frozen=True, slots=True)
class FetchResult:
    url_requested: str
    url_final: str
    status: int
    content_type: str  # media type, lower case, without parameters ("" when missing)
    charset: str | None
    body: bytes
    fetched_at: dt.datetime  # UTC


@dataclass(slots=True)
class _Response:
    status: int
    headers: email.message.Message
    body: bytes = b""


class Fetcher:
    """Fetches URLs politely (see the module docstring). One fetcher per run shares its
    robots.txt cache and per-host clock across every URL of the run."""

    def __init__(self, policy: FetchPolicy | None = None, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 resolver: Resolver = system_resolver,
                 rng: random.Random | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self.limiter = robots.HostLimiter(self.policy.host_interval, clock, sleep)
        self.robots = robots.RobotsCache(self._load_robots, clock)
        self._clock = clock
        self._sleep = sleep
        self._resolver = resolver
        self._rng = rng or random.Random()
        self._token = robots.agent_token(self.policy.user_agent)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Fetcher:
        return cls(FetchPolicy.from_settings(settings))

    def fetch(self, url: str, ctx: RunContext | None = None) -> FetchResult:
        """The 2xx response for `url` after redirects, or `RecordError`."""
        mode = _Mode(obey_robots=True, cap=self.policy.max_bytes, truncate=False)
        final, response = self._follow(url, ctx, mode)
        content_type, charset = _media_type(response.headers)
        return FetchResult(url_requested=url, url_final=final, status=response.status,
                           content_type=content_type, charset=charset, body=response.body,
                           fetched_at=dt.datetime.now(dt.UTC))

    # --- redirects, robots, address checks -------------------------------------------

    def _follow(self, url: str, ctx: RunContext | None, mode: _Mode) -> tuple[str, _Response]:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            scheme, host, port, target = split_url(current)
            # Checked here for a clear early answer (and before robots.txt is asked
            # for); checked again on connect against rebinding.
            checked_addresses(host, port, self.policy.guard, self._resolver)
            if mode.obey_robots:
                self.robots.check(current)
            response = self._with_retries(scheme, host, port, target, ctx, mode)
            location = response.headers.get("Location")
            if response.status in REDIRECT_STATUSES and location:
                current = urljoin(current, location.strip()).split("#", 1)[0]
                _count(ctx, "fetch.redirects")
                continue
            if 200 <= response.status < 300:
                _count(ctx, "fetch.ok")
                return current, response
            raise RecordError(f"http-{response.status}", f"{host}{target}")
        raise RecordError("too-many-redirects", f"more than {MAX_REDIRECTS} from {url}")

    def _load_robots(self, url: str) -> robots.RobotsRules:
        # robots.txt is cut at its parse limit rather than rejected (RFC 9309 2.5).
        mode = _Mode(obey_robots=False, cap=robots.ROBOTS_MAX_BYTES, truncate=True)
        try:
            _final, response = self._follow(url, None, mode)
        except RecordError as err:
            if err.reason == "blocked-address":
                raise  # robots.txt leads to a private address: the page is blocked too
            rules = robots.rules_after_failure(err)
        else:
            text = response.body.decode("utf-8", errors="replace")
            rules = robots.parse_robots(text, self._token)
        if rules.crawl_delay:
            self.limiter.set_interval(split_url(url)[1], rules.crawl_delay)
        return rules

    # --- one request, with retries ----------------------------------------------------

    def _with_retries(self, scheme: str, host: str, port: int, target: str,
                      ctx: RunContext | None, mode: _Mode) -> _Response:
        attempt = 0
        while True:
            try:
                response = self._request(scheme, host, port, target, mode)
            except RecordError as err:
                if err.reason not in RETRY_REASONS or attempt >= self.policy.retries:
                    raise
                delay = self._backoff(attempt)
            else:
                if response.status not in RETRY_STATUSES or attempt >= self.policy.retries:
                    return response
                wanted = retry_after_seconds(response.headers.get("Retry-After"))
                if wanted is not None and wanted > self.policy.max_retry_after:
                    return response  # fails with its status: we will not wait that long
                delay = max(self._backoff(attempt), wanted or 0.0)
            _count(ctx, "fetch.retries")
            self._sleep(delay)
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random, so that
        retries of many clients spread out but never come back at once."""
        ceiling = min(MAX_BACKOFF, self.policy.backoff * 2.0 ** attempt)
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def _request(self, scheme: str, host: str, port: int, target: str,
                 mode: _Mode) -> _Response:
        self.limiter.wait(host)
        policy = self.policy
        conn = guarded_connection(scheme, host, port, guard=policy.guard,
                                  resolver=self._resolver,
                                  connect_timeout=policy.connect_timeout,
                                  read_timeout=policy.read_timeout)
        deadline = self._clock() + policy.total_timeout
        raw: http.client.HTTPResponse | None = None
        try:
            conn.request("GET", target, headers=self._headers())
            raw = conn.getresponse()
            response = _Response(raw.status, raw.headers)
            if 200 <= raw.status < 300:
                response.body = self._read_body(raw, deadline, mode)
            return response
        except RecordError:
            raise
        except TimeoutError as err:
            raise RecordError("timeout", f"{host}: no answer within {policy.read_timeout:g} s"
                              ) from err
        except (http.client.HTTPException, OSError) as err:
            raise RecordError("unreachable", f"{host}: {_describe(err)}") from err
        finally:
            if raw is not None:
                raw.close()  # the response holds the socket once the connection let go
            conn.close()

    def _headers(self) -> dict[str, str]:
        return {"User-Agent": self.policy.user_agent, "Accept": ACCEPT,
                "Accept-Encoding": "gzip", "Connection": "close"}

    def _read_body(self, raw: http.client.HTTPResponse, deadline: float, mode: _Mode) -> bytes:
        """The body, streamed and cut at the cap (`too-large` unless `mode.truncate`).

        The deadline is checked between reads, each bounded by the read timeout, so a
        response ends at most one read timeout past it."""
        cap = mode.cap
        declared = raw.getheader("Content-Length", "")
        if not mode.truncate and declared.isdigit() and int(declared) > cap:
            raise RecordError("too-large", f"{declared} bytes announced (cap {cap})")
        decoder = _decoder(raw.getheader("Content-Encoding", ""))
        body = bytearray()
        while len(body) <= cap:
            if self._clock() > deadline:
                raise RecordError("timeout", f"the body took over {self.policy.total_timeout:g} s")
            chunk = raw.read1(CHUNK_BYTES)  # what has arrived: a trickle meets the deadline
            if not chunk:
                break
            body += decoder(chunk, cap + 1 - len(body)) if decoder else chunk
        if decoder is not None and len(body) <= cap:
            body += decoder(b"", cap + 1 - len(body))
        if len(body) > cap:
            if not mode.truncate:
                raise RecordError("too-large", f"more than {cap} bytes")
            del body[cap:]
        return bytes(body)


@dataclass(frozen=True, slots=True)
class _Mode:
    """What kind of fetch this is: a page (robots obeyed, too-large rejected) or
    robots.txt itself (cut at its parse limit)."""

    obey_robots: bool
    cap: int
    truncate: bool


Decoder = Callable[[bytes, int], bytes]


def _decoder(encoding: str) -> Decoder | None:
    """A streaming decoder for the body's Content-Encoding, bounded per call."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise RecordError("unsupported", f"content encoding {encoding!r}")
    # 32 + MAX_WBITS reads both gzip and zlib headers ("deflate" is zlib on the web).
    inflater = zlib.decompressobj(32 + zlib.MAX_WBITS)

    def decode(chunk: bytes, limit: int) -> bytes:
        try:
            data = inflater.decompress(inflater.unconsumed_tail + chunk, max(limit, 1))
        except zlib.error as err:
            raise RecordError("unreachable", f"corrupt {encoding} body: {err}") from err
        return data

    return decode


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _media_type(headers: email.message.Message) -> tuple[str, str | None]:
    content_type = headers.get_content_type() if headers.get("Content-Type") else ""
    charset = headers.get_content_charset()
    return content_type.lower(), charset


# Declared charsets read as browsers read them (WHATWG Encoding Standard).
_BROWSER_CODECS = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}


def decode_body(result: FetchResult) -> str:
    """The body as text: a byte-order mark first, then the HTTP charset, then the
    usual sniffing (`decode_bytes`: meta charset, legacy encodings), as browsers do."""
    body = result.body
    if result.charset and not body.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                                codecs.BOM_UTF16_BE)):
        try:
            codec = codecs.lookup(result.charset).name
            text = body.decode(_BROWSER_CODECS.get(codec, codec))
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            if text.strip():
                return text
    return decode_bytes(body)


def _count(ctx: RunContext | None, key: str) -> None:
    if ctx is not None:
        ctx.count(key)


def _describe(err: BaseException) -> str:
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err) or type(err).__name__


# One fetcher per policy, shared by every reader in the process: the rate limit and the
# robots.txt cache then hold across feed files, URL lists and URLs given directly.
_SHARED: dict[FetchPolicy, Fetcher] = {}
_SHARED_LOCK = threading.Lock()
MAX_SHARED_FETCHERS = 8


def shared_fetcher(settings: Mapping[str, Any]) -> Fetcher:
    policy = FetchPolicy.from_settings(settings)
    with _SHARED_LOCK:
        fetcher = _SHARED.get(policy)
        if fetcher is None:
            if len(_SHARED) >= MAX_SHARED_FETCHERS:
                _SHARED.pop(next(iter(_SHARED)))
            fetcher = _SHARED[policy] = Fetcher(policy)
        return fetcher
