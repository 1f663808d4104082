"""The store faults the README promises to handle, with the whole app on a real store file.

- A file damaged inside ("database disk image is malformed"), found while in use: set aside as
  ``….corrupt-<time>``, said once, rebuilt from the gateway; the next start is quiet.
- A read-only data directory: the messages are kept in memory, said once; the app works.
- A full disk (a real, small tmpfs): the status line says it is the disk, the draft is kept,
  and the history goes on when there is room again.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from smstui.fake import FakeGateway
from smstui.store.drafts import DraftStore
from smstui.store.local_state import SqliteState
from smstui.system.clock import FixedClock
from smstui.system.config import Settings
from smstui.system.secret import Credentials, Secret
from smstui.ui.app import SmsApp
from tests.app.compose_helpers import inbox_of, wait_for
from tests.app_fixtures import ANCHOR, SECRET, STANDARD, PopenRecorder, screen_text, settle, ssh
from tests.store.test_store_faults import read_only_dir  # noqa: F401  (a fixture)


def store_app(gw: FakeGateway, state: Path, store: Path | None = None, **settings: Any) -> SmsApp:
    """An app whose state lives in ``state`` and whose store lives in ``store`` (or ``state``)."""
    return SmsApp(
        settings=Settings(base_url=gw.url, **settings),
        credentials=Credentials("test-client", Secret(SECRET), source="test"),
        clock=FixedClock(ANCHOR),
        environment=ssh(),
        state_dir=state,
        store_dir=store,
        popen=PopenRecorder(),
    )


def toasts(app: SmsApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def thread_shown(pilot: Pilot[Any]) -> None:
    inbox = inbox_of(pilot.app)  # type: ignore[arg-type]
    await wait_for(
        pilot,
        lambda: inbox.thread is not None and len(inbox.thread.messages) > 3,
        seconds=30,
        what="the newest conversation",
    )


def the_store(directory: Path) -> Path:
    (found,) = directory.glob("messages-*.sqlite3")
    return found


def set_aside_files(directory: Path) -> list[Path]:
    return list(directory.glob("messages-*.sqlite3.corrupt-*"))


def draft_of(store_file: Path, key: str) -> str:
    """The draft of one conversation as the next start reads it."""
    return DraftStore(SqliteState(store_file)).get(key)


def reserve_of(store_file: Path) -> Path:
    return store_file.with_name(store_file.name + ".reserve")


def damage(path: Path) -> None:
    """Overwrite the middle third of a valid database file's pages with garbage."""
    size = path.stat().st_size
    pages = size // 4096
    assert pages > 30, "a store big enough to damage inside"
    with path.open("r+b") as handle:
        for page in range(pages // 3, 2 * pages // 3):
            handle.seek(page * 4096)
            handle.write(b"\xde\xad\xbe\xef" * 1024)


async def test_a_store_damaged_inside_is_set_aside_and_rebuilt_once(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    async with store_app(fresh_gateway, tmp_path).run_test(size=STANDARD) as pilot:
        await thread_shown(pilot)
        await settle(pilot)
        await inbox_of(pilot.app).store.settled()  # type: ignore[arg-type]
    damage(the_store(tmp_path))
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD, notifications=True) as pilot:
        await wait_for(
            pilot,
            lambda: any("was damaged; it was set aside as" in t for t in toasts(app)),
            seconds=30,
            what="the app to say the store was set aside",
        )
        await thread_shown(pilot)
        await settle(pilot)
    assert set_aside_files(tmp_path), "the damaged file is kept"
    again = store_app(fresh_gateway, tmp_path)
    async with again.run_test(size=STANDARD, notifications=True) as pilot:
        await thread_shown(pilot)
        await settle(pilot)
        assert not any("damaged" in t or "Could not" in t for t in toasts(again))
    assert again.crash is None


async def test_a_read_only_data_directory_keeps_the_messages_in_memory(
    fresh_gateway: FakeGateway,
    tmp_path: Path,
    read_only_dir: Path,  # noqa: F811
) -> None:
    state = tmp_path / "state"
    app = store_app(fresh_gateway, state, read_only_dir)
    async with app.run_test(size=STANDARD, notifications=True) as pilot:
        await thread_shown(pilot)
        await wait_for(
            pilot,
            lambda: any("kept in memory only this time" in t for t in toasts(app)),
            what="the app to say the messages are kept in memory",
        )
        await settle(pilot)
        inbox = inbox_of(app)
        assert len(inbox.conversation_list.rows) > 5
        said = [t for t in toasts(app) if "memory" in t]
        assert len(said) == 1, said
        kept = [t for t in toasts(app) if "not kept after this run" in t]
        assert len(kept) == 1, toasts(app)
        assert kept[0].startswith("Drafts, read markers, mutes and unsent messages")
    assert app.crash is None


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real file system of 3 MB (tmpfs), for a disk that fills; skipped where it can't mount."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("a small file system cannot be mounted here (needs root)")
    try:
        yield mount_point
    finally:
        with contextlib.suppress(OSError):
            subprocess.run(["umount", "-l", str(mount_point)], check=False)


def grow(mount_point: Path) -> None:
    """Space comes back: the file system grows to 64 MB."""
    subprocess.run(
        ["mount", "-o", "remount,size=64m", str(mount_point)], check=True, capture_output=True
    )


async def test_a_full_disk_says_so_keeps_the_draft_and_goes_on_when_there_is_room(
    fresh_gateway: FakeGateway, tmp_path: Path, small_disk: Path
) -> None:
    state = tmp_path / "state"
    app = store_app(fresh_gateway, state, small_disk, backfill_page_size=200)
    async with app.run_test(size=STANDARD, notifications=True) as pilot:
        inbox = inbox_of(app)
        await wait_for(
            pilot,
            lambda: "the disk is full" in screen_text(app),
            seconds=60,
            what="the status line to say the disk is full",
        )
        assert any(t.startswith("The disk is full:") for t in toasts(app))
        assert "Something went wrong" not in screen_text(app)
        await thread_shown(pilot)
        assert inbox.thread is not None
        draft_key = inbox.thread.key
        inbox.composer.text_area.focus()
        inbox.composer.text_area.insert("Typed while the disk is full")
        await pilot.pause()
        await pilot.press("escape")  # leaving the composer keeps the draft
        await pilot.pause(0.5)
        grow(small_disk)
        await wait_for(
            pilot,
            lambda: inbox.store.progress is not None and inbox.store.progress.done,
            seconds=90,
            what="the history to be read once there is room",
        )
    assert app.crash is None
    assert draft_of(the_store(small_disk), draft_key) == "Typed while the disk is full"
    assert reserve_of(the_store(small_disk)).exists(), "the reserve is back"
