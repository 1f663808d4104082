"""PostgreSQL only: processes writing at once, data_version, masked URLs, unreachable servers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from smstui.store.location import StoreError, StoreLocation, open_message_store
from smstui.store.postgres_store import PostgresStore
from smstui.sync.access import StoreAccess
from smstui.system.config import ConfigError, load_settings
from smstui.system.secret import SecretUrl
from tests.store.helpers import THEIRS, inbound

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from smstui.domain.models import Message
    from smstui.system.secret import SecretUrl
    from smstui.store.postgres_store import PostgresStore

    url, schema, name, count, go = sys.argv[1:6]
    store = PostgresStore.open(SecretUrl(url), schema)
    while not Path(go).exists():  # start together, so the writes really interleave
        time.sleep(0.005)
    for n in range(int(count)):
        conversation = f"4850000{n % 7:04d}"
        message = Message(
            key=f"id:{name}-{n}", message_id=f"{name}-{n}", outbound=True, sender="1",
            receiver=conversation, text=f"{name} wrote number {n}", attachments=(),
            timestamp=1_000_000 + n // 3, status="",
        )
        store.add_messages(conversation, [message])
        store.set_cursor(f"{name}-{n % 5}", str(n))
    store.close()
    print("done")
    """
)


def test_two_processes_writing_at_once_lose_nothing(
    pg_url: SecretUrl, pg_schema: str, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    count = 150
    args = [pg_url.reveal(), pg_schema]
    # Both create the (new) schema at once too: the migration takes the account's lock.
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, *args, name, str(count), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    go.touch()
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert out.strip() == "done"
    with PostgresStore.open(pg_url, pg_schema) as store:
        keys = {m.key for c in store.conversations() for m in store.messages(c.key)}
        assert keys == {f"id:{name}-{n}" for name in ("a", "b") for n in range(count)}
        for name in ("a", "b"):
            for slot in range(5):
                last = max(n for n in range(count) if n % 5 == slot)
                assert store.cursor(f"{name}-{slot}") == str(last)
        # Same-second messages of both writers got distinct, time-ordered ids.
        ids = [row[0] for row in store._connection.execute("SELECT id FROM messages")]
        assert len(set(ids)) == 2 * count
        assert len(store.search("wrote number", limit=500, budget_s=None).messages) == 2 * count


def test_data_version_moves_for_other_connections_only(pg_url: SecretUrl, pg_schema: str) -> None:
    with (
        PostgresStore.open(pg_url, pg_schema) as mine,
        PostgresStore.open(pg_url, pg_schema) as other,
    ):
        before = mine.data_version()
        mine.add_messages(THEIRS, [inbound("my own write", 1000)])
        mine.set_cursor("x", "1")
        assert mine.data_version() == before
        other.set_cursor("other", "yes")
        after = mine.data_version()
        assert after != before
        assert mine.cursor("other") == "yes"
        assert mine.data_version() == after


def test_a_failed_write_rolls_back_and_the_store_goes_on(pg_url: SecretUrl, pg_schema: str) -> None:
    with PostgresStore.open(pg_url, pg_schema) as store:

        def half_then_fail() -> None:
            with store._write() as connection:
                connection.execute("INSERT INTO state (name, value) VALUES ('half', 'done')")
                connection.execute("SELECT no_such_column FROM state")

        with pytest.raises(StoreError):
            half_then_fail()
        assert store.cursor("half") is None
        store.set_cursor("after", "1")
        assert store.cursor("after") == "1"


URL = "postgresql://alice:s3cr%40t-pw@db.example.invalid:5432/sms"


def test_the_url_password_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    url = SecretUrl(URL)
    for text in (repr(url), str(url)):
        assert "s3cr" not in text
        assert "alice:********@db.example.invalid" in text
    location = StoreLocation.for_account("id", "https://gw.example", Path("/x"), url)
    assert "s3cr" not in str(location)
    assert "s3cr" not in repr(location)
    assert location.schema.startswith("smstui_")
    monkeypatch.setenv("SMSTOOLS_STORE_URL", URL + "?password=other-secret")
    settings = load_settings()
    assert settings.store_url is not None
    assert settings.store_url.reveal().startswith(URL)
    assert "s3cr" not in repr(settings)
    assert "other-secret" not in repr(settings)
    monkeypatch.setenv("SMSTOOLS_STORE_URL", "mysql://root:hunter2@db/x")
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert "hunter2" not in str(raised.value)
    assert "SMSTOOLS_STORE_URL" in str(raised.value)


def test_env_overrides_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('store_url = "postgresql://file@db/sms"\n')
    assert load_settings(config).store_url == SecretUrl("postgresql://file@db/sms")
    monkeypatch.setenv("SMSTOOLS_STORE_URL", "postgres://env@db/sms")
    assert load_settings(config).store_url == SecretUrl("postgres://env@db/sms")
    config.write_text('store_url = ""\n')
    monkeypatch.delenv("SMSTOOLS_STORE_URL")
    assert load_settings(config).store_url is None


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://alice:s3cr3t@127.0.0.1:1/sms",  # nothing listens on port 1
        "postgresql://alice:s3cr3t@/sms?host=/nonexistent-dir",
        "postgresql://alice:s3cr3t@127.0.0.1:1/sms?sslmode=bogus",
    ],
)
def test_an_unreachable_server_is_one_line_without_the_password(url: str) -> None:
    location = StoreLocation(path=Path("/unused"), url=SecretUrl(url), schema="smstui_x")
    with pytest.raises(StoreError) as raised:
        open_message_store(location)
    text = str(raised.value)
    assert text
    assert "\n" not in text
    assert "s3cr3t" not in text


def test_wrong_password_is_masked(pg_url: SecretUrl, pg_schema: str) -> None:
    # The test server trusts local connections; a wrong database name is refused instead.
    wrong = SecretUrl(pg_url.reveal().replace("/postgres?", "/no_such_db?", 1))
    with pytest.raises(StoreError) as raised:
        PostgresStore.open(wrong, pg_schema)
    assert "no_such_db" in str(raised.value)


async def test_the_app_runs_without_a_store_when_the_server_is_down() -> None:
    url = SecretUrl("postgresql://alice:s3cr3t@127.0.0.1:1/sms")
    access = StoreAccess(StoreLocation(path=Path("/unused"), url=url, schema="smstui_x"))
    assert await access.open() is None
    assert access.unavailable
    assert access.problem.startswith("Messages are not kept on this machine: ")
    assert "s3cr3t" not in access.problem
    assert "\n" not in access.problem
    assert await access.call(lambda store: store.conversations()) is None
