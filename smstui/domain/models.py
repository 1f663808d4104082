"""Immutable, typed views of what the Smstools API returns.

Every model is a frozen, slotted dataclass. Parsing follows the contract's client rules
(``../shared/SMSTOOLS_API.md`` §2.5): unknown keys are ignored, missing fields are tolerated,
IDs are strings, and all text coming from the network is passed through
:func:`smstui.domain.sanitize.clean_text` before it reaches a model.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file attached to a message (``file`` items: ``name``, ``image``, ``mime``)."""

    name: str
    url: str
    mime: str


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a conversation thread (``GET /conversation/{phone}`` items)."""

    key: str
    """Stable identity used for de-duplication and render caches: ``id:<messageId>`` for
    messages with an id, otherwise ``h:<hash of direction, sender, time and text>``."""
    message_id: str | None
    outbound: bool
    """True when we sent it (``direction == "outbound"``, falling back to ``mine``)."""
    sender: str
    receiver: str
    text: str
    attachments: tuple[Attachment, ...]
    timestamp: int
    """Epoch seconds (``unixDatetime``); messages are ordered by it."""
    status: str
    """Delivery status upper-cased (``DELIVERED``, ``SUBMITTED`` …), ``""`` when absent."""
    reference: str = ""
    """The ``reference`` it was sent with, when the gateway echoes it ("" otherwise)."""
    time_guessed: bool = False
    """The gateway's ``unixDatetime`` was unusable (missing with no ``datetime`` either, or
    outside 2000 … now + 10 years): ``timestamp`` comes from the ``datetime`` text or, failing
    that, is when the page arrived. Not kept in the store; shown and logged when read."""


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a paginated list endpoint (contract §2.1)."""

    items: tuple[T, ...]
    total: int
    page: int
    limit: int
    skipped: int = 0
    """Items of the page that could not be read at all (logged once; the rest are kept)."""

    @property
    def is_last(self) -> bool:
        """True when no page follows this one (``page * limit >= total`` or a short page)."""
        # Skipped items were on the page all the same: they must not make it look short.
        return self.page * self.limit >= self.total or len(self.items) + self.skipped < self.limit


@dataclass(frozen=True, slots=True)
class InboxItem:
    """One received message from ``GET /message/inbox`` (no attachments there)."""

    id: str
    sender: str
    """Counterparty number, digits only, or an alphanumeric sender name."""
    receiver: str
    """Which of our numbers received it ("" on ``/message/inbox/{nr}``)."""
    text: str
    type: str
    date: str
    timestamp: int | None
    """``date`` parsed as UTC epoch seconds, or None when it cannot be parsed or lies outside
    2000 … now + 10 years."""


@dataclass(frozen=True, slots=True)
class SentItem:
    """One row of sent history (``GET /message/logging`` or ``/message/history``)."""

    id: str
    message_id: str
    text: str
    to: str
    sender: str
    date: str
    timestamp: int | None
    type: str
    status: str


@dataclass(frozen=True, slots=True)
class Contact:
    """An address-book entry (``GET /contact``)."""

    id: str
    phone: str
    """Normalised digits-only number."""
    first_name: str
    last_name: str

    @property
    def display_name(self) -> str:
        """First and last name joined, or "" when both are empty."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True, slots=True)
class OwnNumber:
    """One of our virtual receiving numbers (``GET /vmn``)."""

    id: str
    number: str
    country: str


@dataclass(frozen=True, slots=True)
class SenderId:
    """An approved sender name or number (``GET /senderids``)."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Balance:
    """Account credit (``GET /balance``); ``amount`` is shown as the API gives it."""

    amount: str
    currency: str


@dataclass(frozen=True, slots=True)
class Account:
    """What ``GET /auth`` says about the signed-in account."""

    username: str


@dataclass(frozen=True, slots=True)
class SendResult:
    """The ids the gateway gave a successful send, one per recipient."""

    message_ids: tuple[str, ...]


def message_key(
    message_id: str | None,
    outbound: bool,
    sender: str,
    receiver: str,
    timestamp: int,
    text: str,
) -> str:
    """Return a message's stable identity: ``id:<messageId>`` or ``h:<short hash>``.

    Args:
        message_id: The gateway's id, or None (inbound messages have none).
        outbound: Whether we sent it.
        sender: Normalised sender.
        receiver: Normalised receiver.
        timestamp: Epoch seconds.
        text: The (sanitised) message text.

    Returns:
        The key used for de-duplication across pages and refreshes.
    """
    if message_id:
        return f"id:{message_id}"
    direction = "outbound" if outbound else "inbound"
    material = "\x1f".join((direction, sender, receiver, str(timestamp), text))
    return "h:" + hashlib.blake2b(material.encode("utf-8"), digest_size=8).hexdigest()
