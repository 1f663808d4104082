"""The copy notice: what was sent, and the tmux hint only where the copy may be lost.

A stand-in ``tmux`` on PATH answers instead of the real one and writes down each call, so
the tests see exactly when tmux is asked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smstui.system.clipboard import TMUX_COMMAND, copied_notice, tmux_set_clipboard

SENT = "The message text was sent to the terminal's clipboard (OSC 52)"
MAY_NOT = "; if nothing was copied, your terminal may not allow it"


@pytest.fixture
def fake_tmux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put a ``tmux`` on PATH that logs its arguments and prints $FAKE_TMUX_ANSWER."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "tmux.log"
    script = bin_dir / "tmux"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> "{log}"\n'
        'if [ -n "$FAKE_TMUX_HANG" ]; then exec sleep 30; fi\n'
        'printf "%s\\n" "$FAKE_TMUX_ANSWER"\n'
        'exit "${FAKE_TMUX_EXIT:-0}"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    return log


def calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


async def test_outside_tmux_nothing_is_run_and_nothing_is_hinted(fake_tmux: Path) -> None:
    assert await tmux_set_clipboard({}) is None
    assert await tmux_set_clipboard({"TMUX": ""}) is None
    assert calls(fake_tmux) == []
    assert copied_notice("The message text", None) == SENT + MAY_NOT


@pytest.mark.parametrize(
    ("answer", "exit_code", "expected", "hint"),
    [
        ("on", 0, "on", MAY_NOT),
        (
            "external",
            0,
            "external",
            ", but tmux passes it on only with `set -s set-clipboard on` (it is external now)",
        ),
        (
            "off",
            0,
            "off",
            ", but tmux passes it on only with `set -s set-clipboard on` (it is off now)",
        ),
        ("", 1, "", "; inside tmux this needs `set -s set-clipboard on`"),
        ("\x1b]0;odd\x07", 0, "", "; inside tmux this needs `set -s set-clipboard on`"),
    ],
    ids=["on", "external", "off", "tmux failed", "odd answer"],
)
async def test_inside_tmux_the_hint_follows_its_setting(
    fake_tmux: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    exit_code: int,
    expected: str,
    hint: str,
) -> None:
    monkeypatch.setenv("FAKE_TMUX_ANSWER", answer)
    monkeypatch.setenv("FAKE_TMUX_EXIT", str(exit_code))
    tmux = await tmux_set_clipboard({"TMUX": "/tmp/tmux-1000/default,42,0"})
    assert tmux == expected
    assert calls(fake_tmux) == [" ".join(TMUX_COMMAND[1:])]
    assert copied_notice("The message text", tmux) == SENT + hint


async def test_a_tmux_that_does_not_answer_is_given_up_on(
    fake_tmux: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_TMUX_HANG", "1")
    assert await tmux_set_clipboard({"TMUX": "x"}, wait=0.2) == ""


async def test_no_tmux_program_gives_the_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tmux anywhere
    assert await tmux_set_clipboard({"TMUX": "x"}) == ""
