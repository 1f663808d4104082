"""When gateway trouble is said: a blip never, an outage once it lasts, then back and settled."""

from __future__ import annotations

from smstui.sync.trouble import GRACE, SETTLE, GatewayTrouble, Say
from smstui.system.clock import FixedClock

T0 = 1_000_000.0
HTTP_502 = "The gateway is having trouble (HTTP 502); try again later"


def rule() -> tuple[GatewayTrouble, FixedClock]:
    clock = FixedClock(T0)
    return GatewayTrouble(clock.now), clock


def test_the_defaults_are_ten_seconds_of_grace_and_five_to_settle() -> None:
    assert (GRACE, SETTLE) == (10.0, 5.0)


def test_a_retry_that_works_is_never_said() -> None:
    trouble, clock = rule()
    assert trouble.failed(HTTP_502, T0 + 0.4) is None
    clock.advance(0.4)
    assert trouble.answered() is None
    clock.advance(30)
    assert trouble.check() is None
    assert trouble.due() is None
    assert not trouble.said


def test_failures_with_an_answer_between_them_never_add_up() -> None:
    trouble, clock = rule()
    for _ in range(10):  # one in five failing, for a minute: each run ends at the next answer
        assert trouble.failed(HTTP_502, clock.now() + 1) is None
        clock.advance(1)
        assert trouble.answered() is None
        clock.advance(5)
    assert trouble.check() is None


def test_an_outage_is_said_once_it_has_lasted_ten_seconds() -> None:
    trouble, clock = rule()
    assert trouble.failed(HTTP_502, T0 + 0.5) is None
    clock.advance(3.5)  # the client's retries of one poll, all failed; next poll in 30 s
    assert trouble.failed(HTTP_502, T0 + 33.5) is None
    assert trouble.due() == T0 + 10
    clock.advance(6.4)
    assert trouble.check() is None
    clock.advance(0.1)
    assert trouble.check() == Say("trouble", HTTP_502, T0 + 33.5)
    assert trouble.said
    assert trouble.due() is None


def test_a_failure_after_the_grace_says_it_at_once_and_again_with_each_new_retry_time() -> None:
    trouble, clock = rule()
    trouble.failed("Offline", T0 + 1)
    clock.advance(12)
    assert trouble.failed("Offline", T0 + 40) == Say("trouble", "Offline", T0 + 40)
    clock.advance(28)
    assert trouble.failed(HTTP_502, T0 + 100) == Say("trouble", HTTP_502, T0 + 100)


def test_back_only_after_trouble_was_said_then_up_to_date_after_five_seconds() -> None:
    trouble, clock = rule()
    trouble.failed("Offline", T0 + 20)
    clock.advance(10)
    assert trouble.check() is not None
    clock.advance(10)
    assert trouble.answered() == Say("back")
    assert not trouble.said
    assert trouble.due() == T0 + 25
    clock.advance(2)
    assert trouble.answered() is None, "too soon: Connected again stays a moment"
    clock.advance(3)
    assert trouble.check() == Say("settled")
    assert trouble.check() is None, "said once"
    assert trouble.due() is None


def test_the_next_good_answer_after_five_seconds_settles_too() -> None:
    trouble, clock = rule()
    trouble.failed("Offline", T0 + 20)
    clock.advance(10)
    trouble.check()
    trouble.answered()
    clock.advance(15)
    assert trouble.answered() == Say("settled")


def test_a_blip_while_connected_again_shows_does_not_keep_it_there() -> None:
    trouble, clock = rule()
    trouble.failed("Offline", T0 + 20)
    clock.advance(10)
    trouble.check()
    assert trouble.answered() == Say("back")
    clock.advance(1)
    assert trouble.failed(HTTP_502, T0 + 12) is None
    clock.advance(1)
    assert trouble.answered() is None
    clock.advance(3)
    assert trouble.check() == Say("settled")


def test_an_outage_again_while_connected_again_shows_is_said_again() -> None:
    trouble, clock = rule()
    trouble.failed("Offline", T0 + 20)
    clock.advance(10)
    trouble.check()
    trouble.answered()
    clock.advance(1)
    trouble.failed("Offline", T0 + 30)
    assert trouble.due() == T0 + 21
    clock.advance(10)
    assert trouble.check() == Say("trouble", "Offline", T0 + 30)
    clock.advance(10)
    assert trouble.answered() == Say("back")


def test_a_failure_shown_another_way_is_followed_by_connected_again() -> None:
    trouble, clock = rule()
    trouble.told()  # "Refresh failed: …", which the user asked for
    assert trouble.due() is None
    clock.advance(1)
    assert trouble.answered() == Say("back")
