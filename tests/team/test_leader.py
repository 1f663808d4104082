"""Leader election on a real PostgreSQL: exactly one leader; a lost session hands over."""

from __future__ import annotations

import psycopg

from smstui.store.pg_schema import lock_key
from smstui.sync.leader import LeaderElection, election_keys
from smstui.system.secret import SecretUrl
from tests.team.conftest import wait_until


def _holder_pid(url: SecretUrl, schema: str) -> int:
    """The server process holding the account's leader lock."""
    classid, objid = election_keys(schema)
    with psycopg.connect(url.reveal(), autocommit=True) as connection:
        row = connection.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND classid::bigint = %s::bigint & 4294967295 "
            "AND objid::bigint = %s::bigint & 4294967295 AND objsubid = 2",
            (classid, objid),
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_two_contenders_one_leader_and_a_handover(pg_url: SecretUrl, pg_schema: str) -> None:
    changes: list[tuple[str, bool]] = []
    a = LeaderElection(
        pg_url, pg_schema, interval=0.2, on_change=lambda v: changes.append(("a", v))
    )
    b = LeaderElection(
        pg_url, pg_schema, interval=0.2, on_change=lambda v: changes.append(("b", v))
    )
    try:
        a.start()
        wait_until(lambda: a.is_leader)
        b.start()
        wait_until(lambda: b.rounds >= 3)
        assert (a.is_leader, b.is_leader) == (True, False)

        # The leader's session ends (as when its process dies or its network goes).
        with psycopg.connect(pg_url.reveal(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (_holder_pid(pg_url, pg_schema),))
        handover = wait_until(lambda: b.is_leader, timeout=10)
        wait_until(lambda: not a.is_leader, timeout=5)
        print(f"handover after the leader's session ended: {handover:.2f} s")
        assert handover < 3
        # a reconnected as a follower and stays one.
        rounds = a.rounds
        wait_until(lambda: a.rounds >= rounds + 3)
        assert not a.is_leader
        assert b.is_leader

        # Stepping down (stop) hands over as well.
        b.stop()
        assert not b.is_leader
        stepped = wait_until(lambda: a.is_leader, timeout=10)
        print(f"handover after the leader stepped down: {stepped:.2f} s")
        assert stepped < 3
        assert {("a", True), ("b", True), ("a", False)} <= set(changes)
    finally:
        a.stop()
        b.stop()


def test_the_leader_lock_never_meets_the_write_lock(pg_url: SecretUrl, pg_schema: str) -> None:
    """The store's one-number write lock and the two-number leader lock are separate."""
    leader = LeaderElection(pg_url, pg_schema, interval=0.2)
    try:
        leader.start()
        wait_until(lambda: leader.is_leader)
        with psycopg.connect(pg_url.reveal(), autocommit=True) as other:
            got = other.execute("SELECT pg_try_advisory_lock(%s)", (lock_key(pg_schema),))
            assert got.fetchone() == (True,)
            other.execute("SELECT pg_advisory_unlock(%s)", (lock_key(pg_schema),))
    finally:
        leader.stop()
