"""A conversation's stored number of ours is never the gateway's placeholder "Sender"."""

from __future__ import annotations

from dataclasses import replace

from smstui.store import MessageStore
from tests.store.helpers import OUR, THEIRS, inbox_item, sent_item


def test_our_newest_message_naming_no_number_keeps_the_one_known(store: MessageStore) -> None:
    store.add_inbox_items([inbox_item("Hello", 100)])
    store.add_sent_items([replace(sent_item("Reply", 200, message_id="m1"), sender="Sender")])
    summary = store.conversation(THEIRS)
    assert summary is not None
    assert summary.last_outbound
    assert summary.own_number == OUR
