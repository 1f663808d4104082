"""The team-mode scale test: ten operator processes, one PostgreSQL store, one fake gateway.

Each operator is a real child process (:mod:`tests.team.operator_process`: a sync engine with
leader election and a change listener, polling as the live updates do). Measured and asserted:

- the gateway sees the request rate of one polling client, not ten;
- a new inbound message is visible in all ten within 1 s (p95 of delivery → visible, and of
  NOTIFY → visible for the followers; the figures are printed);
- killing the leader (SIGKILL) hands over within 10 s, and a message delivered right after the
  kill reaches every survivor and is stored exactly once;
- two operators sending at once each send exactly once.

Every wait is on a condition (a line from the children, a count), except the fixed window in
which the gateway's request rate is measured.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smstui.fake import FakeGateway
from smstui.store.postgres_store import PostgresStore
from smstui.system.secret import SecretUrl
from tests.api.conftest import CLIENT_ID, SECRET
from tests.team.conftest import wait_until

OPERATORS = 10
POLL_S = 0.25
WINDOW_S = 3.0
ROOT = Path(__file__).resolve().parents[2]


class Operators:
    """The child processes and every line they printed."""

    def __init__(self, argv: Callable[[str], list[str]], count: int) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.lines: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.procs = {
            f"op{n}": subprocess.Popen(
                argv(f"op{n}"),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env=env,
                cwd=ROOT,
            )
            for n in range(count)
        }
        for proc in self.procs.values():
            threading.Thread(target=self._read, args=(proc,), daemon=True).start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                parsed = json.loads(line)
            except ValueError:
                continue
            with self._lock:
                self.lines.append(parsed)

    def events(self, kind: str, **match: object) -> list[dict[str, Any]]:
        with self._lock:
            return [
                line
                for line in self.lines
                if line["event"] == kind and all(line.get(k) == v for k, v in match.items())
            ]

    def leaders(self) -> set[str]:
        """Who says it leads now (its last word on its role)."""
        role: dict[str, bool] = {}
        with self._lock:
            for line in self.lines:
                if line["event"] in ("ready", "role"):
                    role[line["name"]] = bool(line["leader"])
        return {name for name, leader in role.items() if leader and self.alive(name)}

    def alive(self, name: str) -> bool:
        return self.procs[name].poll() is None

    def tell(self, name: str, command: str) -> None:
        stdin = self.procs[name].stdin
        assert stdin is not None
        stdin.write(command + "\n")
        stdin.flush()

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
        for proc in self.procs.values():
            proc.wait(timeout=10)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _figures(label: str, values: list[float]) -> str:
    return (
        f"{label}: n={len(values)} p50 {statistics.median(values) * 1000:.0f} ms, "
        f"p95 {_p95(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"
    )


def _visible(ops: Operators, marker: str, names: set[str], sent_at: float) -> list[float]:
    wait_until(lambda: {e["name"] for e in ops.events("seen", marker=marker)} >= names, 15)
    return [e["t"] - sent_at for e in ops.events("seen", marker=marker) if e["name"] in names]


def test_ten_operators_one_leader(gateway: FakeGateway, pg_url: SecretUrl, pg_schema: str) -> None:
    started = time.monotonic()
    ops = Operators(
        lambda name: [
            sys.executable,
            "-m",
            "tests.team.operator_process",
            gateway.url,
            CLIENT_ID,
            SECRET,
            pg_url.reveal(),
            pg_schema,
            name,
            str(POLL_S),
        ],
        OPERATORS,
    )
    try:
        wait_until(lambda: len(ops.events("ready")) == OPERATORS, 30)
        print(f"\n{OPERATORS} operators ready after {time.monotonic() - started:.1f} s")
        wait_until(lambda: len(ops.leaders()) == 1, 5)

        # The gateway's request rate: one polling client's, not ten.
        before = len(gateway.requests)
        time.sleep(WINDOW_S)
        window = gateway.requests[before:]
        one_client = WINDOW_S / POLL_S
        print(
            f"gateway requests in {WINDOW_S:.0f} s: {len(window)} "
            f"(one client polling every {POLL_S} s: ~{one_client:.0f}; ten: ~{10 * one_client:.0f})"
        )
        assert {(r.method, r.path) for r in window} <= {("GET", "/message/inbox")}
        assert 0.3 * one_client <= len(window) <= 1.5 * one_client
        assert len(ops.leaders()) == 1

        # A new inbound message reaches all ten within 1 s.
        number = "48512345678"
        sent_at = time.time()
        gateway.deliver_inbound(number, "MARK-1")
        everyone = set(ops.procs)
        delays = _visible(ops, "MARK-1", everyone, sent_at)
        print(_figures("delivered → visible in all ten", delays))
        wait_until(lambda: len(ops.events("notified", marker="MARK-1")) == OPERATORS - 1, 5)
        seen_at = {e["name"]: e["t"] for e in ops.events("seen", marker="MARK-1")}
        notify = [seen_at[e["name"]] - e["at"] for e in ops.events("notified", marker="MARK-1")]
        notify = [max(0.0, d) for d in notify]  # seen by the poll before the notification
        print(_figures("NOTIFY (leader's write) → visible in the nine followers", notify))
        assert _p95(delays) <= 1.0
        assert _p95(notify) <= 1.0

        # Kill the leader: a new one within 10 s; a message delivered at once is not lost.
        (old,) = ops.leaders()
        killed_at = time.time()
        os.kill(ops.procs[old].pid, signal.SIGKILL)
        gateway.deliver_inbound(number, "MARK-2")
        survivors = everyone - {old}
        wait_until(lambda: bool(ops.leaders() - {old}), 15)
        (new,) = ops.leaders()
        took = next(e["t"] for e in ops.events("role", name=new, leader=True)) - killed_at
        print(f"leader {old} killed: {new} took over after {took:.2f} s")
        assert took < 10
        after = _visible(ops, "MARK-2", survivors, killed_at)
        print(_figures("kill + delivery → visible in the nine survivors", after))
        for marker in ("MARK-1", "MARK-2"):
            for name in everyone:
                assert len(ops.events("seen", marker=marker, name=name)) <= 1
        with PostgresStore.open(pg_url, pg_schema) as store:
            rows = store._connection.execute(
                "SELECT text, count(*) FROM messages WHERE text LIKE 'MARK-%' GROUP BY text"
            ).fetchall()
        assert sorted(rows) == [("MARK-1", 1), ("MARK-2", 1)]

        # Two operators sending at once: each message goes out exactly once.
        posts = gateway.count("POST", "/message/send")
        senders = sorted(survivors)[:2]
        for name in senders:
            ops.tell(name, f"send {number} hello-from-{name} {gateway.own_numbers[0]}")
        wait_until(lambda: len(ops.events("sent")) == 2, 10)
        sends = [r for r in gateway.requests if r.method == "POST" and r.path == "/message/send"]
        assert len(sends) - posts == 2
        assert sorted(r.body["message"] for r in sends[posts:]) == sorted(  # type: ignore[index]
            f"hello-from-{name}" for name in senders
        )
        print(f"scale test took {time.monotonic() - started:.1f} s")
    finally:
        ops.stop()
