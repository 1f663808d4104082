"""Keys that cannot do anything here say why, muted conversations are marked in the list, and
the terminal's window title is set from the start."""

from __future__ import annotations

from typing import Any

import pytest
from textual.drivers.headless_driver import HeadlessDriver

from smstui.domain.phones import conversation_key
from smstui.ui.app import SmsApp
from smstui.ui.screens.assign import AssignScreen
from smstui.ui.widgets.key_footer import KeyFooter
from tests.app.compose_helpers import inbox_of, wait_for
from tests.app_fixtures import STANDARD, MakeApp, settle

MUTED_MARK = "muted"


def notices(app: SmsApp) -> list[str]:
    return [notification.message for notification in app._notifications]


@pytest.mark.parametrize(
    ("key", "said"),
    [("a", "Assigning needs team mode (store_url)"), ("N", "An internal note needs team mode")],
)
async def test_team_keys_say_they_need_team_mode(make_app: MakeApp, key: str, said: str) -> None:
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await wait_for(pilot, lambda: any(said in text for text in notices(app)), what=said)
        assert not isinstance(app.screen, AssignScreen)


async def test_o_on_a_message_with_nothing_to_open_says_so(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: inbox.message_pane.has_focus, what="the thread")
        pane = inbox.message_pane
        for _ in range(30):  # up to a message without a link or an attachment
            message = pane.cursor_message
            if message is not None and not message.attachments and "://" not in message.text:
                break
            await pilot.press("up")
        footer = app.screen.query_one(KeyFooter)
        await pilot.pause()
        assert "Open" not in " ".join(str(key.description) for key in footer.children)
        await pilot.press("o")
        await wait_for(
            pilot,
            lambda: "Nothing to open in this message" in notices(app),
            what="the notice",
        )


async def test_a_muted_conversation_is_marked_in_the_list(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        row = inbox.conversation_list.rows[0]

        def first_row() -> str:
            return inbox.conversation_list.render_line(0).text

        assert MUTED_MARK not in first_row()
        await pilot.press("M")
        await wait_for(pilot, lambda: MUTED_MARK in first_row(), what="the mark")
        assert conversation_key(row.number) in inbox.session.muted
        await pilot.press("M")
        await wait_for(pilot, lambda: MUTED_MARK not in first_row(), what="no mark")


async def test_the_window_title_is_set_from_the_start(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even with nothing unread, the window is called smstui as soon as the app starts."""
    written: list[str] = []

    def record(_driver: Any, data: str) -> None:
        written.append(data)

    monkeypatch.setattr(HeadlessDriver, "write", record)
    app = make_app(credentials=None)  # the sign-in screen: nothing can be unread yet
    async with app.run_test(size=STANDARD) as pilot:
        await pilot.pause()
        assert "\x1b]2;smstui\x07" in written
        assert written.index("\x1b[22;0t") < written.index("\x1b]2;smstui\x07")
    assert written[-1] == "\x1b[23;0t" or "\x1b[23;0t" in written, "the old title back"
