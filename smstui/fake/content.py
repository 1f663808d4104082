"""Stored messages of the fake gateway, and the on-demand generation of historical ones.

A historical message is a pure function of its conversation's seed and its index, so any page
of any conversation can be produced without producing the ones before it.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from smstui.fake.corpus import alpha_text, compose_text, sms_parts
from smstui.fake.dataset import ThreadSpec

ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
BROKEN_IMAGE_MIME = "image/"
"""The vendor has been seen sending this incomplete MIME type; the client must cope."""

_INVOICE_WORD = {"pl": "faktura", "nl": "factuur", "fr": "facture", "en": "invoice"}


@dataclass(frozen=True, slots=True)
class FileRef:
    """An attachment: the file name served under ``/files/`` and the MIME type reported."""

    name: str
    mime: str


@dataclass(slots=True)
class StoredMessage:
    """One message as the gateway keeps it; rendered per endpoint by :mod:`.render`."""

    ts: int
    outbound: bool
    text: str
    sender: str
    receiver: str
    files: tuple[FileRef, ...]
    message_id: str | None
    row_id: str
    """``ID`` in the inbox (inbound) or sent history (outbound)."""
    parts: int
    status: str
    """Final delivery status (``DELIVERED`` for inbound)."""
    sent_at: float | None = None
    """Monotonic time of a live send whose status still evolves; None once settled."""
    buffered: bool = False
    """Whether a live send passes through ``BUFFERED`` on its way to the final status."""
    reference: str = ""


def row_id(ts: int, ordinal: int) -> str:
    """An inbox/log row ID that grows with time and is unique per (conversation, second)."""
    return str((ts - 1_000_000_000) * 10_000 + ordinal % 10_000)


def new_message_id(rng: random.Random) -> str:
    """A send-call message ID: 30 lowercase alphanumeric characters."""
    return "".join(rng.choices(ID_ALPHABET, k=30))


def send_outcome(message_id: str) -> tuple[str, bool]:
    """Final status of a live send and whether it is buffered first, fixed by its ID."""
    digest = hashlib.sha256(message_id.encode()).digest()
    roll = digest[0] * 256 + digest[1]
    if roll < 0.84 * 65536:
        final = "DELIVERED"
    elif roll < 0.93 * 65536:
        final = "NOT DELIVERED"
    else:
        final = "REJECTED"
    return final, digest[2] % 2 == 0


def make_files(
    rng: random.Random, lang: str, count: int, *, broken: bool = False
) -> tuple[FileRef, ...]:
    """Draw ``count`` attachments (photos, scans, invoices); ``broken`` forces mime ``image/``."""
    files = []
    for position in range(count):
        token = "".join(rng.choices(ID_ALPHABET, k=8))
        roll = rng.random()
        if broken and position == 0:
            files.append(FileRef(f"photo-{token}.png", BROKEN_IMAGE_MIME))
        elif roll < 0.65:
            mime = BROKEN_IMAGE_MIME if rng.random() < 0.04 else "image/png"
            files.append(FileRef(f"photo-{token}.png", mime))
        elif roll < 0.85:
            files.append(FileRef(f"scan-{token}.png", "image/png"))
        else:
            files.append(
                FileRef(f"{_INVOICE_WORD.get(lang, 'invoice')}-{token}.pdf", "application/pdf")
            )
    return tuple(files)


def generate_message(
    spec: ThreadSpec, index: int, ts: int, inbound: bool, *, broken_mime: bool = False
) -> StoredMessage:
    """Produce historical message ``index`` (0 = newest) of a conversation.

    Args:
        spec: the conversation.
        index: position among its generated messages, newest first.
        ts: the message's timestamp (from :func:`smstui.fake.dataset.block_times`).
        inbound: its direction (from :func:`smstui.fake.dataset.inbound_mask`).
        broken_mime: give it an attachment whose MIME type is the vendor's broken ``image/``.
    """
    rng = random.Random(spec.seed ^ ((index + 1) * 0x9E3779B97F4A7C15))
    if spec.alpha:
        text = alpha_text(rng, spec.number)
    else:
        text = compose_text(rng, spec.lang, spec.topic, inbound, spec.greet)
    files: tuple[FileRef, ...] = ()
    chance = 0.08 if spec.topic == "supplier" else 0.04
    if broken_mime:
        files = make_files(rng, spec.lang, 1 + rng.randrange(2), broken=True)
    elif inbound and not spec.alpha and rng.random() < chance:
        files = make_files(rng, spec.lang, rng.choices((1, 2, 3), weights=(70, 20, 10))[0])
    if inbound:
        return StoredMessage(
            ts=ts,
            outbound=False,
            text=text,
            sender=spec.number,
            receiver=spec.own,
            files=files,
            message_id=None,
            row_id=row_id(ts, spec.ordinal),
            parts=sms_parts(text),
            status="DELIVERED",
        )
    roll = rng.random()
    status = (
        "DELIVERED"
        if roll < 0.88
        else "NOT DELIVERED"
        if roll < 0.935
        else "REJECTED"
        if roll < 0.975
        else "BUFFERED"
    )
    sender = "SmsShop" if spec.topic in ("shop", "clinic") and rng.random() < 0.08 else spec.own
    return StoredMessage(
        ts=ts,
        outbound=True,
        text=text,
        sender=sender,
        receiver=spec.number,
        files=files,
        message_id=new_message_id(rng),
        row_id=row_id(ts, spec.ordinal),
        parts=sms_parts(text),
        status=status,
    )
