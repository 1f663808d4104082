"""Start-up cost: outside a team the app never loads the PostgreSQL driver or the web server.

The app runs in a fresh interpreter (this process has loaded everything already), built as
``smstui`` builds it, against the fake gateway over loopback, until the inbox lists its
conversations; then it names the modules it loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from smstui.fake import FakeGateway
from tests.app_fixtures import SECRET

TEAM_ONLY = ("psycopg", "textual_serve", "aiohttp")
"""Loaded only in a team (psycopg) or by ``smstui serve`` (the other two)."""

CHILD = """
import asyncio, json, sys
from smstui.ui.app import build_app
from smstui.system.config import Settings
from smstui.ui.screens.inbox import InboxScreen
from smstui.system.secret import Credentials, Secret

async def main() -> None:
    app = build_app(
        settings=Settings(base_url=sys.argv[1]),
        credentials=Credentials("test-client", Secret(sys.argv[2]), source="test"),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(2000):  # the inbox lists conversations: start-up is done
            screen = app.screen
            if isinstance(screen, InboxScreen) and screen.conversation_list.rows:
                break
            await pilot.pause(0.01)
        else:
            raise SystemExit("the inbox never listed a conversation")
        print(json.dumps(sorted(sys.modules)))

asyncio.run(main())
"""


def test_the_inbox_starts_without_the_team_driver_or_the_web_server(
    fresh_gateway: FakeGateway,
) -> None:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, fresh_gateway.url, SECRET],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "smstui.ui.screens.inbox" in loaded
    assert [name for name in TEAM_ONLY if name in loaded] == []
