"""Builders for store tests: messages, inbox and sent rows with sensible defaults; a start line
for writer processes."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from smstui.domain.models import Attachment, InboxItem, Message, SentItem, message_key

sqlite_only = pytest.mark.parametrize("engine", ["sqlite"])
"""For a test of a fact about the SQLite file (FTS5, pragmas, query plans): its ``store`` fixture
is then only the SQLite one."""

OUR = "32460123456"
THEIRS = "32470123456"


def inbound(
    text: str,
    timestamp: int,
    *,
    sender: str = THEIRS,
    receiver: str = OUR,
    attachments: tuple[Attachment, ...] = (),
) -> Message:
    """An inbound message keyed as the conversation endpoint keys it."""
    return Message(
        key=message_key(None, False, sender, receiver, timestamp, text),
        message_id=None,
        outbound=False,
        sender=sender,
        receiver=receiver,
        text=text,
        attachments=attachments,
        timestamp=timestamp,
        status="DELIVERED",
    )


def outbound(
    text: str, timestamp: int, *, message_id: str, to: str = THEIRS, status: str = "SUBMITTED"
) -> Message:
    """An outbound message with a gateway id."""
    return Message(
        key=message_key(message_id, True, OUR, to, timestamp, text),
        message_id=message_id,
        outbound=True,
        sender=OUR,
        receiver=to,
        text=text,
        attachments=(),
        timestamp=timestamp,
        status=status,
    )


def inbox_item(
    text: str, timestamp: int | None, *, sender: str = THEIRS, receiver: str = OUR
) -> InboxItem:
    """A row of GET /message/inbox."""
    return InboxItem(
        id=f"in-{timestamp}",
        sender=sender,
        receiver=receiver,
        text=text,
        type="sms",
        date="",
        timestamp=timestamp,
    )


def sent_item(
    text: str,
    timestamp: int | None,
    *,
    message_id: str,
    to: str = THEIRS,
    status: str = "DELIVERED",
    kind: str = "single",
) -> SentItem:
    """A row of GET /message/logging."""
    return SentItem(
        id=f"log-{message_id}",
        message_id=message_id,
        text=text,
        to=to,
        sender=OUR,
        date="",
        timestamp=timestamp,
        type=kind,
        status=status,
    )


PHOTO = Attachment(
    name="invoice.jpg", url="https://files.example.invalid/invoice.jpg", mime="image/jpeg"
)


def start_together(
    go: Path, writers: dict[str, subprocess.Popen[str]], timeout: float = 60.0
) -> None:
    """Create ``go`` once every writer has said it is ready, so their writes really interleave.

    Each writer touches ``ready-<name>`` beside ``go`` when its set-up (imports, opening the
    store) is done. A writer that ends before that fails the test at once, with its
    error output.
    """
    deadline = time.monotonic() + timeout
    for name, writer in writers.items():
        ready = go.with_name(f"ready-{name}")
        while not ready.exists():
            if writer.poll() is not None:
                _, err = writer.communicate()
                raise AssertionError(f"writer {name} ended before it was ready:\n{err}")
            if time.monotonic() > deadline:
                raise AssertionError(f"writer {name} not ready within {timeout} s")
            time.sleep(0.005)
    go.touch()


@contextlib.contextmanager
def read_only(directory: Path) -> Iterator[Path]:
    """Make ``directory`` impossible to write into, root included, for the ``with`` block.

    ``chmod 0500`` stops an ordinary user; root ignores it, so as root the directory is also
    made immutable (``chattr +i``: ext4 and most local file systems). Skips the test where
    neither works.
    """
    os.chmod(directory, 0o500)
    immutable = False
    if os.geteuid() == 0:
        immutable = subprocess.run(["chattr", "+i", str(directory)], check=False).returncode == 0
    try:
        try:
            (directory / "probe").touch()
        except OSError:
            yield directory
        else:
            pytest.skip("no way to make a directory read-only here")
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(directory)], check=True)
        os.chmod(directory, 0o700)
