"""Calling the OS keyring without ever hanging: daemon threads, timeouts, plain reasons.

A keyring backend can block forever (a locked Secret Service waiting for an unlock prompt that
cannot be shown over SSH). Each call therefore runs in a ``threading.Thread(daemon=True)``
joined with a timeout; a thread still stuck when the process ends does not keep it alive,
unlike ``asyncio.to_thread`` or an executor, which are joined at interpreter exit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

SERVICE = "smstui"
"""The keyring service name every smstui entry is stored under."""

CLIENT_ID_USERNAME = "client-id"
"""The keyring username holding the client id; the secret is stored under the id itself."""

NO_BACKEND_REASON = (
    "no keyring backend is available on this machine (no Secret Service — usual over SSH)"
)
DISABLED_REASON = (
    "the keyring is switched off (the null backend was chosen, e.g. by PYTHON_KEYRING_BACKEND "
    'or "keyring --disable")'
)


@dataclass(frozen=True)
class KeyringStatus:
    """Whether the OS keyring can be used, which backend it is, and why not when it can't."""

    usable: bool
    backend: str
    """Dotted class name of the backend, e.g. ``keyring.backends.SecretService.Keyring``."""
    reason: str = ""
    """Why it is unusable, as a lower-case phrase; empty when usable."""


class KeyringProblem(Exception):
    """A keyring call failed or timed out; :attr:`reason` says how, without any secret."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def run_keyring_call(call: Callable[[], T], timeout: float) -> T:
    """Run one blocking keyring call in a daemon thread and wait at most ``timeout`` seconds.

    Args:
        call: The keyring call, e.g. ``lambda: keyring.get_password(SERVICE, name)``.
        timeout: Seconds to wait before giving up (the thread is abandoned, not killed).

    Returns:
        What the call returned.

    Raises:
        KeyringProblem: The call timed out or raised any exception.
    """
    outcome: list[tuple[bool, object]] = []

    def target() -> None:
        try:
            outcome.append((True, call()))
        except Exception as error:
            outcome.append((False, error))

    thread = threading.Thread(target=target, name="smstui-keyring", daemon=True)
    thread.start()
    thread.join(timeout)
    if not outcome:
        raise KeyringProblem(
            f"the keyring did not answer within {timeout:g} s (timed out; it may be locked "
            "and waiting for an unlock prompt)"
        )
    succeeded, value = outcome[0]
    if succeeded:
        return value  # type: ignore[return-value]  # it is what call() returned, a T
    assert isinstance(value, Exception)
    raise KeyringProblem(describe_keyring_error(value)) from None


def describe_keyring_error(error: Exception) -> str:
    """Turn a keyring exception into a short reason, e.g. ``"the keyring is locked"``."""
    import keyring.errors

    if isinstance(error, keyring.errors.NoKeyringError):
        return NO_BACKEND_REASON
    if isinstance(error, keyring.errors.KeyringLocked):
        return "the keyring is locked"
    detail = " ".join(str(error).split())[:200]
    name = type(error).__name__
    return f"the keyring failed ({name}: {detail})" if detail else f"the keyring failed ({name})"


def backend_name(backend: object) -> str:
    """Return the dotted class name of a keyring backend."""
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


def keyring_status(timeout: float) -> KeyringStatus:
    """Check whether the OS keyring is usable, with one harmless read as a probe.

    The ``fail`` backend (nothing available, the usual headless case) and the ``null`` backend
    (keyring switched off) are unusable up front; otherwise a read of the stored client id must
    answer within ``timeout`` seconds without error. Never raises.

    Args:
        timeout: Seconds allowed for each keyring call.

    Returns:
        The status, with the backend's class name and the reason when unusable.
    """
    import keyring
    import keyring.backends.fail
    import keyring.backends.null

    try:
        backend = run_keyring_call(keyring.get_keyring, timeout)
    except KeyringProblem as problem:
        return KeyringStatus(usable=False, backend="unknown", reason=problem.reason)
    name = backend_name(backend)
    if isinstance(backend, keyring.backends.fail.Keyring):
        return KeyringStatus(usable=False, backend=name, reason=NO_BACKEND_REASON)
    if isinstance(backend, keyring.backends.null.Keyring):
        return KeyringStatus(usable=False, backend=name, reason=DISABLED_REASON)
    try:
        run_keyring_call(lambda: backend.get_password(SERVICE, CLIENT_ID_USERNAME), timeout)
    except KeyringProblem as problem:
        return KeyringStatus(usable=False, backend=name, reason=problem.reason)
    return KeyringStatus(usable=True, backend=name)
