"""Logging to a private, rotating file, with secrets masked before anything is written.

A TUI owns the terminal, so nothing is logged there: records go to ``smstui.log`` in the
state directory (mode 0600). A filter on the handler masks every registered secret and
anything after ``X-Client-Secret`` in the formatted message, the exception text and the stack.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO, Any

from smstui.system import paths
from smstui.system.secret import Secret

MASK = "********"
MAX_LOG_BYTES = 1_000_000
BACKUP_COUNT = 3
MIN_MASKED_LENGTH = 4
"""Shorter "secrets" are not masked: replacing every ``a`` in a log would help nobody."""

_HEADER = re.compile(r"""(x-client-secret['"]?\s*[:=]\s*(?:b?['"])?)[^\s'",;}\])]+""", re.I)


class SecretFilter(logging.Filter):
    """Masks registered secret values and ``X-Client-Secret`` header values in records."""

    def __init__(self, secrets: Iterable[Secret] = ()) -> None:
        super().__init__()
        self._values: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: Secret) -> None:
        """Mask ``secret`` from now on."""
        value = secret.reveal()
        if len(value) >= MIN_MASKED_LENGTH:
            self._values.add(value)

    def mask(self, text: str) -> str:
        """Return ``text`` with every registered secret and header value replaced by a mask."""
        # Longest first, so a secret that contains another is masked whole.
        for value in sorted(self._values, key=len, reverse=True):
            text = text.replace(value, MASK)
        return _HEADER.sub(lambda match: match.group(1) + MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place with its message already formatted and masked."""
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = f"{record.msg!r} % {record.args!r}"
        record.msg = self.mask(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating file handler whose files are created 0600, whatever the umask."""

    def _open(self) -> IO[Any]:  # type: ignore[override]  # typeshed: TextIOWrapper
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(fd, paths.PRIVATE_FILE_MODE)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def setup_logging(*, debug: bool, secrets: Iterable[Secret] = (), path: Path | None = None) -> Path:
    """Send log records to the rotating log file, masked; call once, early in ``main``.

    Calling it again replaces the handler it installed before (tests do this).

    Args:
        debug: Log at DEBUG (and httpx request lines) instead of INFO.
        secrets: Secrets known now; more can be added with :func:`register_secret`.
        path: The log file; the default is ``smstui.log`` in the state directory.

    Returns:
        The log file's path, to mention in error messages.
    """
    log_path = path or paths.log_file()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, PrivateRotatingFileHandler):
            root.removeHandler(handler)
            handler.close()
    handler = PrivateRotatingFileHandler(
        log_path, maxBytes=MAX_LOG_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretFilter(secrets))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    # httpx logs every request URL at INFO; httpcore's DEBUG is connection noise.
    logging.getLogger("httpx").setLevel(logging.INFO if debug else logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return log_path


def _installed_filters() -> list[SecretFilter]:
    return [
        found
        for handler in logging.getLogger().handlers
        for found in handler.filters
        if isinstance(found, SecretFilter)
    ]


def register_secret(secret: Secret) -> None:
    """Mask ``secret`` in the log from now on (e.g. after the user signs in)."""
    for installed in _installed_filters():
        installed.add(secret)


def redact(text: str) -> str:
    """Mask registered secrets in ``text`` (for the one-line error shown on the terminal)."""
    for installed in _installed_filters():
        text = installed.mask(text)
    return _HEADER.sub(lambda match: match.group(1) + MASK, text)


def log_worker_failure(name: str, error: BaseException | None) -> None:
    """Log a background task's unexpected failure with its traceback (secrets masked).

    The screen says "see the log" for these; this is what the log then holds.

    Args:
        name: The worker's name.
        error: What it raised.
    """
    logging.getLogger("smstui.workers").error(
        "background task %r failed", name or "unnamed", exc_info=error
    )


class OnceLog:
    """Logs each distinct event once: a page refetched every 15 s must not fill the log.

    Args:
        logger: Where the first report of each event goes (at WARNING).
        limit: Distinct events remembered; beyond it the oldest are forgotten (and may be
            logged again), so a long session's memory stays bounded.
    """

    def __init__(self, logger: logging.Logger, limit: int = 1000) -> None:
        self._logger = logger
        self._limit = limit
        self._seen: dict[str, None] = {}

    def warning(self, key: str, message: str, *args: object) -> bool:
        """Log ``message % args`` unless ``key`` was logged before; True when it was logged."""
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > self._limit:
            del self._seen[next(iter(self._seen))]
        self._logger.warning(message, *args)
        return True
