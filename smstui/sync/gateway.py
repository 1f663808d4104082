"""The connection to the gateway: built, checked and closed here, used only by smstui.sync.

The app and the commands hold a :data:`Gateway` and hand it to the engine, the sender and the
catch-up; they never call it themselves (an import-linter contract says so), so how the gateway
is read and written is decided once, in this package.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from smstui.api.client import DEFAULT_RETRIES, AnswerListener, RetryListener, SmsClient
from smstui.api.errors import AuthError, SmsError
from smstui.domain.models import OwnNumber
from smstui.store import MessageStore
from smstui.system.clock import wall_time
from smstui.system.credentials import Credentials

__all__ = [
    "DEFAULT_RETRIES",
    "AnswerListener",
    "Gateway",
    "RetryListener",
    "account_numbers",
    "check_login",
    "connect",
    "own_numbers",
]

Gateway = SmsClient
"""An open connection to the gateway (close it with ``aclose`` or ``async with``)."""


def connect(
    base_url: str,
    credentials: Credentials,
    *,
    retries: int = DEFAULT_RETRIES,
    clock: Callable[[], float] = wall_time,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    on_retry: RetryListener | None = None,
    on_answer: AnswerListener | None = None,
) -> Gateway:
    """Open a connection to the gateway at ``base_url`` (reads are retried ``retries`` times).

    Args:
        base_url: The API root.
        credentials: Client id and secret.
        retries: How many times a read is tried again; a send never is.
        clock: Wall clock for "try again at" times (the caller's clock).
        sleep: Pause between retries (the commands' tests move their clock instead).
        on_retry: Told about each retry pause.
        on_answer: Told each time a read is answered.
    """
    return SmsClient(
        base_url,
        credentials,
        retries=retries,
        clock=clock,
        sleep=sleep,
        on_retry=on_retry,
        on_answer=on_answer,
    )


async def check_login(gateway: Gateway) -> str:
    """Ask the gateway whether it accepts the credentials; return the account's user name.

    The connection is closed after. Open it with ``retries=0``: a rejected secret sent twice
    may lock the account (error 1002).

    Raises:
        AuthError: The gateway rejected them.
        SmsError: It could not be asked.
    """
    async with gateway:
        account = await gateway.auth()
    return account.username


async def own_numbers(gateway: Gateway) -> tuple[OwnNumber, ...]:
    """Our numbers as the gateway lists them; () when it cannot say (a send still may work).

    Raises:
        AuthError: The gateway rejected the credentials.
    """
    try:
        return await gateway.own_numbers()
    except AuthError:
        raise
    except SmsError:
        return ()


async def account_numbers(gateway: Gateway, store: MessageStore) -> tuple[str, ...]:
    """Our numbers: the store's, else the gateway's (then kept in the store for next time).

    Raises:
        AuthError: The gateway rejected the credentials.
    """
    stored = store.own_numbers()
    if stored:
        return stored
    numbers = tuple(number.number for number in await own_numbers(gateway))
    if numbers:
        store.set_own_numbers(numbers)
    return numbers
