"""The app and its terminal, in real processes: no terminal, a hangup, SIGTERM, a closed pty.

Each test starts ``python -m smstui`` as a child process with its own session, HOME and XDG
directories inside the test's folder, credentials in the environment and a null keyring, against
a fake gateway on loopback pinned to a fixed clock (conftest's ``gateway``). Every wait is a
condition with a deadline.
"""

from __future__ import annotations

import errno
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smstui.fake import FakeGateway
from smstui.store.drafts import DraftStore
from smstui.store.local_state import SqliteState
from tests.cli.conftest import CLIENT_ID, SECRET

DEADLINE = 20.0
"""Seconds allowed for the app to start (a loaded 2-core machine is slow)."""

EXIT_DEADLINE = 12.0
"""Seconds allowed between the stop and the process being gone: the app's own grace period
(smstui.system.terminal_watch.GRACE_SECONDS, after which it ends itself even if a dead terminal
blocks
the clean shutdown) plus room for a loaded machine."""

ALT_SCREEN_OFF = b"\x1b[?1049l"
MOUSE_OFF = b"\x1b[?1000l"
MOUSE_ON = b"\x1b[?1000h"
ALT_SCREEN_ON = b"\x1b[?1049h"

DRAFT = "zqx draft kept"


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail with ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:g} s waiting for {what}")
        time.sleep(0.02)


def child_env(home: Path) -> dict[str, str]:
    """An environment that keeps the child away from the real home, keyring and network."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SMSTOOLS_", "XDG_", "SSH_"))
        and key.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        SMSTOOLS_CLIENT_ID=CLIENT_ID,
        SMSTOOLS_CLIENT_SECRET=SECRET,
        TERM="xterm-256color",
        TEXTUAL_ANIMATIONS="none",
        EDITOR="true",
        VISUAL="true",
    )
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def session_gone(pgid: int) -> bool:
    """Whether no process of the child's process group is left."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


class PtyApp:
    """``python -m smstui`` on the slave side of a pty; everything it writes is collected."""

    def __init__(self, url: str, home: Path, *, controlling: bool = True) -> None:
        self.home = home
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.master = master
        self.output = bytearray()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._closed = False

        def make_controlling_terminal() -> None:  # in the child, after setsid()
            if controlling:
                fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            [sys.executable, "-m", "smstui", "--base-url", url],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=child_env(home),
            cwd=home,
            start_new_session=True,
            preexec_fn=make_controlling_terminal,  # sets the session's terminal
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        # select() with a timeout, never a read that blocks: a read in progress would keep the
        # master open after hang_up() closed it, and the child would never see the hangup.
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError as error:  # EIO: every slave fd is closed
                if error.errno == errno.EIO:
                    return
                raise
            if not chunk:
                return
            with self._lock:
                self.output += chunk

    def hang_up(self) -> None:
        """Close the master side, as a terminal emulator or sshd does when it goes away."""
        self._stop.set()
        self._reader.join(5)
        if not self._closed:
            self._closed = True
            os.close(self.master)

    def seen(self) -> bytes:
        with self._lock:
            return bytes(self.output)

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def wait_for_output(self, needle: bytes, seconds: float = DEADLINE) -> None:
        wait_until(lambda: needle in self.seen(), seconds, f"{needle!r} on the terminal")

    def wait_exit(self, seconds: float = EXIT_DEADLINE) -> int:
        return self.process.wait(timeout=seconds)

    def all_output(self) -> bytes:
        """Everything written, once the child is gone and the reader saw the end."""
        self._reader.join(EXIT_DEADLINE)
        assert not self._reader.is_alive(), "the terminal is still open on the child's side"
        return self.seen()

    def drafts(self) -> dict[str, str]:
        """The drafts as another process reads them: from the account's store."""
        stores = sorted((self.home / "data" / "smstui").glob("messages-*.sqlite3"))
        if not stores:
            return {}
        backend = SqliteState(stores[0])
        try:
            drafts = DraftStore(backend)
            return {key: drafts.get(key) for key in drafts.keys()}  # noqa: SIM118
        finally:
            backend.close()

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.hang_up()


@pytest.fixture
def start_app(gateway: FakeGateway, tmp_path: Path) -> Iterator[Callable[..., PtyApp]]:
    started: list[PtyApp] = []

    def start(*, controlling: bool = True) -> PtyApp:
        home = tmp_path / "child-home"
        home.mkdir(exist_ok=True)
        app = PtyApp(gateway.url, home, controlling=controlling)
        started.append(app)
        return app

    yield start
    for app in started:
        app.close()


def wait_until_ready(app: PtyApp) -> None:
    """Until a conversation is open in the composer: "Up to date" and the composer's meter.

    "Up to date" is said only once the conversation open at start is chosen and the composer
    is laid out (:mod:`smstui.session.start`); the meter ("0/160"), drawn only once the
    composer is bound to a conversation, is waited for too, as the proof on the terminal.
    """
    app.wait_for_output(b"Up to date")
    app.wait_for_output(b"0/160")


def type_a_draft(app: PtyApp) -> None:
    """Move to the open conversation's composer and type; the signal follows at once.

    The draft is written half a second after typing stops; the signal is sent as soon as the
    text shows, usually well before that.
    """
    wait_until_ready(app)
    mark = len(app.seen())
    app.type("\t\t")
    # The footer names the composer's keys once it has the focus: type only then.
    wait_until(lambda: b"Editor" in app.seen()[mark:], DEADLINE, "the composer's focus")
    app.type(DRAFT)
    app.wait_for_output(b"draft kept")


def assert_terminal_restored(output: bytes) -> None:
    """The last word on the terminal leaves the alternate screen and turns the mouse off."""
    assert ALT_SCREEN_ON in output, "the app never started"
    assert output.rfind(ALT_SCREEN_OFF) > output.rfind(ALT_SCREEN_ON)
    assert output.rfind(MOUSE_OFF) > output.rfind(MOUSE_ON)
    tail = output[output.rfind(ALT_SCREEN_OFF) :]
    assert MOUSE_ON not in tail
    assert ALT_SCREEN_ON not in tail


def test_no_terminal_exits_2_at_once_and_leaves_nothing_behind(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "smstui", "--base-url", "http://127.0.0.1:9/v1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(tmp_path),
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=DEADLINE)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
    assert process.returncode == 2
    assert err.decode() == "smstui needs a terminal; over SSH use ssh -t\n"
    assert out == b""
    wait_until(lambda: session_gone(process.pid), EXIT_DEADLINE, "no process left")


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["--version"], ["auth", "status"], ["auth", "logout"], ["fake-server", "--help"]],
)
def test_commands_without_the_app_need_no_terminal(argv, tmp_path):
    env = child_env(tmp_path)
    del env["SMSTOOLS_CLIENT_ID"], env["SMSTOOLS_CLIENT_SECRET"]
    result = subprocess.run(
        [sys.executable, "-m", "smstui", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=env,
        timeout=DEADLINE,
        check=False,
    )
    assert b"needs a terminal" not in result.stderr
    assert result.returncode in (0, 4), result.stderr  # 4: auth status finds no credentials


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGHUP, 129), (signal.SIGTERM, 143)])
def test_a_signal_saves_the_draft_restores_the_terminal_and_exits(start_app, signum, code):
    app = start_app()
    type_a_draft(app)
    os.kill(app.process.pid, signum)
    assert app.wait_exit() == code
    assert DRAFT in app.drafts().values()
    assert_terminal_restored(app.all_output())
    assert session_gone(app.process.pid)


@pytest.mark.parametrize("controlling", [True, False], ids=["hangup", "end-of-input-only"])
def test_closing_the_terminal_ends_the_app_with_the_draft_saved(start_app, controlling):
    app = start_app(controlling=controlling)
    type_a_draft(app)
    app.hang_up()
    assert app.wait_exit() == 129
    assert DRAFT in app.drafts().values()
    assert session_gone(app.process.pid)


def test_text_typed_right_after_tab_lands_in_the_composer(start_app):
    """Tab Tab and a text with a q in it, in one write (a fast typist, a password manager, a
    lagging SSH link): the text is typed into the composer, its q never quits."""
    app = start_app()
    wait_until_ready(app)
    app.type("\t\t" + DRAFT)
    wait_until(lambda: DRAFT in app.drafts().values(), DEADLINE, "the typed text as a draft")
    assert app.process.poll() is None, "the q of the text was obeyed as Quit"


def test_enter_on_the_thread_then_text_in_one_write_types_a_reply(start_app):
    """Enter on the thread means "reply"; the words written with it go into the composer."""
    app = start_app()
    wait_until_ready(app)
    mark = len(app.seen())
    app.type("\t")
    wait_until(lambda: b"Reply" in app.seen()[mark:], DEADLINE, "the thread's focus")
    app.type("\rquick reply")
    wait_until(lambda: "quick reply" in app.drafts().values(), DEADLINE, "the reply as a draft")
    assert app.process.poll() is None, "the q of the reply was obeyed as Quit"
