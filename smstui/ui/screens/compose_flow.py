"""The composer's side of the inbox: who a reply goes out from, binding, and the editor.

Drafts are the session's (:class:`~smstui.session.inbox.InboxSession`): the composer announces
every change with the key it is bound to, the screen forwards it, and the session writes drafts
once typing pauses. Opening another conversation brings that one's draft
(:class:`~smstui.session.events.ComposerChanged`), which :meth:`ComposeFlow.bind` shows.
"""

from __future__ import annotations

from smstui.api.errors import Offline
from smstui.domain.conversations import ConversationSummary
from smstui.domain.phones import (
    can_reply,
    display_number,
    reply_sender,
)
from smstui.store.personal import StateBackend
from smstui.system.config import Settings
from smstui.ui.editor import edit_in_external_editor
from smstui.ui.screens.inbox_parts import InboxParts
from smstui.ui.screens.reply_tools import ReplyTools
from smstui.ui.widgets.composer import Composer

__all__ = ["ComposeFlow"]


class ComposeFlow:
    """Binds the composer to the open conversation.

    Args:
        screen: The inbox screen (for the composer, the session and the status line).
        settings: For the configured default sender.
        backend: Where the personal state is kept.
    """

    def __init__(self, screen: InboxParts, *, settings: Settings, backend: StateBackend) -> None:
        self._screen = screen
        self._settings = settings
        self.replies = ReplyTools(screen, settings=settings, backend=backend)
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
        own = summary.own_number if summary else ""
        return reply_sender(own, self._screen.session.own_numbers, self._settings.default_sender)

    def summary(self, key: str) -> ConversationSummary | None:
        """The conversation's summary, when the list knows it."""
        return self._screen.session.summary(key)

    def bind(self, key: str | None, *, draft: str | None = None) -> None:
        """Point the composer at a conversation (None: no conversation), with its draft.

        Args:
            key: The conversation key.
            draft: Its draft (default: the session's).
        """
        composer = self.composer
        composer.display = key is not None  # no conversation, nothing to write: no composer
        if key is None:
            composer.bind(None, draft="", sender="", can_reply=False)
            return
        summary = self._screen.session.summary(key)
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
            draft=self._screen.session.draft(key) if draft is None else draft,
            sender=display_number(sender) if sender else "",
            can_reply=not reason,
            reason=reason,
            recipient=display_number(number),
        )
        composer.set_template_variables(self.replies.variable_names)
        composer.set_opt_out(self.replies.opt_out_reason(number, composer) if not reason else "")

    def _no_sender_reason(self) -> str:
        """Why there is no number to send from: the gateway is out of reach, or none is known."""
        error = self._screen.session.numbers_error
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

    def flush(self) -> None:
        """Have every draft written now, the composer's text as it is included.

        Typing not yet announced counts too: the app may be closing.
        """
        composers = self._screen.query(Composer)
        if composers:
            composer = composers.first()
            key = composer.conversation_key
            if key is not None and composer.can_reply:
                self._screen.session.draft_changed(key, composer.text)
        self._screen.session.flush_drafts()

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
            self._screen.session.draft_changed(key, edited)

    def take_back(self, key: str, text: str) -> None:
        """Put a failed message's text back into the composer, after any draft already there.

        Args:
            key: The conversation the message belongs to.
            text: The message text.
        """
        composer = self.composer
        if composer.conversation_key != key:
            current = self._screen.session.draft(key)
            joined = f"{current.rstrip()}\n{text}" if current.strip() else text
            self._screen.session.draft_changed(key, joined)
            return
        current = composer.text
        composer.set_text(f"{current.rstrip()}\n{text}" if current.strip() else text)
        composer.text_area.focus()
        composer.text_area.move_cursor(composer.text_area.document.end)
