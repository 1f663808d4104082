"""Sending from the composer against the fake gateway: success, refusals, network trouble.

Every test drives the app as a user would (keys into the composer, R/e on a bubble) and checks
what the user sees (the bubble's status word and reason, the composer, the list row) and what
the gateway got (how many POSTs, how many copies of the message it holds).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import httpx
import pytest
from textual.worker import WorkerState

from smstui.api.client import SmsClient
from smstui.domain.models import SendResult
from smstui.domain.outbox import FAILED, OUTCOME_UNKNOWN, is_local
from smstui.fake import FakeGateway
from smstui.system.secret import Credentials
from smstui.ui.screens.confirm import ConfirmScreen
from tests.app.compose_helpers import (
    gateway_messages,
    inbox_of,
    pane_text,
    pane_words,
    start,
    thread_message,
    type_and_send,
    wait_for,
)
from tests.app_fixtures import SECRET, STANDARD, MakeApp, screen_text, settle

NO_CREDIT = "48000000108"
OPTED_OUT = "48000000131"


def posts(gw: FakeGateway) -> int:
    return gw.count("POST", "/message/send")


async def test_send_shows_sending_then_the_gateway_id_and_submitted(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """The bubble shows at once as sending; the answer turns it into the gateway's message."""
    fresh_gateway.add_fault("latency", "/message/send", ms=400)
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        number = inbox.session.summary(inbox.thread.key).number  # type: ignore[union-attr]
        await type_and_send(pilot, "See you at ten")
        bubble = thread_message(app, "See you at ten")
        assert is_local(bubble.key)
        assert "… sending" in pane_text(app)
        assert inbox.composer.text == "", "the composer empties at once"
        await settle(pilot)
        sent = thread_message(app, "See you at ten")
        on_gateway = [m for m in await gateway_messages(fresh_gateway, number) if m.outbound]
        assert sent.key == on_gateway[0].key, "the bubble became the gateway's message"
        assert sent.status == "SUBMITTED"
        assert "✓ sent" in pane_text(app)
        assert posts(fresh_gateway) == 1
        row = inbox.conversation_list.rows[0]
        assert (row.key, row.preview, row.last_outbound) == (inbox.thread.key, sent.text, True)
        assert "You: ✓ See you at ten" in screen_text(app)


async def test_enter_pressed_twice_sends_once(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """A double Enter (or key repeat) never sends the message twice."""
    fresh_gateway.add_fault("latency", "/message/send", ms=300)
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        await start(pilot)
        await type_and_send(pilot, "Only once")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert posts(fresh_gateway) == 1
        thread = inbox_of(app).thread
        assert thread is not None
        assert [m.text for m in thread.messages].count("Only once") == 1


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (NO_CREDIT, "Not enough credit to send this message"),
        (OPTED_OUT, "The recipient has opted out of messages from you"),
    ],
    ids=["108-no-credit", "131-opted-out"],
)
async def test_refusals_show_the_reason_keep_the_text_and_resend_on_r(
    make_app: MakeApp, fresh_gateway: FakeGateway, number: str, reason: str
) -> None:
    """A refused send is marked failed with the reason in words; R sends it again."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.start_conversation(number)
        await settle(pilot)
        await type_and_send(pilot, "Your order is ready")
        await settle(pilot)
        failed = thread_message(app, "Your order is ready")
        assert failed.status == FAILED
        assert "! failed" in pane_text(app)
        assert reason in pane_words(app)
        assert posts(fresh_gateway) == 1
        inbox.message_pane.focus()
        await pilot.press("R")
        await settle(pilot)
        assert posts(fresh_gateway) == 2, "R sent it again"
        assert reason in pane_words(app)
        assert [m.text for m in inbox.thread.messages].count("Your order is ready") == 1  # type: ignore[union-attr]


async def test_too_long_for_the_gateway_shows_118_and_keeps_the_text(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """470 GSM characters, agreed to with y: this gateway answers 118, and the reason shows."""
    app = make_app(fresh_gateway)
    text = "x" * 470
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        await type_and_send(pilot, text)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        failed = thread_message(app, text)
        assert failed.status == FAILED
        assert "Message too long (max 459 characters)" in pane_words(app)


async def test_e_takes_a_failed_message_back_into_the_composer(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """e removes the failed bubble and puts its text into the composer, nothing lost."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.start_conversation(NO_CREDIT)
        await settle(pilot)
        await type_and_send(pilot, "Call me back")
        await settle(pilot)
        inbox.message_pane.focus()
        await pilot.press("e")
        await pilot.pause()
        assert inbox.composer.text == "Call me back"
        assert inbox.composer.text_area.has_focus
        assert "Call me back" not in pane_text(app)


async def test_server_error_fails_and_r_then_sends_it(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """An HTTP 500 on the send fails it with the reason; R sends it, exactly one copy stored."""
    fresh_gateway.add_fault("status_500", "/message/send")
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        number = inbox.session.summary(inbox.thread.key).number  # type: ignore[union-attr]
        await type_and_send(pilot, "Second try works")
        await settle(pilot)
        assert thread_message(app, "Second try works").status == FAILED
        assert "HTTP 500" in pane_words(app)
        inbox.message_pane.focus()
        await pilot.press("R")
        await settle(pilot)
        sent = thread_message(app, "Second try works")
        assert sent.status == "SUBMITTED"
        assert posts(fresh_gateway) == 2
        texts = [m.text for m in await gateway_messages(fresh_gateway, number)]
        assert texts.count("Second try works") == 1


async def test_unreachable_gateway_fails_the_send_and_r_sends_it_later(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """With the gateway down the send fails before it went out; once back, R sends it."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        port = int(fresh_gateway.url.rsplit(":", 1)[1].split("/")[0])
        fresh_gateway.stop()
        await type_and_send(pilot, "Are you there?")
        await settle(pilot)
        failed = thread_message(app, "Are you there?")
        assert failed.status == FAILED
        assert "Can't reach the gateway" in pane_words(app)
        back = FakeGateway(
            client_id="test-client",
            client_secret=SECRET,
            seed=7,
            scale="small",
            anchor=fresh_gateway.anchor,
            port=port,
            clock=fresh_gateway.clock,
        )
        with back:
            inbox.message_pane.focus()
            await pilot.press("R")
            await settle(pilot)
            assert thread_message(app, "Are you there?").status == "SUBMITTED"
            assert back.count("POST", "/message/send") == 1


async def test_no_answer_after_sending_finds_the_message_and_never_sends_twice(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """The gateway sends but the answer is lost: the app finds the message; no duplicate."""
    fresh_gateway.add_fault("drop_after_send", "/message/send")
    app = make_app(fresh_gateway, status_refresh=0.2)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        number = inbox.session.summary(inbox.thread.key).number  # type: ignore[union-attr]
        await type_and_send(pilot, "Did this arrive?")
        await wait_for(
            pilot,
            lambda: not is_local(thread_message(app, "Did this arrive?").key),
            what="the message to be found on the gateway",
        )
        await settle(pilot)
        found = thread_message(app, "Did this arrive?")
        assert found.status != FAILED
        assert "failed" not in pane_text(app)
        assert posts(fresh_gateway) == 1
        texts = [m.text for m in await gateway_messages(fresh_gateway, number)]
        assert texts.count("Did this arrive?") == 1
        inbox.message_pane.focus()
        await pilot.press("R")  # nothing to resend
        await settle(pilot)
        assert posts(fresh_gateway) == 1


class RecordingClient(SmsClient):
    """The real client, noting how many sends are on their way at once."""

    def __init__(self, base_url: str, credentials: Credentials) -> None:
        super().__init__(base_url, credentials)
        self.in_flight = 0
        self.most_in_flight = 0

    async def send(self, to: str | Sequence[str], text: str, sender: str, **kw: Any) -> SendResult:
        """Count this send as on its way until its answer (or failure) is back."""
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            return await super().send(to, text, sender, **kw)
        finally:
            self.in_flight -= 1


async def test_sends_go_out_one_at_a_time_in_the_order_typed(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """While the gateway holds the first send unanswered, the second waits in the app; it
    reaches the gateway only after the first answer, and the person gets them in order."""
    fresh_gateway.add_fault("hold", "/message/send", times=0)
    clients: list[RecordingClient] = []

    def recording(credentials: Credentials) -> SmsClient:
        clients.append(RecordingClient(fresh_gateway.url, credentials))
        return clients[-1]

    def running_sends() -> int:
        return sum(1 for w in app.workers if w.name == "send" and w.state == WorkerState.RUNNING)

    app = make_app(fresh_gateway, client_factory=recording)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        number = inbox.session.summary(inbox.thread.key).number  # type: ignore[union-attr]
        await type_and_send(pilot, "First, the address")
        await wait_for(pilot, lambda: fresh_gateway.held == 1, what="the first send to arrive")
        await type_and_send(pilot, "Second, the time")
        # A running worker has reached its first pause: a send not waiting its turn is now
        # inside the client, on its way.
        await wait_for(pilot, lambda: running_sends() == 2, what="the second send to start")
        await pilot.pause()
        assert clients[-1].most_in_flight == 1, "the second went out before the first answer"
        assert posts(fresh_gateway) == 1
        assert thread_message(app, "Second, the time").status == "SENDING"
        fresh_gateway.release()  # the first is answered; only then does the second leave
        await wait_for(
            pilot,
            lambda: posts(fresh_gateway) == 2 and fresh_gateway.held == 1,
            what="the second send to arrive",
        )
        assert thread_message(app, "First, the address").status == "SUBMITTED"
        fresh_gateway.clear_faults()
        fresh_gateway.release()
        await settle(pilot)
        sent = [r.body["message"] for r in fresh_gateway.requests if r.path == "/message/send"]
        assert sent == ["First, the address", "Second, the time"]
        assert clients[-1].most_in_flight == 1
        newest = [m.text for m in await gateway_messages(fresh_gateway, number)][:2]
        assert newest == ["Second, the time", "First, the address"]


async def test_an_answer_without_a_message_id_is_not_confirmed_never_failed(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """A 2xx answer naming no message id may mean it went out: "not confirmed", not "failed";
    R asks first and "n" sends nothing; the copy found later ends it as one SMS."""
    fresh_gateway.add_fault("no_message_id", "/message/send")
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        number = inbox.session.summary(inbox.thread.key).number  # type: ignore[union-attr]
        # Every look for the copy waits at the gateway until the state has been looked at.
        fresh_gateway.add_fault("hold", f"/conversation/{number}", times=0)
        await type_and_send(pilot, "Was this taken?")
        await wait_for(pilot, lambda: fresh_gateway.held >= 1, what="the look for the copy")
        assert thread_message(app, "Was this taken?").status == OUTCOME_UNKNOWN
        assert "not confirmed" in pane_text(app)
        assert "failed" not in pane_text(app)
        inbox.message_pane.focus()
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("n")
        await pilot.pause()
        assert posts(fresh_gateway) == 1
        fresh_gateway.clear_faults()
        fresh_gateway.release()
        await wait_for(
            pilot,
            lambda: not is_local(thread_message(app, "Was this taken?").key),
            what="the copy to be found",
        )
        await settle(pilot)
        assert posts(fresh_gateway) == 1
        texts = [m.text for m in await gateway_messages(fresh_gateway, number)]
        assert texts.count("Was this taken?") == 1


async def test_connection_reset_stays_not_confirmed_and_a_resend_asks_first(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """A reset leaves the outcome open: "not confirmed" stays (it is never guessed "not sent")
    while the app keeps looking; R asks first, names the risk, and n sends nothing."""
    fresh_gateway.add_fault("reset", "/message/send")
    app = make_app(fresh_gateway, status_refresh=0.05)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        number = inbox.session.summary(inbox.thread.key).number  # type: ignore[union-attr]
        looks = fresh_gateway.count("GET", f"/conversation/{number}")
        await type_and_send(pilot, "Lost in transit")
        # The state does not end by itself, so waiting for it cannot race it.
        await wait_for(
            pilot,
            lambda: fresh_gateway.count("GET", f"/conversation/{number}") >= looks + 4,
            what="several looks for the message",
        )
        assert thread_message(app, "Lost in transit").status == OUTCOME_UNKNOWN
        assert "not confirmed" in pane_text(app)
        assert "failed" not in pane_text(app)
        inbox.message_pane.focus()
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        assert "may deliver it twice" in screen_text(app).replace("\n", " ").replace("  ", " ")
        await pilot.press("enter")  # a stray Enter never confirms
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert posts(fresh_gateway) == 1
        assert thread_message(app, "Lost in transit").status == OUTCOME_UNKNOWN
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: thread_message(app, "Lost in transit").status == "SUBMITTED",
            what="the confirmed resend",
        )
        assert posts(fresh_gateway) == 2
        references = [
            r.body["reference"] for r in fresh_gateway.requests if r.path == "/message/send"
        ]
        assert len(set(references)) == 2, "each attempt carries its own reference"


async def test_a_not_confirmed_send_never_takes_the_copy_of_a_confirmed_twin(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """ "OK" sent twice in a row: the first is confirmed, the second is lost on the way. The
    gateway's one "OK" is the first's, so the second stays "not confirmed", never "sent"."""
    fresh_gateway.add_fault("hold", "/message/send", times=1)
    fresh_gateway.add_fault("reset", "/message/send", after=1)
    app = make_app(fresh_gateway, status_refresh=0.05)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        number = inbox.session.summary(inbox.thread.key).number  # type: ignore[union-attr]
        await type_and_send(pilot, "OK")
        await wait_for(pilot, lambda: fresh_gateway.held == 1, what="the first send to arrive")
        await type_and_send(pilot, "OK")  # typed while the first is on its way
        fresh_gateway.release()
        await wait_for(pilot, lambda: posts(fresh_gateway) == 2, what="the second send")
        looks = fresh_gateway.count("GET", f"/conversation/{number}")
        await wait_for(
            pilot,
            lambda: fresh_gateway.count("GET", f"/conversation/{number}") >= looks + 3,
            what="several looks for the second one",
        )
        await pilot.pause()
        texts = [m.text for m in await gateway_messages(fresh_gateway, number)]
        assert texts.count("OK") == 1
        bubbles = [m for m in inbox.thread.messages if m.text == "OK"]
        assert [m.status for m in bubbles] == ["SUBMITTED", OUTCOME_UNKNOWN]
        assert "not confirmed" in pane_text(app)
        assert posts(fresh_gateway) == 2


async def test_a_send_committed_after_the_timeout_ends_as_one_message(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """The gateway answers after the read timeout and commits the message then: the bubble
    stays "not confirmed" through several looks, then becomes the gateway's copy; the user's
    R in between asks first, and "n" keeps it to one SMS."""
    fresh_gateway.add_fault("latency", "/message/send", ms=1500)

    def impatient_client(credentials: Credentials) -> SmsClient:
        timeout = httpx.Timeout(connect=5.0, read=0.5, write=5.0, pool=5.0)
        return SmsClient(fresh_gateway.url, credentials, timeout=timeout)

    app = make_app(fresh_gateway, status_refresh=0.05, client_factory=impatient_client)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        number = inbox.session.summary(inbox.thread.key).number  # type: ignore[union-attr]
        await type_and_send(pilot, "Late but real")
        await wait_for(pilot, lambda: "not confirmed" in pane_text(app), what="not confirmed")
        assert fresh_gateway.count("POST", "/message/send") == 1
        inbox.message_pane.focus()
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("n")
        await wait_for(
            pilot,
            lambda: not is_local(thread_message(app, "Late but real").key),
            seconds=20,
            what="the late copy to be found",
        )
        await settle(pilot)
        texts = [m.text for m in await gateway_messages(fresh_gateway, number)]
        assert texts.count("Late but real") == 1
        assert posts(fresh_gateway) == 1
        assert "not confirmed" not in pane_text(app)


async def test_dry_run_sends_with_the_test_flag_and_stores_nothing(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """--dry-run: the gateway validates (test: true), nothing is stored, the bubble says so."""
    app = make_app(fresh_gateway, dry_run=True)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        number = inbox.session.summary(inbox.thread.key).number  # type: ignore[union-attr]
        before = fresh_gateway.message_count(number)
        assert "DRY RUN" in screen_text(app)
        await type_and_send(pilot, "Just testing")
        await settle(pilot)
        assert "dry run" in pane_text(app)
        assert "nothing was sent" in pane_words(app)
        bodies = [r.body for r in fresh_gateway.requests if r.path == "/message/send"]
        assert len(bodies) == 1
        assert bodies[0]["test"] is True
        assert fresh_gateway.message_count(number) == before


async def test_status_changes_in_place_without_moving_the_view(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Sent, then delivered: the word changes on the bubble; nothing else on screen moves."""
    app = make_app(fresh_gateway, status_refresh=0.2)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        await type_and_send(pilot, "Track me")
        await settle(pilot)
        assert thread_message(app, "Track me").status == "SUBMITTED"
        pane = inbox.message_pane
        inbox.message_pane.focus()
        await pilot.press("up")  # highlight the message above: the view must not follow updates
        before_y = pane.scroll_offset.y
        before = pane_text(app)
        fresh_gateway.advance_statuses()
        await wait_for(
            pilot,
            lambda: thread_message(app, "Track me").status != "SUBMITTED",
            what="the final status",
        )
        after = pane_text(app)
        final = thread_message(app, "Track me").status
        word = {"DELIVERED": "delivered", "NOT DELIVERED": "not delivered", "REJECTED": "rejected"}
        assert re.search(rf"12:00  \S+ {word[final]}", after)
        assert pane.scroll_offset.y == before_y
        changed = [
            new
            for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
            if old != new
        ]
        # Only the two rows of that bubble (its text and its meta line) changed.
        assert len(changed) == 2
        assert "Track me" in changed[0]
        assert word[final] in changed[1]
