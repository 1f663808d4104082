"""The ``fake-server`` command line: options, fault specs, and a real run until Ctrl+C."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

import httpx
import pytest

from smstui.fake.cli import add_arguments
from smstui.fake.faults import parse_fault_spec
from tests.fake.conftest import AUTH


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


def test_defaults() -> None:
    args = parse()
    assert (args.port, args.host, args.seed, args.scale) == (8787, None, 7, "full")
    assert (args.client_id, args.client_secret) == ("demo", "demo-secret")
    assert (args.fault, args.mode, args.inbound_every) == ([], [], None)


def test_faults_and_modes_parse() -> None:
    args = parse(
        "--fault", "reset",
        "--fault", "latency:*:0:ms=800",
        "--fault", "status_429:/message/inbox:2:retry_after=Wed, 21 Oct 2015 07:28:00 GMT,after=1",
        "--mode", "plain_400", "--mode", "error_int",
        "--inbound-every", "2.5",
    )  # fmt: skip
    reset, latency, limited = args.fault
    assert (reset.kind, reset.endpoint, reset.times, reset.after) == ("reset", "*", 1, 0)
    assert (latency.kind, latency.times, latency.params) == ("latency", 0, {"ms": 800})
    assert (limited.endpoint, limited.times, limited.after) == ("/message/inbox", 2, 1)
    assert limited.params == {"retry_after": "Wed, 21 Oct 2015 07:28:00 GMT"}
    assert args.mode == ["plain_400", "error_int"]
    assert args.inbound_every == 2.5


@pytest.mark.parametrize(
    "spec",
    [
        "explode",
        "latency:*:x",
        "latency:*:1:ms",
        "latency:*:1:seconds=3",
        "reset:*:1:after=x",
        "reset:*:0:every=0",
    ],
)
def test_bad_fault_specs_are_usage_errors(spec: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse("--fault", spec)
    assert exit_info.value.code == 2
    assert "--fault" in capsys.readouterr().err


def test_one_in_five_as_the_command_line_says_it() -> None:
    (fault,) = parse("--fault", "status_502_html:*:0:every=5").fault
    assert (fault.kind, fault.times, fault.every, fault.params) == ("status_502_html", 0, 5, {})


def test_fault_spec_with_v1_prefix_and_float() -> None:
    fault = parse_fault_spec("drip:/v1/conversation/*:3:interval=0.5,bytes=4")
    assert (fault.endpoint, fault.times, fault.params) == (
        "/conversation/*",
        3,
        {"interval": 0.5, "bytes": 4},
    )


def test_server_runs_until_interrupted() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # Started as a shell's background job is started: with SIGINT ignored. Ctrl+C (here SIGINT)
    # must stop it all the same, whatever the suite itself was started from.
    process = subprocess.Popen(
        [sys.executable, "-m", "smstui.fake", "--port", "0", "--scale", "small", "--quiet",
         "--fault", "status_503:/balance:1:retry_after=2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )  # fmt: skip
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        url = banner.split(" on ", 1)[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/v1")
        assert "demo-secret" in process.stdout.readline()
        with httpx.Client(base_url=url, headers=AUTH, trust_env=False, timeout=5) as client:
            assert client.get("/auth").json() == {"username": "demo"}
            limited = client.get("/balance")
            assert (limited.status_code, limited.headers["retry-after"]) == (503, "2")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
