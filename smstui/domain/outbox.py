"""Messages the user sent from this app that the gateway has not (yet) confirmed.

A send shows at once as a local bubble (key ``local:<uuid>``) and goes through these states:

- ``SENDING``: the request is on its way.
- success: the bubble becomes the gateway's message (``id:<messageId>``, ``SUBMITTED``) and
  leaves the outbox; from then on the conversation's pages tell its delivery status.
- ``FAILED``: the gateway refused it (credit, opt-out, length …) or it certainly never left
  this machine. The reason stays on the bubble (with the attempt and its time once it was
  sent again); ``R`` sends it again, ``e`` edits it.
- ``OUTCOME UNKNOWN`` ("not confirmed"): it may have gone out but no answer came back. It stays
  "not confirmed" until the gateway's copy turns up (:func:`find_sent_copy`) or the user
  decides: a resend then needs an explicit confirmation that names the risk of a duplicate.
  Nothing ever concludes "not sent" from not seeing a copy: gateways commit late.
- ``DRY RUN``: sent with the API's ``test`` flag; the gateway checked it and stored nothing.

Every send carries a unique ``reference`` (an API field, echoed by some gateways), so a copy
that carries it back is matched on it exactly; otherwise on number, text and time.

Everything but dry runs is written to disk (:class:`smstui.store.outbox_file.OutboxFile`) before the
request leaves and on every change, and read back at start: a failed or unconfirmed message is
never lost to a quit, a crash or a second instance. A message that was on its way when the app
stopped comes back as "not confirmed" and is looked for again.

No Textual; the disk goes through the injected file.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from smstui.domain.models import Message
from smstui.domain.phones import normalise_number
from smstui.domain.timefmt import bubble_time

__all__ = [
    "DRY_RUN",
    "FAILED",
    "LOCAL_PREFIX",
    "OUTCOME_UNKNOWN",
    "RECONCILE_SLACK",
    "REFERENCE_PREFIX",
    "SENDING",
    "Outbox",
    "OutboxPersistence",
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

REFERENCE_PREFIX = "smstui-"
"""Start of the ``reference`` tag each send carries (the rest is random and unique)."""

RECONCILE_SLACK = 300
"""Seconds a gateway copy may seem older than the send (our clock and the gateway's differ)."""

DRY_RUN_NOTE = "Dry run: the gateway checked it; nothing was sent or charged"
CHECKING_NOTE = "Not confirmed: no answer from the gateway; looking for it there…"
WAITING_NOTE = (
    "Not confirmed: not listed by the gateway yet. It may still arrive; "
    "R sends it again (it may then arrive twice)"
)


def is_local(key: str) -> bool:
    """Tell whether a message key belongs to a message that exists only in this app."""
    return key.startswith(LOCAL_PREFIX)


def new_reference() -> str:
    """A fresh ``reference`` for one send attempt (28 characters, within every API limit)."""
    return f"{REFERENCE_PREFIX}{uuid.uuid4().hex[:21]}"


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
    reference: str = field(default_factory=new_reference)
    """The ``reference`` of the latest attempt."""
    earlier_references: tuple[str, ...] = ()
    """References of earlier attempts: a late copy of any attempt is still this message."""
    status: str = SENDING
    reason: str = ""
    """Why it failed, in words; "" otherwise."""
    known: frozenset[str] = field(default_factory=frozenset)
    """Message keys already in the conversation when it was sent: never its copy."""
    checks: int = 0
    """Completed looks for its copy while the outcome is unknown."""
    attempts: int = 1
    """How many times it was handed to the gateway."""
    gave_up_looking: bool = False
    """True once the timed looks for its copy are over (a refresh may still find it)."""

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
        """The line under the bubble that says what happened ("" while sending).

        A message that failed again says which attempt failed and when (``Not enough credit
        · attempt 2 at 12:03``): a resend that fails the same way must not look like nothing
        happened.
        """
        if self.status == FAILED:
            reason = self.reason or "Not sent"
            if self.attempts > 1:
                return f"{reason} · attempt {self.attempts} at {bubble_time(self.created)}"
            return reason
        if self.status == OUTCOME_UNKNOWN:
            return WAITING_NOTE if self.gave_up_looking else CHECKING_NOTE
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

    @property
    def unconfirmed(self) -> bool:
        """True when it may have gone out: a resend could deliver it twice."""
        return self.status == OUTCOME_UNKNOWN

    @property
    def references(self) -> frozenset[str]:
        """Every reference this message was sent with."""
        return frozenset((self.reference, *self.earlier_references))


class OutboxPersistence(Protocol):
    """Where the outbox keeps its messages across restarts (see :mod:`smstui.store.outbox_file`)."""

    def load(self) -> list[Outgoing]:
        """Every stored message (never raises; a bad file is set aside)."""
        ...

    def save(self, item: Outgoing) -> None:
        """Store (or replace) one message. Raises OSError when it cannot."""
        ...

    def remove(self, key: str) -> None:
        """Forget one message. Raises OSError when it cannot."""
        ...

    def not_kept(self) -> str:
        """Why what is stored is lost when this run ends; "" when it is kept."""
        ...


class Outbox:
    """The unconfirmed messages of every conversation, by bubble key, oldest first.

    Args:
        persistence: Where messages are kept across restarts; None keeps them in memory only.
    """

    def __init__(self, persistence: OutboxPersistence | None = None) -> None:
        self._items: dict[str, Outgoing] = {}
        self._persistence = persistence
        self.problem = ""
        """Why the outbox could not be written, ready to show; "" when all is well."""

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: str) -> Outgoing | None:
        """Return the message with this bubble key, or None when it is not in the outbox."""
        return self._items.get(key)

    def items(self) -> list[Outgoing]:
        """Every message in the outbox, oldest first."""
        return list(self._items.values())

    def kept(self) -> bool:
        """Whether the messages outlive this run (False without a store, or an in-memory one)."""
        return self._persistence is not None and not self._persistence.not_kept()

    def restore(self) -> list[Outgoing]:
        """Read the messages kept by earlier runs (or another instance) into the outbox.

        A message that was on its way when its app stopped may have gone out: it comes back
        as not confirmed, to be looked for, never as sendable.

        Returns:
            The messages added, oldest first.
        """
        if self._persistence is None:
            return []
        added: list[Outgoing] = []
        for item in sorted(self._persistence.load(), key=lambda i: i.created):
            if item.key in self._items:
                continue
            if item.status == SENDING:
                item.status, item.reason = OUTCOME_UNKNOWN, ""
            item.checks, item.gave_up_looking = 0, False
            self._items[item.key] = item
            added.append(item)
        return added

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
        """Add a message that is about to be sent (state ``SENDING``) and write it to disk.

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
        self._store(item)
        return item

    def in_conversation(self, conversation: str) -> list[Outgoing]:
        """Return the conversation's unconfirmed messages, oldest first."""
        return [item for item in self._items.values() if item.conversation == conversation]

    def busy(self, conversation: str) -> bool:
        """True while a send of this conversation is on its way."""
        return any(item.in_flight for item in self.in_conversation(conversation))

    def unresolved(self, conversation: str) -> list[Outgoing]:
        """Return the messages of a conversation that may still turn up at the gateway."""
        return [item for item in self.in_conversation(conversation) if item.unconfirmed]

    def restart(
        self, key: str, now: float, known: Iterable[str] = (), *, risk_accepted: bool = False
    ) -> Outgoing | None:
        """Put a message back into ``SENDING`` for a resend (None if it may not be resent).

        Args:
            key: The bubble key.
            now: The new send time.
            known: Keys of the messages in the conversation now.
            risk_accepted: The user confirmed resending a not-confirmed message, knowing it
                may arrive twice; without it only failed messages are resent.
        """
        item = self._items.get(key)
        if item is None or not (item.resendable or (risk_accepted and item.unconfirmed)):
            return None
        item.earlier_references = (*item.earlier_references, item.reference)
        item.reference = new_reference()
        item.status, item.reason, item.checks, item.gave_up_looking = SENDING, "", 0, False
        item.created = int(now)
        item.attempts += 1
        item.known = frozenset(known)
        self._store(item)
        return item

    def fail(self, key: str, reason: str) -> Outgoing | None:
        """Mark a message failed with the reason in words."""
        item = self._items.get(key)
        if item is not None:
            item.status, item.reason = FAILED, reason
            self._store(item)
        return item

    def set_status(self, key: str, status: str) -> Outgoing | None:
        """Move a message to ``OUTCOME UNKNOWN`` or ``DRY RUN`` (any status, in fact)."""
        item = self._items.get(key)
        if item is not None:
            item.status, item.reason = status, ""
            self._store(item)
        return item

    def stop_looking(self, key: str) -> None:
        """The timed looks for a not-confirmed message's copy are over; it stays unconfirmed."""
        item = self._items.get(key)
        if item is not None and item.unconfirmed:
            item.gave_up_looking = True
            self._store(item)

    def remove(self, key: str) -> Outgoing | None:
        """Take a message out of the outbox (confirmed, found, or edited away)."""
        item = self._items.pop(key, None)
        if item is not None and self._persistence is not None:
            try:
                self._persistence.remove(key)
            except OSError as error:
                self.problem = _problem(error)
        return item

    def _store(self, item: Outgoing) -> None:
        if self._persistence is None:
            return
        try:
            if item.status == DRY_RUN:
                self._persistence.remove(item.key)  # nothing went out: nothing to keep
            else:
                self._persistence.save(item)
            self.problem = ""
        except OSError as error:
            self.problem = _problem(error)


def _problem(error: OSError) -> str:
    reason = error.strerror or type(error).__name__
    return f"Could not save the outbox: {reason}; unsent messages are kept only until you quit"


def find_sent_copy(
    item: Outgoing, candidates: Iterable[Message], taken: Collection[str] = ()
) -> Message | None:
    """Find the gateway's copy of a message whose send outcome is unknown.

    A copy that carries a ``reference`` is this message's exactly when the reference is one of
    its own. Otherwise a copy is an outbound message to the same number with exactly the same
    text, not older than the send (give or take :data:`RECONCILE_SLACK`), whose key was not
    already in the conversation when the message was sent and is not ``taken`` (claimed by
    another message or confirmed earlier). Of several, the oldest wins, so two identical unknown
    sends each find their own.

    Args:
        item: The message whose outcome is unknown.
        candidates: Messages from the conversation's newest page.
        taken: Keys that cannot be this message's copy.

    Returns:
        The copy, or None when the page has none.
    """
    found: Message | None = None
    references = item.references
    for message in candidates:
        if not message.outbound or is_local(message.key) or message.key in taken:
            continue
        if message.reference:
            if message.reference in references:
                return message
            continue
        if (
            message.text == item.text
            and normalise_number(message.receiver) in (item.to, "")
            and message.timestamp >= item.created - RECONCILE_SLACK
            and message.key not in item.known
            and (found is None or message.timestamp < found.timestamp)
        ):
            found = message
    return found
