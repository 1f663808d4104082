"""Removing accents for GSM-7: what goes, what stays, and when it is worth offering."""

from __future__ import annotations

import pytest

from smstui.domain.accents import accent_saving, remove_accents
from smstui.domain.segments import analyse


def test_polish_letters_lose_their_accents() -> None:
    assert remove_accents("Zażółć gęślą jaźń ĄĆĘŁŃÓŚŹŻ") == "Zazolc gesla jazn ACELNOSZZ"


def test_czech_and_slovak_letters_lose_their_accents() -> None:
    assert remove_accents("Příliš žluťoučký kůň úpěl ďábelské ódy") == (
        "Prilis zlutoucky kun upel dabelské ody"  # é is GSM-7: kept
    )
    assert remove_accents("ľúbosť, ĺ, ŕ, ô, ý, č, ň, Ď, Ť") == "lubost, l, r, o, y, c, n, D, T"


@pytest.mark.parametrize("kept", list("éèùìòÇØøÅåÄÖÑÜßäöñüàÉÆæ"))
def test_letters_already_in_gsm7_stay(kept: str) -> None:
    assert remove_accents(f"a{kept}b") == f"a{kept}b"


def test_other_characters_stay() -> None:
    assert remove_accents("Привет 👍 “quote” €") == "Привет 👍 “quote” €"


def test_a_combining_accent_is_composed_first() -> None:
    assert remove_accents("cafe\u0301 z\u030c") == "café z"


def test_saving_is_offered_when_the_text_turns_gsm7() -> None:
    saving = accent_saving("Dzień dobry, zamówienie czeka.", 3)
    assert saving is not None
    assert saving.describe() == "UCS-2 · 1 part → GSM-7 · 1 part"
    text = "Dziękujemy za zamówienie. " * 4
    saving = accent_saving(text, 3)
    assert saving is not None
    assert saving.before.parts == 2
    assert saving.after.parts == 1
    assert saving.describe() == "UCS-2 · 2 parts → GSM-7 · 1 part"


def test_no_saving_when_nothing_would_change_or_help() -> None:
    assert accent_saving("plain ascii", 3) is None
    assert accent_saving("Müller café", 3) is None  # GSM-7 already
    assert accent_saving("Zażółć 👍", 3) is None  # the emoji keeps it UCS-2
    assert analyse(remove_accents("Zażółć")).encoding == "GSM-7"
