"""Base classes of the messages the message pane posts (kept apart to keep the pane small).

They name the posting widget as a plain :class:`~textual.widget.Widget`, so this module needs
nothing from the pane's: the pane imports them, never the other way round.
"""

from __future__ import annotations

from textual.message import Message as TextualMessage
from textual.widget import Widget

from smstui.domain.models import Message

__all__ = ["MessageEvent", "PaneMessage"]


class PaneMessage(TextualMessage):
    """Base of the pane's messages: each names its conversation, so stale ones can be dropped."""

    def __init__(self, pane: Widget, key: str) -> None:
        super().__init__()
        self.pane = pane
        self.key = key
        """The conversation key."""

    @property
    def control(self) -> Widget:
        """The pane that posted the message."""
        return self.pane


class MessageEvent(PaneMessage):
    """A pane message about one message of the conversation."""

    def __init__(self, pane: Widget, key: str, message: Message) -> None:
        super().__init__(pane, key)
        self.message = message
        """The message concerned."""
