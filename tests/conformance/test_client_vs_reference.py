"""Our client (``scheduler_gui.api``) and ``schedctl`` against the independent reference
server, which knows only what the API pages and LEARNINGSTUDIO.md say."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

import httpx
import pytest

from scheduler_gui.api.activity import activity_feed, course_entry, end_ping
from scheduler_gui.api.auth import OAuth1CmacAuth, OAuth2AssertionAuth, OAuth2PasswordAuth
from scheduler_gui.api.client import NO_RETRY, LearningStudioClient
from scheduler_gui.api.errors import (
    AuthenticationError,
    ForbiddenError,
    NotFoundError,
    RejectedInputError,
)
from scheduler_gui.api.save import save_schedule
from scheduler_gui.core.model import Schedule
from tests.helpers import schedctl, schedctl_login

from . import reference_server as R  # noqa: N812
from .reference_server import RefServer

COURSE = str(R.COURSE_ID)


def password_auth(ref: RefServer, user: str = "prof") -> OAuth2PasswordAuth:
    return OAuth2PasswordAuth(ref.url, R.APP_ID, R.CLIENT_STRING, user, R.USERS[user].password)


@pytest.fixture
def client(ref: RefServer) -> Iterator[LearningStudioClient]:
    with LearningStudioClient(ref.url, password_auth(ref), retry=NO_RETRY) as c:
        yield c


@pytest.fixture
def xml_client(ref: RefServer) -> Iterator[LearningStudioClient]:
    with LearningStudioClient(ref.url, password_auth(ref), retry=NO_RETRY, fmt="xml") as c:
        yield c


def put_bodies(ref: RefServer) -> list[bytes]:
    return [r.body for r in ref.requests("itemschedules") if r.method == "PUT"]


def end_of_assignment(client: LearningStudioClient) -> datetime | None:
    return client.get_schedule(COURSE).get(7010).end  # type: ignore[union-attr]


# --------------------------------------------------------------------------- login


def test_password_login_sends_the_pages_form_and_header(
    ref: RefServer, client: LearningStudioClient
) -> None:
    client.get_schedule(COURSE)
    (token,) = ref.requests("/token")
    form = dict(parse_qsl(token.body.decode()))
    assert token.headers["content-type"] == "application/x-www-form-urlencoded"
    assert form == {
        "grant_type": "password",
        "client_id": R.APP_ID,
        "username": f"{R.CLIENT_STRING}\\prof",
        "password": R.USERS["prof"].password,
    }
    schedules = ref.requests("itemschedules")[0]
    assert schedules.headers["x-authorization"].startswith("Access_Token access_token=")
    assert "authorization" not in schedules.headers


def test_a_bearer_header_is_not_what_the_reference_accepts(ref: RefServer) -> None:
    form = {
        "grant_type": "password",
        "client_id": R.APP_ID,
        "username": f"{R.CLIENT_STRING}\\prof",
        "password": R.USERS["prof"].password,
    }
    token = httpx.post(f"{ref.url}/token", data=form).json()["access_token"]
    url = f"{ref.url}/courses/{COURSE}/itemSchedules"
    assert httpx.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    good = {"X-Authorization": f"Access_Token access_token={token}"}
    assert httpx.get(url, headers=good).status_code == 200


def test_wrong_password_is_an_authentication_error(ref: RefServer) -> None:
    auth = OAuth2PasswordAuth(ref.url, R.APP_ID, R.CLIENT_STRING, "prof", "nope")
    with (
        LearningStudioClient(ref.url, auth, retry=NO_RETRY) as c,
        pytest.raises(AuthenticationError),
    ):
        c.get_schedule(COURSE)


def test_expired_token_is_refreshed_once_with_the_refresh_grant(
    ref: RefServer, client: LearningStudioClient
) -> None:
    client.get_schedule(COURSE)
    ref.state.expire_tokens()
    schedule = client.get_schedule(COURSE)
    assert len(schedule) == len(ref.state.items)
    grants = [dict(parse_qsl(r.body.decode())) for r in ref.requests("/token")]
    assert [g["grant_type"] for g in grants] == ["password", "refresh_token"]
    assert grants[1]["client_id"] == R.APP_ID and set(grants[1]) == {
        "grant_type", "client_id", "refresh_token"}  # fmt: skip


def test_token_is_renewed_before_expires_in_runs_out(ref: RefServer) -> None:
    now = [1000.0]
    auth = OAuth2PasswordAuth(
        ref.url, R.APP_ID, R.CLIENT_STRING, "prof", R.USERS["prof"].password,
        clock=lambda: now[0],
    )  # fmt: skip
    with LearningStudioClient(ref.url, auth, retry=NO_RETRY) as c:
        c.get_schedule(COURSE, with_parents=False)
        now[0] += 3600  # expires_in has run out on the client's clock
        c.get_schedule(COURSE, with_parents=False)
    grants = [dict(parse_qsl(r.body.decode()))["grant_type"] for r in ref.requests("/token")]
    assert grants == ["password", "refresh_token"]
    assert not [r for r in ref.state.log if r.status == 401]  # renewed before, not after


def test_assertion_grant_logs_in_without_a_password(ref: RefServer) -> None:
    auth = OAuth2AssertionAuth(
        ref.url, R.APP_ID, R.APP_NAME, R.MONIKER, R.CLIENT_STRING, "prof", R.SECRET
    )
    with LearningStudioClient(ref.url, auth, retry=NO_RETRY) as c:
        assert len(c.get_schedule(COURSE)) == len(ref.state.items)
        ref.state.expire_tokens()  # no refresh token came back: a new assertion is sent
        assert len(c.get_schedule(COURSE)) == len(ref.state.items)
    grants = [dict(parse_qsl(r.body.decode())) for r in ref.requests("/token")]
    assert [g["grant_type"] for g in grants] == ["assertion", "assertion"]
    assert grants[0]["assertion_type"] == R.ASSERTION_TYPE


# --------------------------------------------------------------------------- reading


def test_get_schedule_by_id_reads_what_the_page_allows(
    ref: RefServer, client: LearningStudioClient
) -> None:
    schedule = client.get_schedule(COURSE)
    assert schedule.course_id == COURSE
    assert [i.item_id for i in schedule.items] == [i.item_id for i in ref.state.items]
    assignment, unit2, quiz = schedule.get(7010), schedule.get(7002), schedule.get(100123456789)
    assert assignment is not None and unit2 is not None and quiz is not None
    assert not assignment.is_inherited and not unit2.is_inherited  # isInherited left out
    assert assignment.due_key == "dueDate" and quiz.due_key == "dueDateTime"
    assert quiz.due == datetime(2026, 2, 16, 6, 59, tzinfo=UTC)
    assert schedule.get(7001).is_inherited  # type: ignore[union-attr]
    assert unit2.title == "Unit 2: Q&A <live>"


def test_fractional_seconds_read_and_nothing_to_save_sends_nothing(
    ref: RefServer, client: LearningStudioClient, tmp_path: Path
) -> None:
    base = client.get_schedule(COURSE)
    assert base.get(7003).start == datetime(2026, 1, 12, 7, tzinfo=UTC)  # type: ignore[union-attr]
    report = save_schedule(client, COURSE, base=base, edited=base, backup=lambda s: tmp_path)
    assert report.nothing_to_save and put_bodies(ref) == []


def test_xml_by_call_number(ref: RefServer, xml_client: LearningStudioClient) -> None:
    schedule = xml_client.get_schedule(f"ccn={R.CALL_NUMBER}")
    assert schedule.course_id == COURSE and len(schedule) == len(ref.state.items)
    assert ref.requests("itemschedules")[0].path.endswith(".xml")


def test_get_schedule_by_call_number_without_hierarchy_routes(
    ref: RefServer, client: LearningStudioClient
) -> None:
    schedule = client.get_schedule(f"ccn={R.CALL_NUMBER}")
    assert schedule.course_id == COURSE  # from the items' links
    assert client.resolve_course_id(f"ccn={R.CALL_NUMBER}") == COURSE
    misses = [r for r in ref.state.log if r.status == 404]
    assert all("itemhierarchy" in r.path.lower() or "ccn=" in r.path for r in misses)


def test_student_is_refused_and_unknown_course_is_not_found(ref: RefServer) -> None:
    student = LearningStudioClient(ref.url, password_auth(ref, "student"), retry=NO_RETRY)
    with student, pytest.raises(ForbiddenError):  # an HTML error body
        student.get_schedule(COURSE)
    prof = LearningStudioClient(ref.url, password_auth(ref), retry=NO_RETRY)
    with prof, pytest.raises(NotFoundError):  # an empty error body
        prof.get_schedule("9999999")


# --------------------------------------------------------------------------- saving


def edit(schedule: Schedule) -> Schedule:
    assignment = schedule.get(7010)
    assert assignment is not None
    return schedule.with_items(
        [assignment.with_dates(end=datetime(2026, 1, 27, 6, 59, tzinfo=UTC))]
    )


def check_put_shape(body: dict[str, Any]) -> None:
    """The PUT body is exactly the page's shape: every item once, no GET-only keys."""
    entries = body["itemSchedules"]
    assert [e["itemId"] for e in entries] == [i.item_id for i in R.seed_items()]
    for entry in entries:
        assert set(entry) == {"itemId", "schedule"}
        assert set(entry["schedule"]) <= {"accessSchedule", "dueDate", "dueDateTime"}
        assert set(entry["schedule"]["accessSchedule"]) <= R.ACCESS_KEYS


def test_save_pipeline_backs_up_puts_once_and_verifies(
    ref: RefServer, client: LearningStudioClient, tmp_path: Path
) -> None:
    base = client.get_schedule(COURSE)
    backups: list[Schedule] = []

    def backup(schedule: Schedule) -> Path:
        backups.append(schedule)
        return tmp_path / "backup.json"

    report = save_schedule(client, COURSE, base=base, edited=edit(base), backup=backup)
    assert report.changed_items == 1 and not report.nothing_to_save
    assert backups and backups[0].get(7010).end == base.get(7010).end  # type: ignore[union-attr]
    (body,) = put_bodies(ref)
    document = json.loads(body)
    check_put_shape(document)
    by_id = {e["itemId"]: e["schedule"]["accessSchedule"] for e in document["itemSchedules"]}
    for inherited in (200987654321, 7001, 7005):  # untouched inherited items: no dates
        assert "startDateTime" not in by_id[inherited] and "endDateTime" not in by_id[inherited]
    assert by_id[7010]["endDateTime"] == "2026-01-27T06:59:00Z"
    stored = {i.item_id: i for i in ref.state.items}
    assert stored[7001].start is None and stored[7005].end is None  # still inheriting
    assert stored[7010].end == "2026-01-27T06:59:00Z" and stored[7010].due_key == "dueDate"
    assert stored[100123456789].due_key == "dueDateTime"
    assert end_of_assignment(client) == datetime(2026, 1, 27, 6, 59, tzinfo=UTC)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_removing_a_due_date_is_sent_explicitly(ref: RefServer, fmt: str, tmp_path: Path) -> None:
    """Leaving the due key out of a PUT means "unchanged" (the page's PUT shows none), so
    a removed due date is sent as null / an empty element, and only for that item."""
    with LearningStudioClient(ref.url, password_auth(ref), retry=NO_RETRY, fmt=fmt) as client:
        base = client.get_schedule(COURSE)
        quiz = base.get(100123456789)
        assert quiz is not None and quiz.due is not None
        edited = base.with_items([quiz.with_dates(due=None)])
        save_schedule(client, COURSE, base=base, edited=edited, backup=lambda s: tmp_path)
    stored = {i.item_id: i for i in ref.state.items}
    assert stored[100123456789].due is None
    assert stored[7010].due == "2026-01-26T06:59:00Z"  # untouched, still there
    (body,) = put_bodies(ref)
    if fmt == "json":
        entries = {e["itemId"]: e["schedule"] for e in json.loads(body)["itemSchedules"]}
        assert entries[100123456789]["dueDateTime"] is None
        assert [k for k, e in entries.items() if None in e.values()] == [100123456789]
    else:
        assert body.count(b"<dueDateTime/>") == 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_server_sending_both_due_names_gets_both_back_in_step(
    ref: RefServer, fmt: str, tmp_path: Path
) -> None:
    new_due = datetime(2026, 4, 26, 6, 59, tzinfo=UTC)
    with LearningStudioClient(ref.url, password_auth(ref), retry=NO_RETRY, fmt=fmt) as client:
        base = client.get_schedule(COURSE)
        exam = base.get(7030)
        assert exam is not None and exam.due == datetime(2026, 4, 27, 6, 59, tzinfo=UTC)
        edited = base.with_items([exam.with_dates(due=new_due)])
        save_schedule(client, COURSE, base=base, edited=edited, backup=lambda s: tmp_path)
        assert client.get_schedule(COURSE).get(7030).due == new_due  # type: ignore[union-attr]
    (body,) = put_bodies(ref)
    for key in (b"dueDate", b"dueDateTime"):
        sent = [b'"%s":"2026-04-26T06:59:00Z"' % key, b"<%s>2026-04-26T06:59:00Z</%s>" % (key, key)]
        assert any(form in body for form in sent), key


def test_save_by_call_number_puts_to_the_numeric_id(
    ref: RefServer, client: LearningStudioClient, tmp_path: Path
) -> None:
    base = client.get_schedule(f"ccn={R.CALL_NUMBER}")
    save_schedule(
        client, f"ccn={R.CALL_NUMBER}", base=base, edited=edit(base),
        backup=lambda s: tmp_path / "b.json",
    )  # fmt: skip
    (put,) = [r for r in ref.state.log if r.method == "PUT"]
    assert put.path.startswith(f"/courses/{COURSE}/") and put.status == 204


def test_xml_mode_reads_and_saves_xml(
    ref: RefServer, xml_client: LearningStudioClient, tmp_path: Path
) -> None:
    base = xml_client.get_schedule(COURSE)
    assert base.get(7002).title == "Unit 2: Q&A <live>"  # type: ignore[union-attr]
    assert not base.get(7010).is_inherited  # type: ignore[union-attr]
    save_schedule(xml_client, COURSE, base=base, edited=edit(base), backup=lambda s: tmp_path)
    (body,) = put_bodies(ref)
    assert body.startswith(b"<?xml") and b"<itemSchedules><itemSchedule><itemId>" in body
    (put,) = [r for r in ref.state.log if r.method == "PUT"]
    assert put.path.endswith(".xml") and put.status == 204
    assert put.headers["content-type"].startswith("application/xml")
    assert {i.item_id: i for i in ref.state.items}[7010].end == "2026-01-27T06:59:00Z"


def test_a_partial_put_is_refused_with_a_readable_message_and_changes_nothing(
    ref: RefServer, client: LearningStudioClient
) -> None:
    schedule = client.get_schedule(COURSE)
    partial = Schedule(COURSE, schedule.items[:3])
    with pytest.raises(RejectedInputError) as caught:  # a text/plain error body
        client.put_schedule(COURSE, partial)
    assert "every item must be sent" in caught.value.server_message
    assert ref.state.puts == 0


def test_an_xml_error_body_is_read(ref: RefServer, xml_client: LearningStudioClient) -> None:
    schedule = xml_client.get_schedule(COURSE)
    with pytest.raises(RejectedInputError) as caught:
        xml_client.put_schedule(COURSE, Schedule(COURSE, schedule.items[1:]))
    assert "every item must be sent" in caught.value.server_message
    assert caught.value.error_id == "REF-400" and ref.state.puts == 0


# --------------------------------------------------------------------------- OAuth 1


@pytest.fixture
def oauth1_client(ref: RefServer) -> Iterator[LearningStudioClient]:
    auth = OAuth1CmacAuth(R.MONIKER, R.APP_ID, R.SECRET)
    with LearningStudioClient(ref.url, auth, retry=NO_RETRY) as c:
        yield c


def test_oauth1_get_put_and_feed(
    ref: RefServer, oauth1_client: LearningStudioClient, tmp_path: Path
) -> None:
    base = oauth1_client.get_schedule(f"ccn={R.CALL_NUMBER}")
    save_schedule(oauth1_client, COURSE, base=base, edited=edit(base), backup=lambda s: tmp_path)
    assert ref.state.puts == 1
    entries = activity_feed(
        oauth1_client, user=4200, course_ids=[COURSE], types=["dropbox-submission", "thread-post"],
        after="2026-02-01T00:00:00Z",
    )  # fmt: skip
    assert [e.object_type for e in entries] == ["dropbox-submission", "thread-post"]
    header = ref.requests("itemschedules")[0].headers["x-authorization"]
    assert header.startswith('OAuth realm="') and "oauth_token" not in header
    assert "oauth_version" not in header


def test_oauth1_feed_by_loginid_and_course_entry(
    ref: RefServer, oauth1_client: LearningStudioClient
) -> None:
    entries = activity_feed(
        oauth1_client, user=f"loginid={R.CLIENT_STRING}|student", course_ids=[COURSE]
    )
    assert len(entries) == 2
    (feed,) = ref.requests("lastactivityfeed")
    assert feed.raw_path == f"/users/loginid={R.CLIENT_STRING}|student/lastactivityfeed.json"
    url = course_entry(oauth1_client, COURSE, user=4100, exit_url="http://example.edu/x")
    assert url.startswith("https://entry.example.invalid/")
    ref.state.clocks.add((4100, R.COURSE_ID, 7001))
    assert end_ping(oauth1_client, COURSE, 7001, user=4100) is True


def test_oauth1_header_values_are_url_encoded_as_the_page_says(
    ref: RefServer, oauth1_client: LearningStudioClient
) -> None:
    """LEARNINGSTUDIO.md: every value but realm url-encoded form style (``+`` as ``%2B``)."""
    oauth1_client.get_schedule(COURSE)
    for request in ref.requests("itemschedules"):
        header = request.headers["x-authorization"]
        signature = header.rsplit('oauth_signature="', 1)[1].rstrip('"')
        assert signature.endswith("%3D%3D") and not set("+/=") & set(signature)
        assert len(unquote_plus(signature)) == 24


# --------------------------------------------------------------------------- activity


def test_course_entry_sends_the_example_body_and_decodes_amp(
    ref: RefServer, client: LearningStudioClient, xml_client: LearningStudioClient
) -> None:
    url = course_entry(
        client, COURSE, exit_url="http://example.edu/return", logout_url="http://example.edu/out"
    )
    assert "&redirectUrl=home&" in url and "returnUrl=http%3A%2F%2Fexample.edu%2Freturn" in url
    sent = ref.requests("courseentry")[0]
    assert json.loads(sent.body) == {
        "courseEntry": {
            "exitUrl": "http://example.edu/return",
            "logoutUrl": "http://example.edu/out",
        }
    }
    xml_url = course_entry(xml_client, COURSE, exit_url="http://example.edu/return")
    assert "&amp;" not in xml_url and "&createNewCookie=true&" in xml_url
    ref.state.xml_double_escape = False
    assert "&amp;" not in course_entry(xml_client, COURSE)


def test_activity_feed_asks_for_v2_first_and_reads_the_pages_shape(
    ref: RefServer, client: LearningStudioClient, xml_client: LearningStudioClient
) -> None:
    mine = activity_feed(client)
    assert [e.object_type for e in mine] == ["grade"]
    request = ref.requests("lastactivityfeed")[-1]
    assert request.query.startswith("v=2") and request.path == "/me/lastactivityfeed.json"
    student = activity_feed(client, user=4200, course_ids=[COURSE])
    assert [e.summary for e in student] == ["Here is my submission.", "Re: week 1 & more"]
    assert student[0].actor_role == "STUD" and student[0].course_id == COURSE
    with pytest.raises(ForbiddenError):  # the student has a course the professor lacks
        activity_feed(client, user=4200)
    xml = activity_feed(xml_client, user=f"loginid={R.CLIENT_STRING}|student", course_ids=[COURSE])
    assert [e.summary for e in xml] == [e.summary for e in student]
    assert xml[0].posted == datetime(2026, 2, 24, 21, 16, 17, tzinfo=UTC)


def test_endping_stops_a_running_clock_and_tolerates_none(
    ref: RefServer, client: LearningStudioClient
) -> None:
    ref.state.clocks.add((4100, R.COURSE_ID, 7010))
    assert end_ping(client, COURSE, 7010) is True
    (ping,) = ref.requests("endping")
    assert ping.path == f"/me/courses/{COURSE}/items/7010/activity/endping.json"
    assert ping.body == b"" and ping.status == 204 and ping.query == ""
    assert end_ping(client, COURSE, 7010) is False  # no clock any more: 400


# --------------------------------------------------------------------------- schedctl


@pytest.fixture
def cli_env(ref: RefServer, monkeypatch: pytest.MonkeyPatch) -> None:
    password = R.USERS["prof"].password
    schedctl_login(
        monkeypatch,
        ref.url,
        "prof",
        password,
        client_string=R.CLIENT_STRING,
        app_id=R.APP_ID,
        retries=0,
    )


def test_schedctl_get_diff_put_against_the_reference(
    ref: RefServer, cli_env: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = schedctl(capsys, "get", f"ccn={R.CALL_NUMBER}")
    assert code == 0, err
    document = json.loads(out)
    original = tmp_path / "original.json"
    original.write_text(out)
    for entry in document["itemSchedules"]:
        if entry["itemId"] == 7010:
            entry["schedule"]["accessSchedule"]["endDateTime"] = "2026-01-28T06:59:00Z"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document))
    code, out, err = schedctl(capsys, "diff", COURSE, str(edited))
    assert code == 0 and "Assignment 1" in out + err
    code, out, err = schedctl(capsys, "--yes", "put", COURSE, str(edited), "--base", str(original))
    assert code == 0, err
    check_put_shape(json.loads(put_bodies(ref)[0]))
    stored = {i.item_id: i for i in ref.state.items}
    assert stored[7010].end == "2026-01-28T06:59:00Z" and stored[7001].start is None
    code, out, err = schedctl(capsys, "get", COURSE)
    assert code == 0 and '"2026-01-28T06:59:00Z"' in out


def test_schedctl_open_activity_endping_against_the_reference(
    ref: RefServer, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = schedctl(
        capsys, "open", f"ccn={R.CALL_NUMBER}", "--print", "--exit-url", "http://example.edu/r"
    )
    assert code == 0, err
    assert out.strip().startswith("https://entry.example.invalid/") and "&amp;" not in out
    code, out, err = schedctl(
        capsys, "--format", "xml", "open", COURSE, "--print", "--exit-url", "http://example.edu/r"
    )
    assert code == 0 and "&amp;" not in out and "&createNewCookie=true&" in out, err
    code, out, err = schedctl(capsys, "activity", "--user", "4200", "--course", COURSE, "--json")
    assert code == 0, err
    assert "Here is my submission." in out and "Nice work" not in out
    ref.state.clocks.add((4100, R.COURSE_ID, 7010))
    code, out, err = schedctl(capsys, "endping", COURSE, "7010")
    assert code == 0, err
    assert ref.requests("endping")[-1].status == 204
