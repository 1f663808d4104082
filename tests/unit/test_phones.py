"""Phone numbers: one key per counterparty, readable formatting, clear errors on bad input."""

from __future__ import annotations

import pytest

from smstui.domain.countries import country_name
from smstui.domain.phones import (
    can_reply,
    conversation_key,
    display_number,
    home_regions,
    is_phone_number,
    is_region,
    normalise_number,
    number_country,
    parse_user_number,
    region_of,
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
        # National first, in each of our countries in turn; valid there, not merely possible.
        ("512999888", "PL", "48512999888"),
        ("512 999 888", ("BE", "PL"), "48512999888"),
        ("0470 12 34 56", ("PL", "BE"), "32470123456"),
        ("0470 12 34 56", (None, "", "ZZ", "be"), "32470123456"),
        # Then international without the +, when no national reading is valid.
        ("48512345678", "PL", "48512345678"),
        ("48512345678", "BE", "48512345678"),
        ("32470123456", ("PL",), "32470123456"),
        # An explicit country code needs only a possible number (the user said which country).
        ("+51 2999888", "PL", "512999888"),
        ("0051 2999888", None, "512999888"),
    ],
)
def test_parse_user_number_accepts(
    text: str, region: str | tuple[str | None, ...] | None, expected: str
) -> None:
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
        # Possible is not valid: never a Peruvian +51 2999888 for a Polish mobile.
        ("512999888", None, "Not a valid international number"),
        ("512999888", "BE", "Not a valid number in Belgium, nor an international one"),
        ("31699529486", None, "Not a valid international number"),
        ("0470 12 34 56", ("PL", "NL"), "Not a valid number in Poland or Netherlands: check"),
        ("48 51", "PL", "Not a valid number in Poland, nor an international one"),
    ],
)
def test_parse_user_number_rejects_with_a_clear_reason(
    text: str, region: str | tuple[str, ...] | None, message: str
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


def test_region_of_our_numbers():
    assert region_of("+48 732 104 455") == "PL"
    assert region_of("32460123456") == "BE"
    assert region_of("512999888") == "PE"  # not a valid number, but its country code is Peru's
    for unknown in ("", "Sender", "0470123456", "99912345678"):
        assert region_of(unknown) is None


def test_home_regions_keep_order_and_drop_the_unknown():
    assert home_regions("be", None, "PL", "", "BE", "ZZ", "XX", " nl ") == ("BE", "PL", "NL")
    assert home_regions() == ()
    assert is_region("pl")
    assert not is_region("Poland")


def test_number_country_names_the_country_and_says_whether_valid():
    assert number_country("48512999888") == ("Poland", True)
    assert number_country("512999888") == ("Peru", False)
    assert number_country("Sender") == ("", False)
    assert country_name("gb") == "United Kingdom"
    assert country_name("QQ") == "QQ"
