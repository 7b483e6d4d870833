"""What one running sandbox holds: the store, its settings, its clock and its faults."""

from __future__ import annotations

import threading
import time
from collections import deque

from scheduler_gui.core.codec import MAX_BODY_BYTES

from . import facts
from .faults import FaultPlan
from .store import Store, touch


class SandboxState:
    """Shared by the request handlers and the in-process controls of tests."""

    def __init__(
        self, store: Store, *, token_ttl: int = facts.TOKEN_TTL, faults: FaultPlan | None = None
    ) -> None:
        self.store = store
        self.default_token_ttl = token_ttl
        self.token_ttl = token_ttl
        self.faults = faults or FaultPlan()
        #: A request body larger than this is refused (413) before or while it is read:
        #: the biggest PUT the client makes is a few MB.
        self.max_body_bytes = MAX_BODY_BYTES
        self.clock_offset = 0.0
        self.sections = 0  # generated term sections seeded at start (.term): kept by reset
        #: (method, path?query) of the latest requests the API routes received (tests
        #: pin which requests a command sends).
        self.requests: deque[tuple[str, str]] = deque(maxlen=1000)
        self._lock = threading.Lock()

    def now(self) -> float:
        """The sandbox's clock in epoch seconds (tests may move it forward)."""
        return time.time() + self.clock_offset

    def advance_clock(self, seconds: float) -> None:
        with self._lock:
            self.clock_offset += seconds

    def expire_access_token(self, token: str) -> None:
        """Make one access token expired now (its refresh token keeps working)."""
        self.store.execute(
            "UPDATE tokens SET expires = ? WHERE token = ? AND kind = 'access'", (self.now(), token)
        )

    def expire_all_tokens(self) -> None:
        self.store.execute("UPDATE tokens SET expires = ? WHERE kind = 'access'", (self.now(),))

    def add_sections(self, count: int, *, keep: bool = False) -> list[int]:
        """Add the generated term sections 1..``count`` (see :mod:`.term`); with ``keep``
        (``--seed-sections``) a reset brings them back, else it removes them."""
        from .term import add_sections

        ids = add_sections(self.store, count)
        if keep:
            self.sections = max(self.sections, count)
        return ids

    def touch_course(self, course: str) -> dict[str, object]:
        """Someone else edits the course: one explicit item's end moves a day later."""
        return touch(self.store, course)

    def reset(self) -> None:
        """Fresh seed data, default settings, no faults, the real clock."""
        with self._lock:
            self.store.reset()
            if self.sections:
                from .term import add_sections

                add_sections(self.store, self.sections)
            self.token_ttl = self.default_token_ttl
            self.max_body_bytes = MAX_BODY_BYTES
            self.faults.clear()
            self.clock_offset = 0.0
            self.requests.clear()
