"""Fault injection: latency, error statuses, dropped connections, token expiry, touches.

Spec grammar (``schedctl sandbox --faults SPEC``, ``POST /_sandbox/faults``)::

    SPEC   := ENTRY ("," ENTRY)*
    ENTRY  := NAME "=" NUMBER ["@" [METHOD] [":" PATH]]
    NAME   := latency        every matching request waits NUMBER seconds (not counted)
            | statusNNN      the next NUMBER matching requests get status NNN (4xx/5xx);
                             429 and 503 carry ``Retry-After`` (see retry_after)
            | drop           the next NUMBER matching requests: socket closed, no response
                             (the request is not processed)
            | drop_after     the next NUMBER matching requests are processed (a PUT
                             lands), then the socket is closed instead of answering
            | trickle        the next NUMBER matching requests are processed, then
                             answered one byte a second (status line and headers
                             too), until the client gives up and closes the socket
            | expire_tokens  the next NUMBER matching requests carrying an OAuth 2 access
                             token find it expired (401; the refresh token still works)
            | touch          after the next NUMBER matching GETs of itemSchedules,
                             "someone else" changes that course
            | retry_after    whole seconds sent in Retry-After (default 1; 0 = retry now)

``@METHOD`` limits an entry to one HTTP method, ``:PATH`` to paths containing PATH
(case-insensitive), e.g. ``status503=2@PUT``, ``drop=1@GET:/itemschedules``,
``latency=0.2@:/courses``. Admin routes (``/_sandbox/...``) are never faulted.
Counted entries are used up in spec order: one fault per request at most (plus latency).
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Protocol

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_ENTRY = re.compile(
    r"^(?P<name>latency|status(?P<status>[45]\d\d)|drop_after|drop|trickle|expire_tokens|touch"
    r"|retry_after)"
    r"=(?P<value>\d+(?:\.\d+)?)(?:@(?P<method>[A-Za-z]*)(?::(?P<path>[^,]*))?)?$"
)
TRICKLE_SECONDS = 1.0  # between two bytes of a trickled answer
_SCHEDULES = re.compile(r"^/courses/([^/]+)/itemschedules(?:\.json|\.xml)?$", re.IGNORECASE)
_ACCESS_TOKEN = re.compile(r"access_token\s*=\s*\"?([^\s\",]+)", re.IGNORECASE)


class FaultSpecError(ValueError):
    """A fault spec that does not follow the grammar; the message shows the grammar."""


@dataclass
class Fault:
    kind: str  # latency, status, drop, drop_after, trickle, expire_tokens, touch
    value: float  # seconds for latency, the status code for status
    remaining: int  # requests left (latency: unlimited, -1)
    method: str | None = None
    path: str | None = None

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method != method.upper():
            return False
        return not self.path or self.path.lower() in path.lower()

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "value": self.value,
            "remaining": self.remaining,
            "method": self.method,
            "path": self.path,
        }


def parse_spec(spec: str) -> tuple[list[Fault], float | None]:
    """Parse a spec into faults and an optional Retry-After value."""
    faults: list[Fault] = []
    retry_after: float | None = None
    for raw in filter(None, (part.strip() for part in spec.split(","))):
        match = _ENTRY.match(raw)
        if not match:
            raise FaultSpecError(
                f"bad fault {raw!r}: use NAME=NUMBER[@METHOD][:PATH] with NAME one of latency,"
                " statusNNN, drop, drop_after, trickle, expire_tokens, touch, retry_after"
                " (e.g. status429=3@GET:/itemschedules,latency=0.5)"
            )
        name, value = match["name"], float(match["value"])
        method = match["method"].upper() or None if match["method"] else None
        path = match["path"] or None
        if name == "retry_after":
            retry_after = value
        elif name == "latency":
            faults.append(Fault("latency", value, -1, method, path))
        elif match["status"]:
            faults.append(Fault("status", int(match["status"]), int(value), method, path))
        else:
            faults.append(Fault(name, value, int(value), method, path))
    return faults, retry_after


class FaultPlan:
    """The faults still to apply; thread-safe (tests change it while the server runs)."""

    def __init__(self, spec: str = "") -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.retry_after = 1.0
        if spec:
            self.set(spec)

    def set(self, spec: str) -> None:
        """Replace the plan by ``spec`` (an empty spec clears it)."""
        faults, retry_after = parse_spec(spec)
        with self._lock:
            self._faults = faults
            self.retry_after = 1.0 if retry_after is None else retry_after

    def clear(self) -> None:
        self.set("")

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [fault.describe() for fault in self._faults if fault.remaining != 0]

    def latency(self, method: str, path: str) -> float:
        with self._lock:
            return sum(
                f.value for f in self._faults if f.kind == "latency" and f.matches(method, path)
            )

    def take(self, kinds: tuple[str, ...], method: str, path: str) -> Fault | None:
        """Use up one matching counted fault of ``kinds``, if any is left."""
        with self._lock:
            for fault in self._faults:
                if fault.kind in kinds and fault.remaining > 0 and fault.matches(method, path):
                    fault.remaining -= 1
                    return fault
        return None


class FaultTarget(Protocol):
    """What faults act upon (implemented by the sandbox state)."""

    faults: FaultPlan

    def expire_access_token(self, token: str) -> None: ...

    def touch_course(self, course: str) -> object: ...


class FaultMiddleware:
    """Outermost ASGI layer: it sees uvicorn's own ``send`` (needed to drop a socket)."""

    def __init__(self, app: ASGIApp, target: FaultTarget) -> None:
        self.app = app
        self.target = target

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or path.startswith("/_sandbox"):
            await self.app(scope, receive, send)
            return
        method = str(scope["method"])
        plan = self.target.faults
        delay = plan.latency(method, path)
        if delay:
            await asyncio.sleep(delay)
        fault = plan.take(("drop", "drop_after", "trickle", "status"), method, path)
        if fault is not None and fault.kind == "drop":
            await _drop(send)
            return
        if fault is not None and fault.kind == "trickle":
            await _trickle(self.app, scope, receive, send)
            return
        if fault is not None and fault.kind == "drop_after":
            await self.app(scope, receive, _swallow)  # the work is done, the answer lost
            await _drop(send)
            return
        if fault is not None:
            await _status(send, int(fault.value), plan.retry_after)
            return
        token = _access_token(scope)
        if token and plan.take(("expire_tokens",), method, path):
            self.target.expire_access_token(token)
        await self.app(scope, receive, send)
        touched = _SCHEDULES.match(path)
        if touched and method == "GET" and plan.take(("touch",), method, path):
            self.target.touch_course(touched.group(1))


def _access_token(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-authorization":
            match = _ACCESS_TOKEN.search(value.decode("latin-1"))
            return match.group(1) if match else None
    return None


async def _status(send: Send, status: int, retry_after: float) -> None:
    error = {"message": f"fault injected by the sandbox: HTTP {status}", "errorId": "sandbox_fault"}
    body = json.dumps({"error": error}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    if status in (429, 503):  # HTTP wants whole seconds
        headers.append((b"retry-after", str(math.ceil(retry_after)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _trickle(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer as ``app`` would, but one byte a second, written straight to the socket."""
    start: Message = {}
    body = bytearray()

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, capture)
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:  # not uvicorn: no socket to trickle on
        raise ConnectionAbortedError("fault injected by the sandbox: trickle needs uvicorn")
    status = int(start.get("status", 500))
    lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}".encode()]
    skip = (b"content-length", b"connection")
    lines += [name + b": " + value for name, value in start.get("headers", []) if name not in skip]
    lines += [b"content-length: %d" % len(body), b"connection: close"]
    raw = b"\r\n".join(lines) + b"\r\n\r\n" + bytes(body)
    for byte in raw:
        if transport.is_closing():
            break
        transport.write(bytes([byte]))
        await asyncio.sleep(TRICKLE_SECONDS)
    await _drop(send)


async def _swallow(message: Message) -> None:
    """A ``send`` that loses the response."""


async def _drop(send: Send) -> None:
    """Close the connection without a response (uvicorn's cycle owns the transport)."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:  # not uvicorn: start a response and break it off
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise ConnectionAbortedError("fault injected by the sandbox: connection dropped")
    transport.close()
    # Let connection_lost run, so the server does not try to answer on the dead socket.
    for _ in range(3):
        await asyncio.sleep(0)
