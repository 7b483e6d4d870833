"""The one client factory honours every connection setting (against the sandbox)."""

from __future__ import annotations

from typing import Any

import pytest

from scheduler_gui.api.client import RequestRecord
from scheduler_gui.api.errors import LearningStudioError
from scheduler_gui.session.client import SettingsError, build_client
from scheduler_gui.session.login import IncompleteLoginError, Login
from scheduler_gui.store.settings import Settings

DEMO = "123456"


def prof(url: str) -> Login:
    return Login(url, client_string="sandbox", application_id="sandbox-app",
                 username="prof", password="prof")  # fmt: skip


def test_wire_format_and_retries_come_from_the_settings(sandbox: Any) -> None:
    sandbox.set_faults("retry_after=0,status503=4@GET:/itemschedules")
    seen: list[RequestRecord] = []
    with build_client(Settings(wire_format="xml", retries=4), prof(sandbox.url),
                      on_request=seen.append) as client:  # fmt: skip
        assert client.get_schedule(DEMO).course_id == DEMO
    schedule_gets = [r for r in seen if "itemschedules" in r.path.lower()]
    assert [r.status for r in schedule_gets] == [503, 503, 503, 503, 200]
    assert all(r.path.endswith(".xml") for r in schedule_gets)


def test_no_retries_when_the_settings_say_none(sandbox: Any) -> None:
    sandbox.set_faults("retry_after=0,status503=1@GET:/itemschedules")
    seen: list[RequestRecord] = []
    client = build_client(Settings(retries=0), prof(sandbox.url), on_request=seen.append)
    with client, pytest.raises(LearningStudioError):
        client.get_schedule(DEMO)
    assert [r.status for r in seen if "itemschedules" in r.path.lower()] == [503]


def test_format_option_wins_over_the_setting() -> None:
    client = build_client(Settings(wire_format="xml"), prof("http://127.0.0.1:9"),
                          wire_format_override="json")  # fmt: skip
    assert client.fmt == "json"
    client.close()


def test_an_unusable_saved_format_names_the_setting() -> None:
    with pytest.raises(SettingsError, match=r"wire_format 'yaml'.*use json or xml"):
        build_client(Settings(wire_format="yaml"), prof("http://127.0.0.1:9"))


def test_an_incomplete_login_names_what_is_missing() -> None:
    with pytest.raises(IncompleteLoginError, match="LS_USERNAME, LS_PASSWORD"):
        build_client(Settings(), Login("http://127.0.0.1:9", client_string="c",
                                       application_id="a"))  # fmt: skip
