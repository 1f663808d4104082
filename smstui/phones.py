"""Phone numbers and sender names: normalising, keying, formatting and parsing user input.

The gateway speaks digits-only international numbers (``48512345678``, contract §2.2); senders
can also be alphanumeric names (``MyShop``). Everything the app compares goes through
:func:`conversation_key`; everything it shows goes through :func:`display_number`.
"""

from __future__ import annotations

import functools
import re

import phonenumbers

from smstui.sanitize import clean_line

__all__ = [
    "can_reply",
    "conversation_key",
    "display_number",
    "is_phone_number",
    "normalise_number",
    "parse_user_number",
]

# Separators people and APIs put inside numbers. "(0)" is the national trunk prefix written
# after a country code ("+32 (0)470 …") and must go entirely, not just its brackets.
_TRUNK_ZERO = re.compile(r"\(\s*0\s*\)")
_SEPARATORS = re.compile(r"[\s\-.()/\u2010-\u2015\u2212]")

_SHORT_CODE_MAX_DIGITS = 6
"""Numbers this short are service short codes: shown as they are and never replied to."""
_MIN_REPLY_DIGITS = 7
"""The shortest international numbers (country code included) have seven digits."""


def _has_letter(text: str) -> bool:
    return any(char.isalpha() for char in text)


def _strip_prefix(compact: str) -> str:
    """Drop one international prefix: a leading ``+`` or ``00``."""
    if compact.startswith("+"):
        return compact[1:]
    if compact.startswith("00"):
        return compact[2:]
    return compact


def normalise_number(value: str) -> str:
    """Return a phone number as international digits, or an alphanumeric sender as it is.

    Spaces, dashes, dots, slashes, brackets, a ``(0)`` trunk prefix and one leading ``+`` or
    ``00`` are removed from numbers. A value containing any letter is an alphanumeric sender and
    is only cleaned (:func:`smstui.sanitize.clean_line`), its case kept. A number written in
    national form (``0470 …``) cannot be made international without a region and keeps its zero.

    Args:
        value: A number or sender as the API or a person wrote it.

    Returns:
        ``"48512345678"`` for ``"+48 512-345.678"``; ``"MyShop"`` for ``" MyShop "``.
    """
    text = clean_line(value)
    if not text or _has_letter(text):
        return text
    compact = _SEPARATORS.sub("", _TRUNK_ZERO.sub("", text))
    digits = _strip_prefix(compact)
    if digits.isascii() and digits.isdigit():
        return digits
    # Stray symbols ("*", "#", "+" inside): keep only the digits when there are any.
    only_digits = "".join(char for char in digits if "0" <= char <= "9")
    return only_digits or text


def is_phone_number(value: str) -> bool:
    """Tell whether a sender is numeric (a phone number or a short code), not a name.

    Args:
        value: A number or sender in any spelling.

    Returns:
        True when the normalised form is all digits.
    """
    normalised = normalise_number(value)
    return bool(normalised) and normalised.isascii() and normalised.isdigit()


def conversation_key(value: str) -> str:
    """Return the identity of the conversation with a counterparty.

    Args:
        value: The counterparty's number or sender name in any spelling.

    Returns:
        The normalised digits for numbers, the lower-cased name for alphanumeric senders.
    """
    normalised = normalise_number(value)
    if is_phone_number(normalised):
        return normalised
    return normalised.lower()


def can_reply(value: str) -> bool:
    """Tell whether a message can be sent back to this sender.

    Alphanumeric senders (``MyBank``) and short codes (six digits or fewer) cannot receive, and
    a national number (leading ``0``) is not in the international form the gateway needs.

    Args:
        value: The counterparty's number or sender name.

    Returns:
        True for numbers long enough to be international phone numbers.
    """
    normalised = normalise_number(value)
    return (
        is_phone_number(normalised)
        and len(normalised) >= _MIN_REPLY_DIGITS
        and not normalised.startswith("0")
    )


@functools.lru_cache(maxsize=8192)
def display_number(value: str) -> str:
    """Return a number formatted for people: ``"+48 512 345 678"``, ``"+31 6 12345678"``.

    Results are cached because the conversation list formats many rows on every render.

    Args:
        value: A number or sender in any spelling.

    Returns:
        The international format for valid numbers, ``"+<digits>"`` for other international
        digit strings, short codes and national (leading-zero) numbers unchanged, and
        alphanumeric sender names as cleaned text.
    """
    normalised = normalise_number(value)
    if not is_phone_number(normalised):
        return normalised
    if len(normalised) <= _SHORT_CODE_MAX_DIGITS or normalised.startswith("0"):
        return normalised
    try:
        parsed = phonenumbers.parse("+" + normalised, None)
    except phonenumbers.NumberParseException:
        return "+" + normalised
    if not phonenumbers.is_valid_number(parsed):
        return "+" + normalised
    formatted: str = phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return formatted


def parse_user_number(text: str, default_region: str | None = None) -> str:
    """Turn a number typed by the user into the gateway's digits-only international form.

    Accepts ``"+48 512 345 678"``, ``"0048512345678"``, ``"48512345678"`` and, with a
    ``default_region`` such as ``"BE"``, national forms like ``"(0)470 12 34 56"``.

    Args:
        text: What the user typed.
        default_region: ISO 3166 region used for numbers written without a country code.

    Returns:
        The number as international digits, e.g. ``"32470123456"``.

    Raises:
        ValueError: With a message fit to show the user when the input is not a usable number.
    """
    cleaned = clean_line(text)
    if not cleaned:
        raise ValueError("Enter a phone number, for example +48 512 345 678.")
    if _has_letter(cleaned):
        raise ValueError("A phone number cannot contain letters.")
    has_plus = cleaned.startswith("+")
    body = cleaned[1:] if has_plus else cleaned
    # "(0)" after a country code is a trunk prefix to drop; written first ("(0)470 …") it is
    # the national zero itself.
    if has_plus or body.startswith("00"):
        body = _TRUNK_ZERO.sub("", body)
    digits = _SEPARATORS.sub("", body)
    if not digits or not (digits.isascii() and digits.isdigit()):
        raise ValueError("A phone number may contain only digits, spaces and a leading +.")
    region = default_region.upper() if default_region else None
    if has_plus:
        compact = "+" + digits
    elif digits.startswith("00"):
        compact = "+" + digits[2:]
    elif digits.startswith("0"):
        if region is None:
            raise ValueError("Start with + and the country code, for example +48 512 345 678.")
        compact = digits
    else:
        # Bare digits without a trunk zero: the gateway's own spelling ("48512345678").
        compact = "+" + digits
    try:
        parsed = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"Not a phone number: {_parse_failure(error)}.") from None
    if not phonenumbers.is_possible_number(parsed):
        raise ValueError(
            f"That is not a complete number for +{parsed.country_code}; check the digits."
        )
    e164: str = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return e164.lstrip("+")


def _parse_failure(error: phonenumbers.NumberParseException) -> str:
    """Explain a phonenumbers parse failure in words a user understands."""
    reasons = {
        phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
        phonenumbers.NumberParseException.NOT_A_NUMBER: "it does not look like one",
        phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
        phonenumbers.NumberParseException.TOO_SHORT_NSN: "too short",
        phonenumbers.NumberParseException.TOO_LONG: "too long",
    }
    return reasons.get(error.error_type, "it does not look like one")
