"""The smaller screens and widgets around the inbox, driven as a user would with Pilot.

Each test hosts one screen or widget in a tiny app and asserts what appears on screen, what
lands in the clipboard, and which callbacks ran how often.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Input, Static

from smstui.api.errors import AuthError, Offline
from smstui.domain.models import Attachment
from smstui.system.clock import FixedClock
from smstui.system.secret import Credentials, Secret
from smstui.ui.screens.attachments import AttachmentCard, AttachmentsScreen
from smstui.ui.screens.help import HelpRow, HelpScreen, collect_bindings, group_name, key_label
from smstui.ui.screens.sign_in import KEYRING_WAYS_OUT, SignInScreen
from smstui.ui.widgets.account_bar import AccountBar
from smstui.ui.widgets.status_line import StatusLine

SIZE = (100, 32)
HOSTILE_NAME = "[/x] [@click=app.quit]q[/] [$accent]\x1b[2J\x1b]52;c;AAAA\x07 évil.pdf"


def screen_text(app: App[Any]) -> str:
    """Everything visible on the terminal right now, as plain text (toasts included)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def shown(app: App[Any], widget: Widget) -> str:
    """The text inside one widget as it appears on screen, wrapped lines joined by spaces."""
    region = widget.content_region
    lines = screen_text(app).splitlines()[region.y : region.bottom]
    return " ".join(" ".join(line[region.x : region.right].split()) for line in lines).strip()


def toasts(app: App[Any]) -> str:
    """The text of every notification on screen."""
    return " | ".join(shown(app, toast) for toast in app.screen.query("Toast"))


class ScreenHost(App[None]):
    """Pushes one screen on mount and remembers what it was dismissed with."""

    def __init__(self, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self._make_screen = make_screen
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self._make_screen(), self.results.append)


# Sign-in ------------------------------------------------------------------------------------


class Recorder:
    """Records calls to verify/store and can fail on demand."""

    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[Credentials] = []
        self.error = error

    async def verify(self, credentials: Credentials) -> object:
        self.calls.append(credentials)
        if self.error is not None:
            raise self.error
        return {"username": "tester"}

    def store(self, credentials: Credentials) -> None:
        self.calls.append(credentials)
        if self.error is not None:
            raise self.error


async def fill_in(pilot: Pilot[Any], client_id: str, secret: str) -> None:
    await pilot.click("#client-id")
    await pilot.press(*client_id)
    await pilot.click("#secret")
    await pilot.press(*secret)
    await pilot.pause()


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_sign_in_success_stores_once_and_dismisses_with_credentials() -> None:
    verify, store = Recorder(), Recorder()
    app = ScreenHost(lambda: SignInScreen(verify=verify.verify, store=store.store))
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        assert screen.query_one("#remember", Checkbox).value is True
        client_input = screen.query_one("#client-id", Input)
        secret_input = screen.query_one("#secret", Input)
        await fill_in(pilot, "client-42", "hunter2-secret")
        await pilot.press("enter")
        await settle(pilot)
        expected = Credentials("client-42", Secret("hunter2-secret"), source="sign-in")
        assert verify.calls == [expected]
        assert store.calls == [expected]
        assert app.results == [expected]
        assert client_input.value == ""
        assert secret_input.value == ""
        assert app.screen is not screen


async def test_sign_in_without_remember_does_not_store() -> None:
    verify, store = Recorder(), Recorder()
    app = ScreenHost(lambda: SignInScreen(verify=verify.verify, store=store.store))
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await fill_in(pilot, "id", "secret")
        await pilot.click("#remember")
        await pilot.click("#submit")
        await settle(pilot)
        assert len(verify.calls) == 1
        assert store.calls == []
        assert len(app.results) == 1


async def test_sign_in_rejected_shows_message_and_never_retries() -> None:
    message = "The client id or secret was not accepted"
    verify, store = Recorder(AuthError(message, code=104)), Recorder()
    app = ScreenHost(lambda: SignInScreen(verify=verify.verify, store=store.store))
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await fill_in(pilot, "client-42", "wrong")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause()
        assert message in screen_text(app)
        assert len(verify.calls) == 1
        assert store.calls == []
        assert app.results == []
        assert isinstance(app.screen, SignInScreen)
        assert not app.screen.query_one("#secret", Input).disabled


async def test_sign_in_offline_error_keeps_form_usable_for_a_manual_retry() -> None:
    verify = Recorder(Offline("connection refused"))
    app = ScreenHost(lambda: SignInScreen(verify=verify.verify, store=None))
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await fill_in(pilot, "id", "secret")
        await pilot.press("enter")
        await settle(pilot)
        assert "Can't reach the gateway (connection refused)" in screen_text(app)
        verify.error = None
        await pilot.press("enter")
        await settle(pilot)
        assert len(verify.calls) == 2
        assert len(app.results) == 1


async def test_sign_in_requires_both_fields_before_verifying() -> None:
    verify = Recorder()
    app = ScreenHost(lambda: SignInScreen(verify=verify.verify, store=None))
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await pilot.click("#client-id")
        await pilot.press(*"only-id", "enter")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#secret", Input)
        await pilot.click("#submit")
        await settle(pilot)
        assert "Enter the client secret." in screen_text(app)
        assert verify.calls == []


async def test_sign_in_keyring_unusable_disables_remember_and_says_why() -> None:
    problem = "No recommended backend was available."
    verify = Recorder()
    app = ScreenHost(
        lambda: SignInScreen(verify=verify.verify, store=None, keyring_problem=problem)
    )
    async with app.run_test(notifications=True, size=(100, 40)) as pilot:
        await pilot.pause()
        remember = app.screen.query_one("#remember", Checkbox)
        assert remember.disabled
        assert remember.value is False
        note = shown(app, app.screen.query_one("#keyring-note"))
        assert problem in note
        assert KEYRING_WAYS_OUT in note


async def test_sign_in_store_failure_is_reported_but_sign_in_continues() -> None:
    verify, store = Recorder(), Recorder(RuntimeError("The collection is locked"))
    app = ScreenHost(lambda: SignInScreen(verify=verify.verify, store=store.store))
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await fill_in(pilot, "id", "secret")
        await pilot.press("enter")
        await settle(pilot)
        assert len(store.calls) == 1
        assert len(app.results) == 1
        assert "could not save to the keyring: The collection is locked" in toasts(app)


async def test_sign_in_secret_is_masked_until_revealed() -> None:
    secret = "hunter2SECRET"
    app = ScreenHost(lambda: SignInScreen(verify=Recorder().verify, store=None))
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await fill_in(pilot, "client-42", secret)
        assert "client-42" in screen_text(app)
        assert secret not in screen_text(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert secret in screen_text(app)


async def test_sign_in_shows_reason_and_prefills_client_id() -> None:
    reason = "The gateway rejected the saved credentials (error 104). [/x]"
    app = ScreenHost(
        lambda: SignInScreen(
            verify=Recorder().verify, store=None, reason=reason, client_id="client-42"
        )
    )
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await pilot.pause()
        assert shown(app, app.screen.query_one("#sign-in-reason")) == reason
        assert app.screen.query_one("#client-id", Input).value == "client-42"
        assert app.focused is app.screen.query_one("#client-id", Input)  # the top, selected


async def test_sign_in_escape_leaves_without_credentials() -> None:
    app = ScreenHost(lambda: SignInScreen(verify=Recorder().verify, store=None))
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


# Help ---------------------------------------------------------------------------------------


class MessagesPane(Widget, can_focus=True):
    BINDINGS = [
        Binding("j,down", "next", "Next message"),
        Binding("c", "copy", "Copy text", id="messages.copy"),
        Binding("x", "internal", ""),
    ]

    def action_next(self) -> None: ...

    def action_copy(self) -> None: ...

    def action_internal(self) -> None: ...


class InboxLikeScreen(Screen[None]):
    HELP_GROUP = "Inbox"
    BINDINGS = [Binding("r", "refresh", "Refresh", id="inbox.refresh")]

    def compose(self) -> ComposeResult:
        yield MessagesPane()
        yield Footer()

    def action_refresh(self) -> None: ...


class HelpHost(App[None]):
    BINDINGS = [Binding("question_mark", "help", "Help", id="app.help")]

    def on_mount(self) -> None:
        self.set_keymap({"inbox.refresh": "f5"})
        self.push_screen(InboxLikeScreen())

    def action_help(self) -> None:
        self.push_screen(HelpScreen(collect_bindings(self.screen)))


async def test_help_rows_cover_every_area_with_the_keymap_applied() -> None:
    app = HelpHost()
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        app.screen.query_one(MessagesPane).focus()
        await pilot.pause()
        rows = collect_bindings(app.screen)
        assert HelpRow(("F5",), "Refresh", "inbox.refresh", "Inbox") in rows
        assert HelpRow(("?",), "Help", "app.help", "Everywhere") in rows
        assert HelpRow(("Ctrl+J",), "New line", "composer.newline", "Composer") not in rows
        newline = next(row for row in rows if row.binding_id == "composer.newline")
        assert "Ctrl+J" in newline.keys
        assert all(row.description for row in rows)
        # Textual's text selection and sideways scrolling do nothing useful in smstui.
        assert not any("selected text" in row.description for row in rows)
        assert not any("scroll" in row.description.lower() for row in rows)

        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = screen_text(app).splitlines()
        refresh_line = next(line for line in lines if "Refresh" in line)
        assert "F5" in refresh_line
        assert "inbox.refresh" in refresh_line

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InboxLikeScreen)


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("ctrl+j", "Ctrl+J"),
        ("alt+enter", "Alt+Enter"),
        ("shift+tab", "Shift+Tab"),
        ("escape", "Esc"),
        ("slash", "/"),
        ("question_mark", "?"),
        ("right_square_bracket", "]"),
        ("G", "G"),
        ("g", "g"),
        ("f5", "F5"),
        ("pageup", "PgUp"),
        ("down", "↓"),
    ],
)
def test_key_labels_are_written_as_people_write_them(key: str, label: str) -> None:
    assert key_label(key) == label


@pytest.mark.parametrize("key", ["q", "question_mark"])
async def test_help_closes_with_q_and_question_mark(key: str) -> None:
    app = HelpHost()
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, InboxLikeScreen)


def test_group_names_are_readable() -> None:
    assert group_name(MessagesPane()) == "Messages pane"
    assert group_name(InboxLikeScreen()) == "Inbox"


# Attachments --------------------------------------------------------------------------------

URL = "https://files.example.com/mms/2026/photo.jpg?sig=abc"


class LaunchRecorder:
    def __init__(self, problem: str | None = None) -> None:
        self.urls: list[str] = []
        self.problem = problem

    def __call__(self, url: str) -> str | None:
        self.urls.append(url)
        return self.problem


def attachments_app(
    attachments: list[Attachment],
    *,
    can_launch: bool,
    launch: LaunchRecorder | None,
    note: str = "SSH session: the link opens on your own computer.",
) -> ScreenHost:
    return ScreenHost(
        lambda: AttachmentsScreen(
            attachments, environment_note=note, can_launch=can_launch, launch=launch
        )
    )


def link_segments(card: AttachmentCard) -> list[tuple[str, str | None]]:
    segments = []
    for y in range(card.size.height):
        for segment in card.render_line(y):
            if segment.style is not None and segment.style.link:
                segments.append((segment.text, segment.style.link))
    return segments


async def test_attachments_copy_puts_url_in_clipboard() -> None:
    app = attachments_app(
        [Attachment("photo.jpg", URL, "image/jpeg")], can_launch=False, launch=None
    )
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.clipboard == URL
        notice = toasts(app)
        assert "The link was sent to the terminal's clipboard (OSC 52)" in notice
        assert "if nothing was copied, your terminal may not allow it" in notice
        assert "tmux" not in notice, "outside tmux there is nothing to hint at"


async def test_attachments_url_is_an_osc8_link_whose_text_is_the_url() -> None:
    long_url = "https://files.example.com/" + "a" * 150 + "/report.pdf"
    app = attachments_app(
        [Attachment("report.pdf", long_url, "application/pdf")], can_launch=False, launch=None
    )
    async with app.run_test(notifications=True, size=(80, 30)) as pilot:
        await pilot.pause()
        card = app.screen.query_one(AttachmentCard)
        segments = link_segments(card)
        assert segments, "no segment carries a link"
        assert {link for _, link in segments} == {long_url}
        assert "".join(text for text, _ in segments) == long_url
        text = screen_text(app)
        assert "files.example.com" in text
        assert "application/pdf" in text


async def test_attachments_open_with_launcher_calls_it_once() -> None:
    launch = LaunchRecorder()
    app = attachments_app(
        [
            Attachment("a.jpg", "https://one.example/a.jpg", "image/jpeg"),
            Attachment("b.pdf", URL, "application/pdf"),
        ],
        can_launch=True,
        launch=launch,
    )
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await pilot.press("j", "o")
        await pilot.pause()
        assert launch.urls == [URL]
        assert "Opening b.pdf…" in toasts(app)


async def test_attachments_launch_failure_is_shown_as_error() -> None:
    launch = LaunchRecorder("Could not start xdg-open: No such file")
    app = attachments_app([Attachment("a.jpg", URL, "image/jpeg")], can_launch=True, launch=launch)
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert launch.urls == [URL]
        assert "Could not start xdg-open: No such file" in toasts(app)


async def test_attachments_over_ssh_launch_nothing_and_say_so() -> None:
    launch = LaunchRecorder()
    app = attachments_app([Attachment("a.jpg", URL, "image/jpeg")], can_launch=False, launch=launch)
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert launch.urls == []
        assert "Nothing was opened" in toasts(app)
        assert "SSH session: the link opens on your own computer." in screen_text(app)


@pytest.mark.parametrize(
    "bad_url",
    ["javascript:alert(1)", "file:///etc/passwd", "https://evil.example/\x1b]52;c;AAAA\x07x"],
)
async def test_attachments_invalid_url_cannot_be_copied_or_opened(bad_url: str) -> None:
    launch = LaunchRecorder()
    app = attachments_app([Attachment("x", bad_url, "")], can_launch=True, launch=launch)
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == ""
        assert "can't be copied" in toasts(app)
        await pilot.press("o")
        await pilot.pause()
        assert launch.urls == []
        card = app.screen.query_one(AttachmentCard)
        assert link_segments(card) == []
        assert "Cannot be opened or copied" in screen_text(app)


async def test_attachments_hostile_names_are_shown_literally() -> None:
    app = attachments_app(
        [Attachment(HOSTILE_NAME, URL, "[b]text/html[/b]")], can_launch=False, launch=None
    )
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await pilot.press("y", "escape")
        await pilot.pause()
        assert app.results == [None]

    app = attachments_app(
        [Attachment(HOSTILE_NAME, URL, "[b]text/html[/b]")], can_launch=False, launch=None
    )
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "[/x] [@click=app.quit]q[/] [$accent]" in text
        assert "[b]text/html[/b]" in text
        assert "\x1b" not in text


async def test_attachments_show_internationalised_host_in_ascii_too() -> None:
    url = "https://b\u0430nk.example/login"  # Cyrillic "а"
    app = attachments_app([Attachment("a", url, "")], can_launch=False, launch=None)
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await pilot.pause()
        assert "(xn--" in screen_text(app)


# Status line and account bar ----------------------------------------------------------------


def status_row(app: App[Any]) -> str:
    row = app.query_one(StatusLine).region.y
    return screen_text(app).splitlines()[row]


class WidgetHost(App[None]):
    def compose(self) -> ComposeResult:
        yield AccountBar()
        yield Static("body")
        yield StatusLine()


async def test_status_line_counts_down_and_stops_on_new_text() -> None:
    clock = FixedClock(1_000.0)
    app = WidgetHost()
    async with app.run_test(notifications=True, size=(60, 6)) as pilot:
        status = app.query_one(StatusLine)
        status.offline_until(1_012.0, clock)
        await pilot.pause()
        assert "Offline — retrying in 12s" in screen_text(app)
        clock.advance(4.5)
        status.update_countdown()
        await pilot.pause()
        assert "Offline — retrying in 8s" in screen_text(app)
        clock.advance(10)
        status.update_countdown()
        await pilot.pause()
        assert "Offline — retrying now…" in screen_text(app)
        status.show("Up to date", "ok")
        clock.advance(100)
        status.update_countdown()
        await pilot.pause()
        assert status.text == "Up to date"
        assert status.has_class("-ok")
        assert "retrying" not in screen_text(app)


async def test_status_line_shows_hostile_text_literally_on_one_line() -> None:
    app = WidgetHost()
    async with app.run_test(notifications=True, size=(60, 6)) as pilot:
        status = app.query_one(StatusLine)
        status.show("[/x] failed\nsecond line \x1b[2J " + "long " * 30, "error")
        await pilot.pause()
        line = status_row(app)
        assert "[/x] failed second line" in line
        assert line.rstrip().endswith("…")
        assert status.has_class("-error")
        status.clear()
        await pilot.pause()
        assert status_row(app).strip() == ""


async def test_account_bar_placeholders_then_values_and_dry_run_badge() -> None:
    app = WidgetHost()
    async with app.run_test(notifications=True, size=(80, 6)) as pilot:
        bar = app.query_one(AccountBar)
        await pilot.pause()
        first = screen_text(app).splitlines()[0]
        assert "From …" in first
        assert "Balance …" in first
        assert "DRY RUN" not in first
        bar.set_account("48512345678", "42.50 EUR", dry_run=True)
        await pilot.pause()
        first = screen_text(app).splitlines()[0]
        assert "+48 512 345 678" in first
        assert "42.50 EUR" in first
        assert "DRY RUN" in first
        bar.set_account("[/x]Shop", "1 [b]EUR[/b]", dry_run=False)
        await pilot.pause()
        first = screen_text(app).splitlines()[0]
        assert "[/x]Shop" in first
        assert "1 [b]EUR[/b]" in first
        assert "DRY RUN" not in first


# Hostile text corpus ------------------------------------------------------------------------


async def test_hostile_corpus_through_attachments_status_and_account_bar() -> None:
    from tests.unit.hostile import HOSTILE_CORPUS

    attachments = [Attachment(text, text, text) for text in HOSTILE_CORPUS]
    app = attachments_app(attachments, can_launch=False, launch=None, note=HOSTILE_CORPUS[2])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "[@click=app.quit]q[/]" in shown(app, app.screen.query_one("#attachments-note"))
        cards = list(app.screen.query(AttachmentCard))
        assert len(cards) == len(HOSTILE_CORPUS)
        for card in cards:
            rendered = "".join(card.render_line(y).text for y in range(card.size.height))
            assert "\x1b" not in rendered
        assert "[/x]" in "".join(card.render_line(0).text for card in cards)
        await pilot.press("j", "y", "j", "o", "j", "y")
        await pilot.pause()
        assert isinstance(app.screen, AttachmentsScreen)
        assert app.clipboard == ""  # not one entry of the corpus is a usable link

    host = WidgetHost()
    async with host.run_test(size=(80, 6)) as pilot:
        status, bar = host.query_one(StatusLine), host.query_one(AccountBar)
        for text in HOSTILE_CORPUS:
            status.show(text, "error")
            bar.set_account(text, text, dry_run=False)
            drawn = [str(status.render()), *(str(static.render()) for static in bar.query(Static))]
            assert not any("\x1b" in line or "\n" in line for line in drawn)
        status.show("[/x] [@click=app.quit]q[/]", "error")
        await pilot.pause()
        assert "[/x] [@click=app.quit]q[/]" in status_row(host)
