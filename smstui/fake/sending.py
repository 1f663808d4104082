"""Validation of ``POST /message/send`` bodies, following contract §4.1 and §8.

The checks run in a fixed order and the first failure wins: message (102), destination
(103/106), sender (109/111), length (118), schedule date (121), then the demo's special
numbers that simulate no credit (108) and an opted-out recipient (131).
"""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass

# GSM 03.38 basic character set, and the nine characters that take two positions.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("€\\[]{}^~|")

MAX_GSM_UNITS = 459  # three concatenated parts of 153
MAX_UCS2_UNITS = 201  # three concatenated parts of 67

NO_CREDIT_NUMBER = "48000000108"
OPTED_OUT_NUMBER = "48000000131"

_NUMBER_SEPARATORS = re.compile(r"[\s\-./()]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
_ALPHA_SENDER = re.compile(r"[A-Za-z0-9 .\-]+")


class SendRejected(Exception):
    """A send request the gateway refuses, with the contract's error code and text."""

    def __init__(self, code: int | None, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class SendOrder:
    """A validated send request."""

    text: str
    recipients: tuple[str, ...]
    """Digits-only destination numbers."""
    as_list: bool
    """True when ``to`` was an array, so the answer carries ``messageids``."""
    sender: str
    schedule_at: int | None
    """Epoch seconds (UTC) of a scheduled send, or None to send now."""
    schedule_text: str
    reference: str
    test: bool


def counted_length(text: str) -> tuple[int, bool]:
    """Count a text the way the gateway bills it.

    Returns:
        ``(units, is_gsm)``: GSM characters with the nine extension characters counted twice
        when every character is in the GSM set, otherwise UTF-16 (UCS-2) code units.
    """
    units = 0
    for char in text:
        if char in GSM_BASIC:
            units += 1
        elif char in GSM_EXTENDED:
            units += 2
        else:
            return len(text.encode("utf-16-le", "surrogatepass")) // 2, False
    return units, True


def fits_one_send(text: str) -> bool:
    """True when the gateway accepts the text's length (no error 118)."""
    units, gsm = counted_length(text)
    return units <= (MAX_GSM_UNITS if gsm else MAX_UCS2_UNITS)


def normalise_number(raw: object) -> str | None:
    """Return a destination as international digits, or None when it is not a phone number.

    A leading ``+`` or ``00`` and spaces or dashes are accepted, as the real gateway does.
    """
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        return None
    digits = _NUMBER_SEPARATORS.sub("", str(raw))
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    if not digits.isascii() or not digits.isdigit() or not 8 <= len(digits) <= 15:
        return None
    return None if digits.startswith("0") else digits


def validate_send(body: object, now: float) -> SendOrder:
    """Check a decoded JSON body and return the order, or raise :class:`SendRejected`.

    Args:
        body: the decoded request body.
        now: the gateway's current epoch seconds, for the schedule check.
    """
    if not isinstance(body, dict):
        raise SendRejected(139, "The request body must be a JSON object")
    text = body.get("message")
    if not isinstance(text, str) or not text.strip():
        raise SendRejected(102, "Message text is missing")
    recipients, as_list = _recipients(body.get("to"))
    sender = _sender(body.get("sender"))
    units, gsm = counted_length(text)
    if units > (MAX_GSM_UNITS if gsm else MAX_UCS2_UNITS):
        limit = MAX_GSM_UNITS if gsm else MAX_UCS2_UNITS
        raise SendRejected(118, f"SMS text is too long ({units} > {limit} characters)")
    schedule_at, schedule_text = _schedule(body.get("date"), now)
    reference = body.get("reference")
    reference = "" if reference is None else str(reference)
    if len(reference) > 255:
        raise SendRejected(139, "Invalid parameter: reference is longer than 255 characters")
    if NO_CREDIT_NUMBER in recipients:
        raise SendRejected(108, "Not enough credits")
    if OPTED_OUT_NUMBER in recipients:
        raise SendRejected(131, f"Recipient {OPTED_OUT_NUMBER} is on the opt-out list")
    test = body.get("test")
    is_test = test is True or (isinstance(test, str | int) and str(test).lower() in ("true", "1"))
    return SendOrder(
        text=text,
        recipients=recipients,
        as_list=as_list,
        sender=sender,
        schedule_at=schedule_at,
        schedule_text=schedule_text,
        reference=reference,
        test=is_test,
    )


def _recipients(raw: object) -> tuple[tuple[str, ...], bool]:
    if isinstance(raw, list):
        if not raw:
            raise SendRejected(103, "Phone number is missing or not valid")
        numbers = []
        for entry in raw:
            number = normalise_number(entry)
            if number is None:
                raise SendRejected(106, f"Destination number {entry!s:.40} is missing or invalid")
            numbers.append(number)
        return tuple(numbers), True
    number = normalise_number(raw)
    if number is None:
        raise SendRejected(103, "Phone number is missing or not valid")
    return (number,), False


def _sender(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise SendRejected(109, "Sender is empty")
    sender = raw.strip()
    digits = sender[1:] if sender.startswith("+") else sender
    if digits.isascii() and digits.isdigit():
        if len(digits) > 14:
            raise SendRejected(111, "Sender is not acceptable: more than 14 digits")
        return digits
    if len(sender) > 11 or not _ALPHA_SENDER.fullmatch(sender):
        raise SendRejected(
            111, "Sender is not acceptable: at most 11 letters, no special characters"
        )
    return sender


def _schedule(raw: object, now: float) -> tuple[int | None, str]:
    if raw is None or raw == "":
        return None, ""
    if not isinstance(raw, str) or not _DATE.fullmatch(raw):
        raise SendRejected(121, "Date is malformed, expected yyyy-MM-dd HH:mm")
    try:
        parsed = time.strptime(raw, "%Y-%m-%d %H:%M")
    except ValueError:
        raise SendRejected(121, "Date is malformed, expected yyyy-MM-dd HH:mm") from None
    at = calendar.timegm(parsed)
    if at < int(now) // 60 * 60:
        raise SendRejected(121, "Date is in the past")
    return (at if at > now else None), raw
