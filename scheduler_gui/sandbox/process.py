"""The sandbox in a process of its own, for the app's ``--demo``.

In the app's process the server's imports (Starlette, uvicorn), its seeding and every
answer it renders would share the GIL with the window, and the demo would start later
and paint slower. As ``schedctl sandbox --port 0 --until-stdin-closes`` it runs on
another core while the window is built. The child stops when its standard input closes,
which happens when the app exits, however it exits (a crash or a kill too): it never
outlives the app.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

READY = "Sandbox listening on "
#: Runs ``schedctl`` with the Python of this process (its console script may be elsewhere).
_SCHEDCTL_CODE = "import sys; from scheduler_gui.cli import main; sys.exit(main(sys.argv[1:]))"


class SandboxProcess:
    """A running ``schedctl sandbox`` child; ``url`` is its base URL."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url
        # Its output is read to the end, so that a full pipe never blocks it.
        self._drains = [
            threading.Thread(target=_drain, args=(stream,), daemon=True)
            for stream in (process.stdout, process.stderr)
            if stream is not None
        ]
        for drain in self._drains:
            drain.start()

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server and wait for it to exit (idempotent; a few milliseconds)."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()  # the child stops on this alone; terminate to be quick
        if self.running:
            self.process.terminate()
        # A blocking wait: Popen.wait(timeout) polls in growing sleeps (~8 ms for a child
        # that exits in 1). One that ignores the terminate is killed after ``timeout``.
        killer = threading.Timer(timeout, self.process.kill)
        killer.start()
        try:
            self.process.wait()
        finally:
            killer.cancel()
        for drain in self._drains:
            drain.join(timeout)


def schedctl_command() -> list[str]:
    """How to run ``schedctl``: the packaged program beside this one, else this Python."""
    if getattr(sys, "frozen", False):  # the PyInstaller app ships both programs together
        suffix = ".exe" if sys.platform == "win32" else ""
        return [str(Path(sys.executable).with_name(f"schedctl{suffix}"))]
    return [sys.executable, "-c", _SCHEDCTL_CODE]


def start_process(timeout: float = 60.0) -> SandboxProcess:
    """Start the sandbox on a free loopback port; returns once it accepts connections.

    Raises:
        OSError: it could not start (its own message, when it gave one).
    """
    return wait_until_listening(spawn(), timeout)


def spawn() -> subprocess.Popen[str]:
    """Start the sandbox process; :func:`wait_until_listening` then waits for its URL (the
    caller may do other work meanwhile: the child needs about 0.2 s to seed and listen)."""
    command = [*schedctl_command(), "sandbox", "--port", "0", "--until-stdin-closes"]
    return subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def wait_until_listening(process: subprocess.Popen[str], timeout: float = 60.0) -> SandboxProcess:
    """The spawned sandbox, once it accepts connections (see :func:`start_process`)."""
    assert process.stdout is not None and process.stderr is not None
    timer = threading.Timer(timeout, process.kill)  # a child that hangs must not hang us
    timer.start()
    try:
        line = process.stdout.readline()
    finally:
        timer.cancel()
    if not line.startswith(READY):
        process.kill()
        with process.stdout, process.stderr:
            problem = (line + process.stderr.read()).strip().splitlines()
        if process.stdin is not None:
            process.stdin.close()
        process.wait()
        raise OSError(problem[-1] if problem else "the sandbox process ended at once")
    return SandboxProcess(process, line[len(READY) :].strip())


def _drain(stream: IO[str]) -> None:
    with stream:
        for _line in stream:
            pass
