"""Every fault and response mode of the fake gateway is observable on the wire."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import httpx
import pytest

from smstui.fake import FakeGateway
from smstui.system.clock import FixedClock
from tests.fake.conftest import ANCHOR

SEND = {"to": "32470123456", "message": "Are you open today?", "sender": "32460123456"}


@pytest.mark.parametrize(
    ("kind", "status", "content_type"),
    [
        ("status_500", 500, "text/plain; charset=utf-8"),
        ("status_502_html", 502, "text/html"),
        ("status_503", 503, "text/html"),
        ("status_429", 429, "application/json; charset=utf-8"),
    ],
)
def test_status_faults(
    client: httpx.Client, gateway: FakeGateway, kind: str, status: int, content_type: str
) -> None:
    gateway.add_fault(kind, "/message/inbox")
    response = client.get("/message/inbox")
    assert response.status_code == status
    assert response.headers["content-type"] == content_type
    if kind == "status_502_html":
        assert b"<html>" in response.content
    assert client.get("/message/inbox").status_code == 200  # times=1 by default


@pytest.mark.parametrize("retry_after", [7, "Wed, 21 Oct 2015 07:28:00 GMT"])
@pytest.mark.parametrize("kind", ["status_429", "status_503"])
def test_retry_after_header(
    client: httpx.Client, gateway: FakeGateway, kind: str, retry_after: int | str
) -> None:
    gateway.add_fault(kind, retry_after=retry_after)
    assert client.get("/balance").headers["retry-after"] == str(retry_after)


def test_error_105(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.add_fault("error_105", "/conversation/*")
    response = client.get("/conversation/InPost")
    assert response.status_code == 400
    assert response.json()["error"] == "105"


def test_error_in_200(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.add_fault("error_in_200")
    response = client.get("/message/inbox")
    assert response.status_code == 200
    assert response.json()["error"] == "139"
    assert "errorMsg" in response.json()


def test_malformed_json(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.add_fault("malformed_json", "/conversation/*")
    response = client.get("/conversation/InPost")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_truncated_body_is_a_protocol_error(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.add_fault("truncated", "/message/inbox")
    with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
        client.get("/message/inbox")
    assert client.get("/message/inbox").status_code == 200


def test_reset_is_a_connection_reset(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.add_fault("reset", "/auth")
    with pytest.raises(httpx.ReadError, match="reset"):
        client.get("/auth")
    assert client.get("/auth").status_code == 200


def test_drop_after_send_stores_the_message_but_never_answers(
    client: httpx.Client, gateway: FakeGateway
) -> None:
    gateway.add_fault("drop_after_send", "/message/send")
    with pytest.raises(httpx.ReadError):
        client.post("/message/send", json=SEND)
    top = client.get("/conversation/32470123456").json()["conversation"][0]
    assert (top["message"], top["direction"]) == (SEND["message"], "outbound")
    assert gateway.count("POST", "/message/send") == 1


def test_no_message_id_stores_the_message_and_answers_2xx_without_an_id(
    client: httpx.Client, gateway: FakeGateway
) -> None:
    gateway.add_fault("no_message_id", "/message/send")
    answer = client.post("/message/send", json=SEND)
    assert (answer.status_code, answer.json()) == (200, {})
    top = client.get("/conversation/32470123456").json()["conversation"][0]
    assert (top["message"], top["direction"]) == (SEND["message"], "outbound")
    assert client.post("/message/send", json=SEND).json()["messageid"]  # once only


def test_hang_answers_nothing_until_the_client_gives_up(
    client: httpx.Client, gateway: FakeGateway
) -> None:
    gateway.add_fault("hang", "/balance")
    with pytest.raises(httpx.ReadTimeout):
        client.get("/balance", timeout=0.3)
    assert client.get("/balance").status_code == 200  # the server is not stuck


def test_hang_ends_when_the_gateway_stops() -> None:
    gw = FakeGateway(scale="small", clock=FixedClock(ANCHOR))
    gw.add_fault("hang")
    with httpx.Client(base_url=gw.start(), trust_env=False, timeout=30) as client:
        errors: list[Exception] = []

        def call() -> None:
            try:
                client.get("/auth")
            except httpx.TransportError as error:
                errors.append(error)

        caller = threading.Thread(target=call)
        caller.start()
        until(lambda: bool(gw.requests), "the request to arrive")
        gw.stop()
        caller.join(timeout=5)
        assert not caller.is_alive()
        assert errors


def until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def test_hold_keeps_a_request_until_released(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.add_fault("hold", "/balance", times=1)
    answers: list[httpx.Response] = []
    caller = threading.Thread(target=lambda: answers.append(client.get("/balance")))
    caller.start()
    until(lambda: gateway.held == 1, "the request to be held")
    assert gateway.count("GET", "/balance") == 1
    caller.join(timeout=0.2)
    assert caller.is_alive()
    assert answers == []
    assert gateway.release() == 1
    caller.join(timeout=10)
    assert [r.status_code for r in answers] == [200]
    assert gateway.held == 0
    assert gateway.release() == 0
    assert client.get("/balance").status_code == 200  # times=1: the next one is not held


def test_hold_ends_when_the_gateway_stops() -> None:
    gw = FakeGateway(scale="small", clock=FixedClock(ANCHOR))
    gw.add_fault("hold", times=0)
    with httpx.Client(base_url=gw.start(), trust_env=False, timeout=30) as client:
        errors: list[Exception] = []

        def call() -> None:
            try:
                client.get("/auth")
            except httpx.TransportError as error:
                errors.append(error)

        caller = threading.Thread(target=call)
        caller.start()
        until(lambda: gw.held == 1, "the request to be held")
        gw.stop()
        caller.join(timeout=5)
        assert not caller.is_alive()
        assert errors


def test_drip_takes_time_but_completes(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.add_fault("drip", "/conversation/*", interval=0.02, bytes=512)
    plain = client.get("/conversation/InPost", params={"limit": 10}).content
    gateway.add_fault("drip", "/conversation/*", interval=0.02, bytes=512)
    started = time.monotonic()
    dripped = client.get("/conversation/InPost", params={"limit": 10}).content
    assert dripped == plain
    assert time.monotonic() - started >= 0.02 * (len(plain) // 512 - 1)


def test_latency_delays_the_answer(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.add_fault("latency", "/auth", ms=150)
    started = time.monotonic()
    assert client.get("/auth").status_code == 200
    assert time.monotonic() - started >= 0.15


def test_shift_moves_page_boundaries(client: httpx.Client, gateway: FakeGateway) -> None:
    number = gateway.largest_conversation
    first = client.get(f"/conversation/{number}", params={"limit": 10}).json()
    gateway.add_fault("shift", "/conversation/*", count=3)
    second = client.get(f"/conversation/{number}", params={"limit": 10, "page": 2}).json()
    assert second["total"] == first["total"] + 3
    assert second["conversation"][:3] == first["conversation"][-3:]
    newest = client.get(f"/conversation/{number}", params={"limit": 3}).json()["conversation"]
    assert all(m["direction"] == "inbound" and m["messageId"] is None for m in newest)


def test_after_and_times_count_matching_requests(
    client: httpx.Client, gateway: FakeGateway
) -> None:
    gateway.add_fault("status_500", "/balance", times=2, after=1)
    codes = [client.get("/balance").status_code for _ in range(4)]
    assert codes == [200, 500, 500, 200]
    assert client.get("/auth").status_code == 200  # other endpoints never matched


def test_every_fails_one_matching_request_in_n(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.add_fault("status_502_html", "/balance", times=0, every=5)
    codes = [client.get("/balance").status_code for _ in range(10)]
    assert codes == [200, 200, 200, 200, 502] * 2
    with pytest.raises(ValueError, match="every"):
        gateway.add_fault("reset", every=0)


def test_times_zero_means_forever_until_cleared(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.add_fault("error_105", "*", times=0)
    assert {client.get("/auth").status_code for _ in range(5)} == {400}
    gateway.clear_faults()
    assert client.get("/auth").status_code == 200


def test_endpoint_patterns(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.add_fault("status_500", "/conversation/*", times=0)
    assert client.get("/conversation/InPost").status_code == 500
    assert client.get("/message/inbox").status_code == 200


def test_unknown_fault_kind_or_parameter_is_refused(gateway: FakeGateway) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        gateway.add_fault("explode")
    with pytest.raises(ValueError, match="takes no"):
        gateway.add_fault("latency", seconds=3)


# -- modes -----------------------------------------------------------------------------


def test_plain_400_turns_401_and_404_into_400(gateway: FakeGateway, client: httpx.Client) -> None:
    gateway.set_mode(plain_400=True)
    unauthorised = httpx.get(f"{gateway.url}/auth", trust_env=False)
    assert (unauthorised.status_code, unauthorised.json()["error"]) == (400, "104")
    missing = client.get("/message/inbox/32000000000")
    assert (missing.status_code, missing.json()["error"]) == (400, "132")


def test_error_int(gateway: FakeGateway, client: httpx.Client) -> None:
    gateway.set_mode(error_int=True)
    assert client.get("/message/inbox", params={"limit": 0}).json()["error"] == 135
    gateway.set_mode()
    assert client.get("/message/inbox", params={"limit": 0}).json()["error"] == "135"


def test_file_single_and_mine_missing(gateway: FakeGateway, client: httpx.Client) -> None:
    number = gateway.largest_conversation
    gateway.set_mode(file_single=True, mine_missing=True)
    items = client.get(f"/conversation/{number}", params={"limit": 2000}).json()["conversation"]
    files = [m["file"] for m in items if m["file"] is not None]
    assert files
    assert all(isinstance(f, dict) and set(f) == {"name", "image", "mime"} for f in files)
    assert all("mine" not in m for m in items)
