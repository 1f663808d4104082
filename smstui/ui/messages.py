"""App-wide messages that cross screens (widget-level messages live in their widgets)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class AuthenticationLost(Message):
    """The gateway rejected our credentials (error 104 and friends); sign in again."""

    reason: str
