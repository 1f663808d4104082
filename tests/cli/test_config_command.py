"""``smstui config path|show``, ``smstui completion``, and ``--help``'s environment list."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import smstui
from smstui.cli.main import main
from smstui.system import paths

SOURCE = Path(smstui.__file__).parent


def test_config_path_names_the_file_in_use(tmp_path, capsys, monkeypatch):
    assert main(["config", "path"]) == 0
    out, err = capsys.readouterr()
    assert out == f"{paths.default_config_file()}\n"
    assert "does not exist yet" in err
    named = tmp_path / "other.toml"
    named.write_text("")
    monkeypatch.setenv("SMSTOOLS_CONFIG", str(named))
    assert main(["config", "path"]) == 0
    assert capsys.readouterr() == (f"{named}\n", "")
    assert main(["config", "path", "--config", str(tmp_path / "x.toml")]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'x.toml'}\n"


def parse_show(out: str) -> dict[str, tuple[str, str]]:
    """``config show``'s lines as key → (value, origin)."""
    rows = {}
    for line in out.splitlines():
        match = re.match(r"(\S+) = (.*?)\s+# (.*)$", line)
        if match:
            rows[match.group(1)] = (match.group(2), match.group(3))
    return rows


def test_config_show_says_where_each_setting_came_from(capsys, monkeypatch):
    paths.default_config_file().write_text(
        'client_id = "client-abcdef-123456"\n[paging]\ninbox = 42\n'
        '[[hooks]]\nrun = ["/bin/forward", "--token", "hook-token-xyz"]\n'
    )
    monkeypatch.setenv("SMSTOOLS_STORE_URL", "postgresql://anna:pg-pass-987@db.example/sms")
    assert main(["--dry-run", "config", "show", "--base-url", "https://gw.example/v1"]) == 0
    out = capsys.readouterr().out
    for secret in ("pg-pass-987", "hook-token-xyz", "client-abcdef-123456"):
        assert secret not in out
    rows = parse_show(out)
    assert rows["paging.inbox"] == ("42", "config file")
    assert rows["paging.older"] == ("500", "default")
    assert rows["client_id"] == ('"clie…3456"', "config file")
    assert rows["base_url"] == ('"https://gw.example/v1"', "command line (--base-url)")
    assert rows["dry_run"] == ("true", "command line (--dry-run)")
    assert rows["store_url"] == (
        '"postgresql://anna:********@db.example/sms"',
        "environment (SMSTOOLS_STORE_URL)",
    )
    assert {"sync.poll_interval", "notifications.quiet_hours", "team.operator"} <= set(rows)
    assert "[[hooks]]: 1 rules" in out


def test_config_show_is_valid_toml_of_the_settings(capsys):
    import tomllib

    assert main(["config", "show"]) == 0
    document = tomllib.loads(capsys.readouterr().out)
    assert document["base_url"] == "https://api.smsgatewayapi.com/v1"
    assert document["sync"]["poll_interval"] == 15


def test_help_names_every_environment_variable_smstui_reads(capsys):
    read = set()
    for path in SOURCE.rglob("*.py"):
        # Quoted: the names handed to os.environ (not SMSTOOLS_API.md in a docstring).
        read |= set(re.findall(r"[\"'](SMSTOOLS_[A-Z_]+)[\"']", path.read_text(encoding="utf-8")))
    assert {"SMSTOOLS_STORE_URL", "SMSTOOLS_BASE_URL", "SMSTOOLS_CONFIG"} <= read
    assert main(["--help"]) == 0
    help_text = capsys.readouterr().out
    missing = sorted(name for name in read if name not in help_text)
    assert missing == []
    for other in ("VISUAL", "EDITOR", "XDG_CONFIG_HOME"):
        assert other in help_text


def completion(shell: str, capsys) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


def complete_in_bash(script: str, *words: str) -> list[str]:
    """What bash offers after ``smstui WORDS…`` (the last word is the one being typed)."""
    driver = (
        f"{script}\nCOMP_WORDS=(smstui {' '.join(repr(w) for w in words)})\n"
        f"COMP_CWORD={len(words)}\n_smstui\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
    )
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", driver],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stdout.split()


def test_bash_completion_parses_and_offers_subcommands(capsys, tmp_path):
    script = completion("bash", capsys)
    file = tmp_path / "smstui.bash"
    file.write_text(script)
    subprocess.run(["bash", "-n", str(file)], check=True, timeout=30)
    first = complete_in_bash(script, "")
    assert {"send", "show", "export", "auth", "config", "completion", "--demo"} <= set(first)
    assert complete_in_bash(script, "au") == ["auth"]
    assert complete_in_bash(script, "auth", "") == ["login", "status", "logout", "--help"]
    assert "--insecure-storage" in complete_in_bash(script, "auth", "login", "--")
    # An option's value is not taken for a subcommand: --config's file, then show's options.
    assert "--offline" in complete_in_bash(script, "--config", "show", "show", "--")
    assert complete_in_bash(script, "completion", "") == ["bash", "zsh", "fish", "--help"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_name_every_subcommand(shell, capsys):
    script = completion(shell, capsys)
    for word in (
        "send",
        "show",
        "export",
        "login",
        "logout",
        "path",
        "offline",
        "insecure-storage",
    ):
        assert word in script


ZSH_DRIVER = """
compdef() {{ :; }}
compadd() {{ shift; print -r -- "$@"; }}
_files() {{ print FILES; }}
source {script}
words=(smstui {words}); CURRENT=${{#words}}
_smstui
"""


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completion_offers_subcommands(capsys, tmp_path):
    file = tmp_path / "_smstui"
    file.write_text(completion("zsh", capsys))
    subprocess.run(["zsh", "-n", str(file)], check=True, timeout=30)

    def offered(*words: str) -> list[str]:
        driver = ZSH_DRIVER.format(script=file, words=" ".join(repr(w) for w in words))
        done = subprocess.run(["zsh", "-f", "-c", driver], capture_output=True, text=True,
                              timeout=30, check=True)  # fmt: skip
        return done.stdout.split()

    assert offered("auth", "") == ["login", "status", "logout", "--help"]
    assert offered("--config", "") == ["FILES"]
    assert "--offline" in offered("show", "--")


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completion_offers_subcommands(capsys, tmp_path):
    file = tmp_path / "smstui.fish"
    file.write_text(completion("fish", capsys))
    subprocess.run(["fish", "-n", str(file)], check=True, timeout=30)

    def offered(line: str) -> list[str]:
        done = subprocess.run(["fish", "--no-config", "-c", f"source {file}; complete -C '{line}'"],
                              capture_output=True, text=True, timeout=30, check=True)  # fmt: skip
        return [row.split("\t")[0] for row in done.stdout.splitlines()]

    assert {"auth", "send", "config", "completion"} <= set(offered("smstui "))
    assert offered("smstui auth ") == ["login", "logout", "status"]
    assert "--insecure-storage" in offered("smstui auth login --")
