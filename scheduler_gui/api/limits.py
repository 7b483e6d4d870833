"""Bounds on what a server can make the client do: how much it reads, how long it waits.

- Size: an answer larger than :data:`MAX_RESPONSE_BYTES` is refused (by its
  ``Content-Length``) or cut off while it streams in.
- Time: every request has an overall deadline, not only a timeout per read. A server
  that trickles a byte a second never lets a per-read timeout fire; the deadline is
  checked before each socket read and write (:class:`DeadlineBackend`) and between the
  chunks of a body (:class:`CappedStream`, also for transports the backend is not in).
- Token lifetimes: ``expires_in`` of any size or shape becomes a usable number.
"""

from __future__ import annotations

import math
import ssl
import threading
import time
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from ..core import codec
from .errors import ServerError

#: The biggest answer read (the codec refuses bigger bodies anyway): a 10,000-item course
#: is about 4 MB; a wrong base URL or a hostile server must not fill the memory first.
MAX_RESPONSE_BYTES = codec.MAX_BODY_BYTES
#: ``expires_in`` outside this range is taken as this bound (a year; a second).
MAX_TOKEN_LIFETIME = 365 * 24 * 3600.0
MIN_TOKEN_LIFETIME = 1.0
DEFAULT_TOKEN_LIFETIME = 3600.0
DEADLINE_MESSAGE = "the request took longer than its overall deadline"

_local = threading.local()


# ---------------------------------------------------------------------- size


class CappedStream(httpx.SyncByteStream):
    """A response body that stops with a clear error past :data:`MAX_RESPONSE_BYTES`,
    or once the request's deadline has passed."""

    def __init__(self, stream: httpx.SyncByteStream, request: httpx.Request) -> None:
        self.stream, self.request = stream, request

    def __iter__(self) -> Iterator[bytes]:
        read = 0
        for chunk in self.stream:
            _remaining(None, httpx.ReadTimeout)
            read += len(chunk)
            if read > MAX_RESPONSE_BYTES:
                raise too_big(self.request)
            yield chunk

    def close(self) -> None:
        self.stream.close()


def too_big(request: httpx.Request) -> ServerError:
    return ServerError(
        f"The server's answer is larger than {MAX_RESPONSE_BYTES // 2**20} MB, far more "
        "than any course: it was not read. Check that the base URL is the LearningStudio API.",
        None,
        None,
        request.method,
        str(request.url),
    )


def cap_body(response: httpx.Response) -> None:
    """Response hook (before the body is read): refuse or cap an oversized body."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_RESPONSE_BYTES:
        raise too_big(response.request)
    if isinstance(response.stream, httpx.SyncByteStream):
        response.stream = CappedStream(response.stream, response.request)


# ---------------------------------------------------------------------- time


class Deadline:
    """The deadline of the request this thread is sending (see :func:`deadline`)."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.at


@contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Everything this thread sends and reads inside the block must end in ``seconds``."""
    previous = getattr(_local, "deadline", None)
    _local.deadline = current = Deadline(seconds)
    try:
        yield current
    finally:
        _local.deadline = previous


def _remaining(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` shortened to what is left of this thread's deadline; ``error`` if none."""
    current: Deadline | None = getattr(_local, "deadline", None)
    if current is None:
        return timeout
    left = current.at - time.monotonic()
    if left <= 0:
        raise error(DEADLINE_MESSAGE)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write waits at most until the deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _remaining(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _remaining(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wait = _remaining(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, wait))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own sockets, each wrapped in a :class:`_DeadlineStream`."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        wait = _remaining(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, wait, local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        wait = _remaining(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_unix_socket(path, wait, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def deadline_transport(ssl_context: ssl.SSLContext) -> httpx.HTTPTransport:
    """httpx's transport on a connection pool whose sockets keep the deadline.

    httpx has no public way to choose the network backend, so the transport's pool is
    replaced by an equal one (httpx's default limits) built with it;
    ``tests/cli/test_transport_safety.py`` fails if a new httpx stops using it.
    """
    transport = httpx.HTTPTransport(verify=ssl_context)
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=ssl_context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=DeadlineBackend(),
    )
    return transport


# ---------------------------------------------------------------------- tokens


def token_lifetime(value: Any) -> float:
    """Seconds a token lives from ``expires_in``: numbers and numeric text, bounded to
    :data:`MIN_TOKEN_LIFETIME`..:data:`MAX_TOKEN_LIFETIME`; anything else (``null``,
    ``NaN``, ``true``, text, a number too big for a float) the default hour."""
    if isinstance(value, bool):
        return DEFAULT_TOKEN_LIFETIME
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError):
        return DEFAULT_TOKEN_LIFETIME
    if math.isnan(seconds):
        return DEFAULT_TOKEN_LIFETIME
    return min(MAX_TOKEN_LIFETIME, max(MIN_TOKEN_LIFETIME, seconds))
