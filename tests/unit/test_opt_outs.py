"""Opt-outs: telling a STOP-like reply, and the list kept in the account's store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from smstui.store.local_state import SqliteState
from smstui.store.opt_outs import REASON_GATEWAY, REASON_REPLY, OptOutList, is_opt_out_request


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop",
        " Stop! ",
        "STOP.",
        "stop!!!",
        "STOPP",
        "Stoppen",
        "NIE",
        "nie.",
        "ARRET",
        "Arrêt",
        "ARRÊT !",
        "UNSUBSCRIBE",
        "Uitschrijven",
        "STOP ALL",
        "stop  all",
        '"stop"',
    ],
)
def test_stop_like_replies(text: str) -> None:
    assert is_opt_out_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "Don't stop the order",
        "stop by tomorrow?",
        "Please stop sending me the wrong size",
        "nie wiem",
        "Nie, dziękuję, przyjdę jutro",
        "STOPS",
        "unstop",
        "",
        "   ",
        "Stop! " * 20,
    ],
)
def test_sentences_and_other_words_are_not(text: str) -> None:
    assert not is_opt_out_request(text)


def test_the_list_is_kept_on_disk_and_shared(tmp_path: Path) -> None:
    store_file = tmp_path / "messages-test.sqlite3"

    def opt_outs() -> OptOutList:  # a start (or another process) reading the store
        return OptOutList(SqliteState(store_file))

    first = opt_outs()
    assert first.get("48500100200") is None
    entry = first.add("48500100200", now=1_700_000_000, reason=REASON_REPLY)
    assert entry.since == 1_700_000_000
    assert entry.reason == REASON_REPLY
    second = opt_outs()
    second.add("48000000131", now=1_700_000_100, reason=REASON_GATEWAY)
    first.add("48500100200", now=1_800_000_000, reason=REASON_GATEWAY)  # kept as it was
    third = opt_outs()
    assert third.numbers() == {"48500100200", "48000000131"}
    assert third.get("48500100200").since == 1_700_000_000  # type: ignore[union-attr]
    third.remove("48500100200")
    assert opt_outs().numbers() == {"48000000131"}
    assert store_file.stat().st_mode & 0o777 == 0o600


def test_stored_entries_that_are_not_opt_outs_are_skipped(tmp_path: Path) -> None:
    store_file = tmp_path / "messages-test.sqlite3"
    OptOutList(SqliteState(store_file)).add("483", now=5, reason=REASON_REPLY)
    with sqlite3.connect(store_file) as connection:  # as a later release might have left them
        connection.executemany(
            "INSERT INTO local_state (kind, key, value) VALUES ('opt_out', ?, ?)",
            [("x1", "{}"), ("481", '"bad"'), ("482", '{"since": true}')],
        )
    opt_outs = OptOutList(SqliteState(store_file))
    assert opt_outs.numbers() == {"482", "483"}
    assert opt_outs.get("482").since == 0  # type: ignore[union-attr]
