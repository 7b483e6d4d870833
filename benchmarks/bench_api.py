"""Load and save of a 10,000-item course over HTTP, against raw ``httpx`` floors.

The sandbox runs in another process (see ``benchmarks/__main__.py``), so its work does
not share this process's GIL. Each ``bench_*`` function does one run and returns seconds.

- load: a fresh :class:`LearningStudioClient` (token request included) and
  ``get_schedule``; the floor is ``httpx.get`` + ``json.loads`` of the same URL with a
  token fetched beforehand (so the floor is stricter than the stage it measures).
- save: :func:`save_schedule` (validate, GET, backup, one PUT with the after-save
  snapshot written meanwhile, verify GET); the floor is
  raw GET + PUT of the same body + GET, each answer decoded with ``json.loads``. Timed
  twice: after the client loaded the course (the editor) and with nothing loaded before
  (``schedctl put``).
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx

from scheduler_gui.api.auth import OAuth2PasswordAuth
from scheduler_gui.api.client import LearningStudioClient
from scheduler_gui.api.save import save_schedule
from scheduler_gui.core import codec
from scheduler_gui.core.model import Schedule
from scheduler_gui.store.backups import BackupStore

COURSE = "900000"
USER = "prof"


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def client_for(url: str) -> LearningStudioClient:
    """A client logged in as the sandbox's professor, as the login dialog builds it."""
    return LearningStudioClient(url, OAuth2PasswordAuth(url, "sandbox-app", "sandbox", USER, USER))


def raw_token(url: str) -> dict[str, str]:
    """The ``Authorization`` header of a fresh password-grant token."""
    response = httpx.post(
        f"{url}/token",
        data={
            "grant_type": "password",
            "client_id": "sandbox-app",
            "username": f"sandbox\\{USER}",
            "password": USER,
        },
    )
    response.raise_for_status()
    return {"X-Authorization": f"Access_Token access_token={response.json()['access_token']}"}


@dataclass
class ApiBench:
    """One sandbox, the routes of course 900000, a token for the floors."""

    url: str
    headers: dict[str, str] = field(init=False)
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.headers = raw_token(self.url)
        self.http = httpx.Client(headers=self.headers, timeout=120)

    def route(self, name: str) -> str:
        return f"{self.url}/courses/{COURSE}/{name}.json"

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------------ load

    def load(self, *, with_parents: bool = False) -> float:
        def run() -> Schedule:
            with client_for(self.url) as client:
                return client.get_schedule(COURSE, with_parents=with_parents)

        return _timed(run)

    def load_floor(self, *, with_parents: bool = False) -> float:
        def run() -> None:
            json.loads(httpx.get(self.route("itemSchedules"), headers=self.headers).content)
            if with_parents:
                json.loads(httpx.get(self.route("itemHierarchy"), headers=self.headers).content)

        return _timed(run)

    def schedule(self) -> Schedule:
        with client_for(self.url) as client:
            return client.get_schedule(COURSE)

    # ------------------------------------------------------------------ save


@dataclass
class SaveBench:
    """Saves that each change the due date of every tenth item (1,000 changed items)."""

    api: ApiBench
    base: Schedule
    round: int = 0
    backups: BackupStore = field(
        default_factory=lambda: BackupStore(Path(tempfile.mkdtemp(prefix="bench-backups-")))
    )

    def edited(self) -> Schedule:
        self.round += 1
        step = timedelta(minutes=self.round)
        changed = [
            item.with_dates(end=item.end + step)
            for item in self.base.items[::10]
            if item.end is not None and not item.is_inherited
        ]
        return self.base.with_items(changed)

    def save(self, *, loaded: bool = True) -> float:
        """One save. ``loaded``: the client loaded the course before, as the editor has
        (a save's first GET then returns the body it parsed already); else it only
        logged in, as ``schedctl put`` does. Either way the login is outside the timing."""
        edited = self.edited()
        with client_for(self.api.url) as client:
            if loaded:
                client.get_schedule(COURSE, with_parents=False)
            else:
                client.me()
            started = time.perf_counter()
            report = save_schedule(
                client,
                COURSE,
                base=self.base,
                edited=edited,
                backup=self.backups,
                snapshot=self.backups.write_after,  # as the app and schedctl save
            )
            seconds = time.perf_counter() - started
        assert report.changed_items > 0, report.message
        self.base = report.schedule
        return seconds

    def save_floor(self) -> float:
        body = codec.dump_put(self.edited(), "json")  # built outside the timing
        http, route = self.api.http, self.api.route("itemSchedules")

        def run() -> None:
            json.loads(http.get(route).content)
            http.put(
                route, content=body, headers={"Content-Type": "application/json"}
            ).raise_for_status()
            json.loads(http.get(route).content)

        seconds = _timed(run)
        self.base = self.api.schedule()  # the server changed: the next save starts here
        return seconds
