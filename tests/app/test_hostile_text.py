"""Hostile text through every screen: nothing crashes, nothing is interpreted, no raw escapes.

The corpus enters the way real data does — over HTTP from the gateway into the parser — and
the test records the exact bytes Textual would write to the terminal.
"""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from textual._compositor import CompositorUpdate
from textual.screen import Screen

from smstui.api.parse import parse_attachments, parse_contacts
from smstui.domain.phones import conversation_key
from smstui.domain.sanitize import clean_line, clean_text
from smstui.fake import FakeGateway
from smstui.ui.app import SmsApp
from smstui.ui.screens.attachments import AttachmentsScreen
from smstui.ui.screens.inbox import InboxScreen
from smstui.ui.screens.sign_in import SignInScreen
from smstui.ui.widgets.message_pane import MessagePane
from tests.app.compose_helpers import wait_for
from tests.app_fixtures import ANCHOR, SECRET, STANDARD, screen_text, settle, ssh
from tests.unit.hostile import HOSTILE_CORPUS

FORBIDDEN_OUTPUT = (
    "\x1b[2J",  # clear screen
    "\x1b]52;",  # clipboard write
    "\x1b]0;",  # window title
    "\x1bP",  # DCS (sixel)
    "\x1b_G",  # kitty graphics
    "\x1bc",  # full reset
    "\x1b[6n",  # device status report (answers are injected as input)
    "\x1b[?1049h",  # alternate screen
    "\x9b",
    "\x9d",
    "\x90",
    "\u202e",  # right-to-left override
)

HOSTILE_SENDER = "48500100200"


class RecordingApp(SmsApp):
    """The real app, keeping every frame as the bytes a terminal would receive."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.written: list[str] = []

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        if isinstance(renderable, CompositorUpdate):
            self.written.append(renderable.render_segments(self.console))
        super()._display(screen, renderable)


def assert_inert(app: RecordingApp) -> None:
    assert app.is_running, "hostile text stopped the app"
    output = "".join(app.written)
    for sequence in FORBIDDEN_OUTPUT:
        assert sequence not in output, f"{sequence!r} reached the terminal"
    for link in output.split("\x1b]8;")[1:]:
        assert "evil.example" not in link.split("\x1b\\", 1)[0], "message text became a link"


async def test_hostile_corpus_through_every_screen() -> None:
    from smstui.system.clock import FixedClock
    from smstui.system.config import Settings
    from smstui.system.secret import Credentials, Secret

    with FakeGateway(
        client_id="test-client",
        client_secret=SECRET,
        seed=7,
        scale="small",
        anchor=ANCHOR,
        clock=FixedClock(ANCHOR),
    ) as gw:
        for text in HOSTILE_CORPUS:
            gw.deliver_inbound(HOSTILE_SENDER, text)
        app = RecordingApp(
            settings=Settings(base_url=gw.url),
            credentials=Credentials("test-client", Secret(SECRET)),
            clock=FixedClock(ANCHOR),
            environment=ssh(),
        )
        async with app.run_test(size=STANDARD) as pilot:
            await settle(pilot)
            inbox = app.screen
            assert isinstance(inbox, InboxScreen)
            key = conversation_key(HOSTILE_SENDER)

            # The list: the hostile texts make one conversation, on top, with the newest (the
            # lone surrogates) as its preview, on screen.
            rows = inbox.conversation_list.rows
            assert [r.key for r in rows].count(key) == 1
            assert rows[0].key == key
            assert (
                rows[0].preview
                == clean_text(HOSTILE_CORPUS[-1])
                == "lone \ufffd high and \ufffd low"
            )
            assert "lone \ufffd high and \ufffd low" in screen_text(app)

            # Names from the address book, shown in the list, the title and the palette.
            contacts = parse_contacts(
                {
                    "total": 1,
                    "contacts": [
                        {"ID": 1, "phone": HOSTILE_SENDER, "firstname": text, "lastname": text}
                        for text in HOSTILE_CORPUS[:20]
                    ],
                }
            )
            inbox.session.conversations.add_contacts(contacts.items)
            inbox.conversation_list.set_conversations(
                inbox.session.conversations.summaries(), complete=True
            )
            await pilot.pause()

            # The conversation itself: every message of the corpus, scrolled through to the top.
            inbox.open_conversation(key)
            await settle(pilot)
            pane = app.screen.query_one(MessagePane)
            pane.focus()
            for _ in range(len(HOSTILE_CORPUS) + 5):
                await pilot.press("up")
            await wait_for(
                pilot, lambda: inbox.thread is not None and inbox.thread.complete, what="the start"
            )
            await settle(pilot)
            assert inbox.thread is not None
            assert [m.text for m in inbox.thread.messages] == [
                clean_text(t) for t in HOSTILE_CORPUS
            ]
            assert pane.message_count == len(HOSTILE_CORPUS)
            assert pane.cursor_message == inbox.thread.messages[0]
            assert "price is 5 [/usd]" in screen_text(app)  # the oldest, literally
            await pilot.click(MessagePane, offset=(10, 10))
            await pilot.press("y")
            assert_inert(app)

            # Filter and palette with the hostile names in them.
            await pilot.press("slash", "x")
            await pilot.press("escape", "escape")
            app.action_command_palette()
            await pilot.pause()
            await pilot.press(*"jump")
            await pilot.pause()
            await pilot.press("escape")
            assert_inert(app)

            # Attachments whose names, types and links are hostile.
            raw = [
                {"name": text, "image": f"https://files.example/{i}?{text}", "mime": text}
                for i, text in enumerate(HOSTILE_CORPUS)
            ]
            await app.push_screen(
                AttachmentsScreen(
                    parse_attachments(raw), environment_note="SSH", can_launch=False, launch=None
                )
            )
            await pilot.pause()
            for _ in range(len(HOSTILE_CORPUS)):
                await pilot.press("down")
            await pilot.press("escape")
            assert_inert(app)

            # Error text from the gateway on the status line and the sign-in screen.
            for text in HOSTILE_CORPUS:
                inbox.status_line.show(clean_line(text), "error")
            await pilot.pause()

            async def verify(_: object) -> object:
                return None

            await app.push_screen(
                SignInScreen(verify=verify, store=None, reason=clean_line(HOSTILE_CORPUS[9]))
            )
            await pilot.pause()
            assert_inert(app)
