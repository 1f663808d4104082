"""Settings: a frozen dataclass read from ``config.toml``, with errors that name key and file.

The file is optional and only ever read, never rewritten. Layout::

    base_url = "https://api.smsgatewayapi.com/v1"
    client_id = "…"              # the secret never lives here
    default_sender = "+31612345678"
    country = "PL"               # for numbers typed without +, after our own numbers' countries
    dry_run = false              # send with the API's test flag
    store_url = ""               # "postgresql://…": keep messages on PostgreSQL, not SQLite
    theme = "auto"               # or any Textual theme; auto: 16-colour look where needed
    glyphs = "auto"              # auto | unicode | ascii (auto: ASCII on the Linux console)

    [paging]
    conversation = 50            # first page of a thread
    older = 200                  # every later page
    inbox = 100
    contacts = 500

    [sync]
    poll_interval = 15           # seconds, at least 10
    status_refresh = 3           # first delivery-status check after a send; doubles to 60

    [attachments]
    mode = "auto"                # auto | panel | open
    opener = ""                  # a command line; %s is the URL

    [sending]
    max_parts = 3                # more SMS parts than this: Enter asks first (3 = 459 GSM chars)
    hard_max_parts = 10          # more than this is never sent, whatever the key

    [notifications]
    method = "auto"              # auto | osc777 | osc9 | osc99 | bell | off
    bell = true
    preview = "sender"           # none | sender | full
    quiet_hours = ""             # e.g. "22:00-07:00", local time

    [team]                       # a PostgreSQL store_url means a team on one line
    operator = "Anna"            # shown to the others; default: the login name

    [keys]
    "app.quit" = "ctrl+q"        # binding id = keys
"""

from __future__ import annotations

import dataclasses
import difflib
import getpass
import os
import shlex
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smstui.domain.glyphs import GLYPH_MODES
from smstui.domain.keymap import Keymap
from smstui.domain.sanitize import clean_line
from smstui.domain.segments import limits_problem, parts_problem
from smstui.domain.urls import check_store_url, check_url, is_loopback_host
from smstui.system import paths
from smstui.system.account_state import remembered_login
from smstui.system.hook_config import HookRule, parse_hooks
from smstui.system.notifications import METHODS as NOTIFY_METHODS
from smstui.system.notifications import parse_quiet_hours
from smstui.system.secret import SecretUrl

DEFAULT_BASE_URL = "https://api.smsgatewayapi.com/v1"
BASE_URL_ENV = "SMSTOOLS_BASE_URL"
STORE_URL_ENV = "SMSTOOLS_STORE_URL"

__all__ = [
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "STORE_URL_ENV",
    "ConfigError",
    "Settings",
    "check_url",
    "is_loopback_host",
    "load_settings",
    "operator_name",
]


class ConfigError(Exception):
    """The config file (or an override) is wrong; the message names the file and the key."""

    @classmethod
    def unknown(cls, path: Path, dotted: str, name: str, known: Iterable[str]) -> ConfigError:
        """Build the error for an unknown key, suggesting the closest known one."""
        if name.lower().replace("-", "_") in _SECRET_NAMES:
            return cls(
                f'{path}: "{dotted}" is not read from the config file: the secret never goes '
                'there. Use "smstui auth login" or SMSTOOLS_CLIENT_SECRET.'
            )
        close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
        section = dotted[: -len(name)]  # "paging." for "paging.inbxo", "" at the top level
        hint = f' (did you mean "{section}{close[0]}"?)' if close else ""
        return cls(f'{path}: unknown key "{dotted}"{hint}')


_SECRET_NAMES = frozenset({"client_secret", "secret", "clientsecret", "password", "api_secret"})


@dataclass(frozen=True)
class Settings:
    """Everything the user can configure; built by :func:`load_settings` or directly in tests."""

    base_url: str = DEFAULT_BASE_URL
    client_id: str = ""
    """The API client id may live here; the secret never does."""
    default_sender: str = ""
    country: str = ""
    """ISO region ("PL") a number typed without ``+`` is read in after our own numbers' ones."""
    dry_run: bool = False
    """Send with the API's test flag: nothing is delivered or charged."""
    conversation_page_size: int = 50
    """Messages fetched for the first page of a thread."""
    older_page_size: int = 500
    """Messages fetched for each later (older) page of a thread."""
    inbox_page_size: int = 100
    contacts_page_size: int = 500
    backfill_page_size: int = 2000
    """Messages per request when the whole history is read into the store (the API's maximum)."""
    backfill: bool = True
    """Read the whole inbox and sent history into the local store in the background."""
    poll_interval: float = 15.0
    """Seconds between checks for new messages (at least 10 when read from the file)."""
    status_refresh: float = 3.0
    """Seconds before the first delivery-status check of a message in flight; each later check
    waits twice as long, up to :attr:`status_refresh_max`."""
    status_refresh_max: float = 60.0
    """The longest wait between two delivery-status checks."""
    poll_backoff_max: float = 300.0
    """The longest wait between two checks for new messages while offline or failing."""
    theme: str = "auto"
    """A Textual theme, or ``auto``: ``textual-dark``, or ``smstui-ansi`` on 16 colours."""
    glyphs: str = "auto"
    """``unicode``, ``ascii`` (symbols drawn as ASCII) or ``auto`` (ASCII on the Linux console)."""
    attachment_mode: str = "auto"
    """``auto`` (open locally, show a panel over SSH), ``panel`` or ``open``."""
    attachment_opener: str = ""
    """A command line to open attachment URLs with; ``%s`` is replaced by the URL."""
    bell: bool = True
    """The bell may ring: as the notification (``method = "bell"``, or ``auto`` finding no
    better) and beside a notification sent through tmux."""
    notification_preview: str = "sender"
    """How much of a new message a notification shows: ``none``, ``sender`` or ``full``."""
    notification_method: str = "auto"
    """How new messages reach the desktop: ``osc777``, ``osc9``, ``osc99``, ``bell``, ``off``,
    or ``auto`` (picked from the environment; see :mod:`smstui.system.notifications`)."""
    quiet_hours: str = ""
    """``"22:00-07:00"`` (local time): no notification and no bell then; "" for none."""
    notification_burst: float = 2.0
    """Seconds within which new messages combine into one notification."""
    max_parts: int = 3
    """The most parts sent without asking (3: the gateway's documented 459 GSM characters);
    above it Enter asks first and ``smstui send`` needs ``--allow-parts``."""
    hard_max_parts: int = 10
    """The most parts ever sent: above it no key or option sends the message."""
    store_url: SecretUrl | None = None
    """A ``postgresql://`` URL: the message store lives there (one schema per account) instead
    of the SQLite file; None keeps SQLite. ``SMSTOOLS_STORE_URL`` overrides the file."""
    operator: str = ""
    """This operator's name in a team (beside our sends, "… is replying"); "": the login name."""
    hooks_enabled: bool = False
    """Run the ``[[hooks]]`` on new messages in ``smstui watch`` (off unless set)."""
    hooks: tuple[HookRule, ...] = ()
    keys: Mapping[str, str] = field(default_factory=Keymap)
    """Binding id to keys, applied with ``App.set_keymap``."""
    source: Path | None = field(default=None, compare=False)
    """The file these settings came from, or None for built-in defaults."""

    def __post_init__(self) -> None:
        # Accept a plain dict from callers but keep the frozen dataclass immutable and hashable.
        if not isinstance(self.keys, Keymap):
            object.__setattr__(self, "keys", Keymap(self.keys))

    def with_overrides(self, **changes: Any) -> Settings:
        """Return a copy with some fields replaced (``settings.with_overrides(dry_run=True)``)."""
        return dataclasses.replace(self, **changes)


def load_settings(
    config: str | Path | None = None,
    *,
    base_url: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Read the settings from the config file and apply the overrides.

    Which file: ``config`` (from ``--config``), else ``$SMSTOOLS_CONFIG``, else the default
    ``config.toml`` in the config directory. A missing default file means built-in defaults;
    a missing file that was named explicitly is an error.

    Args:
        config: The file named with ``--config``, if any.
        base_url: The ``--base-url`` override; wins over ``$SMSTOOLS_BASE_URL`` and the file.
        env: Environment to read ``SMSTOOLS_CONFIG``, ``SMSTOOLS_BASE_URL`` and
            ``SMSTOOLS_STORE_URL`` from
            (``os.environ`` when None).

    Returns:
        The validated settings.

    Raises:
        ConfigError: The file is missing (when named), unreadable, not TOML, or has an unknown
            key, a value of the wrong type or an invalid value; the message names key and file.
    """
    environ = os.environ if env is None else env
    named = str(config) if config is not None else environ.get(paths.CONFIG_ENV, "").strip()
    path = Path(named).expanduser() if named else paths.default_config_file()
    # The gateway "auth login" signed in to is a default: the file and the overrides win.
    login = remembered_login()
    remembered = login.base_url if login and not check_url(login.base_url) else DEFAULT_BASE_URL
    settings = _read_file(path, explicit=bool(named), defaults=Settings(base_url=remembered))

    override = base_url if base_url is not None else environ.get(BASE_URL_ENV, "").strip()
    if override:
        where = "--base-url" if base_url is not None else BASE_URL_ENV
        problem = check_url(override)
        if problem:
            raise ConfigError(f"{where}: {problem}")
        settings = settings.with_overrides(base_url=override.rstrip("/"))
    store_url = environ.get(STORE_URL_ENV, "").strip()
    if store_url:
        problem = check_store_url(store_url)
        if problem:
            raise ConfigError(f"{STORE_URL_ENV}: {problem}")
        settings = settings.with_overrides(store_url=SecretUrl(store_url))
    return settings


def _read_file(path: Path, *, explicit: bool, defaults: Settings) -> Settings:
    """Parse and validate one config file; ``defaults`` when an implicit file does not exist."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if explicit:
            raise ConfigError(f"{path}: the config file does not exist") from None
        return defaults
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config file ({error.strerror})") from None
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the config file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        # tomllib's message ends with "(at line N, column M)".
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    return dataclasses.replace(defaults, source=path, **_validate(document, path))


_TOML_TYPE_NAMES: tuple[tuple[type, str], ...] = (
    (bool, "true/false"),  # before int: bool is an int subclass
    (int, "a whole number"),
    (float, "a decimal number"),
    (str, "a string"),
    (dict, "a table"),
    (list, "an array"),
)


_EXPECTED: dict[type, str] = {
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    str: "a string",
}


def _type_name(value: object) -> str:
    """Name the TOML type of a parsed value, for error messages."""
    for kind, name in _TOML_TYPE_NAMES:
        if isinstance(value, kind):
            return name
    return "a date or time"


def _page_size(value: int) -> str:
    return "" if 1 <= value <= 2000 else f"must be from 1 to 2000 (got {value})"


def _poll_interval(value: float) -> str:
    return "" if value >= 10 else f"must be at least 10 seconds (got {value:g})"


def _status_refresh(value: float) -> str:
    return "" if 1 <= value <= 60 else f"must be from 1 to 60 seconds (got {value:g})"


def _one_of(*choices: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value in choices:
            return ""
        listed = ", ".join(f'"{choice}"' for choice in choices)
        return f'must be one of {listed} (got "{value}")'

    return check


def _command_line(value: str) -> str:
    try:
        shlex.split(value)
    except ValueError as error:
        return f"is not a valid command line ({error})"
    return ""


def _region(value: str) -> str:
    from smstui.domain.phones import is_region  # phonenumbers loads only when the key is used

    if value == "" or is_region(value):
        return ""
    return f'must be a two-letter country code such as "PL" (got "{value}")'


def _quiet_hours(value: str) -> str:
    try:
        parse_quiet_hours(value)
    except ValueError as error:
        return str(error)
    return ""


def _not_empty(value: str) -> str:
    return "" if value.strip() else "must not be empty"


@dataclass(frozen=True)
class _Option:
    """One config key: the Settings attribute it fills, its TOML type and its value check."""

    attribute: str
    kind: type
    check: Callable[[Any], str] | None = None

    def convert(self, value: object, dotted: str, path: Path) -> object:
        """Type-check and validate ``value``; raise a :class:`ConfigError` naming ``dotted``."""
        converted: object = value
        if isinstance(value, bool):
            accepted = self.kind is bool
        elif self.kind is float and isinstance(value, int | float):
            accepted, converted = True, float(value)
        else:
            accepted = isinstance(value, self.kind)
        if not accepted:
            expected = _EXPECTED[self.kind]
            raise ConfigError(f'{path}: "{dotted}" must be {expected}, not {_type_name(value)}')
        problem = self.check(converted) if self.check else ""
        if problem:
            raise ConfigError(f'{path}: "{dotted}" {problem}')
        return converted


_TOP_LEVEL: dict[str, _Option] = {
    "base_url": _Option("base_url", str, check_url),
    "client_id": _Option("client_id", str),
    "default_sender": _Option("default_sender", str),
    "country": _Option("country", str, _region),
    "dry_run": _Option("dry_run", bool),
    "theme": _Option("theme", str, _not_empty),
    "glyphs": _Option("glyphs", str, _one_of(*GLYPH_MODES)),
    "hooks_enabled": _Option("hooks_enabled", bool),
    "store_url": _Option("store_url", str, check_store_url),
}

_SECTIONS: dict[str, dict[str, _Option]] = {
    "paging": {
        "conversation": _Option("conversation_page_size", int, _page_size),
        "older": _Option("older_page_size", int, _page_size),
        "inbox": _Option("inbox_page_size", int, _page_size),
        "contacts": _Option("contacts_page_size", int, _page_size),
        "backfill": _Option("backfill_page_size", int, _page_size),
    },
    "sync": {
        "backfill": _Option("backfill", bool),
        "poll_interval": _Option("poll_interval", float, _poll_interval),
        "status_refresh": _Option("status_refresh", float, _status_refresh),
    },
    "attachments": {
        "mode": _Option("attachment_mode", str, _one_of("auto", "panel", "open")),
        "opener": _Option("attachment_opener", str, _command_line),
    },
    "sending": {
        "max_parts": _Option("max_parts", int, parts_problem),
        "hard_max_parts": _Option("hard_max_parts", int, parts_problem),
    },
    "team": {"operator": _Option("operator", str, lambda v: "" if len(v) <= 40 else "is too long")},
    "notifications": {
        "method": _Option("notification_method", str, _one_of(*NOTIFY_METHODS)),
        "bell": _Option("bell", bool),
        "preview": _Option("notification_preview", str, _one_of("none", "sender", "full")),
        "quiet_hours": _Option("quiet_hours", str, _quiet_hours),
    },
}

_KNOWN_TOP_LEVEL = (*_TOP_LEVEL, *_SECTIONS, "keys", "hooks")


def _validate(document: Mapping[str, Any], path: Path) -> dict[str, Any]:
    """Turn the parsed TOML into keyword arguments for :class:`Settings`."""
    values: dict[str, Any] = {}
    for key, value in document.items():
        if key in _TOP_LEVEL:
            option = _TOP_LEVEL[key]
            values[option.attribute] = option.convert(value, key, path)
        elif key in _SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(
                    f'{path}: "{key}" must be a table ([{key}]), not {_type_name(value)}'
                )
            options = _SECTIONS[key]
            for name, item in value.items():
                dotted = f"{key}.{name}"
                if name not in options:
                    raise ConfigError.unknown(path, dotted, name, options)
                values[options[name].attribute] = options[name].convert(item, dotted, path)
        elif key == "keys":
            values["keys"] = Keymap(_flatten_keys(value, "keys", path))
        elif key == "hooks":  # [[hooks]]: see smstui.system.hook_config
            try:
                values["hooks"] = parse_hooks(value)
            except ValueError as error:
                raise ConfigError(f"{path}: {error}") from None
        else:
            raise ConfigError.unknown(path, key, key, _KNOWN_TOP_LEVEL)
    if problem := limits_problem(values.get("max_parts"), values.get("hard_max_parts")):
        raise ConfigError(f"{path}: {problem}")
    if "base_url" in values:
        values["base_url"] = values["base_url"].rstrip("/")
    if "store_url" in values:  # "" is SQLite, as when the key is missing
        values["store_url"] = SecretUrl(values["store_url"]) if values["store_url"] else None
    return values


def _flatten_keys(table: object, prefix: str, path: Path) -> Iterator[tuple[str, str]]:
    """Yield ``(binding id, keys)`` pairs; ``app.quit = "q"`` nests in TOML, so flatten it."""
    if not isinstance(table, dict):
        raise ConfigError(f'{path}: "{prefix}" must be a table ([keys]), not {_type_name(table)}')
    for name, value in table.items():
        dotted = f"{prefix}.{name}"
        if isinstance(value, dict):
            yield from _flatten_keys(value, dotted, path)
        elif isinstance(value, str) and value.strip():
            yield dotted.removeprefix("keys."), value.strip()
        else:
            raise ConfigError(
                f'{path}: "{dotted}" must be a string of keys such as "ctrl+q", '
                f"not {_type_name(value)}"
            )


def operator_name(settings: Settings) -> str:
    """This operator's name: the ``operator`` setting, else the login name."""
    if settings.operator.strip():
        return clean_line(settings.operator)
    try:
        return clean_line(getpass.getuser()) or "operator"
    except (OSError, KeyError, ImportError):  # no login name to be found
        return "operator"
