"""Assignments and notes as the team shares them: payloads, ``@who`` filters, assignees."""

from __future__ import annotations

from smstui.domain.conversations import ConversationSummary
from smstui.domain.presence import PresenceNote, encode
from smstui.domain.team_shared import (
    TeamChange,
    decode_change,
    encode_change,
    owner_query,
    with_assignees,
)


def row(key: str) -> ConversationSummary:
    return ConversationSummary(key, key, "", "hi", 0, "")


def test_a_change_payload_reads_back_and_others_are_not_one() -> None:
    assert decode_change(encode_change("notes", "48500")) == TeamChange("notes", "48500")
    assert decode_change(encode_change("assignments", "x")) == TeamChange("assignments", "x")
    assert decode_change(encode(PresenceNote("s", "Anna", "48500", 1.0))) is None
    assert decode_change('{"kind":"messages","keys":null}') is None
    assert decode_change('{"team":"drop tables","conversation":"x"}') is None
    assert decode_change("not json") is None


def test_at_me_names_this_operator_and_at_name_any_other() -> None:
    assert owner_query("@me", "Anna") == ("Anna", "")
    assert owner_query("  @ME  wójcik ", "Anna") == ("Anna", "wójcik")
    assert owner_query("@ben", "Anna") == ("ben", "")
    assert owner_query("wójcik", "Anna") == (None, "wójcik")
    assert owner_query("", "Anna") == (None, "")


def test_rows_get_their_assignee_and_an_owner_keeps_only_theirs() -> None:
    rows = [row("1"), row("2"), row("3")]
    assignees = {"1": "Anna", "3": "Bén"}
    shown = with_assignees(rows, assignees, None)
    assert [r.assignee for r in shown] == ["Anna", "", "Bén"]
    assert [r.key for r in with_assignees(rows, assignees, "anna")] == ["1"]
    assert [r.key for r in with_assignees(rows, assignees, "BEN")] == ["3"], "accents optional"
    assert with_assignees(rows, {}, "Anna") == []
    assert with_assignees(rows, {}, None) is rows, "nothing assigned: the same rows"
