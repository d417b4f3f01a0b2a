"""Where the fetcher may go: http(s) URLs only, and public addresses, checked on connect.

A URL in a feed or a list is untrusted input: left alone, it can point the fetcher at
the user's router, a database on localhost or a cloud metadata service
(169.254.169.254). By default only globally routable unicast addresses are allowed.

The check happens at connect time, on the address the socket actually connects to:
the host name is resolved once, every address it resolves to is checked, and the
socket connects to one of those checked addresses. A name that resolves to a public
address for a first look and to 127.0.0.1 for the connection (DNS rebinding) is
therefore caught too. Addresses that embed an IPv4 address (IPv4-mapped, 6to4, NAT64,
Teredo) are judged by the IPv4 address they lead to.

`AddressGuard(allow=True)` turns the check off (`--allow-private`); an allow-list of
networks and host names opens only those (an intranet news server).
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from corroborate.errors import RecordError, UsageError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Networks that are never a public web server, beyond what `ipaddress` flags as private,
# loopback, link-local, multicast, reserved or unspecified. From the IANA special-purpose
# address registries (RFC 6890 and updates); listed explicitly because `is_global`
# differs between Python patch releases (3.11.10 and 3.12.4 changed its tables).
SPECIAL_NETWORKS: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(net)
    for net in (
        "0.0.0.0/8",        # "this network"
        "100.64.0.0/10",    # carrier-grade NAT (RFC 6598)
        "192.0.0.0/24",     # IETF protocol assignments
        "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24",  # documentation
        "198.18.0.0/15",    # benchmarking
        "240.0.0.0/4",      # reserved, and the broadcast address
        "64:ff9b:1::/48",   # local-use NAT64 (RFC 8215)
        "100::/64",         # discard-only
        "2001:db8::/32",    # documentation
        "fc00::/7",         # unique local
        "fec0::/10",        # deprecated site-local
    )
)

# NAT64 well-known prefix (RFC 6052): the last 32 bits are the IPv4 destination.
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")

_HOST_NAME = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?")

SCHEMES = frozenset({"http", "https"})
_BOOLEAN_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False,
                  "": False}

Resolver = Callable[[str, int], list[tuple[int, tuple[Any, ...]]]]


def system_resolver(host: str, port: int) -> list[tuple[int, tuple[Any, ...]]]:
    """(family, sockaddr) pairs for `host`, as `socket.getaddrinfo` gives them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [(family, sockaddr) for family, _type, _proto, _name, sockaddr in infos]


def is_public_address(address: IPAddress) -> bool:
    """True for a globally routable unicast address a news site may live at."""
    embedded = embedded_ipv4(address)
    if embedded:
        # Judged by where it leads: ::ffff:8.8.8.8 is public, ::ffff:127.0.0.1 is not.
        return all(is_public_address(v4) for v4 in embedded)
    if (address.is_private or address.is_loopback or address.is_link_local
            or address.is_multicast or address.is_reserved or address.is_unspecified):
        return False
    if any(address in net for net in SPECIAL_NETWORKS if net.version == address.version):
        return False
    return address.is_global


def embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address leads to (mapped, 6to4, NAT64, Teredo client)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.append(address.teredo[1])
    if address in NAT64_PREFIX:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


@dataclass(frozen=True, slots=True)
class AddressGuard:
    """Decides whether a connection to `host` at `address` may be made.

    `allow` is True (everything allowed), False (public addresses only), or an
    allow-list of networks ("10.1.2.0/24", "127.0.0.1") and host names ("intranet").
    """

    allow: bool | frozenset[str] = False

    @classmethod
    def from_setting(cls, value: object) -> AddressGuard:
        if value is None or isinstance(value, bool):
            return cls(bool(value))
        if isinstance(value, str):
            if value.strip().lower() in _BOOLEAN_WORDS:  # from a config file or environment
                return cls(_BOOLEAN_WORDS[value.strip().lower()])
            value = [part for part in value.split(",") if part.strip()]
        if isinstance(value, Iterable):
            entries = frozenset(str(entry).strip().lower() for entry in value)
            for entry in entries:
                _network_or_none(entry)  # a malformed network is a usage error now
            return cls(entries)
        raise UsageError(f"allow_private must be true/false or a list of networks and hosts, "
                         f"not {value!r}")

    def allows(self, host: str, address: IPAddress) -> bool:
        if self.allow is True:
            return True
        if is_public_address(address):
            return True
        if self.allow is False:
            return False
        return any(_entry_allows(entry, host, address) for entry in self.allow)

    def check(self, host: str, address: IPAddress) -> None:
        if not self.allows(host, address):
            where = f"{host} resolves to {address}" if host != str(address) else host
            raise RecordError("blocked-address", f"{where}, a non-public address "
                                                 "(allow it with --allow-private)")


def _network_or_none(entry: str) -> IPNetwork | None:
    """The network an allow-list entry names, or None for a host name."""
    try:
        return ipaddress.ip_network(entry, strict=False)
    except ValueError:
        pass
    if _HOST_NAME.fullmatch(entry) and not entry.replace(".", "").isdigit():
        return None
    raise UsageError(f"allow_private: {entry!r} is neither a network (10.0.0.0/8, 127.0.0.1) "
                     "nor a host name")


def _entry_allows(entry: str, host: str, address: IPAddress) -> bool:
    network = _network_or_none(entry)
    if network is None:
        return host.lower().rstrip(".") == entry.rstrip(".")
    return address.version == network.version and address in network


def checked_addresses(host: str, port: int, guard: AddressGuard,
                      resolver: Resolver) -> list[tuple[int, tuple[Any, ...]]]:
    """Resolve `host` and check every address; one forbidden address blocks the host.

    Blocking on any (rather than skipping the bad ones) is deliberate: a public name
    that also resolves to a private address is misconfigured or hostile.
    """
    try:
        resolved = resolver(host, port)
    except (socket.gaierror, UnicodeError) as err:
        raise RecordError("unreachable", f"cannot resolve {host}: {err}") from err
    if not resolved:
        raise RecordError("unreachable", f"{host} resolves to no address")
    for _family, sockaddr in resolved:
        guard.check(host, ipaddress.ip_address(str(sockaddr[0]).split("%")[0]))
    return resolved


def connect_checked(host: str, port: int, guard: AddressGuard, resolver: Resolver,
                    timeout: float) -> socket.socket:
    """A socket connected to a checked address of `host` (tried in resolver order)."""
    errors: list[str] = []
    for family, sockaddr in checked_addresses(host, port, guard, resolver):
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
        except TimeoutError:
            sock.close()
            raise
        except OSError as err:
            sock.close()
            errors.append(f"{sockaddr[0]}: {err.strerror or err}")
            continue
        return sock
    raise ConnectionError("; ".join(errors) or f"cannot connect to {host}")


class _GuardedConnect:
    """Replaces http.client's connection factory with `connect_checked`.

    `http.client` opens its socket through `self._create_connection` (in both
    HTTPConnection.connect and, via super(), HTTPSConnection.connect, which then wraps
    the socket in TLS for the original host name); that hook is the one place where
    the address can be checked without re-implementing TLS set-up.
    """

    def _install(self, guard: AddressGuard, resolver: Resolver, read_timeout: float) -> None:
        def create(address: tuple[str, int], timeout: Any = None,
                   source_address: Any = None) -> socket.socket:
            host, port = address
            sock = connect_checked(host, port, guard, resolver, float(timeout))
            sock.settimeout(read_timeout)
            return sock

        self._create_connection = create


class GuardedHTTPConnection(_GuardedConnect, http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, guard: AddressGuard, resolver: Resolver,
                 connect_timeout: float, read_timeout: float) -> None:
        http.client.HTTPConnection.__init__(self, host, port, timeout=connect_timeout)
        self._install(guard, resolver, read_timeout)


class GuardedHTTPSConnection(_GuardedConnect, http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, guard: AddressGuard, resolver: Resolver,
                 connect_timeout: float, read_timeout: float) -> None:
        http.client.HTTPSConnection.__init__(self, host, port, timeout=connect_timeout)
        self._install(guard, resolver, read_timeout)


def guarded_connection(scheme: str, host: str, port: int, *, guard: AddressGuard,
                       resolver: Resolver, connect_timeout: float,
                       read_timeout: float) -> http.client.HTTPConnection:
    cls = GuardedHTTPSConnection if scheme == "https" else GuardedHTTPConnection
    return cls(host, port, guard=guard, resolver=resolver, connect_timeout=connect_timeout,
               read_timeout=read_timeout)


# --- URLs -------------------------------------------------------------------------


def split_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, request target) of a URL we may fetch, or `RecordError`."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as err:
        raise RecordError("bad-url", f"{url!r}: {err}") from err
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        detail = f"{scheme}: URLs are not fetched" if scheme else f"{url!r} has no scheme"
        raise RecordError("bad-scheme" if scheme else "bad-url", detail)
    if not parts.hostname:
        raise RecordError("bad-url", f"{url!r} has no host")
    try:
        host = parts.hostname.encode("idna").decode("ascii") if not parts.hostname.isascii() \
            else parts.hostname
    except UnicodeError as err:
        raise RecordError("bad-url", f"{url!r}: bad host name") from err
    target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        target += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    if any(ord(ch) < 33 for ch in target):
        raise RecordError("bad-url", f"{url!r} contains control characters")
    return scheme, host.lower(), port or (443 if scheme == "https" else 80), target


def normalise_url(url: str) -> str:
    """The URL with scheme and host lower-cased, default port and fragment dropped:
    the key under which duplicate URLs of one run are fetched once."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(scheme)
    netloc = host if port in (None, default) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
