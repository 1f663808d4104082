"""ASCII stand-ins: when they are used, and that they never change the width of a line."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from smstui.domain.glyphs import ASCII_FALLBACK, locale_is_utf8, to_ascii, wants_ascii
from smstui.system import paths
from smstui.system.config import ConfigError, Settings, load_settings
from smstui.ui.widgets.theme import ascii_text


@pytest.mark.parametrize(
    ("setting", "term", "expected"),
    [
        ("auto", "linux", True),
        ("auto", "linux-16color", True),
        ("auto", "vt220", True),
        ("auto", "screen", False),
        ("auto", "xterm-256color", False),
        ("auto", "", False),
        ("unicode", "linux", False),
        ("ascii", "xterm-256color", True),
    ],
)
def test_ascii_on_the_linux_console_or_when_asked(setting: str, term: str, expected: bool) -> None:
    assert wants_ascii(setting, term) is expected


def test_every_stand_in_is_ascii_of_the_same_width() -> None:
    for symbol, stand_in in ASCII_FALLBACK.items():
        assert stand_in.isascii(), symbol
        assert cell_len(stand_in) == cell_len(symbol), symbol


def test_the_symbols_of_the_issue_read_as_ascii() -> None:
    assert to_ascii("✓✓ delivered") == "vv delivered"
    assert to_ascii("◷ buffered") == "~ buffered"
    assert to_ascii("📎 photo.png · image") == "@  photo.png - image"
    assert to_ascii("▌▐ …") == "|| ."
    assert to_ascii("──── Today ────") == "---- Today ----"


@pytest.mark.parametrize(
    "text",
    [
        "Dziękuję, wszystko doszło 👍",
        "Tak 🙂 ❤️\u200d🔥 👍🏽 🇵🇱",
        "★ ☎ ❤",
        "Zażółć gęślą jaźń 漢字 é",
    ],
)
def test_emoji_and_symbols_become_ascii_and_letters_stay(text: str) -> None:
    shown = ascii_text(text)
    assert cell_len(shown) == cell_len(text)
    kept = [char for char in shown if not char.isascii()]
    assert all(char.isalpha() for char in kept), kept  # only letters are left as they were


def test_the_glyphs_setting_is_read_and_checked() -> None:
    assert Settings().glyphs == "auto"
    assert Settings().theme == "auto"
    path = paths.default_config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('glyphs = "ascii"\n', encoding="utf-8")
    assert load_settings().glyphs == "ascii"
    path.write_text('glyphs = "emoji"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match='"glyphs" must be one of "auto", "unicode", "ascii"'):
        load_settings()


@pytest.mark.parametrize(
    ("environ", "utf8"),
    [
        ({"LANG": "en_US.UTF-8"}, True),
        ({"LANG": "pl_PL.utf8"}, True),
        ({"LANG": "C.UTF-8"}, True),
        ({"LANG": "C"}, False),
        ({}, False),  # nothing set: the C locale
        ({"LANG": "pl_PL.ISO-8859-2"}, False),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "C"}, False),  # LC_ALL wins
        ({"LANG": "C", "LC_CTYPE": "pl_PL.UTF-8"}, True),
        ({"LANG": "en_US.UTF-8", "LC_CTYPE": "POSIX"}, False),
        # PEP 538: Python itself turned LANG=C into LC_CTYPE=C.UTF-8 before smstui ran.
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, False),
        ({"LANG": "POSIX", "LC_CTYPE": "C.utf8"}, False),
        ({"LC_CTYPE": "C.UTF-8"}, True),  # no LANG=C beside it: taken as chosen
        ({"LANG": "C", "LC_CTYPE": "UTF-8"}, True),  # SSH from macOS to a server with LANG=C
        ({"LANG": "en_US.UTF-8", "LC_CTYPE": "C.UTF-8"}, True),
    ],
)
def test_a_locale_that_is_not_utf8_is_detected(environ: dict[str, str], utf8: bool) -> None:
    assert locale_is_utf8(environ) is utf8


def test_not_utf8_means_ascii_unless_unicode_is_asked_for() -> None:
    assert wants_ascii("auto", "xterm", utf8=False)
    assert not wants_ascii("unicode", "xterm", utf8=False)
    assert not wants_ascii("auto", "xterm", utf8=True)


def test_letters_become_their_ascii_base_letters_at_the_same_width() -> None:
    text = "Zażółć gęślą jaźń, Łukasz Długa, Straße, Øre, Benoît, Ærø, e\u0301, Жук 漢字 👍 ✓"
    shown = ascii_text(text, letters=True)
    assert shown == "Zazolc gesla jazn, Lukasz Dluga, Strase, Ore, Benoit, Aro, e, ??? ???? [] v"
    assert shown.isascii()
    assert cell_len(shown) == cell_len(text)
    assert ascii_text("Zażółć", letters=False) == "Zażółć"  # the Linux console keeps letters
