"""``o`` on links in a message's text: offered only when there is something to open, shown with
their host in the links panel, opened only where a program can show them, copied everywhere."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from smstui.fake import FakeGateway
from smstui.ui.app import SmsApp
from smstui.ui.screens.attachments import AttachmentCard, AttachmentsScreen
from smstui.ui.widgets.message_pane import MessagePane
from tests.app.compose_helpers import inbox_of, wait_for
from tests.app_fixtures import STANDARD, MakeApp, PopenRecorder, desktop, screen_text, settle

SENDER = "+48500100200"
TRACKING = "https://inpost.example/track?id=123&x=1"
SHOP = "http://sklep.example/zwroty"


def footer(app: SmsApp) -> str:
    """The bottom line of the terminal (the footer with the key hints)."""
    return screen_text(app).splitlines()[-1]


async def open_newest(pilot: Pilot[Any], text: str) -> MessagePane:
    """Open the newest conversation (the one just delivered) with its newest message focused."""
    await settle(pilot)
    inbox = inbox_of(pilot.app)  # type: ignore[arg-type]
    pane = inbox.message_pane
    inbox.conversation_list.focus()
    await pilot.press("home", "enter")
    await wait_for(
        pilot,
        lambda: (
            pane.has_focus and pane.cursor_message is not None and pane.cursor_message.text == text
        ),
        what="the delivered message highlighted in the open thread",
    )
    await settle(pilot)
    return pane


async def test_o_shows_a_link_in_the_text_over_ssh_without_open_and_copies_it(
    make_app: MakeApp,
    fresh_gateway: FakeGateway,
    popen: PopenRecorder,
    opened_urls: list[str],
) -> None:
    text = f"Paczka w drodze: {TRACKING}. Zwroty: {SHOP}!"
    fresh_gateway.deliver_inbound(SENDER, text)
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD, notifications=True) as pilot:
        await open_newest(pilot, text)
        assert "o Open" in footer(app)
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, AttachmentsScreen), what="panel")
        await pilot.pause()
        panel = app.screen
        assert isinstance(panel, AttachmentsScreen)
        assert [view.url for view in panel.views] == [TRACKING, SHOP]
        shown = screen_text(app)
        assert "inpost.example" in shown
        assert "sklep.example" in shown
        assert "Open" not in footer(app)  # nothing can be opened on an SSH server
        assert "y Copy link" in footer(app)
        links = {
            segment.style.link
            for card in panel.query(AttachmentCard)
            for y in range(card.size.height)
            for segment in card.render_line(y)
            if segment.style is not None and segment.style.link
        }
        assert links == {TRACKING, SHOP}
        await pilot.press("j", "y")
        await pilot.pause()
        assert app.clipboard == SHOP
        await pilot.press("enter")  # says why, launches nothing
        await pilot.pause()
        assert popen.calls == []
        assert opened_urls == []


async def test_o_on_a_desktop_shows_the_host_first_then_opens_the_chosen_link(
    make_app: MakeApp,
    fresh_gateway: FakeGateway,
    popen: PopenRecorder,
    opened_urls: list[str],
) -> None:
    text = f"Track: {TRACKING} or {SHOP}"
    fresh_gateway.deliver_inbound(SENDER, text)
    app = make_app(fresh_gateway, environment=desktop())
    async with app.run_test(size=STANDARD, notifications=True) as pilot:
        await open_newest(pilot, text)
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, AttachmentsScreen), what="panel")
        await pilot.pause()
        assert popen.calls == []  # a link from a text is never opened unseen
        assert "Open" in footer(app)
        await pilot.press("j", "enter")
        await wait_for(pilot, lambda: bool(popen.calls), what="the opener")
        assert [argv for argv, _ in popen.calls] == [["xdg-open", SHOP]]
        assert opened_urls == []


async def test_links_and_attachments_share_the_panel(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    text = f"Zdjęcie i faktura: {TRACKING}"
    fresh_gateway.deliver_inbound(SENDER, text, attachments=1)
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        pane = await open_newest(pilot, text)
        message = pane.cursor_message
        assert message is not None
        assert len(message.attachments) == 1
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, AttachmentsScreen), what="panel")
        panel = app.screen
        assert isinstance(panel, AttachmentsScreen)
        assert [view.url for view in panel.views] == [TRACKING, message.attachments[0].url]
        await pilot.pause()
        assert "Link and attachment" in screen_text(app)


async def test_o_is_not_offered_for_a_message_with_nothing_to_open_and_says_so(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    text = "Sklep: www.sklep.example, javascript:alert(1) or example.com/zwroty"
    fresh_gateway.deliver_inbound(SENDER, text)
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        pane = await open_newest(pilot, text)
        assert "Open" not in footer(app)
        assert pane.offers_hint("open_attachments") is False
        await pilot.press("o")
        await pilot.pause()
        assert not isinstance(app.screen, AttachmentsScreen)
        assert "Nothing to open in this message" in [n.message for n in app._notifications]
        assert "y Copy" in footer(app)
