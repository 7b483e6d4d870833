"""The client and the save pipeline against the real sandbox over loopback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from scheduler_gui.api.auth import OAuth1CmacAuth, OAuth2AssertionAuth, OAuth2PasswordAuth
from scheduler_gui.api.client import NO_RETRY, LearningStudioClient, RequestRecord, RetryPolicy
from scheduler_gui.api.errors import AuthenticationError, RateLimitedError, ServerError
from scheduler_gui.api.save import (
    BackupFailedError,
    SaveConflictError,
    SaveNotAppliedError,
    VerificationFailedError,
    save_schedule,
)
from scheduler_gui.core.model import Schedule
from scheduler_gui.sandbox import facts
from scheduler_gui.store.backups import BackupStore

COURSE = str(facts.DEMO_COURSE_ID)


class Recording(httpx.HTTPTransport):
    """A real loopback transport that keeps every request it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return super().handle_request(request)

    def puts(self) -> list[httpx.Request]:
        return [r for r in self.sent if r.method == "PUT"]


def password_auth(sandbox: Any, user: str = "prof") -> OAuth2PasswordAuth:
    return OAuth2PasswordAuth(sandbox.url, facts.APPLICATION_ID, facts.CLIENT_STRING, user, user)


def oauth1_auth() -> OAuth1CmacAuth:
    return OAuth1CmacAuth(facts.TOKEN_KEY_MONIKER, facts.APPLICATION_ID, facts.SHARED_SECRET)


def make_client(
    sandbox: Any,
    auth: httpx.Auth | None = None,
    *,
    retry: RetryPolicy | None = None,
    fmt: str = "json",
    sleeps: list[float] | None = None,
    transport: Recording | None = None,
    log: list[RequestRecord] | None = None,
) -> LearningStudioClient:
    waits = sleeps if sleeps is not None else []
    return LearningStudioClient(
        sandbox.url,
        auth or password_auth(sandbox),
        retry=retry or RetryPolicy(attempts=4, base_delay=0.01, max_total=5.0),
        fmt=fmt,
        transport=transport,
        sleep=waits.append,  # record the waits, do not really wait
        on_request=log.append if log is not None else None,
    )


def edit_one(schedule: Schedule, days: int = 2) -> tuple[Schedule, int]:
    from datetime import timedelta

    item = next(i for i in schedule.items[1:] if not i.is_inherited and i.end is not None)
    assert item.end is not None
    return schedule.with_items([item.with_dates(end=item.end + timedelta(days=days))]), item.item_id


@pytest.fixture
def backups(tmp_path: Path) -> BackupStore:
    return BackupStore(tmp_path / "backups")


def test_password_grant_loads_schedules_with_parents(sandbox: Any) -> None:
    with make_client(sandbox) as client:
        schedule = client.get_schedule(COURSE)
        by_ccn = client.get_schedule(f"ccn={facts.DEMO_CALL_NUMBER}")
        assert client.me()["userName"] == "prof"
    assert len(schedule) > 50 and by_ccn.course_id == COURSE
    assert sum(1 for item in schedule if item.parent_id is not None) > 10
    parent_ids = {i.parent_id for i in schedule if i.parent_id is not None}
    assert parent_ids <= set(schedule.by_id)


def test_oauth1_reads_and_writes_with_signed_bodies(sandbox: Any, backups: BackupStore) -> None:
    with make_client(sandbox, oauth1_auth()) as client:
        base = client.get_schedule(COURSE)
        edited, _ = edit_one(base)
        report = save_schedule(client, COURSE, base=base, edited=edited, backup=backups)
    assert report.changed_items == 1


def test_oauth1_and_xml_together(sandbox: Any, backups: BackupStore) -> None:
    with make_client(sandbox, oauth1_auth(), fmt="xml") as client:
        base = client.get_schedule(COURSE)
        edited, item_id = edit_one(base, 3)
        report = save_schedule(client, COURSE, base=base, edited=edited, backup=backups)
        assert client.get_schedule(COURSE).get(item_id) == report.schedule.get(item_id)


def test_a_wrong_oauth1_secret_is_refused(sandbox: Any) -> None:
    auth = OAuth1CmacAuth(facts.TOKEN_KEY_MONIKER, facts.APPLICATION_ID, "f" * 32)
    with make_client(sandbox, auth) as client, pytest.raises(AuthenticationError):
        client.get_schedule(COURSE)


def test_assertion_grant(sandbox: Any) -> None:
    auth = OAuth2AssertionAuth(
        sandbox.url,
        facts.APPLICATION_ID,
        facts.APPLICATION_NAME,
        facts.TOKEN_KEY_MONIKER,
        facts.CLIENT_STRING,
        "prof",
        facts.SHARED_SECRET,
    )
    with make_client(sandbox, auth) as client:
        assert len(client.get_schedule(COURSE)) > 50
    assert auth.token is not None and auth.token.refresh_token is None


def test_token_refresh_after_expiry_mid_session(sandbox: Any) -> None:
    auth = password_auth(sandbox)
    log: list[RequestRecord] = []
    with make_client(sandbox, auth, log=log) as client:
        client.get_schedule(COURSE, with_parents=False)
        first = auth.token
        sandbox.expire_tokens()  # the server says 401 now
        assert len(client.get_schedule(COURSE, with_parents=False)) > 50
        assert auth.token != first
        sandbox.set_token_ttl(1)  # short-lived tokens are renewed before they run out
        auth.expire_now()
        client.get_schedule(COURSE, with_parents=False)
    statuses = [(r.path, r.status) for r in log]
    assert ("/token", 200) in statuses and (
        f"/courses/{COURSE}/itemSchedules.json",
        401,
    ) in statuses
    assert statuses[-1] == (f"/courses/{COURSE}/itemSchedules.json", 200)


def test_retry_after_429_and_503(sandbox: Any) -> None:
    sandbox.set_faults("status429=1@GET,status503=1@GET,retry_after=3")
    sleeps: list[float] = []
    with make_client(sandbox, sleeps=sleeps) as client:
        assert len(client.get_schedule(COURSE, with_parents=False)) > 50
    assert sleeps[0] == 3.0 and len(sleeps) == 2  # Retry-After honoured, then backoff


def test_error_storms_end_in_a_clear_error_after_bounded_retries(sandbox: Any) -> None:
    sandbox.set_faults("status503=20@GET")
    sleeps: list[float] = []
    log: list[RequestRecord] = []
    with make_client(sandbox, sleeps=sleeps, log=log) as client, pytest.raises(ServerError):
        client.get_schedule(COURSE)
    assert len(sleeps) == 3 and sum(1 for r in log if r.status == 503) == 4
    sandbox.set_faults("status429=20@GET,retry_after=120")
    with make_client(sandbox, sleeps=sleeps) as client, pytest.raises(RateLimitedError):
        client.get_schedule(COURSE)


def test_conflict_detected_when_someone_else_changed_the_course(
    sandbox: Any, backups: BackupStore
) -> None:
    transport = Recording()
    with make_client(sandbox, transport=transport) as client:
        base = client.get_schedule(COURSE)
        sandbox.touch(COURSE)
        edited, _ = edit_one(base)
        with pytest.raises(SaveConflictError) as caught:
            save_schedule(client, COURSE, base=base, edited=edited, backup=backups)
        assert caught.value.remote_changes is not None and len(caught.value.remote_changes) == 1
        assert transport.puts() == []
        # The same edit merges cleanly when it does not overlap the other change.
        report = save_schedule(client, COURSE, base=base, edited=edited, backup=backups, merge=True)
    assert report.merged and len(transport.puts()) == 1


class TouchAfterPut:
    """A client whose PUT is followed at once by someone else's change on the server."""

    def __init__(self, client: LearningStudioClient, sandbox: Any) -> None:
        self.client, self.sandbox = client, sandbox

    def get_schedule(self, course: str | int, *, with_parents: bool = True) -> Schedule:
        return self.client.get_schedule(course, with_parents=with_parents)

    def put_body(self, schedule: Schedule, *, previous: Schedule | None = None) -> bytes:
        return self.client.put_body(schedule, previous=previous)

    def put_schedule(
        self,
        course_id: str | int,
        schedule: Schedule,
        *,
        previous: Schedule | None = None,
        body: bytes | None = None,
    ) -> None:
        self.client.put_schedule(course_id, schedule, previous=previous, body=body)
        self.sandbox.touch(COURSE)


def test_a_put_whose_verification_fails_is_not_reported_as_saved(
    sandbox: Any, backups: BackupStore
) -> None:
    with make_client(sandbox) as client:
        base = client.get_schedule(COURSE)
        edited, _ = edit_one(base)
        with pytest.raises(VerificationFailedError) as caught:
            save_schedule(
                TouchAfterPut(client, sandbox), COURSE, base=base, edited=edited, backup=backups
            )
    assert caught.value.backup_path is not None and caught.value.backup_path.is_file()
    assert "did not store" in str(caught.value)


def test_dropped_connection_during_put(sandbox: Any, backups: BackupStore) -> None:
    sandbox.set_faults("drop=1@PUT")
    with make_client(sandbox, retry=NO_RETRY) as client:
        base = client.get_schedule(COURSE)
        edited, _ = edit_one(base)
        with pytest.raises(SaveNotAppliedError, match="nothing changed"):
            save_schedule(client, COURSE, base=base, edited=edited, backup=backups)
        assert client.get_schedule(COURSE) == base
    # With retries on, the idempotent full-set PUT is simply sent again.
    sandbox.set_faults("drop=1@PUT")
    transport = Recording()
    with make_client(sandbox, transport=transport) as client:
        report = save_schedule(client, COURSE, base=base, edited=edited, backup=backups)
        assert client.get_schedule(COURSE) == report.schedule
    assert len(transport.puts()) == 2 and report.changed_items == 1


def test_unwritable_backup_dir_means_no_put(sandbox: Any, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("in the way")
    transport = Recording()
    with make_client(sandbox, transport=transport) as client:
        base = client.get_schedule(COURSE)
        edited, _ = edit_one(base)
        with pytest.raises(BackupFailedError, match="Nothing was saved"):
            save_schedule(
                client,
                COURSE,
                base=base,
                edited=edited,
                backup=BackupStore(tmp_path / "file" / "backups"),
            )
        assert client.get_schedule(COURSE) == base
    assert transport.puts() == []


def test_restore_from_backup(sandbox: Any, backups: BackupStore) -> None:
    with make_client(sandbox) as client:
        original = client.get_schedule(COURSE)
        edited, _ = edit_one(original, 5)
        report = save_schedule(client, COURSE, base=original, edited=edited, backup=backups)
        assert report.backup_path is not None
        _info, saved = backups.load(report.backup_path)
        restored = save_schedule(client, COURSE, base=report.schedule, edited=saved, backup=backups)
        assert client.get_schedule(COURSE) == original
    assert restored.changed_items == 1 and len(backups.for_course(COURSE)) == 2


def test_unchanged_inherited_items_are_sent_without_dates(
    sandbox: Any, backups: BackupStore
) -> None:
    transport = Recording()
    with make_client(sandbox, transport=transport) as client:
        base = client.get_schedule(COURSE)
        edited, _ = edit_one(base)
        save_schedule(client, COURSE, base=base, edited=edited, backup=backups)
    (put,) = transport.puts()
    sent = json.loads(put.content)["itemSchedules"]
    assert len(sent) == len(base)
    inherited = {i.item_id for i in base if i.is_inherited}
    assert inherited
    for entry in sent:
        access = entry["schedule"]["accessSchedule"]
        has_dates = "startDateTime" in access or "endDateTime" in access
        assert has_dates != (entry["itemId"] in inherited)


def test_a_student_may_not_read_schedules(sandbox: Any) -> None:
    from scheduler_gui.api.errors import ForbiddenError

    with (
        make_client(sandbox, password_auth(sandbox, "student")) as client,
        pytest.raises(ForbiddenError) as caught,
    ):
        client.get_schedule(COURSE)
    assert caught.value.exit_code == 3 and caught.value.status == 403
