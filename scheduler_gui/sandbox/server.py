"""Run the sandbox on uvicorn: in a background thread (tests, demo) or in the foreground."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from scheduler_gui.core.hosts import is_loopback_host

from . import facts
from .app import create_app
from .faults import FaultPlan
from .state import SandboxState
from .store import Store

START_TIMEOUT = 10.0


class RunningSandbox:
    """A sandbox serving on a loopback port; ``.url`` is its base URL.

    The control methods act in-process (no HTTP), so tests can steer the server
    between their requests.
    """

    def __init__(
        self,
        state: SandboxState,
        server: uvicorn.Server,
        thread: threading.Thread,
        host: str,
        port: int,
    ) -> None:
        self.state = state
        self._server = server
        self._thread = thread
        self.host = host
        self.port = port
        self.url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    # --- lifecycle ---------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, *, wait: bool = True) -> None:
        """Stop serving and close the database (idempotent).

        ``wait=False`` only tells the server to stop: it ends on its own (daemon) thread
        within about 0.1 s (uvicorn's tick) and the database stays open, for a process
        that is about to exit anyway (the app's demo).
        """
        if self._thread.is_alive():
            self._server.should_exit = True
            if not wait:
                return
            self._thread.join(START_TIMEOUT)
        self.state.store.close()

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- controls ----------------------------------------------------------------------

    def reset(self) -> None:
        """Fresh seed data, no faults, default token TTL, the real clock."""
        self.state.reset()

    def set_faults(self, spec: str) -> None:
        """Replace the fault plan (grammar in :mod:`scheduler_gui.sandbox.faults`)."""
        self.state.faults.set(spec)

    def clear_faults(self) -> None:
        self.state.faults.clear()

    def faults(self) -> list[dict[str, Any]]:
        """The faults still pending."""
        return self.state.faults.describe()

    def add_sections(self, count: int) -> list[int]:
        """Add the generated term sections 1..``count`` (course ids 700001...) until the
        next :meth:`reset` (those of ``start_in_thread(sections=)`` stay). Returns their
        course ids."""
        return self.state.add_sections(count)

    def touch(self, course: int | str = facts.DEMO_COURSE_ID) -> dict[str, object]:
        """Someone else changes the course now (one item's end moves a day later)."""
        return self.state.touch_course(str(course))

    def advance_clock(self, seconds: float) -> None:
        """Move the sandbox's clock forward (token, clock and entry URL expiry)."""
        self.state.advance_clock(seconds)

    def set_token_ttl(self, seconds: int) -> None:
        """``expires_in`` of tokens issued from now on."""
        self.state.token_ttl = seconds

    def expire_tokens(self) -> None:
        """Every access token issued so far expires now (refresh tokens keep working)."""
        self.state.expire_all_tokens()


def exposure_warning(host: str) -> str | None:
    """What to tell the user when the sandbox listens where other computers reach it."""
    if is_loopback_host(host):
        return None
    return (
        f"WARNING: the sandbox listens on {host}, so anyone on the network can reach it: "
        "its logins are public (password = user name) and its /_sandbox/* control routes "
        "(reset, faults, clock) need none. Use --host 127.0.0.1 unless you mean it."
    )


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say
    # they are TCP; with it on, each answer on a kept-alive connection waited ~40 ms for
    # the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    return sock


def start_in_thread(
    data: str | Path = ":memory:",
    faults: str | None = None,
    token_ttl: int = facts.TOKEN_TTL,
    host: str = "127.0.0.1",
    port: int = 0,
    sections: int = 0,
) -> RunningSandbox:
    """Start a sandbox on ``host:port`` (0 = a free port); returns once it accepts connections.

    ``sections`` adds that many generated term sections (see :mod:`.term`).

    Raises:
        OSError: the port could not be bound.
        FaultSpecError: ``faults`` does not follow the grammar.
    """
    plan = FaultPlan(faults or "")
    state = SandboxState(Store.open(data), token_ttl=token_ttl, faults=plan)
    if sections:
        state.add_sections(sections, keep=True)
    sock = _bind(host, port)
    config = uvicorn.Config(
        create_app(state),
        http="h11",
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="sandbox", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise OSError(f"the sandbox did not start on {host}:{port}")
        time.sleep(0.002)
    bound_port = sock.getsockname()[1]
    return RunningSandbox(state, server, thread, host, bound_port)


def serve_forever(sandbox: RunningSandbox) -> None:
    """Block until Ctrl+C, then stop the sandbox."""
    try:
        while sandbox.running:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
