"""The ``[sending]`` table: how many SMS parts a message may take, asked first or at all."""

from __future__ import annotations

import pytest

from smstui.domain.segments import HARD_MAX_PARTS, MAX_PARTS
from smstui.system import paths
from smstui.system.config import ConfigError, Settings, load_settings


def load(text: str) -> Settings:
    paths.default_config_file().write_text(text, encoding="utf-8")
    return load_settings()


def test_max_parts_defaults_to_the_gateways_documented_limit() -> None:
    assert Settings().max_parts == MAX_PARTS == 3
    assert load("").max_parts == 3


def test_max_parts_can_be_raised() -> None:
    assert load("[sending]\nmax_parts = 4\n").max_parts == 4


def test_hard_max_parts_defaults_to_ten_and_can_be_raised_with_max_parts() -> None:
    assert Settings().hard_max_parts == HARD_MAX_PARTS == 10
    assert load("").hard_max_parts == 10
    settings = load("[sending]\nmax_parts = 12\nhard_max_parts = 40\n")
    assert (settings.max_parts, settings.hard_max_parts) == (12, 40)
    assert load("[sending]\nhard_max_parts = 3\n").hard_max_parts == 3  # no question at all


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[sending]\nmax_parts = 0\n", '"sending.max_parts" must be from 1 to 255 (got 0)'),
        ("[sending]\nmax_parts = 256\n", '"sending.max_parts" must be from 1 to 255 (got 256)'),
        (
            "[sending]\nhard_max_parts = 0\n",
            '"sending.hard_max_parts" must be from 1 to 255 (got 0)',
        ),
        (
            "[sending]\nhard_max_parts = 1000\n",
            '"sending.hard_max_parts" must be from 1 to 255 (got 1000)',
        ),
        ("[sending]\nhard_max_parts = 2.5\n", '"sending.hard_max_parts" must be a whole number'),
        (
            "[sending]\nmax_parts = 11\n",
            '"sending.hard_max_parts" (10) must be at least "sending.max_parts" (11); '
            "raise hard_max_parts or lower max_parts",
        ),
        (
            "[sending]\nmax_parts = 4\nhard_max_parts = 2\n",
            '"sending.hard_max_parts" (2) must be at least "sending.max_parts" (4)',
        ),
        ('[sending]\nmax_parts = "3"\n', '"sending.max_parts" must be a whole number'),
        ("[sending]\nmax_part = 3\n", '(did you mean "sending.max_parts"?)'),
    ],
)
def test_bad_parts_settings_name_the_key(text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=r"config\.toml") as caught:
        load(text)
    assert expected in str(caught.value)
