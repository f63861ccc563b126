"""Fetch a page or a feed from the web, refusing what must not be fetched.

Every hop of a redirect is checked before it is requested: only http(s), and no private,
loopback, link-local or otherwise non-public address unless ``CLAIMS_FETCH_ALLOW_PRIVATE``.
Timeouts (connect, between bytes, and a deadline for the whole fetch), a redirect limit, a
size cap read as the body streams in (not trusted from Content-Length) and a content-type
check keep a hostile or broken server from tying up a worker. httpx does the HTTP.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from claims.errors import DomainError
from claims.settings import Settings, get_settings

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
    "application/json",
)


_REDIRECTS = (301, 302, 303, 307, 308)


class FetchRefused(DomainError):
    """The URL must not be fetched (scheme or address); nothing was sent to it."""

    status = 422
    title = "URL refused"


class FetchDisabled(DomainError):
    """This server does not fetch URLs at all (``CLAIMS_FETCH_ENABLED=false``): a policy, not a
    fault of the request, so 403."""

    status = 403
    title = "Fetching is switched off"


class FetchFailed(DomainError):
    """The URL was tried and did not give a usable page (the remote side's fault, told as 422)."""

    status = 422
    title = "The URL could not be fetched"


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def _refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for test, name in (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_private, "private"),
        (ip.is_multicast, "multicast"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_reserved, "reserved"),
        (not ip.is_global, "non-public"),
    ):
        if test:
            return name
    return None


def check_url(url: str, settings: Settings | None = None) -> httpx.URL:
    """The parsed URL if it may be fetched; ``FetchRefused`` saying why otherwise."""
    settings = settings or get_settings()
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchRefused(f"not a valid URL: {exc}", reason="invalid_url", url=url) from exc
    if parsed.scheme not in ("http", "https"):
        raise FetchRefused(
            f"only http and https URLs are fetched, not {parsed.scheme or 'a relative URL'}",
            reason="scheme",
            url=url,
        )
    if not parsed.host:
        raise FetchRefused("the URL has no host", reason="invalid_url", url=url)
    if parsed.userinfo:
        raise FetchRefused("URLs with credentials are not fetched", reason="credentials", url=url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        addresses = _resolve(parsed.host, port)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed(f"the host {parsed.host} does not resolve", reason="dns", url=url) from exc
    if not settings.fetch_allow_private:
        for address in addresses:
            kind = _refusal(ipaddress.ip_address(address.split("%", 1)[0]))
            if kind:
                raise FetchRefused(
                    f"{parsed.host} resolves to {address}, a {kind} address; set "
                    "CLAIMS_FETCH_ALLOW_PRIVATE=true to allow it",
                    reason="private_address",
                    url=url,
                )
    return parsed


def _media_type(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    parts = [p.strip() for p in header.split(";")]
    charset = None
    for p in parts[1:]:
        if p.lower().startswith("charset="):
            charset = p.split("=", 1)[1].strip("\"' ") or None
    return parts[0].lower(), charset


def fetch(
    url: str,
    *,
    accept: tuple[str, ...] = HTML_TYPES,
    etag: str | None = None,
    last_modified: str | None = None,
    settings: Settings | None = None,
) -> Fetched:
    """GET ``url`` following at most ``fetch_max_redirects`` redirects, each hop checked.

    With ``etag``/``last_modified`` the request is conditional: a 304 comes back as a
    ``Fetched`` with ``not_modified`` and an empty body.
    """
    settings = settings or get_settings()
    if not settings.fetch_enabled:
        raise FetchDisabled("this server does not fetch URLs (CLAIMS_FETCH_ENABLED=false); send the text instead", url=url)
    deadline = time.monotonic() + settings.fetch_deadline
    headers = {"User-Agent": settings.fetch_user_agent, "Accept": ", ".join(accept) + ", */*;q=0.1"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = httpx.Timeout(settings.fetch_timeout)
    current = url
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _hop in range(settings.fetch_max_redirects + 1):
            check_url(current, settings)
            try:
                with client.stream("GET", current, headers=headers) as response:
                    if response.status_code in _REDIRECTS:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchFailed("a redirect without a Location header", reason="redirect", url=current)
                        current = urljoin(current, location)
                        continue
                    return _read(response, current, accept, deadline, settings)
            except httpx.TimeoutException as exc:
                raise FetchFailed(f"no answer within {settings.fetch_timeout:g} s", reason="timeout", url=current) from exc
            except httpx.HTTPError as exc:
                raise FetchFailed(f"the request failed: {exc}", reason="network", url=current) from exc
    raise FetchFailed(
        f"more than {settings.fetch_max_redirects} redirects", reason="too_many_redirects", url=url
    )


def _read(response: httpx.Response, url: str, accept: tuple[str, ...], deadline: float, settings: Settings) -> Fetched:
    media, charset = _media_type(response.headers.get("content-type"))
    validators = {"etag": response.headers.get("etag"), "last_modified": response.headers.get("last-modified")}
    if response.status_code == 304:
        return Fetched(url, 304, media, charset, b"", **validators)
    if response.status_code >= 400:
        raise FetchFailed(f"the server answered {response.status_code}", reason="http_status", url=url,
                          upstream_status=response.status_code)
    if media not in accept:
        raise FetchFailed(
            f"the body is {media or 'of no declared type'}, not one of {', '.join(accept)}",
            reason="content_type",
            url=url,
        )
    cap = settings.fetch_max_bytes
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise FetchFailed(f"the body is {declared} bytes, over the {cap}-byte limit", reason="too_large", url=url)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > cap:
            raise FetchFailed(f"the body is over the {cap}-byte limit", reason="too_large", url=url)
        if time.monotonic() > deadline:
            raise FetchFailed(f"the fetch took over {settings.fetch_deadline:g} s", reason="timeout", url=url)
        chunks.append(chunk)
    return Fetched(url, response.status_code, media, charset, b"".join(chunks), **validators)
