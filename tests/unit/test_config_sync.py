"""The [sync] settings added for live updates: how soon delivery statuses are checked."""

from __future__ import annotations

import pytest

from smstui.system import paths
from smstui.system.config import ConfigError, Settings, load_settings


def test_status_refresh_defaults_and_reads_from_the_file() -> None:
    assert (Settings().status_refresh, Settings().status_refresh_max) == (3.0, 60.0)
    paths.default_config_file().write_text("[sync]\nstatus_refresh = 5\n", encoding="utf-8")
    assert load_settings().status_refresh == 5.0


@pytest.mark.parametrize("value", ["0.5", "61"])
def test_status_refresh_out_of_range_is_refused_with_the_key(value: str) -> None:
    path = paths.default_config_file()
    path.write_text(f"[sync]\nstatus_refresh = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert '"sync.status_refresh" must be from 1 to 60 seconds' in str(caught.value)
    assert str(path) in str(caught.value)
