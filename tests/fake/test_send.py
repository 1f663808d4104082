"""Sending through the fake gateway: validation codes, storage, statuses, inbound delivery."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from smstui.fake import FakeGateway
from smstui.system.clock import FixedClock
from tests.fake.conftest import ANCHOR, AUTH

OK = {"to": "32470123456", "message": "Thanks, see you tomorrow at 10.", "sender": "32460123456"}


def send(client: httpx.Client, **changes: object) -> httpx.Response:
    body = {**OK, **changes}
    return client.post("/message/send", json={k: v for k, v in body.items() if v is not ...})


def minute(minutes: int) -> str:
    """The gateway's "now" (ANCHOR on its fixed clock) moved by some minutes, as a send date."""
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(ANCHOR + minutes * 60))


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"message": ...}, "102"),
        ({"message": ""}, "102"),
        ({"message": "   "}, "102"),
        ({"to": ...}, "103"),
        ({"to": "not a number"}, "103"),
        ({"to": []}, "103"),
        ({"sender": ""}, "109"),
        ({"sender": ...}, "109"),
        ({"sender": "TwelveLetter"}, "111"),
        ({"sender": "Shop&Co"}, "111"),
        ({"sender": "123456789012345"}, "111"),
        ({"message": "a" * 460}, "118"),
        ({"message": "€" * 230}, "118"),
        ({"message": "ż" * 202}, "118"),
        ({"date": "2026-13-01 10:00"}, "121"),
        ({"date": "01-06-2026 10:00"}, "121"),
        ({"date": "2020-06-01 09:00"}, "121"),
        ({"to": "48000000108"}, "108"),
        ({"to": ["32470123456", "48000000131"]}, "131"),
    ],
)
def test_send_validation_codes(
    client: httpx.Client, gateway: FakeGateway, changes: dict[str, object], code: str
) -> None:
    before = gateway.message_count("32470123456")
    response = send(client, **changes)
    assert response.status_code == 400
    assert response.json()["error"] == code
    assert response.json()["errorMsg"]
    assert gateway.message_count("32470123456") == before


def test_one_bad_number_in_a_list_is_106_naming_it(client: httpx.Client) -> None:
    response = send(client, to=["32470123456", "12ab"])
    assert response.status_code == 400
    assert response.json()["error"] == "106"
    assert "12ab" in response.json()["errorMsg"]


def test_limits_are_inclusive(client: httpx.Client) -> None:
    assert send(client, message="a" * 459, test=True).status_code == 200
    assert send(client, message="€" * 229 + "a", test=True).status_code == 200
    assert send(client, message="ż" * 201, test=True).status_code == 200
    assert send(client, message="👍" * 100, test=True).status_code == 200
    assert send(client, message="👍" * 101, test=True).json()["error"] == "118"
    assert send(client, sender="+12345678901234", test=True).status_code == 200
    assert send(client, sender="ElevenChars", test=True).status_code == 200


def test_empty_and_unparsable_bodies(client: httpx.Client) -> None:
    empty = client.post("/message/send", content=b"")
    assert (empty.status_code, empty.json()["error"]) == (400, "114")
    broken = client.post("/message/send", content=b"{not json")
    assert broken.status_code == 400
    assert isinstance(broken.json()["error"], str)


def test_test_mode_returns_an_id_but_stores_nothing(
    client: httpx.Client, gateway: FakeGateway
) -> None:
    before = client.get("/message/logging", params={"limit": 1}).json()["total"]
    response = send(client, test=True)
    assert response.status_code == 200
    assert re.fullmatch(r"[a-z0-9]{30}", response.json()["messageid"])
    assert gateway.message_count("32470123456") == 0
    assert client.get("/message/logging", params={"limit": 1}).json()["total"] == before


def test_a_send_appears_as_submitted_then_settles(
    client: httpx.Client, gateway: FakeGateway
) -> None:
    response = send(client, to="+32 470 12 34 56")
    message_id = response.json()["messageid"]
    assert response.status_code == 200
    assert gateway.conversation_numbers()[0] == "32470123456"
    top = client.get("/conversation/32470123456").json()["conversation"][0]
    assert top["messageId"] == message_id
    assert (top["direction"], top["mine"], top["deliveryStatus"]) == ("outbound", True, "SUBMITTED")
    assert (top["sender"], top["receiver"], top["message"]) == (
        "32460123456",
        "32470123456",
        OK["message"],
    )
    assert top["unixDatetime"] >= ANCHOR  # never older than the data set's "now"
    logged = client.get("/message/logging").json()["messages"][0]
    assert (logged["message_ID"], logged["to"], logged["status"]) == (
        message_id,
        "32470123456",
        "SUBMITTED",
    )
    gateway.advance_statuses()
    final = client.get("/conversation/32470123456").json()["conversation"][0]["deliveryStatus"]
    assert final in {"DELIVERED", "NOT DELIVERED", "REJECTED"}


def test_statuses_follow_the_real_clock() -> None:
    with FakeGateway(
        scale="small", anchor=ANCHOR, status_delays=(0.0, 0.0), clock=FixedClock(ANCHOR)
    ) as gw:
        client = httpx.Client(base_url=gw.url, headers=AUTH, trust_env=False)
        send(client)
        status = client.get("/conversation/32470123456").json()["conversation"][0]
        assert status["deliveryStatus"] in {"DELIVERED", "NOT DELIVERED", "REJECTED"}
        client.close()


def test_a_list_of_recipients_gets_one_id_each(client: httpx.Client, gateway: FakeGateway) -> None:
    response = send(client, to=["32470123456", "0048 512 345 678"])
    ids = response.json()["messageids"]
    assert len(ids) == 2
    assert len(set(ids)) == 2
    assert gateway.message_count("48512345678") == 1
    assert gateway.message_count("32470123456") == 1


def test_a_reply_goes_on_top_of_an_existing_conversation(
    client: httpx.Client, gateway: FakeGateway
) -> None:
    number = gateway.largest_conversation
    before = client.get(f"/conversation/{number}", params={"limit": 3}).json()
    send(client, to=number, sender="48732104455", message="Zamówienie na piątek: 40 kartonów")
    after = client.get(f"/conversation/{number}", params={"limit": 3}).json()
    assert after["total"] == before["total"] + 1
    assert after["conversation"][0]["message"] == "Zamówienie na piątek: 40 kartonów"
    assert after["conversation"][1:] == before["conversation"][:2]


def test_scheduled_send_waits_in_the_outbox(client: httpx.Client, gateway: FakeGateway) -> None:
    response = send(client, date=minute(90))
    assert response.status_code == 200
    assert gateway.message_count("32470123456") == 0
    outbox = client.get("/outbox").json()
    assert outbox["messages"][0]["messageid"] == response.json()["messageid"]
    outbox_id = outbox["messages"][0]["ID"]
    assert client.delete(f"/outbox/{outbox_id}").status_code == 200
    assert client.get("/outbox").json()["total"] == 0


def test_a_scheduled_send_goes_out_when_the_gateway_clock_reaches_it(
    client: httpx.Client, gateway: FakeGateway, clock: FixedClock
) -> None:
    message_id = send(client, date=minute(90)).json()["messageid"]
    clock.advance(89 * 60)
    assert gateway.message_count("32470123456") == 0
    clock.advance(60)
    assert client.get("/outbox").json()["total"] == 0
    top = client.get("/conversation/32470123456").json()["conversation"][0]
    assert (top["messageId"], top["unixDatetime"]) == (message_id, ANCHOR + 90 * 60)


def test_the_send_date_is_checked_against_the_gateway_clock(
    client: httpx.Client, clock: FixedClock
) -> None:
    assert send(client, date=minute(-1)).json()["error"] == "121"
    assert send(client, date=minute(0)).status_code == 200  # this minute: sent now
    clock.advance(-366 * 86_400)  # a year earlier, the same date is far in the future
    assert send(client, date=minute(-1)).status_code == 200
    assert client.get("/outbox").json()["total"] == 1


def test_the_default_anchor_is_the_clock_minute() -> None:
    gw = FakeGateway(scale="small", clock=FixedClock(ANCHOR + 59))
    assert gw.anchor == ANCHOR


def test_deliver_inbound_shows_in_inbox_and_conversation(
    client: httpx.Client, gateway: FakeGateway
) -> None:
    total = client.get("/message/inbox", params={"limit": 1}).json()["total"]
    gateway.deliver_inbound("+31 6 1234 5678", "Is de winkel open op zondag? 🙂", attachments=2)
    inbox = client.get("/message/inbox", params={"limit": 1}).json()
    assert inbox["total"] == total + 1
    item = inbox["messages"][0]
    assert (item["sender"], item["message"]) == ("31612345678", "Is de winkel open op zondag? 🙂")
    assert item["receiver"] == gateway.own_numbers[0]
    top = client.get("/conversation/31612345678").json()["conversation"][0]
    assert (top["direction"], top["mine"], top["messageId"]) == ("inbound", False, None)
    assert len(top["file"]) == 2
    assert gateway.conversation_numbers()[0] == "31612345678"


def test_deliver_inbound_to_a_chosen_number(client: httpx.Client, gateway: FakeGateway) -> None:
    polish = gateway.own_numbers[1]
    gateway.deliver_inbound("InPost", "Paczka czeka", receiver=polish)
    item = client.get(f"/message/inbox/{polish}", params={"limit": 1}).json()["messages"][0]
    assert (item["sender"], item["message"]) == ("InPost", "Paczka czeka")


def test_scheduled_inbound_messages_arrive_on_request() -> None:
    clock = FixedClock(ANCHOR)
    with FakeGateway(scale="small", anchor=ANCHOR, inbound_every=60, clock=clock) as gw:
        before = sum(gw.message_count(n) for n in gw.conversation_numbers())
        clock.advance(59)
        assert sum(gw.message_count(n) for n in gw.conversation_numbers()) == before
        clock.advance(4 * 60 + 1)
        assert sum(gw.message_count(n) for n in gw.conversation_numbers()) == before + 5


def test_any_text_is_served_lone_surrogates_as_json_escapes(
    client: httpx.Client, gateway: FakeGateway
) -> None:
    text = "lone \ud800 high, \udfff low, ż and 😀"
    gateway.deliver_inbound("+31 6 1234 5678", text)
    for path in ("/conversation/31612345678", "/message/inbox"):
        response = client.get(path, params={"limit": 1})
        assert response.status_code == 200
        assert b"lone \\ud800 high, \\udfff low" in response.content  # what UTF-8 cannot carry
        assert "ż and 😀".encode() in response.content  # the rest stays raw UTF-8
        key = "conversation" if path.startswith("/conversation") else "messages"
        assert response.json()[key][0]["message"] == text
