"""The sign-in screen, shown when there are no credentials or the gateway rejected them.

Sign-in checks the credentials with exactly one authenticated request. It never retries on its
own: repeated failures (error 104) lock the account (error 1002). Only after the gateway
accepted them are they stored, in the OS keyring, from a thread worker because keyring calls
block.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label, Static
from textual.worker import WorkerCancelled, WorkerFailed

from smstui.api.errors import SmsError
from smstui.domain.sanitize import clean_line
from smstui.system.secret import Credentials, Secret
from smstui.ui.widgets.key_footer import KeyFooter

log = logging.getLogger(__name__)

TITLE = "Sign in to Smstools"
KEYRING_WAYS_OUT = (
    "Use them for this run only, or set SMSTOOLS_CLIENT_ID/SMSTOOLS_CLIENT_SECRET, install a "
    "keyring backend into smstui's environment, or run `smstui auth login --insecure-storage`."
)
"""What to do when the OS keyring cannot store the credentials."""

Verify = Callable[[Credentials], Awaitable[object]]
Store = Callable[[Credentials], None]
KeyringCheck = Callable[[], str]
"""Asks the OS keyring whether it can store (blocking); returns why not, or "" when it can."""

REMEMBER = "Remember in the OS keyring"


class RememberBox(Checkbox):
    """The "remember" checkbox, drawn as an empty box when unticked.

    Textual draws an unticked box as a dimmed ``X``, which reads as ticked in many terminals'
    colours and in any capture without them.
    """

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button


class SignInScreen(Screen[Credentials | None]):
    """Asks for the client id and secret, checks them once, optionally stores them.

    Dismisses with the accepted :class:`~smstui.system.secret.Credentials`, or with None when the
    user
    leaves (Escape); there is nothing else to show without credentials.

    "Remember in the OS keyring" is ticked only when the keyring can store: ``store`` is None
    (and ``keyring_problem`` says why) when it cannot; when nobody knows yet, ``check_keyring``
    asks it from a thread, and the box stays unticked and disabled until the answer says it can.
    """

    HELP_GROUP = "Sign in"
    BINDINGS = [
        Binding("escape", "leave", "Quit", id="sign_in.quit"),
        Binding("ctrl+r", "toggle_secret", "Show/hide secret", id="sign_in.toggle_secret"),
        # Priority bindings run when the app *reads* the key, before it reads the next one.
        # Textual's own Tab, and an Input's Enter, act only when the key reaches the field,
        # after the keys behind it were already handed to that field: "id⇥secret" in one read
        # (auto-type, a lagging SSH link) would put the secret, in clear, into the client id.
        Binding("tab", "next_field", show=False, priority=True, id="sign_in.next"),
        Binding("shift+tab", "previous_field", show=False, priority=True, id="sign_in.previous"),
        Binding("enter", "client_id_entered", show=False, priority=True, id="sign_in.enter"),
    ]

    DEFAULT_CSS = """
    SignInScreen {
        align: center middle;
    }
    SignInScreen > VerticalScroll {
        width: 100%;
        height: 1fr;
        align: center middle;
    }
    SignInScreen #sign-in-card {
        width: 64;
        max-width: 100%;
        height: auto;
        border: round $primary;
        background: $surface;
        /* No rows to spare: the whole card, error line included, fits 60×20 and 80×24. */
        padding: 0 2;
    }
    SignInScreen #sign-in-title {
        text-style: bold;
        color: $text-primary;
        margin-bottom: 1;
    }
    SignInScreen #sign-in-reason {
        color: $text-warning;
    }
    SignInScreen Label {
        color: $text-muted;
    }
    SignInScreen #sign-in-form, SignInScreen #secret-row {
        height: auto;
    }
    SignInScreen #secret {
        width: 1fr;
    }
    SignInScreen #toggle-secret {
        min-width: 8;
        width: 8;
        margin-top: 1;
    }
    SignInScreen #remember {
        margin-top: 1;
    }
    SignInScreen #keyring-note {
        color: $text-muted;
        margin: 0 0 0 1;
    }
    SignInScreen #submit-row {
        height: auto;
        margin-top: 1;
    }
    SignInScreen #error {
        min-height: 1;
        color: $text-error;
        text-style: bold;
    }
    SignInScreen #error.-busy {
        color: $text-accent;
    }
    """

    def __init__(
        self,
        *,
        verify: Verify,
        store: Store | None,
        keyring_problem: str = "",
        check_keyring: KeyringCheck | None = None,
        reason: str = "",
        client_id: str = "",
    ) -> None:
        super().__init__()
        self._verify = verify
        self._store = store
        self._keyring_problem = clean_line(keyring_problem)
        self._check_keyring = check_keyring if store is not None and not keyring_problem else None
        self._reason = clean_line(reason)
        self._client_id = client_id

    @property
    def keyring_usable(self) -> bool:
        """Whether the credentials can be remembered in the OS keyring."""
        return self._store is not None and not self._keyring_problem and not self._check_keyring

    # Layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """A centred card with the form, then the footer."""
        # Tab walks the form top to bottom: id, secret, remember, Sign in. The scrolling card
        # is no stop (focus on it would be invisible), nor is the Show toggle (Ctrl+R, a click).
        with VerticalScroll(can_focus=False), Center(), Vertical(id="sign-in-card"):
            yield Static(Content(TITLE), id="sign-in-title")
            if self._reason:
                yield Static(Content(self._reason), id="sign-in-reason")
            with Vertical(id="sign-in-form"):
                yield Label("Client ID", markup=False)
                yield Input(value=self._client_id, id="client-id", placeholder="client id")
                yield Label("Client secret", markup=False)
                with Horizontal(id="secret-row"):
                    yield Input(password=True, id="secret", placeholder="client secret")
                    toggle = Button("Show", id="toggle-secret", compact=True)
                    toggle.can_focus = False
                    yield toggle
                yield RememberBox(REMEMBER, id="remember", compact=True)
                yield Static(id="keyring-note")
                with Horizontal(id="submit-row"):
                    yield Button("Sign in", id="submit", variant="primary", compact=True)
            yield Static(Content(""), id="error")
        yield KeyFooter()

    def _keyring_note(self) -> Content:
        if self._check_keyring is not None:
            return Content("Checking whether the OS keyring can store them…")
        problem = self._keyring_problem.rstrip(". ") or "no keyring storage is available"
        return Content(f"The OS keyring is not usable here: {problem}. {KEYRING_WAYS_OUT}")

    def _show_keyring_state(self) -> None:
        """Tick and enable "remember" only when the keyring is known to be able to store."""
        usable = self.keyring_usable
        box = self.query_one("#remember", RememberBox)
        box.value, box.disabled = usable, not usable
        box.label = REMEMBER if usable or self._check_keyring else f"{REMEMBER}: not available"
        note = self.query_one("#keyring-note", Static)
        note.update(self._keyring_note())
        note.display = not usable

    def on_mount(self) -> None:
        """Start at the top, in the client id; ask the keyring if nobody knows yet.

        A client id filled in from before is selected: typing replaces it, Enter or Tab keeps
        it and moves on to the secret.
        """
        self._show_keyring_state()
        self.query_one("#client-id", Input).focus()
        if self._check_keyring is not None:
            self._keyring_check_in_thread(self._check_keyring)

    # Actions ---------------------------------------------------------------------------------

    def action_leave(self) -> None:
        """Leave without credentials; the app exits since there is nothing else to show."""
        self.dismiss(None)

    def action_toggle_secret(self) -> None:
        """Show or mask the secret as it is typed."""
        secret = self.query_one("#secret", Input)
        secret.password = not secret.password
        self.query_one("#toggle-secret", Button).label = "Show" if secret.password else "Hide"

    def action_next_field(self) -> None:
        """Move to the next field at once, so the keys typed after Tab go there."""
        self.focus_next()

    def action_previous_field(self) -> None:
        """Move to the previous field at once, so the keys typed after Shift+Tab go there."""
        self.focus_previous()

    def action_client_id_entered(self) -> None:
        """Enter in the client ID with the secret still empty: move to the secret at once.

        Anywhere else (and with a secret already typed) Enter is the field's or button's own:
        it reaches them after the keys typed before it, and submits.
        """
        secret = self.query_one("#secret", Input)
        if self.focused is not self.query_one("#client-id", Input) or secret.value.strip():
            raise SkipAction()
        self.set_focus(secret)  # not secret.focus(), which waits for the app's queue

    @on(Button.Pressed, "#toggle-secret")
    def _toggle_pressed(self) -> None:
        self.action_toggle_secret()

    @on(Input.Submitted, "#client-id")
    def _client_id_entered(self) -> None:
        """Enter in the client ID moves on to an empty secret, otherwise submits."""
        secret = self.query_one("#secret", Input)
        if not secret.value.strip():
            secret.focus()
            return
        self._submit()

    @on(Button.Pressed, "#submit")
    @on(Input.Submitted, "#secret")
    def _submit(self) -> None:
        """Check the form and start the one verification request."""
        client_id = self.query_one("#client-id", Input).value.strip()
        # Wrapped at once: a crash report that prints locals must never show the secret.
        secret = Secret(self.query_one("#secret", Input).value.strip())
        if not client_id:
            self._show_error("Enter the client ID.")
            self.query_one("#client-id", Input).focus()
            return
        if not secret:
            self._show_error("Enter the client secret.")
            self.query_one("#secret", Input).focus()
            return
        remember = self.query_one("#remember", Checkbox).value and self.keyring_usable
        self._set_busy(True)
        self._show_error("Checking with the gateway…", busy=True)
        self._sign_in(Credentials(client_id, secret, source="sign-in"), remember)

    # Workers ---------------------------------------------------------------------------------

    @work(exclusive=True, group="sign-in", exit_on_error=False)
    async def _sign_in(self, credentials: Credentials, remember: bool) -> None:
        """Verify once; on success store (if asked) and dismiss with the credentials."""
        try:
            await self._verify(credentials)
        except SmsError as error:
            self._failed(error.user_message)
            return
        except Exception as error:
            log.exception("sign-in check failed unexpectedly")
            self._failed(f"Sign-in failed unexpectedly ({type(error).__name__}); see the log.")
            return
        if remember:
            problem = await self._save(credentials)
            if problem:
                self.notify(
                    f"Signed in, but could not save to the keyring: {problem}",
                    severity="warning",
                    markup=False,
                    timeout=10,
                )
        self.query_one("#client-id", Input).value = ""
        self.query_one("#secret", Input).value = ""
        if self.app.screen is not self:
            self.pop_until_active()  # e.g. the help was opened while we were checking
        self.dismiss(credentials)

    async def _save(self, credentials: Credentials) -> str:
        """Store the credentials from a thread; return what went wrong, or ""."""
        try:
            await self._store_in_thread(credentials).wait()
        except WorkerFailed as failure:
            error = failure.error
            log.warning("could not store credentials: %s", type(error).__name__)
            return clean_line(str(error)) or type(error).__name__
        except WorkerCancelled:
            return "the keyring did not answer"
        return ""

    @work(thread=True, group="keyring-check", exit_on_error=False)
    def _keyring_check_in_thread(self, check: KeyringCheck) -> None:
        """Run the blocking keyring check off the event loop, then show what it found."""
        try:
            problem = check()
        except Exception as error:  # a check should not raise; say so rather than crash
            log.warning("keyring check failed: %s", type(error).__name__)
            problem = f"the keyring could not be checked ({type(error).__name__})"
        self.app.call_from_thread(self._keyring_checked, problem)

    @property
    def keyring_answered(self) -> bool:
        """Whether the keyring has said if it can store (or nothing had to be asked)."""
        return self._check_keyring is None

    def _keyring_checked(self, problem: str) -> None:
        self._check_keyring = None
        self._keyring_problem = clean_line(problem)
        if problem:
            self._store = None
        self._show_keyring_state()

    @work(thread=True, group="keyring", exit_on_error=False)
    def _store_in_thread(self, credentials: Credentials) -> None:
        """Run the blocking keyring write off the event loop."""
        if self._store is not None:
            self._store(credentials)

    # Helpers ---------------------------------------------------------------------------------

    def _failed(self, message: str) -> None:
        self._show_error(message)
        self._set_busy(False)
        self.query_one("#secret", Input).focus()

    def _set_busy(self, busy: bool) -> None:
        self.query_one("#sign-in-form").disabled = busy

    def _show_error(self, message: str, *, busy: bool = False) -> None:
        error = self.query_one("#error", Static)
        error.set_class(busy, "-busy")
        error.update(Content(clean_line(message)))
        # Where the keyring's note makes the card taller than the terminal, the card scrolls:
        # bring the answer into view, or a rejected secret looks as if nothing happened.
        self.call_after_refresh(error.scroll_visible, animate=False)
