"""Live updates against the fake gateway: new messages, unread state, notifications, offline.

Polling runs every 0.2 s here (settings built directly are not held to the file's 10 s
minimum), so arrivals show up within a fraction of a second.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets._toast import Toast

from smstui.domain.models import InboxItem
from smstui.fake import FakeGateway
from smstui.sync.trouble import GRACE
from smstui.ui.app import SmsApp
from smstui.ui.screens.live_updates import arrival_toast
from tests.app.compose_helpers import (
    inbox_of,
    pane_text,
    pane_words,
    seed_read_state,
    start,
    store_file,
    used_gateways,
    wait_for,
)
from tests.app_fixtures import ANCHOR, STANDARD, MakeApp, settle

FAST = {"poll_interval": 0.2, "status_refresh": 0.2}


@pytest.fixture(autouse=True)
def earlier_first_run(request: pytest.FixtureRequest) -> None:
    """smstui first ran an hour before "now", so messages arriving now are unread.

    (A first run counts everything up to its start as read, and the fake stamps the first new
    message with exactly the anchor time.)
    """
    if gateways := used_gateways(request):  # a test of pure wording has none
        seed_read_state(ANCHOR - 3600, *gateways)


def count_bells(app: SmsApp) -> list[int]:
    rings: list[int] = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
    return rings


def toast_text(app: SmsApp) -> str:
    """The words on screen inside the toasts."""
    strips = app.screen._compositor.render_strips()
    words: list[str] = []
    for toast in app.screen.query(Toast):
        region = toast.region
        for y in range(region.y, region.bottom):
            words.append(strips[y].crop(region.x, region.right).text)
    return " ".join(" ".join(words).split())


def row(app: SmsApp, key: str) -> Any:
    return next(r for r in inbox_of(app).conversation_list.rows if r.key == key)


async def test_a_new_message_in_the_open_conversation_appears_at_the_bottom(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Viewed at the bottom: the new message shows, the view follows, it counts as read."""
    app = make_app(fresh_gateway, **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        rings = count_bells(app)
        assert inbox.thread is not None
        key = inbox.thread.key
        inbox.message_pane.focus()  # the user is in the conversation
        fresh_gateway.deliver_inbound(key, "Are you open today?")
        await wait_for(pilot, lambda: "Are you open today?" in pane_words(app), what="arrival")
        pane = inbox.message_pane
        assert pane.scroll_offset.y == pane.max_scroll_y
        assert pane.pending_new == 0
        await wait_for(pilot, lambda: row(app, key).unread == 0, what="read")
        assert rings == [], "no bell for the conversation being read"


async def test_a_new_message_while_reading_older_ones_waits_behind_the_notice(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Scrolled up: nothing moves, "↓ 1 new message" shows; End shows it and reads it."""
    app = make_app(fresh_gateway, **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        key = inbox.thread.key
        pane = inbox.message_pane
        pane.focus()
        await pilot.press("pageup", "pageup")
        await settle(pilot)
        before_y, before = pane.scroll_offset.y, pane_text(app).splitlines()
        fresh_gateway.deliver_inbound(key, "Hello from below")
        await wait_for(pilot, lambda: pane.pending_new == 1, what="the notice")
        after = pane_text(app).splitlines()
        assert pane.scroll_offset.y == before_y
        assert after[:-1] == before[:-1], "the rows being read did not move"
        assert "↓ 1 new message" in after[-1]
        assert row(app, key).unread == 1
        await pilot.press("end")
        await wait_for(pilot, lambda: row(app, key).unread == 0, what="read after End")
        assert "Hello from below" in pane_words(app)


@pytest.mark.parametrize(
    ("preview", "shown", "hidden"),
    [
        ("sender", "From Jens Janssens", "Pickup at five"),
        ("full", "Jens Janssens: Pickup at five", ""),
        ("none", "1 new message", "Jens"),
    ],
)
async def test_a_new_message_elsewhere_moves_up_counts_unread_and_notifies(
    make_app: MakeApp, fresh_gateway: FakeGateway, preview: str, shown: str, hidden: str
) -> None:
    """Another conversation: to the top, unread 1, a bell, a toast as private as configured."""
    app = make_app(fresh_gateway, notification_preview=preview, **FAST)
    async with app.run_test(size=STANDARD, notifications=True) as pilot:
        inbox = await start(pilot)
        inbox.message_pane.focus()  # the conversation on screen is read; the count is Jens's
        rings = count_bells(app)
        jens = next(r for r in inbox.conversation_list.rows if r.name == "Jens Janssens")
        fresh_gateway.deliver_inbound(jens.number, "Pickup at five")
        await wait_for(
            pilot, lambda: inbox.conversation_list.rows[0].key == jens.key, what="to the top"
        )
        assert row(app, jens.key).unread == 1
        await wait_for(pilot, lambda: bool(rings), what="the bell")
        assert rings == [1]
        assert app.terminal_title == "smstui (1)"
        await wait_for(pilot, lambda: shown in toast_text(app), what="the toast")
        if hidden:
            assert hidden not in toast_text(app)


def test_toast_text_for_several_messages() -> None:
    """Several arrivals: counted, senders listed once, the newest one previewed in full mode."""

    def item(sender: str, text: str) -> InboxItem:
        return InboxItem("", sender, "", text, "sms", "", ANCHOR)

    arrivals = [("Ann", item("1", "newest")), ("Bob", item("2", "b")), ("Ann", item("1", "c"))]
    assert arrival_toast(arrivals, "none") == "3 new messages"
    assert arrival_toast(arrivals, "sender") == "3 new messages from Ann, Bob"
    assert arrival_toast(arrivals, "full") == "Ann: newest\n+2 more"


async def test_unread_counts_survive_a_restart(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Read stays read, unread stays unread, and u (mark unread) sticks across restarts."""
    seed_read_state(ANCHOR - 14 * 86400, fresh_gateway)
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        rows = inbox.conversation_list.rows
        assert rows[0].unread > 0, "shown at start with the focus in the list: not read"
        unread = [r for r in rows if r.unread > 0]
        assert len(unread) >= 2, [(r.name, r.unread) for r in rows]
        to_read, left = unread[0], unread[1]
        to_flag = next(r for r in rows[1:] if r.unread == 0)
        inbox.open_conversation(to_read.key)
        await settle(pilot)
        assert row(app, to_read.key).unread == 0
        assert "New messages" in pane_text(app), "a divider above the first unread message"
        inbox.conversation_list.focus()
        inbox.conversation_list.highlight_key(to_flag.key)
        await pilot.press("u")
        assert row(app, to_flag.key).unread == 1
        total = inbox.session.conversations.total_unread()
        assert app.terminal_title == f"smstui ({total})"
    assert store_file(fresh_gateway).stat().st_mode & 0o777 == 0o600, "read markers kept here"

    again = make_app(fresh_gateway)
    async with again.run_test(size=STANDARD) as pilot:
        await start(pilot)
        assert row(again, to_read.key).unread == 0
        assert row(again, left.key).unread == left.unread
        assert row(again, to_flag.key).unread == 1


@pytest.mark.parametrize("into_it", ["ctrl+l", "enter", "tab"])
async def test_the_conversation_shown_at_start_stays_unread_until_the_user_goes_into_it(
    make_app: MakeApp, fresh_gateway: FakeGateway, into_it: str
) -> None:
    """Opened for show beside the focused list: unread, also after polls, moving in the list
    and a restart. Going into it (Ctrl+L, Enter on it, Tab) reads it."""
    seed_read_state(ANCHOR - 14 * 86400, fresh_gateway)
    app = make_app(fresh_gateway, **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        key = inbox.thread.key
        assert inbox.conversation_list.has_focus
        unread = row(app, key).unread
        assert unread > 0
        assert "New messages" in pane_text(app), "the divider shows what is unread"
        polls = fresh_gateway.count("GET", "/message/inbox")
        await pilot.press("j", "k")
        await wait_for(
            pilot, lambda: fresh_gateway.count("GET", "/message/inbox") >= polls + 2, what="polls"
        )
        assert row(app, key).unread == unread
        assert app.terminal_title == f"smstui ({inbox.session.conversations.total_unread()})"

    again = make_app(fresh_gateway)
    async with again.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        assert inbox.thread.key == key
        assert row(again, key).unread == unread, "nothing was written as read"
        assert inbox.conversation_list.highlighted_key == key
        await pilot.press(into_it)
        await settle(pilot)
        assert inbox.message_pane.has_focus
        assert row(again, key).unread == 0


async def test_u_on_the_open_conversation_keeps_it_unread_until_opened_again(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """u in the thread: polls that refresh it do not read it again; choosing it does."""
    app = make_app(fresh_gateway, **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        key = inbox.thread.key
        inbox.message_pane.focus()
        await pilot.press("u")
        assert row(app, key).unread == 1
        polls = fresh_gateway.count("GET", "/message/inbox")
        await wait_for(
            pilot, lambda: fresh_gateway.count("GET", "/message/inbox") >= polls + 2, what="polls"
        )
        assert row(app, key).unread == 1
        inbox.conversation_list.focus()
        inbox.conversation_list.highlight_key(key)
        await pilot.press("enter")
        assert row(app, key).unread == 0


async def test_next_unread_key_opens_the_next_unread_conversation(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """] jumps to the next conversation with unread messages and reads it."""
    seed_read_state(ANCHOR - 14 * 86400, fresh_gateway)
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.message_pane.focus()  # in the conversation shown at start: it is read
        await pilot.pause()
        first_unread = next(r for r in inbox.conversation_list.rows if r.unread > 0)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert inbox.thread is not None
        assert inbox.thread.key == first_unread.key
        assert row(app, first_unread.key).unread == 0


async def test_offline_polls_back_off_and_say_when_while_everything_stays_usable(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Polls that fail say "Offline — retrying in …" once it has lasted; the thread and the
    draft stay."""
    app = make_app(fresh_gateway, **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.composer.text_area.insert("half-written reply")
        messages_before = inbox.message_pane.message_count
        before = fresh_gateway.count("GET", "/message/inbox")
        fresh_gateway.add_fault("reset", "/message/inbox", times=0)
        # Two whole polls fail (each GET is tried four times by the client) …
        await wait_for(
            pilot,
            lambda: fresh_gateway.count("GET", "/message/inbox") - before >= 8,
            seconds=15,
            what="two failed polls",
        )
        # … which is not said until it has lasted (the app's clock has not moved) …
        assert inbox.status_line.text == "Up to date"
        app.clock.advance(GRACE)  # type: ignore[attr-defined]
        # … then the status line says so, with when the next try is.
        await wait_for(
            pilot,
            lambda: inbox.status_line.text.startswith("Offline — retrying in"),
            seconds=15,
            what="the outage to be said",
        )
        assert inbox.message_pane.message_count == messages_before
        assert inbox.composer.text == "half-written reply"
        fresh_gateway.clear_faults()
        await wait_for(
            pilot, lambda: inbox.status_line.text == "Connected again", seconds=10, what="back"
        )
