"""Where the keys go, on every terminal; and the look on 16-colour and symbol-less terminals.

The terminal is chosen the way Textual learns it, through ``TERM`` and ``COLORTERM`` (the suite
pins a 24-bit ``xterm-256color``); everything is read from what is drawn, colours stripped, or
from the resolved styles.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.color import ColorType
from rich.style import Style
from textual.widget import Widget

from smstui.ui.app import SmsApp
from smstui.ui.widgets.conversation_list import ConversationList
from smstui.ui.widgets.message_pane import MessagePane
from tests.app.compose_helpers import inbox_of, wait_for
from tests.app_fixtures import STANDARD, MakeApp, screen_text, settle
from tests.unit.hostile import JOINED_EMOJI, terminal_cells

SYMBOLS = "✓◷📎▌▐…─❯⏎·↓"
"""What the Linux console cannot draw: none of it may reach the screen in ASCII mode."""


def terminal(monkeypatch: pytest.MonkeyPatch, term: str) -> None:
    """Pretend to run on a terminal that announces itself as ``term`` (no COLORTERM)."""
    monkeypatch.setenv("TERM", term)
    monkeypatch.delenv("COLORTERM", raising=False)


def title_row(app: SmsApp, widget: Widget) -> str:
    """The text of a one-row widget as drawn on the screen."""
    region = widget.region
    return screen_text(app).splitlines()[region.y][region.x : region.right]


async def test_the_focused_pane_has_a_marked_title_and_the_other_does_not(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        list_title = inbox.query_one("#list-title")
        thread_title = inbox.query_one("#thread-title")
        assert inbox.conversation_list.has_focus
        assert title_row(app, list_title).startswith("▌Conversations")
        assert title_row(app, thread_title).startswith(" ")
        await pilot.press("tab")
        await wait_for(
            pilot,
            lambda: title_row(app, thread_title).startswith("▌"),
            what="the thread's title marked",
        )
        assert inbox.message_pane.has_focus
        assert title_row(app, list_title).startswith(" Conversations")


def colours(style: Style) -> list[Any]:
    return [colour for colour in (style.color, style.bgcolor) if colour is not None]


async def test_a_16_colour_terminal_gets_a_deliberate_ansi_look(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal(monkeypatch, "screen")
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        assert app.console.color_system == "standard"
        assert app.theme == "smstui-ansi"
        pane = inbox_of(app).query_one(MessagePane)
        conversations = inbox_of(app).query_one(ConversationList)

        def pane_style(*names: str) -> Style:
            return pane.get_visual_style(*names).rich_style

        inbound = pane_style("message-pane--inbound")
        outbound = pane_style("message-pane--outbound")
        inbound_time = pane_style("message-pane--inbound", "message-pane--meta")
        outbound_time = pane_style(
            "message-pane--outbound", "message-pane--meta", "message-pane--outbound-meta"
        )
        error = pane_style("message-pane--outbound", "message-pane--status-error")
        badge = conversations.get_visual_style("conversation-list--unread-badge").rich_style
        # Only the terminal's own colours: nothing for Rich to squeeze into the nearest grey.
        for style in (inbound, outbound, inbound_time, outbound_time, error, badge):
            for colour in colours(style):
                assert colour.type in (ColorType.STANDARD, ColorType.DEFAULT), style
        assert inbound.bgcolor != outbound.bgcolor  # theirs and ours apart
        assert outbound.bgcolor is not None
        assert outbound.bgcolor.number == 4
        # Theirs: the time in the terminal's own colour, the only one that reads on both light
        # and dark terminals (tests/app/test_ansi_contrast.py); ours: stands out and is legible.
        assert inbound_time.color == inbound.color
        assert outbound_time.color not in (outbound.bgcolor, outbound.color)
        assert error.bgcolor is not None
        assert error.bgcolor.number == 1  # white on red
        assert badge.bgcolor is not None
        assert badge.bgcolor.number not in (1, 9)
        assert badge.color is not None
        assert badge.color != badge.bgcolor
        footer_keys = app.get_css_variables()["footer-key-foreground"]
        assert "red" not in footer_keys  # key hints do not look like errors


@pytest.mark.parametrize(
    ("term", "colorterm", "setting", "theme"),
    [
        ("xterm-256color", "truecolor", "auto", "textual-dark"),
        ("xterm-256color", "", "auto", "textual-dark"),
        ("linux", "", "auto", "smstui-ansi"),
        ("screen", "", "nord", "nord"),  # a theme the user chose wins
    ],
)
async def test_the_theme_follows_the_terminal_unless_chosen(
    make_app: MakeApp,
    monkeypatch: pytest.MonkeyPatch,
    term: str,
    colorterm: str,
    setting: str,
    theme: str,
) -> None:
    terminal(monkeypatch, term)
    if colorterm:
        monkeypatch.setenv("COLORTERM", colorterm)
    app = make_app(theme=setting)
    async with app.run_test(size=STANDARD):
        assert app.theme == theme


async def test_the_linux_console_gets_ascii_stand_ins_for_every_symbol(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal(monkeypatch, "linux")
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.ascii_glyphs
        text = screen_text(app)
        assert [symbol for symbol in SYMBOLS if symbol in text] == []
        # Statuses as words, not "vv"/"v" stand-ins for ✓✓/✓, in the list and the thread.
        assert "You (delivered): " in text
        assert " delivered" in text or " rejected" in text
        assert "You: vv " not in text
        assert "vv delivered" not in text


@pytest.mark.parametrize(
    ("term", "setting", "expected"),
    [("linux", "unicode", True), ("xterm-256color", "ascii", False)],
)
async def test_the_glyphs_setting_overrides_the_terminal(
    make_app: MakeApp,
    monkeypatch: pytest.MonkeyPatch,
    term: str,
    setting: str,
    expected: bool,
) -> None:
    terminal(monkeypatch, term)
    app = make_app(glyphs=setting)
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        assert app.ascii_glyphs == (setting == "ascii")
        assert ("✓✓" in screen_text(app)) == expected


async def test_a_terminal_that_is_not_utf8_gets_ascii_letters_and_is_told_once(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LANG=C (a Latin-1 xterm): "Długa" would read "DÅuga"; every cell is ASCII instead."""
    monkeypatch.setenv("LANG", "C")
    monkeypatch.setenv("LC_CTYPE", "C.UTF-8")  # what Python's own PEP 538 coercion leaves
    app = make_app()
    async with app.run_test(size=STANDARD, notifications=True) as pilot:
        await settle(pilot)
        assert app.ascii_glyphs
        assert app.ascii_letters
        text = screen_text(app)
        assert text.isascii(), sorted({char for char in text if not char.isascii()})
        assert "Marek Zielinski" in text  # "Zieliński", accent dropped, width kept
        assert "is not UTF-8" in text  # the toast, once
        toasts = [n for n in app._notifications if "not UTF-8" in n.message]
        assert len(toasts) == 1


async def test_glyphs_unicode_keeps_letters_on_a_terminal_that_is_not_utf8(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "C")
    app = make_app(glyphs="unicode")
    async with app.run_test(size=STANDARD, notifications=True) as pilot:
        await settle(pilot)
        assert not app.ascii_glyphs
        assert not app.ascii_letters
        assert "Zieliński" in screen_text(app)
        assert not any("not UTF-8" in n.message for n in app._notifications)


async def test_joined_emoji_in_a_toast_stay_inside_the_screen(make_app: MakeApp) -> None:
    """Where text is not taken apart before measuring, the app's filter fits the clusters."""
    app = make_app()
    async with app.run_test(size=STANDARD, notifications=True) as pilot:
        await settle(pilot)
        app.notify(" ".join(JOINED_EMOJI[:4]), title="👨\u200d👩\u200d👧", markup=False)
        await wait_for(pilot, lambda: "family" in screen_text(app), what="the toast")
        for line in screen_text(app).splitlines():
            assert terminal_cells(line) <= STANDARD[0], line
