"""The one HTTP client for the Prometheus API (`check --prometheus`, `eval --prometheus`).

What it promises, whatever the server does:
- credentials (SLOSPEC_PROMETHEUS_TOKEN, or _USER and _PASSWORD, or `user:pass@` in the URL)
  go to the origin given and nowhere else: a redirect is followed only within that origin
  (scheme, host and port); one to another origin is refused with a message;
- no URL it prints holds a password: `display` strips the userinfo;
- the whole request, headers and body, ends within the deadline (not each read: a server
  that trickles a byte a second is cut off), and the answer is at most `max_bytes`;
- JSON numbers never crash the reader: integers of any length, exponents past a double's
  range and NaN/Infinity become floats (an infinity or NaN the caller rejects by name).
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
import urllib.parse
from typing import Any

MAX_REDIRECTS = 5
MAX_BYTES = 64 * 1024 * 1024


class HttpError(Exception):
    """The server could not be asked or answered wrongly: one line, no credentials in it."""


def strip_userinfo(url: str) -> str:
    """The URL without `user:password@` (what every message prints)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<the URL given>"
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _number(text: str) -> float:
    """A JSON number as a float: 1e999 is inf, a 400-digit integer is a float, never a crash."""
    return float(text)


def loads(raw: bytes | str) -> Any:
    """JSON whose numbers are all floats (never an OverflowError or a 4,300-digit refusal)."""
    return json.loads(raw, parse_int=_number, parse_float=_number)


class Prometheus:
    """One server of the Prometheus HTTP API, its credentials and TLS options."""

    def __init__(
        self,
        url: str,
        timeout: float,
        ca_file: str | None = None,
        insecure: bool = False,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        try:
            parts = urllib.parse.urlsplit(url.strip())
            port = parts.port
        except ValueError:
            raise HttpError(
                f"{strip_userinfo(url)}: not a URL; write the server's base URL, such as http://localhost:9090"
            ) from None
        self.display = strip_userinfo(url.strip()).rstrip("/")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise HttpError(f"{self.display!r}: write the server's base URL, such as http://localhost:9090")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = port or (443 if parts.scheme == "https" else 80)
        self.path = parts.path.rstrip("/")
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.headers = {"Accept": "application/json", "User-Agent": "slospec"}
        token = os.environ.get("SLOSPEC_PROMETHEUS_TOKEN")
        user = os.environ.get("SLOSPEC_PROMETHEUS_USER")
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        elif user is not None:
            secret = f"{user}:{os.environ.get('SLOSPEC_PROMETHEUS_PASSWORD', '')}"
            self.headers["Authorization"] = "Basic " + base64.b64encode(secret.encode()).decode()
        elif parts.username is not None:
            secret = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
            self.headers["Authorization"] = "Basic " + base64.b64encode(secret.encode()).decode()
        if os.environ.get("SLOSPEC_PROMETHEUS_ORG_ID"):
            self.headers["X-Scope-OrgID"] = os.environ["SLOSPEC_PROMETHEUS_ORG_ID"]
        self.context: Any = None
        if self.scheme == "https":
            import ssl

            try:
                self.context = ssl.create_default_context(cafile=ca_file)
            except (OSError, ssl.SSLError) as exc:
                raise HttpError(f"--ca-file {ca_file}: cannot load the CA bundle ({exc})") from None
            if insecure:
                self.context.check_hostname = False
                self.context.verify_mode = ssl.CERT_NONE

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host.lower(), self.port)

    def request(self, path: str, params: list[tuple[str, str]], *, post: bool = False) -> tuple[int, str, bytes]:
        """(status, reason, body) of one API call: same-origin redirects followed, the whole
        exchange within `timeout` seconds, the body at most `max_bytes`."""
        deadline = time.monotonic() + self.timeout
        query = urllib.parse.urlencode(params)
        target = f"{self.path}{path}"
        method = "POST" if post else "GET"
        for _ in range(MAX_REDIRECTS + 1):
            body = query.encode() if method == "POST" else None
            where = target if method == "POST" else f"{target}?{query}" if query else target
            status, reason, headers, data = self._exchange(method, where, body, deadline)
            if status in (301, 302, 303, 307, 308) and headers.get("location"):
                location = urllib.parse.urljoin(f"{self.scheme}://{self.host}:{self.port}{where}", headers["location"])
                moved = urllib.parse.urlsplit(location)
                try:
                    moved_port = moved.port or (443 if moved.scheme == "https" else 80)
                except ValueError:
                    moved_port = -1
                if (moved.scheme, (moved.hostname or "").lower(), moved_port) != self.origin:
                    raise HttpError(
                        f"{self.display}: {path} redirects to another origin ({strip_userinfo(location)[:200]}); "
                        "slospec sends its credentials only to the server given: use that URL with --prometheus"
                    )
                target, query = moved.path or "/", moved.query
                if status in (301, 302, 303):
                    method = "GET" if status == 303 or method == "GET" else method
                continue
            return status, reason, data
        raise HttpError(f"{self.display}: {path}: more than {MAX_REDIRECTS} redirects")

    def _exchange(
        self, method: str, where: str, body: bytes | None, deadline: float
    ) -> tuple[int, str, dict[str, str], bytes]:
        import http.client
        import socket
        import ssl

        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise self._late()
        connection: http.client.HTTPConnection
        proxy = self._proxy()
        if proxy is None:
            host, port, tunnel = self.host, self.port, False
        else:
            host, port, tunnel = proxy[0], proxy[1], self.scheme == "https"
            if not tunnel:  # plain HTTP through a proxy: the absolute URL in the request line
                where = f"http://{self._netloc()}{where}"
        if self.scheme == "https":
            connection = http.client.HTTPSConnection(host, port, timeout=remaining, context=self.context)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=remaining)
        if proxy is not None:
            proxy_headers = {"Proxy-Authorization": proxy[2]} if proxy[2] else None
            if tunnel:
                connection.set_tunnel(self.host, self.port, headers=proxy_headers)
        expired = threading.Event()

        def cut() -> None:  # the deadline: close the socket under any blocked read
            expired.set()
            sock = connection.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        timer = threading.Timer(remaining, cut)
        timer.daemon = True
        timer.start()
        try:
            headers = dict(self.headers)
            if proxy is not None and not tunnel and proxy[2]:
                headers["Proxy-Authorization"] = proxy[2]
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, where, body=body, headers=headers)
            response = connection.getresponse()
            length = response.getheader("Content-Length")
            if length is not None and length.strip().isdigit() and int(length) > self.max_bytes:
                raise self._too_big()
            chunks: list[bytes] = []
            size = 0
            while True:
                if expired.is_set() or time.monotonic() > deadline:
                    raise self._late()
                chunk = response.read1(1 << 16)
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_bytes:
                    raise self._too_big()
                chunks.append(chunk)
            if expired.is_set():
                raise self._late()
            if length is not None and length.strip().isdigit() and size < int(length):
                raise HttpError(
                    f"{self.display}: the answer was cut off ({size} of {int(length)} bytes, IncompleteRead); "
                    "check the server or a proxy in between"
                )
            found = {k.lower(): v for k, v in response.getheaders()}
            return response.status, response.reason, found, b"".join(chunks)
        except HttpError:
            raise
        except ssl.SSLError as exc:
            raise HttpError(
                f"{self.display}: TLS failed ({getattr(exc, 'reason', None) or exc}); "
                "give the server's CA with --ca-file (or --insecure to skip the check)"
            ) from None
        except TimeoutError:
            raise self._late() from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if expired.is_set():
                raise self._late() from None
            text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise HttpError(
                f"{self.display}: cannot connect ({text}); check the URL and that the server is running"
            ) from None
        finally:
            timer.cancel()
            connection.close()

    def _netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def _proxy(self) -> tuple[str, int, str | None] | None:
        """(host, port, Proxy-Authorization) of the proxy the environment names for this
        server (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, as urllib reads them), or None."""
        import urllib.request

        url = urllib.request.getproxies().get(self.scheme)
        if not url or urllib.request.proxy_bypass(self.host):
            return None
        try:
            parts = urllib.parse.urlsplit(url if "://" in url else f"http://{url}")
            port = parts.port or 8080
        except ValueError:
            raise HttpError(f"the {self.scheme} proxy in the environment is not a URL: {strip_userinfo(url)}") from None
        if not parts.hostname:
            return None
        auth = None
        if parts.username is not None:
            secret = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
            auth = "Basic " + base64.b64encode(secret.encode()).decode()
        return parts.hostname, port, auth

    def _late(self) -> HttpError:
        return HttpError(
            f"{self.display}: no answer within {self.timeout:g} s; raise --timeout "
            "(it bounds the whole request) or shorten the range with --start"
        )

    def _too_big(self) -> HttpError:
        return HttpError(
            f"{self.display}: the answer is over {self.max_bytes // (1024 * 1024)} MiB; narrow the selector or the range"
        )


def api_error(body: bytes) -> str | None:
    """The `error` of a Prometheus error answer ("errorType: error"), or None."""
    try:
        payload = loads(body[:65536])
    except (ValueError, RecursionError):
        return None
    if isinstance(payload, dict) and payload.get("error"):
        kind = payload.get("errorType")
        return f"{kind}: {payload['error']}" if kind else str(payload["error"])
    return None


__all__ = ["HttpError", "Prometheus", "api_error", "loads", "strip_userinfo"]
