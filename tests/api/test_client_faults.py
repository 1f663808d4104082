"""Every fault switch of the fake gateway, and what the client makes of it.

GETs recover after a retry (counted on the gateway) or fail with the right class and a
one-line message; sends are tried exactly once whatever happens.
"""

from __future__ import annotations

import logging
import socket
from email.utils import formatdate

import httpx
import pytest

from smstui.api.client import SmsClient
from smstui.api.errors import (
    ApiError,
    BadResponse,
    Offline,
    RateLimited,
    SendOutcomeUnknown,
    ServiceUnavailable,
    SmsError,
)
from smstui.fake import FakeGateway
from tests.api.conftest import ANCHOR, SECRET, ClientFactory

INBOX = "/message/inbox"
SEND = "/message/send"


def assert_one_line(error: SmsError) -> None:
    message = error.user_message
    assert message
    assert "\n" not in message
    assert "<" not in message  # no HTML page made it into the message
    assert len(message) < 160
    assert SECRET not in message


# -- GET: recovered after a retry --------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("status_502_html", {}),
        ("status_503", {"retry_after": 1}),
        ("status_429", {"retry_after": 2}),
        ("error_105", {}),
        ("truncated", {}),
        ("reset", {}),
        ("hang", {}),
        ("drip", {"interval": 0.2}),
    ],
)
async def test_transient_fault_on_a_get_is_retried_once(
    make_client: ClientFactory,
    gateway: FakeGateway,
    sleeps: list[float],
    kind: str,
    params: dict[str, float],
) -> None:
    gateway.add_fault(kind, INBOX, times=1, **params)
    # hang and drip only end through the overall deadline: the read timeout never trips.
    client = make_client(deadline=0.6)
    page = await client.inbox(limit=20)
    assert len(page.items) == 20
    assert gateway.count("GET", INBOX) == 2
    assert len(sleeps) == 1
    if "retry_after" in params:
        assert sleeps == [params["retry_after"]]
    assert client.last_retry_wait == sleeps[0]


async def test_latency_just_slows_the_answer(client: SmsClient, gateway: FakeGateway) -> None:
    gateway.add_fault("latency", INBOX, times=1, ms=50)
    assert (await client.inbox(limit=5)).items
    assert gateway.count("GET", INBOX) == 1


async def test_retry_after_as_an_http_date(
    client: SmsClient, gateway: FakeGateway, sleeps: list[float]
) -> None:
    gateway.add_fault("status_503", INBOX, times=1, retry_after=formatdate(ANCHOR + 5))
    assert (await client.inbox(limit=5)).items
    assert sleeps == [5.0]


# -- GET: failing with the right error ---------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params", "expected"),
    [
        ("status_502_html", {}, ServiceUnavailable),
        ("status_503", {"retry_after": 1}, ServiceUnavailable),
        ("status_429", {"retry_after": 1}, RateLimited),
        ("error_105", {}, ServiceUnavailable),
        ("truncated", {}, Offline),
        ("reset", {}, Offline),
    ],
)
async def test_persistent_fault_gives_up_after_the_retries(
    client: SmsClient,
    gateway: FakeGateway,
    sleeps: list[float],
    kind: str,
    params: dict[str, float],
    expected: type[SmsError],
) -> None:
    gateway.add_fault(kind, INBOX, times=0, **params)
    with pytest.raises(expected) as raised:
        await client.inbox()
    assert gateway.count("GET", INBOX) == 4
    assert len(sleeps) == 3
    assert_one_line(raised.value)


@pytest.mark.parametrize("kind", ["hang", "drip"])
async def test_slow_server_ends_at_the_deadline(
    make_client: ClientFactory, gateway: FakeGateway, kind: str
) -> None:
    gateway.add_fault(kind, INBOX, times=0)
    client = make_client(deadline=0.4, retries=1)
    with pytest.raises(Offline) as raised:
        await client.inbox()
    assert raised.value.user_message == "Can't reach the gateway (no complete answer within 0.4 s)"
    assert gateway.count("GET", INBOX) == 2


@pytest.mark.parametrize(
    ("kind", "expected", "message_start"),
    [
        ("status_429", RateLimited, "Rate limited by the gateway; try again at "),
        (
            "status_503",
            ServiceUnavailable,
            "The gateway is having trouble (HTTP 503); try again at ",
        ),
    ],
)
async def test_long_retry_after_fails_at_once_and_says_when(
    client: SmsClient,
    gateway: FakeGateway,
    sleeps: list[float],
    kind: str,
    expected: type[SmsError],
    message_start: str,
) -> None:
    gateway.add_fault(kind, INBOX, times=0, retry_after=3600)
    with pytest.raises(expected) as raised:
        await client.inbox()
    assert sleeps == []
    assert gateway.count("GET", INBOX) == 1
    assert raised.value.user_message.startswith(message_start)
    retry_at = raised.value.retry_at  # type: ignore[attr-defined]
    assert retry_at == ANCHOR + 3600
    assert "13:00" in raised.value.user_message


async def test_status_500_is_not_retried(
    client: SmsClient, gateway: FakeGateway, sleeps: list[float]
) -> None:
    gateway.add_fault("status_500", INBOX, times=1)
    with pytest.raises(ServiceUnavailable) as raised:
        await client.inbox()
    assert raised.value.user_message == "The gateway is having trouble (HTTP 500); try again later"
    assert gateway.count("GET", INBOX) == 1
    assert sleeps == []


async def test_malformed_json_is_a_bad_response(
    client: SmsClient, gateway: FakeGateway, sleeps: list[float]
) -> None:
    gateway.add_fault("malformed_json", "/conversation/*", times=1)
    with pytest.raises(BadResponse) as raised:
        await client.conversation(gateway.largest_conversation)
    assert_one_line(raised.value)
    assert gateway.count("GET", "/conversation/") == 1


async def test_error_in_a_200_is_a_failure(client: SmsClient, gateway: FakeGateway) -> None:
    gateway.add_fault("error_in_200", INBOX, times=1)
    with pytest.raises(ApiError) as raised:
        await client.inbox()
    assert raised.value.code == 139
    assert raised.value.user_message == "Missing or invalid parameters: page"
    assert gateway.count("GET", INBOX) == 1


async def test_shifted_pages_overlap_but_keys_stay_stable(
    client: SmsClient, gateway: FakeGateway
) -> None:
    number = gateway.largest_conversation
    page1 = await client.conversation(number, page=1, limit=50)
    page2 = await client.conversation(number, page=2, limit=50)
    gateway.add_fault("shift", "/conversation/*", times=1, count=3)
    shifted = await client.conversation(number, page=2, limit=50)
    expected = [m.key for m in page1.items[-3:]] + [m.key for m in page2.items[:-3]]
    assert [m.key for m in shifted.items] == expected
    assert shifted.total == page2.total + 3


async def test_connection_refused_is_offline(
    make_client: ClientFactory, sleeps: list[float]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(base_url=f"http://127.0.0.1:{port}/v1")
    with pytest.raises(Offline) as raised:
        await client.balance()
    assert raised.value.user_message == "Can't reach the gateway (connection refused)"
    assert len(sleeps) == 3
    with pytest.raises(Offline):
        await client.send("32470123456", "hi", "32460123456")


# -- sends: exactly one POST, whatever happens -------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params", "expected", "lands"),
    [
        ("status_500", {}, ServiceUnavailable, False),
        ("status_503", {"retry_after": 1}, ServiceUnavailable, False),
        ("status_429", {"retry_after": 1}, RateLimited, False),
        ("error_105", {}, ServiceUnavailable, False),
        ("status_502_html", {}, SendOutcomeUnknown, False),
        ("reset", {}, SendOutcomeUnknown, False),
        ("truncated", {}, SendOutcomeUnknown, True),
        ("malformed_json", {}, SendOutcomeUnknown, False),
        ("drop_after_send", {}, SendOutcomeUnknown, True),
        ("hang", {}, SendOutcomeUnknown, False),
        ("drip", {"interval": 0.3}, SendOutcomeUnknown, True),
    ],
)
async def test_send_is_never_retried(
    make_client: ClientFactory,
    gateway: FakeGateway,
    sleeps: list[float],
    kind: str,
    params: dict[str, float],
    expected: type[SmsError],
    lands: bool,
) -> None:
    number = gateway.conversation_numbers()[0]
    before = gateway.message_count(number)
    gateway.add_fault(kind, SEND, times=0, **params)
    client = make_client(deadline=0.5)
    with pytest.raises(expected) as raised:
        await client.send(number, "Hello there", gateway.own_numbers[0])
    assert gateway.count("POST", SEND) == 1
    assert sleeps == []
    assert_one_line(raised.value)
    assert gateway.message_count(number) == before + (1 if lands else 0)


class RefuseFirstConnection(httpx.AsyncBaseTransport):
    """The first request meets a closed port (a real refusal); later ones reach the gateway."""

    def __init__(self) -> None:
        self.attempts = 0
        self._network = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        if self.attempts == 1:
            request.url = request.url.copy_with(port=closed_port())
        return await self._network.handle_async_request(request)

    async def aclose(self) -> None:
        await self._network.aclose()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_refused_send_is_not_sent_and_not_tried_again(
    make_client: ClientFactory, gateway: FakeGateway, sleeps: list[float]
) -> None:
    """Refused before the request left: Offline, one attempt, and nothing at the gateway even
    though a second try would have got through; sending again is the user's call."""
    number = gateway.conversation_numbers()[0]
    before = gateway.message_count(number)
    transport = RefuseFirstConnection()
    client = make_client(transport=transport)
    with pytest.raises(Offline) as raised:
        await client.send(number, "Just once", gateway.own_numbers[0])
    assert raised.value.user_message == "Can't reach the gateway (connection refused)"
    assert transport.attempts == 1
    assert sleeps == []
    assert gateway.count("POST", SEND) == 0
    assert gateway.message_count(number) == before
    await client.send(number, "Just once", gateway.own_numbers[0])  # the user's resend
    assert transport.attempts == 2
    assert gateway.count("POST", SEND) == 1
    assert gateway.message_count(number) == before + 1


async def test_send_outcome_unknown_is_not_offline(client: SmsClient, gateway: FakeGateway) -> None:
    gateway.add_fault("drop_after_send", SEND, times=1)
    with pytest.raises(SendOutcomeUnknown) as raised:
        await client.send(gateway.conversation_numbers()[0], "hi", gateway.own_numbers[0])
    assert not isinstance(raised.value, Offline)
    assert raised.value.user_message == (
        "The gateway did not answer; the message may have been sent. Checking…"
    )


# -- the secret never leaks -------------------------------------------------------------


async def test_secret_never_in_repr_messages_or_logs(
    make_client: ClientFactory, gateway: FakeGateway, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "smstui", "smstui.api"):
        caplog.set_level(logging.DEBUG, logger=name)
    client = make_client(deadline=0.5)
    assert SECRET not in repr(client)
    gateway.add_fault("status_502_html", INBOX, times=1)
    gateway.add_fault("reset", "/balance", times=0)
    gateway.add_fault("hang", SEND, times=1, after=1)
    errors: list[SmsError] = []
    await client.inbox(limit=5)
    for call in (
        client.balance(),
        client.send("48000000108", "hi", "SmsShop"),
        client.send("32470123456", "hi", "SmsShop"),
        make_client(secret=SECRET + "-wrong").auth(),
    ):
        try:
            await call
        except SmsError as error:
            errors.append(error)
    assert len(errors) == 4
    for failure in errors:
        assert SECRET not in str(failure)
        assert SECRET not in repr(failure)
        assert SECRET not in repr(vars(failure))
    assert caplog.records
    assert any(record.name == "smstui.api" for record in caplog.records)
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in repr(record.args)
    assert SECRET not in caplog.text
