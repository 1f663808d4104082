"""``smstui serve`` in a real headless browser: the inbox, keys, a conversation, a reload.

The browser signs in with the link the server printed, as a user would; see conftest.py.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

from selenium.webdriver.common.keys import Keys

from smstui.fake import FakeGateway
from tests.serve.browser import Browser, wait_for
from tests.serve.conftest import SECRET, Served, tab_processes


def named_conversation(gateway: FakeGateway) -> tuple[str, str]:
    """A conversation with a contact, not the newest one: (number, "First Last")."""
    names = {c.phone: f"{c.firstname} {c.lastname}" for c in gateway._state.contacts()}
    numbers = gateway.conversation_numbers()
    for number in numbers[2:]:
        name = names.get(number)
        if name and sum(name.split()[-1] in other for other in names.values()) == 1:
            return number, name
    raise AssertionError("no named conversation with a unique last name in the data set")


def pane_title(screen: str) -> str:
    """The conversation pane's title: the right-hand side of the screen's second row."""
    rows = screen.splitlines()
    return rows[1].split("▕", 1)[-1] if len(rows) > 1 else ""


def test_the_inbox_in_a_browser_opens_a_conversation_and_survives_a_reload(
    served: Served, gateway: FakeGateway, browser: Browser
) -> None:
    """See the inbox, filter to a contact with keys, open it and its photo; a reload reopens it.

    The contact's newest message carries one photo, so ``o`` opens it at once; another
    conversation gets a newer message, so the contact's is not the one open at start.
    """
    number, name = named_conversation(gateway)
    gateway.deliver_inbound(number, "Here is the photo of the parcel", attachments=1)
    gateway.deliver_inbound(gateway.conversation_numbers()[1], "Thanks, see you tomorrow")
    browser.open(served.sign_in_url())
    screen = browser.wait_for_text("Conversations")
    assert browser.driver.current_url == served.url  # the token left the address bar
    wait_for(lambda: gateway.count("GET", "/conversation/"), "the newest conversation to load")
    first_tab = wait_for(lambda: tab_processes(served), "the tab's smstui process")
    newest = gateway.conversation_numbers()[0]
    assert {r.path for r in gateway.requests if r.path.startswith("/conversation/")} == {
        f"/conversation/{newest}"
    }
    screen = browser.wait_for_text("/ Filter")
    assert SECRET not in screen

    last_name = name.split()[-1]
    # "/" and the name at once, as a fast typist or a paste sends them: each key waits until
    # the one before is handled, so the name lands in the filter box "/" just opened (it went
    # to the list, whose "n" opened "New message", before the web driver kept keys in order).
    browser.press("/" + last_name.lower())
    browser.wait_for_text(last_name.lower())
    browser.press(Keys.ENTER)  # open the top match
    wait_for(
        lambda: name in pane_title(browser.screen()),
        f"{name}'s conversation to open (screen:\n{browser.screen()})",
    )
    wait_for(
        lambda: gateway.count("GET", f"/conversation/{number}"),
        f"the served app to ask the gateway for /conversation/{number}",
    )
    browser.wait_for_text("Here is the photo of the parcel")

    # o: the photo opens in the viewer's browser (a new tab), not on the server.
    files_before = gateway.count("GET", "/files/")
    browser.press("o")
    tab = browser.wait_for_new_tab()
    origin = urlsplit(gateway.url)
    assert tab.startswith(f"{origin.scheme}://{origin.netloc}/files/photo-"), tab
    wait_for(lambda: gateway.count("GET", "/files/") > files_before, "the browser to fetch it")

    # A reload is a new page, a new websocket and a new smstui process on the same store.
    starts = gateway.count("GET", "/balance")
    browser.open(served.url)
    wait_for(lambda: gateway.count("GET", "/balance") > starts, "a new process after the reload")
    wait_for(
        lambda: (tabs := tab_processes(served)) and len(tabs) == 1 and tabs != first_tab,
        "the old page's process to end, leaving the new page's",
    )
    screen = browser.wait_for_text("Conversations")
    wait_for(
        lambda: name in pane_title(browser.screen()),
        f"the reload to reopen {name}'s conversation (screen:\n{browser.screen()})",
    )
    assert "Traceback" not in served.printed()


HOSTILE_PAGE = """<!DOCTYPE html>
<title>A page of another site</title>
<script>
  window.__events = [];
  const socket = new WebSocket("ws://127.0.0.1:{port}/ws?width=100&height=30");
  socket.onopen = () => {
    window.__events.push("open");
    socket.send(JSON.stringify(["resize", {"width": 100, "height": 30}]));
  };
  socket.onerror = () => window.__events.push("error");
  socket.onclose = () => window.__events.push("closed");
  // Enter, a text, Enter: through a socket of another origin, these keys sent an SMS before.
  window.attack = () => {
    for (const keys of ["\\r", "sent by another site", "\\r"]) {
      socket.send(JSON.stringify(["stdin", keys]));
    }
  };
</script>
"""


@contextlib.contextmanager
def hostile_site(target_port: int) -> Iterator[str]:
    """A page of another origin (another port of 127.0.0.1) that opens the app's websocket."""
    page = HOSTILE_PAGE.replace("{port}", str(target_port)).encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page) as site:
        thread = threading.Thread(target=site.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{site.server_address[1]}/"
        finally:
            site.shutdown()
            thread.join(timeout=5)


def test_a_page_of_another_site_cannot_open_the_app_even_in_a_signed_in_browser(
    served: Served, gateway: FakeGateway, browser: Browser
) -> None:
    """The browser holds the cookie and sends it (another port is the same site): Origin decides."""
    browser.open(served.sign_in_url())
    browser.wait_for_text("Conversations")
    wait_for(lambda: gateway.count("GET", "/conversation/"), "the signed-in page's app to load")
    starts = gateway.count("GET", "/balance")
    port = urlsplit(served.url).port
    assert port is not None
    with hostile_site(port) as hostile:
        browser.open(hostile)  # the served page's tab ends: its socket closes
        events = wait_for(
            lambda: browser.driver.execute_script(
                "return window.__events.includes('closed') && window.__events"
            ),
            "the hostile page's socket to be answered",
        )
        browser.driver.execute_script("window.attack()")  # does nothing on a closed socket
        state = browser.driver.execute_script("return socket.readyState")
    assert events == ["error", "closed"]
    assert state == 3  # CLOSED: nothing typed on that page reaches any app
    hostile_origin = hostile.rstrip("/")
    assert f"refused a websocket /ws from 127.0.0.1: origin '{hostile_origin}'" in served.log()
    assert gateway.count("GET", "/balance") == starts  # no app was started for it
    assert gateway.count("POST", "/") == 0
