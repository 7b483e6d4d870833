"""AdaptiveThrottle: a 429 halves the batch's concurrency and pauses all its requests;
answers that are fine earn the places back (AIMD). Fake clock: nothing really waits."""

from __future__ import annotations

import threading
import time

import httpx

from scheduler_gui.api.client import LearningStudioClient, RetryPolicy
from scheduler_gui.api.throttle import AdaptiveThrottle

from .fakes import FakeTime


def test_a_refusal_halves_the_limit_once_per_retry_after_period() -> None:
    fake = FakeTime()
    throttle = AdaptiveThrottle(8, clock=fake.clock, sleep=fake.sleep)
    throttle.observe(429, 2.0)
    assert throttle.limit == 4
    # Requests already in flight are refused too: no further cut in the same period.
    throttle.observe(429, 2.0)
    throttle.observe(429, 2.0)
    assert throttle.limit == 4 and throttle.refusals == 3
    fake.now += 2.5
    throttle.observe(429, 2.0)
    assert throttle.limit == 2
    for _ in range(5):
        fake.now += 3
        throttle.observe(429, 2.0)
    assert throttle.limit == 1 and throttle.lowest_limit == 1  # never below one course


def test_a_refusal_holds_every_request_of_the_batch_until_retry_after_passes() -> None:
    fake = FakeTime()
    throttle = AdaptiveThrottle(4, clock=fake.clock, sleep=fake.sleep)
    throttle.wait()
    assert fake.sleeps == []
    throttle.observe(429, 3.0)
    throttle.wait()  # another course's next request
    assert fake.sleeps == [3.0]
    throttle.wait()
    assert fake.sleeps == [3.0]  # the pause is over


def test_good_answers_win_the_places_back_one_per_round_up_to_jobs() -> None:
    fake = FakeTime()
    throttle = AdaptiveThrottle(8, clock=fake.clock, sleep=fake.sleep)
    throttle.observe(429, 0.0)
    assert throttle.limit == 4
    for _ in range(4):  # one round of answers at limit 4
        throttle.observe(200, None)
    assert throttle.limit == 5
    for _ in range(200):
        throttle.observe(204, None)
    assert throttle.limit == 8
    throttle.observe(500, None)  # a server error is not a request to slow down
    throttle.observe(None, None)  # nor is a dropped connection
    assert throttle.limit == 8


def test_a_503_without_retry_after_does_not_slow_the_batch() -> None:
    throttle = AdaptiveThrottle(4)
    throttle.observe(503, None)
    assert throttle.limit == 4 and throttle.refusals == 0
    throttle.observe(503, 0.0)
    assert throttle.limit == 2


def test_slots_never_let_more_courses_run_than_the_limit() -> None:
    throttle = AdaptiveThrottle(3)
    throttle.observe(429, 0.0)  # limit 1 now
    running, most = 0, 0
    lock = threading.Lock()

    def course() -> None:
        nonlocal running, most
        with throttle.slot():
            with lock:
                running += 1
                most = max(most, running)
            time.sleep(0.01)
            with lock:
                running -= 1

    threads = [threading.Thread(target=course) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1 and throttle.active == 0


def test_the_client_reports_every_answer_and_waits_before_every_request() -> None:
    answers = iter([429, 200])
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        status = next(answers)
        headers = {"Retry-After": "1"} if status == 429 else {}
        return httpx.Response(status, json={"me": {"id": 1}}, headers=headers)

    fake = FakeTime()
    client = LearningStudioClient(
        "https://api.example.test",
        None,
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(attempts=3),
        sleep=fake.sleep,
        clock=fake.clock,
    )
    throttle = AdaptiveThrottle(4, clock=fake.clock, sleep=fake.sleep)
    client.throttle = throttle
    assert client.me() == {"id": 1}
    assert seen == ["GET", "GET"]
    assert throttle.refusals == 1 and throttle.limit == 2
    assert fake.sleeps == [1.0]  # the client's own retry wait; the pause was over by then
