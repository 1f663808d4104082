"""Optional features and the extras that install them: ``smstui[team]``, ``smstui[serve]``.

The PostgreSQL driver and the web server are a third of a full install, and most users need
neither. Asking for one without it installed gets one line naming the command that adds it,
before anything starts, rather than an ImportError from deep inside the app.
"""

from __future__ import annotations

import importlib.util

__all__ = ["MissingExtra", "require"]

EXTRAS = {
    "team": ("psycopg", 'a PostgreSQL store ("store_url" or SMSTOOLS_STORE_URL)'),
    "serve": ("textual_serve", "smstui serve"),
}
"""Extra name → (the module it brings, the feature that needs it, in words)."""


class MissingExtra(Exception):
    """A feature was asked for whose extra is not installed; the text says how to add it."""


def installed(module: str) -> bool:
    """Whether ``module`` can be imported, without importing it (so it stays cheap)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a broken or blocked install counts as missing
        return False


def require(extra: str) -> None:
    """Raise :class:`MissingExtra` unless the module of ``extra`` is installed.

    Raises:
        MissingExtra: Not installed; the message is the one line to print.
    """
    module, feature = EXTRAS[extra]
    if not installed(module):
        raise MissingExtra(
            f"{feature} needs the {extra!r} extra, which is not installed: "
            f"pip install 'smstui[{extra}]' (from a checkout: pipx install --force '.[{extra}]')"
        )
