"""Feedback the user can trust: a resend that fails again says so, a copy says what it sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from smstui.domain.outbox import FAILED
from smstui.fake import FakeGateway
from smstui.system.clock import FixedClock
from smstui.ui.app import SmsApp
from tests.app.compose_helpers import pane_words, start, thread_message, type_and_send, wait_for
from tests.app_fixtures import STANDARD, MakeApp, settle

NO_CREDIT = "48000000108"
SENT = "The message text was sent to the terminal's clipboard (OSC 52)"
MAY_NOT = "; if nothing was copied, your terminal may not allow it"


def asked(log: Path) -> bool:
    return log.exists()


def notices(app: SmsApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_a_resend_that_fails_again_shows_the_attempt_and_its_time(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """R on a failed message that fails the same way: the note says attempt 2 and when."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.start_conversation(NO_CREDIT)
        await settle(pilot)
        await type_and_send(pilot, "Your order is ready")
        await settle(pilot)
        assert thread_message(app, "Your order is ready").status == FAILED
        assert "Not enough credit to send this message" in pane_words(app)
        assert "attempt" not in pane_words(app), "the first failure needs no count"
        assert isinstance(app.clock, FixedClock)
        app.clock.advance(180)  # 12:00 → 12:03
        inbox.message_pane.focus()
        await pilot.press("R")
        await settle(pilot)
        assert thread_message(app, "Your order is ready").status == FAILED
        assert "Not enough credit to send this message · attempt 2 at 12:03" in pane_words(app)


@pytest.fixture
def fake_tmux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``tmux`` on PATH that logs each call and answers $FAKE_TMUX_ANSWER."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "tmux.log"
    script = bin_dir / "tmux"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\necho "$FAKE_TMUX_ANSWER"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    return log


@pytest.mark.parametrize(
    ("tmux", "answer", "hint"),
    [
        (None, "", MAY_NOT),
        ("/tmp/tmux-1000/default,42,0", "on", MAY_NOT),
        (
            "/tmp/tmux-1000/default,42,0",
            "external",
            ", but tmux passes it on only with `set -s set-clipboard on` (it is external now)",
        ),
    ],
    ids=["no tmux", "tmux on", "tmux external"],
)
async def test_y_says_what_was_sent_and_hints_at_tmux_only_where_needed(
    make_app: MakeApp,
    fake_tmux: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmux: str | None,
    answer: str,
    hint: str,
) -> None:
    if tmux is not None:
        monkeypatch.setenv("TMUX", tmux)
    monkeypatch.setenv("FAKE_TMUX_ANSWER", answer)
    app = make_app()
    async with app.run_test(size=STANDARD, notifications=True) as pilot:
        inbox = await start(pilot)
        inbox.message_pane.focus()
        await pilot.press("y")
        await wait_for(pilot, lambda: bool(notices(app)), what="the copy notice")
        assert app.clipboard == inbox.message_pane.cursor_message.text  # type: ignore[union-attr]
        assert notices(app) == [SENT + hint]
    assert asked(fake_tmux) == (tmux is not None), "tmux is asked only inside tmux"
