"""Whole-app flows against the fake gateway over real loopback HTTP."""

from __future__ import annotations

from smstui.domain.phones import conversation_key
from smstui.fake import FakeGateway
from smstui.system.secret import Credentials, Secret
from smstui.ui.app import SmsApp
from smstui.ui.screens.attachments import AttachmentsScreen
from smstui.ui.screens.help import HelpScreen
from smstui.ui.screens.inbox import InboxScreen
from smstui.ui.screens.sign_in import SignInScreen
from smstui.ui.widgets.message_pane import MessagePane
from tests.app.compose_helpers import wait_for
from tests.app_fixtures import STANDARD, MakeApp, PopenRecorder, desktop, screen_text, settle


def inbox_of(app: SmsApp) -> InboxScreen:
    assert isinstance(app.screen, InboxScreen)
    return app.screen


def requested(gw: FakeGateway, path: str) -> list[dict[str, str]]:
    return [r.query for r in gw.requests if r.method == "GET" and r.path == path]


def page_requests(gw: FakeGateway, start: int = 0) -> list[tuple[str, str, str]]:
    """Every GET made so far (from request ``start`` on) as (path, page, limit), sorted."""
    return sorted(
        (r.path, r.query.get("page", ""), r.query.get("limit", ""))
        for r in gw.requests[start:]
        if r.method == "GET"
    )


def list_pages(gw: FakeGateway, start: int = 0) -> list[tuple[str, str, str]]:
    """The inbox and sent-history pages asked for (from request ``start`` on)."""
    return [r for r in page_requests(gw, start) if r[0] in ("/message/inbox", "/message/logging")]


async def test_first_screen_is_lazy_and_cheap(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Start-up asks for what fills the list and a screen more, and the newest conversation.

    Every request counts, whatever its page: the first inbox page of this data set fills less
    than two screens of the list, so page 2 (inbox and sent history) is due, and nothing after
    it; one page of contacts, the account, and the first page of the conversation opened.
    """
    # The history backfill (on by default) reads every page on purpose; off, as a user may set
    # it, start-up shows what it asks for by itself.
    app = make_app(fresh_gateway, backfill=False)
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        first_key = inbox_of(app).conversation_list.rows[0].key
        pane = app.screen.query_one(MessagePane)
        assert pane.conversation_key == first_key
        assert page_requests(fresh_gateway) == [
            ("/balance", "", ""),
            ("/contact", "1", "500"),
            (f"/conversation/{first_key}", "1", "50"),
            ("/message/inbox", "1", "100"),
            ("/message/inbox", "2", "100"),
            ("/message/logging", "1", "100"),
            ("/message/logging", "2", "100"),
            ("/vmn", "", ""),
        ]
        assert len(inbox_of(app).conversation_list.rows) < len(fresh_gateway.conversation_numbers())


async def test_stored_copy_waits_for_the_newest_page(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """The store's short copy of a conversation, shown while its newest page is on its way,
    shows that page loading and asks for nothing older: page 2 comes only when scrolled to.

    The newest page comes later than the copy (the gateway's page is written, then read back
    from the store): a copy of a few messages that asked for older ones from the top of the
    pane had its request land after the newest page, for a page 2 nobody scrolled to.
    """
    number = fresh_gateway.conversation_numbers()[1]
    key = conversation_key(number)
    app = make_app(fresh_gateway, backfill=False)
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        fresh_gateway.add_fault("hold", f"/conversation/{number}", times=1)
        start = len(fresh_gateway.requests)
        inbox.open_conversation(key)
        await wait_for(pilot, lambda: inbox.threads.showing_stored, what="the store's copy")
        await wait_for(pilot, lambda: fresh_gateway.held == 1, what="the newest page")
        await pilot.pause()
        pane = app.screen.query_one(MessagePane)
        assert pane.loading_older
        assert fresh_gateway.release() == 1
        await settle(pilot)
        assert not pane.loading_older
        assert page_requests(fresh_gateway, start) == [(f"/conversation/{number}", "1", "50")]


async def test_list_fetches_more_only_near_the_bottom(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Further inbox pages come when the user scrolls to the end of the list, not before.

    Pages of 50 in a 17-row list: start-up takes pages 1–2; End goes to the last row, which
    asks for the next page, and page 3 still leaves it within a screen of the end, so page 4
    follows; nothing beyond. A second End takes the list to its last page (7 here).
    """
    app = make_app(fresh_gateway, inbox_page_size=50, backfill=False)  # it reads every page
    async with app.run_test(size=(100, 21)) as pilot:  # a 17-row list under its title row
        await settle(pilot)
        listed = inbox_of(app).conversation_list

        def pages(*numbers: int) -> list[tuple[str, str, str]]:
            return sorted(
                (path, str(n), "50")
                for n in numbers
                for path in ("/message/inbox", "/message/logging")
            )

        assert list_pages(fresh_gateway) == pages(1, 2)
        rows_before = len(listed.rows)
        await pilot.pause()
        assert list_pages(fresh_gateway) == pages(1, 2), "more pages without scrolling"
        listed.focus()
        await pilot.press("end")
        await settle(pilot)
        assert list_pages(fresh_gateway) == pages(1, 2, 3, 4)
        assert rows_before < len(listed.rows) < len(fresh_gateway.conversation_numbers())
        await pilot.press("end")
        await settle(pilot)
        assert list_pages(fresh_gateway) == pages(1, 2, 3, 4, 5, 6, 7)
        assert len(listed.rows) == len(fresh_gateway.conversation_numbers())


async def test_older_pages_load_as_the_user_scrolls_up(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Page 2 of a thread is fetched only when the view nears the top, then page 3 after it."""
    big = fresh_gateway.largest_conversation
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        path = f"/conversation/{big}"
        already = len(requested(fresh_gateway, path))
        inbox.open_conversation(conversation_key(big))
        await settle(pilot)
        assert [q["page"] for q in requested(fresh_gateway, path)[already:]] == ["1"]
        pane = app.screen.query_one(MessagePane)
        pane.focus()
        assert pane.message_count == 50
        await pilot.press("pageup")
        await settle(pilot)
        assert len(requested(fresh_gateway, path)[already:]) == 1, "fetched before needed"
        await pilot.press("home")
        await settle(pilot)
        pages = requested(fresh_gateway, path)[already:]
        assert len(pages) >= 2
        assert (pages[1]["page"], pages[1]["limit"]) == ("2", "50")
        assert pane.message_count > 50


async def test_prepend_keeps_the_message_under_the_eyes(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """When an older page arrives, what the user reads stays on the same screen row."""
    big = fresh_gateway.largest_conversation
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        inbox.open_conversation(conversation_key(big))
        await settle(pilot)
        pane = app.screen.query_one(MessagePane)
        fresh_gateway.add_fault("hold", f"/conversation/{big}", times=1)
        pane.focus()
        for _ in range(30):  # the older page is held: its loading row stays until released
            await pilot.press("pageup")
            if "Loading older messages" in screen_text(app):
                break
        assert "Loading older messages" in screen_text(app)
        await wait_for(pilot, lambda: fresh_gateway.held == 1, what="the page at the gateway")
        height = pane.size.height
        rows_before = [pane.render_line(y).text for y in range(height)]
        assert fresh_gateway.release() == 1
        await settle(pilot)
        rows_after = [pane.render_line(y).text for y in range(height)]
        assert "Loading older messages" not in rows_after[0]
        # The loading row, and the day separator of the message that now has an older
        # neighbour on the same day, may change; the rows the user is reading do not move.
        assert rows_after[2:] == rows_before[2:]


async def test_switching_conversation_drops_the_late_answer(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """A slow page of conversation A never appears after the user moved on to B."""
    numbers = fresh_gateway.conversation_numbers()
    slow, fast = numbers[1], numbers[2]
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        fresh_gateway.add_fault("hold", f"/conversation/{slow}", times=1)
        inbox.open_conversation(conversation_key(slow))
        await wait_for(pilot, lambda: fresh_gateway.held == 1, what="A's page to be on its way")
        inbox.open_conversation(conversation_key(fast))
        await wait_for(
            pilot,
            lambda: (
                inbox.thread is not None
                and inbox.thread.key == conversation_key(fast)
                and inbox.thread.pages_loaded > 0
            ),
            what="B's first page",
        )
        assert fresh_gateway.release() == 1  # A's answer now comes, late
        await settle(pilot)
        pane = app.screen.query_one(MessagePane)
        assert pane.conversation_key == conversation_key(fast)
        shown = {m.sender for m in inbox.thread.messages} | {
            m.receiver for m in inbox.thread.messages
        }
        assert slow not in shown


async def test_keymap_override_moves_an_action(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """A [keys] entry in the config re-binds an action by its id."""
    app = make_app(fresh_gateway, keys={"inbox.refresh": "f5"})

    def app_gateway(_: SmsApp) -> FakeGateway:
        return fresh_gateway

    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        keys = {b.binding.action: key for key, b in app.screen.active_bindings.items()}
        assert keys["refresh"] == "f5"
        before = len(requested(app_gateway(app), "/message/inbox"))
        await pilot.press("r")
        await settle(pilot)
        assert len(requested(app_gateway(app), "/message/inbox")) == before
        await pilot.press("f5")
        await settle(pilot)
        # f5 refreshes: the inbox is read again (with the store, a catch-up page may follow).
        assert len(requested(app_gateway(app), "/message/inbox")) > before


async def test_help_lists_live_bindings(make_app: MakeApp) -> None:
    """? shows the keys that work right now, including overrides."""
    app = make_app(keys={"inbox.refresh": "f5"})
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "F5" in text
        assert "Refresh" in text
        await pilot.press("escape")
        assert isinstance(app.screen, InboxScreen)


def message_with_attachment(app: SmsApp) -> None:
    pane = app.screen.query_one(MessagePane)
    for _ in range(60):
        message = pane.cursor_message
        if message is not None and message.attachments:
            return
        pane.action_cursor_up()
    raise AssertionError("no message with an attachment in reach")


async def test_open_attachment_over_ssh_shows_the_link_panel(
    make_app: MakeApp, popen: PopenRecorder
) -> None:
    """Over SSH nothing is launched; the panel offers the link, and y copies it."""
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        app.screen.query_one(MessagePane).focus()
        message_with_attachment(app)
        url = app.screen.query_one(MessagePane).cursor_message.attachments[0].url
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, AttachmentsScreen)
        assert popen.calls == []
        await pilot.press("y")
        assert app.clipboard == url


async def test_open_attachment_on_a_desktop_launches_the_opener(
    make_app: MakeApp, popen: PopenRecorder, opened_urls: list[str]
) -> None:
    """On a local desktop `o` starts xdg-open in the background; no browser runs in-process."""
    app = make_app(environment=desktop())
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        app.screen.query_one(MessagePane).focus()
        message_with_attachment(app)
        message = app.screen.query_one(MessagePane).cursor_message
        await pilot.press("o")
        await pilot.pause()
        if len(message.attachments) == 1:
            assert [argv for argv, _ in popen.calls] == [["xdg-open", message.attachments[0].url]]
            assert popen.calls[0][1]["start_new_session"] is True
        else:
            assert isinstance(app.screen, AttachmentsScreen)
        assert opened_urls == []


async def test_open_attachment_in_a_browser_session_uses_open_url(
    make_app: MakeApp, popen: PopenRecorder, opened_urls: list[str], monkeypatch: object
) -> None:
    """Served to a web browser (textual-serve), the link opens in the viewer's browser."""
    app = make_app()
    type(app).is_web = property(lambda self: True)  # type: ignore[method-assign,assignment]
    try:
        async with app.run_test(size=STANDARD) as pilot:
            await settle(pilot)
            app.screen.query_one(MessagePane).focus()
            message_with_attachment(app)
            message = app.screen.query_one(MessagePane).cursor_message
            await pilot.press("o")
            await pilot.pause()
            if isinstance(app.screen, AttachmentsScreen):  # several attachments: pick the first
                await pilot.press("o")
            assert opened_urls == [message.attachments[0].url]
            assert popen.calls == []
    finally:
        del type(app).is_web


async def test_y_copies_the_message_text(make_app: MakeApp) -> None:
    """y copies the highlighted message with OSC 52."""
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        app.screen.query_one(MessagePane).focus()
        await pilot.press("y")
        assert app.clipboard == app.screen.query_one(MessagePane).cursor_message.text


async def test_rejected_credentials_return_to_sign_in(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """A 104 from the gateway brings back the sign-in screen with the reason."""
    app = make_app(fresh_gateway, credentials=Credentials("test-client", Secret("wrong")))
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert "client id or secret" in screen_text(app).lower()


async def test_a_401_mid_session_is_a_sign_out_not_a_retry(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """The gateway starts refusing the credentials with a bare 401: sign in again, no retries."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        fresh_gateway.add_fault("status_401", "*", times=0)
        before = len(fresh_gateway.requests)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert "client id or secret was not accepted" in screen_text(app).lower()
        assert len(fresh_gateway.requests) - before <= 3, "no retries of a refusal"


async def test_sign_in_then_inbox(make_app: MakeApp, fresh_gateway: FakeGateway) -> None:
    """With no credentials the sign-in screen comes first; valid ones lead to the inbox."""
    from tests.app_fixtures import SECRET

    app = make_app(fresh_gateway, credentials=None)
    async with app.run_test(size=STANDARD) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        await pilot.click("#client-id")
        await pilot.press(*"test-client")
        await pilot.click("#secret")
        await pilot.press(*SECRET, "enter")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert fresh_gateway.count("GET", "/auth") == 1


async def test_filter_narrows_the_list(make_app: MakeApp) -> None:
    """/ then typing filters by name or number; Esc brings the whole list back."""
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        total = len(inbox.conversation_list.rows)
        target = next(r for r in inbox.conversation_list.rows if r.name)
        await pilot.press("slash", *target.name.split()[0].lower())
        await pilot.pause()
        rows = inbox.conversation_list.rows
        assert 1 <= len(rows) < total
        assert target.key in {r.key for r in rows}
        await pilot.press("escape")
        await pilot.pause()
        assert len(inbox.conversation_list.rows) == total


async def test_server_error_is_one_line_and_the_app_keeps_working(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """A broken server answer becomes a status line; r recovers."""
    fresh_gateway.add_fault("malformed_json", "/message/inbox", times=1)
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        status = inbox_of(app).status_line.text
        assert status
        assert "\n" not in status
        await pilot.press("r")
        await settle(pilot)
        assert len(inbox_of(app).conversation_list.rows) > 0


async def test_narrow_terminal_shows_one_pane_at_a_time(make_app: MakeApp) -> None:
    """Below 80 columns Enter opens the thread full-width and Esc goes back."""
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        assert inbox.has_class("-narrow")
        assert not app.screen.query_one(MessagePane).display or not inbox.has_class("-thread")
        await pilot.press("enter")
        await settle(pilot)
        assert inbox.has_class("-thread")
        await pilot.press("escape")
        assert not inbox.has_class("-thread")
