"""``LearningStudioClient``: the calls this product makes, over one ``httpx.Client``.

Retries: GET and the (idempotent) full-set PUT are retried on 429, 5xx and connection
failures with exponential backoff and jitter, honouring ``Retry-After``, bounded both in
attempts and in total waiting time. POST is never retried.
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from os import PathLike
from typing import Any, Protocol
from urllib.parse import quote

import httpx

from ..core import codec
from ..core.codec import numeric_id
from ..core.gc_pause import collector_paused
from ..core.model import Schedule
from .auth import OAuth2PasswordAuth
from .errors import (
    AuthenticationError,
    ForbiddenError,
    LearningStudioError,
    NotFoundError,
    RateLimitedError,
    RejectedInputError,
    ServerError,
    error_from_response,
    safe_url,
)
from .limits import MAX_RESPONSE_BYTES as MAX_RESPONSE_BYTES  # where it was
from .limits import cap_body, deadline, deadline_transport
from .transport import is_certificate_error, network_error, tls_context
from .urls import check_password_transport

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
_COURSE_IN_LINK = re.compile(r"/courses/(\d+)(?:/|$)", re.IGNORECASE)
_CCN = re.compile(r"^ccn=(.+)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try: at most ``attempts`` tries and ``max_total`` seconds of waiting."""

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 10.0
    max_total: float = 30.0
    jitter: float = 0.25  # +- this fraction of each delay

    def backoff(self, retry_number: int, rng: Callable[[], float]) -> float:
        """Delay before retry ``retry_number`` (1-based) when the server gave no hint."""
        delay = min(self.max_delay, self.base_delay * 2.0 ** (retry_number - 1))
        return max(0.0, delay * (1 + self.jitter * (2 * rng() - 1)))


NO_RETRY = RetryPolicy(attempts=1)


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One HTTP exchange, for the request log (no secrets: path and redacted query only)."""

    method: str
    path: str
    status: int | None  # None: no answer (connection failed or dropped)
    duration: float  # seconds
    error: str = ""


RequestLogHook = Callable[[RequestRecord], None]


class RequestThrottle(Protocol):
    """Paces the requests of a batch (see :mod:`.throttle`): ``wait`` before each one,
    ``observe`` each answer (status None: none came)."""

    def wait(self) -> None: ...

    def observe(self, status: int | None, retry_after: float | None) -> None: ...


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def describe_course(course: str) -> str:
    """``123456`` or ``call number ABC-101`` (for ``ccn=ABC-101``), for messages."""
    match = _CCN.match(course)
    return f"call number {match.group(1).strip()}" if match else course


def normalize_course(course: str | int) -> str:
    """``"123456"`` or ``"ccn=CALLNUMBER"``; raises ``RejectedInputError`` otherwise."""
    text = str(course).strip()
    if text.isdigit():
        return text
    match = _CCN.match(text)
    if match and match.group(1).strip():
        return f"ccn={match.group(1).strip()}"
    raise RejectedInputError(
        f"{text[:40]!r} is not a course. Give the numeric course id or ccn=CALLNUMBER."
    )


def _records(document: Any) -> list[dict[str, Any]]:
    """The list of records in a ``{"things": [...]}`` or ``{"thing": {...}}`` answer."""
    if isinstance(document, Mapping):
        if len(document) == 1:
            (value,) = document.values()
            if isinstance(value, list):
                return [v for v in value if isinstance(v, dict)]
            if isinstance(value, dict):
                inner = _records(value) if len(value) == 1 else []
                return inner or [value]
        return [dict(document)]
    if isinstance(document, list):
        return [v for v in document if isinstance(v, dict)]
    return []


def is_web_page(response: httpx.Response) -> bool:
    """True for an HTML answer (a portal, proxy or sign-in page instead of the API)."""
    kind = response.headers.get("Content-Type", "").lower()
    start = response.content[:200].lstrip().lower()
    return "html" in kind or start.startswith((b"<!doctype html", b"<html"))


def parents_from_hierarchy(document: Any) -> dict[int, int | None]:
    """Item id -> parent id from an ``itemHierarchy`` answer, nested or flat.

    Tolerant of the shape: any object with an ``id``/``itemId``/``contentItemId`` is an
    item; objects nested inside it (in any list or object but ``links``) are its
    children; an explicit ``parentId``/``parentItemId`` wins.
    """
    parents: dict[int, int | None] = {}

    def walk(node: Any, parent: int | None) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child, parent)
            return
        if not isinstance(node, Mapping):
            return
        node_id = next(
            (
                numeric_id(node[key])
                for key in ("id", "itemId", "contentItemId")
                if key in node and numeric_id(node[key]) is not None
            ),
            None,
        )
        if node_id is not None:
            explicit = next(
                (node[k] for k in ("parentId", "parentItemId") if k in node),
                "absent",
            )
            parents[node_id] = parent if explicit == "absent" else numeric_id(explicit)
            parent = node_id
        for key, value in node.items():
            if key != "links" and isinstance(value, list | Mapping):
                walk(value, parent)

    walk(document, None)
    return parents


def course_id_from_links(schedule: Schedule) -> str | None:
    """The numeric course id in the items' ``links`` (``.../courses/{id}/items/...``)."""
    for item in schedule.items[:20]:
        links = item.item_extra.get("links")
        for link in links if isinstance(links, list) else []:
            href = link.get("href") if isinstance(link, Mapping) else None
            match = _COURSE_IN_LINK.search(href) if isinstance(href, str) else None
            if match:
                return match.group(1)
    return None


class LearningStudioClient:
    """The LearningStudio API, as this product uses it.

    Args:
        base_url: e.g. ``https://api.learningstudio.com`` (a setting, not a constant).
        auth: one of the ``httpx.Auth`` classes in :mod:`.auth`.
        timeout: seconds per request, all of it: connect (capped at 10 s), sending,
            waiting and reading the whole answer (see :mod:`.limits`).
        retry: the retry policy for GET and the full-set PUT.
        transport: an ``httpx`` transport (tests use ``httpx.MockTransport``).
        fmt: ``"json"`` or ``"xml"``: the route suffix and body format.
        verify: ``True`` or the path of a CA bundle; verification cannot be disabled.
        on_request: called after each HTTP exchange with a :class:`RequestRecord`.
        allow_unencrypted_password: let a password login use plain ``http://`` to
            another computer (refused otherwise, see :mod:`.urls`).
        sleep, clock, rng: injectable for tests (no real waiting).
    """

    def __init__(
        self,
        base_url: str,
        auth: httpx.Auth | None,
        *,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        fmt: str = "json",
        verify: bool | str | PathLike[str] = True,
        on_request: RequestLogHook | None = None,
        allow_unencrypted_password: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        if fmt not in ("json", "xml"):
            raise ValueError(f"unknown format {fmt!r}: use json or xml")
        base_url = base_url.strip().rstrip("/")
        if not base_url.lower().startswith(("http://", "https://")):
            raise RejectedInputError(
                f"{base_url[:60]!r} is not a base URL. Use e.g. https://api.learningstudio.com."
            )
        if isinstance(auth, OAuth2PasswordAuth) and not allow_unencrypted_password:
            check_password_transport(base_url, auth.token_url)
        self.base_url = base_url
        self.timeout = timeout
        self.fmt = fmt
        self.retry = retry or RetryPolicy()
        self.on_request = on_request
        self._sleep, self._clock, self._rng = sleep, clock, rng
        self._last_parsed: Schedule | None = None  # see _fetch_schedule
        #: Set by a batch so that a 429 slows all its requests down, not just one.
        self.throttle: RequestThrottle | None = None
        urls = (base_url, str(getattr(auth, "token_url", "")))
        tls = tls_context(verify, https=any(url.lower().startswith("https:") for url in urls))
        self._http = httpx.Client(
            auth=auth,
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            transport=transport if transport is not None else deadline_transport(tls),
            verify=tls,
            headers={"Accept": "application/xml" if fmt == "xml" else "application/json"},
            event_hooks={
                "request": [self._mark_start],
                "response": [self._log_response, cap_body],
            },
        )

    # ------------------------------------------------------------------ plumbing

    @property
    def user(self) -> str:
        """Who this client logs in as: the user name, or the OAuth 1 key moniker."""
        auth = self._http.auth
        return str(getattr(auth, "username", "") or getattr(auth, "consumer_key", ""))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> LearningStudioClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def url(self, *segments: str | int, suffix: bool = True) -> str:
        """Absolute URL of a route; segments are quoted (``=`` kept for overloads).

        ``|`` stays literal, as the pages write ``loginid={clientString}|{username}``: the
        path sent is then the same as the decoded path, so an OAuth 1 server signs the
        same string whichever of the two it reads.
        """
        path = "/".join(quote(str(s), safe="=|") for s in segments)
        return f"{self.base_url}/{path}" + (f".{self.fmt}" if suffix else "")

    def _mark_start(self, request: httpx.Request) -> None:
        request.extensions["ls_started"] = self._clock()

    def _record(self, request: httpx.Request, status: int | None, error: str = "") -> None:
        if self.on_request is None:
            return
        started = request.extensions.get("ls_started", self._clock())
        split = safe_url(str(request.url)).split("/", 3)
        path = "/" + split[3] if len(split) > 3 else "/"
        record = RequestRecord(request.method, path, status, self._clock() - started, error)
        with contextlib.suppress(Exception):  # a broken log must never break a save
            self.on_request(record)

    def _log_response(self, response: httpx.Response) -> None:
        self._record(response.request, response.status_code)

    def request(
        self,
        method: str,
        url: str,
        *,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        retry: bool | None = None,
    ) -> httpx.Response:
        """Send with retries (GET/PUT by default) and map failures to typed errors."""
        retry = method in ("GET", "PUT", "HEAD") if retry is None else retry
        policy = self.retry if retry else NO_RETRY
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            throttle = self.throttle
            if throttle is not None:
                throttle.wait()
            request = self._http.build_request(method, url, content=content, headers=headers)
            try:
                with deadline(self.timeout) as limit:  # the whole exchange, body included
                    response = self._http.send(request)
            except httpx.TransportError as exc:
                self._record(request, None, type(exc).__name__)
                if throttle is not None:
                    throttle.observe(None, None)
                delay = policy.backoff(attempt, self._rng)
                # A server that was too slow for a whole timeout is not asked again: a
                # trickling answer would only multiply the wait.
                if (
                    is_certificate_error(exc)
                    or limit.passed
                    or not self._may_retry(policy, attempt, started, delay)
                ):
                    raise network_error(exc, method, url, self.timeout) from exc
                self._sleep(delay)
                continue
            if response.status_code < 400:
                if throttle is not None:
                    throttle.observe(response.status_code, None)
                return response
            server_hint = parse_retry_after(response.headers.get("Retry-After"))
            if throttle is not None:
                throttle.observe(response.status_code, server_hint)
            error = error_from_response(
                response.status_code, response.content, method, url, retry_after=server_hint
            )
            if isinstance(error, AuthenticationError):
                # What to check depends on how we log in (OAuth 1: moniker, secret, app id).
                advice = getattr(self._http.auth, "login_advice", "")
                if advice:
                    error.message = advice
                    error.args = (advice,)
            if response.status_code not in RETRYABLE_STATUS:
                raise error
            delay = server_hint if server_hint is not None else policy.backoff(attempt, self._rng)
            if not self._may_retry(policy, attempt, started, delay):
                if isinstance(error, RateLimitedError) and server_hint:
                    error.message = (
                        f"LearningStudio is limiting requests and asks to wait "
                        f"{server_hint:.0f} seconds. Try again then."
                    )
                    error.args = (error.message,)
                raise error
            self._sleep(delay)

    def _may_retry(self, policy: RetryPolicy, attempt: int, started: float, delay: float) -> bool:
        if attempt >= policy.attempts:
            return False
        return (self._clock() - started) + delay <= policy.max_total

    def _decode(self, response: httpx.Response) -> Any:
        try:
            if self.fmt == "xml" or response.content.lstrip()[:1] == b"<":
                from ..core import xmlcodec  # loads on first use: most servers speak JSON

                with collector_paused():
                    return xmlcodec.loads(response.content)
            # A course's 10,000 items are ~100,000 objects and no cycles: without the
            # pause, collector passes inside this one C call held the GIL (and froze the
            # window) for 25-100 ms instead of ~20.
            with collector_paused():
                return json.loads(response.content)
        except (ValueError, RecursionError):
            raise ServerError(
                "The server sent an answer that is not valid JSON or XML. "
                "Check the base URL points at the LearningStudio API.",
                response.status_code,
                None,
                response.request.method,
                str(response.request.url),
            ) from None

    def get_document(self, *segments: str | int) -> Any:
        """GET a route and return its parsed JSON (or XML mapped to JSON shapes)."""
        return self._decode(self.request("GET", self.url(*segments)))

    def post_document(self, *segments: str | int, document: Any = None) -> Any:
        """POST (never retried); returns the parsed answer or ``None`` for 204."""
        body = None
        headers = {}
        if document is not None:
            body = self._encode(document)
            headers["Content-Type"] = self._content_type
        response = self.request("POST", self.url(*segments), content=body, headers=headers)
        return (
            None if response.status_code == 204 or not response.content else self._decode(response)
        )

    @property
    def _content_type(self) -> str:
        return "application/xml" if self.fmt == "xml" else "application/json"

    def _encode(self, document: Any) -> bytes:
        if self.fmt == "xml":
            from ..core import xmlcodec

            # No line break after the declaration: a body without CR/LF signs the same
            # under every reading of the OAuth 1 "CR/LF removed" rule.
            return xmlcodec.dumps(document).replace(b"?>\n", b"?>", 1)
        return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()

    # ------------------------------------------------------------------ the API

    def me(self) -> dict[str, Any]:
        """The logged-in user (``/me``, OAuth 2 only)."""
        records = _records(self.get_document("me"))
        return records[0] if records else {}

    def my_courses(self) -> list[dict[str, Any]]:
        """The logged-in user's courses (``/me/courses``)."""
        return _records(self.get_document("me", "courses"))

    def get_course(self, course: str | int) -> dict[str, Any]:
        """One course (``/courses/{id}``; ``ccn=`` works here too)."""
        records = _records(self.get_document("courses", normalize_course(course)))
        if not records:
            raise NotFoundError("", 404, None, "GET", self.url("courses", course))
        return records[0]

    def get_items(self, course_id: str | int) -> list[dict[str, Any]]:
        """The content items of a course (``/courses/{id}/items``)."""
        return _records(self.get_document("courses", normalize_course(course_id), "items"))

    def get_item(self, course_id: str | int, item_id: int) -> dict[str, Any]:
        """One content item (``/courses/{id}/items/{itemId}``)."""
        records = _records(
            self.get_document("courses", normalize_course(course_id), "items", item_id)
        )
        return records[0] if records else {}

    def resolve_course_id(self, course: str | int) -> str:
        """The numeric course id for ``123456`` or ``ccn=CALLNUMBER``."""
        course = normalize_course(course)
        if course.isdigit():
            return course
        try:
            record = self.get_course(course)
            found = numeric_id(record.get("id"))
            if found is not None:
                return str(found)
        except (NotFoundError, RejectedInputError, ForbiddenError):
            pass  # a server without /courses: the schedules' links name the course
        schedule = self._fetch_schedule(course)
        numeric = course_id_from_links(schedule)
        if numeric is None:
            raise NotFoundError(
                f"Could not find the numeric id of course {course}. Use the numeric course id."
            )
        return numeric

    def get_parents(self, course_id: str) -> dict[int, int | None]:
        """Item id -> parent id, or ``{}`` when the server has no (working) hierarchy route.

        Parents only add unit names and the parent-window check, so a server without the
        route, or one that fails on it, still gives a usable schedule.
        """
        try:
            document = self.get_document("courses", course_id, "itemHierarchy")
        except AuthenticationError:
            raise
        except LearningStudioError:
            return {}
        return parents_from_hierarchy(document)

    def _fetch_schedule(self, course: str) -> Schedule:
        try:
            response = self.request("GET", self.url("courses", course, "itemSchedules"))
        except NotFoundError as exc:
            # Name the course: with several on one command line, which one is wrong?
            raise NotFoundError(
                f"LearningStudio has no such course: {describe_course(course)}. "
                "Check the course id or call number.",
                exc.status,
                exc.error_id,
                exc.method,
                exc.url,
                server_message=exc.server_message,
            ) from exc
        body = response.content
        last = self._last_parsed
        # A save reads the course right after it was loaded (or saved): when the body is
        # byte for byte the one parsed last time, the result is the same, so reuse it.
        if last is not None and last.course_id == course and last.source == body:
            return last
        try:
            parsed = codec.parse(body, course, self.fmt)
        except codec.ScheduleFormatError as exc:
            text = (
                f"The server sent item schedules this editor cannot read ({exc}). "
                "Report this to your LearningStudio administrator."
            )
            if is_web_page(response):
                text = (
                    "The server answered with a web page (HTML), not item schedules: check "
                    "that the base URL is the LearningStudio API, not a web site or sign-in "
                    "page."
                )
            raise ServerError(
                text,
                response.status_code,
                None,
                "GET",
                str(response.request.url),
            ) from None
        schedule = Schedule(
            parsed.course_id, parsed.items, source_format=parsed.source_format, source=body
        )
        self._last_parsed = schedule
        return schedule

    def get_schedule(self, course: str | int, *, with_parents: bool = True) -> Schedule:
        """Every item schedule of a course, parents attached when the server has them.

        ``course`` is a numeric id or ``ccn=CALLNUMBER``; the returned schedule always
        carries the numeric id (from the items' links, else ``/courses/ccn=...``).
        """
        course = normalize_course(course)
        schedule = self._fetch_schedule(course)
        if not course.isdigit():
            numeric = course_id_from_links(schedule) or self.resolve_course_id(course)
            schedule = Schedule(
                numeric,
                schedule.items,
                source_format=schedule.source_format,
                source=schedule.source,
            )
        if with_parents:
            parents = self.get_parents(schedule.course_id)
            if parents:
                schedule = schedule.with_parents(parents)
        return schedule

    def put_body(self, schedule: Schedule, *, previous: Schedule | None = None) -> bytes:
        """The body :meth:`put_schedule` sends for ``schedule`` and ``previous``."""
        body = codec.dump_put(schedule, self.fmt, previous=previous)
        if self.fmt == "xml":
            body = body.replace(b"?>\n", b"?>", 1)
        return body

    def put_schedule(
        self,
        course_id: str | int,
        schedule: Schedule,
        *,
        previous: Schedule | None = None,
        body: bytes | None = None,
    ) -> None:
        """PUT every item (inherited ones without dates) to the numeric course id.

        ``previous`` is the server's current schedule: due dates removed since then are
        sent as explicit clears (a due key left out means "unchanged"). ``body``, if
        given, is ``put_body(schedule, previous=previous)`` made beforehand.
        """
        numeric = self.resolve_course_id(course_id)
        if body is None:
            body = self.put_body(schedule, previous=previous)
        self.request(
            "PUT",
            self.url("courses", numeric, "itemSchedules"),
            content=body,
            headers={"Content-Type": self._content_type},
        )


__all__ = [
    "NO_RETRY",
    "LearningStudioClient",
    "LearningStudioError",
    "RequestLogHook",
    "RequestRecord",
    "RequestThrottle",
    "RetryPolicy",
    "course_id_from_links",
    "normalize_course",
    "parents_from_hierarchy",
    "parse_retry_after",
]
