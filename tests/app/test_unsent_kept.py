"""Nothing typed is lost: unsent messages live on disk, survive quitting and restarts, and
quitting with one asks first; nothing confirmed comes back. Against the fake gateway, with the
account's store file a user has (a second app on it is the next start)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from smstui.api.client import SmsClient
from smstui.domain.outbox import FAILED, OUTCOME_UNKNOWN, SENDING, Outgoing, is_local
from smstui.fake import FakeGateway
from smstui.store.outbox_file import OutboxFile
from smstui.system.secret import Credentials, Secret
from smstui.ui.screens.confirm import ConfirmScreen
from smstui.ui.screens.inbox import InboxScreen
from tests.app.compose_helpers import (
    account_state,
    gateway_messages,
    inbox_of,
    pane_text,
    pane_words,
    start,
    stored_drafts,
    stored_outbox,
    thread_message,
    type_and_send,
    wait_for,
)
from tests.app_fixtures import ANCHOR, SECRET, STANDARD, MakeApp, screen_text, settle

NO_CREDIT = "48000000108"


def keep_in_outbox(gw: FakeGateway, item: Outgoing) -> None:
    """Leave a message in the account's outbox, as an earlier run would have."""
    with account_state(gw) as state:
        OutboxFile(state).save(item)


async def test_a_failed_message_survives_q_and_a_restart(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """After a 108 refusal, q asks (naming the failed message); after a restart the bubble,
    its text and its reason are back, and R sends it."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.start_conversation(NO_CREDIT)
        await settle(pilot)
        await type_and_send(pilot, "Your glasses are ready")
        await settle(pilot)
        assert thread_message(app, "Your glasses are ready").status == FAILED
        inbox.conversation_list.focus()  # q quits from the list (in the thread it goes back)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        words = " ".join(screen_text(app).split())
        assert "1 message failed" in words
        assert "It stays in the outbox on disk" in words
        await pilot.press("n")
        assert app.is_running
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("y")
    assert app.return_code == 0
    [kept] = stored_outbox(fresh_gateway).values()
    assert (kept["text"], kept["status"]) == ("Your glasses are ready", FAILED)

    again = make_app(fresh_gateway)
    async with again.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        row = inbox.session.summary(NO_CREDIT)
        assert row is not None
        assert row.preview == "Your glasses are ready"
        inbox.open_conversation(NO_CREDIT)
        await settle(pilot)
        assert thread_message(again, "Your glasses are ready").status == FAILED
        assert "Not enough credit" in pane_words(again)
        inbox.message_pane.focus()
        await pilot.press("R")
        await settle(pilot)
        assert fresh_gateway.count("POST", "/message/send") == 2
        assert thread_message(again, "Your glasses are ready").status == FAILED  # still no credit


async def test_text_moves_from_the_draft_to_the_outbox_before_the_request_leaves(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """While the send is on its way the text is in the outbox file and no longer a draft, so
    a crash now neither loses it nor brings it back as a draft; q asks first."""
    fresh_gateway.add_fault("latency", "/message/send", ms=2000)
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        key = inbox.thread.key
        composer = inbox.composer
        composer.text_area.focus()
        composer.text_area.insert("On my way")
        await wait_for(
            pilot, lambda: stored_drafts(fresh_gateway).get(key) == "On my way", what="the draft"
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(stored_outbox(fresh_gateway)), what="the outbox")
        assert [m["status"] for m in stored_outbox(fresh_gateway).values()] == [SENDING]
        assert key not in stored_drafts(fresh_gateway), (
            "the draft is cleared when the text is in the outbox"
        )
        inbox.conversation_list.focus()  # q quits from the list (in the thread it goes back)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        assert "1 message still being sent" in " ".join(screen_text(app).split())
        await pilot.press("escape")
        await wait_for(
            pilot,
            lambda: thread_message(app, "On my way").status == "SUBMITTED",
            what="the answer",
        )
        assert stored_outbox(fresh_gateway) == {}, "confirmed: nothing left to keep"
        inbox.conversation_list.focus()  # q quits from the list (in the thread it goes back)
        await pilot.press("q")  # nothing unsent: no question
    assert app.return_code == 0


async def test_a_send_cut_off_by_a_crash_is_looked_for_after_the_restart(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """The app died while a send was on its way (the outbox says SENDING) and the gateway did
    take it: the next start shows it "not confirmed", finds the copy, sends nothing."""
    number = fresh_gateway.conversation_numbers()[0]
    credentials_app = make_app(fresh_gateway)
    async with credentials_app.run_test(size=STANDARD) as pilot:  # the gateway gets the SMS
        inbox = await start(pilot)
        assert inbox.thread is not None
        assert inbox.thread.key == number
        sender = inbox.compose_flow.sender_for(inbox.session.summary(number))
    await _send_directly(fresh_gateway, number, sender, "Sent just before the crash")
    keep_in_outbox(
        fresh_gateway,
        Outgoing(
            key="local:crashed",
            conversation=number,
            to=number,
            sender=sender,
            text="Sent just before the crash",
            created=ANCHOR,
            status=SENDING,
        ),
    )
    posts_before = fresh_gateway.count("POST", "/message/send")
    app = make_app(fresh_gateway, status_refresh=0.05)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        await wait_for(
            pilot,
            lambda: (
                inbox.thread is not None
                and not is_local(thread_message(app, "Sent just before the crash").key)
            ),
            what="the copy to be found",
        )
        assert "not confirmed" not in pane_text(app)
    assert fresh_gateway.count("POST", "/message/send") == posts_before
    texts = [m.text for m in await gateway_messages(fresh_gateway, number)]
    assert texts.count("Sent just before the crash") == 1
    assert stored_outbox(fresh_gateway) == {}


async def test_a_restored_unconfirmed_message_is_shown_as_not_confirmed(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """A message left "not confirmed" that the gateway never got stays "not confirmed" after
    a restart (no guess either way) and R still asks first."""
    number = fresh_gateway.conversation_numbers()[0]
    keep_in_outbox(
        fresh_gateway,
        Outgoing(
            key="local:limbo",
            conversation=number,
            to=number,
            sender=fresh_gateway.own_numbers[0],
            text="Did it go?",
            created=ANCHOR,
            status=OUTCOME_UNKNOWN,
        ),
    )
    app = make_app(fresh_gateway, status_refresh=0.05)
    async with app.run_test(size=STANDARD) as pilot:
        await start(pilot)
        await wait_for(pilot, lambda: "not confirmed" in pane_text(app), what="the restored bubble")
        assert thread_message(app, "Did it go?").status == OUTCOME_UNKNOWN
        inbox_of(app).message_pane.focus()
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("n")
    assert fresh_gateway.count("POST", "/message/send") == 0
    assert [e["text"] for e in stored_outbox(fresh_gateway).values()] == ["Did it go?"]


async def _send_directly(gw: FakeGateway, to: str, sender: str, text: str) -> None:
    credentials = Credentials("test-client", Secret(SECRET), source="test")
    async with SmsClient(gw.url, credentials) as client:
        await client.send(to, text, sender)


async def test_a_restored_message_does_not_take_the_lists_cursor(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """An older failed message from an earlier run joins the list in its place; the start
    still opens the newest conversation, at the top, under the cursor."""
    keep_in_outbox(
        fresh_gateway,
        Outgoing(
            key="local:old-failure",
            conversation=NO_CREDIT,
            to=NO_CREDIT,
            sender=fresh_gateway.own_numbers[0],
            text="Failed last week",
            created=ANCHOR - 7 * 86400,
            status=FAILED,
            reason="Not enough credit to send this message",
        ),
    )
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        rows = inbox.conversation_list.rows
        assert inbox.thread is not None
        assert inbox.thread.key == rows[0].key != NO_CREDIT
        assert inbox.conversation_list.highlighted_key == rows[0].key
        assert NO_CREDIT in [row.key for row in rows]


async def test_a_confirmed_send_is_not_pending_after_a_restart(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Sent and confirmed, then quit: the outbox keeps nothing, and the next start shows the
    gateway's message, nothing "not confirmed", and quits without asking."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        number = inbox.thread.key
        await type_and_send(pilot, "Confirmed before quitting")
        await wait_for(
            pilot,
            lambda: thread_message(app, "Confirmed before quitting").status == "SUBMITTED",
            what="the confirmation",
        )
        inbox.conversation_list.focus()  # q quits from the list (in the thread it goes back)
        await pilot.press("q")  # nothing unsent: no question
    assert app.return_code == 0
    assert stored_outbox(fresh_gateway) == {}, "a confirmed message leaves the outbox"

    # Every look at the conversation waits at the gateway: whatever the next start shows of
    # this message comes from what the last run kept, not from finding it again.
    fresh_gateway.add_fault("hold", f"/conversation/{number}", times=0)
    again = make_app(fresh_gateway)
    async with again.run_test(size=STANDARD) as pilot:
        inbox = await wait_for_list(pilot)
        row = inbox.session.summary(number)
        assert row is not None
        assert (row.preview, row.last_status) == ("Confirmed before quitting", "SUBMITTED")
        assert "not confirmed" not in screen_text(again)
        await pilot.press("q")
        await wait_for(pilot, lambda: not again.is_running, what="the app to quit unasked")
        fresh_gateway.clear_faults()
        fresh_gateway.release()
    assert again.return_code == 0
    assert fresh_gateway.count("POST", "/message/send") == 1


async def wait_for_list(pilot: Pilot[Any]) -> InboxScreen:
    """Wait until the first inbox page is in (the outbox of earlier runs is restored then)."""
    await wait_for(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, InboxScreen)
            and bool(pilot.app.screen.session.pages_loaded)
        ),
        what="the first inbox page",
    )
    return inbox_of(pilot.app)  # type: ignore[arg-type]


async def test_not_confirmed_messages_of_every_conversation_are_looked_for_at_start(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """An earlier run left a "not confirmed" message in a conversation other than the one
    that opens at start; the gateway has it: the start finds it there, unopened."""
    opened, other = fresh_gateway.conversation_numbers()[:2]
    first = make_app(fresh_gateway)
    async with first.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        assert inbox.thread.key == opened
        sender = inbox.compose_flow.sender_for(inbox.session.summary(other))
    await _send_directly(fresh_gateway, other, sender, "Left unconfirmed elsewhere")
    keep_in_outbox(
        fresh_gateway,
        Outgoing(
            key="local:elsewhere",
            conversation=other,
            to=other,
            sender=sender,
            text="Left unconfirmed elsewhere",
            created=ANCHOR,
            status=OUTCOME_UNKNOWN,
        ),
    )
    app = make_app(fresh_gateway, status_refresh=0.05)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        await wait_for(
            pilot, lambda: stored_outbox(fresh_gateway) == {}, what="the copy to be found"
        )
        row = inbox.session.summary(other)
        assert row is not None
        assert (row.preview, row.last_status) == ("Left unconfirmed elsewhere", "SUBMITTED")
        assert inbox.thread is not None
        assert inbox.thread.key == opened, "the other conversation was never opened"
    assert fresh_gateway.count("POST", "/message/send") == 1  # the copy sent above, only
