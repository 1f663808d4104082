"""``smstui watch`` beside the terminal app on the same account: one store, two processes.

The app runs in a real pty (it backfills the history into the store meanwhile); ``watch`` runs
as a second process on the same HOME and gateway. A message the gateway receives is printed by
``watch`` once, and none of the history the app stores is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from smstui.fake import FakeGateway
from tests.cli.test_terminal import DEADLINE, PtyApp, child_env, wait_until, wait_until_ready
from tests.commands.test_watch import Lines

NUMBER = "48600100299"
WATCH = ("watch", "--json", "--interval", "1")


def test_watch_prints_what_arrives_while_the_app_runs_on_the_same_store(
    gateway: FakeGateway, tmp_path: Path
) -> None:
    home = tmp_path / "child-home"
    home.mkdir()
    app = PtyApp(gateway.url, home)
    watch: subprocess.Popen[str] | None = None
    try:
        wait_until_ready(app)
        watch = subprocess.Popen(
            [sys.executable, "-m", "smstui", "--base-url", gateway.url, *WATCH],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(home),
            cwd=home,
        )
        out, err = Lines(watch.stdout), Lines(watch.stderr)
        err.wait(lambda line: "watching for new messages" in line, timeout=DEADLINE)
        gateway.deliver_inbound(NUMBER, "Is the parcel ready? ✅")
        printed = json.loads(out.wait(lambda line: "parcel ready" in line, timeout=DEADLINE))
        assert (printed["direction"], printed["conversation"]) == ("in", NUMBER)
        data = home / "data" / "smstui"
        stores = sorted(data.glob("messages-*.sqlite3"))
        assert len(stores) == 1, "the app and watch share one store file"
        wait_until(lambda: app.process.poll() is None, 1, "the app still running")
        assert [json.loads(line)["text"] for line in out.seen] == ["Is the parcel ready? ✅"]
    finally:
        if watch is not None:
            watch.terminate()
            watch.wait(30)
        app.close()
