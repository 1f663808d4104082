"""The one send path of the app and the commands: outbox entry first, one POST, the result kept.

A send is recorded in the outbox (:class:`smstui.domain.outbox.Outbox`, kept in the account's
store) *before* its request leaves, so a process killed during the POST leaves a pending entry
that every other smstui process sees and looks for at the gateway. The POST is made once and
never retried: a lost answer may hide a message that went out, and a second try could send it
twice. What came back is written into the same entry: gone when the gateway took the message,
``FAILED`` with the reason, ``OUTCOME UNKNOWN`` when nobody can tell, ``DRY RUN`` for a test.

Scheduled messages (:meth:`Sender.schedule`) are kept by the gateway's scheduled list, not the
outbox: they are one POST too, never retried.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from smstui.api.errors import SendOutcomeUnknown, SmsError
from smstui.domain.models import Message, message_key
from smstui.domain.outbox import DRY_RUN, OUTCOME_UNKNOWN, Outbox, Outgoing, new_reference
from smstui.domain.timeparse import gateway_date
from smstui.store.location import StoreLocation
from smstui.store.outbox_file import OutboxFile
from smstui.store.own_state import state_backend
from smstui.sync.gateway import Gateway

__all__ = ["SendOutcome", "Sender", "open_outbox", "sent_copy"]

SentListener = Callable[[str, Message], None]
"""Told ``(conversation key, gateway's copy)`` of each message the gateway took."""


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """What became of one send."""

    item: Outgoing
    """The outbox entry, in its final state (removed from the outbox when ``sent``)."""
    copy: Message | None = None
    """The message as the gateway now holds it (sent), or as it was checked (dry run)."""
    error: SmsError | None = None
    """Why it failed or may have failed; None when it went out or was checked."""

    @property
    def sent(self) -> bool:
        """True when the gateway took it and gave its id."""
        return self.copy is not None and self.item.status not in (DRY_RUN, OUTCOME_UNKNOWN)

    @property
    def unknown(self) -> bool:
        """True when it may or may not have gone out (look before sending it again)."""
        return self.item.status == OUTCOME_UNKNOWN


def open_outbox(store: StoreLocation, operator: str) -> Outbox:
    """The account's outbox, where the app keeps it (the store's personal state).

    Args:
        store: The account's store.
        operator: Whose outbox, on a shared PostgreSQL store.
    """
    return Outbox(OutboxFile(state_backend(store, operator=operator)))


class Sender:
    """Sends messages one at a time, in order, each through the outbox.

    Args:
        gateway: The connection to the gateway.
        outbox: The outbox (kept in the store, so other processes see pending sends).
        dry_run: Send with the API's ``test`` flag: checked, nothing sent or charged.
        on_sent: Told of each message the gateway took (to keep it in the store at once).
    """

    def __init__(
        self,
        gateway: Gateway,
        outbox: Outbox,
        *,
        dry_run: bool = False,
        on_sent: SentListener | None = None,
    ) -> None:
        self._gateway = gateway
        self.outbox = outbox
        self.dry_run = dry_run
        self._on_sent = on_sent
        self._lock = asyncio.Lock()

    def record(
        self,
        conversation: str,
        *,
        to: str,
        sender: str,
        text: str,
        now: float,
        known: Iterable[str] = (),
    ) -> Outgoing:
        """Add a message about to be sent to the outbox (``SENDING``, on disk) and return it.

        Args:
            conversation: The conversation key.
            to: The recipient.
            sender: Our number (or approved sender name) it goes out from.
            text: The text, exactly as it will be sent.
            now: The send time (epoch seconds).
            known: Keys of the messages already in the conversation (never its copy).
        """
        return self.outbox.create(
            conversation, to=to, sender=sender, text=text, now=now, known=known
        )

    async def deliver(self, item: Outgoing) -> SendOutcome:
        """POST one recorded message, once, after the sends before it; keep what came back."""
        async with self._lock:
            try:
                result = await self._gateway.send(
                    item.to, item.text, item.sender, test=self.dry_run, reference=item.reference
                )
            except SendOutcomeUnknown as error:
                self.outbox.set_status(item.key, OUTCOME_UNKNOWN)
                return SendOutcome(item, error=error)
            except SmsError as error:
                self.outbox.fail(item.key, error.user_message)
                return SendOutcome(item, error=error)
        if self.dry_run:
            self.outbox.set_status(item.key, DRY_RUN)
            return SendOutcome(item, copy=item.message)
        if not result.message_ids:
            self.outbox.set_status(item.key, OUTCOME_UNKNOWN)
            return SendOutcome(item, error=SendOutcomeUnknown("the gateway gave no message id"))
        copy = sent_copy(item, result.message_ids[0])
        self.outbox.remove(item.key)
        if self._on_sent is not None:
            self._on_sent(item.conversation, copy)
        return SendOutcome(item, copy=copy)

    async def schedule(self, *, to: str, text: str, sender: str, when: datetime) -> Message:
        """POST a message the gateway sends at ``when`` (once, never retried).

        Returns:
            The scheduled message as it was handed over (status ``SCHEDULED``, or ``DRY RUN``).

        Raises:
            SendOutcomeUnknown: It may have been scheduled: look at the scheduled list first.
            SmsError: The gateway refused it, or could not be reached.
        """
        reference = new_reference()
        async with self._lock:
            result = await self._gateway.send(
                to, text, sender, test=self.dry_run, reference=reference, date=gateway_date(when)
            )
        message_id = result.message_ids[0] if result.message_ids else None
        return Message(
            key=f"id:{message_id}" if message_id else f"ref:{reference}",
            message_id=message_id,
            outbound=True,
            sender=sender,
            receiver=to,
            text=text,
            attachments=(),
            timestamp=int(when.timestamp()),
            status=DRY_RUN if self.dry_run else "SCHEDULED",
            reference=reference,
        )


def sent_copy(item: Outgoing, message_id: str) -> Message:
    """The message as the gateway now holds it (its delivery status comes with later reads)."""
    return Message(
        key=message_key(message_id, True, item.sender, item.to, item.created, item.text),
        message_id=message_id,
        outbound=True,
        sender=item.sender,
        receiver=item.to,
        text=item.text,
        attachments=(),
        timestamp=item.created,
        status="SUBMITTED",
        reference=item.reference,
    )
