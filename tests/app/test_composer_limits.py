"""The composer's limit in the app: ``max_parts`` from the settings, the reason on its own line,
and a Unicode text over the limit left to the gateway to decide."""

from __future__ import annotations

from smstui.app import SmsApp
from smstui.fake import FakeGateway
from smstui.outbox import FAILED
from tests.app.compose_helpers import pane_words, start, thread_message, type_and_send
from tests.app_fixtures import STANDARD, MakeApp, settle

POLISH_264 = ("Dzień dobry, paczka będzie jutro między 10 a 12. " * 6)[:264]


def reason_on_screen(app: SmsApp) -> str:
    """The words drawn in the line(s) under the composer's meter."""
    region = app.screen.query_one("#composer-reason").region
    strips = app.screen._compositor.render_strips()
    lines = [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]
    return " ".join(" ".join(lines).split())


def posts(gw: FakeGateway) -> int:
    return gw.count("POST", "/message/send")


async def test_max_parts_from_the_settings_blocks_gsm_text_with_the_reason_shown(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    app = make_app(fresh_gateway, max_parts=1)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        await type_and_send(pilot, "a" * 161)
        await settle(pilot)
        assert posts(fresh_gateway) == 0
        assert inbox.composer.text == "a" * 161
        reason = "Too long: 161 of 160 characters (2 parts, at most 1). Enter does not send it"
        assert reason_on_screen(app) == reason


async def test_unicode_over_the_limit_goes_to_the_gateway_which_decides(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """264 Polish characters (4 parts): sent; this gateway refuses it and says so on the bubble."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.composer.text_area.focus()
        inbox.composer.text_area.insert(POLISH_264)
        await pilot.pause()
        assert reason_on_screen(app) == (
            "4 parts, over 3: Enter sends it, but the gateway may refuse it "
            "(its Unicode limit is not documented) "
            "UCS-2 · 4 parts → GSM-7 · 2 parts with accents removed: Ctrl+R"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert posts(fresh_gateway) == 1
        assert thread_message(app, POLISH_264).status == FAILED
        assert "Message too long" in pane_words(app)
