"""Calling the OS keyring without ever hanging: daemon threads, timeouts, plain reasons.

A keyring backend can block forever (a locked Secret Service waiting for an unlock prompt that
cannot be shown over SSH). Each call therefore runs in a ``threading.Thread(daemon=True)``
joined with a timeout; a thread still stuck when the process ends does not keep it alive,
unlike ``asyncio.to_thread`` or an executor, which are joined at interpreter exit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from smstui.system.logs import redact

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
LOCKED_REASON = "the keyring is locked"
UNLOCK_HELP = (
    'Unlock it, then try again: log in to the desktop session, or unlock the "login" '
    "collection in your keyring manager (Seahorse, KWallet; on macOS: security unlock-keychain)."
)
"""How to get past :data:`LOCKED_REASON`."""
MASK = "********"
DETAIL_LENGTH = 200
"""A backend's error text is cut to this many characters (after any secret is masked)."""

MISSING, DISABLED, LOCKED, TIMED_OUT, FAILED = (
    "missing",
    "disabled",
    "locked",
    "timed-out",
    "failed",
)
"""Why a keyring is unusable (:attr:`KeyringStatus.problem`): no backend at all, switched off,
locked, no answer in time, or an error. Only the first two mean nothing can be stored there."""


@dataclass(frozen=True)
class KeyringStatus:
    """Whether the OS keyring can be used, which backend it is, and why not when it can't."""

    usable: bool
    backend: str
    """Dotted class name of the backend, e.g. ``keyring.backends.SecretService.Keyring``."""
    reason: str = ""
    """Why it is unusable, as a lower-case phrase; empty when usable."""
    problem: str = ""
    """``missing``, ``disabled``, ``locked``, ``timed-out`` or ``failed``; empty when usable."""
    plaintext: bool = False
    """The backend keeps secrets in a plain-text file (``keyrings.alt``), not in an OS keyring."""

    @property
    def may_hold_credentials(self) -> bool:
        """Whether credentials could be stored there although it did not answer now."""
        return self.usable or self.problem in (LOCKED, TIMED_OUT, FAILED)

    @property
    def storage(self) -> str:
        """Where this backend keeps secrets, for messages: ``the OS keyring`` or a file."""
        if self.plaintext:
            return f"a PLAIN-TEXT file of the keyring backend {self.backend}"
        if self.backend.startswith("keyrings.alt."):
            return f"a file of the keyring backend {self.backend}"
        return "the OS keyring"


class KeyringProblem(Exception):
    """A keyring call failed or timed out; :attr:`reason` says how, without any secret."""

    def __init__(self, reason: str, kind: str = FAILED) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        """One of the :attr:`KeyringStatus.problem` values."""


def run_keyring_call(call: Callable[[], T], timeout: float, hide: Iterable[str] = ()) -> T:
    """Run one blocking keyring call in a daemon thread and wait at most ``timeout`` seconds.

    Args:
        call: The keyring call, e.g. ``lambda: keyring.get_password(SERVICE, name)``.
        timeout: Seconds to wait before giving up (the thread is abandoned, not killed).
        hide: Secrets to mask in the backend's error text (e.g. the one being stored).

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
            "and waiting for an unlock prompt)",
            TIMED_OUT,
        )
    succeeded, value = outcome[0]
    if succeeded:
        return value  # type: ignore[return-value]  # it is what call() returned, a T
    assert isinstance(value, Exception)
    raise KeyringProblem(describe_keyring_error(value, hide), _problem_kind(value)) from None


def _problem_kind(error: Exception) -> str:
    import keyring.errors

    if isinstance(error, keyring.errors.NoKeyringError):
        return MISSING
    if isinstance(error, keyring.errors.KeyringLocked):
        return LOCKED
    return FAILED


def describe_keyring_error(error: Exception, hide: Iterable[str] = ()) -> str:
    """Turn a keyring exception into a short reason, e.g. ``"the keyring is locked"``.

    Secrets in the backend's text are masked before anything else is done to it: collapsing
    whitespace or cutting the text first would change or split a secret so it no longer matches.

    Args:
        error: What the backend raised.
        hide: Secret values to mask (registered log secrets are masked too).
    """
    kind = _problem_kind(error)
    if kind == MISSING:
        return NO_BACKEND_REASON
    if kind == LOCKED:
        return LOCKED_REASON
    text = str(error)
    for value in sorted((value for value in hide if value), key=len, reverse=True):
        text = text.replace(value, MASK)
    detail = " ".join(redact(text).split())[:DETAIL_LENGTH]
    name = type(error).__name__
    return f"the keyring failed ({name}: {detail})" if detail else f"the keyring failed ({name})"


def is_plaintext_backend(backend: object) -> bool:
    """Whether a backend stores secrets in a plain-text file (``keyrings.alt``'s Plaintext…)."""
    kind = type(backend)
    return kind.__module__.startswith("keyrings.alt") and "plaintext" in kind.__name__.lower()


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
        return KeyringStatus(False, "unknown", problem.reason, problem.kind)
    name = backend_name(backend)
    if isinstance(backend, keyring.backends.fail.Keyring):
        return KeyringStatus(False, name, NO_BACKEND_REASON, MISSING)
    if isinstance(backend, keyring.backends.null.Keyring):
        return KeyringStatus(False, name, DISABLED_REASON, DISABLED)
    plaintext = is_plaintext_backend(backend)
    try:
        run_keyring_call(lambda: backend.get_password(SERVICE, CLIENT_ID_USERNAME), timeout)
    except KeyringProblem as problem:
        return KeyringStatus(False, name, problem.reason, problem.kind, plaintext)
    return KeyringStatus(usable=True, backend=name, plaintext=plaintext)
