"""Phone numbers: one key per counterparty, readable formatting, clear errors on bad input."""

from __future__ import annotations

import pytest

from smstui.phones import (
    can_reply,
    conversation_key,
    display_number,
    is_phone_number,
    normalise_number,
    parse_user_number,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("48512345678", "48512345678"),
        ("+48 512 345 678", "48512345678"),
        ("0048 512-345.678", "48512345678"),
        ("+32 (0)470 12 34 56", "32470123456"),
        ("(32) 470/12.34.56", "32470123456"),
        (" +31 6 1234 5678 ", "31612345678"),
        ("0470123456", "0470123456"),
        ("MyShop", "MyShop"),
        (" My\nShop ", "My Shop"),
        ("Info2Go", "Info2Go"),
        ("", ""),
    ],
)
def test_normalise_number(raw: str, expected: str) -> None:
    assert normalise_number(raw) == expected


def test_every_spelling_of_a_number_has_one_key() -> None:
    spellings = [
        "48512345678",
        "+48512345678",
        "0048512345678",
        "+48 512 345 678",
        "+48-512-345-678",
    ]
    assert {conversation_key(s) for s in spellings} == {"48512345678"}


def test_alphanumeric_keys_ignore_case() -> None:
    assert conversation_key("MyShop") == conversation_key("MYSHOP") == "myshop"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("+48 512 345 678", True), ("1234", True), ("MyShop", False), ("", False), ("---", False)],
)
def test_is_phone_number(value: str, expected: bool) -> None:
    assert is_phone_number(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("48512345678", "+48 512 345 678"),
        ("32470123456", "+32 470 12 34 56"),
        ("31612345678", "+31 6 12345678"),
        ("+4915112345678", "+49 1511 2345678"),
        ("99912345678", "+99912345678"),  # no such country code: still readable
        ("12345678901234", "+12345678901234"),  # not a valid number
        ("1234", "1234"),  # short code, not an international number
        ("0470123456", "0470123456"),  # national spelling, no country to add
        ("MyShop", "MyShop"),
        ("\x1b[31mShop", "Shop"),
    ],
)
def test_display_number(value: str, expected: str) -> None:
    assert display_number(value) == expected


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("+48 512 345 678", None, "48512345678"),
        ("0048512345678", None, "48512345678"),
        ("48512345678", None, "48512345678"),
        ("+32 (0)470 12 34 56", None, "32470123456"),
        ("(0)470 12 34 56", "BE", "32470123456"),
        ("0470 12 34 56", "be", "32470123456"),
        ("06 12345678", "NL", "31612345678"),
        ("+48 512 345 678", "BE", "48512345678"),
    ],
)
def test_parse_user_number_accepts(text: str, region: str | None, expected: str) -> None:
    assert parse_user_number(text, region) == expected


@pytest.mark.parametrize(
    ("text", "region", "message"),
    [
        ("", None, "Enter a phone number"),
        ("   ", None, "Enter a phone number"),
        ("Anna", None, "cannot contain letters"),
        ("0470 12 34 56", None, r"Start with \+ and the country code"),
        ("+48 512+345", None, "only digits"),
        ("+48 51", None, r"not a complete number for \+48"),
        ("+999 12345678", None, "unknown country code"),
        ("*#06#", None, "only digits"),
    ],
)
def test_parse_user_number_rejects_with_a_clear_reason(
    text: str, region: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        parse_user_number(text, region)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("48512345678", True),
        ("+32 470 12 34 56", True),
        ("MyBank", False),
        ("1234", False),
        ("123456", False),
        ("0470123456", False),
    ],
)
def test_can_reply(value: str, expected: bool) -> None:
    assert can_reply(value) is expected
