"""Phone numbers and sender names: normalising, keying, formatting and parsing user input.

The gateway speaks digits-only international numbers (``48512345678``, contract §2.2); senders
can also be alphanumeric names (``MyShop``). Everything the app compares goes through
:func:`conversation_key`; everything it shows goes through :func:`display_number`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

import phonenumbers

from smstui.domain.countries import country_name
from smstui.domain.sanitize import clean_line

__all__ = [
    "can_reply",
    "conversation_key",
    "conversation_number",
    "display_number",
    "home_regions",
    "is_phone_number",
    "is_region",
    "normalise_number",
    "number_country",
    "parse_user_number",
    "reading_regions",
    "region_of",
    "reply_sender",
    "sent_from",
]

# Separators people and APIs put inside numbers. "(0)" is the national trunk prefix written
# after a country code ("+32 (0)470 …") and must go entirely, not just its brackets.
_TRUNK_ZERO = re.compile(r"\(\s*0\s*\)")
_SEPARATORS = re.compile(r"[\s\-.()/\u2010-\u2015\u2212]")

_SHORT_CODE_MAX_DIGITS = 6
"""Numbers this short are service short codes: shown as they are and never replied to."""
_MIN_REPLY_DIGITS = 7
"""The shortest international numbers (country code included) have seven digits."""
_UNKNOWN_REGION = "ZZ"
"""What ``phonenumbers`` answers for a number of no known region."""


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
    is only cleaned (:func:`smstui.domain.sanitize.clean_line`), its case kept. A number written in
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


def parse_user_number(text: str, regions: str | Iterable[str | None] | None = None) -> str:
    """Turn a number typed by the user into the gateway's digits-only international form.

    How the digits are read, always in this order (the first reading that works wins):

    1. With ``+`` or ``00`` in front the country code is explicit: the number is taken when it
       is *possible* (the right length) for that country, even if ``phonenumbers`` does not
       know its range yet: the user said which country.
    2. Otherwise the digits are read as a national number in each of our ``regions`` in turn
       (the sending number's country first), and taken only when *valid* there:
       ``512999888`` is a Polish mobile for ``PL``, ``0470 12 34 56`` a Belgian one for ``BE``.
    3. Otherwise digits that do not start with ``0`` are read as an international number
       without its ``+`` (the gateway's own spelling, ``48512345678``), again only when valid.

    National comes before international because a number written without a country code is
    far more often a local one; the two readings rarely both make a valid number (an
    international form is the national one with the country code in front, so it is longer),
    and the dialog shows the country it settled on.

    Args:
        text: What the user typed.
        regions: Our ISO 3166 regions, most likely first (``"PL"`` or ``["BE", "PL"]``); the
            unknown (None, "") and unsupported are skipped.

    Returns:
        The number as international digits, e.g. ``"48512999888"``.

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
    if has_plus or digits.startswith("00"):
        return _explicit_number("+" + (digits if has_plus else digits[2:]))
    ours = home_regions(*([regions] if isinstance(regions, str) else regions or ()))
    readings: list[tuple[str, str | None]] = [(digits, region) for region in ours]
    if not digits.startswith("0"):
        readings.append(("+" + digits, None))
    for candidate, region in readings:
        parsed = _parse_or_none(candidate, region)
        if parsed is not None and phonenumbers.is_valid_number(parsed):
            return _e164(parsed)
    if not ours and digits.startswith("0"):
        raise ValueError("Start with + and the country code, for example +48 512 345 678.")
    advice = "check the digits, or start with + and the country code."
    where = " or ".join(country_name(region) for region in ours)
    if digits.startswith("0"):
        raise ValueError(f"Not a valid number in {where}: {advice}")
    if ours:
        raise ValueError(f"Not a valid number in {where}, nor an international one: {advice}")
    raise ValueError(f"Not a valid international number: {advice}")


def _explicit_number(compact: str) -> str:
    """Read ``+<digits>``: accepted when possible for its country code."""
    try:
        parsed = phonenumbers.parse(compact, None)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"Not a phone number: {_parse_failure(error)}.") from None
    if not phonenumbers.is_possible_number(parsed):
        raise ValueError(
            f"That is not a complete number for +{parsed.country_code}; check the digits."
        )
    return _e164(parsed)


def _parse_or_none(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def _e164(parsed: phonenumbers.PhoneNumber) -> str:
    e164: str = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return e164.lstrip("+")


def region_of(number: str) -> str | None:
    """Return the ISO region of an international number ("PL"), or None when it cannot be told.

    Args:
        number: A number in any spelling (our own, usually); "" when unknown.
    """
    digits = normalise_number(number)
    if not digits or not is_phone_number(digits) or digits.startswith("0"):
        return None
    parsed = _parse_or_none("+" + digits, None)
    if parsed is None:
        return None
    region: str | None = phonenumbers.region_code_for_number(parsed)
    if (not region or region == _UNKNOWN_REGION) and parsed.country_code:
        region = phonenumbers.region_code_for_country_code(parsed.country_code)
    return region if region and region != _UNKNOWN_REGION else None


def home_regions(*candidates: str | None) -> tuple[str, ...]:
    """Keep the usable region codes of ``candidates``, upper-cased, in order, each once.

    Args:
        candidates: Region codes ("pl", "BE"), most likely first; None, "" and codes that
            ``phonenumbers`` does not know are dropped.
    """
    found: list[str] = []
    for candidate in candidates:
        code = (candidate or "").strip().upper()
        if code in phonenumbers.SUPPORTED_REGIONS and code not in found:
            found.append(code)
    return tuple(found)


def reading_regions(
    sender: str, own_numbers: Iterable[str], own_countries: Iterable[str], country: str
) -> tuple[str, ...]:
    """Where a number typed without ``+`` is read, most likely first (the app and the commands).

    The country of the number a new message goes out from, then those of our other numbers
    (from the digits, else the country the gateway gives), then the ``country`` setting.

    Args:
        sender: The number a new message goes out from ("" when unknown).
        own_numbers: Our numbers.
        own_countries: Their countries as the gateway lists them.
        country: The ``country`` setting.
    """
    return home_regions(
        region_of(sender),
        *(region_of(number) for number in own_numbers),
        *own_countries,
        country,
    )


def reply_sender(conversation_own: str, own_numbers: Sequence[str], default_sender: str) -> str:
    """The number a message in a conversation goes out from ("" when none is known).

    The own number the conversation came in on, when it is one of ours (a placeholder word
    the gateway puts where it has no number is not); otherwise the configured default sender;
    otherwise our first number.

    Args:
        conversation_own: The conversation's own number ("" for a new conversation).
        own_numbers: Our numbers (empty while they are not known: any real number is taken).
        default_sender: The ``default_sender`` setting.
    """
    own = normalise_number(conversation_own)
    if own and is_phone_number(own) and (not own_numbers or own in own_numbers):
        return own
    if default_sender:
        return default_sender
    return own_numbers[0] if own_numbers else ""


PLACEHOLDER_SENDER = "sender"
"""The word (any case) the gateway writes as the sender of some of our messages where it has
no number for it; never the name of a sender we chose."""


def conversation_number(own: str, own_numbers: Sequence[str] = ()) -> str:
    """Which of our numbers a conversation runs on, as the app and the commands show it.

    ``own`` (the number its messages name on our side: the receiver of what came in, the
    sender of what we sent) when it is a real phone number; otherwise our only number, when we
    have just one; otherwise "" (unknown). Never the placeholder word ("Sender") the gateway
    puts where it has no number, a sender name or a short code: none is a number of ours.

    Args:
        own: The conversation's own number as the list or the store keeps it ("" unknown).
        own_numbers: Our numbers (empty while they are not known).
    """
    number = normalise_number(own)
    if can_reply(number):
        return number
    if len(own_numbers) == 1 and can_reply(own_numbers[0]):
        return normalise_number(own_numbers[0])
    return ""


def sent_from(sender: str, conversation_own: str, own_numbers: Sequence[str] = ()) -> str:
    """Who one of our messages went out from, as the app and the commands show it.

    The gateway's ``sender`` when it is a real number, or a sender name we sent under
    (``SmsShop``: the recipient saw that name, so it is kept); otherwise (the placeholder word
    "Sender", nothing, a short code) the number the conversation runs on
    (:func:`conversation_number`), "" when that is not known.

    Decided when shown, not when stored: the store keeps the gateway's word, and the number
    the conversation runs on may be learnt later (a received message, our numbers).

    Args:
        sender: The sender the gateway gives for our message.
        conversation_own: The conversation's own number ("" unknown).
        own_numbers: Our numbers (empty while they are not known).
    """
    given = normalise_number(sender)
    if can_reply(given):
        return given
    if _has_letter(given) and given.casefold() != PLACEHOLDER_SENDER:
        return given
    return conversation_number(conversation_own, own_numbers)


def is_region(code: str) -> bool:
    """Tell whether ``code`` is a region phone numbers can be read in ("PL", "be")."""
    return code.strip().upper() in phonenumbers.SUPPORTED_REGIONS


def number_country(number: str) -> tuple[str, bool]:
    """Name the country of an international number and say whether it is a valid number there.

    Args:
        number: International digits, e.g. ``"48512999888"``.

    Returns:
        ``("Poland", True)``; ``("Peru", False)`` for ``"512999888"`` (possible, but no Peruvian
        number looks like that); ``("", False)`` when not even the country can be told.
    """
    region = region_of(number)
    if region is None:
        return "", False
    parsed = _parse_or_none("+" + normalise_number(number), None)
    return country_name(region), parsed is not None and phonenumbers.is_valid_number(parsed)


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
