"""Change notifications on a real PostgreSQL: sent at commit, never for a rolled-back write."""

from __future__ import annotations

import statistics
import time

import psycopg
import pytest

from smstui.domain.models import Message
from smstui.store.changes import Change, channel_name, decode, encode
from smstui.store.postgres_store import PostgresStore
from smstui.sync.listener import RECONNECTED, ChangeListener
from smstui.system.secret import SecretUrl
from tests.team.conftest import wait_until


def _message(n: int, conversation: str = "48500000001") -> Message:
    return Message(
        key=f"id:n-{n}", message_id=f"n-{n}", outbound=False, sender=conversation,
        receiver="1", text=f"note {n}", attachments=(), timestamp=1_000_000 + n, status="",
    )  # fmt: skip


def _failing_write(store: PostgresStore) -> None:
    with store._write() as connection:
        store._changed(connection, "messages", ["rolled-back"])
        raise RuntimeError("the write fails")


def test_payloads_round_trip() -> None:
    change = decode(encode("messages", ["b", "a", "b"]))
    assert change is not None
    assert (change.kind, change.keys) == ("messages", ("a", "b"))
    assert decode(encode("contacts", None)) is not None
    assert decode(encode("messages", [str(n) for n in range(500)])).keys is None  # type: ignore[union-attr]
    assert decode("not json") is None
    assert decode('{"no": "kind"}') is None


def test_a_committed_write_is_announced_and_a_rolled_back_one_is_not(
    pg_url: SecretUrl, pg_schema: str
) -> None:
    got: list[Change] = []
    with PostgresStore.open(pg_url, pg_schema) as store:
        listener = ChangeListener(pg_url, pg_schema, got.append)
        listener.start()
        try:
            assert listener.listening
            # Rolled back: the NOTIFY is published inside the transaction, then it fails.
            with pytest.raises(RuntimeError):
                _failing_write(store)
            store.add_messages("48500000001", [_message(1)])
            wait_until(lambda: got)
            # Writes that change nothing announce nothing; the next real one is announced.
            store.add_messages("48500000001", [_message(1)])
            store.add_messages("48500000002", [_message(2, "48500000002")])
            wait_until(lambda: len(got) >= 2)
            time.sleep(0.2)
            assert [(c.kind, c.keys) for c in got] == [
                ("messages", ("48500000001",)),
                ("messages", ("48500000002",)),
            ]
            assert {c.backend for c in got} == {store.backend_pid}
        finally:
            listener.stop()


def test_notify_latency(pg_url: SecretUrl, pg_schema: str) -> None:
    """NOTIFY → callback, measured over 50 writes from another connection."""
    got: list[Change] = []
    with PostgresStore.open(pg_url, pg_schema) as store:
        listener = ChangeListener(pg_url, pg_schema, got.append)
        listener.start()
        try:
            for n in range(50):
                store.add_messages("48500000001", [_message(n)])
                time.sleep(0.005)
            wait_until(lambda: len(got) == 50)
        finally:
            listener.stop()
    latencies = sorted(listener.latencies)
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * len(latencies)) - 1]
    print(f"NOTIFY → callback: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
    assert p95 < 1.0


def _listening_pids(url: SecretUrl, schema: str) -> list[int]:
    """The server processes whose last statement was the LISTEN on this account's channel."""
    listen = f'LISTEN "{channel_name(schema)}"'
    with psycopg.connect(url.reveal(), autocommit=True) as admin:
        rows = admin.execute("SELECT pid FROM pg_stat_activity WHERE query = %s", (listen,))
        return [int(pid) for (pid,) in rows]


def test_a_dropped_connection_comes_back_says_reconnected_and_hears_later_writes(
    pg_url: SecretUrl, pg_schema: str
) -> None:
    got: list[Change] = []
    with PostgresStore.open(pg_url, pg_schema) as store:
        listener = ChangeListener(pg_url, pg_schema, got.append)
        listener.start()
        try:
            [dropped] = _listening_pids(pg_url, pg_schema)
            with psycopg.connect(pg_url.reveal(), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (dropped,))
            wait_until(lambda: got)
            assert [(c.kind, c.keys) for c in got] == [(RECONNECTED, None)]
            assert listener.listening
            [listening] = _listening_pids(pg_url, pg_schema)
            assert listening != dropped, "a new connection listens"
            store.add_messages("48500000001", [_message(1)])
            wait_until(lambda: len(got) == 2)
            assert (got[1].kind, got[1].keys) == ("messages", ("48500000001",))
        finally:
            listener.stop()
