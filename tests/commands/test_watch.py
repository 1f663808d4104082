"""``smstui watch`` as a real process beside another writer of the same store, with a hook."""

from __future__ import annotations

import asyncio
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from smstui.api.client import SmsClient
from smstui.domain.models import Message
from smstui.system.exit_codes import EXIT_TERMINATED
from smstui.system.secret import Credentials, Secret
from tests.commands.conftest import ANCHOR, CLIENT_ID, SECRET, open_store

NEW = "48600100200"
HOOK = """
import json, sys
with open(sys.argv[1], "a") as f:
    f.write(json.dumps({"argv": sys.argv[1:], "message": json.loads(sys.stdin.read())}) + "\\n")
"""


class Lines:
    """Reads a stream line by line in a thread; ``wait`` for a line that matches."""

    def __init__(self, stream) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream) -> None:
        for line in stream:
            self._queue.put(line)

    def wait(self, match, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        for line in self.seen:
            if match(line):
                return line
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if match(line):
                return line
        raise AssertionError(f"no matching line within {timeout} s; saw {self.seen!r}")


def wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def as_the_app_would(url: str) -> None:
    """Another connection fetches the newest inbox page and writes it to the same store."""

    async def fetch():
        async with SmsClient(url, Credentials(CLIENT_ID, Secret(SECRET))) as client:
            return await client.inbox(page=1, limit=50)

    page = asyncio.run(fetch())
    with open_store(url) as store:
        store.add_inbox_items(page.items)


def stored(key: str, number: str, ts: int, text: str) -> Message:
    return Message(key, None, False, number, "48732104455", text, (), ts, "")


def test_watch_prints_new_messages_once_never_history_and_runs_the_hook(
    gateway, tmp_path: Path
) -> None:
    hook_out = tmp_path / "hook.jsonl"
    script = tmp_path / "hook.py"
    script.write_text(HOOK)
    config = tmp_path / "config.toml"
    config.write_text(
        "hooks_enabled = true\n\n[[hooks]]\n"
        f"run = [{json.dumps(sys.executable)}, {json.dumps(str(script))}, "
        f"{json.dumps(str(hook_out))}, '$(touch pwned)']\n"
        'text = "(?i)hello|store only"\n'
    )
    program = Path(sys.executable).parent / "smstui"
    process = subprocess.Popen(
        [str(program), "watch", "--json", "--interval", "1", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
        cwd=tmp_path,
    )
    try:
        out, err = Lines(process.stdout), Lines(process.stderr)
        err.wait(lambda line: "watching for new messages" in line)

        # New at the gateway; the other writer stores it too, whichever comes first.
        gateway.deliver_inbound(NEW, "Hello, is anyone there?")
        as_the_app_would(gateway.url)
        first = json.loads(out.wait(lambda line: "anyone there" in line))
        assert out.seen[0] == json.dumps(first, ensure_ascii=False, separators=(",", ":")) + "\n"
        assert (first["direction"], first["conversation"]) == ("in", NEW)
        assert first["time"] == "2026-11-27T12:00:00Z"

        # The other writer stores history (a backfill) and one new message of its own.
        with open_store(gateway.url) as store:
            store.add_messages(NEW, [stored("h:old", NEW, ANCHOR - 30 * 86400, "old history")])
            store.add_messages(NEW, [stored("h:fresh", NEW, ANCHOR + 5, "store only")])
        out.wait(lambda line: "store only" in line)
        texts = [json.loads(line)["text"] for line in out.seen]
        assert texts == ["Hello, is anyone there?", "store only"]  # once each, no history

        assert wait_for(lambda: hook_out.exists() and len(hook_out.read_text().splitlines()) == 2)
        runs = [json.loads(line) for line in hook_out.read_text().splitlines()]
        assert runs[0]["argv"] == [str(hook_out), "$(touch pwned)"]
        assert [run["message"]["text"] for run in runs] == texts
        assert runs[0]["message"] == first
        assert not (tmp_path / "pwned").exists()

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == EXIT_TERMINATED
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
