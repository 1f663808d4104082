"""Credentials as values that never show their secret in a repr, a log line or a traceback."""

from __future__ import annotations

from dataclasses import dataclass, field


class Secret:
    """A string that hides itself everywhere except through :meth:`reveal`.

    Textual's crash screen prints local variables and ``httpx.Headers`` does not mask custom
    headers, so the client secret only ever travels inside this wrapper.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret itself; call this only where it is sent or stored."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True, slots=True)
class Credentials:
    """The Smstools API client id and secret, plus where they were found."""

    client_id: str
    secret: Secret = field(repr=True)
    source: str = "unknown"
    """Where the credentials came from: ``environment``, ``keyring``, ``file``, ``demo``, …"""
