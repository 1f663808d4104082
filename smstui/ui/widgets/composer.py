"""The composer under the message pane: a draft, a live SMS meter and the keys to send it.

The composer is bound to one conversation at a time (:meth:`Composer.bind`) and never does I/O:
it posts what the user wants — :class:`Composer.SendRequested`, :class:`Composer.DraftChanged`,
:class:`Composer.EditorRequested` — each carrying the conversation key, and the screen sends,
saves drafts (:mod:`smstui.store.drafts`) and runs the editor (:mod:`smstui.ui.editor`).

The keys and what each one does are listed in :mod:`smstui.ui.widgets.composer_keys`. Over
``max_parts`` parts the screen asks first; sending is blocked (the bell, and the line under the
meter says why) over ``hard_max_parts``, to a number that asked not to get messages
(:meth:`Composer.set_opt_out`) and with template blanks unfilled (:meth:`set_template_variables`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.dom import DOMNode
from textual.message import Message
from textual.widget import Widget
from textual.widgets import TextArea

from smstui.domain.accents import accent_saving, remove_accents
from smstui.domain.sanitize import clean_line
from smstui.domain.segments import HARD_MAX_PARTS, MAX_PARTS, SegmentInfo, analyse
from smstui.domain.templates import unresolved_in
from smstui.ui.widgets.composer_keys import COMPOSER_BINDINGS, key_for
from smstui.ui.widgets.composer_meter import accent_hint, address_content, blanks_reason
from smstui.ui.widgets.composer_status import ComposerStatus
from smstui.ui.widgets.draft_area import DraftArea

__all__ = ["Composer", "DraftArea"]

_PLACEHOLDER = Content("Write a message…")
_NO_CONVERSATION = "No conversation open"
_CANNOT_REPLY = "Replies to this conversation are not possible"
_TYPING_ACTIONS = frozenset(
    {"send", "newline", "open_editor", "fix_lookalikes", "clear_draft", "pick_template"}
)


class _ComposerMessage(Message):
    """A message posted by a :class:`Composer`, about one conversation."""

    def __init__(self, key: str, text: str) -> None:
        super().__init__()
        self.key = key
        """The conversation key the composer was bound to."""
        self.text = text
        """The draft, exactly as typed."""

    @property
    def control(self) -> DOMNode | None:
        """The composer that posted the message (for ``@on`` selectors)."""
        return self._sender if isinstance(self._sender, Composer) else None


class Composer(Widget):
    """A draft editor with an SMS length meter, for one conversation at a time."""

    BINDINGS: ClassVar[list[BindingType]] = COMPOSER_BINDINGS

    DEFAULT_CSS = """
    Composer {
        height: auto;
        layout: vertical;
    }
    Composer > DraftArea {
        height: auto;
        min-height: 1;
        max-height: 6;
    }
    """

    class SendRequested(_ComposerMessage):
        """Send a non-blank draft within ``hard_max_parts`` (over ``max_parts``: ask first)."""

        def __init__(self, key: str, text: str, info: SegmentInfo) -> None:
            super().__init__(key, text)
            self.info = info  # the draft's parts, measured against both limits

    class DraftChanged(_ComposerMessage):
        """The draft of the bound conversation changed (typing, pasting, editor, clear)."""

        KEYS_WAIT = False  # sent on every keystroke and moves no focus (see key_order)

    class EditorRequested(_ComposerMessage):
        """The user asked to edit the draft in ``$VISUAL``/``$EDITOR``."""

    class TemplateRequested(_ComposerMessage):
        """The user asked for a template to insert (the screen shows the picker)."""

    class AllowRequested(_ComposerMessage):
        """The user asked to take the number off the opt-out list."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create an unbound (disabled) composer; :meth:`bind` opens it for a conversation.

        Args:
            name: Textual widget name.
            id: Textual widget id.
            classes: Textual CSS classes.
        """
        super().__init__(name=name, id=id, classes=classes)
        self._key: str | None = None
        self._can_reply = False
        self._reason = _NO_CONVERSATION
        self._sending = False
        self._dry_run = False
        self._max_parts = MAX_PARTS
        self._hard_max_parts = HARD_MAX_PARTS
        self._asking = False  # a send waits for the answer to the question about its parts
        self._reported = ""
        """The text last announced (or loaded) for the bound key; edits are compared to it."""
        self._info = analyse("")
        self._opt_out = ""
        """Why the number gets no messages (it asked), or "": sending is blocked while set."""
        self._variables: frozenset[str] = frozenset()
        self._input = DraftArea(
            soft_wrap=True,
            show_line_numbers=False,
            compact=True,
            highlight_cursor_line=False,
            tab_behavior="focus",
            placeholder=Content(_NO_CONVERSATION),
            disabled=True,
            id="composer-input",
        )
        self._status = ComposerStatus(id="composer-lines")

    def compose(self) -> ComposeResult:
        """Yield the text area and the meter lines under it."""
        yield self._input
        yield self._status

    def on_mount(self) -> None:
        """Show the meter for the initial (unbound) state."""
        self._refresh_meter()

    # Public API ------------------------------------------------------------------------

    @property
    def conversation_key(self) -> str | None:
        """The conversation the composer is bound to, or None."""
        return self._key

    @property
    def text(self) -> str:
        """The draft as it is in the text area now."""
        return self._input.text

    @property
    def can_reply(self) -> bool:
        """True when the bound conversation accepts replies (the text area is enabled)."""
        return self._key is not None and self._can_reply

    @property
    def sending(self) -> bool:
        """True while a send is in flight (the send key does nothing)."""
        return self._sending

    @property
    def dry_run(self) -> bool:
        """True when the "dry run" badge is shown."""
        return self._dry_run

    @property
    def segment_info(self) -> SegmentInfo:
        """The meter's analysis of the current draft."""
        return self._info

    @property
    def meter_text(self) -> str:
        """The meter lines as plain text: address, counts, badge, reason (for tests and logs)."""
        return self._status.text

    @property
    def reason_text(self) -> str:
        """The line under the meter (why the draft won't do), or ""."""
        return self._status.reason

    @property
    def text_area(self) -> DraftArea:
        """The inner text area (focus it to start typing)."""
        return self._input

    def bind(
        self,
        key: str | None,
        *,
        draft: str,
        sender: str,
        can_reply: bool,
        reason: str = "",
        recipient: str = "",
    ) -> None:
        """Show a conversation's draft; the composer now speaks for that conversation only.

        Any edit of the previous conversation not yet announced is posted first as a
        :class:`DraftChanged` for the *previous* key. Loading the new draft posts no
        :class:`DraftChanged`, and the undo history is cleared so Ctrl+Z cannot bring back
        another conversation's text. Binding the key that is already bound only updates
        sender, recipient and reply permission: the text being typed stays (``draft`` is
        ignored), so a refresh of the conversation never eats keystrokes.

        Args:
            key: The conversation key, or None for no conversation (the composer is disabled).
            draft: The saved draft for that conversation ("" when none).
            sender: The number or name replies go out from, formatted for display.
            can_reply: False for conversations that cannot be answered (alphanumeric senders);
                the composer is disabled and shows ``reason``.
            reason: Why replying is not possible (a default is used when "").
            recipient: Who the reply goes to, formatted for display ("" to leave it out).
        """
        self._announce_pending_edit()
        rebinding = key is not None and key == self._key
        self._key = key
        self._can_reply = can_reply
        if key is None:
            self._reason = _NO_CONVERSATION
        elif not can_reply:
            self._reason = reason or _CANNOT_REPLY
        else:
            self._reason = ""
        if not rebinding:
            self._input.load_text(draft if key is not None else "")
            # Read back: the text area normalises line endings, and Changed compares to this.
            self._reported = self._input.text
        enabled = self.can_reply
        self._input.disabled = not enabled
        self._input.placeholder = _PLACEHOLDER if enabled else Content(clean_line(self._reason))
        self._status.set_address(address_content(recipient, sender))
        self._refresh_meter()

    def set_text(self, text: str) -> None:
        """Replace the draft (after the external editor, say); posts :class:`DraftChanged`.

        Args:
            text: The new draft.
        """
        area = self._input
        area.replace(text, (0, 0), area.document.end, maintain_selection_offset=False)
        self._refresh_meter()

    def clear(self) -> None:
        """Empty the draft (after a successful send); posts :class:`DraftChanged` with ""."""
        self.set_text("")

    def set_sending(self, sending: bool) -> None:
        """Say whether a send is in flight; while it is, the send key does nothing.

        The composer enters this state by itself when it posts :class:`SendRequested`; call
        ``set_sending(False)`` when the send has finished (after :meth:`clear` on success) or was
        declined. The state belongs to the composer, not to a conversation: it survives bind.

        Args:
            sending: True while sending.
        """
        self._sending = sending
        self._asking = False
        self._refresh_meter()

    def set_dry_run(self, dry_run: bool) -> None:
        """Show or hide the "dry run" badge (sends are simulated, nothing leaves).

        Args:
            dry_run: True to show the badge.
        """
        self._dry_run = dry_run
        self._status.set_dry_run(dry_run)

    def set_max_parts(self, max_parts: int, hard_max_parts: int = HARD_MAX_PARTS) -> None:
        """Set the limits: over ``max_parts`` parts ask first, over ``hard_max_parts`` never."""
        self._max_parts = max_parts
        self._hard_max_parts = hard_max_parts
        self._refresh_meter()

    def set_opt_out(self, reason: str) -> None:
        """Block sending to a number that asked not to get messages ("" unblocks).

        Args:
            reason: What the status line says (when it asked and how to allow it again).
        """
        self._opt_out = reason
        self._refresh_meter()
        self.refresh_bindings()

    @property
    def opted_out(self) -> bool:
        """True while sending is blocked because the number asked not to get messages."""
        return bool(self._opt_out)

    def set_template_variables(self, names: frozenset[str]) -> None:
        """Name the template blanks (``{pickup_day}``) that block sending while in the draft.

        Args:
            names: The variables of the templates and the built-in ones.
        """
        self._variables = names
        self._refresh_meter()

    def insert_text(self, text: str) -> None:
        """Insert text at the cursor (a template), replacing any selection, as one edit."""
        area = self._input
        start, end = area.selection
        area.history.checkpoint()
        area.replace(text, start, end, maintain_selection_offset=False)
        area.history.checkpoint()
        self._refresh_meter()

    @property
    def stop_reason(self) -> str:
        """Why the draft is not sent though it fits: opted-out number, template blanks; or ""."""
        return self._opt_out or blanks_reason(unresolved_in(self._input.text, self._variables))

    # Actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Disable the composer's keys while it has no conversation that accepts replies."""
        if action in _TYPING_ACTIONS:
            return self.can_reply
        if action == "remove_accents":
            return self.can_reply or None
        if action == "allow_number":
            return self.can_reply and self.opted_out
        return True

    def action_send(self) -> None:
        """Post :class:`SendRequested` for a non-blank draft that fits; bell if too long."""
        self._in_key_order(self._send)

    def action_newline(self) -> None:
        """Insert a line break at the cursor (replacing any selection)."""
        self._in_key_order(self._newline)

    def action_open_editor(self) -> None:
        """Post :class:`EditorRequested` with the current draft."""
        self._in_key_order(self._open_editor)

    def action_fix_lookalikes(self) -> None:
        """Replace typographic look-alikes by GSM-7 characters, keeping the cursor in place."""
        self._in_key_order(self._fix_lookalikes)

    def action_remove_accents(self) -> None:
        """Remove accents outside GSM-7 when that saves something; the bell when it would not."""
        self._in_key_order(self._remove_accents)

    def action_pick_template(self) -> None:
        """Post :class:`TemplateRequested`."""
        if self._key is not None:
            self.post_message(self.TemplateRequested(self._key, self._input.text))

    def action_allow_number(self) -> None:
        """Post :class:`AllowRequested` (only offered while the number is opted out)."""
        if self._key is not None and self._opt_out:
            self.post_message(self.AllowRequested(self._key, self._input.text))

    def action_clear_draft(self) -> None:
        """Empty the draft as one undoable edit (Ctrl+Z brings it back)."""
        self._in_key_order(self._input.clear_draft)

    def _in_key_order(self, action: Callable[[], None]) -> None:
        """Run ``action`` after the keys already on their way to the text area.

        The composer's keys are priority bindings, which run when the app reads the key; the
        characters typed before it are applied later, from the text area's own queue. Read in
        one go (fast typing over SSH, a paste without bracketed paste), "hello⏎" would send the
        draft without "hello" and "hi⌥⏎" would put the line break before "hi". Queued behind
        those characters, the action sees the draft as typed up to its key.
        """
        if not self._input.call_later(action):
            action()

    def _send(self) -> None:
        key = self._key
        if key is None or not self._can_reply or self._sending:
            return
        text = self._input.text
        if not text.strip():
            return
        info = self._info = analyse(text, self._max_parts, self._hard_max_parts)
        if info.too_long or self.stop_reason:
            self.app.bell()
            self._refresh_meter()
            return
        self._announce_pending_edit()
        self._sending = True  # until it went out or was declined: an Enter typed ahead is void
        self._asking = info.needs_confirmation
        self._refresh_meter()
        self.post_message(self.SendRequested(key, text, info))

    def _newline(self) -> None:
        self._input.insert_line_break()

    def _open_editor(self) -> None:
        if self._key is not None and self._can_reply:
            self.post_message(self.EditorRequested(self._key, self._input.text))

    def _fix_lookalikes(self) -> None:
        if self._input.fix_lookalikes():
            self._refresh_meter()

    def _remove_accents(self) -> None:
        saving = accent_saving(self._input.text, self._max_parts)
        if saving is None or not self._input.transform(remove_accents):
            self.app.bell()
            return
        self._refresh_meter()

    # Internals -----------------------------------------------------------------------------

    @on(TextArea.Changed, "#composer-input")
    def _text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._refresh_meter()
        self._announce_pending_edit()

    def _announce_pending_edit(self) -> None:
        """Post DraftChanged when the text differs from what was last loaded or announced."""
        text = self._input.text
        if self._key is None or text == self._reported:
            return
        self._reported = text
        self.post_message(self.DraftChanged(self._key, text))

    def _refresh_meter(self) -> None:
        text = self._input.text
        self._info = analyse(text, self._max_parts, self._hard_max_parts)
        saving = accent_saving(text, self._max_parts) if self._info.encoding != "GSM-7" else None
        hint = accent_hint(saving, key_for(self, "remove_accents")) if self.can_reply else None
        self._status.show(
            text,
            self._info,
            sending=self._sending,
            asking=self._asking,
            blocked=bool(self._reason),
            stop=self.stop_reason if self.can_reply else "",
            hint=hint,
        )
