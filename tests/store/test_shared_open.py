"""Opening the store file a second time in one process must not undo the first opening's locks.

SQLite's locks are POSIX record locks, which a process loses when it closes *any* descriptor of
the file. A second opening that touched the file with ``os.open``/``os.close`` (to set its
mode) silently dropped the locks of the connection already open: another process then believed
it was the file's last user, checkpointed and deleted the write-ahead log on closing, and every
later write of the first process went into a deleted file (drafts typed in the app vanished
while ``smstui`` commands read the store).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from smstui.store.files import open_shared

READ_AND_CLOSE = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
print(connection.execute("SELECT count(*) FROM local_state").fetchone()[0])
connection.close()
"""


def count_in_another_process(path: Path) -> int:
    result = subprocess.run(
        [sys.executable, "-c", READ_AND_CLOSE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return int(result.stdout)


def write(connection: sqlite3.Connection, key: str) -> None:
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "INSERT INTO local_state (kind, key, value) VALUES ('draft', ?, '\"text\"')", (key,)
    )
    connection.execute("COMMIT")


def test_a_second_opening_keeps_the_first_ones_writes_visible_to_others(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    first = open_shared(path)
    write(first, "a")
    second = open_shared(path)  # the app opens the file again (message store, local state)
    assert count_in_another_process(path) == 1  # another process reads, then closes
    write(first, "b")
    write(second, "c")
    assert count_in_another_process(path) == 3
    first.close()
    second.close()
    assert count_in_another_process(path) == 3
