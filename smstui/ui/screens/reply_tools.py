"""Replies that are fast to write and safe to send: templates and the opt-out list.

:class:`ReplyTools` belongs to the compose flow. It keeps the opt-out list
(:mod:`smstui.store.opt_outs`) and tells the composer when the open number is on it (sending is then
blocked, with a key to allow it again), puts a number on it when the user presses ``x`` on a
STOP-like reply or when the gateway refuses a send with error 131, and shows the template
picker (:mod:`smstui.ui.screens.template_picker`) for Ctrl+T.

:class:`ReplyRouting` is mixed into the inbox screen: it only routes the composer's and the
pane's requests here, so the screen's own module stays about layout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from smstui.domain.conversations import ConversationSummary
from smstui.domain.phones import display_number, normalise_number
from smstui.domain.templates import BUILTIN_VARIABLES, Template, contact_values, load_templates
from smstui.domain.timefmt import short_date
from smstui.store.opt_outs import REASON_GATEWAY, REASON_MANUAL, REASON_REPLY, OptOutList
from smstui.store.personal import StateBackend
from smstui.system import paths
from smstui.system.config import Settings
from smstui.ui.screens.confirm import ConfirmScreen
from smstui.ui.screens.inbox_parts import InboxParts
from smstui.ui.screens.template_picker import TemplatePicker
from smstui.ui.widgets.composer import Composer
from smstui.ui.widgets.composer_keys import key_for
from smstui.ui.widgets.message_pane import MessagePane

__all__ = ["ReplyRouting", "ReplyTools", "templates_dir"]

OPT_OUT_ERROR = 131
"""The gateway's error code for a recipient on its opt-out list (contract §3.2)."""


def templates_dir(settings: Settings) -> Path:
    """The templates directory: ``templates`` beside the config file in use."""
    base = settings.source.parent if settings.source is not None else paths.config_dir()
    return base / "templates"


class ReplyTools:
    """The opt-out list and the templates, for the compose flow.

    Args:
        screen: The inbox screen.
        settings: Where the templates are (beside the config file).
        backend: Where the opt-out list is kept (the screen's local state).
    """

    def __init__(
        self,
        screen: InboxParts,
        *,
        settings: Settings,
        backend: StateBackend,
    ) -> None:
        self._screen = screen
        self._settings = settings
        self.opt_outs = OptOutList(backend)
        """Numbers that asked not to get messages (kept in the account's store)."""
        self.templates: list[Template] = []
        self.template_problems: list[str] = []
        self.load_templates()

    def load_templates(self) -> None:
        """(Re)read the templates directory."""
        self.templates, self.template_problems = load_templates(templates_dir(self._settings))

    @property
    def variable_names(self) -> frozenset[str]:
        """Every template variable: blanks of these names in a draft block sending."""
        names = {name for template in self.templates for name in template.variables}
        return frozenset(names.union(BUILTIN_VARIABLES))

    # Opt-outs ----------------------------------------------------------------------------------

    def opt_out_reason(self, number: str, composer: Composer) -> str:
        """What the composer says while ``number`` is on the list ("" when it is not)."""
        entry = self.opt_outs.get(normalise_number(number))
        if entry is None:
            return ""
        # "This year" is the app's clock's year: what is drawn never depends on the machine's.
        day = short_date(entry.since, self._screen.clock.now()) if entry.since else "earlier"
        why = {
            REASON_REPLY: f"This number asked not to get messages (STOP on {day})",
            REASON_GATEWAY: f"The gateway refused a message: this number opted out ({day})",
        }.get(entry.reason, f"This number is on the opt-out list (since {day})")
        key = key_for(composer, "allow_number")
        return f"{why} · sending is blocked · {key} to allow again"

    def add(self, number: str, *, since: int, reason: str) -> bool:
        """Put a number on the list; say so on failure. Returns True when it is on it now."""
        try:
            self.opt_outs.add(normalise_number(number), now=since, reason=reason)
        except OSError as error:
            reason_text = error.strerror or type(error).__name__
            self._screen.status_line.show(f"Could not save the opt-out: {reason_text}", "error")
            return self.opt_outs.get(normalise_number(number)) is not None
        return True

    def _number_of(self, key: str) -> str:
        summary = self._screen.session.summary(key)
        return summary.number if summary else key

    def opt_out_requested(self, key: str, since: int) -> None:
        """``x`` on a STOP-like reply: put the conversation's number on the list."""
        number = self._number_of(key)
        if self.opt_outs.get(normalise_number(number)) is not None:
            self._screen.notify(
                f"{display_number(number)} is on the opt-out list already", markup=False
            )
            return
        if self.add(number, since=since or int(self._screen.clock.now()), reason=REASON_REPLY):
            self._screen.notify(
                f"{display_number(number)} is on the opt-out list: sending to it is blocked",
                markup=False,
            )
        self._screen.compose_flow.rebind()

    def refused_as_opted_out(self, number: str) -> None:
        """The gateway refused a send with error 131: the number goes on the list."""
        self.add(number, since=int(self._screen.clock.now()), reason=REASON_GATEWAY)
        self._screen.notify(
            f"The gateway says {display_number(number)} opted out (error 131): it is on the "
            "opt-out list now, and the composer blocks sending to it",
            severity="warning",
            markup=False,
            timeout=10,
        )
        self._screen.compose_flow.rebind()

    def allow_requested(self, key: str) -> None:
        """The composer's allow key: ask, then take the number off the list."""
        number = self._number_of(key)
        entry = self.opt_outs.get(normalise_number(number))
        if entry is None:
            return
        shown = display_number(number)

        def answered(allow: bool | None) -> None:
            if not allow:
                return
            try:
                self.opt_outs.remove(normalise_number(number))
            except OSError as error:
                reason = error.strerror or type(error).__name__
                self._screen.status_line.show(f"Could not save the opt-out: {reason}", "error")
            self._screen.notify(f"{shown} may get messages again", markup=False)
            self._screen.compose_flow.rebind()

        asked = "asked not to get messages" if entry.reason != REASON_MANUAL else "is opted out"
        self._screen.app.push_screen(
            ConfirmScreen(
                f"Allow messages to {shown} again?",
                f"{shown} {asked}. Only allow it again when they asked for messages again.",
                yes="Allow again",
                no="Keep blocked",
            ),
            answered,
        )

    # Templates ---------------------------------------------------------------------------------

    def pick_template(self, key: str, summary: ConversationSummary | None) -> None:
        """Show the template picker for a conversation; insert the one chosen."""
        flow = self._screen.compose_flow
        self.load_templates()  # files may have been edited meanwhile
        composer = flow.composer
        composer.set_template_variables(self.variable_names)
        sender = flow.sender_for(summary)
        values = contact_values(
            name=summary.name if summary else "",
            number=display_number(summary.number if summary else key),
            our_number=display_number(sender) if sender else "",
        )

        def chosen(text: str | None) -> None:
            if text is not None and composer.conversation_key == key:
                composer.insert_text(text)
            composer.text_area.focus()

        self._screen.app.push_screen(
            TemplatePicker(
                self.templates,
                values,
                max_parts=self._settings.max_parts,
                directory=templates_dir(self._settings),
                problems=self.template_problems,
            ),
            chosen,
        )


class Replying(Protocol):
    """What :class:`ReplyRouting` needs of the compose flow (which imports this module)."""

    @property
    def replies(self) -> ReplyTools:
        """Templates and the opt-out list."""

    def summary(self, key: str) -> ConversationSummary | None:
        """The conversation's summary, when the list knows it."""


class ReplyRouting:
    """Routes the composer's and the pane's reply requests to :class:`ReplyTools` (a mixin)."""

    compose_flow: Replying

    def on_composer_template_requested(self, event: Composer.TemplateRequested) -> None:
        """Ctrl+T in the composer: the template picker."""
        flow = self.compose_flow
        flow.replies.pick_template(event.key, flow.summary(event.key))

    def on_composer_allow_requested(self, event: Composer.AllowRequested) -> None:
        """The composer's allow-again key."""
        self.compose_flow.replies.allow_requested(event.key)

    def on_message_pane_opt_out_requested(self, event: MessagePane.OptOutRequested) -> None:
        """``x`` on a STOP-like reply."""
        self.compose_flow.replies.opt_out_requested(event.key, int(event.message.timestamp))
