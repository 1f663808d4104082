"""The error hierarchy: one-line messages for every code in the contract's table (§3.2)."""

from __future__ import annotations

import time

import pytest

from smstui.api.errors import (
    ApiError,
    AuthError,
    BadResponse,
    Offline,
    RateLimited,
    SendOutcomeUnknown,
    ServiceUnavailable,
    SmsError,
    describe_code,
    error_for,
)

CONTRACT_CODES = [
    102, 103, 104, 105, 106, 108, 109, 110, 111, 112, 113, 114, 116, 118, 121, 122, 123, 124,
    125, 126, 128, 129, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 200, 1002, 1403,
]  # fmt: skip


@pytest.mark.parametrize("code", CONTRACT_CODES)
def test_every_contract_code_has_its_own_one_line_message(code: int) -> None:
    message = describe_code(code)
    assert message
    assert "\n" not in message
    assert len(message) < 100
    assert message != describe_code(99999).replace("99999", str(code))


def test_the_messages_users_see_most() -> None:
    assert describe_code(108) == "Not enough credit to send this message"
    assert describe_code(131) == "The recipient has opted out of messages from you"
    assert describe_code(118) == "Message too long (max 459 characters)"


def test_unknown_code_names_the_code() -> None:
    assert "4242" in describe_code(4242)


@pytest.mark.parametrize("code", [104, 116, 200, 1002])
def test_auth_codes_are_auth_errors(code: int) -> None:
    error = error_for(code, status=400)
    assert isinstance(error, AuthError)
    assert error.user_message == describe_code(code)


def test_error_105_is_service_unavailable() -> None:
    assert isinstance(error_for(105), ServiceUnavailable)


@pytest.mark.parametrize("status", [401, 403])
def test_401_and_403_without_a_code_are_auth_errors(status: int) -> None:
    assert isinstance(error_for(None, status=status), AuthError)


def test_other_codes_are_api_errors_with_code_and_detail() -> None:
    error = error_for(108, "", "Not enough credits", status=400)
    assert isinstance(error, ApiError)
    assert (error.code, error.detail, error.status) == (108, "Not enough credits", 400)
    assert error.user_message == "Not enough credit to send this message"


@pytest.mark.parametrize("code", [139, 106])
def test_error_msg_is_shown_when_it_names_the_problem(code: int) -> None:
    error = error_for(code, "", "Parameter 'to'\nis\x1b[31m wrong")
    assert error.user_message.startswith(describe_code(code) + ": ")
    assert "Parameter 'to' is" in error.user_message
    assert "\n" not in error.user_message
    assert "\x1b" not in error.user_message


def test_long_error_msg_is_cut() -> None:
    error = error_for(139, "", "x" * 5000)
    assert len(error.user_message) < 200
    assert error.user_message.endswith("…")


def test_free_text_error_is_shown_sanitised() -> None:
    error = error_for(None, "The JSON body could not be parsed\r\n\x1b[2J")
    assert isinstance(error, ApiError)
    assert error.code is None
    assert (
        error.user_message == "The gateway refused the request: The JSON body could not be parsed"
    )


def test_no_code_and_no_text_uses_the_status() -> None:
    assert error_for(None, status=404).user_message == "The gateway refused the request (HTTP 404)"
    assert isinstance(error_for(None, status=502), ServiceUnavailable)


def test_rate_limited_says_when_in_local_time_rounded_up() -> None:
    retry_at = time.mktime((2026, 1, 2, 14, 4, 10, 0, 0, -1))
    error = RateLimited(retry_at)
    assert error.user_message == "Rate limited by the gateway; try again at 14:05"
    assert error.retry_at == retry_at
    assert RateLimited(None).user_message == "Rate limited by the gateway; try again later"


def test_service_unavailable_messages() -> None:
    retry_at = time.mktime((2026, 1, 2, 9, 30, 0, 0, 0, -1))
    assert ServiceUnavailable(retry_at=retry_at).user_message == (
        "The gateway is having trouble; try again at 09:30"
    )
    assert ServiceUnavailable(status=502).user_message == (
        "The gateway is having trouble (HTTP 502); try again later"
    )


def test_offline_and_send_outcome_unknown_are_different_things() -> None:
    offline = Offline("connection refused")
    unknown = SendOutcomeUnknown("no answer")
    assert offline.user_message == "Can't reach the gateway (connection refused)"
    assert unknown.user_message == (
        "The gateway did not answer; the message may have been sent. Checking…"
    )
    assert isinstance(unknown, SmsError)
    assert not isinstance(unknown, Offline)


def test_str_is_the_user_message() -> None:
    error = BadResponse()
    assert str(error) == error.user_message
    assert "\n" not in repr(error)
