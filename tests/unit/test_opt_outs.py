"""Opt-outs: telling a STOP-like reply, and the list kept in the state directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
    first = OptOutList(tmp_path)
    assert first.get("48500100200") is None
    entry = first.add("48500100200", now=1_700_000_000, reason=REASON_REPLY)
    assert entry.since == 1_700_000_000
    assert entry.reason == REASON_REPLY
    second = OptOutList(tmp_path)
    second.add("48000000131", now=1_700_000_100, reason=REASON_GATEWAY)
    first.add("48500100200", now=1_800_000_000, reason=REASON_GATEWAY)  # kept as it was
    third = OptOutList(tmp_path)
    assert third.numbers() == {"48500100200", "48000000131"}
    assert third.get("48500100200").since == 1_700_000_000  # type: ignore[union-attr]
    third.remove("48500100200")
    assert OptOutList(tmp_path).numbers() == {"48000000131"}
    assert (tmp_path / "opt_outs.json").stat().st_mode & 0o777 == 0o600


def test_a_damaged_file_is_set_aside(tmp_path: Path) -> None:
    (tmp_path / "opt_outs.json").write_text("{not json", encoding="utf-8")
    opt_outs = OptOutList(tmp_path)
    assert opt_outs.numbers() == frozenset()
    assert "opt_outs.json" in opt_outs.problem
    (tmp_path / "opt_outs.json").write_text(
        json.dumps({"numbers": {"x1": {}, "481": "bad", "482": {"since": True}}}), "utf-8"
    )
    opt_outs.load()
    assert opt_outs.numbers() == {"482"}
