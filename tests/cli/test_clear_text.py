"""The client secret never travels in clear text: no plain http:// off this machine, no proxy."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest

from smstui.cli.main import main
from smstui.system import paths
from smstui.system.config import check_url
from tests.cli.conftest import SECRET


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/v1",
        "http://127.1.2.3/v1",
        "http://[::1]:9000/v1",
        "http://localhost:8080/v1",
        "http://LOCALHOST./v1",
        "https://api.example.com/v1",
    ],
)
def test_https_and_loopback_http_are_accepted(url):
    assert check_url(url) == ""


@pytest.mark.parametrize(
    "url",
    [
        "http://api.smsgatewayapi.com/v1",
        "http://192.168.1.10:8080/v1",
        "http://[::ffff:8.8.8.8]/v1",
        "http://localhost.example.com/v1",
        "http://127.0.0.1.nip.io/v1",
    ],
)
def test_plain_http_elsewhere_is_refused(url):
    assert "clear text" in check_url(url)


@pytest.mark.parametrize(
    ("how", "named"),
    [("file", '"base_url"'), ("environment", "SMSTOOLS_BASE_URL"), ("flag", "--base-url")],
)
def test_plain_http_exits_3_naming_the_setting(how, named, monkeypatch, capsys):
    url = "http://gateway.example.net/v1"
    argv = ["auth", "login"]
    if how == "file":
        paths.default_config_file().write_text(f'base_url = "{url}"\n')
    elif how == "environment":
        monkeypatch.setenv("SMSTOOLS_BASE_URL", url)
    else:
        argv = ["--base-url", url, *argv]
    assert main(argv) == 3
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert named in lines[0]
    assert "https://" in lines[0]
    if how == "file":
        assert str(paths.default_config_file()) in lines[0]


class Listener:
    """A loopback TCP listener that records every byte sent to it and answers nothing."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.received = bytearray()
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            with conn:
                conn.settimeout(0.5)
                with contextlib.suppress(OSError):
                    self.received += conn.recv(65536)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture
def proxy(monkeypatch) -> Iterator[Listener]:
    listener = Listener()
    for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{listener.port}")
    yield listener
    listener.close()


def test_loopback_http_never_goes_through_an_environment_proxy(
    proxy, gateway, terminal, memory_keyring, capsys
):
    assert main(["--base-url", gateway.url, "auth", "login"]) == 0
    assert [(r.method, r.path) for r in gateway.requests] == [("GET", "/auth")]
    proxy.close()  # joins the listener: anything it accepted is recorded by now
    assert proxy.connections == 0
    assert SECRET.encode() not in proxy.received
