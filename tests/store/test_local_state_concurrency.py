"""Two processes writing the user's own state into one store file at once lose nothing.

Real files and real child processes (``python -c``): the point is SQLite's locking between
processes, each with its own connection, as a TUI and a second TUI (or a command) have.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from smstui.store import SqliteStore, local_state
from smstui.store.drafts import DraftStore
from smstui.store.local_state import SqliteState
from smstui.store.mutes import MuteState
from smstui.store.opt_outs import OptOutList
from smstui.store.read_state import ReadState
from tests.store.helpers import start_together

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from smstui.store.drafts import DraftStore
    from smstui.store.mutes import MuteState
    from smstui.store.opt_outs import OptOutList
    from smstui.store.read_state import ReadState
    from smstui.store.local_state import SqliteState

    path, name, count, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    offset = int(sys.argv[5])
    backend = SqliteState(path)
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
        # Both write the same conversations with different times: the later time must win.
        read.mark_read(f"shared-{n % 10}", 2000 + n + offset)
        if n % 3 == 0:
            read.mark_unread(f"flag-{name}-{n}")
        mutes.set_muted(f"mute-{name}-{n % 20}", True)
        opt_outs.add(f"{offset}{n:04d}", now=n, reason="manual")
    backend.close()
    print("done")
    """
)


def _start(path: Path, name: str, count: int, go: Path, offset: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), name, str(count), str(go), str(offset)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_writing_drafts_and_read_markers_at_once_lose_nothing(
    store_path: Path, tmp_path: Path
) -> None:
    SqliteStore.open(store_path).close()  # create it, so neither writer migrates
    go = tmp_path / "go"
    count = 120
    writers = {
        "a": _start(store_path, "a", count, go, 0),
        "b": _start(store_path, "b", count, go, 7),
    }
    start_together(go, writers)
    for writer in writers.values():
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert out.strip() == "done"

    backend = SqliteState(store_path)
    drafts = DraftStore(backend)
    read = ReadState(backend, now=99_999)
    for name in ("a", "b"):
        for n in range(count):
            assert drafts.get(f"{name}-{n}") == f"draft {n} by {name}"
            assert read.seen_until(f"{name}-{n}") == 2000 + n
            assert read.is_flagged(f"flag-{name}-{n}") is (n % 3 == 0)
    # Overlapping keys: one of the two texts whole (last writer wins), never a mix or a loss.
    for k in range(10):
        assert drafts.get(f"shared-{k}") in {f"shared {k} by a", f"shared {k} by b"}
        # The seen time only moves forward, whoever wrote last: b's times are 7 later.
        last_n = max(n for n in range(count) if n % 10 == k)
        assert read.seen_until(f"shared-{k}") == 2000 + last_n + 7
    assert len(drafts.keys()) == 2 * count + 10
    assert read.baseline == 1000

    mutes = MuteState(backend)
    assert mutes.keys == {f"mute-{name}-{k}" for name in ("a", "b") for k in range(20)}
    opt_outs = OptOutList(backend)
    assert len(opt_outs.numbers()) == 2 * count
    backend.close()


def test_what_one_process_writes_shows_in_the_other_within_seconds(store_path: Path) -> None:
    """A second connection (another process) sees a draft and a read marker without reopening."""
    mine, theirs = SqliteState(store_path), SqliteState(store_path)
    drafts = DraftStore(mine)
    read = ReadState(mine, now=1000)
    assert drafts.get("48500000001") == ""
    assert read.seen_until("48500000001") == 1000
    DraftStore(theirs).set("48500000001", "from the other one")
    ReadState(theirs, now=1000).mark_read("48500000001", 5000)
    deadline = time.monotonic() + 3  # the version is looked at once a second at most

    def arrived() -> bool:
        return drafts.get("48500000001") != "" and read.seen_until("48500000001") == 5000

    while not arrived() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert drafts.get("48500000001") == "from the other one"
    assert read.seen_until("48500000001") == 5000
    mine.close()
    theirs.close()


def test_a_stale_writer_never_moves_a_read_marker_back_nor_drops_a_flag(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The per-key rules hold even when a process's memory is behind the store.

    Two connections, as two processes have; the other's changes are not looked at in between
    (as within the second :data:`REFRESH_S` leaves), so only the write itself can keep the rule.
    """
    monkeypatch.setattr(local_state, "REFRESH_S", 3600.0)
    mine, theirs = SqliteState(store_path), SqliteState(store_path)
    read = ReadState(mine, now=1000)
    drafts = DraftStore(mine)
    read.load()
    drafts.load()
    other_read = ReadState(theirs, now=1000)
    other_read.mark_read("48500000001", 9000)
    other_read.mark_unread("48500000002")
    DraftStore(theirs).set("48500000003", "theirs")
    assert read.seen_until("48500000001") == 1000, "stale, as intended"
    read.mark_read("48500000001", 5000)  # older than what the other one saw
    read.mark_read("48500000004", 6000)
    drafts.set("48500000005", "mine")
    fresh = ReadState(SqliteState(store_path), now=1)
    assert fresh.seen_until("48500000001") == 9000
    assert fresh.seen_until("48500000004") == 6000
    assert fresh.is_flagged("48500000002")
    assert DraftStore(SqliteState(store_path)).keys() == [
        "48500000003",
        "48500000005",
    ]
    mine.close()
    theirs.close()
