"""One headless operator process for the team-mode scale test (run as a child process).

It runs what the app runs for team mode, without Textual: a :class:`SyncEngine` on the shared
PostgreSQL store with a :class:`TeamSync` (election + listener), polling the inbox every
``poll`` seconds as the live updates do (the leader reads the gateway, a follower the store).
It prints one JSON line per event on stdout:

- ``ready`` (with its role), ``role`` (when it changes);
- ``seen``: a text starting with ``MARK-`` became visible (in the list, a thread or a page);
- ``notified``: the notification of another process's write with that text arrived
  (``at`` is when the other process wrote it);
- ``sent``: a send asked for on stdin (``send <number> <text> <sender>``) went out.

Arguments: gateway URL, client id, secret, PostgreSQL URL, schema, name, poll seconds.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from smstui.api.client import SmsClient
from smstui.store.location import StoreLocation
from smstui.sync.access import StoreAccess
from smstui.sync.engine import (
    InboxPageStored,
    StoredListChanged,
    StoredThreadChanged,
    SyncEngine,
    SyncEvent,
)
from smstui.sync.team import TeamSync
from smstui.system.clock import SystemClock
from smstui.system.secret import Credentials, Secret, SecretUrl


async def main(argv: list[str]) -> None:
    gateway_url, client_id, secret, pg_url, schema, name, poll = argv
    client = SmsClient(gateway_url, Credentials(client_id, Secret(secret)), deadline=5.0)
    location = StoreLocation(path=Path("unused.sqlite3"), url=SecretUrl(pg_url), schema=schema)
    team = TeamSync(location, interval=0.5)
    engine = SyncEngine(client, StoreAccess(location), clock=SystemClock(), team=team)
    seen: set[str] = set()
    notified: set[str] = set()

    def say(**fields: object) -> None:
        print(json.dumps({"name": name, "t": time.time(), **fields}), flush=True)

    def look(texts: Iterable[str], via: str) -> None:
        for text in texts:
            if text.startswith("MARK-") and text not in seen:
                seen.add(text)
                say(event="seen", marker=text, via=via, leader=team.is_leader)

    def on_event(event: SyncEvent) -> None:
        if isinstance(event, StoredListChanged):
            look((c.preview for c in event.conversations), "list")
        elif isinstance(event, StoredThreadChanged):
            texts = [m.text for m in event.page.items]
            look(texts, "thread")
            for text in texts:
                if text.startswith("MARK-") and text not in notified:
                    notified.add(text)
                    say(event="notified", marker=text, at=event.at)
        elif isinstance(event, InboxPageStored):
            look((item.text for item in event.page.items), "poll")

    engine.subscribe(on_event)
    team.on_role = lambda leader: say(event="role", leader=leader)
    engine.start()
    await engine.access.open()
    await team.start()
    say(event="ready", leader=team.is_leader)
    loop = asyncio.get_running_loop()

    async def commands() -> None:
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            parts = line.split()
            if parts and parts[0] == "send":
                result = await client.send(parts[1], parts[2], parts[3])
                say(event="sent", result=repr(result))

    reading = asyncio.ensure_future(commands())
    while not reading.done():
        try:
            await engine.inbox(page=1, limit=20)
        except Exception as error:  # keep polling, as the app does
            say(event="error", error=str(error))
        await asyncio.sleep(float(poll))
    team.stop()
    engine.close()
    await client.aclose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
