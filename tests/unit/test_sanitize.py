"""The sanitizer: nothing a terminal would interpret survives; everything readable does."""

from __future__ import annotations

import random
import re

import pytest
from rich.cells import cell_len

from smstui.domain.sanitize import clean_line, clean_text, clean_url, display_text
from tests.unit.hostile import HOSTILE_CORPUS, JOINED_EMOJI, terminal_cells

_C1 = re.compile("[\x80-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_FORBIDDEN_C0 = re.compile("[\x00-\x09\x0b-\x1f\x7f]")


@pytest.mark.parametrize("text", HOSTILE_CORPUS)
def test_nothing_interpretable_survives(text: str) -> None:
    cleaned = clean_text(text)
    assert "\x1b" not in cleaned
    assert not _C1.search(cleaned)
    assert not _BIDI.search(cleaned)
    assert not _FORBIDDEN_C0.search(cleaned)
    cleaned.encode("utf-8")  # no lone surrogates left: the terminal writer must not fail


@pytest.mark.parametrize("text", HOSTILE_CORPUS)
def test_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert clean_line(clean_line(text)) == clean_line(text)


@pytest.mark.parametrize("text", HOSTILE_CORPUS)
def test_clean_line_is_one_line(text: str) -> None:
    line = clean_line(text)
    assert "\n" not in line
    assert "  " not in line
    assert line == line.strip()


@pytest.mark.parametrize(
    "markup",
    [
        "price is 5 [/usd]",
        "[@click=app.quit]q[/]",
        "[$accent]accent[/]",
        "[link='https://evil.example']click me[/link]",
        "\\[escaped] and [b]bold[/b]",
    ],
)
def test_markup_is_left_literally(markup: str) -> None:
    assert clean_text(markup) == markup


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mred\x1b[0m text", "red text"),
        ("before\x1b[2Jafter", "beforeafter"),
        ("\x1b[?1049h\x1b[Hscreen", "screen"),
        ("\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x1b]8;;https://evil.example\x07link\x1b]8;;\x07", "link"),
        ("\x1b]52;c;SGVsbG8=\x07copied", "copied"),
        ("\x1b]52;c;SGVsbG8=\x1b\\copied", "copied"),
        ("\x1bPq#0;2;0\x1b\\dcs", "dcs"),
        ("\x1b_Gf=100;AAAA\x1b\\apc", "apc"),
        ("\x1b^pm\x1b\\x", "x"),
        ("\x1bXsos\x1b\\x", "x"),
        ("\x1bcreset", "reset"),
        ("\x1b(Bcharset", "charset"),
        ("\x9b31m8-bit", "8-bit"),
        ("\x9d52;c;AAAA\x9cosc", "osc"),
        ("\x90qdata\x9cdcs", "dcs"),
        ("\x9fapc\x9cx", "x"),
    ],
)
def test_whole_escape_sequences_are_removed(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_unterminated_string_sequence_is_shown_inert_not_swallowed() -> None:
    assert clean_text("hi \x1b]52;c;AAAA") == "hi ␛]52;c;AAAA"


def test_lone_escape_becomes_visible_placeholder() -> None:
    assert clean_text("end\x1b") == "end␛"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\nb", "a\nb"),
        ("a\tb", "a b"),
        ("a\x00b", "ab"),
        ("a\x07b", "a␇b"),
        ("a\x08b", "a␈b"),
        ("a\x7fb", "a␡b"),
        ("a\x85b", "a\nb"),
        ("a\u2028b\u2029c", "a\nb\nc"),
        ("a\x96b", "a\ufffdb"),
        ("a\ud800b", "a\ufffdb"),
    ],
)
def test_control_characters(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_bidi_controls_are_removed() -> None:
    assert clean_text("invoice\u202egpj.exe") == "invoicegpj.exe"
    assert clean_text("\u2066a\u2069\u200eb\u200f") == "ab"


@pytest.mark.parametrize(
    "text",
    [
        "family 👨\u200d👩\u200d👧 joined",
        "flags 🇵🇱🇧🇪",
        "漢字 かな",
        "e\u0301 a\u0308",
        "zwnj \u200c heart \u2764\ufe0f",
        "Zażółć gęślą jaźń",
        "مرحبا",
        "two\nlines",
        "",
    ],
)
def test_readable_text_is_unchanged(text: str) -> None:
    assert clean_text(text) == text


def test_plain_text_is_returned_as_is() -> None:
    text = "Hello, see you at 10?"
    assert clean_text(text) is text


def test_non_string_input_never_raises() -> None:
    assert clean_text(None) == ""  # type: ignore[arg-type]
    assert clean_text(42) == "42"  # type: ignore[arg-type]


def test_clean_line_flattens_and_collapses() -> None:
    assert clean_line("  Anna\n\n  Nowak\t ") == "Anna Nowak"
    assert clean_line("a\u00a0\u00a0b") == "a b"
    assert clean_line("\x1b[31mMy\r\nShop\x1b[0m") == "My Shop"
    assert clean_line("tidy") == "tidy"


def test_clean_url_strips_and_cleans() -> None:
    assert clean_url("  https://example.com/a\x1b[31m  \n") == "https://example.com/a"


def test_random_mixtures_of_hostile_pieces() -> None:
    """Sequences cut, nested and glued together still leave nothing interpretable behind."""
    pieces = [
        "\x1b",
        "[",
        "]",
        "P",
        "\\",
        "\x07",
        "\x9b",
        "\x9c",
        "\x9d",
        "31m",
        ";",
        "8;;",
        "a",
        "\n",
        "\r",
        "\u202e",
        "\x00",
        "👨\u200d👩",
    ]
    rng = random.Random(20250605)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        cleaned = clean_text(text)
        assert "\x1b" not in cleaned
        assert not _C1.search(cleaned)
        assert not _BIDI.search(cleaned)
        assert not _FORBIDDEN_C0.search(cleaned)
        assert clean_text(cleaned) == cleaned


@pytest.mark.parametrize("text", JOINED_EMOJI + HOSTILE_CORPUS)
def test_display_text_is_measured_as_terminals_draw_it(text: str) -> None:
    shown = display_text(clean_text(text))
    assert cell_len(shown) == terminal_cells(shown)
    assert display_text(shown) is shown


def test_display_text_takes_joined_emoji_apart_and_keeps_the_rest() -> None:
    assert display_text("👨\u200d👩\u200d👧") == "👨👩👧"
    assert display_text("👍🏽 1\ufe0f\u20e3 \u2764\ufe0f") == "👍 1\u20e3 \u2764"
    assert display_text("🇵🇱 x\u3164y") == "🇵🇱 x  y"
    plain = "Zażółć gęślą jaźń 漢字"
    assert display_text(plain) is plain
