"""The parts a message costs, in the app: over ``max_parts`` Enter asks first and only ``y`` sends;
over ``hard_max_parts`` nothing sends it. POSTs are counted at the fake gateway."""

from __future__ import annotations

from smstui.domain.outbox import FAILED
from smstui.fake import FakeGateway
from smstui.ui.app import SmsApp
from smstui.ui.screens.confirm import ConfirmScreen
from smstui.ui.screens.inbox import InboxScreen
from smstui.ui.screens.send_later import SendLaterScreen
from tests.app import terminal_bytes
from tests.app.compose_helpers import pane_words, start, thread_message, wait_for
from tests.app_fixtures import STANDARD, MakeApp, screen_text, settle

POLISH_264 = ("Dzień dobry, paczka będzie jutro między 10 a 12. " * 6)[:264]
"""264 UCS-2 characters: four parts of 67, one over the default ``max_parts``."""
PASTE = ("Zażółć gęślą jaźń, paczka będzie jutro. " * 25_000)[:1_000_000]
"""A million accented characters, as pasted in the incident: 14,926 UCS-2 parts."""


def reason_on_screen(app: SmsApp) -> str:
    """The words drawn in the line(s) under the composer's meter."""
    region = app.screen.query_one("#composer-reason").region
    strips = app.screen._compositor.render_strips()
    lines = [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]
    return " ".join(" ".join(lines).split())


def words_on_screen(app: SmsApp) -> str:
    return " ".join(screen_text(app).split())


def posts(gw: FakeGateway) -> int:
    return gw.count("POST", "/message/send")


def asking(app: SmsApp) -> bool:
    return isinstance(app.screen, ConfirmScreen)


async def write(pilot: object, app: SmsApp, text: str) -> InboxScreen:
    inbox = await start(pilot)  # type: ignore[arg-type]
    inbox.composer.text_area.focus()
    inbox.composer.text_area.insert(text)
    await pilot.pause()  # type: ignore[attr-defined]
    return inbox


async def test_over_max_parts_enter_asks_naming_the_parts_and_only_y_sends(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Enter, Enter typed ahead, n and Esc send nothing and keep the text; y sends it once."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await write(pilot, app, POLISH_264)
        assert reason_on_screen(app).startswith(
            "4 parts, over max_parts = 3: charged as 4 messages; Enter asks before sending"
        )
        await pilot.press("enter", "enter", "enter")
        await settle(pilot)
        assert asking(app)
        shown = words_on_screen(app)
        assert "4 parts, charged as 4 messages — send?" in shown
        assert "y Send 4 parts n / Esc Back to the draft" in shown
        assert posts(fresh_gateway) == 0, "Enter answered the question"
        await pilot.press("n")
        await settle(pilot)
        assert not asking(app)
        assert posts(fresh_gateway) == 0
        assert inbox.composer.text == POLISH_264
        assert inbox.composer.text_area.has_focus
        await pilot.press("enter")
        await wait_for(pilot, lambda: asking(app), what="the question again")
        await pilot.press("escape")
        await settle(pilot)
        assert (asking(app), posts(fresh_gateway), inbox.composer.text) == (False, 0, POLISH_264)
        await pilot.press("enter")
        await wait_for(pilot, lambda: asking(app), what="the question once more")
        await pilot.press("y")
        await settle(pilot)
        assert posts(fresh_gateway) == 1
        assert inbox.composer.text == ""
        # This gateway refuses 264 Unicode characters; the agreed send says so on its bubble.
        assert thread_message(app, POLISH_264).status == FAILED
        assert "Message too long" in pane_words(app)


async def test_enter_enter_in_one_read_opens_the_question_and_never_answers_it(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """The text, its Enter and a second Enter in one read from the terminal: no send."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.composer.text_area.focus()
        await pilot.pause()
        terminal_bytes.deliver(app, POLISH_264.encode() + b"\r\r")
        await wait_for(pilot, lambda: asking(app), what="the question")
        terminal_bytes.deliver(app, b"\r")
        await settle(pilot)
        assert asking(app)
        assert posts(fresh_gateway) == 0
        await pilot.press("y")
        await settle(pilot)
        assert posts(fresh_gateway) == 1, "y sends it exactly once"


async def test_gsm_text_over_max_parts_is_asked_about_too(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    app = make_app(fresh_gateway, max_parts=1)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await write(pilot, app, "a" * 161)
        assert reason_on_screen(app) == (
            "2 parts, over max_parts = 1: charged as 2 messages; Enter asks before sending"
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: asking(app), what="the question")
        assert "2 parts, charged as 2 messages — send?" in words_on_screen(app)
        await pilot.press("n")
        await settle(pilot)
        assert (posts(fresh_gateway), inbox.composer.text) == (0, "a" * 161)


async def test_over_hard_max_parts_no_key_sends_and_the_text_stays(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    app = make_app(fresh_gateway, max_parts=2, hard_max_parts=3)
    text = "ą" * 202  # four parts of 67
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await write(pilot, app, text)
        reason = (
            "Cannot be sent: 4 parts (202 characters), over hard_max_parts = 3; "
            "raise hard_max_parts under [sending] in the config to allow more"
        )
        assert reason_on_screen(app).startswith(reason)
        await pilot.press("enter", "y", "enter", "enter", "y", "ctrl+s", "y", "escape")
        await settle(pilot)
        assert posts(fresh_gateway) == 0
        assert not asking(app)
        assert inbox.composer.text.startswith(text)


async def test_a_1_mb_accented_paste_is_never_sent(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """The incident: a million characters pasted, then Enter, Enter, y, Enter: no POST."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.composer.text_area.focus()
        await pilot.pause()
        # Bracketed paste, as a terminal sends it, through the app's own input parser.
        terminal_bytes.deliver(app, b"\x1b[200~" + PASTE.encode() + b"\x1b[201~")
        await wait_for(pilot, lambda: inbox.composer.text == PASTE, what="the paste")
        await settle(pilot)
        assert reason_on_screen(app).startswith(
            "Cannot be sent: 14,926 parts (1,000,000 characters), over hard_max_parts = 10; "
            "raise hard_max_parts under [sending] in the config to allow more"
        )
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert posts(fresh_gateway) == 0
        assert not asking(app), "no question: nothing can agree to it"
        assert inbox.composer.text == PASTE
        await pilot.press("y")  # with no question open, y only types
        await wait_for(pilot, lambda: inbox.composer.text == PASTE + "y", what="the y typed")
        await pilot.press("enter")
        await settle(pilot)
        assert posts(fresh_gateway) == 0


async def test_sending_later_over_max_parts_asks_the_same_question(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Ctrl+S is a send too: over max_parts the parts are named before anything is scheduled."""
    app = make_app(fresh_gateway, max_parts=1)
    text = "a" * 161  # two GSM-7 parts
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await write(pilot, app, text)
        for answer in ("n", "y"):
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, SendLaterScreen), what="when?")
            await pilot.press(*"tomorrow 9:00", "enter", "enter")
            await wait_for(pilot, lambda: asking(app), what="the question about the parts")
            assert "2 parts, charged as 2 messages — send?" in words_on_screen(app)
            assert posts(fresh_gateway) == 0, "the Enter typed ahead answered it"
            await pilot.press(answer)
            await settle(pilot)
        assert posts(fresh_gateway) == 1
        [body] = [r.body for r in fresh_gateway.requests if r.method == "POST"]
        assert isinstance(body, dict)
        assert body["message"] == text
        assert body["date"].endswith(":00"), "sent as a scheduled message"
        assert inbox.composer.text == ""
