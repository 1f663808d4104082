"""``conversations``, ``show``, ``search``, ``unread`` and ``export`` on the local store."""

from __future__ import annotations

import csv
import io
import os

from smstui.system import paths
from smstui.system.exit_codes import EXIT_CREDENTIALS, EXIT_OK, EXIT_STORE_ONLY, EXIT_USAGE
from tests.commands.conftest import (
    ANCHOR,
    CLIENT_ID,
    SECRET,
    Run,
    app_read_state,
    make_gateway,
    open_store,
    point_at,
)

NEW_NUMBER = "48600100200"


def test_conversations_json_matches_the_gateway(gateway, run: Run) -> None:
    result = run("conversations", "--json")
    assert result.code == EXIT_OK, result.err
    data = result.json()
    assert data["synced"] is True
    keys = [c["conversation"] for c in data["conversations"]]
    assert keys[:5] == gateway.conversation_numbers()[:5]
    first = data["conversations"][0]
    assert set(first) >= {"number", "name", "time", "timestamp", "last_direction", "unread"}
    assert first["time"].endswith("Z")


def test_conversations_table_is_aligned_and_plain(gateway, run: Run) -> None:
    result = run("conversations", "--limit", "4")
    lines = result.out.splitlines()
    assert lines[0].split() == ["TIME", "NUMBER", "NAME", "UNREAD", "LAST", "MESSAGE"]
    assert len(lines) == 5
    column = lines[0].index("NUMBER")
    assert all(line[column - 2 : column] == "  " for line in lines[1:])
    assert "\x1b" not in result.out


def test_unread_matches_the_apps_read_state(gateway, run: Run) -> None:
    # The app's read state with a baseline before two new messages arrive.
    state = app_read_state(gateway.url, ANCHOR - 60)
    state.load()
    assert run("unread").out == "0\n"
    gateway.deliver_inbound(NEW_NUMBER, "first")
    gateway.deliver_inbound(NEW_NUMBER, "second")
    result = run("unread")
    assert (result.code, result.out) == (EXIT_OK, "2\n")
    listed = run("conversations", "--unread", "--json").json()["conversations"]
    assert [(c["conversation"], c["unread"]) for c in listed] == [(NEW_NUMBER, 2)]
    # Read in the app up to the first; the second stays unread.
    state.mark_read(NEW_NUMBER, ANCHOR)
    assert run("unread", "--json").json() == {"unread": 1, "conversations": 1, "synced": True}


def test_a_reply_reads_what_came_before(gateway, run: Run) -> None:
    app_read_state(gateway.url, ANCHOR - 60).load()
    gateway.deliver_inbound(NEW_NUMBER, "question")
    assert run("unread").out == "1\n"
    assert run("send", "+" + NEW_NUMBER, "answer").code == EXIT_OK
    assert run("unread").out == "0\n"
    gateway.deliver_inbound(NEW_NUMBER, "follow-up")
    assert run("unread").out == "1\n"  # only what came after our reply


def test_show_prints_the_thread_oldest_first(gateway, run: Run) -> None:
    number = gateway.conversation_numbers()[0]
    data = run("show", "+" + number, "--limit", "5", "--json").json()
    messages = data["messages"]
    assert len(messages) == 5
    assert [m["timestamp"] for m in messages] == sorted(m["timestamp"] for m in messages)
    assert data["conversation"]["conversation"] == number
    assert all(m["conversation"] == number for m in messages)
    assert {m["direction"] for m in messages} <= {"in", "out"}
    human = run("show", number, "--limit", "5")
    assert human.code == EXIT_OK
    assert human.out.splitlines()[1].split()[:4] == ["TIME", "DIR", "STATUS", "TEXT"]


def test_show_fetches_a_thread_older_than_the_catch_up(gateway, run: Run) -> None:
    number = gateway.conversation_numbers()[-1]  # the oldest: not on the newest pages
    data = run("show", number, "--limit", "3", "--json").json()
    assert data["conversation"]["conversation"] == number
    assert len(data["messages"]) == 3
    assert gateway.count("GET", f"/conversation/{number}") == 1


def test_show_rejects_what_is_not_a_number(gateway, run: Run) -> None:
    assert run("show", "12ab").code == EXIT_USAGE


def test_search_finds_text_and_numbers(gateway, run: Run) -> None:
    gateway.deliver_inbound(NEW_NUMBER, "Is the pergola delivered on Saturday?")
    data = run("search", "pergola", "--json").json()
    assert [m["text"] for m in data["messages"]] == ["Is the pergola delivered on Saturday?"]
    assert data["messages"][0]["conversation"] == NEW_NUMBER
    assert "pergola" in data["messages"][0]["snippet"]
    by_number = run("search", NEW_NUMBER[-6:], "--json").json()
    assert NEW_NUMBER in [c["conversation"] for c in by_number["conversations"]]
    human = run("search", "pergola")
    assert "Saturday" in human.out


def test_export_formats(gateway, run: Run) -> None:
    gateway.deliver_inbound(NEW_NUMBER, "Zamówienie, proszę")
    run("send", "+" + NEW_NUMBER, "Dzięki, wysłane")
    jsonl = run("export", NEW_NUMBER, "--json").lines()
    assert [(m["direction"], m["text"]) for m in jsonl] == [
        ("in", "Zamówienie, proszę"),
        ("out", "Dzięki, wysłane"),
    ]
    assert jsonl[1]["status"]
    assert jsonl[0]["parts"] == 1
    assert jsonl[0]["encoding"] == "UCS-2"
    rows = list(csv.DictReader(io.StringIO(run("export", NEW_NUMBER, "--format", "csv").out)))
    assert [row["text"] for row in rows] == ["Zamówienie, proszę", "Dzięki, wysłane"]
    assert rows[1]["direction"] == "out"
    assert rows[1]["status"]
    text = run("export", NEW_NUMBER, "--format", "txt").out
    assert "← (1 part UCS-2)" in text
    assert "    Dzięki, wysłane" in text


def test_export_time_range(gateway, run: Run) -> None:
    every = run("export", "--json").lines()
    assert len(every) > 10
    since = run("export", "--json", "--since", "2026-11-27").lines()
    assert since
    assert all(m["timestamp"] >= ANCHOR - 12 * 3600 for m in since)
    assert len(since) < len(every)
    before = run("export", "--json", "--until", "2026-11-27T00:00Z").lines()
    assert len(before) + len(since) == len(every)


def test_export_usage_errors(gateway, run: Run) -> None:
    assert run("export", "--json", "--format", "csv").code == EXIT_USAGE
    assert run("export", "--since", "2026-11-27", "--until", "2026-11-26").code == EXIT_USAGE
    assert run("export", "--since", "yesterday").code == EXIT_USAGE


def test_unreachable_gateway_answers_from_the_store(run: Run, monkeypatch) -> None:
    with make_gateway() as gw:
        url = gw.url
        point_at(monkeypatch, url)
        online = run("conversations", "--json").json()["conversations"]
    result = run("conversations", "--json")  # the gateway is gone; same URL, same store
    assert result.code == EXIT_STORE_ONLY
    assert "could not be reached" in result.err
    data = result.json()
    assert data["synced"] is False
    assert data["conversations"] == online
    assert run("unread").code == EXIT_STORE_ONLY
    offline = run("conversations", "--offline", "--json")
    assert offline.code == EXIT_OK
    assert offline.err == ""


def test_offline_needs_only_the_client_id(run: Run, monkeypatch) -> None:
    with make_gateway() as gw:
        point_at(monkeypatch, gw.url)
        run("conversations")
        monkeypatch.delenv("SMSTOOLS_CLIENT_SECRET")
        monkeypatch.delenv("SMSTOOLS_CLIENT_ID")
        config = paths.config_dir() / "config.toml"
        config.write_text('client_id = "cmd-client-0001"\n')
        result = run("unread", "--offline")
        assert result.code == EXIT_OK
        assert run("unread").code == EXIT_CREDENTIALS


def test_store_is_the_apps_file(gateway, run: Run) -> None:
    run("conversations")
    with open_store(gateway.url) as store:
        assert store.conversation_count() > 0


def test_csv_export_keeps_would_be_formulas_as_text(gateway, run: Run) -> None:
    """A customer's "=HYPERLINK(…)" must not run when the export is opened in a spreadsheet."""
    gateway.deliver_inbound(NEW_NUMBER, '=HYPERLINK("http://x.invalid","click")')
    gateway.deliver_inbound(NEW_NUMBER, "-1+1")
    rows = list(csv.DictReader(io.StringIO(run("export", NEW_NUMBER, "--format", "csv").out)))
    assert [row["text"] for row in rows] == ['\'=HYPERLINK("http://x.invalid","click")', "'-1+1"]
    jsonl = run("export", NEW_NUMBER, "--json").lines()
    assert jsonl[0]["text"] == '=HYPERLINK("http://x.invalid","click")', "JSON keeps the text"


def test_csv_export_guards_every_cell_not_only_the_text(gateway, run: Run) -> None:
    """A contact name, a sender name or an id like "=HYPERLINK(…)" is kept as text too."""
    from smstui.domain.models import Contact, Message

    link = '=HYPERLINK("http://x.invalid","click")'
    with open_store(gateway.url) as store:
        store.set_contacts([Contact(id="1", phone=NEW_NUMBER, first_name=link, last_name="")])
        store.add_messages(
            NEW_NUMBER,
            [
                Message(key="id:@SUM(1+1)", message_id="@SUM(1+1)", outbound=True,
                        sender="+cmd|' /C calc'!A0", receiver=NEW_NUMBER, text="hello",
                        attachments=(), timestamp=1_795_000_000, status="-1+1"),
            ],
        )  # fmt: skip
    out = run("export", NEW_NUMBER, "--format", "csv", "--offline").out
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["name"] == "'" + link
    assert row["from"] == "'+cmd|' /C calc'!A0"
    assert (row["id"], row["key"], row["status"]) == ("'@SUM(1+1)", "id:@SUM(1+1)", "'-1+1")
    assert row["to"] == NEW_NUMBER, "a plain number stays as it is"
    assert row["text"] == "hello"


def test_a_reader_that_stops_early_ends_the_command_quietly() -> None:
    """`smstui export | head -1`: the closed pipe ends the command without a traceback."""
    import subprocess
    import sys

    with make_gateway() as gw:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("SMSTOOLS_")},
            "SMSTOOLS_CLIENT_ID": CLIENT_ID,
            "SMSTOOLS_CLIENT_SECRET": SECRET,
            "SMSTOOLS_BASE_URL": gw.url,
        }
        command = [sys.executable, "-m", "smstui", "export", "--format", "txt"]
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        ) as process:
            assert process.stdout is not None
            assert process.stdout.readline()
            process.stdout.close()  # the reader goes away, as `head -1` does
            _, err = process.communicate(timeout=60)
        assert process.returncode == 141, err
        assert b"Error" not in err, err
