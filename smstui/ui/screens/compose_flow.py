"""The composer's side of the inbox: who a reply goes out from, drafts, and the editor.

Drafts belong to one conversation each. The composer announces every change with the key it is
bound to; this flow keeps the newest text per key in memory and writes them to the state
directory half a second after typing stops (and when the screen goes away), so typing costs no
disk writes and nothing typed is lost. Binding another conversation loads that conversation's
draft: a draft never follows the user into another conversation.
"""

from __future__ import annotations

from textual.timer import Timer

from smstui.api.errors import Offline
from smstui.domain.conversations import ConversationSummary
from smstui.domain.phones import can_reply, display_number, is_phone_number, normalise_number
from smstui.store.drafts import DraftStore
from smstui.system.config import Settings
from smstui.ui.editor import edit_in_external_editor
from smstui.ui.screens.inbox_parts import InboxParts
from smstui.ui.screens.reply_tools import ReplyTools
from smstui.ui.widgets.composer import Composer

__all__ = ["DRAFT_SAVE_DELAY", "ComposeFlow"]

DRAFT_SAVE_DELAY = 0.5
"""Seconds without typing before drafts are written."""


class ComposeFlow:
    """Binds the composer to the open conversation and keeps its drafts.

    Args:
        screen: The inbox screen (for the composer, the index and the status line).
        settings: For the configured default sender.
        drafts: Where drafts are kept across restarts.
    """

    def __init__(self, screen: InboxParts, *, settings: Settings, drafts: DraftStore) -> None:
        self._screen = screen
        self._settings = settings
        self._drafts = drafts
        self._pending: dict[str, str] = {}
        self._timer: Timer | None = None
        self.replies = ReplyTools(screen, settings=settings, backend=drafts.backend)
        """Templates and the opt-out list."""

    @property
    def composer(self) -> Composer:
        """The composer under the message pane."""
        return self._screen.query_one(Composer)

    # Who replies go out from -----------------------------------------------------------------

    def sender_for(self, summary: ConversationSummary | None) -> str:
        """Return the number a message in this conversation goes out from ("" when none).

        The own number the conversation came in on, when it is one of ours; otherwise the
        configured default sender; otherwise our first number.

        Args:
            summary: The conversation, or None when the list does not know it.
        """
        own_numbers = self._screen.own_numbers
        own = normalise_number(summary.own_number) if summary else ""
        if own and is_phone_number(own) and (not own_numbers or own in own_numbers):
            return own
        if self._settings.default_sender:
            return self._settings.default_sender
        return own_numbers[0] if own_numbers else ""

    def summary(self, key: str) -> ConversationSummary | None:
        """The conversation's summary, when the list knows it."""
        return self._screen.index.get(key)

    def bind(self, key: str | None) -> None:
        """Point the composer at a conversation (None: no conversation), with its draft.

        Args:
            key: The conversation key.
        """
        composer = self.composer
        composer.display = key is not None  # no conversation, nothing to write: no composer
        if key is None:
            composer.bind(None, draft="", sender="", can_reply=False)
            return
        summary = self._screen.index.get(key)
        number = summary.number if summary else key
        sender = self.sender_for(summary)
        reason = ""
        if not can_reply(number):
            reason = (
                f"{display_number(number)} is a sender name or short code: it cannot get replies"
            )
        elif not sender:
            reason = self._no_sender_reason()
        composer.bind(
            key,
            draft=self.draft(key),
            sender=display_number(sender) if sender else "",
            can_reply=not reason,
            reason=reason,
            recipient=display_number(number),
        )
        composer.set_template_variables(self.replies.variable_names)
        composer.set_opt_out(self.replies.opt_out_reason(number, composer) if not reason else "")

    def _no_sender_reason(self) -> str:
        """Why there is no number to send from: the gateway is out of reach, or none is known."""
        error = self._screen.loader.numbers_error
        if isinstance(error, Offline):
            # Our numbers are asked for again by the next check that reaches the gateway, and
            # by r (an offline start has no checks running until the list loads).
            return "Can't reach the gateway: no number to send from yet · r tries again"
        if error is not None:
            return f"No number to send from: {error.user_message}; asked again at the next check"
        return "No number to send from yet; set default_sender in the config"

    def rebind(self) -> None:
        """Bind the same conversation again (our numbers arrived); the text being typed stays."""
        key = self.composer.conversation_key
        if key is not None:
            self.bind(key)

    # Drafts ----------------------------------------------------------------------------------

    @property
    def problem(self) -> str:
        """Why the drafts file could not be used ("" when it could), ready to show."""
        return self._drafts.problem

    def draft(self, key: str) -> str:
        """Return a conversation's draft, including edits not written yet."""
        pending = self._pending.get(key)
        return pending if pending is not None else self._drafts.get(key)

    def draft_changed(self, key: str, text: str) -> None:
        """Remember a changed draft and write it once typing pauses.

        Args:
            key: The conversation the draft belongs to.
            text: The draft ("" once sent or cleared).
        """
        self._pending[key] = text
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._screen.set_timer(DRAFT_SAVE_DELAY, self.flush)

    def flush(self) -> None:
        """Write every pending draft now; a failure is reported and the draft kept in memory.

        The composer's text is taken as it is, so typing not yet announced is saved too (the
        app may be closing).
        """
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        composers = self._screen.query(Composer)
        if composers:
            composer = composers.first()
            key = composer.conversation_key
            if key is not None and composer.can_reply:
                self._pending[key] = composer.text
        pending, self._pending = self._pending, {}
        for key, text in pending.items():
            try:
                self._drafts.set(key, text)
            except OSError as error:
                self._pending[key] = text
                reason = error.strerror or type(error).__name__
                self._screen.status_line.show(f"Could not save the draft: {reason}", "error")

    def discard_draft(self, key: str) -> None:
        """Delete a conversation's draft on disk now: its text was sent (it is in the outbox).

        Not debounced: a crash a moment later must not bring the sent text back as a draft.

        Args:
            key: The conversation whose draft went out.
        """
        self._pending.pop(key, None)
        try:
            self._drafts.set(key, "")
        except OSError as error:
            reason = error.strerror or type(error).__name__
            self._screen.status_line.show(f"Could not update the drafts: {reason}", "error")

    # Editor and taking text back ---------------------------------------------------------------

    def open_editor(self, key: str, text: str) -> None:
        """Edit the draft in ``$VISUAL``/``$EDITOR`` and bring the result back.

        Blocks while the editor runs (the app is suspended; intended).

        Args:
            key: The conversation the draft belongs to.
            text: The draft when the editor was asked for.
        """
        edited = edit_in_external_editor(self._screen.app, text)
        if edited is None:
            self._screen.notify(
                "The editor could not be started or exited with an error ($VISUAL / $EDITOR)",
                severity="error",
                markup=False,
            )
            return
        composer = self.composer
        if composer.conversation_key == key:
            composer.set_text(edited)
            composer.text_area.focus()
            composer.text_area.move_cursor(composer.text_area.document.end)
        else:
            self.draft_changed(key, edited)

    def take_back(self, key: str, text: str) -> None:
        """Put a failed message's text back into the composer, after any draft already there.

        Args:
            key: The conversation the message belongs to.
            text: The message text.
        """
        composer = self.composer
        if composer.conversation_key != key:
            current = self.draft(key)
            self.draft_changed(key, f"{current.rstrip()}\n{text}" if current.strip() else text)
            return
        current = composer.text
        composer.set_text(f"{current.rstrip()}\n{text}" if current.strip() else text)
        composer.text_area.focus()
        composer.text_area.move_cursor(composer.text_area.document.end)
