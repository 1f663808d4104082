"""Where smstui keeps its files: XDG honoured, directories 0700, private files 0600."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from smstui.system import paths


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.parametrize(
    ("function", "variable"),
    [
        (paths.config_dir, "XDG_CONFIG_HOME"),
        (paths.state_dir, "XDG_STATE_HOME"),
        (paths.cache_dir, "XDG_CACHE_HOME"),
        (paths.data_dir, "XDG_DATA_HOME"),
    ],
)
def test_directories_follow_xdg_and_are_private(function, variable, tmp_path, monkeypatch):
    monkeypatch.setenv(variable, str(tmp_path / "elsewhere"))
    previous = os.umask(0o022)  # a lax umask must not matter
    try:
        directory = function()
    finally:
        os.umask(previous)
    assert directory == tmp_path / "elsewhere" / "smstui"
    assert mode(directory) == 0o700


def test_an_existing_lax_directory_is_tightened(isolated_home):
    lax = isolated_home / "xdg_state_home" / "smstui"
    lax.mkdir(parents=True, mode=0o755)
    os.chmod(lax, 0o755)
    assert paths.state_dir() == lax
    assert mode(lax) == 0o700


def test_log_file_lives_in_the_state_dir():
    assert paths.log_file().parent == paths.state_dir()


def test_demo_state_is_kept_apart_from_the_real_state():
    demo = paths.demo_state_dir()
    assert demo != paths.state_dir()
    assert demo.parent == paths.state_dir()
    assert mode(demo) == 0o700


def test_config_file_default_and_environment_override(tmp_path, monkeypatch):
    assert paths.config_file() == paths.config_dir() / "config.toml"
    named = tmp_path / "other" / "mine.toml"
    monkeypatch.setenv("SMSTOOLS_CONFIG", str(named))
    assert paths.config_file() == named
    assert not named.parent.exists()  # a user-named location is not created


def test_write_private_file_is_0600_and_replaces_content(tmp_path):
    folder = paths.ensure_private_dir(tmp_path / "folder")
    target = folder / "secret.toml"
    target.write_text("old")
    os.chmod(target, 0o644)
    paths.write_private_file(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert mode(target) == 0o600
    assert [p.name for p in folder.iterdir()] == ["secret.toml"]  # no temporary left


def test_ensure_private_dir_creates_parents(tmp_path):
    made = paths.ensure_private_dir(tmp_path / "a" / "b")
    assert made.is_dir()
    assert mode(made) == 0o700
