"""``n`` reads numbers in our own country, names the country, and titles the new conversation.

The fake gateway's numbers are +32 460 12 34 56 (Belgium, the first: new messages go out from
it) and +48 732 104 455 (Poland); ``/vmn`` says BE and PL.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from smstui.domain.conversations import ConversationSummary
from smstui.fake import FakeGateway
from smstui.ui.screens.new_message import NewMessageScreen
from smstui.ui.widgets.thread_title import ThreadTitle
from tests.app.compose_helpers import inbox_of, start, wait_for
from tests.app_fixtures import NARROW, STANDARD, MakeApp, screen_text, settle

OUR_BELGIAN = "+32 460 12 34 56"


def hint(app: App[Any]) -> str:
    """The line under the number field, as shown (wrapped lines joined)."""
    dialog = app.screen
    assert isinstance(dialog, NewMessageScreen)
    widget = dialog.query_one("#hint")
    region = widget.content_region
    lines = screen_text(app).splitlines()[region.y : region.bottom]
    return " ".join(" ".join(line[region.x : region.right].split()) for line in lines).strip()


async def type_number(pilot: Pilot[Any], text: str) -> NewMessageScreen:
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, NewMessageScreen), what="dialog")
    dialog = pilot.app.screen
    assert isinstance(dialog, NewMessageScreen)
    await pilot.press(*text)
    await pilot.pause()
    return dialog


@pytest.mark.parametrize(
    ("typed", "key", "shown"),
    [
        # Polish mobile written nationally: invalid in Belgium (our sending country), valid in
        # Poland (our other number's): never +51 299 9888 (Peru) as it used to be.
        ("512999888", "48512999888", "+48 512 999 888 · Poland"),
        ("0470 12 34 56", "32470123456", "+32 470 12 34 56 · Belgium"),
        # The country code without +: no national reading is valid, the international one is.
        ("48512345678", "48512345678", "+48 512 345 678 · Poland"),
        ("+31 6 12345678", "31612345678", "+31 6 12345678 · Netherlands"),
    ],
)
async def test_n_reads_numbers_in_our_country_and_names_it(
    make_app: MakeApp, fresh_gateway: FakeGateway, typed: str, key: str, shown: str
) -> None:
    """The dialog shows the number as understood with its country; Enter opens that one."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        await start(pilot)
        await type_number(pilot, typed)
        assert hint(app) == f"→ {shown}"
        await pilot.press("enter")
        await settle(pilot)
        inbox = inbox_of(app)
        assert inbox.thread is not None
        assert inbox.thread.key == key


async def test_a_number_valid_in_none_of_our_countries_is_refused(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Possible is not enough without +: the dialog stays open and names where it looked."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        await start(pilot)
        dialog = await type_number(pilot, "112999888")
        assert "→" not in hint(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert hint(app) == (
            "Not a valid number in Belgium or Poland, nor an international one: check the "
            "digits, or start with + and the country code."
        )


async def test_the_country_setting_reads_numbers_while_our_numbers_are_unknown(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """/vmn failed: ``country = "NL"`` says where 06 numbers are, and the hint names it."""
    fresh_gateway.add_fault("malformed_json", "/vmn", times=0)
    app = make_app(fresh_gateway, country="NL")
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.session.own_numbers == ()
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewMessageScreen), what="dialog")
        assert "or a number in Netherlands" in hint(app)
        await pilot.press(*"06 12345678")
        await pilot.pause()
        assert hint(app) == "→ +31 6 12345678 · Netherlands"


@pytest.mark.parametrize("size", [STANDARD, NARROW])
async def test_a_new_conversation_is_titled_with_our_real_sending_number(
    make_app: MakeApp, fresh_gateway: FakeGateway, size: tuple[int, int]
) -> None:
    """Started with n, the title says which of our numbers it runs on, as the composer does."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        await type_number(pilot, "512999888")
        await pilot.press("enter")
        await settle(pilot)
        inbox = inbox_of(app)
        summary = inbox.session.summary("48512999888")
        assert summary is not None
        assert summary.own_number == "32460123456"
        title = " ".join(str(inbox.query_one(ThreadTitle).render()).split())
        assert title == f"+48 512 999 888 via {OUR_BELGIAN}"


class TitleHost(App[None]):
    def compose(self) -> ComposeResult:
        yield ThreadTitle()


@pytest.mark.parametrize("placeholder", ["Sender", "MyShop", "123"])
async def test_the_title_never_shows_a_placeholder_as_our_number(placeholder: str) -> None:
    """A gateway copy that names no number of ours ("Sender") leaves "via" out of the title."""
    summary = ConversationSummary(
        key="48512999888",
        number="48512999888",
        name="",
        preview="",
        timestamp=0,
        own_number=placeholder,
    )
    app = TitleHost()
    async with app.run_test(size=STANDARD) as pilot:
        title = app.query_one(ThreadTitle)
        title.show(summary, summary.key)
        await pilot.pause()
        assert str(title.render()).strip() == "+48 512 999 888"
