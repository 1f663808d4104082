"""What users see, pinned as SVG snapshots at a standard and a narrow terminal size.

Every app here runs against the small deterministic fake gateway with a fixed clock, and each
snapshot is taken only after every worker has finished.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from smstui.domain.phones import conversation_key
from smstui.fake import FakeGateway
from smstui.ui.screens.inbox import InboxScreen
from smstui.ui.screens.sign_in import SignInScreen
from smstui.ui.widgets.message_pane import MessagePane
from tests.app.compose_helpers import wait_for
from tests.app_fixtures import NARROW, STANDARD, MakeApp, settle

SIZES = pytest.mark.parametrize("size", [STANDARD, NARROW], ids=["100x30", "60x20"])


def inbox(pilot: Pilot[Any]) -> InboxScreen:
    screen = pilot.app.screen
    assert isinstance(screen, InboxScreen)
    return screen


@SIZES
def test_inbox_with_a_conversation_open(
    size: tuple[int, int], make_app: MakeApp, snap_compare: Any
) -> None:
    """The newest conversation open at its newest message; narrow shows the thread alone."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_conversation_list(size: tuple[int, int], make_app: MakeApp, snap_compare: Any) -> None:
    """The list after start-up: names, formatted numbers, previews, times, status glyphs."""
    assert snap_compare(make_app(), terminal_size=size, run_before=settle)


@SIZES
def test_start_of_a_long_conversation(
    size: tuple[int, int], make_app: MakeApp, gateway: FakeGateway, snap_compare: Any
) -> None:
    """Scrolled all the way up: the start-of-conversation marker above the first message."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        inbox(pilot).open_conversation(conversation_key(gateway.largest_conversation))
        await settle(pilot)
        thread = inbox(pilot).thread
        assert thread is not None
        pane = pilot.app.screen.query_one(MessagePane)
        pane.focus()
        for _ in range(40):
            await pilot.press("home")
            await settle(pilot)
            if thread.complete:
                break
        assert thread.complete
        # The oldest page went in above the view, which kept its place: go up to the marker.
        await pilot.press("home")
        await wait_for(
            pilot,
            lambda: (
                pane.scroll_offset.y == 0
                and pane.render_line(0).text.strip().startswith("Start of conversation")
            ),
            what="the start-of-conversation marker at the top",
        )
        assert pane.cursor_message == thread.messages[0]

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_loading_older_messages(
    size: tuple[int, int], make_app: MakeApp, fresh_gateway: FakeGateway, snap_compare: Any
) -> None:
    """While an older page is on its way, a loading row sits at the top of the thread."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        fresh_gateway.add_fault("hold", "/conversation/*", times=0)
        await pilot.press("home")
        pane = pilot.app.screen.query_one(MessagePane)
        await wait_for(pilot, lambda: pane.loading_older, what="the loading row")
        await pilot.pause()

    assert snap_compare(make_app(fresh_gateway), terminal_size=size, run_before=run_before)


@SIZES
def test_attachment_panel_over_ssh(
    size: tuple[int, int], make_app: MakeApp, snap_compare: Any
) -> None:
    """Over SSH, o shows the attachment's name, type, host and a clickable, copyable link."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        pane = pilot.app.screen.query_one(MessagePane)
        for _ in range(80):
            message = pane.cursor_message
            if message is not None and message.attachments:
                break
            await pilot.press("up")
        await pilot.press("o")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_sign_in(size: tuple[int, int], make_app: MakeApp, snap_compare: Any) -> None:
    """No credentials: the sign-in screen, with the secret field masked.

    Taken once the keyring check has answered ("remember" ticked: the suite's keyring can store).
    """

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_for(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, SignInScreen) and pilot.app.screen.keyring_answered
            ),
            what="the keyring's answer",
        )
        await settle(pilot)

    assert snap_compare(make_app(credentials=None), terminal_size=size, run_before=run_before)


@SIZES
def test_sign_in_rejected(size: tuple[int, int], make_app: MakeApp, snap_compare: Any) -> None:
    """A wrong secret: the gateway's refusal under the Sign in button, inside the terminal."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_for(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, SignInScreen) and pilot.app.screen.keyring_answered
            ),
            what="the keyring's answer",
        )
        await pilot.press(*"test-client", "tab", *"wrong-secret", "enter")
        await settle(pilot)
        # A pressed button looks pressed for a moment (Textual's active effect, a timer): under
        # load the picture could be taken inside it.
        await wait_for(
            pilot, lambda: not pilot.app.screen.query(".-active"), what="the press effect over"
        )

    assert snap_compare(make_app(credentials=None), terminal_size=size, run_before=run_before)


@SIZES
def test_help(size: tuple[int, int], make_app: MakeApp, snap_compare: Any) -> None:
    """? lists every key that works here, generated from the live bindings."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_gateway_error(
    size: tuple[int, int], make_app: MakeApp, fresh_gateway: FakeGateway, snap_compare: Any
) -> None:
    """The inbox fails to load: a one-line error, a hint in the list, the app still usable.

    The sent history fails too: otherwise the history's reader fills the list with the people
    we wrote to, sooner or later, and the picture depends on which came first.
    """
    fresh_gateway.add_fault("error_in_200", "/message/*", times=0)
    assert snap_compare(make_app(fresh_gateway), terminal_size=size, run_before=settle)


@SIZES
def test_list_filter(size: tuple[int, int], make_app: MakeApp, snap_compare: Any) -> None:
    """/ filters the list by name or number as you type."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("slash", "m", "a")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
