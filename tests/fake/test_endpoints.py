"""Every endpoint of the fake gateway answers with the contract's shapes, over real HTTP."""

from __future__ import annotations

import calendar
import itertools
import re
import time

import httpx
import pytest

from smstui.fake import FakeGateway
from smstui.system.clock import FixedClock
from tests.fake.conftest import ANCHOR, AUTH, fetch_all


def test_auth_with_good_credentials_returns_the_username(client: httpx.Client) -> None:
    response = client.get("/auth")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {"username": "demo"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Client-Id": "demo"},
        {"X-Client-Secret": "demo-secret"},
        {"X-Client-Id": "demo", "X-Client-Secret": "wrong"},
        {"X-Client-Id": "other", "X-Client-Secret": "demo-secret"},
    ],
)
def test_missing_or_wrong_credentials_get_401_with_code_104(
    gateway: FakeGateway, headers: dict[str, str]
) -> None:
    response = httpx.get(f"{gateway.url}/message/inbox", headers=headers, trust_env=False)
    assert response.status_code == 401
    assert response.json() == {"error": "104", "errorMsg": "Invalid credentials"}


def test_balance_senderids_and_vmn(client: httpx.Client, gateway: FakeGateway) -> None:
    assert client.get("/balance").json() == {"credits": "42.50", "currency": "EUR"}
    senders = client.get("/senderids").json()
    assert {"ID": 3, "name": "SmsShop", "order": "1"} in senders
    numbers = client.get("/vmn").json()
    assert [n["number"] for n in numbers] == list(gateway.own_numbers)
    assert numbers[0] == {"ID": "17", "number": gateway.own_numbers[0], "countrycode": "BE"}
    assert gateway.own_numbers[0].startswith("32460")
    assert gateway.own_numbers[1].startswith("48")


def test_unknown_path_is_a_json_404(client: httpx.Client) -> None:
    response = client.get("/no/such/thing")
    assert response.status_code == 404
    assert "error" in response.json()


def test_conversation_items_have_every_field(client: httpx.Client, gateway: FakeGateway) -> None:
    body = client.get(f"/conversation/{gateway.largest_conversation}", params={"limit": 50}).json()
    assert body["total"] == gateway.message_count(gateway.largest_conversation) == 600
    assert (body["shown"], body["page"], body["limit"]) == (50, 1, 50)
    for item in body["conversation"]:
        assert set(item) == {
            "messageId", "direction", "mine", "sender", "receiver", "message", "file",
            "datetime", "unixDatetime", "deliveryStatus",
        }  # fmt: skip
        assert item["mine"] is (item["direction"] == "outbound")
        if item["direction"] == "outbound":
            assert re.fullmatch(r"[a-z0-9]{30}", item["messageId"])
            assert item["receiver"] == gateway.largest_conversation
        else:
            assert item["messageId"] is None
            assert item["sender"] == gateway.largest_conversation
            assert item["deliveryStatus"] == "DELIVERED"
        parsed = calendar.timegm(time.strptime(item["datetime"].title(), "%d %b %Y, %H:%M:%S"))
        assert parsed == item["unixDatetime"]
        assert item["file"] is None or all(
            set(f) == {"name", "image", "mime"} for f in item["file"]
        )


def test_conversation_is_newest_first_over_every_page(
    client: httpx.Client, gateway: FakeGateway
) -> None:
    items = fetch_all(client, f"/conversation/{gateway.largest_conversation}", "conversation", 70)
    stamps = [item["unixDatetime"] for item in items]
    assert len(stamps) == 600
    assert all(a > b for a, b in itertools.pairwise(stamps))
    assert stamps[0] <= 1795780800
    directions = {item["direction"] for item in items}
    assert directions == {"inbound", "outbound"}


def test_page_past_the_end_is_empty_with_the_envelope(client: httpx.Client) -> None:
    body = client.get("/conversation/InPost", params={"limit": 2000, "page": 9}).json()
    assert body["conversation"] == []
    assert body["shown"] == 0
    assert body["page"] == 9
    assert body["total"] > 0


def test_unknown_conversation_is_an_empty_page(client: httpx.Client) -> None:
    response = client.get("/conversation/31699999999")
    assert response.status_code == 200
    assert response.json() == {"total": 0, "shown": 0, "page": 1, "limit": 1000, "conversation": []}


def test_conversation_accepts_a_plus_in_the_number(
    client: httpx.Client, gateway: FakeGateway
) -> None:
    number = gateway.largest_conversation
    plain = client.get(f"/conversation/{number}", params={"limit": 5}).json()
    plus = client.get(f"/conversation/%2B{number}", params={"limit": 5}).json()
    assert plus == plain


@pytest.mark.parametrize("limit", ["0", "2001", "-1", "abc", "", "1.5"])
def test_bad_limit_is_error_135(client: httpx.Client, limit: str) -> None:
    response = client.get("/message/inbox", params={"limit": limit})
    assert response.status_code == 400
    assert response.json()["error"] == "135"


@pytest.mark.parametrize("page", ["0", "-3", "x", "", "2.0"])
def test_bad_page_is_error_136(client: httpx.Client, page: str) -> None:
    response = client.get("/conversation/InPost", params={"page": page})
    assert response.status_code == 400
    assert response.json()["error"] == "136"


def test_limit_bounds_are_accepted(client: httpx.Client) -> None:
    assert client.get("/message/inbox", params={"limit": 1}).json()["shown"] == 1
    assert client.get("/message/inbox", params={"limit": 2000}).json()["limit"] == 2000


def test_inbox_pages_cover_every_inbound_message_newest_first(
    client: httpx.Client, gateway: FakeGateway
) -> None:
    items = fetch_all(client, "/message/inbox", "messages", 150)
    dates = [item["date"] for item in items]
    assert dates == sorted(dates, reverse=True)
    assert len({item["ID"] for item in items}) == len(items)
    assert {item["receiver"] for item in items} == set(gateway.own_numbers)
    assert all(item["type"] == "sms" for item in items)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", d) for d in dates)
    # The inbox holds exactly the inbound messages of every conversation.
    inbound = 0
    for number in gateway.conversation_numbers():
        thread = client.get(f"/conversation/{number}", params={"limit": 2000}).json()
        inbound += sum(1 for m in thread["conversation"] if m["direction"] == "inbound")
    assert inbound == len(items)


def test_one_inbox_has_no_receiver_key(client: httpx.Client, gateway: FakeGateway) -> None:
    belgian, polish = gateway.own_numbers
    everything = client.get("/message/inbox", params={"limit": 2000}).json()
    mine = client.get(f"/message/inbox/{polish}", params={"limit": 2000}).json()
    assert mine["total"] == sum(1 for m in everything["messages"] if m["receiver"] == polish)
    assert mine["messages"]
    assert all("receiver" not in m for m in mine["messages"])
    assert client.get(f"/message/inbox/{belgian}").json()["total"] > 0


def test_unknown_inbox_is_404_with_code_132(client: httpx.Client) -> None:
    response = client.get("/message/inbox/32999999999")
    assert response.status_code == 404
    assert response.json()["error"] == "132"


def test_inbox_type_filter(client: httpx.Client) -> None:
    assert client.get("/message/inbox", params={"type": "sms"}).json()["total"] > 0
    whatsapp = client.get("/message/inbox", params={"type": "whatsapp"}).json()
    assert (whatsapp["total"], whatsapp["messages"]) == (0, [])


def test_logging_and_history_are_identical(client: httpx.Client) -> None:
    logging = client.get("/message/logging", params={"limit": 40, "page": 2}).json()
    history = client.get("/message/history", params={"limit": 40, "page": 2}).json()
    assert logging == history
    item = logging["messages"][0]
    assert set(item) == {
        "ID", "message_ID", "message", "to", "sender", "date", "amount", "type", "status"
    }  # fmt: skip
    assert item["type"] == "single"
    assert int(item["amount"]) >= 1
    dates = [m["date"] for m in fetch_all(client, "/message/logging", "messages", 200)]
    assert dates == sorted(dates, reverse=True)


def test_contacts_page_with_names(client: httpx.Client, gateway: FakeGateway) -> None:
    contacts = fetch_all(client, "/contact", "contacts", 10)
    numbers = set(gateway.conversation_numbers())
    assert all(c["phone"] in numbers for c in contacts)
    supplier = next(c for c in contacts if c["phone"] == gateway.largest_conversation)
    assert (supplier["firstname"], supplier["lastname"]) == ("Marek", "Zieliński")
    phones = [n for n in numbers if n.isdigit()]
    assert 0.3 * len(phones) < len(contacts) < 0.9 * len(phones)


def test_attachment_files_are_real_pngs_without_auth(
    client: httpx.Client, gateway: FakeGateway
) -> None:
    thread = client.get(f"/conversation/{gateway.largest_conversation}", params={"limit": 2000})
    files = [f for m in thread.json()["conversation"] for f in (m["file"] or [])]
    png = next(f for f in files if f["name"].endswith(".png"))
    assert png["image"].startswith(gateway.url.removesuffix("/v1") + "/files/")
    response = httpx.get(png["image"], trust_env=False)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert response.content[12:16] == b"IHDR"


def test_pdf_attachments_are_served_as_pdf(gateway: FakeGateway) -> None:
    base = gateway.url.removesuffix("/v1")
    response = httpx.get(f"{base}/files/faktura-abc12345.pdf", trust_env=False)
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-1.4")
    assert response.content.rstrip().endswith(b"%%EOF")
    assert httpx.get(f"{base}/files/../secret.txt", trust_env=False).status_code == 404


def test_requests_are_recorded_without_v1(client: httpx.Client, gateway: FakeGateway) -> None:
    client.get("/conversation/InPost", params={"limit": 5, "page": 2})
    client.post("/message/send", json={"to": "32470123456", "message": "hi", "sender": "Shop"})
    first, second = gateway.requests
    assert (first.method, first.path, first.query) == (
        "GET",
        "/conversation/InPost",
        {"limit": "5", "page": "2"},
    )
    assert first.body is None
    assert second.body == {"to": "32470123456", "message": "hi", "sender": "Shop"}
    assert gateway.count("POST", "/message/send") == 1
    assert gateway.count("GET", "/conversation") == 1
    assert gateway.count("get", "/message") == 0


def test_keep_alive_connections_end_when_the_gateway_stops() -> None:
    gw = FakeGateway(scale="small", clock=FixedClock(ANCHOR))
    url = gw.start()
    with httpx.Client(headers=AUTH, trust_env=False, timeout=2.0) as client:
        assert client.get(f"{url}/auth").status_code == 200
        gw.stop()
        with pytest.raises(httpx.TransportError):
            client.get(f"{url}/auth")


def test_non_loopback_host_is_refused() -> None:
    with pytest.raises(ValueError, match="non-loopback"):
        FakeGateway(scale="small", host="0.0.0.0", clock=FixedClock(ANCHOR))
