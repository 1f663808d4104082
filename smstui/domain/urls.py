"""URL checks for the settings: the gateway's base URL and the message store's URL."""

from __future__ import annotations

import ipaddress
import unicodedata
from urllib.parse import urlsplit

__all__ = [
    "MAX_URL_LENGTH",
    "STORE_URL_SCHEMES",
    "check_store_url",
    "check_url",
    "is_loopback_host",
    "validate_url",
]

MAX_URL_LENGTH = 2000
"""Longer URLs are refused: no real attachment link needs more, and terminals choke on them."""

_SCHEMES = frozenset({"http", "https"})
"""What an attachment or message link may be opened as."""

STORE_URL_SCHEMES = ("postgresql", "postgres")


def check_url(value: str) -> str:
    """Return what is wrong with an API base URL, or ``""`` when it is acceptable.

    Plain ``http://`` carries the client secret in clear text, so it is accepted only to this
    machine (a loopback address or ``localhost``: the fake gateway, a local tunnel).
    """
    try:
        parts = urlsplit(value)
        hostname = parts.hostname
    except ValueError:  # e.g. an unclosed "[" in an IPv6 address
        return "must be an http:// or https:// URL"
    if parts.scheme not in ("http", "https") or not hostname:
        return "must be an http:// or https:// URL"
    if parts.username or parts.password:
        return "must not contain a user name or password"
    if parts.scheme == "http" and not is_loopback_host(hostname):
        return (
            "must be an https:// URL: plain http:// would send the client secret in clear "
            "text (it is allowed only to a loopback address such as 127.0.0.1)"
        )
    return ""


def is_loopback_host(hostname: str) -> bool:
    """Whether ``hostname`` is this machine: ``localhost``, 127.0.0.0/8 or ``::1``."""
    name = hostname.lower().rstrip(".")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_store_url(value: str) -> str:
    """Return what is wrong with a store URL, or ``""`` when it is acceptable.

    ``""`` is acceptable (no URL: the SQLite store). The message never repeats the URL: it may
    hold a password.
    """
    if not value:
        return ""
    scheme, separator, _rest = value.partition("://")
    if not separator or scheme.lower() not in STORE_URL_SCHEMES:
        return 'must be a PostgreSQL URL such as "postgresql://user@host/database"'
    return ""


def _is_forbidden_char(char: str) -> bool:
    """Whitespace, controls and invisible format characters (bidi, zero-width) in a URL."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")


def validate_url(url: str) -> str:
    """Check that a URL is safe to hand to an opener or to show as a link.

    Args:
        url: The attachment URL (already sanitised, but not trusted).

    Returns:
        The URL, unchanged.

    Raises:
        ValueError: With a one-line reason when the URL is not plain http(s) to a host, is
            longer than :data:`MAX_URL_LENGTH`, or contains whitespace or control characters.
    """
    if not url:
        raise ValueError("the link is empty")
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"the link is longer than {MAX_URL_LENGTH} characters")
    if any(_is_forbidden_char(char) for char in url):
        raise ValueError("the link contains spaces or control characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise ValueError("the link is malformed") from None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise ValueError(f"only http and https links are opened, not {shown}"[:120])
    if not host:
        raise ValueError("the link has no host")
    return url
