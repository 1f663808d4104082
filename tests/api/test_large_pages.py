"""Big pages (the backfill asks for 2,000 items) are decoded and parsed off the event loop.

Decoding and parsing 2,000 items takes tens of milliseconds; on the event loop that time would
land on whatever key the user pressed meanwhile.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from smstui.api import client as client_module
from tests.api.conftest import ClientFactory


@pytest.mark.parametrize(
    ("limit", "off_loop"), [(2000, True), (50, False)], ids=["2000 items", "50 items"]
)
async def test_where_a_page_is_parsed(
    make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch, limit: int, off_loop: bool
) -> None:
    threads: list[str] = []
    parse = client_module.parse_inbox

    def recording(data: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return parse(data, **kwargs)

    monkeypatch.setattr(client_module, "parse_inbox", recording)
    page = await make_client().inbox(page=1, limit=limit)
    assert page.items
    main = threading.main_thread().name
    assert (threads[0] != main) is off_loop, threads


async def test_a_big_answer_is_decoded_off_the_event_loop(
    make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    interpret = client_module.interpret_reply

    def recording(*args: Any) -> Any:
        threads.append(threading.current_thread().name)
        return interpret(*args)

    monkeypatch.setattr(client_module, "interpret_reply", recording)
    # The small gateway's whole inbox is under the real threshold; the rule is what is tested.
    monkeypatch.setattr(client_module, "LARGE_REPLY_BYTES", 4096)
    client = make_client()
    await client.inbox(page=1, limit=2000)
    await client.inbox(page=1, limit=5)
    main = threading.main_thread().name
    assert [name != main for name in threads] == [True, False]
