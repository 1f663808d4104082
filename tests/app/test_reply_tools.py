"""Replies that are safe and fast: opt-outs, templates and removing accents, in the real app."""

from __future__ import annotations

from smstui.fake import FakeGateway
from smstui.fake.sending import OPTED_OUT_NUMBER
from smstui.store.personal import OPT_OUTS
from smstui.system import paths
from smstui.ui.screens.confirm import ConfirmScreen
from smstui.ui.screens.template_picker import TemplatePicker
from tests.app.compose_helpers import (
    account_state,
    inbox_of,
    pane_words,
    start,
    type_and_send,
    wait_for,
)
from tests.app_fixtures import STANDARD, MakeApp, screen_text, settle


def posts(gw: FakeGateway) -> int:
    return gw.count("POST", "/message/send")


def opted_out_numbers(gw: FakeGateway) -> dict[str, dict[str, object]]:
    """The account's opt-out list as another smstui reads it."""
    with account_state(gw) as state:
        return state.entries(OPT_OUTS).entries


async def test_a_stop_reply_is_marked_x_opts_out_and_sending_is_blocked(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """STOP is marked in the thread; x puts the number on the list; no POST until allowed."""
    number = fresh_gateway.conversation_numbers()[3]
    fresh_gateway.deliver_inbound(number, " Stop! ")
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        # The newest conversation (the STOP) is the one open once start-up is over.
        await wait_for(
            pilot,
            lambda: inbox.thread is not None and number.endswith(inbox.thread.key[-9:]),
            what="the STOP conversation open",
        )
        await wait_for(
            pilot, lambda: "Stop! 12:00 opt-out request" in pane_words(app), what="the STOP"
        )
        inbox.message_pane.focus()
        await pilot.pause()
        assert "Opt out" in screen_text(app), "the footer offers x on the STOP message"
        await pilot.press("x")
        await pilot.pause()
        assert number in opted_out_numbers(fresh_gateway)
        composer = inbox.composer
        assert "This number asked not to get messages (STOP on" in composer.reason_text
        assert "sending is blocked · Ctrl+O to allow again" in composer.reason_text
        before = posts(fresh_gateway)
        await type_and_send(pilot, "One more offer")
        await settle(pilot)
        assert posts(fresh_gateway) == before, "a blocked send makes no request"
        assert composer.text == "One more offer", "the text stays"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert number not in opted_out_numbers(fresh_gateway)
        assert composer.reason_text == ""
        await pilot.press("enter")
        await settle(pilot)
        assert posts(fresh_gateway) == before + 1


async def test_a_131_refusal_puts_the_number_on_the_list(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """The gateway's error 131 adds the number, says so, and the next send is blocked."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.start_conversation(OPTED_OUT_NUMBER)
        await settle(pilot)
        await type_and_send(pilot, "Your order is ready")
        await settle(pilot)
        assert posts(fresh_gateway) == 1
        assert opted_out_numbers(fresh_gateway)[OPTED_OUT_NUMBER]["reason"] == "gateway"
        said = " ".join(notice.message for notice in app._notifications)
        assert "opted out (error 131): it is on the opt-out list now" in said
        assert "The gateway refused a message: this number opted out" in (
            inbox.composer.reason_text
        )
        await type_and_send(pilot, "Again?")
        await settle(pilot)
        assert posts(fresh_gateway) == 1


async def test_a_template_is_filled_in_previewed_and_its_blanks_block_sending(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Ctrl+T, type to filter, Enter: the filled-in text; a blank left blocks Enter."""
    folder = paths.config_dir() / "templates"
    folder.mkdir(parents=True)
    (folder / "pickup.txt").write_text(
        "Hi {first_name|there}, order {order_no} is ready on {pickup_day|Monday}. "
        "Call {our_number}.\n",
        encoding="utf-8",
    )
    (folder / "hours.txt").write_text("We are open Mon-Fri 9-17", encoding="utf-8")
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        composer = inbox.composer
        composer.text_area.focus()
        await pilot.press("ctrl+t")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, TemplatePicker)
        await pilot.press(*"pick")
        await pilot.pause()
        assert [t.name for t in picker.shown] == ["pickup"]
        preview = picker.preview_text
        assert "{order_no} is ready on Monday. Call +48" in preview
        assert "fill in {order_no} before sending" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert inbox_of(app) is inbox
        assert composer.text == preview
        assert "Fill in {order_no} first" in composer.reason_text
        await pilot.press("enter")
        await settle(pilot)
        assert posts(fresh_gateway) == 0, "a template with a blank is not sent"
        start_at = composer.text.index("{order_no}")
        area = composer.text_area
        area.replace("A-17", (0, start_at), (0, start_at + len("{order_no}")))
        await pilot.pause()
        assert composer.reason_text == ""
        await pilot.press("enter")
        await settle(pilot)
        assert posts(fresh_gateway) == 1


async def test_remove_accents_is_offered_applied_on_its_key_and_undone(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """The meter line offers the saving; Ctrl+R applies it; Ctrl+Z brings the accents back."""
    text = "Dziękujemy za zamówienie, paczka czeka w punkcie odbioru. " * 2
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        composer = inbox.composer
        composer.text_area.focus()
        composer.text_area.insert(text)
        await pilot.pause()
        assert composer.text == text, "never applied by itself"
        assert "UCS-2 · 2 parts → GSM-7 · 1 part with accents removed: Ctrl+R" in (
            composer.reason_text
        )
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "ę" not in composer.text, what="accents removed")
        assert composer.text == text.replace("ę", "e").replace("ó", "o")
        assert composer.segment_info.encoding == "GSM-7"
        assert composer.reason_text == ""
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert composer.text == text
