"""Presence notes: who is replying where, and that a silent session stops counting."""

from __future__ import annotations

from smstui.domain.presence import EXPIRES_S, PresenceBoard, PresenceNote, decode, encode


def test_a_note_round_trips_and_other_payloads_are_not_notes() -> None:
    note = PresenceNote("s1", "Anna", "48500", 12.5)
    assert decode(encode(note)) == note
    assert decode('{"kind":"messages","keys":null}') is None
    assert decode("not json") is None


def test_replying_counts_others_until_they_stop_or_fall_silent() -> None:
    board = PresenceBoard("me")
    assert not board.heard(PresenceNote("me", "Me", "48500", 0), now=0)
    assert board.heard(PresenceNote("s1", "Anna", "48500", 0), now=0)
    assert not board.heard(PresenceNote("s1", "Anna", "48500", 0), now=5), "a refresh"
    assert board.heard(PresenceNote("s2", "Ben", "48500", 0), now=5)
    assert board.replying("48500") == ["Anna", "Ben"]
    assert board.heard(PresenceNote("s2", "Ben", "", 0), now=6), "Ben stopped"
    assert board.replying("48500") == ["Anna"]
    assert not board.expire(now=5 + EXPIRES_S - 1)
    assert board.expire(now=5 + EXPIRES_S + 1), "Anna's app went silent"
    assert board.replying("48500") == []
