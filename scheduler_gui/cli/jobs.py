"""How many courses a many-course command works on at once (``--jobs``, the setting)."""

from __future__ import annotations

import argparse
from typing import Any

from . import EXIT_USAGE, CliError


def jobs_of(args: argparse.Namespace) -> int:
    """``--jobs``, else the setting, else 4; at most 32."""
    from ..session.batch import DEFAULT_JOBS, MAX_JOBS

    jobs = getattr(args, "jobs", None)
    if jobs is None:
        from ..store.settings import load_settings

        jobs = load_settings().batch_jobs or DEFAULT_JOBS
    if not 1 <= jobs <= MAX_JOBS:
        raise CliError(f"--jobs must be 1 to {MAX_JOBS}, not {jobs}.", EXIT_USAGE)
    return int(jobs)


def make_throttle(args: argparse.Namespace, client: Any) -> Any:
    """A throttle of ``--jobs`` places, installed on ``client``."""
    from ..api.throttle import AdaptiveThrottle

    throttle = AdaptiveThrottle(jobs_of(args))
    client.throttle = throttle
    return throttle
