"""Any value the gateway may send, in any field of any item: the parser and the store hold.

Property-based (Hypothesis): arbitrary JSON values — null, booleans, huge ints, floats with
inf/nan/1e300, nested lists and objects, text with lone surrogates and control characters — in
every field the parsers read, for every paginated endpoint. The parser may refuse a whole
response only with :class:`BadResponse`; otherwise every model it returns is usable, and writing
those models to a real SQLite file (the write path the sync engine uses) never raises.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smstui.api.errors import BadResponse
from smstui.api.exchange import Reply, interpret_reply
from smstui.api.fields import EARLIEST_TIME, FUTURE_SLACK
from smstui.api.parse import parse_contacts, parse_conversation, parse_inbox, parse_sent_history
from smstui.api.scheduled import ScheduledMessage, parse_outbox
from smstui.domain.models import Attachment, Contact, InboxItem, Message, Page, SentItem
from smstui.store.sqlite_store import SqliteStore

NOW = 1_796_000_000.0
"""The injected arrival time (December 2026)."""

PROPERTIES = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI never goes red by chance
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_AWKWARD_NUMBERS = st.sampled_from(
    [1e20, 1.5e300, -1e20, math.inf, -math.inf, math.nan, 10**20, 10**80, -(2**63), 2**63, 0, -1]
)
_AWKWARD_TEXT = st.text(
    # Every code point, lone surrogates and C0/C1 controls included.
    alphabet=st.characters(codec=None, exclude_categories=()),
    max_size=30,
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    _AWKWARD_NUMBERS,
    st.floats(allow_nan=True, allow_infinity=True),
    _AWKWARD_TEXT,
    st.sampled_from(["", " 1749118200 ", "05 jun 2025, 10:10:00", "2025-06-05 10:10:00",
                     "9999-12-31 23:59:59", "0001-01-01 00:00:00", "1e20", "\udcff", "\x1b[2J"]),
)  # fmt: skip
JSON_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(_AWKWARD_TEXT, inner, max_size=3)
    ),
    max_leaves=8,
)

FIELDS = {
    "conversation": ["messageId", "messageid", "direction", "mine", "sender", "receiver",
                     "message", "file", "datetime", "unixDatetime", "deliveryStatus",
                     "reference", "refence"],
    "inbox": ["ID", "id", "sender", "receiver", "message", "type", "date"],
    "sent": ["ID", "id", "message_ID", "messageid", "messageId", "message", "to", "sender",
             "date", "type", "status"],
    "contacts": ["ID", "id", "phone", "firstname", "lastname"],
    "outbox": ["ID", "id", "to", "message", "date", "reference", "refence", "messageid"],
}  # fmt: skip
"""Every key each endpoint's item parser reads."""

PARSERS: dict[str, tuple[str, Callable[..., Page[Any]]]] = {
    "conversation": ("conversation", lambda d: parse_conversation(d, now=NOW)),
    "inbox": ("messages", lambda d: parse_inbox(d, now=NOW)),
    "sent": ("messages", lambda d: parse_sent_history(d, now=NOW)),
    "contacts": ("contacts", parse_contacts),
    "outbox": ("messages", lambda d: parse_outbox(d, page=1, limit=50)),
}


def items_for(endpoint: str) -> st.SearchStrategy[Any]:
    """One item: an object with any subset of the endpoint's keys (any values), or junk."""
    keys = FIELDS[endpoint]
    item = st.fixed_dictionaries({}, optional=dict.fromkeys(keys, JSON_VALUES))
    attachment = st.fixed_dictionaries(
        {}, optional=dict.fromkeys(("name", "image", "url", "mime"), JSON_VALUES)
    )
    if endpoint == "conversation":
        with_files = st.builds(
            lambda base, files: {**base, "file": files},
            item,
            st.one_of(attachment, st.lists(st.one_of(attachment, JSON_VALUES), max_size=3)),
        )
        item = st.one_of(item, with_files)
    return st.one_of(item, item, item, JSON_VALUES)


def envelopes(endpoint: str) -> st.SearchStrategy[Any]:
    list_key = PARSERS[endpoint][0]
    envelope = st.fixed_dictionaries(
        {list_key: st.lists(items_for(endpoint), max_size=6)},
        optional=dict.fromkeys(("total", "page", "limit", "shown"), JSON_VALUES),
    )
    return st.one_of(envelope, envelope, envelope, JSON_VALUES)


def _sound_text(text: str) -> bool:
    text.encode("utf-8")  # no lone surrogate: it would fail here
    return "\x1b" not in text and "\x9b" not in text


def assert_usable(model: object) -> None:
    """Every field of a parsed model has its declared type and a value the app can use."""
    for name in getattr(model, "__slots__", ()):
        value = getattr(model, name)
        if isinstance(value, str):
            assert _sound_text(value), (name, value)
    if isinstance(model, Message):
        assert isinstance(model.timestamp, int)
        assert EARLIEST_TIME <= model.timestamp <= NOW + FUTURE_SLACK
        assert model.key.startswith(("id:", "h:"))
        assert all(isinstance(a, Attachment) for a in model.attachments)
        for attachment in model.attachments:
            assert_usable(attachment)
    if isinstance(model, InboxItem | SentItem):
        assert model.timestamp is None or EARLIEST_TIME <= model.timestamp <= NOW + FUTURE_SLACK


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    store = SqliteStore.open(tmp_path_factory.mktemp("store") / "messages.sqlite3")
    yield store
    store.close()


def store_page(store: SqliteStore, endpoint: str, page: Page[Any]) -> None:
    """Write a page as the sync engine does (the same store methods, a real SQLite file)."""
    items = list(page.items)
    if endpoint == "conversation":
        store.add_messages("48500000001", items)
    elif endpoint == "inbox":
        store.add_inbox_items(items)
    elif endpoint == "sent":
        store.add_sent_items(items)
    elif endpoint == "contacts":
        store.set_contacts(items)
    store.conversations()  # and reading it all back works too


@pytest.mark.parametrize("endpoint", sorted(FIELDS))
def test_any_value_in_any_field_gives_usable_models_or_bad_response(
    endpoint: str, disk_store: SqliteStore
) -> None:
    parse = PARSERS[endpoint][1]
    kinds = {
        "conversation": Message,
        "inbox": InboxItem,
        "sent": SentItem,
        "contacts": Contact,
        "outbox": ScheduledMessage,
    }

    @PROPERTIES
    @given(data=envelopes(endpoint))
    def check(data: Any) -> None:
        try:
            page = parse(data)
        except BadResponse:
            assert not isinstance(data, dict) or not isinstance(
                data.get(PARSERS[endpoint][0]), list | None
            )
            return
        assert isinstance(page.skipped, int)
        assert page.skipped >= 0
        for model in page.items:
            assert isinstance(model, kinds[endpoint])
            assert_usable(model)
        store_page(disk_store, endpoint, page)

    check()


@PROPERTIES
@given(
    texts=st.lists(st.binary(min_size=1, max_size=8), min_size=1, max_size=4),
    bad_time=_AWKWARD_NUMBERS,
)
def test_bytes_that_are_not_utf8_cost_no_page(texts: list[bytes], bad_time: object) -> None:
    """Each message's text holds arbitrary bytes (mostly not UTF-8) inside its JSON string."""
    items = []
    for number, raw in enumerate(texts):
        escaped = raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"')
        escaped = bytes(b if b >= 0x20 else 0x3F for b in escaped)
        items.append(
            b'{"ID": "%d", "sender": "48500", "message": "%s", "date": "2025-06-05 10:10:00"}'
            % (number, escaped)
        )
    body = b'{"total": %d, "messages": [%s]}' % (len(items), b", ".join(items))
    decoded = interpret_reply(Reply(200, _headers(), body), NOW)
    page = parse_inbox(decoded, now=NOW)
    assert [item.id for item in page.items] == [str(n) for n in range(len(texts))]
    for item in page.items:
        assert_usable(item)
    # And a conversation message with a time no one can store, beside a good one.
    conversation = json.dumps(
        {"conversation": [{"message": "bad", "unixDatetime": 1}, {"message": "good"}]}
    ).replace('"unixDatetime": 1', f'"unixDatetime": {_json_number(bad_time)}')
    thread = parse_conversation(
        interpret_reply(Reply(200, _headers(), conversation.encode()), NOW), now=NOW
    )
    assert [m.text for m in thread.items] == ["bad", "good"]
    assert thread.items[0].time_guessed


def _json_number(value: object) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "1e999" if value > 0 else "-1e999"  # what a gateway would write: inf on read
    return repr(value) if isinstance(value, float) else str(value)


def _headers() -> Any:
    import httpx

    return httpx.Headers({"Content-Type": "application/json"})


def test_a_time_no_one_can_store_falls_back_to_the_datetime_text(tmp_path: Path) -> None:
    """The record from the report: ``unixDatetime`` 1e20 used to stop the app at every start."""
    page = parse_conversation(
        {
            "conversation": [
                {"message": "one", "unixDatetime": 1e20, "datetime": "05 jun 2025, 10:10:00"},
                {"message": "two", "unixDatetime": 1.5e300},
                {"message": "three", "unixDatetime": 1749118260},
            ]
        },
        now=NOW,
    )
    one, two, three = page.items
    assert (one.timestamp, one.time_guessed) == (1749118200, True)
    assert (two.timestamp, two.time_guessed) == (int(NOW), True)
    assert (three.timestamp, three.time_guessed) == (1749118260, False)
    store = SqliteStore.open(tmp_path / "messages.sqlite3")
    try:
        assert len(store.add_messages("48500", list(page.items))) == 3
        assert sorted(m.text for m in store.messages("48500")) == ["one", "three", "two"]
    finally:
        store.close()
    # Fetched again a minute later, the message without a time keeps its key: no duplicate.
    again = parse_conversation({"conversation": [{"message": "two", "unixDatetime": 1.5e300}]},
                               now=NOW + 60)  # fmt: skip
    assert again.items[0].key == two.key
