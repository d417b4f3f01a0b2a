"""The polite fetcher against a real HTTP server on 127.0.0.1, and its address guard,
robots.txt rules and rate limiter on their own."""

from __future__ import annotations

import gzip
import http.server
import ipaddress
import itertools
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corroborate import __version__
from corroborate.errors import RecordError, UsageError
from corroborate.ingest.fetch import (
    DEFAULT_USER_AGENT,
    PROJECT_URL,
    Fetcher,
    FetchPolicy,
    FetchResult,
    decode_body,
    retry_after_seconds,
)
from corroborate.ingest.netguard import (
    AddressGuard,
    checked_addresses,
    connect_checked,
    is_public_address,
    normalise_url,
    split_url,
)
from corroborate.ingest.robots import (
    ALLOW_ALL,
    DISALLOW_ALL,
    HostLimiter,
    agent_token,
    parse_robots,
    rules_after_failure,
)
from corroborate.pipeline.base import RunContext
from httpserver import LocalServer, Reply

PAGE = "<html><head><title>Bridge</title></head><body><p>The council voted.</p></body></html>"
OPEN = AddressGuard(True)


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


class Sleeps:
    """Records the sleeps the fetcher asks for instead of sleeping (backoff tests)."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def fetcher(sleep: Any = None, **policy: Any) -> Fetcher:
    """A fetcher for the local server: private addresses allowed, no pacing, quick."""
    settings: dict[str, Any] = {"guard": OPEN, "host_interval": 0.0, "backoff": 0.01,
                                "retries": 0, "connect_timeout": 2.0, "read_timeout": 2.0,
                                "total_timeout": 5.0}
    settings.update(policy)
    if sleep is None:
        return Fetcher(FetchPolicy(**settings))
    return Fetcher(FetchPolicy(**settings), sleep=sleep)


def failure(fetch: Fetcher, url: str, ctx: RunContext | None = None) -> RecordError:
    with pytest.raises(RecordError) as caught:
        fetch.fetch(url, ctx)
    return caught.value


# --- pages, headers, the user agent --------------------------------------------------


def test_a_page_comes_back_with_its_type_charset_and_final_url(server: LocalServer) -> None:
    server.page("/a", PAGE, "text/html; charset=ISO-8859-1")
    result = fetcher().fetch(server.url("/a"))
    assert isinstance(result, FetchResult)
    assert (result.status, result.content_type, result.charset) == (200, "text/html",
                                                                     "iso-8859-1")
    assert result.body == PAGE.encode()
    assert result.url_requested == result.url_final == server.url("/a")
    assert result.fetched_at.tzinfo is not None


def test_the_server_sees_our_user_agent(server: LocalServer) -> None:
    server.page("/a", PAGE)
    fetcher(user_agent=DEFAULT_USER_AGENT).fetch(server.url("/a"))
    agent = server.hits("/a")[0].headers["User-Agent"]
    assert agent == f"corroborate/{__version__} (+{PROJECT_URL}; news analysis)"
    # robots.txt is asked for with the same agent
    assert server.hits("/robots.txt")[0].headers["User-Agent"] == agent


def test_http_errors_carry_their_status(server: LocalServer) -> None:
    assert failure(fetcher(), server.url("/missing")).reason == "http-404"


def test_a_closed_port_is_unreachable() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    assert failure(fetcher(), f"http://127.0.0.1:{port}/").reason == "unreachable"


def test_gzip_bodies_are_decoded(server: LocalServer) -> None:
    server.route("/z", Reply(200, gzip.compress(PAGE.encode()),
                             headers={"Content-Encoding": "gzip"}))
    assert fetcher().fetch(server.url("/z")).body == PAGE.encode()
    assert server.hits("/z")[0].headers["Accept-Encoding"] == "gzip"


# --- schemes and addresses -----------------------------------------------------------


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/news.txt",
                                 "javascript:alert(1)", "gopher://example.com/"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    assert failure(fetcher(), url).reason == "bad-scheme"


@pytest.mark.parametrize("url", ["not a url", "http://", "//example.com/a",
                                 "http://example.com:99999/"])
def test_malformed_urls_are_bad_urls(url: str) -> None:
    assert failure(fetcher(), url).reason == "bad-url"


def test_loopback_is_refused_by_default_and_nothing_reaches_the_server(
        server: LocalServer) -> None:
    server.page("/a", PAGE)
    default = Fetcher(FetchPolicy(host_interval=0.0))
    assert failure(default, server.url("/a")).reason == "blocked-address"
    localhost = server.url("/a").replace("127.0.0.1", "localhost")
    assert failure(default, localhost).reason == "blocked-address"
    assert server.hits() == []


def test_allow_private_from_settings_opens_loopback(server: LocalServer) -> None:
    server.page("/a", PAGE)
    fetch = Fetcher.from_settings({"allow_private": True, "host_interval": 0})
    assert fetch.fetch(server.url("/a")).status == 200


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "0.0.0.0", "224.0.0.251", "255.255.255.255", "192.0.2.10", "240.0.0.1",
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
    "2002:7f00:1::1",          # 6to4 wrapping 127.0.0.1
    "64:ff9b::a9fe:a9fe",      # NAT64 wrapping 169.254.169.254
])
def test_non_public_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111",
                                     "::ffff:8.8.8.8", "64:ff9b::808:808"])
def test_public_addresses_are_public(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


def resolving_to(*addresses: str) -> Any:
    def resolve(host: str, port: int) -> list[tuple[int, tuple[Any, ...]]]:
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, (a, port)) for a in addresses]

    return resolve


def test_a_name_resolving_to_a_private_address_is_blocked() -> None:
    with pytest.raises(RecordError) as caught:
        checked_addresses("news.example", 80, AddressGuard(), resolving_to("10.0.0.5"))
    assert caught.value.reason == "blocked-address"
    # one private address among public ones blocks the name too
    with pytest.raises(RecordError):
        checked_addresses("news.example", 80, AddressGuard(),
                          resolving_to("93.184.216.34", "::ffff:192.168.0.1"))
    assert checked_addresses("news.example", 80, AddressGuard(),
                             resolving_to("93.184.216.34"))


def test_the_address_is_checked_again_at_connect_time(server: LocalServer) -> None:
    """DNS rebinding: the name looks public when first resolved and is loopback when the
    socket connects; the connection is refused and the server never hears of it."""
    calls = {"n": 0}

    def rebinding(host: str, port: int) -> list[tuple[int, tuple[Any, ...]]]:
        calls["n"] += 1
        address = "93.184.216.34" if calls["n"] <= 2 else "127.0.0.1"
        return [(socket.AF_INET, (address, server.port))]

    fetch = Fetcher(FetchPolicy(host_interval=0.0, retries=0), resolver=rebinding)
    assert failure(fetch, f"http://rebind.example:{server.port}/a").reason == "blocked-address"
    assert calls["n"] == 3
    assert server.hits() == []
    with pytest.raises(RecordError):
        connect_checked("rebind.example", server.port, AddressGuard(),
                        resolving_to("127.0.0.1"), 1.0)
    assert server.hits() == []


def test_allow_lists_name_networks_or_hosts() -> None:
    loopback = ipaddress.ip_address("127.0.0.1")
    guard = AddressGuard.from_setting(["127.0.0.0/8", "intranet"])
    assert guard.allows("anything", loopback)
    assert guard.allows("intranet", ipaddress.ip_address("10.9.9.9"))
    assert not guard.allows("other", ipaddress.ip_address("10.9.9.9"))
    assert AddressGuard.from_setting("10.0.0.0/8, news2.intranet").allows(
        "news2.intranet", loopback)
    assert AddressGuard.from_setting(True).allows("x", loopback)
    assert AddressGuard.from_setting("true") == AddressGuard(True)
    assert AddressGuard.from_setting("no") == AddressGuard(False)
    assert not AddressGuard.from_setting(None).allows("x", loopback)
    with pytest.raises(UsageError):
        AddressGuard.from_setting(["10.0.0.0/33"])
    with pytest.raises(UsageError):
        AddressGuard.from_setting(3)


def test_a_redirect_to_a_private_address_is_blocked_when_only_the_first_host_is_allowed(
        server: LocalServer) -> None:
    server.redirect("/go", "http://169.254.169.254/latest/meta-data/")
    fetch = fetcher(guard=AddressGuard.from_setting(["127.0.0.1"]))
    error = failure(fetch, server.url("/go"))
    assert error.reason == "blocked-address" and "169.254.169.254" in error.detail


# --- redirects -----------------------------------------------------------------------


def test_redirect_chains_are_followed_to_the_final_url(server: LocalServer) -> None:
    server.redirect("/r1", "/r2", 301)
    server.redirect("/r2", server.url("/r3"), 307)
    server.redirect("/r3", "/a#section", 308)
    server.page("/a", PAGE)
    ctx = RunContext()
    result = fetcher().fetch(server.url("/r1"), ctx)
    assert result.url_final == server.url("/a")
    assert result.url_requested == server.url("/r1")
    assert ctx.stats["fetch.redirects"] == 3


def test_too_many_redirects_and_loops_stop(server: LocalServer) -> None:
    for n in range(7):
        server.redirect(f"/hop{n}", f"/hop{n + 1}")
    server.page("/hop7", PAGE)
    assert failure(fetcher(), server.url("/hop0")).reason == "too-many-redirects"
    assert len(server.hits("/hop5")) == 1 and server.hits("/hop6") == []
    server.redirect("/loop", "/loop")
    assert failure(fetcher(), server.url("/loop")).reason == "too-many-redirects"


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x"])
def test_a_redirect_to_another_scheme_is_refused(server: LocalServer, target: str) -> None:
    server.redirect("/go", target)
    assert failure(fetcher(), server.url("/go")).reason == "bad-scheme"


# --- size cap ------------------------------------------------------------------------


def test_an_announced_huge_body_is_refused_unread(server: LocalServer) -> None:
    server.route("/big", Reply(200, b"x" * 1000, length=50_000_000))
    error = failure(fetcher(max_bytes=100_000), server.url("/big"))
    assert error.reason == "too-large" and "announced" in error.detail


def test_a_streamed_huge_body_is_cut_at_the_cap(server: LocalServer) -> None:
    def endless() -> Iterator[bytes]:
        for _ in range(10_000):  # 640 MB if the client never stopped
            yield b"<p>" + b"x" * 65_530 + b"</p>"

    server.route("/stream", Reply(200, stream=endless))
    assert failure(fetcher(max_bytes=200_000), server.url("/stream")).reason == "too-large"


def test_a_gzip_bomb_is_cut_after_decompression(server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)  # ~20 KB on the wire
    server.route("/bomb", Reply(200, bomb, headers={"Content-Encoding": "gzip"}))
    assert len(bomb) < 100_000
    assert failure(fetcher(max_bytes=1_000_000), server.url("/bomb")).reason == "too-large"


# --- timeouts and retries ------------------------------------------------------------


def test_a_slow_server_times_out_and_is_retried(server: LocalServer) -> None:
    server.route("/slow", Reply(200, PAGE, delay=3.0))
    fetch = fetcher(read_timeout=0.3, retries=1)
    assert failure(fetch, server.url("/slow")).reason == "timeout"
    assert len(server.hits("/slow")) == 2


def test_a_body_that_trickles_past_the_deadline_times_out(server: LocalServer) -> None:
    def trickle() -> Iterator[bytes]:
        for _ in range(50):
            server.stopping.wait(0.1)
            yield b"<p>x</p>"

    server.route("/trickle", Reply(200, stream=trickle))
    error = failure(fetcher(read_timeout=1.0, total_timeout=0.5), server.url("/trickle"))
    assert error.reason == "timeout"


def test_503_then_200_succeeds_after_a_retry(server: LocalServer) -> None:
    server.route("/flaky", Reply(503, "busy"), Reply(200, PAGE))
    ctx = RunContext()
    sleeps = Sleeps()
    result = fetcher(sleep=sleeps, retries=2, backoff=0.5).fetch(server.url("/flaky"), ctx)
    assert result.body == PAGE.encode()
    assert len(server.hits("/flaky")) == 2
    assert ctx.stats["fetch.retries"] == 1
    assert len(sleeps.calls) == 1 and 0.25 <= sleeps.calls[0] <= 0.5  # jittered half..full


def test_retries_give_up_with_the_last_status(server: LocalServer) -> None:
    server.route("/down", Reply(503, "busy"))
    fetch = fetcher(sleep=Sleeps(), retries=2)
    assert failure(fetch, server.url("/down")).reason == "http-503"
    assert len(server.hits("/down")) == 3


def test_429_waits_for_retry_after(server: LocalServer) -> None:
    server.route("/limited", Reply(429, "slow down", headers={"Retry-After": "2"}),
                 Reply(200, PAGE))
    sleeps = Sleeps()
    fetcher(sleep=sleeps, retries=1).fetch(server.url("/limited"))
    assert sleeps.calls == [pytest.approx(2.0, abs=0.02)]


def test_a_retry_after_beyond_the_cap_is_not_waited_for(server: LocalServer) -> None:
    server.route("/limited", Reply(429, "come back tomorrow", headers={"Retry-After": "86400"}))
    sleeps = Sleeps()
    assert failure(fetcher(sleep=sleeps, retries=3), server.url("/limited")).reason == "http-429"
    assert sleeps.calls == [] and len(server.hits("/limited")) == 1


def test_404_is_not_retried(server: LocalServer) -> None:
    fetch = fetcher(sleep=Sleeps(), retries=3)
    assert failure(fetch, server.url("/missing")).reason == "http-404"
    assert len(server.hits("/missing")) == 1


def test_backoff_doubles_with_jitter() -> None:
    fetch = fetcher(backoff=1.0)
    for attempt, ceiling in enumerate([1.0, 2.0, 4.0, 8.0]):
        delays = [fetch._backoff(attempt) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1


def test_retry_after_values() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


# --- robots.txt ----------------------------------------------------------------------


def test_robots_disallow_is_respected_and_robots_is_fetched_once(server: LocalServer) -> None:
    server.robots("User-agent: *\nDisallow: /private\n")
    server.page("/private/a", PAGE)
    server.page("/public/a", PAGE)
    server.page("/public/b", PAGE)
    fetch = fetcher()
    assert failure(fetch, server.url("/private/a")).reason == "robots-disallowed"
    fetch.fetch(server.url("/public/a"))
    fetch.fetch(server.url("/public/b"))
    assert server.hits("/private/a") == []
    assert len(server.hits("/robots.txt")) == 1


def test_our_own_robots_group_wins_over_the_star_group(server: LocalServer) -> None:
    server.robots("User-agent: *\nDisallow: /\n\n"
                  "User-agent: Corroborate\nDisallow: /news/drafts\n")
    server.page("/news/a", PAGE)
    fetch = fetcher()
    assert fetch.fetch(server.url("/news/a")).status == 200
    assert failure(fetch, server.url("/news/drafts/1")).reason == "robots-disallowed"


@pytest.mark.parametrize("robots_reply,outcome", [
    (Reply(404, "no"), None),
    (Reply(403, "no"), None),
    (Reply(503, "down"), "robots-disallowed"),
    (Reply(429, "later"), "robots-disallowed"),
    (Reply(200, "x", delay=3.0), "timeout"),  # the site is down: say so
])
def test_unreadable_robots_txt_as_rfc_9309_says(server: LocalServer, robots_reply: Reply,
                                                outcome: str | None) -> None:
    server.route("/robots.txt", robots_reply)
    server.page("/a", PAGE)
    fetch = fetcher(read_timeout=0.3)
    if outcome is None:
        assert fetch.fetch(server.url("/a")).status == 200
    else:
        error = failure(fetch, server.url("/a"))
        assert error.reason == outcome and "robots.txt" in error.detail
        assert server.hits("/a") == []


def test_robots_rules_longest_match_and_wildcards() -> None:
    rules = parse_robots(
        "# comment\nUser-agent: *\nDisallow: /news/\nAllow: /news/public\n"
        "Disallow: /*.pdf$\nDisallow: /search?q=\nAllow: /tie\nDisallow: /tie\n"
        "Disallow: /caf%C3%A9\n",
        "corroborate")
    assert not rules.allows("/news/x")
    assert rules.allows("/news/public/x")
    assert not rules.allows("/files/report.pdf")
    assert rules.allows("/files/report.pdf?page=2")  # `$` anchors the end
    assert not rules.allows("/search?q=ceasefire")
    assert rules.allows("/search")
    assert rules.allows("/tie")  # allow wins a tie
    assert not rules.allows("/café")  # percent-encoding normalised
    assert rules.allows("/robots.txt")
    assert rules.allows("/")


def test_robots_groups_combine_and_fall_back_to_star() -> None:
    text = ("User-agent: otherbot\nDisallow: /\n\nUser-agent: corroborate\nUser-agent: x\n"
            "Disallow: /a\n\nUser-agent: CORROBORATE/2.0\nDisallow: /b\nCrawl-delay: 2.5\n")
    rules = parse_robots(text, agent_token(DEFAULT_USER_AGENT))
    assert not rules.allows("/a") and not rules.allows("/b") and rules.allows("/c")
    assert rules.crawl_delay == 2.5
    assert parse_robots("User-agent: otherbot\nDisallow: /\n", "corroborate").allows("/x")
    assert parse_robots("Disallow: /\n", "corroborate").allows("/x")  # no group at all


def test_robots_fetch_failures_map_to_rules() -> None:
    assert rules_after_failure(RecordError("http-404")) is ALLOW_ALL
    assert rules_after_failure(RecordError("too-many-redirects")) is ALLOW_ALL
    assert rules_after_failure(RecordError("http-500")).disallow_all
    assert rules_after_failure(RecordError("timeout")).disallow_all
    assert not DISALLOW_ALL.allows("/a") and DISALLOW_ALL.allows("/robots.txt")


# --- pacing --------------------------------------------------------------------------


def test_requests_to_one_host_are_spaced_by_the_interval(server: LocalServer) -> None:
    interval = 0.2
    for name in "abcd":
        server.page(f"/{name}", PAGE)
    fetch = fetcher(host_interval=interval)
    for name in "abcd":
        fetch.fetch(server.url(f"/{name}"))
    times = [hit.at for hit in server.hits()]
    assert len(times) == 5  # robots.txt and four pages
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    # The client starts each request at least `interval` after the previous one; the
    # server sees the same spacing give or take the jitter of connecting (~5 ms).
    assert min(gaps) >= interval - 0.03, gaps


def test_crawl_delay_raises_the_interval(server: LocalServer) -> None:
    server.robots("User-agent: *\nCrawl-delay: 0.3\n")
    server.page("/a", PAGE)
    server.page("/b", PAGE)
    fetch = fetcher(host_interval=0.0)
    fetch.fetch(server.url("/a"))
    fetch.fetch(server.url("/b"))
    times = [hit.at for hit in server.hits()]
    assert len(times) == 3  # robots.txt, /a, /b: the delay applies from robots.txt on
    assert times[1] - times[0] >= 0.27 and times[2] - times[1] >= 0.27


def test_the_limiter_uses_its_clock_and_keeps_hosts_apart() -> None:
    now = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    limiter = HostLimiter(1.0, lambda: now[0], sleep)
    limiter.wait("a.example")
    limiter.wait("b.example")
    assert sleeps == []
    limiter.wait("a.example")
    assert sleeps == [1.0]
    now[0] += 5.0
    limiter.wait("a.example")
    assert sleeps == [1.0]
    limiter.set_interval("a.example", 3.0)
    limiter.wait("a.example")
    assert sleeps == [1.0, 3.0]


# --- settings, URLs, decoding --------------------------------------------------------


def test_policy_from_settings() -> None:
    policy = FetchPolicy.from_settings({"timeout": 4, "retries": 1, "host_interval": 0.5,
                                        "max_bytes": 1000, "user_agent": None})
    assert (policy.connect_timeout, policy.read_timeout, policy.retries) == (4.0, 4.0, 1)
    assert (policy.host_interval, policy.max_bytes) == (0.5, 1000)
    assert policy.user_agent == DEFAULT_USER_AGENT
    assert policy.guard == AddressGuard(False)
    for bad in ({"timeout": "soon"}, {"timeout": 0}, {"retries": -1},
                {"host_interval": float("nan")}):
        with pytest.raises(UsageError):
            FetchPolicy.from_settings(bad)


def test_urls_are_split_and_normalised() -> None:
    assert split_url("HTTPS://Example.COM/a b?q=ü") == (
        "https", "example.com", 443, "/a%20b?q=%C3%BC")
    assert split_url("http://[::1]:8080/x")[1:3] == ("::1", 8080)
    assert split_url("http://bücher.example/")[1] == "xn--bcher-kva.example"
    assert normalise_url("HTTP://Example.com:80/a#top") == "http://example.com/a"
    assert normalise_url("https://example.com") == "https://example.com/"


def test_bodies_decode_by_bom_then_header_then_sniffing() -> None:
    def result(body: bytes, charset: str | None) -> FetchResult:
        return FetchResult("u", "u", 200, "text/html", charset, body, None)  # type: ignore[arg-type]

    text = "<p>Le café – 5 €</p>"
    assert decode_body(result(text.encode("cp1252"), "iso-8859-1")) == text
    assert decode_body(result(text.encode("utf-8"), None)) == text
    assert decode_body(result(b"\xef\xbb\xbf" + text.encode("utf-8"), "iso-8859-1")) == text
    assert decode_body(result(text.encode("cp1252"), "utf-8")) == text  # header lies


# --- TLS -----------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_https_goes_through_the_guard_and_verifies_certificates(tmp_path: Path) -> None:
    """A self-signed server: the TLS handshake runs over the guarded socket and fails
    verification (certificates are checked by default); without allow_private the
    same server is not even connected to."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"],
                   check=True, capture_output=True)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                            http.server.SimpleHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{httpd.server_address[1]}/"
        error = failure(fetcher(), url)
        assert error.reason == "unreachable" and "CERTIFICATE_VERIFY_FAILED" in error.detail
        assert failure(Fetcher(FetchPolicy(retries=0)), url).reason == "blocked-address"
    finally:
        httpd.shutdown()
        httpd.server_close()
