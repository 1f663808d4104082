"""Delivery statuses as the user reads them on a bubble."""

from __future__ import annotations

import pytest

from smstui.domain.delivery import StatusLook, describe_status, is_final


@pytest.mark.parametrize(
    ("status", "look"),
    [
        ("SUBMITTED", StatusLook("✓", "sent", "pending")),
        ("BUFFERED", StatusLook("◷", "buffered", "warn")),
        ("DELIVERED", StatusLook("✓✓", "delivered", "ok")),
        ("NOT DELIVERED", StatusLook("✗", "not delivered", "error")),
        ("REJECTED", StatusLook("⊘", "rejected", "error")),
        ("UNKNOWN", StatusLook("?", "unknown", "muted")),
        ("SENDING", StatusLook("…", "sending", "pending")),
        ("FAILED", StatusLook("!", "failed", "error")),
        ("OUTCOME UNKNOWN", StatusLook("?", "not confirmed", "warn")),
    ],
)
def test_known_statuses(status: str, look: StatusLook) -> None:
    assert describe_status(status) == look


@pytest.mark.parametrize("spelling", ["delivered", "Delivered", " DELIVERED ", "dElIvErEd"])
def test_matching_ignores_case_and_outer_space(spelling: str) -> None:
    assert describe_status(spelling).word == "delivered"


@pytest.mark.parametrize(
    "spelling", ["not delivered", "NOT_DELIVERED", "not-delivered", "NOT  DELIVERED"]
)
def test_word_separators_are_tolerated(spelling: str) -> None:
    assert describe_status(spelling).word == "not delivered"


def test_no_status_shows_nothing() -> None:
    assert describe_status("") == StatusLook("", "", "muted")
    assert describe_status("   ") == StatusLook("", "", "muted")


def test_unknown_statuses_are_shown_verbatim_but_cleaned_and_short() -> None:
    assert describe_status("EXPIRED") == StatusLook("?", "EXPIRED", "muted")
    hostile = describe_status("\x1b]52;c;AAAA\x07[@click=app.quit]x\nnext")
    assert "\x1b" not in hostile.word
    assert "\n" not in hostile.word
    assert hostile.glyph == "?"
    assert hostile.tone == "muted"
    assert len(describe_status("Z" * 500).word) <= 24


def test_final_states() -> None:
    assert all(is_final(s) for s in ("DELIVERED", "not delivered", "REJECTED", "failed"))
    pending = ("SUBMITTED", "BUFFERED", "SENDING", "UNKNOWN", "OUTCOME UNKNOWN", "", "EXPIRED")
    assert not any(is_final(s) for s in pending)
