"""A sender's web server on 127.0.0.1, started by a test: pictures, things that are not,
redirects and slow answers, and a record of the requests it was sent."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000000000200015e2b2a4c0000000049454e44ae426082"
)
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HUGE = 6 * 1024 * 1024


@dataclass
class Server:
    url: str
    requests: list[dict[str, str]] = field(default_factory=list)  # each request's headers


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def answer(self, status: int, kind: str, body: bytes, **headers: str) -> None:
            self.send_response(status)
            if kind:
                self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Set-Cookie", "tracked=yes")
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            server.requests.append({"path": self.path, **dict(self.headers.items())})
            path = self.path.split("?")[0]
            if path == "/logo.png":
                self.answer(200, "image/png", PNG)
            elif path == "/pixel.gif":
                self.answer(200, "image/gif; charset=binary", GIF)
            elif path == "/logo.svg":
                self.answer(200, "image/svg+xml", SVG)
            elif path == "/page.html":
                self.answer(200, "text/html", b"<p>not a picture</p>")
            elif path == "/lying.png":  # says it is a PNG, is a page
                self.answer(200, "image/png", b"<html><script>alert(1)</script></html>")
            elif path == "/huge.png":
                self.answer(200, "image/png", PNG + bytes(HUGE))
            elif path == "/endless.png":  # no length said: the cap must hold while reading
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(PNG)
                for _ in range(HUGE // 65536 + 2):
                    self.wfile.write(bytes(65536))
            elif path == "/missing.png":
                self.answer(404, "text/plain", b"no")
            elif path.startswith("/hops/"):  # /hops/N: N redirects, then the logo
                left = int(path.removeprefix("/hops/"))
                target = f"/hops/{left - 1}" if left > 1 else "/logo.png"
                self.answer(302, "text/plain", b"", Location=target)
            elif path == "/to-metadata":
                self.answer(302, "", b"", Location="http://169.254.169.254/latest/meta-data/")
            elif path == "/to-loopback":
                self.answer(301, "", b"", Location="http://[::1]:8000/admin.png")
            elif path == "/slow.png":
                time.sleep(3)
                self.answer(200, "image/png", PNG)
            elif path == "/dribble.png":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(PNG) + 40))
                self.end_headers()
                self.wfile.write(PNG)
                for _ in range(40):
                    self.wfile.flush()
                    time.sleep(0.1)
                    self.wfile.write(b"\x00")
            else:
                self.answer(404, "text/plain", b"no")

    return Handler


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up on a slow answer: expected here


@contextmanager
def image_server() -> Iterator[Server]:
    server = Server("")
    httpd = _Quiet(("127.0.0.1", 0), _handler(server))
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
