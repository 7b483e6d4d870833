"""Network work off the GUI thread: a QRunnable per job, results back through signals.

A job is a plain function ``fn(progress, cancelled) -> result``. It runs on the global
``QThreadPool``; ``progress(text, done, total)`` and the final result or exception reach
the GUI thread as queued signals, so slots may touch widgets. Cancelling sets a flag the
job checks between steps (the save pipeline does so between its stages).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
CancelledFn = Callable[[], bool]
JobFn = Callable[[ProgressFn, CancelledFn], Any]


class JobSignals(QObject):
    """Signals of one job; they live in the GUI thread, so emits from the pool queue."""

    progress = Signal(str, int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    #: Emitted last, after ``succeeded`` or ``failed``.
    finished = Signal()


class Job(QRunnable):
    """One background job. Keep the object (or use :func:`start_job`) until ``finished``."""

    def __init__(self, fn: JobFn, name: str = "job") -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.name = name
        self.signals = JobSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop at its next checkpoint."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit, self._cancel.is_set)
        except BaseException as exc:  # reported to the GUI, never lost in a thread
            log.info("%s failed: %s", self.name, exc, exc_info=not _expected(exc))
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)
        self.signals.finished.emit()


def _expected(exc: BaseException) -> bool:
    """Errors with an exit code are the API's typed errors: no traceback needed."""
    return hasattr(exc, "exit_code")


_running: set[Job] = set()


def start_job(
    fn: JobFn,
    *,
    name: str = "job",
    owner: QObject | None = None,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> Job:
    """Run ``fn`` on the thread pool and deliver its outcome to the given GUI callbacks.

    The job's signals live until the job ends, however long its owner does. Callbacks
    that are lambdas over a widget name that widget as ``owner``: once Qt has deleted it,
    the outcome is dropped instead of reaching a dead object ("Internal C++ object
    already deleted"). Bound methods of a QObject need no owner: Qt disconnects them.
    """
    job = Job(fn, name)
    callbacks = (
        (job.signals.progress, on_progress),
        (job.signals.succeeded, on_success),
        (job.signals.failed, on_failure),
    )
    for signal, callback in callbacks:
        if callback is not None:
            signal.connect(callback if owner is None else _while_alive(owner, callback))
    _running.add(job)
    job.signals.finished.connect(lambda: _running.discard(job))
    QThreadPool.globalInstance().start(job)
    return job


def _while_alive(owner: QObject, callback: Callable[..., None]) -> Callable[..., None]:
    def deliver(*args: Any) -> None:
        if shiboken6.isValid(owner):
            callback(*args)

    return deliver


def running_jobs() -> int:
    """How many jobs have not delivered their outcome yet (for shutdown and tests)."""
    return len(_running)


def spare_from_collector() -> None:
    """Keep the objects alive now (the course just loaded or saved) out of future GC scans.

    A 10,000-item course is ~100,000 long-lived objects. Each full pass of the cycle
    collector scans them all, holding the GIL for 0.2-0.3 s wherever it happens to run
    (in a save's worker it froze the window). They are freed by reference counting when
    replaced, like any object; only garbage cycles among them would outlive the session.
    """
    gc.freeze()
