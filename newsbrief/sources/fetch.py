"""Fetching an article by URL without becoming a proxy into the local network.

A server that fetches URLs for its users can be made to read what only it can
reach (SSRF): the cloud metadata address, a router's admin page, a database
on localhost. So, for every hop (the first URL and each redirect):

- only ``http`` and ``https``, and no user name or password in the URL;
- the host is resolved here and *every* address it resolves to is checked:
  loopback, private, link-local, multicast, reserved, unspecified and other
  non-global addresses (IPv4 and IPv6, IPv4-mapped IPv6 included) are
  refused unless ``FetchPolicy.allow`` admits them, on the URL's port
  (an entry without a port admits 80 and 443 only, so a redirect to another
  service of an admitted host is refused);
- the connection goes to the checked address (the Host header and TLS
  server name stay the original host's), so a DNS answer that changes
  between the check and the connect (rebinding) cannot slip through;
- redirects are followed by hand, at most ``fetch_max_redirects``;
- one deadline covers the whole fetch, and the body is read in chunks up to
  ``fetch_max_bytes`` (decompressed), never further;
- only text and HTML content types are read.

Environment proxies are ignored (``trust_env=False``): a proxy would make the
address check meaningless.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from .. import __version__
from ..model import Article
from . import SourceError, article_from_content
from .decode import decode

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class AllowListError(ValueError):
    """An allow-list entry that is not an address or network with an optional port."""


# The ports a fetch_allow entry without one admits: a web server's, so that
# admitting a host for its pages does not admit its other services (a
# database, an admin page) too, not even through a redirect.
DEFAULT_PORTS = (80, 443)


@dataclass(frozen=True, slots=True)
class Allowed:
    """One allow-list entry: addresses and the one port admitted there, or
    None for DEFAULT_PORTS."""

    network: Network
    port: int | None = None

    def admits(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address, port: int) -> bool:
        return ip.version == self.network.version and ip in self.network and \
            (port == self.port if self.port is not None else port in DEFAULT_PORTS)

    def __str__(self) -> str:
        one = self.network.num_addresses == 1
        net = str(self.network.network_address if one else self.network)
        if self.port is None:
            return net
        return f"[{net}]:{self.port}" if self.network.version == 6 else f"{net}:{self.port}"


def parse_allow(value: str | list[str] | tuple[str, ...]) -> tuple[Allowed, ...]:
    """``"127.0.0.1:8080, [::1]:8080, 10.0.0.0/8"`` (or a list) to entries; a
    bare address is a one-address network; no port means DEFAULT_PORTS."""
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(_allowed(str(item).strip()) for item in items if str(item).strip())


def _allowed(item: str) -> Allowed:
    host, port = item, None
    if item.startswith("["):  # [v6 address or network]:port
        host, _, rest = item[1:].partition("]")
        port = rest.removeprefix(":") if rest.startswith(":") else (rest or None)
    elif item.count(":") == 1:  # v4 address or network:port (a v6 address has two colons or more)
        host, port = item.split(":")
    try:
        net = ipaddress.ip_network(host, strict=False)
    except ValueError:
        raise AllowListError(f"fetch_allow: {item!r} is not an IP address or network (CIDR), with an optional "
                            "port (127.0.0.1:8080, [::1]:8080)") from None
    if port is None:
        return Allowed(net)
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise AllowListError(f"fetch_allow: {item!r}: the port must be a number from 1 to 65535")
    return Allowed(net, int(port))


def size_text(n: int) -> str:
    """Bytes for a person: "1 MB", "64 KB" (binary units, as the limits are set)."""
    return f"{n / 1024 / 1024:.3g} MB" if n >= 100 * 1024 else f"{n / 1024:.3g} KB"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """What a fetch may do: the server's settings and the feed watcher's
    give one each, so both fetch by the same rules."""

    enabled: bool = True
    allow: tuple[Allowed, ...] = ()  # non-global addresses admitted (see the module docstring)
    timeout: float = 10.0  # seconds for the whole fetch of one URL, redirects included
    max_bytes: int = 2 * 1024 * 1024
    max_redirects: int = 5

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> FetchPolicy:
        """The policy of ``NEWSBRIEF_FETCH_ENABLED``, ``_ALLOW``, ``_TIMEOUT``,
        ``_MAX_BYTES`` and ``_MAX_REDIRECTS`` (the server's settings read the
        same variables), for a process that runs no server: the watcher.
        ValueError with a one-line reason for a value that does not parse."""
        env = os.environ if env is None else env
        got: dict[str, Any] = {}
        for name, kind in (("enabled", bool), ("allow", tuple), ("timeout", float), ("max_bytes", int),
                           ("max_redirects", int)):
            raw = (env.get(f"NEWSBRIEF_FETCH_{name.upper()}") or "").strip()
            if raw:
                got[name] = _env_value(f"NEWSBRIEF_FETCH_{name.upper()}", raw, kind)
        policy = cls(**got)
        if policy.timeout <= 0 or policy.max_bytes < 1 or policy.max_redirects < 0:
            raise ValueError("NEWSBRIEF_FETCH_TIMEOUT and NEWSBRIEF_FETCH_MAX_BYTES must be positive, "
                             "NEWSBRIEF_FETCH_MAX_REDIRECTS 0 or more")
        return policy


def _env_value(name: str, raw: str, kind: type) -> Any:
    if kind is tuple:
        return parse_allow(raw)  # AllowListError is a ValueError with its own message
    if kind is bool:
        if raw.lower() not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            raise ValueError(f"{name}={raw!r}: expected a boolean (1/0, true/false)")
        return raw.lower() in ("1", "true", "yes", "on")
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: expected {kind.__name__}") from None


USER_AGENT = f"newsbrief/{__version__} (article reader)"
TEXT_TYPES = ("text/", "application/xhtml+xml", "application/xml")
# What a feed is served as, besides text/ and XML: RSS, Atom, RDF and JSON Feed.
FEED_TYPES = TEXT_TYPES + ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
                           "application/feed+json", "application/json")


class FetchError(ValueError):
    """A URL that was not fetched; ``str()`` is the one-line reason.
    ``status`` is the HTTP status when the server answered one (the watcher
    backs off on 429 and 503), ``retry_after`` its Retry-After header."""

    def __init__(self, message: str, status: int | None = None, retry_after: str | None = None) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


@dataclass(slots=True)
class Page:
    url: str  # after redirects
    content_type: str
    body: bytes
    charset: str | None
    status: int = 200  # 304: not modified since the validators sent (empty body)
    headers: dict[str, str] = field(default_factory=dict)  # response headers, names in lower case


def refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, port: int,
            allow: tuple[Allowed, ...] = ()) -> str | None:
    """Why ``ip`` must not be fetched from on ``port`` ("a loopback address"), or None when it may be."""
    if any(entry.admits(ip, port) for entry in allow):
        return None
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:  # ::ffff:127.0.0.1 is 127.0.0.1
        return refusal(mapped, port, allow)
    for test, what in (("is_unspecified", "an unspecified"), ("is_loopback", "a loopback"),
                       ("is_link_local", "a link-local"), ("is_multicast", "a multicast"),
                       ("is_reserved", "a reserved"), ("is_private", "a private")):
        if getattr(ip, test):
            return f"{what} address"
    if not ip.is_global:  # shared (100.64/10), documentation, benchmarking ranges ...
        return "not a public address"
    return None


def check_url(url: str) -> httpx.URL:
    """Parse and check what can be checked without the network."""
    try:
        u = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError) as e:
        raise FetchError(f"not a valid URL ({e})") from None
    if u.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {u.scheme or 'a relative'} URLs")
    if not u.host:
        raise FetchError("the URL has no host")
    if u.userinfo:
        raise FetchError("URLs with a user name or password are not fetched")
    return u


def resolve(u: httpx.URL, allow: tuple[Allowed, ...]) -> str:
    """The address to connect to: every address the host resolves to must pass."""
    port = u.port or (443 if u.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(u.host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise FetchError(f"cannot resolve host {u.host!r} ({getattr(e, 'strerror', None) or e})") from None
    addrs = list(dict.fromkeys(info[4][0] for info in infos))
    if not addrs:
        raise FetchError(f"cannot resolve host {u.host!r}")
    for a in addrs:
        ip = ipaddress.ip_address(a.split("%", 1)[0])
        why = refusal(ip, port, allow)
        if why:
            what = f"{a} is {why}" if a == u.host else f"{u.host} resolves to {a}, {why}"
            raise FetchError(f"refused: port {port} of {u.host}: {what} ({_admit_hint(ip, port, allow)})")
    return addrs[0]


def _admit_hint(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, port: int, allow: tuple[Allowed, ...]) -> str:
    entry = str(Allowed(ipaddress.ip_network(ip), port))
    if port not in DEFAULT_PORTS and any(e.admits(ip, DEFAULT_PORTS[0]) for e in allow):
        return f"the allow list admits this address on ports 80 and 443 only; NEWSBRIEF_FETCH_ALLOW={entry} " \
               "would admit this port"
    return f"NEWSBRIEF_FETCH_ALLOW={entry} can admit it"


def fetch(url: str, policy: FetchPolicy, *, headers: Mapping[str, str] | None = None,
          types: tuple[str, ...] = TEXT_TYPES, redirect: Callable[[str], object] | None = None) -> Page:
    """GET ``url`` under the rules above; raises FetchError.

    ``headers`` are added to each request (a feed watcher's Accept and its
    If-None-Match / If-Modified-Since; Host and User-Agent stay ours); a 304
    answer is then a Page with ``status`` 304 and no body. ``types`` are the
    content-type prefixes read. ``redirect(url)`` is called before each
    redirect is followed and may refuse it with a FetchError (the watcher
    checks the target's robots.txt)."""
    if not policy.enabled:
        raise FetchError("URL fetching is disabled on this server")
    deadline = time.monotonic() + policy.timeout
    u = check_url(url)
    with httpx.Client(trust_env=False, follow_redirects=False, verify=True) as client:
        for _hop in range(policy.max_redirects + 1):
            ip = resolve(u, policy.allow)
            sent = {"Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1", **(headers or {}),
                    "Host": u.netloc.decode("ascii"), "User-Agent": USER_AGENT}
            ext = {"sni_hostname": u.host} if u.scheme == "https" else {}
            left = deadline - time.monotonic()
            if left <= 0:
                raise FetchError(f"timed out after {policy.timeout:g} s")
            try:
                req = client.build_request("GET", u.copy_with(host=ip), headers=sent, extensions=ext,
                                           timeout=httpx.Timeout(left))
                resp = client.send(req, stream=True)
            except httpx.TimeoutException:
                raise FetchError(f"timed out after {policy.timeout:g} s") from None
            except httpx.HTTPError as e:
                raise FetchError(f"cannot fetch {u.host}: {_reason(e)}") from None
            try:
                if resp.is_redirect and resp.status_code != 304:  # httpx counts 304 Not Modified as one
                    loc = resp.headers.get("location", "")
                    if not loc:
                        raise FetchError(f"HTTP {resp.status_code} redirect without a Location")
                    u = check_url(str(u.join(loc)))
                    if redirect is not None:
                        redirect(str(u))
                    continue
                return _page(resp, u, policy, deadline, types)
            finally:
                resp.close()
    raise FetchError(f"more than {policy.max_redirects} redirects")


def _page(resp: httpx.Response, u: httpx.URL, policy: FetchPolicy, deadline: float,
          types: tuple[str, ...]) -> Page:
    """The final (not redirecting) answer as a Page, or the FetchError it is."""
    ctype = resp.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    heads = {k.lower(): v for k, v in resp.headers.items()}
    if resp.status_code == 304:
        return Page(url=str(u), content_type=ctype, body=b"", charset=None, status=304, headers=heads)
    if resp.status_code >= 400 or resp.status_code < 200:
        raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase}".rstrip(), resp.status_code,
                         resp.headers.get("retry-after"))
    if ctype and not ctype.startswith(types):
        raise FetchError(f"not a web page or text (content type {ctype})")
    body = _read(resp, policy, deadline)
    return Page(url=str(u), content_type=ctype, body=body, charset=resp.charset_encoding,
                status=resp.status_code, headers=heads)


def _read(resp: httpx.Response, policy: FetchPolicy, deadline: float) -> bytes:
    limit = policy.max_bytes
    too_big = f"larger than the {size_text(limit)} limit"
    length = resp.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise FetchError(too_big)
    chunks, size = [], 0
    try:
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(too_big)
            if time.monotonic() > deadline:
                raise FetchError(f"timed out after {policy.timeout:g} s")
            chunks.append(chunk)
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {policy.timeout:g} s") from None
    except httpx.HTTPError as e:
        raise FetchError(f"broken response: {_reason(e)}") from None
    return b"".join(chunks)


def fetch_article(url: str, policy: FetchPolicy, *, id: str) -> Article:
    """Fetch a page and make it a raw article (HTML through trafilatura)."""
    return article_from_page(fetch(url, policy), id=id)


def article_from_page(page: Page, *, id: str) -> Article:
    """A fetched page as a raw article; its ``url`` is the page's canonical
    URL when it names one, else where it was fetched from."""
    text = None
    if page.charset:
        try:
            text = page.body.decode(page.charset)
        except (LookupError, UnicodeDecodeError):
            text = None
    try:
        text = decode(text.encode("utf-8") if text is not None else page.body)  # the same checks as files
        return article_from_content(text, id=id, url=page.url, path=page.url,
                                    html=True if "html" in page.content_type else None)
    except SourceError as e:
        raise FetchError(str(e)) from None


def _reason(e: Exception) -> str:
    msg = str(e).strip().splitlines()
    return msg[-1] if msg else e.__class__.__name__
