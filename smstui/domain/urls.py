"""URL checks for the settings: the gateway's base URL and the message store's URL."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

__all__ = ["STORE_URL_SCHEMES", "check_store_url", "check_url", "is_loopback_host"]

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
