"""A terminal below the smallest usable size shows one line instead of the panes.

At one or two columns Textual's TextArea placeholder used to raise (``range() arg 3 must not
be zero``) and end the app. Now every screen's content is hidden and a notice says how big
the terminal is and how big it must be; when it grows again everything is as it was.
"""

from __future__ import annotations

import pytest
from textual.events import Paste
from textual.geometry import Size

from smstui.fake import FakeGateway
from smstui.ui.app import SmsApp
from smstui.ui.screens.size_guard import MIN_HEIGHT, MIN_WIDTH, too_small_text
from smstui.ui.widgets.conversation_list import ConversationList
from smstui.ui.widgets.message_pane import MessagePane
from tests.app.compose_helpers import inbox_of, start, wait_for
from tests.app_fixtures import STANDARD, MakeApp, screen_text, settle

NOTICE = "Terminal too small"


def squeezed(app: SmsApp) -> str:
    """The visible characters, wrapped lines joined and spaces dropped."""
    return "".join(screen_text(app).split())


def notice_for(width: int, height: int) -> str:
    return f"Terminal too small: {width}×{height}, need at least {MIN_WIDTH}×{MIN_HEIGHT}"


def test_the_notice_names_both_sizes() -> None:
    assert too_small_text(Size(1, 24)) == "Terminal too small: 1×24, need at least 20×8"
    assert too_small_text(Size(MIN_WIDTH, MIN_HEIGHT)) == ""
    assert too_small_text(Size(MIN_WIDTH - 1, 40)) != ""
    assert too_small_text(Size(200, MIN_HEIGHT - 1)) != ""


@pytest.mark.parametrize(
    "size", [(0, 24), (1, 24), (2, 24), (3, 10), (100, 1), (60, 0), (19, 30), (40, 7)]
)
async def test_a_tiny_terminal_shows_the_notice_and_does_not_crash(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    """Start-up, a few keys and the end of all loading at that size: no crash, the notice."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("tab", "a", "enter", "n")
        await settle(pilot)
        assert app.size_guard.text == notice_for(*size)
        shown = squeezed(app)
        expected = "".join(notice_for(*size).split())
        width, height = size
        if width and height:
            assert shown, "something is on screen"
            assert expected.startswith(shown), shown
        else:
            assert shown == ""
        assert app.screen.query_one(ConversationList).region.area == 0, "the panes are hidden"
    assert app.return_code in (None, 0)


async def test_shrinking_hides_everything_and_growing_brings_it_back_as_it_was(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Open conversation, draft and focus survive; keys pressed while tiny send nothing."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        thread = inbox.thread
        assert thread is not None
        key = thread.key
        inbox.composer.text_area.focus()
        inbox.composer.text_area.insert("half a reply")
        await pilot.pause()
        before = screen_text(app)

        await pilot.resize_terminal(1, 24)
        await wait_for(pilot, lambda: squeezed(app).startswith("Terminal"), what="the notice")
        assert inbox.message_pane.region.area == 0, "the panes are hidden"
        await pilot.press("x", "enter", "n", "slash")
        app.post_message(Paste("pasted text"))
        await settle(pilot)
        assert app.screen is inbox, "no key reached the hidden screen"
        assert fresh_gateway.count("POST", "/message/send") == 0, "nothing was sent blind"
        assert inbox.composer.text == "half a reply", "keys did not reach the composer"

        await pilot.resize_terminal(*STANDARD)
        await wait_for(pilot, lambda: NOTICE not in screen_text(app), what="the panes back")
        await settle(pilot)
        assert inbox_of(app) is inbox
        thread = inbox.thread
        assert thread is not None
        assert thread.key == key
        assert inbox.composer.text == "half a reply"
        assert inbox.composer.text_area.has_focus
        assert screen_text(app) == before


async def test_starting_tiny_then_growing_shows_the_inbox(make_app: MakeApp) -> None:
    """Everything loaded while hidden is laid out when the terminal becomes big enough."""
    app = make_app()
    async with app.run_test(size=(1, 24)) as pilot:
        await settle(pilot)
        assert NOTICE.split()[0][:1] in screen_text(app)
        await pilot.resize_terminal(*STANDARD)
        await wait_for(pilot, lambda: NOTICE not in screen_text(app), what="the inbox")
        await settle(pilot)
        inbox = inbox_of(app)
        rows = inbox.conversation_list.rows
        assert rows
        assert inbox.query_one(ConversationList).region.area > 0
        assert inbox.query_one(MessagePane).region.area > 0
        first = rows[0]
        assert (first.name or first.key)[:10] in screen_text(app)


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
async def test_the_quit_keys_still_work_when_tiny(make_app: MakeApp, key: str) -> None:
    app = make_app()
    async with app.run_test(size=(1, 24)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to quit")


async def test_the_sign_in_screen_is_guarded_too(make_app: MakeApp) -> None:
    """No stored credentials: the sign-in screen hides behind the notice, then comes back."""
    app = make_app(credentials=None)
    async with app.run_test(size=(2, 24)) as pilot:
        await settle(pilot)
        assert squeezed(app).startswith("Te")
        await pilot.resize_terminal(*STANDARD)
        await wait_for(pilot, lambda: NOTICE not in screen_text(app), what="the sign-in form")
        assert type(app.screen).__name__ == "SignInScreen"
        assert app.screen.focused is not None
