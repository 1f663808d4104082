"""The composer meter: encoding, counted length and parts at every boundary."""

from __future__ import annotations

import pytest

from smstui.domain.segments import (
    GSM_BASIC,
    GSM_EXTENSION,
    analyse,
    replace_lookalikes,
)


def test_empty_text_needs_no_part() -> None:
    info = analyse("")
    assert (info.encoding, info.units, info.parts, info.remaining_in_part) == ("GSM-7", 0, 0, 160)
    assert not info.too_long


@pytest.mark.parametrize(
    ("length", "parts", "per_part", "remaining"),
    [
        (1, 1, 160, 159),
        (160, 1, 160, 0),
        (161, 2, 153, 145),
        (306, 2, 153, 0),
        (307, 3, 153, 152),
        (459, 3, 153, 0),
        (460, 4, 153, 152),
    ],
)
def test_gsm_boundaries(length: int, parts: int, per_part: int, remaining: int) -> None:
    info = analyse("a" * length)
    assert info.encoding == "GSM-7"
    assert info.units == length
    assert (info.parts, info.per_part, info.remaining_in_part) == (parts, per_part, remaining)
    assert not info.too_long  # far below hard_max_parts
    assert info.needs_confirmation == (parts > 3)
    assert info.first_non_gsm is None


ASK_4 = "4 parts, over max_parts = 3: charged as 4 messages; Enter asks before sending"


def test_gsm_over_459_counted_characters_is_asked_about_not_sent_on_enter() -> None:
    assert not analyse("a" * 459).needs_confirmation
    info = analyse("a" * 460)
    assert info.needs_confirmation
    assert not info.too_long
    assert info.warning == ASK_4
    assert analyse("a" * 453 + "€" * 5).warning == ASK_4


def test_459_units_in_four_parts_are_asked_about() -> None:
    """Each "€" is pushed to the next part, so 459 septets need four parts: four are charged."""
    text = "a" * 152 + "€" + "a" * 152 + "€" + "a" * 151
    info = analyse(text)
    assert (info.encoding, info.units, info.parts) == ("GSM-7", 459, 4)
    assert info.needs_confirmation
    assert info.warning == ASK_4
    # One character less and the last part is gone again: three parts, sent on Enter.
    fits = analyse(text[:-1])
    assert (fits.units, fits.parts, fits.needs_confirmation, fits.warning) == (458, 3, False, "")
    # 229 "€" are 458 septets, but a part holds only 76 of them: four parts.
    assert analyse("€" * 229).parts == 4
    assert analyse("€" * 229).needs_confirmation


def test_over_hard_max_parts_is_never_sent_in_either_encoding() -> None:
    gsm = analyse("a" * (153 * 10 + 1))
    assert (gsm.parts, gsm.too_long, gsm.needs_confirmation, gsm.warning) == (11, True, False, "")
    assert gsm.limit_reason == (
        "Cannot be sent: 11 parts (1,531 characters), over hard_max_parts = 10; "
        "raise hard_max_parts under [sending] in the config to allow more"
    )
    paste = analyse("Zażółć gęślą jaźń. " * 55_000)  # about 1 MB of accented text
    assert (paste.encoding, paste.parts, paste.too_long) == ("UCS-2", 15_598, True)
    assert paste.limit_reason.startswith("Cannot be sent: 15,598 parts (1,045,000 characters)")
    assert not analyse("ą" * 670).too_long  # ten parts of 67: the ceiling itself is allowed
    assert analyse("ą" * 671).too_long


@pytest.mark.parametrize(
    "text",
    [
        "a" * 459,
        ("a" + "€" * 76) * 3,  # every part exactly full of pairs
        "a" * 151 + "€" + "a" * 151 + "€" + "a" * 153,  # pairs at the very ends of parts
    ],
)
def test_exactly_three_gsm_parts_are_allowed(text: str) -> None:
    info = analyse(text)
    assert info.parts == 3
    assert not info.too_long
    assert not info.needs_confirmation
    assert info.limit_reason == ""


def test_extension_characters_count_twice() -> None:
    info = analyse("€\\[]{}^~|")
    assert info.encoding == "GSM-7"
    assert info.units == 18
    assert analyse("a" * 158 + "€").parts == 1  # 160 septets exactly
    assert analyse("a" * 159 + "€").parts == 2  # 161 septets


def test_extension_pair_is_not_split_at_a_part_boundary() -> None:
    # 152 septets, then "€" (2) does not fit in part one's last septet: it moves to part two.
    info = analyse("a" * 152 + "€" + "a" * 152)
    assert info.units == 306
    assert info.parts == 3  # a plain division would say 2
    assert info.remaining_in_part == 153 - 1
    # Exactly at the boundary it fits.
    exact = analyse("a" * 151 + "€" + "a" * 153)
    assert (exact.units, exact.parts, exact.remaining_in_part) == (306, 2, 0)


@pytest.mark.parametrize(
    ("length", "parts", "per_part", "remaining"),
    [
        (70, 1, 70, 0),
        (71, 2, 67, 63),
        (134, 2, 67, 0),
        (201, 3, 67, 0),
        (202, 4, 67, 66),
    ],
)
def test_ucs2_boundaries(length: int, parts: int, per_part: int, remaining: int) -> None:
    info = analyse("ą" * length)
    assert info.encoding == "UCS-2"
    assert info.units == length
    assert (info.parts, info.per_part, info.remaining_in_part) == (parts, per_part, remaining)


UNICODE_WARNING = ASK_4


def test_unicode_over_the_parts_limit_is_asked_about_like_gsm() -> None:
    """Parts are charged in either encoding: over max_parts Enter asks first, as for GSM-7."""
    assert analyse("ą" * 201).warning == ""
    polish = ("Zażółć gęślą jaźń, paczka będzie jutro. " * 7)[:264]
    info = analyse(polish)
    assert (info.encoding, info.units, info.parts) == ("UCS-2", 264, 4)
    assert not info.too_long
    assert info.needs_confirmation
    assert info.limit_reason == ""
    assert info.warning == UNICODE_WARNING


def test_201_ucs2_units_in_four_parts_get_the_warning() -> None:
    """100 emoji fill 66 of each 67-unit part (a pair is never split): the "x" needs part 4."""
    info = analyse("😀" * 100 + "x")
    assert (info.encoding, info.units, info.parts) == ("UCS-2", 201, 4)
    assert not info.too_long
    assert info.warning == UNICODE_WARNING
    assert analyse("😀" * 99 + "x").warning == ""  # 199 units, three parts
    assert analyse("😀" * 99 + "x").parts == 3


@pytest.mark.parametrize(("max_parts", "fits"), [(1, 160), (2, 306), (4, 612)])
def test_max_parts_moves_the_question_in_both_encodings(max_parts: int, fits: int) -> None:
    assert not analyse("a" * fits, max_parts).needs_confirmation
    info = analyse("a" * (fits + 1), max_parts)
    assert info.needs_confirmation
    assert info.warning.startswith(f"{max_parts + 1} parts, over max_parts = {max_parts}:")
    assert not analyse("ą" * 67 * max_parts, max_parts).needs_confirmation
    over = analyse("ą" * (67 * max_parts + 4), max_parts)  # one part more
    assert over.needs_confirmation
    assert over.warning.startswith(f"{max_parts + 1} parts, over max_parts = {max_parts}:")


def test_hard_max_parts_moves_the_ceiling() -> None:
    assert analyse("a" * 459, 1, 3).needs_confirmation
    assert analyse("a" * 460, 1, 3).too_long
    assert not analyse("a" * 460, 3, 4).too_long
    assert not analyse("a" * 460, 4, 4).needs_confirmation  # equal limits: no question at all


@pytest.mark.parametrize("text", ["ą" * 201, "😀" * 33 + "ą" + "😀" * 33 + "ą" + "😀" * 33 + "ą"])
def test_exactly_three_ucs2_parts_are_allowed(text: str) -> None:
    info = analyse(text)
    assert (info.units, info.parts, info.too_long) == (201, 3, False)


def test_emoji_count_two_units_and_are_not_split() -> None:
    info = analyse("😀" * 35)
    assert (info.encoding, info.units, info.parts) == ("UCS-2", 70, 1)
    assert analyse("😀" * 36).parts == 2
    # 66 units, then an emoji (2) cannot take part one's last unit.
    split = analyse("ą" * 66 + "😀" + "ą" * 66)
    assert (split.units, split.parts) == (134, 3)  # a plain division would say 2


def test_first_non_gsm_points_at_the_character_that_forced_unicode() -> None:
    text = "Hello Zażółć"
    info = analyse(text)
    assert info.encoding == "UCS-2"
    assert info.first_non_gsm == text.index("ż")
    assert analyse("Ok 👍").first_non_gsm == 3


def test_whole_gsm_basic_set_is_gsm() -> None:
    basic = (
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    )
    assert len(set(basic)) == 127
    info = analyse(basic)
    assert info.encoding == "GSM-7"
    assert info.units == 127
    assert set(basic) == GSM_BASIC
    assert len(GSM_EXTENSION) == 9


@pytest.mark.parametrize("char", ["ç", "á", "ą", "ł", "`", "\t", "\u00a0", "’", "ő"])
def test_characters_outside_gsm_force_ucs2(char: str) -> None:
    assert analyse(char).encoding == "UCS-2"


def test_replace_lookalikes_makes_text_gsm() -> None:
    text = "“Hello” – it’s ‘fine’… • «ok»\u00a0— see\u202fyou\u200b ‚x‛ „y‟"
    replaced = replace_lookalikes(text)
    assert replaced == '"Hello" - it\'s \'fine\'... * "ok" - see you \'x\' "y"'
    assert analyse(text).encoding == "UCS-2"
    assert analyse(replaced).encoding == "GSM-7"


def test_replace_lookalikes_leaves_letters_and_emoji_alone() -> None:
    text = "Zażółć gęślą jaźń 👍 ÄÖÜ"
    assert replace_lookalikes(text) == text
