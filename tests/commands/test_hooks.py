"""Hooks: real child processes, argv without a shell, JSON on stdin, rate limit, timeout kill."""

from __future__ import annotations

import asyncio
import json
import re
import sys
import textwrap
import time
from pathlib import Path

import pytest

from smstui.cli.hooks import HookRunner
from smstui.system.config import ConfigError, load_settings
from smstui.system.exit_codes import EXIT_CONFIG
from smstui.system.hook_config import HookRule, parse_hooks
from tests.commands.conftest import Run

HOOK = textwrap.dedent(
    """
    import json, os, subprocess, sys, time
    out = sys.argv[1]
    record = {"argv": sys.argv[1:], "stdin": sys.stdin.read(), "pid": os.getpid(),
              "pgid": os.getpgid(0), "secret": os.environ.get("SMSTOOLS_CLIENT_SECRET")}
    if "hang" in sys.argv:
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        record["child"] = child.pid
    with open(out + ".tmp", "w") as f:
        json.dump(record, f)
    os.replace(out + ".tmp", out)
    if "hang" in sys.argv:
        time.sleep(600)
    if "fail" in sys.argv:
        sys.stderr.write("something broke")
        sys.exit(3)
    """
)

MESSAGE = {
    "key": "h:1",
    "conversation": "48512345678",
    "direction": "in",
    "text": "URGENT: call me",
    "number": "48512345678",
}


@pytest.fixture
def hook_script(tmp_path: Path) -> Path:
    path = tmp_path / "hook.py"
    path.write_text(HOOK)
    return path


def rule(script: Path, *args: str, **options) -> HookRule:
    return HookRule(name="test", run=(sys.executable, str(script), *args), **options)


def run_hooks(runner: HookRunner, *messages: dict) -> None:
    async def go() -> None:
        for message in messages:
            runner.fire(message)
        await runner.drain()

    asyncio.run(go())


def gone(pid: int) -> bool:
    """True when the process no longer exists (or is a zombie waiting for its reaper)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state == "Z"


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_argv_and_stdin_json_without_a_shell(hook_script, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SMSTOOLS_CLIENT_SECRET", "never-for-hooks-123456")
    out = tmp_path / "record.json"
    tricky = ["$(touch pwned)", "; touch pwned2", "`touch pwned3`", "a b"]
    runner = HookRunner((rule(hook_script, str(out), *tricky),))
    run_hooks(runner, MESSAGE)
    record = json.loads(out.read_text())
    assert record["argv"] == [str(out), *tricky]  # literal arguments: no shell expanded them
    assert json.loads(record["stdin"]) == MESSAGE
    assert record["pgid"] == record["pid"]  # a process group of its own
    assert record["secret"] is None  # the client secret is not handed to hooks
    assert not any(tmp_path.glob("pwned*"))
    assert [(r.returncode, r.error) for r in runner.results] == [(0, "")]


def test_matching_rules_only(hook_script, tmp_path) -> None:
    out = tmp_path / "record.json"
    rules = (
        rule(hook_script, str(tmp_path / "out.json"), direction="out"),
        rule(hook_script, str(tmp_path / "other.json"), numbers=("32470000000",)),
        rule(
            hook_script,
            str(out),
            numbers=("48512345678",),
            text=re.compile("(?i)urgent"),
        ),
    )
    run_hooks(HookRunner(rules), MESSAGE)
    assert out.exists()
    assert not (tmp_path / "out.json").exists()
    assert not (tmp_path / "other.json").exists()


def test_a_hung_hook_is_killed_with_its_process_group(hook_script, tmp_path) -> None:
    out = tmp_path / "record.json"
    said: list[str] = []
    runner = HookRunner((rule(hook_script, str(out), "hang", timeout=3.0),), report=said.append)
    started = time.monotonic()
    run_hooks(runner, MESSAGE)
    assert time.monotonic() - started < 30
    [result] = runner.results
    assert result.timed_out
    assert result.returncode is not None
    assert result.returncode < 0
    record = json.loads(out.read_text())
    assert wait_for(lambda: gone(record["pid"]))
    assert wait_for(lambda: gone(record["child"]))  # the grandchild went with the group
    assert any("killed after 3 s" in line for line in said)


def test_a_failing_hook_is_logged(hook_script, tmp_path) -> None:
    said: list[str] = []
    runner = HookRunner((rule(hook_script, str(tmp_path / "r.json"), "fail"),), report=said.append)
    run_hooks(runner, MESSAGE)
    assert said == ["hook test: exit status 3: something broke"]


def test_a_missing_program_is_logged(tmp_path) -> None:
    said: list[str] = []
    missing = HookRule(name="gone", run=(str(tmp_path / "no-such-program"),))
    runner = HookRunner((missing,), report=said.append)
    run_hooks(runner, MESSAGE)
    assert said
    assert said[0].startswith("hook gone: cannot start")


def test_rate_limit_per_rule(hook_script, tmp_path) -> None:
    now = [1000.0]
    said: list[str] = []
    runner = HookRunner(
        (rule(hook_script, str(tmp_path / "r.json"), max_per_minute=2),),
        monotonic=lambda: now[0],
        report=said.append,
    )
    run_hooks(runner, MESSAGE, MESSAGE, MESSAGE)
    assert len(runner.results) == 2
    assert said == ["hook test: skipped, over 2 runs a minute"]
    now[0] += 59
    run_hooks(runner, MESSAGE)
    assert len(runner.results) == 2
    now[0] += 2  # the first two runs are more than a minute old now
    run_hooks(runner, MESSAGE)
    assert len(runner.results) == 3


def test_config_shape() -> None:
    [parsed] = parse_hooks(
        [
            {
                "run": ["notify", "x"],
                "number": "+48 512 345 678",
                "text": "^hi",
                "direction": "any",
                "max_per_minute": 3,
                "timeout": 2,
            }
        ]
    )
    assert parsed.run == ("notify", "x")
    assert parsed.numbers == ("48512345678",)
    assert parsed.matches("out", "48512345678", "hi there")
    assert not parsed.matches("in", "48512345678", "oh hi")
    assert parsed.max_per_minute == 3
    assert parsed.timeout == 2.0
    [default] = parse_hooks([{"run": ["notify"]}])
    assert (default.direction, default.timeout, default.max_per_minute) == ("in", 10.0, 10)


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ({"run": "notify-send SMS; rm -rf ~"}, "never run through a shell"),
        ({"run": []}, "non-empty array"),
        ({"run": ["x"], "text": "("}, "not a valid regular expression"),
        ({"run": ["x"], "direction": "sideways"}, '"in", "out" or "any"'),
        ({"run": ["x"], "max_per_minute": 0}, "max_per_minute"),
        ({"run": ["x"], "timeout": -1}, "timeout"),
        ({"run": ["x"], "shell": True}, 'unknown key "hooks[1].shell"'),
    ],
)
def test_config_errors(table, says) -> None:
    with pytest.raises(ValueError, match=re.escape(says)):
        parse_hooks([table])


def test_a_shell_string_in_the_config_file_is_refused(tmp_path, run: Run, monkeypatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('hooks_enabled = true\n\n[[hooks]]\nrun = "touch pwned"\n')
    with pytest.raises(ConfigError, match="hooks never run through a shell"):
        load_settings(config)
    monkeypatch.setenv("SMSTOOLS_CLIENT_ID", "x")
    monkeypatch.setenv("SMSTOOLS_CLIENT_SECRET", "y" * 20)
    monkeypatch.chdir(tmp_path)
    result = run("watch", "--config", str(config))
    assert result.code == EXIT_CONFIG
    assert str(config) in result.err
    assert "shell" in result.err
    assert not (tmp_path / "pwned").exists()


def test_hooks_are_off_unless_enabled(tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[[hooks]]\nrun = ["notify"]\n')
    settings = load_settings(config)
    assert settings.hooks
    assert not settings.hooks_enabled
