"""The client against the real fake gateway over loopback: every endpoint, paging and modes."""

from __future__ import annotations

import pytest

from smstui.api.client import SmsClient
from smstui.api.errors import ApiError, AuthError
from smstui.fake import FakeGateway
from tests.api.conftest import ClientFactory

NO_CREDIT = "48000000108"
OPTED_OUT = "48000000131"


async def test_auth_balance_senders_and_numbers(client: SmsClient, gateway: FakeGateway) -> None:
    assert (await client.auth()).username == "demo"
    balance = await client.balance()
    assert (balance.amount, balance.currency) == ("42.50", "EUR")
    assert [s.name for s in await client.sender_ids()] == ["SmsShop", "HelpDesk"]
    numbers = await client.own_numbers()
    assert tuple(n.number for n in numbers) == gateway.own_numbers
    assert all(n.id and n.country for n in numbers)


async def test_inbox_pages_to_the_end(client: SmsClient, gateway: FakeGateway) -> None:
    seen: list[str] = []
    page_number = 1
    while True:
        page = await client.inbox(page=page_number, limit=100)
        seen.extend(item.id for item in page.items)
        assert all(item.receiver in gateway.own_numbers for item in page.items)
        assert all(item.timestamp is not None for item in page.items)
        if page.is_last:
            break
        page_number += 1
    assert len(seen) == len(set(seen)) == page.total
    assert page_number > 1


async def test_one_inbox_has_items_without_receiver(
    client: SmsClient, gateway: FakeGateway
) -> None:
    page = await client.inbox(number=gateway.own_numbers[0], limit=20)
    assert page.items
    assert {item.receiver for item in page.items} == {""}


async def test_unknown_inbox_is_error_132(client: SmsClient) -> None:
    with pytest.raises(ApiError) as raised:
        await client.inbox(number="99999999999")
    assert raised.value.code == 132
    assert raised.value.user_message == "That inbox does not exist"


async def test_largest_conversation_pages_to_the_last_page(
    client: SmsClient, gateway: FakeGateway
) -> None:
    number = gateway.largest_conversation
    keys: list[str] = []
    timestamps: list[int] = []
    page_number = 1
    while True:
        page = await client.conversation(number, page=page_number, limit=250)
        keys.extend(m.key for m in page.items)
        timestamps.extend(m.timestamp for m in page.items)
        if page.is_last:
            break
        page_number += 1
    assert page_number == 3
    assert len(keys) == len(set(keys)) == gateway.message_count(number) == page.total
    assert timestamps == sorted(timestamps, reverse=True)  # API order kept: newest first
    past_end = await client.conversation(number, page=4, limit=250)
    assert past_end.items == ()
    assert past_end.is_last


async def test_conversation_messages_carry_directions_statuses_and_files(
    client: SmsClient, gateway: FakeGateway
) -> None:
    page = await client.conversation(gateway.largest_conversation, limit=500)
    assert {m.outbound for m in page.items} == {True, False}
    assert all(m.status for m in page.items if m.outbound)
    assert any(m.attachments for m in page.items)
    for message in page.items:
        if message.outbound:
            assert message.key == f"id:{message.message_id}"
        assert message.timestamp > 0


async def test_sent_history_and_contacts(client: SmsClient) -> None:
    history = await client.sent_history(limit=50)
    assert history.items
    assert all(row.message_id and row.to and row.status for row in history.items)
    contacts = await client.contacts()
    assert contacts.items
    assert all(c.phone.isdigit() for c in contacts.items)
    assert any(c.display_name for c in contacts.items)


async def test_send_one_lands_in_the_conversation(client: SmsClient, gateway: FakeGateway) -> None:
    number = gateway.conversation_numbers()[0]
    before = gateway.message_count(number)
    result = await client.send(f"+{number}", "Tot morgen!", gateway.own_numbers[0])
    assert len(result.message_ids) == 1
    assert gateway.message_count(number) == before + 1
    newest = (await client.conversation(number, limit=5)).items[0]
    assert newest.message_id == result.message_ids[0]
    assert newest.outbound
    assert newest.text == "Tot morgen!"
    assert newest.status == "SUBMITTED"


async def test_send_to_several_gives_one_id_each(client: SmsClient, gateway: FakeGateway) -> None:
    first, second = gateway.conversation_numbers()[:2]
    result = await client.send([first, second], "Hello", "SmsShop")
    assert len(result.message_ids) == 2
    assert len(set(result.message_ids)) == 2


async def test_test_send_stores_nothing(client: SmsClient, gateway: FakeGateway) -> None:
    number = gateway.conversation_numbers()[0]
    before = gateway.message_count(number)
    result = await client.send(number, "just checking", gateway.own_numbers[0], test=True)
    assert len(result.message_ids) == 1
    assert gateway.message_count(number) == before


@pytest.mark.parametrize("error_int", [False, True])
async def test_no_credit_and_opt_out(
    make_client: ClientFactory, gateway: FakeGateway, error_int: bool
) -> None:
    gateway.set_mode(error_int=error_int)
    client = make_client()
    with pytest.raises(ApiError) as no_credit:
        await client.send(NO_CREDIT, "hi", gateway.own_numbers[0])
    assert no_credit.value.code == 108
    assert no_credit.value.user_message == "Not enough credit to send this message"
    with pytest.raises(ApiError) as opted_out:
        await client.send(OPTED_OUT, "hi", gateway.own_numbers[0])
    assert opted_out.value.code == 131
    assert opted_out.value.user_message == "The recipient has opted out of messages from you"
    assert gateway.count("POST", "/message/send") == 2


async def test_too_long_text_is_error_118(client: SmsClient, gateway: FakeGateway) -> None:
    with pytest.raises(ApiError) as raised:
        await client.send(gateway.conversation_numbers()[0], "x" * 500, gateway.own_numbers[0])
    assert raised.value.user_message == "Message too long (max 459 characters)"


@pytest.mark.parametrize("plain_400", [False, True])
async def test_wrong_secret_is_auth_error_without_retry(
    make_client: ClientFactory, gateway: FakeGateway, sleeps: list[float], plain_400: bool
) -> None:
    gateway.set_mode(plain_400=plain_400, error_int=plain_400)
    client = make_client(secret="wrong")
    with pytest.raises(AuthError) as raised:
        await client.inbox()
    assert raised.value.code == 104
    assert raised.value.user_message == "The client id or secret was not accepted"
    assert len(gateway.requests) == 1
    assert sleeps == []


async def test_plain_400_mode_keeps_codes(make_client: ClientFactory, gateway: FakeGateway) -> None:
    gateway.set_mode(plain_400=True)
    with pytest.raises(ApiError) as raised:
        await make_client().inbox(number="99999999999")
    assert (raised.value.code, raised.value.status) == (132, 400)


async def test_file_single_mode_still_gives_attachments(
    client: SmsClient, gateway: FakeGateway
) -> None:
    number = gateway.largest_conversation
    as_list = await client.conversation(number, limit=300)
    gateway.set_mode(file_single=True)
    as_single = await client.conversation(number, limit=300)
    with_files = [m for m in as_list.items if m.attachments]
    assert with_files
    by_key = {m.key: m for m in as_single.items}
    for message in with_files:
        assert by_key[message.key].attachments == message.attachments[:1]


async def test_mine_missing_mode_changes_nothing(client: SmsClient, gateway: FakeGateway) -> None:
    number = gateway.largest_conversation
    normal = await client.conversation(number, limit=200)
    gateway.set_mode(mine_missing=True)
    without_mine = await client.conversation(number, limit=200)
    assert without_mine == normal


async def test_lone_surrogates_from_the_gateway_become_replacement_characters(
    client: SmsClient, gateway: FakeGateway
) -> None:
    gateway.deliver_inbound("+31 6 1234 5678", "lone \ud800 high and \udfff low")
    newest = (await client.conversation("31612345678", limit=1)).items[0]
    assert newest.text == "lone \ufffd high and \ufffd low"
    received = (await client.inbox(limit=1)).items[0]
    assert received.text == "lone \ufffd high and \ufffd low"
