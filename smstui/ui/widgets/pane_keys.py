"""The message pane's keys and the help text that describes them (kept apart from the pane)."""

from __future__ import annotations

from typing import NamedTuple

from textual.binding import Binding, BindingType

from smstui.domain.links import has_links
from smstui.domain.models import Message
from smstui.domain.outbox import FAILED, OUTCOME_UNKNOWN, is_local
from smstui.store.opt_outs import is_opt_out_request
from smstui.ui.widgets.wrap import is_team_note

__all__ = ["PANE_BINDINGS", "PANE_HELP", "MessageOffers", "offers_for"]

PANE_HELP = """
Incoming messages are on the left, yours on the right with their delivery status.
Scrolling near the top loads older messages; after a jump into the middle, scrolling
near the bottom loads newer ones.

- **q/Esc** back to the list (q on the list quits)
- **↑/k ↓/j** previous / next message · **PgUp/PgDn** a page
- **Home/g End/G** first / newest message
- **o** open the message's links and attachments · **y** copy the message
- **Enter/i** write a reply · **R** send a failed message again · **e** edit it
- **x** on a received STOP-like reply: put the number on the opt-out list
"""
"""The pane's section of the help screen."""

PANE_BINDINGS: list[BindingType] = [
    # mutt and aerc users press q to leave a thread, not the app: back to the list here; q on
    # the list still quits (the app's binding). Moving this id's key elsewhere lets q quit here.
    Binding("q", "screen.back", "Back", id="message_pane.back"),
    Binding("up,k", "cursor_up", "Older message", show=False, id="message_pane.cursor_up"),
    Binding("down,j", "cursor_down", "Newer message", show=False, id="message_pane.cursor_down"),
    Binding("pageup", "page_up", "Page up", show=False, id="message_pane.page_up"),
    Binding("pagedown", "page_down", "Page down", show=False, id="message_pane.page_down"),
    Binding("home,g", "jump_to_oldest", "Oldest", show=False, id="message_pane.oldest"),
    Binding("end,G", "jump_to_newest", "Newest", id="message_pane.newest"),
    Binding(
        "o",
        "open_attachments",
        "Open",
        tooltip="Open or copy the message's links and attachments",
        id="message_pane.open_attachments",
    ),
    Binding("y", "copy_message", "Copy", id="message_pane.copy_message"),
    Binding("enter,i", "reply", "Reply", id="message_pane.reply"),
    Binding("R", "resend", "Resend", id="message_pane.resend"),
    Binding("e", "edit_failed", "Edit", id="message_pane.edit_failed"),
    Binding(
        "x",
        "opt_out",
        "Opt out",
        tooltip="They asked to stop: put the number on the opt-out list",
        id="message_pane.opt_out",
    ),
]
"""Cursor, paging and per-message actions (ids let the user remap them)."""


class MessageOffers(NamedTuple):
    """Which per-message actions apply to the highlighted message (the footer shows those)."""

    resend: bool = False
    """One of ours that failed, or whose fate is unknown: send it again."""
    edit_failed: bool = False
    """One of ours that failed: take it back into the composer."""
    open_attachments: bool = False
    """It has an attachment or a link."""
    opt_out: bool = False
    """A received STOP-like reply: put the sender on the opt-out list."""

    def allows(self, action: str) -> bool:
        """Whether an action applies (actions not about one message always do)."""
        return bool(getattr(self, action)) if action in self._fields else True


def offers_for(message: Message | None) -> MessageOffers:
    """What can be done with one message (all False for no message)."""
    if message is None:
        return MessageOffers()
    if is_team_note(message):  # an internal note: its links, nothing else
        return MessageOffers(open_attachments=has_links(message.text))
    unsent = is_local(message.key)
    return MessageOffers(
        resend=unsent and message.status in (FAILED, OUTCOME_UNKNOWN),
        edit_failed=unsent and message.status == FAILED,
        open_attachments=bool(message.attachments or has_links(message.text)),
        opt_out=not message.outbound and is_opt_out_request(message.text),
    )
