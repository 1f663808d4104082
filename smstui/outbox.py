"""Messages the user sent from this app that the gateway has not (yet) confirmed.

A send shows at once as a local bubble (key ``local:<uuid>``) and goes through these states:

- ``SENDING``: the request is on its way.
- success: the bubble becomes the gateway's message (``id:<messageId>``, ``SUBMITTED``) and
  leaves the outbox; from then on the conversation's pages tell its delivery status.
- ``FAILED``: the gateway refused it (credit, opt-out, length …) or it never left this machine.
  The reason stays on the bubble and the text can be sent again or edited.
- ``OUTCOME UNKNOWN``: it went out but no answer came back, so it may have been sent. The app
  looks for it on the conversation's newest page (:func:`find_sent_copy`) before it offers to
  send it again; found, it becomes that message and no duplicate is ever sent.
- ``DRY RUN``: sent with the API's ``test`` flag; the gateway checked it and stored nothing.

Pure: no Textual, no I/O. The screen keeps one :class:`Outbox` for the app's life, so failed
messages survive switching conversations.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from smstui.api.models import Message
from smstui.phones import normalise_number

__all__ = [
    "DRY_RUN",
    "FAILED",
    "LOCAL_PREFIX",
    "NOT_FOUND_REASON",
    "OUTCOME_UNKNOWN",
    "RECONCILE_SLACK",
    "SENDING",
    "Outbox",
    "Outgoing",
    "find_sent_copy",
    "is_local",
]

SENDING = "SENDING"
FAILED = "FAILED"
OUTCOME_UNKNOWN = "OUTCOME UNKNOWN"
DRY_RUN = "DRY RUN"

LOCAL_PREFIX = "local:"
"""Keys of messages that exist only in this app (never a gateway key: those are id:/h:)."""

RECONCILE_SLACK = 300
"""Seconds a gateway copy may seem older than the send (our clock and the gateway's differ)."""

NOT_FOUND_REASON = "Not found in the conversation, so it was most likely not sent"

DRY_RUN_NOTE = "Dry run: the gateway checked it; nothing was sent or charged"
CHECKING_NOTE = "No answer from the gateway; checking whether it went out…"


def is_local(key: str) -> bool:
    """Tell whether a message key belongs to a message that exists only in this app."""
    return key.startswith(LOCAL_PREFIX)


@dataclass(slots=True)
class Outgoing:
    """One message sent from this app that is not (yet) a confirmed gateway message."""

    key: str
    """The bubble's key, ``local:<uuid>``; stays the same through resends."""
    conversation: str
    """The conversation key it belongs to."""
    to: str
    """The recipient, digits only."""
    sender: str
    """Our number (or approved sender name) it goes out from."""
    text: str
    created: int
    """When it was (last) sent, in the app clock's epoch seconds."""
    status: str = SENDING
    reason: str = ""
    """Why it failed, in words; "" otherwise."""
    known: frozenset[str] = field(default_factory=frozenset)
    """Message keys already in the conversation when it was sent: never its copy."""
    checks: int = 0
    """Completed looks for its copy while the outcome is unknown."""

    @property
    def message(self) -> Message:
        """The bubble as the message pane draws it."""
        return Message(
            key=self.key,
            message_id=None,
            outbound=True,
            sender=self.sender,
            receiver=self.to,
            text=self.text,
            attachments=(),
            timestamp=self.created,
            status=self.status,
        )

    @property
    def note(self) -> str:
        """The line under the bubble that says what happened ("" while sending)."""
        if self.status == FAILED:
            return self.reason or "Not sent"
        if self.status == OUTCOME_UNKNOWN:
            return CHECKING_NOTE
        if self.status == DRY_RUN:
            return DRY_RUN_NOTE
        return ""

    @property
    def in_flight(self) -> bool:
        """True while the request is on its way."""
        return self.status == SENDING

    @property
    def resendable(self) -> bool:
        """True when sending it again cannot make a duplicate (it certainly did not go out)."""
        return self.status == FAILED


class Outbox:
    """The unconfirmed messages of every conversation, by bubble key, oldest first."""

    def __init__(self) -> None:
        self._items: dict[str, Outgoing] = {}

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: str) -> Outgoing | None:
        """Return the message with this bubble key, or None when it is not in the outbox."""
        return self._items.get(key)

    def create(
        self,
        conversation: str,
        *,
        to: str,
        sender: str,
        text: str,
        now: float,
        known: Iterable[str] = (),
    ) -> Outgoing:
        """Add a message that is about to be sent (state ``SENDING``).

        Args:
            conversation: The conversation key.
            to: The recipient in any spelling (normalised to digits).
            sender: Our number or sender name.
            text: The text, exactly as it will be sent.
            now: The send time (app clock, epoch seconds).
            known: Keys of the messages already in the conversation.

        Returns:
            The new entry.
        """
        item = Outgoing(
            key=f"{LOCAL_PREFIX}{uuid.uuid4().hex}",
            conversation=conversation,
            to=normalise_number(to),
            sender=normalise_number(sender),
            text=text,
            created=int(now),
            known=frozenset(known),
        )
        self._items[item.key] = item
        return item

    def in_conversation(self, conversation: str) -> list[Outgoing]:
        """Return the conversation's unconfirmed messages, oldest first."""
        return [item for item in self._items.values() if item.conversation == conversation]

    def busy(self, conversation: str) -> bool:
        """True while a send of this conversation is on its way."""
        return any(item.in_flight for item in self.in_conversation(conversation))

    def unresolved(self, conversation: str) -> list[Outgoing]:
        """Return the messages of a conversation that may still turn up at the gateway.

        That is those whose outcome is unknown, and those given up on after the checks found
        nothing: if the gateway lists one late, it must replace its bubble (and leave nothing
        to resend) rather than appear beside it.
        """
        return [
            item
            for item in self.in_conversation(conversation)
            if item.status == OUTCOME_UNKNOWN
            or (item.status == FAILED and item.reason == NOT_FOUND_REASON)
        ]

    def restart(self, key: str, now: float, known: Iterable[str] = ()) -> Outgoing | None:
        """Put a failed message back into ``SENDING`` for a resend (None if not resendable).

        Args:
            key: The bubble key.
            now: The new send time.
            known: Keys of the messages in the conversation now.
        """
        item = self._items.get(key)
        if item is None or not item.resendable:
            return None
        item.status, item.reason, item.checks = SENDING, "", 0
        item.created = int(now)
        item.known = frozenset(known)
        return item

    def fail(self, key: str, reason: str) -> Outgoing | None:
        """Mark a message failed with the reason in words."""
        item = self._items.get(key)
        if item is not None:
            item.status, item.reason = FAILED, reason
        return item

    def set_status(self, key: str, status: str) -> Outgoing | None:
        """Move a message to ``OUTCOME UNKNOWN`` or ``DRY RUN`` (any status, in fact)."""
        item = self._items.get(key)
        if item is not None:
            item.status, item.reason = status, ""
        return item

    def remove(self, key: str) -> Outgoing | None:
        """Take a message out of the outbox (confirmed, found, or edited away)."""
        return self._items.pop(key, None)


def find_sent_copy(
    item: Outgoing, candidates: Iterable[Message], taken: Collection[str] = ()
) -> Message | None:
    """Find the gateway's copy of a message whose send outcome is unknown.

    A copy is an outbound message to the same number with exactly the same text, not older
    than the send (give or take :data:`RECONCILE_SLACK`), whose key was not already in the
    conversation when the message was sent and is not ``taken`` (claimed by another message
    or confirmed earlier). Of several, the oldest wins, so two identical unknown sends each
    find their own.

    Args:
        item: The message whose outcome is unknown.
        candidates: Messages from the conversation's newest page.
        taken: Keys that cannot be this message's copy.

    Returns:
        The copy, or None when the page has none.
    """
    found: Message | None = None
    for message in candidates:
        if (
            message.outbound
            and not is_local(message.key)
            and message.text == item.text
            and normalise_number(message.receiver) in (item.to, "")
            and message.timestamp >= item.created - RECONCILE_SLACK
            and message.key not in item.known
            and message.key not in taken
            and (found is None or message.timestamp < found.timestamp)
        ):
            found = message
    return found
