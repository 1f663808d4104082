"""SmsApp: wiring only — settings, theme, keymap, screens and the API client's lifetime.

Everything the app needs comes in through the constructor (settings, credentials, clock, the
client factory, the keyring writer), so tests build the app around the fake gateway and a fixed
clock while ``cli.py`` builds the real ones.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.events import Event, Key, Paste, Resize
from textual.filter import LineFilter
from textual.screen import Screen
from textual.worker import Worker, WorkerFailed, WorkerState

from smstui.api.errors import SmsError
from smstui.domain.glyphs import locale_is_utf8, wants_ascii
from smstui.store.location import StoreLocation
from smstui.sync.gateway import Gateway, check_login, connect
from smstui.system import paths
from smstui.system.clock import Clock, SystemClock
from smstui.system.config import Settings
from smstui.system.credentials import Credentials, KeyringStatus, store_in_keyring
from smstui.system.exit_codes import EXIT_UNEXPECTED
from smstui.system.logs import log_worker_failure, redact, register_secret
from smstui.system.opener import Environment, detect_environment
from smstui.system.terminal_watch import TerminalWatch
from smstui.ui.key_order import KeyCounter
from smstui.ui.messages import AuthenticationLost, UnreadTotalChanged
from smstui.ui.screens.inbox import InboxScreen
from smstui.ui.screens.live_updates import TerminalNotification
from smstui.ui.screens.palette import ConversationCommands
from smstui.ui.screens.size_guard import SizeGuard
from smstui.ui.widgets.theme import (
    ANSI_THEME,
    AsciiFilter,
    JoinedEmojiFilter,
    Palette256Filter,
    pick_theme,
)

log = logging.getLogger(__name__)

ClientFactory = Callable[[Credentials], Gateway]

NOT_UTF8 = (
    "This terminal's locale is not UTF-8 (LANG, LC_ALL, LC_CTYPE): letters are shown without "
    "accents and symbols as ASCII. Start it with a UTF-8 locale (LANG=C.UTF-8), or set "
    'glyphs = "unicode" if it copes.'
)
"""Said once at start where the locale is not UTF-8."""


class SmsApp(App[int]):
    """The smstui application: a sign-in screen when needed, then the inbox."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS = App.COMMANDS | {ConversationCommands}
    TITLE = "smstui"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]
    HELP_GROUP = "Everywhere"

    terminal_watch: TerminalWatch | None = None
    """Stops the app on SIGHUP/SIGTERM or when the terminal goes away (set by :func:`run_app`)."""
    crash: BaseException | None = None
    """The first unexpected exception that ended the app (logged with its traceback)."""

    def __init__(
        self,
        *,
        settings: Settings,
        credentials: Credentials | None,
        keyring: KeyringStatus | None = None,
        clock: Clock | None = None,
        client_factory: ClientFactory | None = None,
        store_credentials: Callable[[Credentials], None] | None = None,
        environment: Environment | None = None,
        state_dir: Path | None = None,
        store_dir: Path | None = None,
        demo: bool = False,
        popen: Callable[..., Any] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.environment = environment or detect_environment()
        self.demo = demo
        self.state_dir = state_dir
        self.store_dir = store_dir if store_dir is not None else state_dir
        """Where the message store of each account lives (None: no store)."""
        self._credentials = credentials
        self._keyring = keyring
        self._client_factory: ClientFactory = client_factory or self._default_client
        self._store_credentials = store_credentials
        self._client: Gateway | None = None
        self._popen = popen
        self.terminal_title = self.TITLE
        """What the terminal's window title was last set to (the unread total shows there)."""
        self._title_pushed = False
        self.size_guard = SizeGuard(self)
        """Shows "Terminal too small" instead of the screens below the smallest usable size."""
        self.key_counter = KeyCounter()
        """Keys the terminal driver handed over against keys that reached :meth:`on_event`."""
        utf8 = locale_is_utf8(os.environ)
        self.ascii_glyphs = wants_ascii(settings.glyphs, os.environ.get("TERM", ""), utf8=utf8)
        """Symbols are drawn as ASCII (the ``glyphs`` setting; ``auto``: on the Linux console
        and where the locale is not UTF-8)."""
        self.ascii_letters = not utf8 and settings.glyphs != "unicode"
        """Letters lose their accents too: the terminal is not UTF-8 (``LANG=C``)."""
        self._ascii_filter = AsciiFilter(letters=self.ascii_letters)
        self._palette_filter = Palette256Filter()
        self._joined_filter = JoinedEmojiFilter()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, joined emoji fitted, then the 256-colour palette and ASCII."""
        filters = [*super().get_line_filters(), self._joined_filter]
        if self.console.color_system == "256":  # Rich's own rounding turns dark tints maroon
            filters.append(self._palette_filter)
        if self.ascii_glyphs:
            filters.append(self._ascii_filter)
        return filters

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, but on Linux/macOS one whose parser never reads Alt+Enter as Enter."""
        driver = super().get_driver_class()
        found = (driver.__module__, driver.__name__)
        if found == ("textual.drivers.web_driver", "WebDriver"):  # a browser tab (smstui serve)
            from smstui.ui.terminal_input import OrderedWebDriver

            return OrderedWebDriver
        if found != ("textual.drivers.linux_driver", "LinuxDriver"):
            return driver  # Windows, or another driver chosen with TEXTUAL_DRIVER
        from smstui.ui.terminal_input import KeyParsingDriver

        return KeyParsingDriver

    def _default_client(self, credentials: Credentials) -> Gateway:
        return connect(
            self.settings.base_url,
            credentials,
            on_retry=self._retry_scheduled,
            on_answer=self._gateway_answered,
            clock=self.clock.now,  # "try again at HH:MM" on the app's clock
        )

    def _retry_scheduled(self, wait: float, error: SmsError) -> None:
        if isinstance(self.screen, InboxScreen):
            self.screen.show_retry(wait, error)

    def _gateway_answered(self) -> None:
        if isinstance(self.screen, InboxScreen):
            self.screen.live.gateway_answered()

    def on_mount(self) -> None:
        """Apply the theme and key overrides, then show the inbox or the sign-in screen."""
        if self.terminal_watch is not None and not self.is_headless:
            self.terminal_watch.start(asyncio.get_running_loop())
        self.register_theme(ANSI_THEME)
        # "auto": the terminal's own 16 colours where Textual found no more (TERM=screen, linux).
        self.theme = pick_theme(
            self.settings.theme, self.console.color_system, self.available_themes
        )
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))
        # Name the window from the start, not only once something is unread: a terminal full
        # of tabs should say which one is smstui.
        self.show_unread_total(0)
        if self.ascii_letters:
            self.notify(NOT_UTF8, severity="warning", timeout=15, markup=False)
        if self._credentials is None:
            self._ask_for_credentials(reason="")
        else:
            self._open_inbox(self._credentials)
        self.size_guard.start()

    def on_resize(self, event: Resize) -> None:
        """Below the smallest usable size, one line says so instead of the screens."""
        self.size_guard.update(event.size)

    async def on_event(self, event: Event) -> None:
        """While the terminal is too small, keys and pastes do nothing but quit."""
        if isinstance(event, Key | Paste) and not event.is_forwarded:
            self.key_counter.arrived()
        if not self.size_guard.swallows(event):
            await super().on_event(event)

    async def on_unmount(self) -> None:
        """Close the HTTP client with the app and give the terminal its own title back."""
        if self._title_pushed and self._driver is not None:
            self._driver.write("\x1b[23;0t")  # pop the title saved when we first set it
        if self._client is not None:
            await self._client.aclose()

    def stop_for_signal(self, code: int) -> None:
        """The terminal went away or SIGTERM came: save the drafts now, then exit with ``code``.

        Nobody is there to answer a question, so quitting does not ask; the normal exit path
        then restores the terminal (alternate screen off, mouse tracking off).
        """
        for screen in self.screen_stack:
            if isinstance(screen, InboxScreen):
                screen.compose_flow.flush()
        self.exit(code, return_code=code)

    def _handle_exception(self, error: Exception) -> None:
        # The traceback goes to the (masked) log, where the one line on the terminal sends the
        # user; Textual then ends the app with return code 1.
        cause = error.error if isinstance(error, WorkerFailed) else error
        if self.crash is None:
            self.crash = cause
        log.critical("unexpected error; smstui stops", exc_info=cause)
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        # Textual would print its traceback, with local variables, on the terminal: they may
        # hold a secret. The masked log has it; run_app prints one line pointing there.
        self.bell()
        self._close_messages_no_wait()

    @on(Worker.StateChanged)
    def _app_worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            log_worker_failure(event.worker.name, event.worker.error)

    def show_unread_total(self, total: int) -> None:
        """Show how many messages are unread in the terminal title ("smstui (3)").

        The terminal's own title is saved on the first change (xterm's title stack) and
        restored when the app ends. (A headless test app's driver writes nothing.)

        Args:
            total: Unread messages over all conversations.
        """
        self.sub_title = f"{total} unread" if total else ""
        self.terminal_title = f"{self.TITLE} ({total})" if total else self.TITLE
        if self._driver is None:
            return
        if not self._title_pushed:
            self._title_pushed = True
            self._driver.write("\x1b[22;0t")
        self._driver.write(f"\x1b]2;{self.terminal_title}\x07")

    @on(UnreadTotalChanged)
    def _unread_total_changed(self, event: UnreadTotalChanged) -> None:
        self.show_unread_total(event.total)

    @on(TerminalNotification)
    def _terminal_notification(self, event: TerminalNotification) -> None:
        # The driver queues the sequence after the frame being written, never inside one.
        if event.sequence and self._driver is not None:
            self._driver.write(event.sequence)
        if event.bell:
            self.bell()

    def _keyring_problem(self) -> str:
        if self._keyring is None:
            return ""
        return "" if self._keyring.usable else self._keyring.reason

    def _check_keyring(self) -> str:
        """Ask the OS keyring whether it can store (blocking: the sign-in screen's thread)."""
        from smstui.system.credentials import DEFAULT_KEYRING_TIMEOUT, keyring_status

        self._keyring = keyring_status(DEFAULT_KEYRING_TIMEOUT)
        return self._keyring_problem()

    def _ask_for_credentials(self, reason: str) -> None:
        async def verify(credentials: Credentials) -> object:
            register_secret(credentials.secret)  # masked in the log before it is ever used
            return await check_login(self._client_factory(credentials))

        problem = self._keyring_problem()
        store = self._store_credentials or store_in_keyring
        # Imported here: most starts never need it, and start-up time is a goal.
        from smstui.ui.screens.sign_in import SignInScreen

        screen = SignInScreen(
            verify=verify,
            store=None if problem else store,
            keyring_problem=problem,
            check_keyring=self._check_keyring if self._keyring is None else None,
            reason=reason,
            client_id=self._credentials.client_id if self._credentials else "",
        )
        self.push_screen(screen, self._signed_in)

    def _signed_in(self, credentials: Credentials | None) -> None:
        if credentials is None:
            self.exit(4)
            return
        self._credentials = credentials
        self._open_inbox(credentials)

    def _open_inbox(self, credentials: Credentials) -> None:
        register_secret(credentials.secret)
        old_client, self._client = self._client, self._client_factory(credentials)
        if old_client is not None:
            self.run_worker(old_client.aclose(), exit_on_error=False)
        inbox = InboxScreen(
            client=self._client,
            settings=self.settings,
            clock=self.clock,
            environment=self.environment,
            store_path=(
                StoreLocation.for_account(
                    credentials.client_id,
                    self.settings.base_url,
                    self.store_dir,
                    self.settings.store_url,
                )
                if self.store_dir is not None
                else None
            ),
            demo=self.demo,
            popen=self._popen,
        )
        self.switch_screen(inbox) if self._has_real_screen() else self.push_screen(inbox)

    def _has_real_screen(self) -> bool:
        return len(self.screen_stack) > 1

    @on(AuthenticationLost)
    def _authentication_lost(self, event: AuthenticationLost) -> None:
        # Every request in flight reports the same 104: ask once.
        if type(self.screen).__name__ != "SignInScreen":
            self._ask_for_credentials(reason=event.reason)

    async def action_quit(self) -> None:
        """Quit; with messages being sent, not confirmed or failed, say so and ask first."""
        from smstui.ui.screens.confirm import ConfirmScreen

        inbox = next((s for s in self.screen_stack if isinstance(s, InboxScreen)), None)
        warning = inbox.sending.quit_warning() if inbox is not None else ""
        if not warning or isinstance(self.screen, ConfirmScreen):
            self.exit()
            return

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self.exit()

        self.push_screen(
            ConfirmScreen("Quit with unsent messages?", warning, yes="Quit", no="Stay"), answered
        )

    def action_help(self) -> None:
        """Show every key that works here, generated from the live bindings."""
        from smstui.ui.screens.help import HelpScreen, collect_bindings

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(collect_bindings(self.screen)))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Palette entries: the screen's own commands first, then Textual's."""
        if isinstance(screen, InboxScreen):
            yield from screen.palette_commands()
        yield SystemCommand("Help", "Show all keys", self.action_help)
        yield from super().get_system_commands(screen)


def build_app(
    *,
    settings: Settings,
    credentials: Credentials | None,
    keyring: KeyringStatus | None = None,
    demo: bool = False,
    state_dir: Path | None = None,
    store_dir: Path | None = None,
    clock: Clock | None = None,
    client_factory: ClientFactory | None = None,
    environment: Environment | None = None,
    popen: Callable[..., Any] | None = None,
) -> SmsApp:
    """The app as a user gets it: the account's message store on disk, its state beside it.

    The state directory defaults to the user's (``paths.state_dir()``) and the store to a
    SQLite file in the data directory (``paths.data_dir()``), or the ``store_url`` server; the
    demo passes a store directory of its own. The rest is injected by tests.
    """
    return SmsApp(
        settings=settings,
        credentials=credentials,
        keyring=keyring,
        demo=demo,
        state_dir=state_dir or paths.state_dir(),
        store_dir=store_dir or paths.data_dir(),
        clock=clock,
        client_factory=client_factory,
        environment=environment,
        popen=popen,
    )


def run_app(
    *,
    settings: Settings,
    credentials: Credentials | None,
    keyring: KeyringStatus | None = None,
    demo: bool = False,
    state_dir: Path | None = None,
    store_dir: Path | None = None,
) -> int:
    """Run the terminal app until the user quits; returns the process exit code."""
    app = build_app(
        settings=settings,
        credentials=credentials,
        keyring=keyring,
        demo=demo,
        state_dir=state_dir,
        store_dir=store_dir,
    )
    app.terminal_watch = TerminalWatch(app.stop_for_signal)
    try:
        result = app.run()
    finally:
        app.terminal_watch.close()
    if app.crash is not None:
        what = redact(f"{type(app.crash).__name__}: {app.crash}".splitlines()[0])
        print(f"smstui: unexpected error: {what}; details in {paths.log_file()}", file=sys.stderr)
        return EXIT_UNEXPECTED
    if isinstance(result, int):
        return result
    return app.return_code or 0
