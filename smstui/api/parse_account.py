"""Parse the gateway's account-level answers: numbers, senders, balance, auth and send.

The same tolerance rules as :mod:`smstui.api.parse` apply; that module re-exports these
functions so callers have one place to import parsers from.
"""

from __future__ import annotations

from typing import Any

from smstui.api.fields import (
    as_id,
    as_line,
    as_number,
    expect_list,
    expect_object,
    is_present,
    objects_of,
)
from smstui.domain.models import Account, Balance, OwnNumber, SenderId, SendResult


def parse_own_numbers(data: object) -> tuple[OwnNumber, ...]:
    """Parse ``GET /vmn``: a bare array of ``{ID, number, countrycode}``.

    Args:
        data: The decoded JSON body.

    Returns:
        Our virtual receiving numbers, in API order.
    """
    return tuple(
        OwnNumber(
            id=as_id(item.get("ID", item.get("id"))),
            number=as_number(item.get("number")),
            country=as_line(item.get("countrycode")),
        )
        for item in objects_of(expect_list(data))
    )


def parse_sender_ids(data: object) -> tuple[SenderId, ...]:
    """Parse ``GET /senderids``: a bare array of ``{ID, name, order}``.

    Args:
        data: The decoded JSON body.

    Returns:
        The approved senders, in API order.
    """
    return tuple(
        SenderId(id=as_id(item.get("ID", item.get("id"))), name=as_line(item.get("name")))
        for item in objects_of(expect_list(data))
    )


def parse_balance(data: object) -> Balance:
    """Parse ``GET /balance``: the first of ``credits``, ``balance``, ``credit``, plus currency.

    Args:
        data: The decoded JSON body.

    Returns:
        The balance; ``amount`` is "" when no known key is present.
    """
    body = expect_object(data)
    amount = ""
    for key in ("credits", "balance", "credit"):
        value = body.get(key)
        if value is not None and not isinstance(value, dict | list | bool):
            amount = as_line(value)
            break
    return Balance(amount=amount, currency=as_line(body.get("currency")))


def parse_account(data: object) -> Account:
    """Parse ``GET /auth``; the shape is unknown, so look for a username in likely places.

    A bare string is taken as the username; in an object ``username``, ``user``, ``login``,
    ``name`` and ``email`` are tried in turn, also inside a nested ``account``/``user`` object.

    Args:
        data: The decoded JSON body.

    Returns:
        The account; ``username`` is "" when none was found.
    """
    if isinstance(data, str):
        return Account(username=as_line(data))
    body = expect_object(data)
    return Account(username=_find_username(body, depth=0))


def parse_send_result(data: object) -> SendResult:
    """Parse ``POST /message/send``: ``messageid`` (one recipient) or ``messageids``.

    Args:
        data: The decoded JSON body.

    Returns:
        The ids given to the message, one per recipient; empty when the gateway named none.
    """
    body = expect_object(data)
    ids = body.get("messageids", body.get("messageIds"))
    if isinstance(ids, list):
        return SendResult(message_ids=tuple(as_id(value) for value in ids if is_present(value)))
    single = body.get("messageid", body.get("messageId", ids))
    if is_present(single) and not isinstance(single, dict | list):
        return SendResult(message_ids=(as_id(single),))
    return SendResult(message_ids=())


def _find_username(body: dict[str, Any], depth: int) -> str:
    for key in ("username", "user", "login", "name", "email"):
        value = body.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return as_line(value)
    if depth < 2:
        for key in ("account", "user", "data"):
            nested = body.get(key)
            if isinstance(nested, dict):
                found = _find_username(nested, depth + 1)
                if found:
                    return found
    return ""
