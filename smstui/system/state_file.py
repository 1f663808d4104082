"""Small JSON files in the state directory: read tolerantly, written privately and atomically.

The remembered login (:mod:`smstui.system.account_state`) is one JSON object in one file; the
user's own state (drafts, read markers …) is not here: it lives in the message store
(:mod:`smstui.store.personal`). A file that cannot be read or parsed is renamed aside
(``login.json.corrupt``, then ``login.json.1.corrupt`` …) instead of being overwritten, and the
caller starts empty with a :attr:`LoadResult.problem` it can show.

Writes go through :func:`smstui.system.paths.write_private_file`: mode 0600, a 0700 directory, and
an atomic rename, so a crash mid-write leaves the previous file intact.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smstui.system.paths import ensure_private_dir, write_private_file

__all__ = [
    "LoadResult",
    "free_aside_name",
    "load_json_object",
    "save_json_object",
]

_MAX_CORRUPT_COPIES = 100
"""How many renamed-aside copies to keep before the oldest name is reused."""


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What reading a state file gave."""

    data: dict[str, Any] | None
    """The parsed object, or None when the file was missing or unusable."""
    missing: bool = False
    """True when there was no file at all (a first run, not an error)."""
    problem: str = ""
    """Why the file could not be used, ready to show; "" when all went well."""
    kept_as: Path | None = None
    """Where the unusable file was moved so nothing is lost, when it could be moved."""


def free_aside_name(path: Path, suffix: str = "corrupt") -> Path:
    """Return ``name.<suffix>``, or ``name.N.<suffix>`` when earlier copies already exist."""
    candidate = path.with_name(f"{path.name}.{suffix}")
    for number in range(1, _MAX_CORRUPT_COPIES):
        if not candidate.exists():
            return candidate
        candidate = path.with_name(f"{path.name}.{number}.{suffix}")
    return candidate


def _set_aside(path: Path, reason: str) -> LoadResult:
    """Move an unusable file out of the way and describe what happened."""
    target = free_aside_name(path)
    try:
        os.replace(path, target)
    except OSError as error:
        return LoadResult(
            data=None,
            problem=f"{path.name} was unreadable ({reason}) and could not be moved aside: "
            f"{error.strerror or error}",
        )
    with contextlib.suppress(OSError):
        os.chmod(target, 0o600)
    return LoadResult(
        data=None,
        problem=f"{path.name} was unreadable ({reason}); kept as {target.name}",
        kept_as=target,
    )


def load_json_object(path: Path) -> LoadResult:
    """Read a JSON object from ``path`` without ever raising.

    Args:
        path: The state file.

    Returns:
        The parsed object; or ``missing=True`` when there is no file; or, when the file cannot
        be read, is not JSON or is not a JSON object, no data, a ``problem`` and the path the
        bad file was moved to.
    """
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return LoadResult(data=None, missing=True)
    except OSError as error:
        return _set_aside(path, error.strerror or type(error).__name__)
    try:
        parsed = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _set_aside(path, "not valid JSON")
    if not isinstance(parsed, dict):
        return _set_aside(path, "not a JSON object")
    return LoadResult(data=parsed)


def save_json_object(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` to ``path`` as JSON: directory 0700, file 0600, replaced atomically.

    ASCII escapes are used so that any Python string round-trips, lone surrogates included
    (a pasted draft can hold them; UTF-8 cannot encode them).

    Args:
        path: The state file.
        data: A JSON-serialisable object.

    Raises:
        OSError: The directory or the file could not be written.
    """
    ensure_private_dir(path.parent)
    text = json.dumps(data, ensure_ascii=True, indent=1, sort_keys=True)
    write_private_file(path, text + "\n")
