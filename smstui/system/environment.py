"""Every environment variable smstui reads, in one list: ``--help`` and ``config show`` use it.

A test scans the source for ``SMSTOOLS_*`` names, so a new variable cannot be read without
being listed here (and so shown in ``--help``).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["ENVIRONMENT", "OTHER_VARIABLES", "help_text"]


class Variable(NamedTuple):
    """One environment variable (or a pair that only works together) and what it does."""

    names: str
    meaning: str


ENVIRONMENT: tuple[Variable, ...] = (
    Variable(
        "SMSTOOLS_CLIENT_ID, SMSTOOLS_CLIENT_SECRET",
        "credentials (both or neither; win over stored ones)",
    ),
    Variable("SMSTOOLS_CONFIG", "config file to use instead of the default"),
    Variable("SMSTOOLS_BASE_URL", "API base URL (--base-url wins; it wins over the config)"),
    Variable("SMSTOOLS_STORE_URL", "PostgreSQL store URL (wins over the config's store_url)"),
)
"""smstui's own variables."""

OTHER_VARIABLES: tuple[Variable, ...] = (
    Variable("VISUAL, EDITOR", "the editor Ctrl+E opens the draft in"),
    Variable("XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME", "where smstui keeps its files"),
    Variable("TERM, COLORTERM, TMUX and terminal ids", "colours, glyphs and notifications"),
    Variable("PYTHON_KEYRING_BACKEND", "the keyring backend (the keyring library's own)"),
)
"""Standard variables smstui also honours; listed so that nothing read goes unmentioned."""


def help_text() -> str:
    """The ``environment:`` section of ``smstui --help``."""
    width = max(len(variable.names) for variable in ENVIRONMENT)
    lines = ["environment:"]
    lines += [f"  {v.names:<{width}}   {v.meaning}" for v in ENVIRONMENT]
    lines.append("also read:")
    lines += [f"  {v.names}: {v.meaning}" for v in OTHER_VARIABLES]
    return "\n".join(lines) + "\n"
