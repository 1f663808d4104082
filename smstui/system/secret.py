"""Credentials as values that never show their secret in a repr, a log line or a traceback."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit


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


class SecretUrl:
    """A database URL whose password never shows: ``postgresql://me:********@host/db``.

    Like :class:`Secret`, the full URL comes out only through :meth:`reveal` (to connect).
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the URL with its password; call this only where the connection is made."""
        return self._value

    @property
    def password(self) -> str:
        """The password in the URL ("" when none), for masking it in error messages."""
        try:
            parts = urlsplit(self._value)
            found = parts.password or parse_qs(parts.query).get("password", [""])[0]
        except ValueError:
            return ""
        return unquote(found)

    def masked(self) -> str:
        """Return the URL with any password replaced by ``********``."""
        return mask_url(self._value)

    def __repr__(self) -> str:
        return f"SecretUrl({self.masked()!r})"

    def __str__(self) -> str:
        return self.masked()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretUrl) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def mask_url(url: str) -> str:
    """Return ``url`` with its password replaced by ``********``.

    Both spellings are masked: ``user:password@host`` and a ``password=`` query parameter. A
    URL that does not parse is masked whole after ``//``.
    """
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
    except ValueError:  # e.g. an unclosed "[" in an IPv6 address
        scheme, _, _rest = url.partition("//")
        return f"{scheme}//********"
    masked = url
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        if ":" in userinfo:
            hidden = userinfo.split(":", 1)[0] + ":" + _MASK + "@" + host
            masked = masked.replace("//" + netloc, "//" + hidden, 1)
    return _PASSWORD_PARAM.sub(lambda found: found.group(1) + _MASK, masked)


_MASK = "********"
_PASSWORD_PARAM = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)
