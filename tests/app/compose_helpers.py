"""Helpers shared by the compose/send and live-update flow tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from smstui.api.client import SmsClient
from smstui.domain.models import Message
from smstui.fake import FakeGateway
from smstui.store.location import StoreLocation
from smstui.store.own_state import state_backend
from smstui.store.personal import DRAFTS, OUTBOX, READ_BASELINE, StateBackend
from smstui.store.read_state import ReadState
from smstui.system import paths
from smstui.system.secret import Credentials, Secret
from smstui.ui.app import SmsApp
from smstui.ui.screens.inbox import InboxScreen
from tests.app_fixtures import SECRET, screen_text, settle


def store_file(gw: FakeGateway) -> Path:
    """The test account's SQLite store file (in the test's XDG data directory)."""
    return StoreLocation.for_account("test-client", gw.url, paths.data_dir()).path


@contextmanager
def account_state(gw: FakeGateway, client_id: str = "test-client") -> Iterator[StateBackend]:
    """The test account's drafts, outbox … in its store file, opened as another process would."""
    location = StoreLocation.for_account(client_id, gw.url, paths.data_dir())
    backend = state_backend(location)
    try:
        yield backend
    finally:
        backend.close()


def stored_outbox(gw: FakeGateway) -> dict[str, dict[str, Any]]:
    """The account's outbox as another process reads it now (bubble key → entry)."""
    with account_state(gw) as state:
        return state.entries(OUTBOX).entries


def stored_drafts(gw: FakeGateway) -> dict[str, str]:
    """The account's drafts as another process reads them now (conversation key → text)."""
    with account_state(gw) as state:
        return state.entries(DRAFTS).entries


def inbox_of(app: SmsApp) -> InboxScreen:
    """The inbox screen (fails when another screen is on top)."""
    assert isinstance(app.screen, InboxScreen), type(app.screen)
    return app.screen


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], bool], seconds: float = 20.0, what: str = ""
) -> None:
    """Let the app run until ``condition()`` holds; fail with the screen when it never does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}:\n{screen_text(pilot.app)}")
        await pilot.pause(0.05)


def pane_text(app: SmsApp) -> str:
    """What the message pane shows right now."""
    pane = inbox_of(app).message_pane
    return "\n".join(pane.render_line(y).text for y in range(pane.size.height))


def pane_words(app: SmsApp) -> str:
    """The message pane's text on one line (wrapped lines joined, cursor bars dropped)."""
    return " ".join(pane_text(app).replace("▐", " ").replace("▌", " ").split())


def thread_message(app: SmsApp, text: str) -> Message:
    """The loaded message of the open conversation with this text (the newest one)."""
    thread = inbox_of(app).thread
    assert thread is not None
    found = [m for m in thread.messages if m.text == text]
    assert found, f"{text!r} not in the open conversation"
    return found[-1]


async def type_and_send(pilot: Pilot[Any], text: str) -> None:
    """Focus the composer, type ``text`` (inserted at once) and press Enter."""
    composer = inbox_of(pilot.app).composer  # type: ignore[arg-type]
    composer.text_area.focus()
    composer.text_area.insert(text)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def gateway_messages(gw: FakeGateway, number: str, limit: int = 20) -> list[Message]:
    """The newest messages of a conversation as the gateway lists them (newest first)."""
    credentials = Credentials("test-client", Secret(SECRET), source="test")
    async with SmsClient(gw.url, credentials) as client:
        page = await client.conversation(number, page=1, limit=limit)
    return list(page.items)


def used_gateways(request: pytest.FixtureRequest) -> list[FakeGateway]:
    """The fake gateways a test uses (each is an account with a store of its own)."""
    names = [name for name in request.fixturenames if name.endswith("gateway")]
    found = [request.getfixturevalue(name) for name in names]
    return [gw for gw in found if isinstance(gw, FakeGateway)]


def seed_read_state(baseline: int, *gateways: FakeGateway, client_id: str = "test-client") -> None:
    """Start the read state as if smstui had first run at ``baseline`` (earlier = more unread).

    Written into the account's store of each gateway the test's apps will use, as that first
    run would have (a baseline already there is replaced).
    """
    assert gateways, "name the gateways whose accounts to seed (each has its own store)"
    for gw in gateways:
        with account_state(gw, client_id) as state:
            state.merge(READ_BASELINE, "baseline", lambda _stored: None)
            ReadState(state, now=baseline).load()


async def start(pilot: Pilot[Any]) -> InboxScreen:
    """Let start-up finish; return the inbox."""
    await settle(pilot)
    return inbox_of(pilot.app)  # type: ignore[arg-type]
