"""The ``[notifications]`` table: method, bell, preview and quiet hours."""

from __future__ import annotations

import pytest

from smstui.system import paths
from smstui.system.config import ConfigError, Settings, load_settings


def load(text: str) -> Settings:
    paths.default_config_file().write_text(text, encoding="utf-8")
    return load_settings()


def test_defaults() -> None:
    settings = load("")
    assert settings.notification_method == "auto"
    assert settings.quiet_hours == ""
    assert settings.bell is True
    assert settings.notification_preview == "sender"


def test_every_key_is_read() -> None:
    settings = load(
        '[notifications]\nmethod = "osc99"\nbell = false\npreview = "none"\n'
        'quiet_hours = "22:00-07:00"\n'
    )
    assert settings.notification_method == "osc99"
    assert settings.bell is False
    assert settings.notification_preview == "none"
    assert settings.quiet_hours == "22:00-07:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[notifications]\nmethod = "growl"\n', '"notifications.method" must be one of "auto"'),
        ('[notifications]\nquiet_hours = "22-7"\n', '"notifications.quiet_hours" must look like'),
        (
            '[notifications]\nquiet_hours = "07:00-07:00"\n',
            '"notifications.quiet_hours" must not start and end at the same time',
        ),
        ("[notifications]\nquiet_hours = 22\n", '"notifications.quiet_hours" must be a string'),
        ('[notifications]\nquiet = "22:00-07:00"\n', '(did you mean "notifications.quiet_hours"?)'),
    ],
)
def test_bad_values_name_the_key(text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=r"config\.toml") as caught:
        load(text)
    assert expected in str(caught.value)
