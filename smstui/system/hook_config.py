"""The ``[[hooks]]`` tables of the config: which new messages run which program.

Layout (see the README, "Hooks")::

    hooks_enabled = true                # nothing runs without it (top level, before any table)

    [[hooks]]
    name = "forward"                    # optional, for the log
    run = ["/usr/local/bin/forward-sms", "--to", "ops"]   # argv: never a shell string
    direction = "in"                    # in (default) | out | any
    number = "+48 512 345 678"          # optional: one number, or a list of them
    text = "(?i)urgent|pilne"           # optional: a regular expression searched in the text
    max_per_minute = 6                  # at most this many runs of this rule a minute
    timeout = 10                        # seconds before a hung hook is killed

Pure and cheap to import: the config module reads it; phone numbers are normalised only when a
rule names one. Errors are ``ValueError`` with the key's place (``hooks[2].run``); the config
module adds the file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["DEFAULT_MAX_PER_MINUTE", "DEFAULT_TIMEOUT", "HookRule", "parse_hooks"]

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_PER_MINUTE = 10
_DIRECTIONS = ("in", "out", "any")
_KEYS = ("name", "run", "direction", "number", "text", "max_per_minute", "timeout")


@dataclass(frozen=True)
class HookRule:
    """One ``[[hooks]]`` table."""

    name: str
    run: tuple[str, ...]
    """The program and its arguments, run without a shell."""
    direction: str = "in"
    numbers: tuple[str, ...] = ()
    """Conversation keys (digits-only numbers, or lower-cased sender names); empty: any."""
    text: re.Pattern[str] | None = None
    max_per_minute: int = DEFAULT_MAX_PER_MINUTE
    timeout: float = DEFAULT_TIMEOUT

    def matches(self, direction: str, conversation: str, text: str) -> bool:
        """Whether a message (``in``/``out``, its conversation key, its text) fires the rule."""
        if self.direction != "any" and direction != self.direction:
            return False
        if self.numbers and conversation not in self.numbers:
            return False
        return self.text is None or self.text.search(text) is not None


def parse_hooks(value: object) -> tuple[HookRule, ...]:
    """Read the ``hooks`` array of tables.

    Raises:
        ValueError: What is wrong and where (``hooks[1].run must be …``).
    """
    if not isinstance(value, list):
        raise ValueError('"hooks" must be an array of tables ([[hooks]])')
    return tuple(_rule(item, f"hooks[{index}]") for index, item in enumerate(value, start=1))


def _rule(table: object, where: str) -> HookRule:
    if not isinstance(table, dict):
        raise ValueError(f'"{where}" must be a table ([[hooks]])')
    unknown = [key for key in table if key not in _KEYS]
    if unknown:
        known = ", ".join(_KEYS)
        raise ValueError(f'unknown key "{where}.{unknown[0]}" (a hook has: {known})')
    run = _argv(table.get("run"), where)
    name = table.get("name", "")
    if not isinstance(name, str):
        raise ValueError(f'"{where}.name" must be a string')
    direction = table.get("direction", "in")
    if direction not in _DIRECTIONS:
        raise ValueError(f'"{where}.direction" must be "in", "out" or "any" (got {direction!r})')
    return HookRule(
        name=name or f"{where} ({run[0]})",
        run=run,
        direction=direction,
        numbers=_numbers(table.get("number"), where),
        text=_pattern(table.get("text"), where),
        max_per_minute=_whole(table.get("max_per_minute", DEFAULT_MAX_PER_MINUTE), where),
        timeout=_timeout(table.get("timeout", DEFAULT_TIMEOUT), where),
    )


def _argv(run: Any, where: str) -> tuple[str, ...]:
    if isinstance(run, str):
        raise ValueError(
            f'"{where}.run" must be an array of arguments such as ["notify-send", "SMS"], not a '
            "string: hooks never run through a shell"
        )
    if (
        not isinstance(run, list)
        or not run
        or not all(isinstance(arg, str) for arg in run)
        or not run[0].strip()
    ):
        raise ValueError(
            f'"{where}.run" must be a non-empty array of strings: the program, then its arguments'
        )
    return tuple(run)


def _numbers(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(item, str) and item.strip() for item in values):
        raise ValueError(f'"{where}.number" must be a number, or an array of numbers')
    from smstui.domain.phones import (
        conversation_key,
    )  # phonenumbers loads only when a rule needs it

    return tuple(conversation_key(item) for item in values)


def _pattern(value: Any, where: str) -> re.Pattern[str] | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f'"{where}.text" must be a regular expression (a string)')
    try:
        return re.compile(value)
    except re.error as error:
        raise ValueError(f'"{where}.text" is not a valid regular expression: {error}') from None


def _whole(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 600:
        raise ValueError(f'"{where}.max_per_minute" must be a whole number from 1 to 600')
    return value


def _timeout(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 3600:
        raise ValueError(f'"{where}.timeout" must be a number of seconds above 0, at most 3600')
    return float(value)
