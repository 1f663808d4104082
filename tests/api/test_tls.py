"""Certificate checks: full verification for https; a plain-HTTP gateway never opens TLS."""

from __future__ import annotations

import ssl

from smstui.api.client import _tls_context_for


def test_https_gateways_get_default_verification() -> None:
    assert _tls_context_for("https://api.smsgatewayapi.com/v1") is True
    assert _tls_context_for("HTTPS://api.smstools.com/v1") is True


def test_plain_http_gets_a_context_that_fails_closed() -> None:
    context = _tls_context_for("http://127.0.0.1:8787/v1")
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.get_ca_certs() == []  # nothing trusted: any TLS use would be refused
