"""Fixtures for whole-app tests (loaded by tests/conftest.py): the fake gateway and an app."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from smstui.api.client import SmsClient
from smstui.fake import FakeGateway
from smstui.system.clock import FixedClock
from smstui.system.config import Settings
from smstui.system.opener import Environment, detect_environment
from smstui.system.secret import Credentials, Secret
from smstui.ui.app import SmsApp, build_app

ANCHOR = 1795780800
"""2026-11-27 12:00 UTC: "now" in the fake data and on the app's clock."""

SECRET = "s3cr3t-test-value-0123456789"
STANDARD, NARROW = (100, 30), (60, 20)


FILES_ORIGIN = "https://media.smsgateway.example"
"""Attachment links point here in module-wide gateways, so no port number reaches a snapshot."""


@pytest.fixture(scope="module")
def gateway() -> Iterator[FakeGateway]:
    """A small, deterministic fake gateway shared by a test module."""
    with FakeGateway(
        client_id="test-client",
        client_secret=SECRET,
        seed=7,
        scale="small",
        anchor=ANCHOR,
        files_origin=FILES_ORIGIN,
        clock=FixedClock(ANCHOR),
    ) as gw:
        yield gw


@pytest.fixture
def fresh_gateway() -> Iterator[FakeGateway]:
    """A gateway of the test's own, for tests that change its data or switch faults on."""
    with FakeGateway(
        client_id="test-client",
        client_secret=SECRET,
        seed=7,
        scale="small",
        anchor=ANCHOR,
        clock=FixedClock(ANCHOR),
    ) as gw:
        yield gw


class PopenRecorder:
    """Stands in for ``subprocess.Popen``: records what would have been launched."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], dict[str, Any]]] = []

    def __call__(self, argv: list[str], **kwargs: Any) -> object:
        self.calls.append((list(argv), kwargs))
        return object()


@pytest.fixture
def popen() -> PopenRecorder:
    """A recorder passed to the app in place of ``subprocess.Popen``."""
    return PopenRecorder()


def desktop() -> Environment:
    """A local desktop session."""
    return detect_environment({"DISPLAY": ":0"}, "linux")


def ssh() -> Environment:
    """An SSH session on a headless server."""
    return detect_environment({"SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22"}, "linux")


MakeApp = Callable[..., SmsApp]


@pytest.fixture
def make_app(gateway: FakeGateway, popen: PopenRecorder) -> MakeApp:
    """Build an app as a user gets it, pointed at the module's gateway with a fixed clock."""

    def make(
        gw: FakeGateway | None = None,
        *,
        credentials: Credentials | bool | None = True,
        environment: Environment | None = None,
        client_factory: Callable[[Credentials], SmsClient] | None = None,
        **settings: Any,
    ) -> SmsApp:
        gw = gw or gateway
        creds = (
            Credentials("test-client", Secret(SECRET), source="test")
            if credentials is True
            else credentials or None
        )
        # Built as cli.py builds it: the account's SQLite store in the test's XDG data
        # directory and its state beside it, so a second app of the same test is a restart.
        return build_app(
            settings=Settings(base_url=gw.url, **settings),
            credentials=creds,
            clock=FixedClock(ANCHOR),
            environment=environment or ssh(),
            popen=popen,
            client_factory=client_factory,
        )

    return make


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until every worker has finished (or was cancelled) and the screen caught up.

    A finished worker can start the next (a page drawn near the top asks for the older one),
    so this goes on until a pause starts no new work, not for a fixed number of rounds.
    """
    for round_ in range(50):
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(not worker.is_finished for worker in pilot.app.workers)
        if round_ >= 2 and not busy:
            return


def screen_text(app: App[Any]) -> str:
    """Everything visible on the terminal right now, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
