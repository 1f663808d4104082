"""App-wide messages that cross screens (widget-level messages live in their widgets)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class AuthenticationLost(Message):
    """The gateway rejected our credentials (error 104 and friends); sign in again."""

    reason: str


class UnreadTotalChanged(Message):
    """The unread total of the conversations not muted changed (for the terminal title)."""

    def __init__(self, total: int) -> None:
        super().__init__()
        self.total = total
