"""The store's file: private modes, pragmas, schema upgrades, damaged files set aside."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from smstui.store import MessageStore, SqliteStore, files
from smstui.store.schema import CURRENT_VERSION, ID_SHIFT, time_id_range
from smstui.system.paths import file_mode
from tests.store.helpers import PHOTO, THEIRS, inbound, sqlite_only

# Version 1 exactly as the first release wrote it. Frozen here on purpose: if the code's v1
# changes, files in users' hands no longer match it and this test should say so.
V1_SCHEMA = """
CREATE TABLE messages (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, conversation_key TEXT NOT NULL,
    message_id TEXT, outbound INTEGER NOT NULL, sender TEXT NOT NULL, receiver TEXT NOT NULL,
    text TEXT NOT NULL, text_raw BLOB, attachments TEXT NOT NULL DEFAULT '[]',
    timestamp INTEGER NOT NULL, status TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '', source TEXT NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (conversation_key, timestamp, key);
CREATE TABLE conversations (
    key TEXT PRIMARY KEY, number TEXT NOT NULL, own_number TEXT NOT NULL DEFAULT '',
    timestamp INTEGER NOT NULL, preview TEXT NOT NULL, last_key TEXT NOT NULL,
    last_outbound INTEGER NOT NULL, last_status TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX conversations_by_time ON conversations (timestamp DESC, key);
CREATE TABLE contacts (key TEXT PRIMARY KEY, phone TEXT NOT NULL, name TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE own_numbers (number TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE positions (conversation_key TEXT PRIMARY KEY, message_key TEXT NOT NULL) WITHOUT ROWID;
PRAGMA user_version = 1;
"""


def test_file_is_private_and_directory_too(store_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        store = SqliteStore.open(store_path)
        store.add_messages(THEIRS, [inbound("hello", 1000)])
    finally:
        os.umask(old_umask)
    try:
        assert file_mode(store_path) == 0o600
        assert file_mode(store_path.parent) == 0o700
        for suffix in ("-wal", "-shm"):
            side = store_path.with_name(store_path.name + suffix)
            assert side.exists()
            assert file_mode(side) == 0o600
    finally:
        store.close()


def test_existing_wide_file_is_tightened(store_path: Path) -> None:
    SqliteStore.open(store_path).close()
    os.chmod(store_path, 0o644)
    SqliteStore.open(store_path).close()
    assert file_mode(store_path) == 0o600


@sqlite_only
def test_pragmas(store: MessageStore) -> None:
    connection = sqlite3.connect(store.path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    finally:
        connection.close()
    # The store's own connection: these are per connection.
    inner = store._connection  # the settings live only on the connection
    assert inner.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert inner.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert inner.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reopening_keeps_everything(store_path: Path) -> None:
    with SqliteStore.open(store_path) as store:
        store.add_messages(THEIRS, [inbound("kept", 1000, attachments=(PHOTO,))])
        store.set_cursor("inbox", "page-3")
    with SqliteStore.open(store_path) as store:
        assert store.set_aside is None
        assert [m.text for m in store.messages(THEIRS)] == ["kept"]
        assert store.messages(THEIRS)[0].attachments == (PHOTO,)
        assert store.cursor("inbox") == "page-3"


def test_a_version_1_file_opens_and_is_upgraded(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    connection = sqlite3.connect(store_path)
    connection.executescript(V1_SCHEMA)
    message = inbound("Spotkanie u Łukasza o 10", 1_700_000_000)
    connection.execute(
        "INSERT INTO messages (id, key, conversation_key, message_id, outbound, sender, receiver,"
        " text, attachments, timestamp, status, source) VALUES (?, ?, ?, NULL, 0, ?, ?, ?, ?, ?,"
        " 'DELIVERED', 'conversation')",
        (
            message.timestamp << ID_SHIFT,  # the ids of versions 1–3
            message.key,
            THEIRS,
            message.sender,
            message.receiver,
            message.text,
            '[{"name": "a.jpg", "url": "https://x.invalid/a.jpg", "mime": "image/jpeg"}]',
            message.timestamp,
        ),
    )
    connection.execute(
        "INSERT INTO conversations VALUES (?, ?, '', ?, ?, ?, 0, '')",
        (THEIRS, THEIRS, message.timestamp, message.text, message.key),
    )
    connection.execute("INSERT INTO contacts VALUES (?, ?, 'Łucja Wójcik')", (THEIRS, THEIRS))
    connection.commit()
    connection.close()

    with SqliteStore.open(store_path) as store:
        assert store.set_aside is None
        version = store._connection.execute("PRAGMA user_version").fetchone()[0]
        assert version == CURRENT_VERSION == 5
        [kept] = store.messages(THEIRS)
        assert kept.key == message.key
        assert kept.attachments[0].name == "a.jpg"
        # The upgrade filled the search index and the folded names from the old rows.
        hits = store.search("lukasza")
        assert [hit.message_key for hit in hits.messages] == [message.key]
        assert [c.name for c in store.search("wojcik").conversations] == ["Łucja Wójcik"]
        assert [c.key for c in store.search("0123456").conversations] == [THEIRS]
        # And it keeps working as a current store.
        store.add_messages(THEIRS, [inbound("później", 1_700_000_100)])
        assert [h.snippet for h in store.search("pozniej").messages] == ["później"]
        # Old rows were renumbered to the dense time-ordered ids: newest first still holds.
        store.add_messages(THEIRS, [inbound("Spotkanie jutro", 1_700_000_200)])
        assert [h.timestamp for h in store.search("spotkanie").messages] == [
            1_700_000_200,
            message.timestamp,
        ]
        ids = store._connection.execute("SELECT id FROM messages ORDER BY timestamp").fetchall()
        assert [row[0] for row in ids] == [
            time_id_range(t)[0] for t in (message.timestamp, 1_700_000_100, 1_700_000_200)
        ]


def _assert_rebuilt(store_path: Path, original: bytes) -> None:
    with SqliteStore.open(store_path) as store:
        assert store.set_aside is not None
        assert store.set_aside.name.startswith(store_path.name + ".corrupt-")
        assert store.set_aside.parent == store_path.parent
        assert store.set_aside.read_bytes() == original
        assert store.conversation_count() == 0
        store.add_messages(THEIRS, [inbound("fresh start", 2000)])
        assert [m.text for m in store.messages(THEIRS)] == ["fresh start"]
    assert file_mode(store_path) == 0o600
    # The rebuilt file opens cleanly next time.
    with SqliteStore.open(store_path) as store:
        assert store.set_aside is None


def test_garbage_file_is_set_aside_and_rebuilt(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    garbage = b"this is not a database at all \x00\xff" * 200
    store_path.write_bytes(garbage)
    _assert_rebuilt(store_path, garbage)


def test_truncated_file_is_set_aside_and_rebuilt(store_path: Path) -> None:
    with SqliteStore.open(store_path) as store:
        for batch in range(20):
            store.add_messages(
                THEIRS, [inbound(f"message {batch}-{n} " * 20, batch * 100 + n) for n in range(50)]
            )
    # Fold the WAL into the main file, then cut the file in half.
    connection = sqlite3.connect(store_path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    whole = store_path.read_bytes()
    assert len(whole) > 64 * 1024
    store_path.write_bytes(whole[: len(whole) // 2])
    _assert_rebuilt(store_path, whole[: len(whole) // 2])


def test_file_from_a_newer_release_is_set_aside(store_path: Path) -> None:
    with SqliteStore.open(store_path):
        pass
    connection = sqlite3.connect(store_path)
    connection.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    connection.close()
    original = store_path.read_bytes()
    _assert_rebuilt(store_path, original)


def test_side_files_are_set_aside_with_the_database(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(b"garbage" * 100)
    wal = store_path.with_name(store_path.name + "-wal")
    wal.write_bytes(b"old wal")
    with SqliteStore.open(store_path) as store:
        assert store.set_aside is not None
        moved = store.set_aside.with_name(store.set_aside.name + "-wal")
        assert moved.read_bytes() == b"old wal"


def test_a_locked_store_is_not_mistaken_for_a_damaged_one(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SqliteStore.open(store_path) as store:
        store.add_messages(THEIRS, [inbound("precious", 1000)])
    blocker = sqlite3.connect(store_path, isolation_level=None)
    # An exclusive lock in a rollback journal mode blocks every other reader and writer.
    blocker.execute("PRAGMA journal_mode = DELETE")
    blocker.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(files, "BUSY_TIMEOUT_MS", 50)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            SqliteStore.open(store_path)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with SqliteStore.open(store_path) as store:
        assert store.set_aside is None
        assert [m.text for m in store.messages(THEIRS)] == ["precious"]
    assert not list(store_path.parent.glob("*.corrupt-*"))
