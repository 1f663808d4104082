"""Settings from config.toml: defaults, a full file, and errors that name key and file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from smstui.system import paths
from smstui.system.config import DEFAULT_BASE_URL, ConfigError, Settings, load_settings

FULL = """\
base_url = "http://127.0.0.1:8080/v1/"
client_id = "abc123"
default_sender = "+31612345678"
dry_run = true
theme = "nord"

[paging]
conversation = 30
older = 300
inbox = 150
contacts = 1000

[sync]
poll_interval = 20

[attachments]
mode = "panel"
opener = "xdg-open %s"

[notifications]
bell = false
preview = "full"

[keys]
"app.quit" = "ctrl+q"
inbox.reply = "r"
"""


def write_config(text: str) -> Path:
    path = paths.default_config_file()
    path.write_text(text, encoding="utf-8")
    return path


def config_error(text: str) -> str:
    path = write_config(text)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert str(path) in message  # every message names the file
    return message


def test_no_config_file_means_defaults():
    settings = load_settings()
    assert settings == Settings()
    assert settings.base_url == DEFAULT_BASE_URL
    assert settings.poll_interval == 15.0
    assert settings.source is None
    assert dict(settings.keys) == {}


def test_a_full_file_sets_every_field():
    path = write_config(FULL)
    settings = load_settings()
    assert settings == Settings(
        base_url="http://127.0.0.1:8080/v1",
        client_id="abc123",
        default_sender="+31612345678",
        dry_run=True,
        theme="nord",
        conversation_page_size=30,
        older_page_size=300,
        inbox_page_size=150,
        contacts_page_size=1000,
        poll_interval=20.0,
        attachment_mode="panel",
        attachment_opener="xdg-open %s",
        bell=False,
        notification_preview="full",
        keys={"app.quit": "ctrl+q", "inbox.reply": "r"},
    )
    assert settings.source == path
    assert isinstance(settings.poll_interval, float)


def test_settings_are_frozen_hashable_and_overridable():
    settings = load_settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.theme = "x"  # type: ignore[misc]
    changed = settings.with_overrides(dry_run=True, keys={"app.quit": "x"})
    assert changed.dry_run
    assert not settings.dry_run
    assert hash(changed) != hash(settings)
    with pytest.raises(TypeError):
        changed.keys["app.quit"] = "y"  # type: ignore[index]


def test_the_file_is_never_rewritten():
    path = write_config(FULL)
    before = path.read_bytes(), path.stat().st_mtime_ns
    load_settings()
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_unknown_key_suggests_the_closest_one():
    message = config_error("[pagin]\ninbox = 5\n")
    assert 'unknown key "pagin" (did you mean "paging"?)' in message


def test_unknown_key_inside_a_section_is_dotted():
    message = config_error("[paging]\ninbxo = 5\n")
    assert 'unknown key "paging.inbxo" (did you mean "paging.inbox"?)' in message


def test_a_secret_in_the_config_is_refused_without_echoing_it():
    message = config_error('client_secret = "hunter2-very-secret"\n')
    assert "client_secret" in message
    assert "hunter2" not in message
    assert "auth login" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[paging]\ninbox = "100"\n', '"paging.inbox" must be a whole number, not a string'),
        ("[paging]\ninbox = 1.5\n", '"paging.inbox" must be a whole number, not a decimal'),
        ("dry_run = 1\n", '"dry_run" must be true or false, not a whole number'),
        ('[notifications]\nbell = "yes"\n', '"notifications.bell" must be true or false'),
        ("[sync]\npoll_interval = true\n", '"sync.poll_interval" must be a number'),
        ("paging = 3\n", '"paging" must be a table'),
        ('[keys]\n"app.quit" = 3\n', '"keys.app.quit" must be a string of keys'),
    ],
)
def test_wrong_type_names_the_key(text, expected):
    assert expected in config_error(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[paging]\ninbox = 0\n", '"paging.inbox" must be from 1 to 2000 (got 0)'),
        ("[paging]\nolder = 2001\n", '"paging.older" must be from 1 to 2000 (got 2001)'),
        ("[sync]\npoll_interval = 5\n", '"sync.poll_interval" must be at least 10 seconds'),
        ('base_url = "ftp://example.com"\n', '"base_url" must be an http:// or https:// URL'),
        ('base_url = "https://u:p@example.com"\n', "must not contain a user name or password"),
        ('[attachments]\nmode = "popup"\n', '"attachments.mode" must be one of "auto"'),
        ('[attachments]\nopener = "open \'%s"\n', '"attachments.opener" is not a valid command'),
        ('[notifications]\npreview = "all"\n', '"notifications.preview" must be one of'),
    ],
)
def test_bad_values_name_the_key(text, expected):
    assert expected in config_error(text)


def test_toml_syntax_error_names_the_line():
    message = config_error('theme = "nord"\n\n[paging\ninbox = 5\n')
    assert "not valid TOML" in message
    assert "line 3" in message


def test_a_missing_explicit_file_is_an_error(tmp_path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match="does not exist") as caught:
        load_settings(missing)
    assert str(missing) in str(caught.value)


def test_smstools_config_names_the_file(tmp_path, monkeypatch):
    other = tmp_path / "other.toml"
    other.write_text('theme = "dracula"\n')
    write_config('theme = "nord"\n')
    monkeypatch.setenv("SMSTOOLS_CONFIG", str(other))
    assert load_settings().theme == "dracula"
    monkeypatch.setenv("SMSTOOLS_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match=r"missing\.toml: the config file does not exist"):
        load_settings()


def test_explicit_config_wins_over_the_environment(tmp_path, monkeypatch):
    mine = tmp_path / "mine.toml"
    mine.write_text('theme = "gruvbox"\n')
    monkeypatch.setenv("SMSTOOLS_CONFIG", str(tmp_path / "missing.toml"))
    assert load_settings(mine).theme == "gruvbox"


def test_base_url_overrides(monkeypatch):
    write_config('base_url = "https://file.example/v1"\n')
    assert load_settings().base_url == "https://file.example/v1"
    monkeypatch.setenv("SMSTOOLS_BASE_URL", "https://env.example/v1/")
    assert load_settings().base_url == "https://env.example/v1"
    assert load_settings(base_url="https://flag.example/v1").base_url == "https://flag.example/v1"


def test_bad_base_url_override_names_where_it_came_from(monkeypatch):
    with pytest.raises(ConfigError, match="--base-url: must be an http"):
        load_settings(base_url="localhost:8080")
    monkeypatch.setenv("SMSTOOLS_BASE_URL", "nonsense")
    with pytest.raises(ConfigError, match="SMSTOOLS_BASE_URL: must be an http"):
        load_settings()


def test_country_reads_numbers_typed_without_a_country_code():
    write_config('country = "pl"\n')
    assert load_settings().country == "pl"
    assert Settings().country == ""


@pytest.mark.parametrize("value", ["Poland", "XX", "48"])
def test_an_unknown_country_names_the_key(value):
    message = config_error(f'country = "{value}"\n')
    assert f'"country" must be a two-letter country code such as "PL" (got "{value}")' in message
