"""Where smstui keeps its files, resolved when asked (so tests can redirect XDG_* and HOME).

Every directory is created on demand with mode 0700, set explicitly: older platformdirs
releases ignore the mode, and the umask may be lax. Files that hold anything personal are
written with :func:`write_private_file` (mode 0600, replaced atomically).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "smstui"
"""The platformdirs application name, and so the name of every smstui directory."""

CONFIG_ENV = "SMSTOOLS_CONFIG"
"""Environment variable naming a config file to use instead of the default one."""

CONFIG_FILE_NAME = "config.toml"
CREDENTIALS_FILE_NAME = "credentials.toml"
LOG_FILE_NAME = "smstui.log"

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) and make it readable by its owner only.

    Args:
        path: The directory to create or tighten.

    Returns:
        The same path, for chaining.
    """
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    # mkdir's mode is filtered by the umask and ignored for an existing directory.
    os.chmod(path, PRIVATE_DIR_MODE)
    return path


def config_dir() -> Path:
    """Return the configuration directory (``~/.config/smstui`` on Linux), created 0700."""
    return ensure_private_dir(Path(platformdirs.user_config_dir(APP_NAME)))


def state_dir() -> Path:
    """Return the state directory (``~/.local/state/smstui`` on Linux), created 0700."""
    return ensure_private_dir(Path(platformdirs.user_state_dir(APP_NAME)))


def cache_dir() -> Path:
    """Return the cache directory (``~/.cache/smstui`` on Linux), created 0700."""
    return ensure_private_dir(Path(platformdirs.user_cache_dir(APP_NAME)))


def data_dir() -> Path:
    """Return the data directory (``~/.local/share/smstui`` on Linux), created 0700 if it can be.

    A directory that cannot be created or tightened (read-only) is returned all the same: the
    store says so when it opens, and keeps the messages in memory.
    """
    path = Path(platformdirs.user_data_dir(APP_NAME))
    with contextlib.suppress(OSError):
        ensure_private_dir(path)
    return path


def demo_state_dir() -> Path:
    """Return the state directory of ``--demo``, kept apart from the real account's state."""
    return ensure_private_dir(state_dir() / "demo")


def log_file() -> Path:
    """Return the path of the log file, inside the state directory."""
    return state_dir() / LOG_FILE_NAME


def default_config_file() -> Path:
    """Return the default config file path (it may not exist)."""
    return config_dir() / CONFIG_FILE_NAME


def config_file() -> Path:
    """Return the config file path: ``$SMSTOOLS_CONFIG`` when set, else the default one.

    The directory of a file named by the user is left alone; only smstui's own directory is
    created.
    """
    named = os.environ.get(CONFIG_ENV, "").strip()
    if named:
        return Path(named).expanduser()
    return default_config_file()


def credentials_file() -> Path:
    """Return the path of the opt-in plain-text credentials file (it may not exist)."""
    return config_dir() / CREDENTIALS_FILE_NAME


def write_private_file(path: Path, text: str) -> None:
    """Create or replace ``path`` atomically with ``text``, readable by its owner only (0600).

    The content goes to a temporary file in the same directory, created with mode 0600 from the
    start (so it is never briefly readable by others), and is then renamed over ``path``.

    Args:
        path: The file to write; its directory must exist.
        text: The content, written as UTF-8.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temporary, flags, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            # The umask may have removed bits from 0600; put them back explicitly.
            os.fchmod(handle.fileno(), PRIVATE_FILE_MODE)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def file_mode(path: Path) -> int:
    """Return the permission bits of ``path`` (for example ``0o600``)."""
    return path.stat().st_mode & 0o777
