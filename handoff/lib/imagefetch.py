"""Fetching a mail's remote image for the desk's image proxy, as little of a browser as can be.

The proxy exists so that a reader's browser never contacts a sender's server: this
module is the only thing that does, and it says nothing about the reader. No cookie,
no referrer, a neutral User-Agent; only http and https; only raster images, checked by
their first bytes as well as their declared type (never SVG: it can carry script); a
size cap and a deadline for the whole fetch. It must not become a way into the desk's
own network either (SSRF): every address a host name resolves to must be a public one,
the connection goes to the very address that was checked (no second DNS answer in
between), and each redirect, at most ``MAX_REDIRECTS``, is checked again.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

MAX_REDIRECTS = 3
MAX_URL_CHARS = 4096
USER_AGENT = "Mozilla/5.0 (compatible; image proxy)"
ACCEPT = "image/png,image/jpeg,image/gif,image/webp,image/bmp,image/x-icon;q=0.9"
_CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}

# The first bytes of each image kind the proxy passes on, and the type it is served as.
_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
]


class FetchError(Exception):
    """Why an image could not be fetched, in a few words (shown as the proxy's answer)."""


@dataclass(frozen=True, slots=True)
class Image:
    content_type: str  # from the bytes, not from what the server said
    data: bytes


def image_type(data: bytes) -> str:
    """The image type ``data`` starts like, or "" when it is none the proxy passes on."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), "")


def fetch_image(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    allow_private: bool = False,
) -> Image:
    """The image at ``url`` (redirects followed), or ``FetchError``. ``timeout`` bounds the
    whole fetch, redirects included; ``allow_private`` lets the fetch reach loopback and
    private addresses (tests against a local server only)."""
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        response, connection = _request(url, deadline, allow_private)
        try:
            if response.status in _REDIRECTS:
                location = response.getheader("Location", "")
                if not location:
                    raise FetchError(f"redirect {response.status} without a Location")
                url = urljoin(url, location)
                continue
            return _image(response, connection, max_bytes, deadline)
        except TimeoutError:
            raise FetchError("too slow") from None
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(f"the transfer broke off: {type(error).__name__}") from None
        finally:
            connection.close()
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def _image(
    response: http.client.HTTPResponse,
    connection: _Pinned,
    max_bytes: int,
    deadline: float,
) -> Image:
    if response.status != 200:
        raise FetchError(f"the server answered {response.status}")
    declared = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
    if not declared.startswith("image/") or "svg" in declared:
        raise FetchError(f"not a picture: {declared or 'no type'}")
    length = response.getheader("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchError(f"larger than {max_bytes} bytes")
    data = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("too slow")
        # Each wait no longer than what is left of the whole (the response may hold the
        # socket by now: http.client hands it over when the server closes after it).
        if connection.wire is not None:
            connection.wire.settimeout(remaining)
        chunk = response.read1(_CHUNK)
        if not chunk:
            break
        data += chunk
        if len(data) > max_bytes:
            raise FetchError(f"larger than {max_bytes} bytes")
    kind = image_type(bytes(data[:16]))
    if not kind:
        raise FetchError("not a picture the desk shows (PNG, JPEG, GIF, WebP, BMP, ICO)")
    return Image(kind, bytes(data))


def _request(
    url: str, deadline: float, allow_private: bool
) -> tuple[http.client.HTTPResponse, _Pinned]:
    if len(url) > MAX_URL_CHARS:
        raise FetchError("address too long")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError("not an address") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("only http and https addresses")
    if parts.username is not None or parts.password is not None:
        raise FetchError("an address with a login")
    try:  # an international name, as DNS and the Host header know it
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchError("not an address") from None
    address = _public_address(host, allow_private)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError("too slow")
    connection: _Pinned
    if parts.scheme == "https":
        connection = _PinnedHTTPS(host, port, address, remaining)
    else:
        connection = _PinnedHTTP(host, port, address, remaining)
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    path = quote(path, safe="!#$%&'()*+,/:;=?@[]~")  # spaces and the like, as browsers send them
    try:
        connection.request(
            "GET",
            path,
            headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "identity"},
        )
        return connection.getresponse(), connection
    except TimeoutError:
        connection.close()
        raise FetchError("too slow") from None
    except (OSError, ValueError, http.client.HTTPException) as error:
        connection.close()
        raise FetchError(f"could not reach {host}: {type(error).__name__}") from None


def _public_address(host: str, allow_private: bool) -> str:
    """One address ``host`` resolves to; refused when any of them is not public."""
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"unknown host {host}") from None
    addresses = [str(info[4][0]) for info in found]
    if not addresses:
        raise FetchError(f"unknown host {host}")
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise FetchError(f"{host} is a private address")
    return addresses[0]


def is_public(address: str) -> bool:
    """Whether ``address`` is on the public internet (not loopback, private, link-local,
    shared, reserved or multicast), an IPv4 address written as IPv6 included."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            ip = mapped
    return ip.is_global and not ip.is_multicast


class _PinnedHTTP(http.client.HTTPConnection):
    """HTTP to an address already checked, the Host header still the name."""

    def __init__(self, host: str, port: int | None, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address
        self.wire: socket.socket | None = None

    def connect(self) -> None:
        self.sock = self.wire = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to an address already checked; the certificate checked against the name."""

    def __init__(self, host: str, port: int | None, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address
        self.wire: socket.socket | None = None

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        wrapped = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]
        self.sock = self.wire = wrapped


_Pinned = _PinnedHTTP | _PinnedHTTPS
