"""Pacing per site: robots.txt as RFC 9309 reads it, and the per-host request interval.

Not `urllib.robotparser`: it takes the first matching rule rather than the longest,
ignores `*` and `$` in paths, and matches user agents by substring. Here:

- the group for our product token ("corroborate", matched case-insensitively) applies,
  all groups naming it combined; otherwise the `*` groups; otherwise nothing is disallowed;
- the rule with the longest pattern that matches the path (with its query) decides, and
  `allow` wins a tie; `*` matches any run of characters and a final `$` anchors the end;
- paths are compared after percent-encoding normalisation (non-ASCII encoded, escapes
  of unreserved characters decoded, hex digits upper-cased);
- `/robots.txt` itself is always allowed.

What to do when robots.txt cannot be read (section 2.3.1): a 4xx answer or too many
redirects means "no rules"; a 5xx answer, 429, a timeout or an unreachable server means
"disallow everything" for a while, since the site may be overloaded.

`HostLimiter` spaces the requests to one host by the configured interval, or by the
site's Crawl-delay when that is longer.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from corroborate.errors import RecordError

# RFC 9309 2.5: crawlers must parse at least 500 KiB; longer files are cut there.
ROBOTS_MAX_BYTES = 500 * 1024
# How long rules are cached: RFC 9309 2.4 says no more than 24 hours. A "disallow all"
# adopted because robots.txt could not be fetched is retried much sooner.
ROBOTS_TTL = 24 * 3600.0
ROBOTS_ERROR_TTL = 600.0
# Crawl-delay is not in RFC 9309 but widely used; we honour it up to this many seconds
# (a site asking for a minute between pages would stall a run of a few dozen URLs).
MAX_CRAWL_DELAY = 10.0

# Fetch failures (RecordError reasons) after which robots.txt counts as "no rules".
UNAVAILABLE_REASONS = frozenset({"too-many-redirects", "bad-scheme", "bad-url"})
# Failures that mean the whole site is down, not that it forbids anything.
SITE_DOWN_REASONS = frozenset({"timeout", "unreachable"})

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters that keep their meaning in a path pattern; everything else is encoded.
_PATH_SAFE = "/?=&;:@!$'()*+,%[]#"
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")


@dataclass(frozen=True, slots=True)
class Rule:
    allow: bool
    pattern: str  # normalised, as written (with its `*` and `$`)
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """The rules of one site for our user agent."""

    rules: tuple[Rule, ...] = ()
    crawl_delay: float | None = None
    disallow_all: bool = False
    # Why everything is disallowed when robots.txt could not be read: (reason, detail).
    failure: tuple[str, str] | None = None

    def allows(self, path: str) -> bool:
        """Whether the path (with its query string) may be fetched."""
        if self.disallow_all:
            return path == "/robots.txt"
        target = normalise_path(path or "/")
        best: Rule | None = None
        for rule in self.rules:
            if rule.regex.match(target) and (
                    best is None or len(rule.pattern) > len(best.pattern)
                    or (len(rule.pattern) == len(best.pattern) and rule.allow)):
                best = rule
        return best is None or best.allow or target == "/robots.txt"

    def refusal(self, host: str, path: str) -> RecordError:
        """The reject for a path these rules disallow. When robots.txt could not be
        read because the site is down, the page gets that reason (`timeout`,
        `unreachable`): it is what the user needs to know."""
        if self.failure is None:
            return RecordError("robots-disallowed", f"robots.txt of {host} disallows {path}")
        reason, detail = self.failure
        if reason in SITE_DOWN_REASONS:
            return RecordError(reason, f"robots.txt of {host}: {detail}")
        return RecordError("robots-disallowed",
                           f"robots.txt of {host} unavailable ({reason}), so nothing may "
                           "be fetched (RFC 9309)")


ALLOW_ALL = RobotsRules()
DISALLOW_ALL = RobotsRules(disallow_all=True)


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups name: "corroborate" of "corroborate/0.1 (...)"."""
    return re.split(r"[/\s]", user_agent.strip(), maxsplit=1)[0].lower()


def normalise_path(path: str) -> str:
    encoded = quote(path, safe=_PATH_SAFE)

    def unescape(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else f"%{match.group(1).upper()}"

    return _ESCAPE.sub(unescape, encoded)


def parse_robots(text: str, token: str) -> RobotsRules:
    """The rules in `text` that apply to the product token `token`."""
    groups = _groups(text)
    chosen = [g for g in groups if token in g.agents] or [g for g in groups if "*" in g.agents]
    rules = tuple(rule for group in chosen for rule in group.rules)
    delays = [g.delay for g in chosen if g.delay is not None]
    return RobotsRules(rules=rules, crawl_delay=min(delays) if delays else None)


@dataclass(slots=True)
class _Group:
    agents: set[str]
    rules: list[Rule]
    delay: float | None = None


def _groups(text: str) -> list[_Group]:
    groups: list[_Group] = []
    current: _Group | None = None
    for line in text.splitlines():
        key, _, value = line.split("#", 1)[0].partition(":")
        key, value = key.strip().lower().replace(" ", "-"), value.strip()
        if key in ("user-agent", "useragent"):
            if current is None or current.rules or current.delay is not None:
                current = _Group(set(), [])
                groups.append(current)
            current.agents.add(agent_token(value) if value != "*" else "*")
        elif current is None:
            continue  # rules before any user-agent line belong to no group
        elif key in ("allow", "disallow") and value:
            current.rules.append(_rule(key == "allow", value))
        elif key == "crawl-delay":
            current.delay = _seconds(value)
    return groups


def _rule(allow: bool, value: str) -> Rule:
    pattern = normalise_path(value if value.startswith(("/", "*")) else f"/{value}")
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(part) for part in body.split("*")) + ("$" if anchored else "")
    return Rule(allow=allow, pattern=pattern, regex=re.compile(regex, re.DOTALL))


def _seconds(value: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        return None
    return min(seconds, MAX_CRAWL_DELAY) if seconds >= 0 else None


def rules_after_failure(err: RecordError) -> RobotsRules:
    """What a failed robots.txt fetch means (RFC 9309 2.3.1.3 and 2.3.1.4)."""
    if err.reason in UNAVAILABLE_REASONS:
        return ALLOW_ALL
    status = _status_of(err.reason)
    if status is not None and 400 <= status < 500 and status != 429:
        # 429 is "slow down", not "there is no file": treated like a server error.
        return ALLOW_ALL
    return RobotsRules(disallow_all=True, failure=(err.reason, err.detail))


def _status_of(reason: str) -> int | None:
    if reason.startswith("http-") and reason[5:].isdigit():
        return int(reason[5:])
    return None


Origin = tuple[str, str, int]
# Loads the rules of one origin from its robots.txt URL.
RobotsLoader = Callable[[str], RobotsRules]


def origin_of(url: str) -> Origin:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80)


def robots_url(origin: Origin) -> str:
    scheme, host, port = origin
    default = 443 if scheme == "https" else 80
    netloc = f"[{host}]" if ":" in host else host
    return f"{scheme}://{netloc}{'' if port == default else f':{port}'}/robots.txt"


class RobotsCache:
    """Rules per origin (scheme, host, port), loaded once and kept for their TTL."""

    def __init__(self, load: RobotsLoader, clock: Callable[[], float] = time.monotonic) -> None:
        self._load = load
        self._clock = clock
        self._entries: dict[Origin, tuple[RobotsRules, float]] = {}
        self._lock = threading.Lock()

    def rules_for(self, url: str) -> RobotsRules:
        origin = origin_of(url)
        with self._lock:
            cached = self._entries.get(origin)
        if cached is not None and cached[1] > self._clock():
            return cached[0]
        rules = self._load(robots_url(origin))
        ttl = ROBOTS_ERROR_TTL if rules.disallow_all else ROBOTS_TTL
        with self._lock:
            self._entries[origin] = (rules, self._clock() + ttl)
        return rules

    def check(self, url: str) -> None:
        """Raise the reject (`robots-disallowed`, ...) when robots.txt forbids `url`."""
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path = f"{path}?{parts.query}"
        rules = self.rules_for(url)
        if not rules.allows(path):
            raise rules.refusal(parts.hostname or "", path)


class HostLimiter:
    """Minimum interval between the starts of requests to one host.

    A request reserves the next free slot under the lock and sleeps outside it, so
    threads sharing a fetcher wait for their own host only. The interval is applied
    when a request asks for its slot, so a Crawl-delay learned from robots.txt already
    spaces the request that follows the robots.txt fetch.
    """

    def __init__(self, interval: float, clock: Callable[[], float],
                 sleep: Callable[[float], None]) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}  # start of the latest request per host
        self._intervals: dict[str, float] = {}
        self._lock = threading.Lock()

    def set_interval(self, host: str, seconds: float) -> None:
        with self._lock:
            self._intervals[host] = max(self.interval, seconds)

    def wait(self, host: str) -> None:
        with self._lock:
            now = self._clock()
            last = self._last.get(host)
            interval = self._intervals.get(host, self.interval)
            slot = now if last is None else max(now, last + interval)
            self._last[host] = slot
        if slot > now:
            self._sleep(slot - now)
