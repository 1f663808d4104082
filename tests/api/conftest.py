"""Fixtures for client tests against the real fake gateway over loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest

from smstui.api.client import SmsClient
from smstui.fake import FakeGateway
from smstui.system.clock import FixedClock
from smstui.system.secret import Credentials, Secret

CLIENT_ID = "demo"
SECRET = "demo-secret-Zq9xW4"
"""Distinctive, so a leak is easy to spot in logs and messages."""
ANCHOR = 1795780800

ClientFactory = Callable[..., SmsClient]


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    """A fresh small gateway per test: starting one takes a few milliseconds."""
    with FakeGateway(
        client_id=CLIENT_ID,
        client_secret=SECRET,
        seed=7,
        scale="small",
        anchor=ANCHOR,
        clock=FixedClock(ANCHOR),
    ) as gw:
        yield gw


@pytest.fixture
def sleeps() -> list[float]:
    """Every retry pause the client asked for (nothing actually waits)."""
    return []


@pytest.fixture
async def make_client(gateway: FakeGateway, sleeps: list[float]) -> AsyncIterator[ClientFactory]:
    """Build clients pointed at the gateway, on its fixed clock; pauses are recorded, clients
    closed afterwards."""
    clients: list[SmsClient] = []

    async def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def build(*, secret: str = SECRET, base_url: str | None = None, **options: object) -> SmsClient:
        options.setdefault("deadline", 5.0)
        options.setdefault("clock", FixedClock(ANCHOR).now)
        options.setdefault("timeout", httpx.Timeout(connect=2.0, read=4.0, write=2.0, pool=2.0))
        client = SmsClient(
            base_url or gateway.url,
            Credentials(CLIENT_ID, Secret(secret)),
            sleep=record_sleep,
            **options,  # type: ignore[arg-type]
        )
        clients.append(client)
        return client

    yield build
    for client in clients:
        await client.aclose()


@pytest.fixture
def client(make_client: ClientFactory) -> SmsClient:
    """A client with the default policy (3 retries), test-sized timeouts."""
    return make_client()
