"""Client behaviour that is easiest to pin down with a scripted transport (no sockets)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from smstui.api.client import SmsClient
from smstui.api.errors import (
    ApiError,
    AuthError,
    BadResponse,
    RateLimited,
    SendOutcomeUnknown,
    ServiceUnavailable,
)
from smstui.system.secret import Credentials, Secret

SECRET = "s3cr3t-value-never-shown"
NOW = 1_800_000_000.0
EMPTY_PAGE = {"total": 0, "shown": 0, "page": 1, "limit": 100, "messages": []}

Handler = Callable[[httpx.Request], httpx.Response]


class Script:
    """A transport answering from a list of canned responses, recording each request."""

    def __init__(self, *responses: httpx.Response | Handler) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        return answer(request) if callable(answer) else answer

    @property
    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]


def reply(status: int = 200, body: object = None, **headers: str) -> httpx.Response:
    if isinstance(body, bytes):
        return httpx.Response(status, content=body, headers=headers)
    return httpx.Response(status, json=body if body is not None else {}, headers=headers)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(sleeps: list[float]) -> Callable[..., tuple[SmsClient, Script]]:
    async def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def build(*responses: httpx.Response | Handler, **options: object) -> tuple[SmsClient, Script]:
        script = Script(*responses)
        client = SmsClient(
            "https://gateway.invalid/v1",
            Credentials("demo", Secret(SECRET)),
            transport=httpx.MockTransport(script),
            sleep=record_sleep,
            clock=lambda: NOW,
            **options,  # type: ignore[arg-type]
        )
        return client, script

    return build


async def test_auth_headers_are_sent_but_not_kept_in_client_headers(make_client) -> None:
    client, script = make_client(reply(body={"username": "demo"}))
    async with client:
        account = await client.auth()
        assert account.username == "demo"
        request = script.requests[0]
        assert request.headers["X-Client-Id"] == "demo"
        assert request.headers["X-Client-Secret"] == SECRET
        assert request.headers["User-Agent"].startswith("smstui/")
        assert SECRET not in repr(client)
        assert SECRET not in repr(client._http.headers)
        assert SECRET not in repr(vars(client))


async def test_history_falls_back_to_the_old_path_and_remembers_it(make_client) -> None:
    client, script = make_client(
        reply(404, b"<html>Not Found</html>"), reply(body=EMPTY_PAGE), reply(body=EMPTY_PAGE)
    )
    async with client:
        first = await client.sent_history()
        second = await client.sent_history(page=2)
    assert first.items == ()
    assert second.items == ()
    assert script.paths == ["/v1/message/logging", "/v1/message/history", "/v1/message/history"]


async def test_history_uses_logging_when_it_works(make_client) -> None:
    client, script = make_client(reply(body=EMPTY_PAGE))
    async with client:
        await client.sent_history()
        await client.sent_history()
    assert script.paths == ["/v1/message/logging", "/v1/message/logging"]


async def test_history_with_both_paths_missing_is_an_api_error(make_client) -> None:
    client, script = make_client(reply(404, {"error": "Not found"}))
    async with client:
        with pytest.raises(ApiError) as raised:
            await client.sent_history()
    assert raised.value.status == 404
    assert len(script.requests) == 2


async def test_conversation_number_is_normalised_and_url_encoded(make_client) -> None:
    client, script = make_client(reply(body={"conversation": []}))
    async with client:
        await client.conversation("+32 470 12 34 56", page=2, limit=20)
        await client.conversation("My/Shop?")
    assert script.requests[0].url.raw_path == b"/v1/conversation/32470123456?page=2&limit=20"
    assert script.requests[1].url.raw_path.startswith(b"/v1/conversation/My%2FShop%3F?")


async def test_inbox_paths_and_query(make_client) -> None:
    client, script = make_client(reply(body=EMPTY_PAGE))
    async with client:
        await client.inbox()
        await client.inbox(number="32460123456", type=None, page=3, limit=5)
    assert script.requests[0].url.params == httpx.QueryParams(page=1, limit=100, type="sms")
    assert script.requests[1].url.path == "/v1/message/inbox/32460123456"
    assert script.requests[1].url.params == httpx.QueryParams(page=3, limit=5)


async def test_send_body(make_client) -> None:
    client, script = make_client(reply(body={"messageids": ["a", "b"]}))
    async with client:
        result = await client.send(
            ["+32 470 12 34 56", "0031612345678"], "hi", "+32460123456", test=True, reference="r1"
        )
    assert result.message_ids == ("a", "b")
    body = json.loads(script.requests[0].content)
    assert body == {
        "to": ["32470123456", "31612345678"],
        "message": "hi",
        "sender": "32460123456",
        "test": True,
        "reference": "r1",
    }
    assert script.requests[0].headers["Content-Type"] == "application/json"


async def test_retry_after_as_http_date(make_client, sleeps) -> None:
    when = format_datetime(datetime.fromtimestamp(NOW + 7, UTC), usegmt=True)
    client, _ = make_client(
        reply(503, b"busy", **{"Retry-After": when}), reply(body={"credits": "1"})
    )
    async with client:
        balance = await client.balance()
    assert balance.amount == "1"
    assert sleeps == [7.0]
    assert client.last_retry_wait == 7.0


async def test_long_retry_after_gives_up_at_once_and_says_when(make_client, sleeps) -> None:
    client, script = make_client(reply(429, {"error": "slow down"}, **{"Retry-After": "3600"}))
    async with client:
        with pytest.raises(RateLimited) as raised:
            await client.balance()
    assert sleeps == []
    assert len(script.requests) == 1
    assert raised.value.retry_at == NOW + 3600
    assert "try again at" in raised.value.user_message


async def test_backoff_is_jittered_capped_and_reported(make_client, sleeps) -> None:
    seen: list[tuple[float, str]] = []
    client, script = make_client(
        reply(502, b"<html>bad gateway</html>"),
        backoff=4.0,
        retries=3,
        on_retry=lambda wait, error: seen.append((wait, type(error).__name__)),
    )
    async with client:
        with pytest.raises(ServiceUnavailable) as raised:
            await client.balance()
    assert len(script.requests) == 4
    assert len(sleeps) == 3
    assert all(0 <= s <= limit for s, limit in zip(sleeps, [4.0, 8.0, 10.0], strict=True))
    assert [name for _, name in seen] == ["ServiceUnavailable"] * 3
    assert raised.value.user_message == "The gateway is having trouble (HTTP 502); try again later"
    assert "<html>" not in raised.value.user_message


async def test_500_is_not_retried(make_client, sleeps) -> None:
    client, script = make_client(reply(500, b"Internal Server Error"))
    async with client:
        with pytest.raises(ServiceUnavailable):
            await client.balance()
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    "answer",
    [reply(401, {"error": "104", "errorMsg": "Invalid credentials"}), reply(400, {"error": 1002})],
)
async def test_auth_failures_are_never_retried(make_client, sleeps, answer) -> None:
    client, script = make_client(answer)
    async with client:
        with pytest.raises(AuthError):
            await client.balance()
    assert len(script.requests) == 1
    assert sleeps == []


async def test_401_and_403_without_body(make_client) -> None:
    client, _ = make_client(reply(403, b""))
    async with client:
        with pytest.raises(AuthError):
            await client.own_numbers()


async def test_error_105_in_a_200_is_retried(make_client, sleeps) -> None:
    client, _ = make_client(reply(body={"error": "105"}), reply(body=[{"ID": 1}]))
    async with client:
        numbers = await client.own_numbers()
    assert [n.id for n in numbers] == ["1"]
    assert len(sleeps) == 1


async def test_oversized_answer_is_refused(make_client) -> None:
    client, _ = make_client(reply(body={"credits": "1" * 5000}), max_response_bytes=1000)
    async with client:
        with pytest.raises(BadResponse) as raised:
            await client.balance()
    assert "too large" in raised.value.user_message


@pytest.mark.parametrize("status", [502, 504])
async def test_send_through_a_lost_proxy_is_outcome_unknown(make_client, status) -> None:
    client, script = make_client(reply(status, b"<html>gateway timeout</html>"))
    async with client:
        with pytest.raises(SendOutcomeUnknown):
            await client.send("32470123456", "hi", "32460123456")
    assert len(script.requests) == 1


async def test_send_with_unreadable_success_is_outcome_unknown(make_client) -> None:
    client, script = make_client(reply(200, b"{not json"))
    async with client:
        with pytest.raises(SendOutcomeUnknown):
            await client.send("32470123456", "hi", "32460123456")
    assert len(script.requests) == 1


async def test_send_refusal_carries_the_code(make_client) -> None:
    client, _ = make_client(reply(400, {"error": "131", "errorMsg": "Opted out"}))
    async with client:
        with pytest.raises(ApiError) as raised:
            await client.send("32470123456", "hi", "32460123456")
    assert raised.value.code == 131
    assert raised.value.user_message == "The recipient has opted out of messages from you"
