"""The log file: private, in the state dir, and never holding a secret."""

from __future__ import annotations

import logging

import pytest

from smstui.system import paths
from smstui.system.logs import redact, register_secret, setup_logging
from smstui.system.secret import Secret

SECRET = "sup3r-s3cret-value-42"
LATER = "registered-after-login-99"


@pytest.fixture(autouse=True)
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def flush_and_read(path):
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_log_file_is_private_and_in_the_state_dir():
    path = setup_logging(debug=False)
    logging.getLogger("smstui.test").info("hello")
    assert path == paths.state_dir() / "smstui.log"
    assert path.stat().st_mode & 0o777 == 0o600
    assert "INFO smstui.test: hello" in flush_and_read(path)


def test_secrets_are_masked_in_message_args_headers_and_tracebacks():
    path = setup_logging(debug=True, secrets=[Secret(SECRET)])
    log = logging.getLogger("smstui.test")
    log.info("secret in args: %s", SECRET)
    log.info(f"secret in the message itself: {SECRET}")
    log.debug("headers: %r", {"X-Client-Id": "abc", "X-Client-Secret": "hdr-only-value-7"})
    log.debug("raw dump\nX-Client-Secret: another-hdr-value\nAccept: */*")
    register_secret(Secret(LATER))
    log.info("after sign-in: %s", LATER)
    try:
        raise ValueError(f"bad secret {SECRET}")
    except ValueError:
        log.exception("it failed")

    text = flush_and_read(path)
    for leaked in (SECRET, LATER, "hdr-only-value-7", "another-hdr-value"):
        assert leaked not in text
    assert "secret in args: ********" in text
    assert "'X-Client-Secret': '********'" in text
    assert "X-Client-Secret: ********" in text
    assert "Accept: */*" in text
    assert "ValueError: bad secret ********" in text
    assert "'X-Client-Id': 'abc'" in text


def test_http_libraries_are_quiet_unless_debugging():
    setup_logging(debug=False)
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("httpcore").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger().level == logging.INFO
    setup_logging(debug=True)
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("httpcore").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger().level == logging.DEBUG


def test_setting_up_twice_keeps_one_handler():
    setup_logging(debug=False)
    setup_logging(debug=False)
    ours = [h for h in logging.getLogger().handlers if type(h).__name__.startswith("Private")]
    assert len(ours) == 1


def test_redact_masks_registered_secrets():
    setup_logging(debug=False, secrets=[Secret(SECRET)])
    assert redact(f"oops {SECRET} X-Client-Secret=abc") == "oops ******** X-Client-Secret=********"
