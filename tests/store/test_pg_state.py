"""The operators' own state on a team's PostgreSQL store: per operator, and shared where the
line's (mutes, opt-outs); two processes writing at once lose nothing.

Real PostgreSQL (:mod:`tests.pg_fixtures`) and real child processes, each with
its own connection, as two operators' apps have.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import psycopg

from smstui.domain.outbox import Outgoing
from smstui.domain.readers import ReadNote, decode
from smstui.store.drafts import DraftStore
from smstui.store.location import StoreLocation
from smstui.store.mutes import MuteState
from smstui.store.opt_outs import OptOutList
from smstui.store.outbox_file import OutboxFile
from smstui.store.own_state import state_backend
from smstui.store.personal import READ_SEEN
from smstui.store.pg_state import PgState
from smstui.store.postgres_store import PostgresStore
from smstui.store.read_state import ReadState
from smstui.system.secret import SecretUrl
from tests.store.helpers import start_together

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from smstui.store.drafts import DraftStore
    from smstui.store.mutes import MuteState
    from smstui.store.opt_outs import OptOutList
    from smstui.store.read_state import ReadState
    from smstui.system.secret import SecretUrl
    from smstui.store.pg_state import PgState

    url, schema, operator = SecretUrl(sys.argv[1]), sys.argv[2], sys.argv[3]
    name, count, go, offset = sys.argv[4], int(sys.argv[5]), Path(sys.argv[6]), int(sys.argv[7])
    backend = PgState(url, schema, operator)
    drafts = DraftStore(backend)
    read = ReadState(backend, now=1000)
    mutes = MuteState(backend)
    opt_outs = OptOutList(backend)
    read.load()
    go.with_name(f"ready-{name}").touch()  # set up: the test may start us now
    while not go.exists():  # start together, so the writes really interleave
        time.sleep(0.005)
    for n in range(count):
        drafts.set(f"{name}-{n}", f"draft {n} by {name}")
        drafts.set(f"shared-{n % 10}", f"shared {n % 10} by {name}")
        read.mark_read(f"{name}-{n}", 2000 + n)
        read.mark_read(f"shared-{n % 10}", 2000 + n + offset)
        if n % 3 == 0:
            read.mark_unread(f"flag-{name}-{n}")
        mutes.set_muted(f"mute-{name}-{n % 20}", True)
        opt_outs.add(f"{offset}{n:04d}", now=n, reason="manual")
    backend.close()
    print("done")
    """
)


def _start(
    url: SecretUrl, schema: str, operator: str, name: str, count: int, go: Path, offset: int
) -> subprocess.Popen[str]:
    arguments = [url.reveal(), schema, operator, name, str(count), str(go), str(offset)]
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run_writers(
    url: SecretUrl, schema: str, tmp_path: Path, operators: tuple[str, str], count: int
) -> None:
    PostgresStore.open(url, schema).close()  # the schema exists: neither writer migrates
    go = tmp_path / "go"
    writers = {
        "a": _start(url, schema, operators[0], "a", count, go, 0),
        "b": _start(url, schema, operators[1], "b", count, go, 7),
    }
    start_together(go, writers)
    for writer in writers.values():
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert out.strip() == "done"


def test_two_processes_of_one_operator_writing_at_once_lose_nothing(
    pg_url: SecretUrl, pg_schema: str, tmp_path: Path
) -> None:
    count = 60
    _run_writers(pg_url, pg_schema, tmp_path, ("Anna", "Anna"), count)

    backend = PgState(pg_url, pg_schema, "Anna")
    drafts = DraftStore(backend)
    read = ReadState(backend, now=99_999)
    for name in ("a", "b"):
        for n in range(count):
            assert drafts.get(f"{name}-{n}") == f"draft {n} by {name}"
            assert read.seen_until(f"{name}-{n}") == 2000 + n
            assert read.is_flagged(f"flag-{name}-{n}") is (n % 3 == 0)
    for k in range(10):
        assert drafts.get(f"shared-{k}") in {f"shared {k} by a", f"shared {k} by b"}
        last_n = max(n for n in range(count) if n % 10 == k)
        assert read.seen_until(f"shared-{k}") == 2000 + last_n + 7, "the later time won"
    assert len(drafts.keys()) == 2 * count + 10
    assert read.baseline == 1000
    mutes = MuteState(backend)
    assert mutes.keys == {f"mute-{name}-{k}" for name in ("a", "b") for k in range(20)}
    assert len(OptOutList(backend).numbers()) == 2 * count
    backend.close()


def test_a_cleared_draft_a_removed_mute_and_outbox_entry_are_gone_after_reopening(
    pg_url: SecretUrl, pg_schema: str, tmp_path: Path
) -> None:
    def unsent(key: str) -> Outgoing:
        return Outgoing(key=key, conversation="48500000001", to="48500000001", sender="1",
                        text=f"text of {key}", created=1000)  # fmt: skip

    first = PgState(pg_url, pg_schema, "Anna")
    drafts, mutes = DraftStore(first), MuteState(first)
    outbox = OutboxFile(first)
    for key in ("48500000001", "48500000002"):
        drafts.set(key, f"half a reply to {key}")
        mutes.set_muted(key, True)
    outbox.save(unsent("local:confirmed"))
    outbox.save(unsent("local:unsent"))
    first.close()

    # Another process (a restart) takes them away: a sent draft, an unmute, a confirmed send.
    second = PgState(pg_url, pg_schema, "Anna")
    DraftStore(second).set("48500000001", "")
    MuteState(second).set_muted("48500000001", False)
    OutboxFile(second).remove("local:confirmed")
    second.close()

    third = PgState(pg_url, pg_schema, "Anna")
    drafts = DraftStore(third)
    assert drafts.keys() == ["48500000002"], "the cleared draft is gone, the other kept"
    assert drafts.get("48500000002") == "half a reply to 48500000002"
    assert MuteState(third).keys == {"48500000002"}
    assert [item.key for item in OutboxFile(third).load()] == ["local:unsent"]
    third.close()


def test_two_operators_keep_their_own_markers_and_drafts_and_share_opt_outs_and_mutes(
    pg_url: SecretUrl, pg_schema: str, tmp_path: Path
) -> None:
    count = 30
    _run_writers(pg_url, pg_schema, tmp_path, ("Anna", "Ben"), count)

    anna, ben = PgState(pg_url, pg_schema, "Anna"), PgState(pg_url, pg_schema, "Ben")
    anna_read = ReadState(anna, now=99_999)
    ben_read = ReadState(ben, now=99_999)
    anna_drafts, ben_drafts = DraftStore(anna), DraftStore(ben)
    for n in range(count):
        # Anna ran writer "a", Ben writer "b": nobody reads with the other's eyes.
        assert anna_read.seen_until(f"a-{n}") == 2000 + n
        assert anna_read.seen_until(f"b-{n}") == 1000, "Ben's reading is not Anna's"
        assert ben_read.seen_until(f"b-{n}") == 2000 + n
        assert ben_read.seen_until(f"a-{n}") == 1000
        assert anna_drafts.get(f"a-{n}")
        assert not anna_drafts.get(f"b-{n}")
        assert ben_drafts.get(f"b-{n}")
        assert not ben_drafts.get(f"a-{n}")
    for k in range(10):
        assert anna_drafts.get(f"shared-{k}") == f"shared {k} by a"
        assert ben_drafts.get(f"shared-{k}") == f"shared {k} by b"
    # The line's state: one list for both.
    for backend in (anna, ben):
        assert len(OptOutList(backend).numbers()) == 2 * count
        keys = MuteState(backend).keys
        assert keys == {f"mute-{name}-{k}" for name in ("a", "b") for k in range(20)}
    anna.close()
    ben.close()


def test_an_opt_out_one_operator_records_is_the_others_too(
    pg_url: SecretUrl, pg_schema: str, tmp_path: Path
) -> None:
    anna, ben = PgState(pg_url, pg_schema, "Anna"), PgState(pg_url, pg_schema, "Ben")
    bens_list = OptOutList(ben)
    assert not bens_list.numbers()
    OptOutList(anna).add("48500000001", now=5, reason="manual")
    ReadState(anna, now=1000).mark_read("48500000002", 5000)
    bens_read = ReadState(ben, now=1000)
    bens_list.load()  # the list is read when used (a send), as with the other backends
    assert "48500000001" in bens_list.numbers()
    assert bens_read.seen_until("48500000002") == 1000, "a read marker stays Anna's"
    anna.close()
    ben.close()


def test_a_moved_read_marker_is_announced_and_remembered_with_the_readers_time(
    pg_url: SecretUrl, pg_schema: str, tmp_path: Path
) -> None:
    anna = PgState(pg_url, pg_schema, "Anna", now=lambda: 1_795_780_800.0)
    ben = PgState(pg_url, pg_schema, "Ben", now=lambda: 1_795_780_900.0)
    assert ben.latest_readers() == {}
    with psycopg.connect(pg_url.reveal(), autocommit=True) as listener:
        listener.execute(f"LISTEN {pg_schema}")
        anna.merge(READ_SEEN, "48500000001", lambda _old: 5000)
        anna.merge(READ_SEEN, "48500000001", lambda old: old)  # unchanged: no note
        notes = [n.payload for n in listener.notifies(timeout=1.0, stop_after=2)]
    assert [decode(payload) for payload in notes] == [
        ReadNote("Anna", "48500000001", 1_795_780_800.0)
    ], "one note: the unchanged marker said nothing"
    assert ben.latest_readers() == {"48500000001": ("Anna", 1_795_780_800.0)}
    assert anna.latest_readers() == {}, "not one's own"
    anna.close()
    ben.close()


def test_state_backend_picks_pg_state_for_a_postgresql_store(
    pg_url: SecretUrl, pg_schema: str, tmp_path: Path
) -> None:
    location = StoreLocation(path=tmp_path / "unused.sqlite3", url=pg_url, schema=pg_schema)
    backend = state_backend(location, operator="Anna")
    assert isinstance(backend, PgState)
    DraftStore(backend).set("48500000001", "Anna's reply")
    assert backend.not_kept() == ""
    assert not (tmp_path / "unused.sqlite3").exists()
    backend.close()
    other = PgState(pg_url, pg_schema, "Ben")
    assert DraftStore(other).get("48500000001") == "", "Anna's draft"
    other.close()


def test_an_unreachable_server_keeps_the_state_for_the_run_and_says_it_is_not_kept() -> None:
    url = SecretUrl("postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")
    backend = PgState(url, "smstui_0123456789abcdef", "Anna")
    drafts = DraftStore(backend)
    drafts.set("48500000001", "typed anyway")
    assert drafts.get("48500000001") == "typed anyway"
    assert "not kept after this run" in backend.not_kept()
    assert "could not be reached" in backend.not_kept()
