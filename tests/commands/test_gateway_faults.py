"""Commands in a child process against a gateway that misbehaves (a 1e20 time, a 401)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.commands.conftest import CLIENT_ID, SECRET, make_gateway


def smstui(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m smstui ARGS`` as a child process on the test's own directories."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SMSTOOLS_")},
        "SMSTOOLS_CLIENT_ID": CLIENT_ID,
        "SMSTOOLS_CLIENT_SECRET": SECRET,
        "SMSTOOLS_BASE_URL": url,
    }
    return subprocess.run(
        [sys.executable, "-m", "smstui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_show_answers_with_a_message_dated_1e20_in_the_thread() -> None:
    with make_gateway() as gw:
        number = gw.conversation_numbers()[0]
        gw.add_fault("bad_time", "/conversation/*", times=0, value=1e20)
        for _ in range(2):  # and again: nothing stored stops the next run either
            result = smstui(gw.url, "show", number, "--json", "--limit", "5")
            assert result.returncode == 0, result.stderr
            assert "unexpected error" not in result.stderr
            shown = json.loads(result.stdout)
            assert len(shown["messages"]) == 5
            assert shown["synced"] is True
            times = [message["timestamp"] for message in shown["messages"]]
            assert all(946_684_800 <= t <= 2_200_000_000 for t in times), times
        human = smstui(gw.url, "show", number, "--limit", "3")
        assert human.returncode == 0, human.stderr
        assert "· 3 of 600 messages" in human.stdout.splitlines()[0]
        assert "Zamówienie przyjęte, wysyłka 21.12." in human.stdout  # the spoiled one


def test_a_401_mid_session_exits_4_not_10() -> None:
    """The first page is answered, then the gateway refuses the credentials with a bare 401."""
    with make_gateway() as gw:
        gw.add_fault("status_401", "*", times=0, after=1)
        result = smstui(gw.url, "conversations")
        assert result.returncode == 4, result.stderr
        assert "client id or secret was not accepted" in result.stderr
        assert "answering from the local store" not in result.stderr
