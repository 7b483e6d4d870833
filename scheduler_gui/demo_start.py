"""Start ``scheduler-gui --demo``'s sandbox process as early as the launch allows.

The sandbox child (``schedctl sandbox --until-stdin-closes``) takes about as long to
print its URL as the window's process takes to import Qt and the window; started only
once those imports are done, the window then waits for it. ``app`` imports this module
before Qt, so a ``scheduler-gui --demo`` launch spawns the child first and both start
together. Imported any other way (tests, ``--help``), it starts nothing.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any


def start_demo_server() -> Future[Any]:
    """Start the demo sandbox in a process of its own (see :mod:`.sandbox.process`): it
    imports, seeds and answers on another core while the window is built. The future
    holds the running sandbox (``url``, ``stop``)."""
    future: Future[Any] = Future()

    def run() -> None:
        try:
            from .sandbox.process import start_process

            future.set_result(start_process())
        except BaseException as exc:  # reported by whoever waits for it
            future.set_exception(exc)

    threading.Thread(target=run, name="demo sandbox start", daemon=True).start()
    return future


def _launched_as_demo(argv: list[str]) -> bool:
    """``scheduler-gui --demo …`` (not ``--help``), as the installed or frozen program."""
    options = argv[1:]
    return (
        bool(argv)
        and Path(argv[0]).stem == "scheduler-gui"
        and "--demo" in options
        and not {"-h", "--help", "--version"} & set(options)
    )


#: The sandbox started at launch, taken (once) by the demo's start-up.
_started_at_launch: Future[Any] | None = (
    start_demo_server() if _launched_as_demo(sys.argv) else None
)


def take_demo_server() -> Future[Any]:
    """The sandbox started at launch, or one started now."""
    global _started_at_launch
    started, _started_at_launch = _started_at_launch, None
    return started if started is not None else start_demo_server()
