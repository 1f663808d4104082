"""``smstui send`` against the fake gateway over loopback: outcomes, exit codes, the store."""

from __future__ import annotations

import os
import time

import pytest

from smstui.fake.content import send_outcome
from smstui.fake.sending import OPTED_OUT_NUMBER
from smstui.system.exit_codes import (
    EXIT_CREDENTIALS,
    EXIT_NOT_DELIVERED,
    EXIT_OK,
    EXIT_SEND_REFUSED,
    EXIT_SEND_UNKNOWN,
    EXIT_TOO_MANY_PARTS,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    EXIT_WAIT_TIMEOUT,
)
from tests.commands.conftest import Run, make_gateway, open_store, point_at

TO = "+48 512 345 678"
TO_DIGITS = "48512345678"


def sends(gateway) -> list[dict]:
    return [r.body for r in gateway.requests if r.method == "POST" and r.path == "/message/send"]


def test_send_posts_once_prints_json_and_keeps_the_message(gateway, run: Run) -> None:
    result = run("send", TO, "Hello from a script", "--json")
    assert result.code == EXIT_OK, result.err
    report = result.json()
    assert report["outcome"] == "sent"
    message = report["message"]
    assert message["direction"] == "out"
    assert message["to"] == TO_DIGITS
    assert message["text"] == "Hello from a script"
    assert message["parts"] == 1
    assert message["encoding"] == "GSM-7"
    [body] = sends(gateway)
    assert body["to"] == TO_DIGITS
    assert body["message"] == "Hello from a script"
    assert body["reference"].startswith("smstui-")
    assert "test" not in body
    assert "date" not in body
    with open_store(gateway.url) as store:
        stored = store.message(message["key"])
    assert stored is not None
    assert stored.text == "Hello from a script"
    assert stored.outbound


def test_text_from_stdin_and_the_sender_option(gateway, run: Run) -> None:
    result = run("send", TO, "-", "--from", "32460123456", stdin="Line one\nline two\n")
    assert result.code == EXIT_OK, result.err
    [body] = sends(gateway)
    assert body["message"] == "Line one\nline two"  # the final newline of the input is dropped
    assert body["sender"] == "32460123456"
    assert result.out == ""  # no --json: nothing on stdout


def test_no_segment_line_when_stdin_is_not_a_terminal(gateway, run: Run) -> None:
    result = run("send", TO, "Hi")
    assert "part" not in result.err


def test_segment_count_on_stderr_when_stdin_is_a_terminal(gateway, run, monkeypatch) -> None:
    monkeypatch.setattr("smstui.cli.send._is_terminal", lambda stream: True)
    text = "Zażółć gęślą jaźń " * 5  # 90 UCS-2 characters: 2 parts
    result = run("send", TO, text.strip())
    assert result.code == EXIT_OK
    assert "2 parts · UCS-2" in result.err


def test_dry_run_uses_the_test_flag_and_stores_nothing(gateway, run: Run) -> None:
    result = run("send", TO, "Just checking", "--dry-run", "--json")
    assert result.code == EXIT_OK
    assert result.json()["outcome"] == "dry_run"
    [body] = sends(gateway)
    assert body["test"] is True
    with open_store(gateway.url) as store:
        assert store.conversation(TO_DIGITS) is None


def test_global_dry_run_also_applies(gateway, run: Run) -> None:
    assert run("--dry-run", "send", TO, "x").code == EXIT_OK
    assert sends(gateway)[0]["test"] is True


def test_at_local_time_goes_to_the_gateway_in_utc(gateway, run, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Warsaw")
    time.tzset()
    try:
        result = run("send", TO, "Later", "--at", "2026-11-28 09:00", "--json")
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
    assert result.code == EXIT_OK, result.err
    assert sends(gateway)[0]["date"] == "2026-11-28 08:00"
    assert "CET (UTC+01:00)" in result.err
    report = result.json()
    assert report["outcome"] == "scheduled"
    assert report["scheduled_for"] == "2026-11-28T09:00+01:00"


@pytest.fixture
def warsaw(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TZ", "Europe/Warsaw")
    time.tzset()
    yield
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.mark.parametrize(
    ("typed", "gateway_date", "said"),
    [
        ("+2h", "2026-11-27 14:00", "2026-11-27 15:00 CET (UTC+01:00)"),
        ("tomorrow 9:30", "2026-11-28 08:30", "2026-11-28 09:30 CET (UTC+01:00)"),
        ("2026-12-01 9:30", "2026-12-01 08:30", "2026-12-01 09:30 CET (UTC+01:00)"),
    ],
)
def test_at_takes_the_apps_formats(gateway, run, warsaw, typed, gateway_date, said) -> None:
    """The clock is 2026-11-27 12:00 UTC (13:00 in Warsaw)."""
    result = run("send", TO, "Later", "--at", typed)
    assert result.code == EXIT_OK, result.err
    assert sends(gateway)[0]["date"] == gateway_date
    assert f"scheduled for {said}" in result.err


def test_at_a_time_the_clocks_skip_is_refused_with_the_time_to_use(gateway, run, warsaw) -> None:
    result = run("send", TO, "Later", "--at", "2027-03-28 02:30")
    assert result.code == EXIT_USAGE
    assert "2027-03-28 02:30 does not exist here" in result.err
    assert "Did you mean 03:30?" in result.err
    assert sends(gateway) == []


def test_at_a_time_the_clocks_show_twice_is_the_first(gateway, run, warsaw) -> None:
    result = run("send", TO, "Later", "--at", "2027-10-31 02:30")
    assert result.code == EXIT_OK, result.err
    assert sends(gateway)[0]["date"] == "2027-10-31 00:30"  # 02:30 summer time, +02:00
    assert "the first 02:30" in result.err


def test_at_in_the_past_or_unreadable_is_a_usage_error(gateway, run: Run) -> None:
    assert run("send", TO, "x", "--at", "2026-11-27 11:00").code == EXIT_USAGE
    assert run("send", TO, "x", "--at", "tomorrow").code == EXIT_USAGE
    assert run("send", TO, "x", "--at", "2026-12-01 10:00", "--wait").code == EXIT_USAGE
    assert sends(gateway) == []


@pytest.mark.parametrize(
    ("args", "stdin"),
    [(("send", TO, ""), ""), (("send", TO), "  \n"), (("send", "not a number", "x"), "")],
)
def test_usage_errors_send_nothing(gateway, run: Run, args, stdin) -> None:
    assert run(*args, stdin=stdin).code == EXIT_USAGE
    assert sends(gateway) == []


POLISH_4_PARTS = "ą" * 202
"""202 UCS-2 characters: four parts of 67, one over the default max_parts."""


def test_unicode_over_max_parts_is_refused_unless_allowed(gateway, run: Run) -> None:
    result = run("send", TO, POLISH_4_PARTS, "--json")
    assert result.code == EXIT_TOO_MANY_PARTS == 11
    assert result.err == (
        "smstui: not sent: 4 parts (202 characters, UCS-2) is over max_parts = 3; it would be "
        "charged as 4 messages: to send it, add --allow-parts 4\n"
    )
    assert result.out == ""
    assert sends(gateway) == []


POLISH_2_PARTS = "ą" * 100


def max_parts_1(tmp_path) -> str:
    """A config with max_parts = 1: two parts are over it, and within what this gateway takes."""
    config = tmp_path / "config.toml"
    config.write_text("[sending]\nmax_parts = 1\n", encoding="utf-8")
    return str(config)


def test_allow_parts_must_cover_the_parts(gateway, run: Run, tmp_path) -> None:
    config = max_parts_1(tmp_path)
    result = run("send", TO, POLISH_2_PARTS, "--config", config, "--allow-parts", "1")
    assert result.code == EXIT_TOO_MANY_PARTS
    assert "over max_parts = 1 and --allow-parts 1 does not cover it" in result.err
    assert sends(gateway) == []
    result = run("send", TO, POLISH_2_PARTS, "--config", config, "--allow-parts", "2", "--json")
    assert result.code == EXIT_OK, result.err
    assert result.json()["parts"] == 2
    assert "2 parts · UCS-2 (100 characters), charged as 2 messages" in result.err
    assert [body["message"] for body in sends(gateway)] == [POLISH_2_PARTS]


def test_gsm_text_over_max_parts_is_refused_the_same_way(gateway, run: Run) -> None:
    result = run("send", TO, "x" * 500)
    assert result.code == EXIT_TOO_MANY_PARTS
    assert "4 parts (500 characters, GSM-7) is over max_parts = 3" in result.err
    assert sends(gateway) == []


def test_over_hard_max_parts_no_option_sends_it(gateway, run: Run) -> None:
    paste = "Zażółć gęślą jaźń. " * 55_000  # about a million accented characters, from stdin
    result = run("send", TO, "-", "--allow-parts", "100000", "--dry-run", stdin=paste)
    assert result.code == EXIT_TOO_MANY_PARTS
    assert result.err == (
        "smstui: not sent: 15,598 parts (1,045,000 characters, UCS-2) is over "
        "hard_max_parts = 10, which no option overrides; raise hard_max_parts under [sending] "
        "in the config to allow more\n"
    )
    assert sends(gateway) == []


def test_hard_max_parts_comes_from_the_config(gateway, run: Run, tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[sending]\nmax_parts = 2\nhard_max_parts = 3\n", encoding="utf-8")
    result = run("send", TO, POLISH_4_PARTS, "--config", str(config), "--allow-parts", "4")
    assert result.code == EXIT_TOO_MANY_PARTS
    assert "is over hard_max_parts = 3" in result.err
    config.write_text("[sending]\nmax_parts = 4\nhard_max_parts = 3\n", encoding="utf-8")
    result = run("send", TO, "x", "--config", str(config))
    assert result.code == 3  # the config is wrong: it says which keys and why
    assert '"sending.hard_max_parts" (3) must be at least "sending.max_parts" (4)' in result.err
    assert sends(gateway) == []


def test_dry_run_reports_the_parts(gateway, run: Run) -> None:
    result = run("send", TO, POLISH_2_PARTS, "--dry-run", "--json")
    assert result.code == EXIT_OK, result.err
    assert "dry run: the gateway accepted it (2 parts, UCS-2); nothing was sent" in result.err
    assert (result.json()["parts"], result.json()["encoding"]) == (2, "UCS-2")
    result = run("send", TO, "Just checking", "--dry-run")
    assert "(1 part, GSM-7)" in result.err


@pytest.mark.parametrize("value", ["0", "-1", "four"])
def test_allow_parts_takes_a_positive_number(gateway, run: Run, value: str) -> None:
    result = run("send", TO, POLISH_4_PARTS, "--allow-parts", value)
    assert result.code == EXIT_USAGE
    assert "argument --allow-parts: " in result.err  # a bad value, not an unknown option
    assert "must be at least 1 part" in result.err or "not a whole number" in result.err
    assert sends(gateway) == []


def test_refused_by_the_gateway(gateway, run: Run) -> None:
    result = run("send", "+" + OPTED_OUT_NUMBER, "hello", "--json")
    assert result.code == EXIT_SEND_REFUSED
    assert result.json()["outcome"] == "refused"
    assert "opted out" in result.err


def test_outcome_unknown_is_never_retried(gateway, run: Run) -> None:
    gateway.add_fault("drop_after_send", "/message/send")
    result = run("send", TO, "hello", "--json")
    assert result.code == EXIT_SEND_UNKNOWN
    assert result.json()["outcome"] == "unknown"
    assert "before sending it again" in result.err
    assert len(sends(gateway)) == 1


def test_unreachable_gateway_sends_nothing(run: Run, monkeypatch) -> None:
    with make_gateway() as gw:
        url = gw.url
    point_at(monkeypatch, url)  # stopped: nothing listens there any more
    result = run("send", TO, "hello", "--from", "32460123456")
    assert result.code == EXIT_UNREACHABLE
    assert "not sent" in result.err


def test_rejected_credentials(gateway, run: Run, monkeypatch) -> None:
    point_at(monkeypatch, gateway.url, secret="wrong-secret-000000")
    result = run("send", TO, "hello", "--from", "32460123456")
    assert result.code == EXIT_CREDENTIALS
    assert "wrong-secret" not in result.err


def test_wait_ends_with_the_final_status(gateway, run: Run) -> None:
    """Delivered exits 0 and not delivered 8; the fake decides by the message id."""
    seen: dict[str, int] = {}
    for attempt in range(40):
        result = run("send", TO, f"attempt {attempt}", "--wait", "--json")
        report = result.json()
        final, _ = send_outcome(report["message"]["id"])
        seen.setdefault(final, result.code)
        assert report["message"]["status"] == final
        expected = EXIT_OK if final == "DELIVERED" else EXIT_NOT_DELIVERED
        assert (result.code, report["outcome"]) == (
            expected,
            "delivered" if final == "DELIVERED" else "not_delivered",
        )
        if "DELIVERED" in seen and len(seen) > 1:
            break
    assert seen["DELIVERED"] == EXIT_OK
    assert EXIT_NOT_DELIVERED in seen.values()


def test_wait_times_out_with_its_own_code(run: Run, monkeypatch) -> None:
    with make_gateway(status_delays=(1000.0, 1000.0)) as gw:
        point_at(monkeypatch, gw.url)
        result = run("send", TO, "slow", "--wait", "--timeout", "1", "--json")
        posts = len(sends(gw))
    assert result.code == EXIT_WAIT_TIMEOUT
    assert result.json()["outcome"] == "wait_timeout"
    assert result.json()["message"]["status"] == "SUBMITTED"
    assert posts == 1


def test_the_real_program_sends_from_a_pipe(gateway) -> None:
    """End to end: the installed entry point, text on a pipe, JSON parsed back."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    program = Path(sys.executable).parent / "smstui"
    result = subprocess.run(
        [str(program), "send", TO, "--json"],
        input="Piped text\n",
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=60,
    )
    assert result.returncode == EXIT_OK, result.stderr
    assert json.loads(result.stdout)["message"]["text"] == "Piped text"
