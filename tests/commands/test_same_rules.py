"""The commands read input by the app's rules: a number typed without + is read where the
app's ``n`` reads it (the country of our sending number, then our other numbers')."""

from __future__ import annotations

from smstui.system.exit_codes import EXIT_OK
from tests.commands.conftest import Run

NATIONAL = "512999888"  # a Polish mobile written as a Pole types it; our first number is Belgian
INTERNATIONAL = "48512999888"


def test_send_reads_a_national_number_as_the_app_does(gateway, run: Run) -> None:
    result = run("send", NATIONAL, "Hi", "--dry-run", "--json")
    assert result.code == EXIT_OK, result.err
    assert result.json()["message"]["to"] == INTERNATIONAL
    [body] = [r.body for r in gateway.requests if r.method == "POST"]
    assert body["to"] == INTERNATIONAL


def test_show_reads_a_national_number_as_the_app_does(gateway, run: Run) -> None:
    assert run("send", "+48 512 999 888", "Hello there").code == EXIT_OK
    result = run("show", NATIONAL, "--json")
    assert result.code == EXIT_OK, result.err
    shown = result.json()
    assert shown["conversation"]["conversation"] == INTERNATIONAL
    assert [m["text"] for m in shown["messages"]][-1] == "Hello there"
