"""The ``[sending]`` table: how many SMS parts a message may take."""

from __future__ import annotations

import pytest

from smstui import paths
from smstui.config import ConfigError, Settings, load_settings
from smstui.segments import MAX_PARTS


def load(text: str) -> Settings:
    paths.default_config_file().write_text(text, encoding="utf-8")
    return load_settings()


def test_max_parts_defaults_to_the_gateways_documented_limit() -> None:
    assert Settings().max_parts == MAX_PARTS == 3
    assert load("").max_parts == 3


def test_max_parts_can_be_raised() -> None:
    assert load("[sending]\nmax_parts = 4\n").max_parts == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[sending]\nmax_parts = 0\n", '"sending.max_parts" must be from 1 to 10 (got 0)'),
        ("[sending]\nmax_parts = 11\n", '"sending.max_parts" must be from 1 to 10 (got 11)'),
        ('[sending]\nmax_parts = "3"\n', '"sending.max_parts" must be a whole number'),
        ("[sending]\nmax_part = 3\n", '(did you mean "sending.max_parts"?)'),
    ],
)
def test_bad_max_parts_names_the_key(text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=r"config\.toml") as caught:
        load(text)
    assert expected in str(caught.value)
