"""The activity clock's rules, with recorded pings and an injected clock (no waiting)."""

from __future__ import annotations

import threading

import pytest

from scheduler_gui.api.clock import (
    DEFAULT_IDLE_TIMEOUT,
    REFRESH_AFTER,
    ActivityClock,
    ClockTarget,
)
from scheduler_gui.api.errors import NetworkError, ServerError


class Pings:
    """Records the pings the clock sends; can be told to fail."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int]] = []
        self.fail_begin: Exception | None = None
        self.fail_end: Exception | None = None
        self.end_result = True

    def begin(self, course_id: str, item_id: int) -> None:
        if self.fail_begin is not None:
            raise self.fail_begin
        self.calls.append(("begin", course_id, item_id))

    def end(self, course_id: str, item_id: int) -> bool:
        self.calls.append(("end", course_id, item_id))
        if self.fail_end is not None:
            raise self.fail_end
        return self.end_result


class FakeTime:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += seconds


@pytest.fixture
def pings() -> Pings:
    return Pings()


@pytest.fixture
def now() -> FakeTime:
    return FakeTime()


@pytest.fixture
def clock(pings: Pings, now: FakeTime) -> ActivityClock:
    return ActivityClock(pings.begin, pings.end, now=now)


def test_open_begins_and_close_ends(clock: ActivityClock, pings: Pings) -> None:
    clock.open("123456", 11)
    assert clock.running == ClockTarget("123456", 11)
    assert clock.close() is True
    assert pings.calls == [("begin", "123456", 11), ("end", "123456", 11)]
    assert clock.running is None and clock.viewing is None


def test_moving_to_another_item_re_begins_without_endping(
    clock: ActivityClock, pings: Pings
) -> None:
    clock.open("123456", 11)
    clock.open("123456", 12)
    clock.open("123456", 12)  # the same item again: nothing to send
    assert pings.calls == [("begin", "123456", 11), ("begin", "123456", 12)]
    assert clock.running == ClockTarget("123456", 12)


def test_close_without_a_running_clock_sends_nothing(clock: ActivityClock, pings: Pings) -> None:
    assert clock.close() is False
    assert pings.calls == []


def test_idle_timeout_ends_the_clock_and_activity_resumes_it(
    clock: ActivityClock, pings: Pings, now: FakeTime
) -> None:
    assert clock.idle_timeout == DEFAULT_IDLE_TIMEOUT == 600
    clock.open("123456", 11)
    now.advance(599)
    assert clock.tick() is False
    assert clock.running is not None
    now.advance(1)
    assert clock.tick() is True
    assert clock.running is None
    assert clock.viewing == ClockTarget("123456", 11)  # still open, only paused
    assert pings.calls[-1] == ("end", "123456", 11)
    assert clock.tick() is False  # already stopped: no second endping
    clock.touch()  # the user is back
    assert pings.calls[-1] == ("begin", "123456", 11)
    assert clock.running == ClockTarget("123456", 11)


def test_touch_postpones_the_idle_timeout(
    clock: ActivityClock, pings: Pings, now: FakeTime
) -> None:
    clock.open("123456", 11)
    for _ in range(5):  # 5 x 5 idle minutes: never 10 in a row
        now.advance(300)
        clock.touch()
        assert clock.tick() is False
    assert [c[0] for c in pings.calls] == ["begin"]


def test_the_clock_is_never_left_running_45_minutes(
    clock: ActivityClock, pings: Pings, now: FakeTime
) -> None:
    clock.open("123456", 11)
    for _ in range(45):  # a minute's tick for 45 idle minutes
        now.advance(60)
        clock.tick()
    assert clock.running is None
    assert pings.calls == [("begin", "123456", 11), ("end", "123456", 11)]


def test_an_active_users_clock_is_renewed_before_the_server_drops_it(
    clock: ActivityClock, pings: Pings, now: FakeTime
) -> None:
    clock.open("123456", 11)
    elapsed = 0.0
    while elapsed < REFRESH_AFTER:
        now.advance(60)
        elapsed += 60
        clock.touch()
        clock.tick()
    assert pings.calls == [("begin", "123456", 11), ("begin", "123456", 11)]


def test_custom_idle_timeout(pings: Pings, now: FakeTime) -> None:
    clock = ActivityClock(pings.begin, pings.end, idle_timeout=30, now=now)
    clock.open("1", 2)
    now.advance(30)
    assert clock.tick() is True
    with pytest.raises(ValueError, match="idle_timeout"):
        ActivityClock(pings.begin, pings.end, idle_timeout=0)


def test_a_failed_endping_is_logged_not_raised(
    clock: ActivityClock, pings: Pings, caplog: pytest.LogCaptureFixture
) -> None:
    clock.open("123456", 11)
    pings.fail_end = NetworkError("", None, None, "POST", "http://x/endping")
    assert clock.close() is False
    assert clock.running is None
    assert "could not end the activity clock" in caplog.text


def test_an_unexpected_endping_error_is_logged_too(
    clock: ActivityClock, pings: Pings, caplog: pytest.LogCaptureFixture
) -> None:
    clock.open("123456", 11)
    pings.fail_end = RuntimeError("Cannot send a request, as the client has been closed.")
    assert clock.close() is False
    assert "client has been closed" in caplog.text


def test_endping_that_found_no_clock_returns_false(clock: ActivityClock, pings: Pings) -> None:
    clock.open("123456", 11)
    pings.end_result = False
    assert clock.close() is False
    assert clock.running is None


def test_a_failed_beginping_keeps_the_previous_clock_to_end_later(
    clock: ActivityClock, pings: Pings
) -> None:
    clock.open("123456", 11)
    pings.fail_begin = ServerError("", 500)
    with pytest.raises(ServerError):
        clock.open("123456", 12)
    assert clock.running == ClockTarget("123456", 11)
    clock.close()
    assert pings.calls[-1] == ("end", "123456", 11)


def test_calls_from_several_threads_stay_in_order(clock: ActivityClock, pings: Pings) -> None:
    def worker(item: int) -> None:
        for _ in range(50):
            clock.open("1", item)
            clock.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kinds = [c[0] for c in pings.calls]
    assert kinds == ["begin", "end"] * 200  # every begin is followed by its own end
    begins, ends = pings.calls[0::2], pings.calls[1::2]
    assert [b[2] for b in begins] == [e[2] for e in ends]
