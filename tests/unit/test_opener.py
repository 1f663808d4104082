"""Attachment links: which are refused, where a program is started, and how it is started."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import smstui.system.opener
from smstui.domain.urls import MAX_URL_LENGTH, validate_url
from smstui.system.opener import (
    Environment,
    detect_environment,
    launch,
    opener_command,
)

URL = "https://files.example.invalid/abc/invoice.jpg?x=1&y=2"
DESKTOP = Environment(remote=False, has_display=True)
SSH = Environment(remote=True, has_display=True)
HEADLESS = Environment(remote=False, has_display=False)


@pytest.mark.parametrize(
    "url",
    [
        URL,
        "http://example.com",
        "HTTPS://EXAMPLE.COM/a%20b",
        "https://例え.jp/ファイル.png",
        "https://example.com:8443/a?b=c#d",
    ],
)
def test_valid_urls_are_accepted_unchanged(url: str) -> None:
    assert validate_url(url) == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:alert(1)", "only http and https links are opened, not javascript:"),
        ("file:///etc/passwd", "not file:"),
        ("data:text/html,<script>", "not data:"),
        ("ftp://example.com/x", "not ftp:"),
        ("example.com/x", "no scheme"),
        ("https://", "no host"),
        ("https:///path", "no host"),
        ("", "empty"),
        ("https://example.com/\x1b[31m", "control characters"),
        ("https://example.com/a\nb", "control characters"),
        ("https://example.com/a b", "spaces"),
        ("https://evil.example/\u202egpj.exe", "control characters"),
        ("https://example.com/" + "a" * MAX_URL_LENGTH, f"longer than {MAX_URL_LENGTH}"),
        ("http://[::1/x", "malformed"),
    ],
)
def test_unsafe_urls_are_refused_with_a_reason(url: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason.replace("[", r"\[")) as caught:
        validate_url(url)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("env", "platform", "remote", "display", "can_launch", "description"),
    [
        (
            {"SSH_CONNECTION": "1 2 3 4", "DISPLAY": ":10"},
            "linux",
            True,
            True,
            False,
            "SSH session",
        ),
        ({"SSH_TTY": "/dev/pts/1"}, "linux", True, False, False, "SSH session"),
        ({"SSH_CLIENT": "1 2 3"}, "darwin", True, True, False, "SSH session"),
        ({"DISPLAY": ":0"}, "linux", False, True, True, "desktop"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False, True, True, "desktop"),
        ({}, "linux", False, False, False, "no display"),
        ({"DISPLAY": ""}, "linux", False, False, False, "no display"),
        ({}, "darwin", False, True, True, "desktop"),
        ({}, "win32", False, True, True, "desktop"),
        ({"WSL_DISTRO_NAME": "Ubuntu"}, "linux", False, True, True, "desktop"),
    ],
)
def test_environment_matrix(
    env: dict[str, str],
    platform: str,
    remote: bool,
    display: bool,
    can_launch: bool,
    description: str,
) -> None:
    found = detect_environment(env, platform)
    assert (found.remote, found.has_display, found.can_launch, found.description) == (
        remote,
        display,
        can_launch,
        description,
    )


def test_detect_environment_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    assert detect_environment(platform="linux").can_launch
    monkeypatch.setenv("SSH_CONNECTION", "x")
    assert not detect_environment(platform="linux").can_launch


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        (DESKTOP, "linux", ["xdg-open", URL]),
        (DESKTOP, "darwin", ["open", URL]),
        (DESKTOP, "win32", ["rundll32", "url.dll,FileProtocolHandler", URL]),
        (Environment(remote=False, has_display=True, wsl=True), "linux", ["wslview", URL]),
        (SSH, "linux", None),
        (HEADLESS, "linux", None),
    ],
)
def test_platform_opener(env: Environment, platform: str, expected: list[str] | None) -> None:
    assert opener_command(URL, "", env, platform) == expected


def test_configured_opener_with_placeholder() -> None:
    argv = opener_command(URL, "firefox --new-tab '%s' --profile 'my profile'", SSH, "linux")
    assert argv == ["firefox", "--new-tab", URL, "--profile", "my profile"]


def test_configured_opener_without_placeholder_gets_the_url_appended() -> None:
    assert opener_command(URL, "w3m", HEADLESS, "linux") == ["w3m", URL]


def test_configured_opener_that_cannot_be_parsed() -> None:
    with pytest.raises(ValueError, match="opener setting"):
        opener_command(URL, "firefox 'unclosed", DESKTOP, "linux")


def test_opener_command_refuses_unsafe_urls() -> None:
    with pytest.raises(ValueError, match="not javascript:"):
        opener_command("javascript:alert(1)", "firefox %s", DESKTOP, "linux")


class RecordingPopen:
    def __init__(self) -> None:
        self.calls: list[tuple[list[str], dict[str, Any]]] = []
        self.waited = 0

    def __call__(self, argv: list[str], **kwargs: Any) -> RecordingPopen:
        self.calls.append((argv, kwargs))
        return self

    def wait(self) -> int:
        self.waited += 1
        return 0


def test_launch_is_detached_and_silent() -> None:
    popen = RecordingPopen()
    launch(["xdg-open", URL], popen=popen)
    ((argv, kwargs),) = popen.calls
    assert argv == ["xdg-open", URL]
    assert kwargs == {
        "stdin": subprocess.DEVNULL,
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
        "start_new_session": True,
        "close_fds": True,
    }


def test_launch_failures_are_oserrors() -> None:
    def missing(argv: list[str], **kwargs: Any) -> None:
        raise FileNotFoundError(2, "No such file or directory", argv[0])

    def bad_argument(argv: list[str], **kwargs: Any) -> None:
        raise ValueError("embedded null byte")

    with pytest.raises(OSError, match="No such file"):
        launch(["no-such-opener", URL], popen=missing)
    with pytest.raises(OSError, match="embedded null byte"):
        launch(["x\x00", URL], popen=bad_argument)
    with pytest.raises(OSError, match="no command"):
        launch([], popen=RecordingPopen())


def test_launch_really_starts_a_program(tmp_path: Path) -> None:
    marker = tmp_path / "started"
    launch([sys.executable, "-c", f"open({str(marker)!r}, 'w').close()"])
    deadline = time.monotonic() + 10
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert marker.exists()


def test_opener_never_uses_webbrowser() -> None:
    source = Path(smstui.system.opener.__file__).read_text(encoding="utf-8")
    assert "webbrowser.open(" not in source
    assert "import webbrowser" not in source
