"""Unconfirmed sends: their states, what the bubble says, and finding a sent copy."""

from __future__ import annotations

from dataclasses import replace

from smstui.api.models import Message
from smstui.outbox import (
    DRY_RUN,
    FAILED,
    OUTCOME_UNKNOWN,
    RECONCILE_SLACK,
    SENDING,
    Outbox,
    find_sent_copy,
    is_local,
)

NOW = 1_795_780_800
ANNA = "48512345678"
OURS = "32460123456"


def copy(key: str, text: str, ts: int, *, outbound: bool = True, to: str = ANNA) -> Message:
    return Message(
        key=key,
        message_id=key.removeprefix("id:") if outbound else None,
        outbound=outbound,
        sender=OURS if outbound else to,
        receiver=to if outbound else OURS,
        text=text,
        attachments=(),
        timestamp=ts,
        status="SUBMITTED" if outbound else "",
    )


def test_a_new_send_is_a_local_outbound_bubble_marked_sending() -> None:
    outbox = Outbox()
    item = outbox.create("k", to="+48 512 345 678", sender="+32 460 12 34 56", text="Hi", now=NOW)
    message = item.message
    assert is_local(message.key)
    assert not is_local("id:abc")
    assert not is_local("h:abc")
    assert (message.outbound, message.status, message.text) == (True, SENDING, "Hi")
    assert (message.receiver, message.sender, message.timestamp) == (ANNA, OURS, NOW)
    assert item.in_flight
    assert not item.resendable
    assert item.note == ""
    assert outbox.busy("k")
    assert not outbox.busy("other")


def test_states_and_what_the_bubble_says() -> None:
    outbox = Outbox()
    item = outbox.create("k", to=ANNA, sender=OURS, text="Hi", now=NOW)
    outbox.fail(item.key, "Not enough credit to send this message")
    assert item.message.status == FAILED
    assert item.resendable
    assert item.note == "Not enough credit to send this message"
    assert not outbox.busy("k")
    outbox.set_status(item.key, OUTCOME_UNKNOWN)
    assert not item.resendable, "it may have gone out: no resend until it is looked for"
    assert "checking" in item.note
    assert outbox.unresolved("k") == [item]
    outbox.set_status(item.key, DRY_RUN)
    assert "nothing was sent" in item.note


def test_restart_only_for_failed_messages_keeps_the_bubble_key() -> None:
    outbox = Outbox()
    item = outbox.create("k", to=ANNA, sender=OURS, text="Hi", now=NOW)
    assert outbox.restart(item.key, NOW + 60) is None, "in flight: not again"
    outbox.fail(item.key, "no")
    again = outbox.restart(item.key, NOW + 60, known=["id:x"])
    assert again is item
    assert item.status == SENDING
    assert item.reason == ""
    assert item.created == NOW + 60
    assert item.known == frozenset({"id:x"})
    assert outbox.remove(item.key) is item
    assert item.key not in outbox
    assert len(outbox) == 0


def test_the_copy_is_the_same_text_to_the_same_number_not_known_before() -> None:
    outbox = Outbox()
    item = outbox.create("k", to=ANNA, sender=OURS, text="See you", now=NOW, known=["id:old"])
    page = [
        copy("id:old", "See you", NOW - 10),  # already in the conversation before the send
        copy("h:in", "See you", NOW + 5, outbound=False),  # their message, not ours
        copy("id:other", "See you!", NOW + 5),  # another text
        copy("id:ours", "See you", NOW + 5),
    ]
    assert find_sent_copy(item, page) == page[-1]
    assert find_sent_copy(item, page, taken={"id:ours"}) is None


def test_gateway_clock_may_lag_a_little_but_not_a_lot() -> None:
    outbox = Outbox()
    item = outbox.create("k", to=ANNA, sender=OURS, text="Hi", now=NOW)
    lagging = copy("id:a", "Hi", NOW - RECONCILE_SLACK)
    ancient = copy("id:b", "Hi", NOW - RECONCILE_SLACK - 1)
    assert find_sent_copy(item, [lagging]) == lagging
    assert find_sent_copy(item, [ancient]) is None


def test_two_identical_unknown_sends_each_find_their_own_copy() -> None:
    outbox = Outbox()
    first = outbox.create("k", to=ANNA, sender=OURS, text="ok", now=NOW)
    second = outbox.create("k", to=ANNA, sender=OURS, text="ok", now=NOW + 1)
    page = [copy("id:2", "ok", NOW + 3), copy("id:1", "ok", NOW + 2)]
    found = find_sent_copy(first, page)
    assert found is not None
    assert found.key == "id:1", "the oldest copy goes to the first"
    assert find_sent_copy(second, page, taken={found.key}) == page[0]


def test_local_messages_of_a_conversation_in_order() -> None:
    outbox = Outbox()
    a = outbox.create("k", to=ANNA, sender=OURS, text="a", now=NOW)
    outbox.create("j", to=ANNA, sender=OURS, text="x", now=NOW)
    b = outbox.create("k", to=ANNA, sender=OURS, text="b", now=NOW)
    assert outbox.in_conversation("k") == [a, b]
    assert outbox.get(a.key) is a
    assert outbox.get("local:nope") is None
    assert replace(a.message, text="b") != b.message, "each bubble has its own key"
