"""Who ``smstui serve`` serves: real HTTP and websocket handshakes against a running server.

Only a browser that opened the printed sign-in link gets the page and the socket, and only from
the server's own origin: a page of another site (or of another port on this machine, which a
``SameSite`` cookie does not tell apart) must not be able to type into the app.
"""

from __future__ import annotations

from collections.abc import Callable
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import aiohttp
import pytest

from smstui.cli.serve_guard import Guard, origin_of
from smstui.fake import FakeGateway
from tests.serve.browser import wait_for
from tests.serve.conftest import (
    Served,
    command_line_and_environment,
    free_port,
    tab_processes,
)

NOT_SIGNED_IN = "printed in the terminal where it runs"


async def sign_in(session: aiohttp.ClientSession, served: Served) -> tuple[str, str]:
    """Open the printed link as a browser would; returns the cookie ``(name, value)``."""
    async with session.get(served.sign_in_url(), allow_redirects=False) as response:
        assert response.status == 303
        [header] = response.headers.getall("Set-Cookie")
    [(name, morsel)] = SimpleCookie(header).items()
    return name, morsel.value


async def handshake(
    session: aiohttp.ClientSession, served: Served, *, origin: str | None, cookie: str = ""
) -> int:
    """Open the app's websocket; returns the status (101 when accepted, then closes it)."""
    headers = {"Cookie": cookie} if cookie else {}
    if origin is not None:
        headers["Origin"] = origin
    try:
        socket = await session.ws_connect(
            served.url + "ws?width=100&height=30", headers=headers, autoping=False
        )
    except aiohttp.WSServerHandshakeError as refused:
        return refused.status
    await socket.close()
    return 101


async def test_the_printed_link_trades_its_token_for_a_cookie_that_opens_the_app(
    served: Served, gateway: FakeGateway
) -> None:
    link = served.sign_in_url()
    assert link.startswith(served.url + "?token=")
    assert served.printed().count(served.token) == 1
    port = urlsplit(served.url).port
    async with aiohttp.ClientSession() as session:
        async with session.get(link, allow_redirects=False) as response:
            assert response.status == 303
            assert response.headers["Location"] == "/"  # no token left in the address bar
            [header] = response.headers.getall("Set-Cookie")
        [(name, morsel)] = SimpleCookie(header).items()
        assert name == f"smstui-session-{port}"
        assert morsel.value != served.token
        assert morsel["httponly"] is True
        assert morsel["samesite"] == "Strict"
        assert morsel["path"] == "/"
        assert not morsel["secure"]  # plain http on loopback: a Secure cookie would not stick
        cookie = f"{name}={morsel.value}"

        async with session.get(served.url, headers={"Cookie": cookie}) as response:
            assert response.status == 200
            page = await response.text()
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page

        headers = {"Cookie": cookie, "Origin": served.origin}
        async with session.ws_connect(served.url + "ws?width=100&height=30", headers=headers) as ws:
            await ws.send_json(["resize", {"width": 100, "height": 30}])
            screen = await ws.receive(timeout=30)
            assert screen.type == aiohttp.WSMsgType.BINARY
            wait_for(lambda: gateway.count("GET", "/balance"), "the tab's app to start")
            [tab] = wait_for(lambda: tab_processes(served), "the tab's smstui process")
            seen_by_tab = command_line_and_environment(tab)
    for secret in (served.token, morsel.value):
        assert secret.encode() not in seen_by_tab
        assert secret not in served.log()
    assert "GET /?token=******** HTTP/1.1" in served.log()  # aiohttp's access line, masked


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "http://127.0.0.1:{other}", "http://localhost:{port}", "null", None],
)
async def test_a_websocket_from_another_origin_is_refused_even_with_the_cookie(
    served: Served, gateway: FakeGateway, origin: str | None
) -> None:
    """Another port of 127.0.0.1 is the same site: the browser sends the cookie there too."""
    port = urlsplit(served.url).port
    foreign = None if origin is None else origin.format(other=free_port(), port=port)
    async with aiohttp.ClientSession() as session:
        name, value = await sign_in(session, served)
        status = await handshake(session, served, origin=foreign, cookie=f"{name}={value}")
    assert status == 403
    shown = "(none)" if foreign is None else repr(foreign)
    assert f"refused a websocket /ws from 127.0.0.1: origin {shown}" in served.log()
    assert tab_processes(served) == []
    assert gateway.count("GET", "/balance") == 0


async def test_without_the_cookie_nothing_is_served_but_how_to_sign_in(
    served: Served, gateway: FakeGateway
) -> None:
    async with aiohttp.ClientSession() as session:
        for path in ("", "static/js/textual.js", "static/", "download/anything", "nowhere"):
            async with session.get(served.url + path) as response:
                assert response.status == 403, path
                text = await response.text()
            assert NOT_SIGNED_IN in text, path
            assert "textual" not in text, path
        name, value = await sign_in(session, served)
        for cookie in ("", f"{name}={served.token}", f"{name}={value[:-1]}x", f"other={value}"):
            status = await handshake(session, served, origin=served.origin, cookie=cookie)
            assert status == 403, cookie
    assert "refused a websocket from 127.0.0.1: not signed in" in served.log()
    assert tab_processes(served) == []
    assert gateway.count("GET", "/balance") == 0


async def test_a_wrong_token_is_refused_and_sets_no_cookie(served: Served) -> None:
    token = served.token
    async with aiohttp.ClientSession() as session:
        for wrong in ("wrong", token + "x", token[:-1], "", "żółw", token.upper()):
            async with session.get(served.url, params={"token": wrong}) as response:
                assert response.status == 403, wrong
                assert "that sign-in link is not valid" in await response.text()
                assert "Set-Cookie" not in response.headers
    assert served.log().count("refused a sign-in from 127.0.0.1: wrong token") == 6


async def test_behind_an_https_proxy_the_cookie_is_secure_and_only_the_proxy_origin_passes(
    serve: Callable[..., Served],
) -> None:
    served = serve("--public-url", "https://sms.example.test")
    link = served.sign_in_url()
    assert link.startswith("https://sms.example.test/?token=")
    async with aiohttp.ClientSession() as session:
        # The proxy would forward this request; here it goes to the server directly.
        async with session.get(
            served.url, params={"token": served.token}, allow_redirects=False
        ) as response:
            [header] = response.headers.getall("Set-Cookie")
        [(name, morsel)] = SimpleCookie(header).items()
        assert name == "__Host-smstui-session-443"
        assert morsel["secure"] is True
        cookie = f"{name}={morsel.value}"
        assert await handshake(session, served, origin=served.origin, cookie=cookie) == 403
        proxied = await handshake(session, served, origin="https://sms.example.test", cookie=cookie)
    assert proxied == 101


def test_the_secrets_never_show_in_a_repr() -> None:
    """A traceback with locals, or a debugging print, must not hand out the key."""
    guard = Guard("http://127.0.0.1:8000")
    token, session = (secret.reveal() for secret in guard.secrets())
    shown = repr(guard) + repr(guard.secrets()) + repr(guard.sign_in_url()) + str(guard.__dict__)
    assert token not in shown
    assert session not in shown
    assert guard.sign_in_url().reveal() == f"http://127.0.0.1:8000/?token={token}"


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://127.0.0.1:8000", ("http", "127.0.0.1", 8000)),
        ("HTTP://LocalHost:8000/", ("http", "localhost", 8000)),
        ("https://sms.example.com", ("https", "sms.example.com", 443)),
        ("https://sms.example.com:443/inbox", ("https", "sms.example.com", 443)),
        ("http://[::1]:8000", ("http", "::1", 8000)),
        ("null", None),
        ("file:///tmp/page.html", None),
        ("http://127.0.0.1:port", None),
        ("sms.example.com", None),
    ],
)
def test_origins_compare_as_browsers_send_them(url: str, origin: object) -> None:
    assert origin_of(url) == origin
