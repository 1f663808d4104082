"""Base classes of the messages the message pane posts (kept apart to keep the pane small)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message as TextualMessage

from smstui.api.models import Message

if TYPE_CHECKING:
    from smstui.widgets.message_pane import MessagePane

__all__ = ["MessageEvent", "PaneMessage"]


class PaneMessage(TextualMessage):
    """Base of the pane's messages: each names its conversation, so stale ones can be dropped."""

    def __init__(self, pane: MessagePane, key: str) -> None:
        super().__init__()
        self.pane = pane
        self.key = key
        """The conversation key."""

    @property
    def control(self) -> MessagePane:
        """The pane that posted the message."""
        return self.pane


class MessageEvent(PaneMessage):
    """A pane message about one message of the conversation."""

    def __init__(self, pane: MessagePane, key: str, message: Message) -> None:
        super().__init__(pane, key)
        self.message = message
        """The message concerned."""
