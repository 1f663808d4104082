"""Parsing gateway JSON into models: the vendor's own examples and the shapes they disagree on."""

from __future__ import annotations

import json

import pytest

from smstui.api.errors import BadResponse
from smstui.api.parse import (
    message_key,
    parse_account,
    parse_balance,
    parse_contacts,
    parse_conversation,
    parse_conversation_datetime,
    parse_error_body,
    parse_inbox,
    parse_own_numbers,
    parse_send_result,
    parse_sender_ids,
    parse_sent_history,
)
from smstui.domain.models import Attachment

# The vendor's examples, verbatim from SMSTOOLS_API.md §4.2, §4.3 and §4.6.
CONVERSATION_EXAMPLE = """
{
  "total": 3,
  "shown": 3,
  "page": 1,
  "limit": 50,
  "conversation": [
    {
      "messageId": "ywb3wkh5dnsipzz5fk2z9ri19r0wyo",
      "direction": "outbound",
      "mine": true,
      "sender": "32460123456",
      "receiver": "32470123456",
      "message": "Thanks, see you tomorrow at 10.",
      "file": null,
      "datetime": "05 jun 2025, 10:10:00",
      "unixDatetime": 1749118200,
      "deliveryStatus": "DELIVERED"
    },
    {
      "messageId": null,
      "direction": "inbound",
      "mine": false,
      "sender": "32470123456",
      "receiver": "32460123456",
      "message": "Here is the photo of the invoice",
      "file": [
        { "name": "invoice.jpg", "image": "https://files.example.invalid/abc/invoice.jpg", "mime": "image/jpeg" }
      ],
      "datetime": "28 may 2025, 11:17:00",
      "unixDatetime": 1748431020,
      "deliveryStatus": "DELIVERED"
    },
    {
      "messageId": "5v2seh60kvj50ce9uvw53efr4edt2s",
      "direction": "outbound",
      "mine": true,
      "sender": "32460123456",
      "receiver": "32470123456",
      "message": "Could you send me the invoice?",
      "file": null,
      "datetime": "27 may 2025, 16:02:11",
      "unixDatetime": 1748361731,
      "deliveryStatus": "SUBMITTED"
    }
  ]
}
"""  # noqa: E501

INBOX_EXAMPLE = """
{
  "total": 2,
  "shown": 2,
  "page": 1,
  "limit": 1000,
  "messages": [
    { "ID": "90412", "message": "Is the shop open on Sunday?", "sender": "31612345678",
      "type": "sms", "date": "2025-06-05 10:12:44", "receiver": "32460123456" },
    { "ID": "90398", "message": "Here is the photo of the invoice", "sender": "32470123456",
      "type": "sms", "date": "2025-05-28 11:17:00", "receiver": "32460123456" }
  ]
}
"""

HISTORY_EXAMPLE = """
{
  "total": 1, "shown": 1, "page": 1, "limit": 100,
  "messages": [
    { "ID": "20480113", "message_ID": "5v2seh60kvj50ce9uvw53efr4edt2s", "message": "Could you send me the invoice?",
      "to": "32470123456", "sender": "32460123456", "date": "2025-05-27 16:02:11",
      "amount": "1", "type": "single", "status": "DELIVERED" }
  ]
}
"""  # noqa: E501


def one_message(**fields: object) -> dict[str, object]:
    """A conversation page holding one message with the given fields."""
    return {"total": 1, "shown": 1, "page": 1, "limit": 50, "conversation": [fields]}


class TestConversation:
    def test_vendor_example_keeps_api_order_and_reads_every_field(self) -> None:
        page = parse_conversation(json.loads(CONVERSATION_EXAMPLE))

        assert [m.text for m in page.items] == [
            "Thanks, see you tomorrow at 10.",
            "Here is the photo of the invoice",
            "Could you send me the invoice?",
        ]
        first, second, third = page.items
        assert first.key == "id:ywb3wkh5dnsipzz5fk2z9ri19r0wyo"
        assert first.message_id == "ywb3wkh5dnsipzz5fk2z9ri19r0wyo"
        assert first.outbound is True
        assert (first.sender, first.receiver) == ("32460123456", "32470123456")
        assert first.timestamp == 1749118200
        assert first.status == "DELIVERED"
        assert first.attachments == ()
        assert second.message_id is None
        assert second.outbound is False
        assert second.key.startswith("h:")
        assert second.attachments == (
            Attachment(
                name="invoice.jpg",
                url="https://files.example.invalid/abc/invoice.jpg",
                mime="image/jpeg",
            ),
        )
        assert third.status == "SUBMITTED"
        assert (page.total, page.page, page.limit) == (3, 1, 50)
        assert page.is_last

    def test_the_datetime_string_of_the_vendor_example_matches_its_epoch(self) -> None:
        assert parse_conversation_datetime("05 jun 2025, 10:10:00") == 1749118200
        assert parse_conversation_datetime("28 MAY 2025, 11:17:00") == 1748431020
        assert parse_conversation_datetime("yesterday") is None

    def test_missing_unix_datetime_falls_back_to_the_datetime_string(self) -> None:
        page = parse_conversation(
            one_message(direction="inbound", datetime="27 May 2025, 16:02:11")
        )
        assert page.items[0].timestamp == 1748361731

    def test_unix_datetime_as_numeric_string(self) -> None:
        page = parse_conversation(one_message(unixDatetime=" 1749118200 "))
        assert page.items[0].timestamp == 1749118200

    def test_no_time_at_all_gives_the_arrival_time_marked(self) -> None:
        page = parse_conversation(
            one_message(unixDatetime="soon", datetime=None), now=1_790_000_000
        )
        assert page.items[0].timestamp == 1_790_000_000
        assert page.items[0].time_guessed

    def test_file_as_a_single_object(self) -> None:
        page = parse_conversation(
            one_message(
                file={"name": "a.png", "image": "https://x.invalid/a.png", "mime": "image/"}
            )
        )
        assert page.items[0].attachments == (
            Attachment(name="a.png", url="https://x.invalid/a.png", mime="image/"),
        )

    @pytest.mark.parametrize("garbage", [None, "a.png", 3, True, [], [None, 1, "x", []]])
    def test_file_garbage_gives_no_attachments(self, garbage: object) -> None:
        page = parse_conversation(one_message(message="hi", file=garbage))
        assert page.items[0].attachments == ()
        assert page.items[0].text == "hi"

    def test_file_list_skips_entries_that_are_not_objects(self) -> None:
        good = {"name": "b.pdf", "image": "https://x.invalid/b.pdf", "mime": "application/pdf"}
        page = parse_conversation(one_message(file=["junk", None, good, 7]))
        assert [a.name for a in page.items[0].attachments] == ["b.pdf"]

    def test_mine_missing_uses_direction(self) -> None:
        page = parse_conversation(
            {"conversation": [{"direction": "outbound"}, {"direction": "INBOUND"}]}
        )
        assert [m.outbound for m in page.items] == [True, False]

    def test_direction_missing_falls_back_to_mine(self) -> None:
        page = parse_conversation({"conversation": [{"mine": True}, {"mine": False}]})
        assert [m.outbound for m in page.items] == [True, False]

    def test_both_missing_guesses_from_the_message_id(self) -> None:
        page = parse_conversation({"conversation": [{"messageId": "abc"}, {"messageId": None}]})
        assert [m.outbound for m in page.items] == [True, False]

    def test_ids_given_as_ints_become_strings(self) -> None:
        page = parse_conversation(one_message(messageId=12345, direction="outbound"))
        assert page.items[0].message_id == "12345"
        assert page.items[0].key == "id:12345"

    def test_status_is_upper_cased_and_missing_status_is_empty(self) -> None:
        page = parse_conversation({"conversation": [{"deliveryStatus": "not delivered"}, {}]})
        assert [m.status for m in page.items] == ["NOT DELIVERED", ""]

    def test_numbers_are_normalised_and_alphanumeric_senders_kept(self) -> None:
        page = parse_conversation(
            {
                "conversation": [
                    {
                        "direction": "inbound",
                        "sender": "+32 470 12 34 56",
                        "receiver": "0032460123456",
                    },
                    {"direction": "inbound", "sender": "MyShop", "receiver": 32460123456},
                ]
            }
        )
        assert [(m.sender, m.receiver) for m in page.items] == [
            ("32470123456", "32460123456"),
            ("MyShop", "32460123456"),
        ]

    def test_text_fields_are_sanitised(self) -> None:
        page = parse_conversation(
            one_message(
                message="hi\x1b[2J there\x1b]52;c;AAAA\x07",
                sender="Evil\u202eShop",
                file=[{"name": "a\x1b[31m.png", "image": "https://x.invalid/\x1b[0m", "mime": "x"}],
            )
        )
        message = page.items[0]
        assert "\x1b" not in message.text
        assert message.text.startswith("hi")
        assert "\u202e" not in message.sender
        assert "\x1b" not in message.attachments[0].name
        assert "\x1b" not in message.attachments[0].url

    def test_unknown_keys_are_ignored_and_all_fields_optional(self) -> None:
        page = parse_conversation(
            {"conversation": [{"surprise": {"deep": [1, 2]}}]}, now=1_790_000_000
        )
        message = page.items[0]
        assert (message.text, message.sender, message.status) == ("", "", "")
        assert (message.timestamp, message.time_guessed) == (1_790_000_000, True)

    def test_items_that_are_not_objects_are_skipped(self) -> None:
        page = parse_conversation({"conversation": [None, "x", {"message": "kept"}]})
        assert [m.text for m in page.items] == ["kept"]
        assert page.skipped == 2

    @pytest.mark.parametrize(
        "data", [[], "conversation", 3, None, {"conversation": "x"}, {"conversation": {"a": 1}}]
    )
    def test_wrong_shapes_raise_bad_response(self, data: object) -> None:
        with pytest.raises(BadResponse) as raised:
            parse_conversation(data)
        assert "\n" not in raised.value.user_message

    def test_missing_list_is_an_empty_last_page(self) -> None:
        page = parse_conversation({"total": 0, "page": 1, "limit": 50})
        assert page.items == ()
        assert page.is_last

    def test_envelope_numbers_as_strings_and_defaults_from_the_request(self) -> None:
        items = [{"message": str(n)} for n in range(10)]
        page = parse_conversation(
            {"total": "25", "page": "2", "limit": "10", "conversation": items}, page=9, limit=99
        )
        assert (page.total, page.page, page.limit, page.is_last) == (25, 2, 10, False)
        page = parse_conversation({"conversation": items}, page=3, limit=10)
        assert (page.page, page.limit, page.is_last) == (3, 10, False)
        page = parse_conversation({"conversation": items[:4]}, page=3, limit=10)
        assert page.is_last


class TestMessageKey:
    def test_key_is_stable_and_depends_on_content(self) -> None:
        a = message_key(None, False, "32470123456", "32460123456", 1, "hi")
        assert a == message_key(None, False, "32470123456", "32460123456", 1, "hi")
        assert a != message_key(None, False, "32470123456", "32460123456", 1, "hi!")
        assert a != message_key(None, True, "32470123456", "32460123456", 1, "hi")
        assert a != message_key(None, False, "32470123456", "32460123456", 2, "hi")
        assert a.startswith("h:")
        assert len(a) <= 20

    def test_mine_missing_gives_the_same_key_as_mine_present(self) -> None:
        with_mine = parse_conversation(json.loads(CONVERSATION_EXAMPLE))
        stripped = json.loads(CONVERSATION_EXAMPLE)
        for item in stripped["conversation"]:
            del item["mine"]
        without_mine = parse_conversation(stripped)
        assert [m.key for m in with_mine.items] == [m.key for m in without_mine.items]
        assert with_mine.items == without_mine.items


class TestInbox:
    def test_vendor_example(self) -> None:
        page = parse_inbox(json.loads(INBOX_EXAMPLE))
        first, second = page.items
        assert first.id == "90412"
        assert first.sender == "31612345678"
        assert first.receiver == "32460123456"
        assert first.text == "Is the shop open on Sunday?"
        assert first.type == "sms"
        assert first.date == "2025-06-05 10:12:44"
        assert first.timestamp == 1749118364
        assert second.timestamp == 1748431020
        assert (page.total, page.limit, page.is_last) == (2, 1000, True)

    def test_one_inbox_has_no_receiver_and_int_ids(self) -> None:
        page = parse_inbox({"messages": [{"ID": 7, "sender": "+48 512 345 678", "date": "bad"}]})
        item = page.items[0]
        assert (item.id, item.sender, item.receiver, item.timestamp) == (
            "7",
            "48512345678",
            "",
            None,
        )


class TestHistory:
    def test_vendor_example(self) -> None:
        page = parse_sent_history(json.loads(HISTORY_EXAMPLE))
        (row,) = page.items
        assert row.id == "20480113"
        assert row.message_id == "5v2seh60kvj50ce9uvw53efr4edt2s"
        assert row.text == "Could you send me the invoice?"
        assert (row.to, row.sender) == ("32470123456", "32460123456")
        assert row.timestamp == 1748361731
        assert (row.type, row.status) == ("single", "DELIVERED")

    def test_status_upper_cased_and_missing_fields(self) -> None:
        (row,) = parse_sent_history({"messages": [{"status": "delivered"}]}).items
        assert (row.status, row.message_id, row.to, row.timestamp) == ("DELIVERED", "", "", None)


class TestContacts:
    def test_contacts_are_normalised(self) -> None:
        page = parse_contacts(
            {
                "total": 1,
                "page": 1,
                "limit": 500,
                "contacts": [
                    {"ID": 3, "phone": "+32 470 12 34 56", "firstname": "Ann", "lastname": None}
                ],
            }
        )
        (contact,) = page.items
        assert (contact.id, contact.phone, contact.display_name) == ("3", "32470123456", "Ann")


class TestAccountLevel:
    def test_own_numbers(self) -> None:
        numbers = parse_own_numbers([{"ID": "17", "number": "32460123456", "countrycode": "BE"}])
        assert [(n.id, n.number, n.country) for n in numbers] == [("17", "32460123456", "BE")]

    def test_sender_ids(self) -> None:
        senders = parse_sender_ids([{"ID": 3, "name": "MyShop", "order": "1"}, "junk"])
        assert [(s.id, s.name) for s in senders] == [("3", "MyShop")]

    @pytest.mark.parametrize("data", [{"vmn": []}, "x", None])
    def test_lists_of_the_wrong_shape(self, data: object) -> None:
        with pytest.raises(BadResponse):
            parse_own_numbers(data)
        with pytest.raises(BadResponse):
            parse_sender_ids(data)

    @pytest.mark.parametrize(
        ("data", "amount", "currency"),
        [
            ({"credits": "42.50", "currency": "EUR"}, "42.50", "EUR"),
            ({"balance": "42.50", "currency": "EUR"}, "42.50", "EUR"),
            ({"credit": 12.5}, "12.5", ""),
            ({"credits": 40}, "40", ""),
            ({"credits": None, "balance": "3"}, "3", ""),
            ({"use": 1}, "", ""),
        ],
    )
    def test_balance(self, data: object, amount: str, currency: str) -> None:
        balance = parse_balance(data)
        assert (balance.amount, balance.currency) == (amount, currency)

    def test_balance_as_a_list_is_bad(self) -> None:
        with pytest.raises(BadResponse):
            parse_balance([{"credits": "1"}])

    @pytest.mark.parametrize(
        ("data", "username"),
        [
            ({"username": "demo"}, "demo"),
            ("demo", "demo"),
            ({"account": {"username": "nested"}}, "nested"),
            ({"email": "a@b.invalid"}, "a@b.invalid"),
            ({"ok": True}, ""),
        ],
    )
    def test_account(self, data: object, username: str) -> None:
        assert parse_account(data).username == username

    def test_recorded_real_send_response(self) -> None:
        result = parse_send_result({"messageid": "e0ncuxht345hjmbjvv2feky0azflcw"})
        assert result.message_ids == ("e0ncuxht345hjmbjvv2feky0azflcw",)

    def test_send_to_several(self) -> None:
        result = parse_send_result(
            {"messageids": ["s0j8ht9lgmxg9edn581u33xtplpft7", "5v2seh60kvj50ce9uvw53efr4edt2s"]}
        )
        assert result.message_ids == (
            "s0j8ht9lgmxg9edn581u33xtplpft7",
            "5v2seh60kvj50ce9uvw53efr4edt2s",
        )

    def test_send_extra_keys_and_missing_ids(self) -> None:
        assert parse_send_result({"messageid": 77, "cost": 1}).message_ids == ("77",)
        assert parse_send_result({"status": "ok"}).message_ids == ()

    def test_send_answer_that_is_not_an_object(self) -> None:
        with pytest.raises(BadResponse):
            parse_send_result(["e0ncuxht345hjmbjvv2feky0azflcw"])


class TestErrorBody:
    @pytest.mark.parametrize(
        ("data", "code", "text", "detail"),
        [
            ({"error": "108", "errorMsg": "Not enough credits"}, 108, "", "Not enough credits"),
            ({"error": 104}, 104, "", ""),
            ({"error": " 139 ", "errorMsg": "to: bad"}, 139, "", "to: bad"),
            (
                {"error": "The JSON body could not be parsed"},
                None,
                "The JSON body could not be parsed",
                "",
            ),
            ({"error": True}, None, "", ""),
        ],
    )
    def test_error_shapes(self, data: object, code: int | None, text: str, detail: str) -> None:
        body = parse_error_body(data)
        assert body is not None
        assert (body.code, body.text, body.detail) == (code, text, detail)

    @pytest.mark.parametrize(
        "data", [{"messageid": "x"}, {"error": None}, {"error": ""}, {"error": False}, [1], "error"]
    )
    def test_no_error(self, data: object) -> None:
        assert parse_error_body(data) is None

    def test_error_text_is_sanitised(self) -> None:
        body = parse_error_body({"error": "bad\x1b[2Jthing", "errorMsg": "x\x1b]8;;http://e\x07y"})
        assert body is not None
        assert "\x1b" not in body.text
        assert "\x1b" not in body.detail
