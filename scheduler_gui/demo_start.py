"""Start ``scheduler-gui --demo``'s sandbox process, and its login, as early as possible.

The sandbox child (``schedctl sandbox --until-stdin-closes``) takes about as long to
print its URL as the window's process takes to import Qt and build the window; started
only once those are done, the window then waits for it. ``app`` imports this module
before Qt, so a ``scheduler-gui --demo`` launch spawns the child first, and logs in as
soon as it answers, while the window is still being built. Imported any other way
(tests, ``--help``), it starts nothing.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEMO_LOGIN = {"client_string": "sandbox", "application_id": "sandbox-app", "username": "prof"}
#: The sandbox's users have their user name as password.
DEMO_PASSWORD = DEMO_LOGIN["username"]


@dataclass(frozen=True)
class DemoStart:
    """The demo's sandbox and its login, under way off the GUI thread."""

    #: The running sandbox (``url``, ``stop``), see :mod:`.sandbox.process`.
    server: Future[Any] = field(default_factory=Future)
    #: ``(client, user)``: an API client logged in to it as ``prof``, and ``GET /me``.
    login: Future[tuple[Any, dict[str, Any]]] = field(default_factory=Future)


def start_demo() -> DemoStart:
    """Start the demo sandbox in a process of its own (it imports, seeds and answers on
    another core while the window is built), then log in to it, both on a thread here."""
    demo = DemoStart()
    threading.Thread(target=_run, args=(demo,), name="demo start", daemon=True).start()
    return demo


def _run(demo: DemoStart) -> None:
    try:
        from .sandbox.process import spawn, wait_until_listening

        process = spawn()
        # While the child starts: the login's modules (httpx and the client).
        from .session.client import log_in
        from .session.login import Login
        from .store.settings import load_settings

        server = wait_until_listening(process)
    except BaseException as exc:  # reported by whoever waits for either
        demo.server.set_exception(exc)
        demo.login.set_exception(exc)
        return
    demo.server.set_result(server)
    try:
        login = Login(server.url, password=DEMO_PASSWORD, **DEMO_LOGIN)
        demo.login.set_result(log_in(load_settings(), login))
    except BaseException as exc:
        demo.login.set_exception(exc)


def _launched_as_demo(argv: list[str]) -> bool:
    """``scheduler-gui --demo …`` (not ``--help``), as the installed or frozen program."""
    options = argv[1:]
    return (
        bool(argv)
        and Path(argv[0]).stem == "scheduler-gui"
        and "--demo" in options
        and not {"-h", "--help", "--version"} & set(options)
    )


#: The demo started at launch, taken (once) by the demo's start-up.
_started_at_launch: DemoStart | None = start_demo() if _launched_as_demo(sys.argv) else None


def take_demo() -> DemoStart:
    """The demo started at launch, or one started now."""
    global _started_at_launch
    started, _started_at_launch = _started_at_launch, None
    return started if started is not None else start_demo()
