"""Which of our numbers a conversation runs on and our message went out from: one rule
(``conversation_number``, ``sent_from``) for the app and the commands, never the gateway's
placeholder "Sender"."""

from __future__ import annotations

from dataclasses import replace

import pytest

from smstui.domain.conversations import ConversationIndex
from smstui.domain.models import Page, SentItem
from smstui.domain.phones import conversation_number, sent_from
from tests.store.helpers import OUR, THEIRS, inbox_item, sent_item

OTHER = "48732104455"


@pytest.mark.parametrize("sender", ["Sender", "sender", "SENDER", "", "  ", "123", "0470123456"])
def test_no_number_of_ours_is_the_conversations_number(sender: str) -> None:
    assert sent_from(sender, OUR) == OUR
    assert sent_from(sender, "Sender", [OTHER]) == OTHER  # our only number
    assert sent_from(sender, "", [OUR, OTHER]) == ""  # which one cannot be told


def test_a_real_number_or_a_sender_name_is_kept() -> None:
    assert sent_from("+48 732 104 455", OUR) == OTHER
    assert sent_from("SmsShop", OUR) == "SmsShop"  # what the recipient saw


@pytest.mark.parametrize("own", ["Sender", "MyShop", "123", ""])
def test_a_conversation_never_runs_on_a_placeholder(own: str) -> None:
    assert conversation_number(own) == ""
    assert conversation_number(own, [OUR]) == OUR
    assert conversation_number("+32 460 12 34 56", [OTHER]) == OUR


def sent_as_placeholder(text: str, ts: int, message_id: str) -> SentItem:
    return replace(sent_item(text, ts, message_id=message_id), sender="Sender")


def test_the_list_learns_our_number_from_an_older_received_message() -> None:
    """A newer message of ours named "Sender" comes first: the older received one names it."""
    index = ConversationIndex()
    index.add_sent_page(Page((sent_as_placeholder("Reply", 200, "m1"),), 1, 1, 50))
    index.add_inbox_page(Page((inbox_item("Hello", 100),), 1, 1, 50))
    summary = index.get(THEIRS)
    assert summary is not None
    assert summary.own_number == OUR
