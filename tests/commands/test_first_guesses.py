"""What a new user types first: a format as a word, a name, ``--offline`` for a status line."""

from __future__ import annotations

import getpass

import keyring

from smstui.cli.main import main
from smstui.system.exit_codes import EXIT_OK, EXIT_USAGE
from tests.commands.conftest import ANCHOR, CLIENT_ID, SECRET, Run, app_read_state
from tests.fakes import MemoryKeyring

NEW_NUMBER = "48600100200"


def test_export_takes_the_format_as_a_word(gateway, run: Run) -> None:
    gateway.deliver_inbound(NEW_NUMBER, "hello")
    every = run("export", "jsonl")
    assert every.code == EXIT_OK, every.err
    assert every.lines() == run("export", "--format", "jsonl").lines()
    one = run("export", "csv", NEW_NUMBER)
    assert one.code == EXIT_OK, one.err
    assert one.out.splitlines()[0].startswith("time,timestamp,conversation")
    assert len(one.out.splitlines()) == 2


def test_export_says_what_a_word_could_have_been(gateway, run: Run) -> None:
    clash = run("export", "csv", "--format", "txt")
    assert clash.code == EXIT_USAGE
    assert "two formats" in clash.err
    typo = run("export", "json")
    assert typo.code == EXIT_USAGE
    assert "formats: jsonl, csv, txt" in typo.err


def test_show_finds_a_contact_by_name(gateway, run: Run) -> None:
    listed = run("conversations", "--json").json()["conversations"]
    zuzanna = next(c for c in listed if c["name"] == "Zuzanna Bąk")
    for typed in ("Zuzanna", "zuzanna bak", "Zuzanna Bąk"):
        shown = run("show", typed, "--json", "--offline")
        assert shown.code == EXIT_OK, (typed, shown.err)
        assert shown.json()["conversation"]["conversation"] == zuzanna["conversation"]
    # A whole name wins over names that only contain it ("anna" is in "Zuzanna" too).
    anna = run("show", "anna stepien", "--json", "--offline").json()
    assert anna["conversation"]["name"] == "Anna Stępień"


def test_a_name_on_a_first_run_is_found_after_catching_up(gateway, run: Run) -> None:
    shown = run("show", "Zuzanna", "--json")  # nothing stored yet: the name comes with the sync
    assert shown.code == EXIT_OK, shown.err
    assert shown.json()["conversation"]["name"] == "Zuzanna Bąk"
    assert shown.json()["messages"]


def test_an_ambiguous_name_lists_the_candidates(gateway, run: Run) -> None:
    run("conversations")
    result = run("show", "Willemijn", "--offline")
    assert result.code == EXIT_USAGE
    assert "2 conversations match 'Willemijn'" in result.err
    assert "Willemijn Smits" in result.err
    assert "Willemijn van den Berg" in result.err
    assert "give the number" in result.err
    unknown = run("show", "Nobody Atall", "--offline")
    assert unknown.code == EXIT_USAGE
    assert "letters" in unknown.err


class AskedKeyring(MemoryKeyring):
    """Records every read: a locked Secret Service prompts for its password on each."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def get_password(self, service, username):
        self.asked.append(username)
        return super().get_password(service, username)


def test_offline_reading_never_asks_the_keyring(gateway, run: Run, monkeypatch) -> None:
    """The README's tmux status line: ``smstui unread --offline`` after ``auth login``."""
    monkeypatch.setattr("builtins.input", lambda prompt="": CLIENT_ID)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="", stream=None: SECRET)
    monkeypatch.delenv("SMSTOOLS_CLIENT_ID")
    monkeypatch.delenv("SMSTOOLS_CLIENT_SECRET")
    monkeypatch.delenv("SMSTOOLS_BASE_URL")
    asked = AskedKeyring()
    keyring.set_keyring(asked)
    assert main(["--base-url", gateway.url, "auth", "login"]) == EXIT_OK
    app_read_state(gateway.url, ANCHOR - 60).load()  # the app's baseline: older is read
    gateway.deliver_inbound(NEW_NUMBER, "unread one")
    assert run("--base-url", gateway.url, "conversations").code == EXIT_OK
    asked.asked.clear()
    result = run("unread", "--offline")  # the remembered gateway; no --base-url
    assert (result.code, result.err) == (EXIT_OK, "")
    assert result.out == "1\n"
    assert asked.asked == []
    assert SECRET not in result.out + result.err


def test_searched_messages_is_a_count(gateway, run: Run) -> None:
    gateway.deliver_inbound(NEW_NUMBER, "Is the pergola delivered on Saturday?")
    data = run("search", "pergola", "--json").json()
    stored = len(run("export", "jsonl", "--offline").lines())
    assert data["searched_messages"] == stored > 0
    assert data["message_text_searched"] is True
    short = run("search", "pe", "--json", "--offline").json()
    assert (short["searched_messages"], short["message_text_searched"]) == (0, False)
