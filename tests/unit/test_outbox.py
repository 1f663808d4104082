"""Unconfirmed sends: their states, what the bubble says, and finding a sent copy."""

from __future__ import annotations

from dataclasses import replace

from smstui.domain.models import Message
from smstui.domain.outbox import (
    DRY_RUN,
    FAILED,
    OUTCOME_UNKNOWN,
    SENDING,
    Outbox,
    Outgoing,
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
    assert not item.resendable, "it may have gone out: never resent without asking"
    assert item.unconfirmed
    assert "looking for it" in item.note
    assert outbox.unresolved("k") == [item]
    outbox.stop_looking(item.key)
    assert item.status == OUTCOME_UNKNOWN, "not finding it proves nothing"
    assert "may then arrive twice" in item.note
    outbox.set_status(item.key, DRY_RUN)
    assert "nothing was sent" in item.note


def test_restart_only_for_failed_messages_keeps_the_bubble_key() -> None:
    outbox = Outbox()
    item = outbox.create("k", to=ANNA, sender=OURS, text="Hi", now=NOW)
    first_reference = item.reference
    assert first_reference.startswith("smstui-")
    assert outbox.restart(item.key, NOW + 60) is None, "in flight: not again"
    assert outbox.restart(item.key, NOW + 60, risk_accepted=True) is None, "not even so"
    outbox.fail(item.key, "no")
    again = outbox.restart(item.key, NOW + 60, known=["id:x"])
    assert again is item
    assert item.status == SENDING
    assert item.reason == ""
    assert item.created == NOW + 60
    assert item.known == frozenset({"id:x"})
    assert item.attempts == 2
    assert item.reference != first_reference
    assert item.references == {first_reference, item.reference}


def test_a_not_confirmed_message_is_resent_only_with_the_risk_accepted() -> None:
    outbox = Outbox()
    item = outbox.create("k", to=ANNA, sender=OURS, text="Hi", now=NOW)
    outbox.set_status(item.key, OUTCOME_UNKNOWN)
    assert outbox.restart(item.key, NOW + 60) is None
    assert item.status == OUTCOME_UNKNOWN
    assert outbox.restart(item.key, NOW + 60, risk_accepted=True) is item
    assert item.status == SENDING


def test_an_echoed_reference_decides_alone() -> None:
    """A copy that carries a reference is ours exactly when the reference is one of ours,
    whatever its text or time say; without one, number, text and time decide."""
    outbox = Outbox()
    item = outbox.create("k", to=ANNA, sender=OURS, text="Same words", now=NOW)
    stranger = replace(copy("id:s", "Same words", NOW + 5), reference="smstui-someone-else")
    ours = replace(copy("id:o", "Same words", NOW - 4000), reference=item.reference)
    assert find_sent_copy(item, [stranger]) is None
    assert find_sent_copy(item, [stranger, ours]) == ours
    earlier = item.reference
    outbox.fail(item.key, "no")
    outbox.restart(item.key, NOW + 60)
    late_first_attempt = replace(copy("id:l", "Same words", NOW), reference=earlier)
    assert find_sent_copy(item, [late_first_attempt]) == late_first_attempt


class MemoryOutboxFile:
    """The outbox's disk, in memory, for checking what is written when."""

    def __init__(self) -> None:
        self.saved: dict[str, Outgoing] = {}

    def load(self) -> list[Outgoing]:
        return list(self.saved.values())

    def save(self, item: Outgoing) -> None:
        self.saved[item.key] = replace(item)

    def remove(self, key: str) -> None:
        self.saved.pop(key, None)

    def not_kept(self) -> str:
        return ""


def test_every_change_is_written_and_dry_runs_are_not_kept() -> None:
    disk = MemoryOutboxFile()
    outbox = Outbox(disk)
    item = outbox.create("k", to=ANNA, sender=OURS, text="Hi", now=NOW)
    assert disk.saved[item.key].status == SENDING, "written before the request leaves"
    outbox.fail(item.key, "No credit")
    assert disk.saved[item.key].reason == "No credit"
    outbox.remove(item.key)
    assert disk.saved == {}
    dry = outbox.create("k", to=ANNA, sender=OURS, text="test", now=NOW)
    outbox.set_status(dry.key, DRY_RUN)
    assert dry.key not in disk.saved


def test_restore_brings_back_unsent_messages_and_in_flight_ones_as_not_confirmed() -> None:
    disk = MemoryOutboxFile()
    first = Outbox(disk)
    failed = first.create("k", to=ANNA, sender=OURS, text="a", now=NOW)
    first.fail(failed.key, "No credit")
    flying = first.create("k", to=ANNA, sender=OURS, text="b", now=NOW + 1)
    restored = Outbox(disk).restore()
    assert [(i.key, i.status) for i in restored] == [
        (failed.key, FAILED),
        (flying.key, OUTCOME_UNKNOWN),
    ]
    assert restored[0].reason == "No credit"


def test_a_disk_that_cannot_be_written_is_reported_and_sending_goes_on() -> None:
    class FullDisk(MemoryOutboxFile):
        def save(self, item: Outgoing) -> None:
            raise OSError(28, "No space left on device")

    outbox = Outbox(FullDisk())
    item = outbox.create("k", to=ANNA, sender=OURS, text="Hi", now=NOW)
    assert item.key in outbox
    assert "No space left on device" in outbox.problem
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
    """A copy stamped up to five minutes before the send is ours; a day before, it is not."""
    outbox = Outbox()
    item = outbox.create("k", to=ANNA, sender=OURS, text="Hi", now=NOW)
    # Literal times, not the constant: the slack itself is what is pinned.
    for lag in (1, 60, 299, 300):
        lagging = copy("id:a", "Hi", NOW - lag)
        assert find_sent_copy(item, [lagging]) == lagging, f"{lag} s behind is still ours"
    for lag in (301, 3600, 86_400):
        assert find_sent_copy(item, [copy("id:b", "Hi", NOW - lag)]) is None, f"{lag} s behind"


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


def test_a_message_that_fails_again_says_which_attempt_and_when() -> None:
    """The first failure gives the reason; a resend that fails too adds the attempt and time."""
    outbox = Outbox()
    item = outbox.create("k", to=ANNA, sender=OURS, text="Hi", now=NOW)  # 12:00 UTC
    outbox.fail(item.key, "Not enough credit")
    assert item.note == "Not enough credit"
    outbox.restart(item.key, NOW + 180)
    assert item.note == "", "sending again: no stale reason"
    outbox.fail(item.key, "Not enough credit")
    assert item.note == "Not enough credit · attempt 2 at 12:03"
    outbox.restart(item.key, NOW + 3600)
    outbox.fail(item.key, "")
    assert item.note == "Not sent · attempt 3 at 13:00"
