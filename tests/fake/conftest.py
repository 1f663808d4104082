"""Fixtures for the fake gateway tests: a small, fixed data set served on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from smstui.fake import FakeGateway
from smstui.system.clock import FixedClock

ANCHOR = 1795780800  # 2026-11-27 12:00 UTC
AUTH = {"X-Client-Id": "demo", "X-Client-Secret": "demo-secret"}


@pytest.fixture
def clock() -> FixedClock:
    """The gateway's wall clock, at ANCHOR until a test advances it."""
    return FixedClock(ANCHOR)


@pytest.fixture
def gateway(clock: FixedClock) -> Iterator[FakeGateway]:
    """A started small gateway; statuses stay SUBMITTED for a minute unless advanced."""
    with FakeGateway(scale="small", anchor=ANCHOR, status_delays=(60.0, 120.0), clock=clock) as gw:
        yield gw


@pytest.fixture
def client(gateway: FakeGateway) -> Iterator[httpx.Client]:
    """A keep-alive client with the demo credentials, ignoring proxy settings."""
    with httpx.Client(base_url=gateway.url, headers=AUTH, timeout=5.0, trust_env=False) as c:
        yield c


def fetch_all(client: httpx.Client, path: str, key: str, limit: int) -> list[dict[str, object]]:
    """Page through a list endpoint until an empty page; check the envelope on the way."""
    items: list[dict[str, object]] = []
    page = 1
    while True:
        body = client.get(path, params={"limit": limit, "page": page}).json()
        assert body["page"] == page
        assert body["limit"] == limit
        assert body["shown"] == len(body[key])
        if not body[key]:
            assert len(items) == body["total"]
            return items
        items.extend(body[key])
        page += 1
