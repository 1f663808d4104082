"""``smstui send`` and the app's Enter take the same path: a pending outbox entry in the store
before the one POST. A real ``python -m smstui send`` is killed during its POST (held by the fake
gateway) and another process finds the pending entry; the app's entry has the same fields."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from smstui.domain.outbox import OUTCOME_UNKNOWN, SENDING, Outbox
from smstui.domain.phones import conversation_key
from smstui.fake import FakeGateway
from smstui.store.outbox_file import OutboxFile
from tests.app.compose_helpers import (
    account_state,
    start,
    stored_outbox,
    type_and_send,
    wait_for,
)
from tests.app_fixtures import SECRET, STANDARD, MakeApp, settle

# Fields that differ between any two sends by nature (identity, time, what was already there).
PER_SEND = {"key", "reference", "created", "known"}


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    """Wait (without the event loop) until ``condition()`` holds."""
    deadline = time.monotonic() + seconds
    tick = threading.Event()
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        tick.wait(0.02)


@contextmanager
def cli_send(gw: FakeGateway, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """``python -m smstui send ARGS`` as its own process, on the test's account and store."""
    env = dict(
        os.environ,
        SMSTOOLS_CLIENT_ID="test-client",
        SMSTOOLS_CLIENT_SECRET=SECRET,
        SMSTOOLS_BASE_URL=gw.url,
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "smstui", "send", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=60)


def pending(gw: FakeGateway, text: str) -> list[dict[str, Any]]:
    """The outbox entries with this text, as another process reads them from the store."""
    return [entry for entry in stored_outbox(gw).values() if entry["text"] == text]


def test_a_send_killed_during_its_post_leaves_a_pending_entry(fresh_gateway: FakeGateway) -> None:
    """The entry is in the store before the POST: a SIGKILL mid-POST leaves it for the app."""
    fresh_gateway.add_fault("hold", "/message/send", times=0)
    with cli_send(fresh_gateway, "+48 512 345 678", "Killed on the way") as child:
        wait_until(lambda: fresh_gateway.held == 1, "the POST to reach the gateway")
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    [entry] = pending(fresh_gateway, "Killed on the way")
    assert entry["status"] == SENDING
    assert entry["to"] == "48512345678"
    assert entry["conversation"] == conversation_key("48512345678")
    # The app reads it back as "not confirmed" and looks for it at the gateway.
    with account_state(fresh_gateway) as state:
        [restored] = [
            item for item in Outbox(OutboxFile(state)).restore() if item.text == "Killed on the way"
        ]
    assert restored.status == OUTCOME_UNKNOWN
    fresh_gateway.release()


async def test_the_app_and_the_command_record_the_same_entry(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Enter in the app and ``smstui send`` to the same conversation: the same entry fields."""
    fresh_gateway.add_fault("hold", "/message/send", times=0)
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        summary = inbox.session.summary(inbox.thread.key)
        assert summary is not None
        number = summary.number
        await type_and_send(pilot, "Same path")
        await wait_for(pilot, lambda: fresh_gateway.held == 1, what="the app's POST")
        [from_app] = pending(fresh_gateway, "Same path")
        fresh_gateway.release()
        await wait_for(pilot, lambda: not pending(fresh_gateway, "Same path"), what="the answer")
        await settle(pilot)
    with cli_send(fresh_gateway, number, "Same path") as child:
        wait_until(lambda: fresh_gateway.held == 1, "the command's POST")
        [from_command] = pending(fresh_gateway, "Same path")
        fresh_gateway.release()
        child.wait(timeout=60)
    assert child.returncode == 0
    assert from_app.keys() == from_command.keys()
    same = {name: value for name, value in from_app.items() if name not in PER_SEND}
    assert same == {name: from_command[name] for name in same}
    assert same["status"] == SENDING
    assert same["sender"] == summary.own_number  # both reply from the conversation's number
    assert not pending(fresh_gateway, "Same path"), "confirmed: the command left nothing"
