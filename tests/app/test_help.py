"""``?`` lists every key by area with its binding id, the README's key tables say the same, and
the footer keeps ``?`` Help and ``q`` Quit whole at narrow widths."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from smstui.ui.app import SmsApp
from smstui.ui.screens.help import HelpRow, HelpScreen, collect_bindings
from smstui.ui.widgets.key_footer import KeyFooter
from tests.app.compose_helpers import inbox_of, wait_for
from tests.app_fixtures import STANDARD, MakeApp, screen_text, settle

README = Path(__file__).resolve().parents[2] / "README.md"
AREAS = [
    "Everywhere",
    "Inbox",
    "Conversation list",
    "Thread",
    "Composer",
    "New message",
    "Search",
    "Send later",
    "Scheduled",
    "Templates",
    "Links and attachments",
    "Assign",
    "Internal note",
    "Yes/no questions",
    "Sign in",
    "Help",
]
DIALOGS = frozenset(AREAS[5:])
"""The areas the README lists together under "Dialogs"."""


async def help_rows(pilot: Pilot[Any]) -> list[HelpRow]:
    await settle(pilot)
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), what="the help")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    return list(screen.rows)


def help_texts(app: SmsApp) -> list[str]:
    """Every line of the help card, including what is scrolled out of view."""
    return [str(static.visual) for static in app.screen.query(Static)]


async def test_help_lists_every_key_by_area_with_its_id(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        rows = await help_rows(pilot)
        assert list(dict.fromkeys(row.area for row in rows)) == AREAS
        by_id = {row.binding_id: row for row in rows if row.binding_id}
        assert by_id["composer.newline"].keys == (
            "Ctrl+J",  # first: the one that works in every terminal
            "Alt+Enter",
            "Shift+Enter",
            "Ctrl+Enter",
        )
        assert by_id["composer.editor"].keys == ("Ctrl+E",)
        assert by_id["composer.fix_lookalikes"].keys == ("Ctrl+G",)
        assert by_id["app.help"].keys == ("?",)
        assert by_id["app.quit"].keys == ("q",)
        assert by_id["attachments.open"].area == "Links and attachments"
        assert by_id["sign_in.toggle_secret"].keys == ("Ctrl+R",)
        shown = "\n".join(help_texts(app))
        # Textual's defaults that do nothing useful here are left out.
        for absent in ("Copy selected text", "Focus Next", "Scroll", "help_quit", "super"):
            assert absent not in shown
        for row in rows:
            assert row.description
            assert row.key_text in shown
            if row.binding_id:
                assert f"{row.description}  {row.binding_id}" in shown
        visible = screen_text(app)
        assert "Everywhere" in visible
        assert "app.quit" in visible


async def test_help_shows_keys_moved_in_the_config(make_app: MakeApp) -> None:
    app = make_app(keys={"inbox.refresh": "f5", "composer.editor": "ctrl+o,f4"})
    async with app.run_test(size=STANDARD) as pilot:
        rows = await help_rows(pilot)
        by_id = {row.binding_id: row for row in rows}
        assert by_id["inbox.refresh"].keys == ("F5",)
        assert by_id["composer.editor"].keys == ("Ctrl+O", "F4")


def readme_key_rows() -> list[tuple[str, str, tuple[str, ...]]]:
    """(area, id, keys) of every row of the README's key tables ("Dialogs" for the dialogs)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Keys\n", 1)[1].split("\n## ", 1)[0]
    rows, area = [], ""
    for line in section.splitlines():
        if line.startswith("### "):
            area = line[4:].strip()
        elif line.startswith("| ") and not line.startswith(("| key ", "| ---")):
            keys, ident = (cell.strip() for cell in line.strip("|").split(" | ")[:2])
            binding_id = "" if ident == "—" else ident.strip("`")
            rows.append((area, binding_id, tuple(re.findall(r"`([^`]+)`", keys))))
    return rows


async def test_the_readme_key_tables_and_help_agree(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        shown = sorted(
            ("Dialogs" if row.area in DIALOGS else row.area, row.binding_id, row.keys)
            for row in collect_bindings(app.screen)
        )
    documented = sorted(readme_key_rows())
    assert [row for row in shown if row not in documented] == [], "missing from the README"
    assert [row for row in documented if row not in shown] == [], "in the README, not in ?"


def footer_keys(app: SmsApp) -> list[FooterKey]:
    return list(app.screen.query_one(KeyFooter).query(FooterKey))


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
@pytest.mark.parametrize("where", ["list", "thread"])
async def test_the_footer_keeps_help_and_quit_and_cuts_no_hint(
    make_app: MakeApp, size: tuple[int, int], where: str
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        if where == "thread":
            await pilot.press("enter")
            await wait_for(pilot, lambda: inbox.message_pane.has_focus, what="the thread")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "? Help" in footer
        # In the thread q goes back to the list; the way out stays in sight either way.
        assert ("q Back" if where == "thread" else "q Quit") in footer
        keys = footer_keys(app)
        regions = [key.region for key in keys]
        assert all(region.right <= size[0] for region in regions), footer
        for index, region in enumerate(regions):
            for other in regions[index + 1 :]:
                assert not region.overlaps(other), footer
        texts = [f"{key.key_display} {key.description}".strip() for key in keys]
        for text in texts:
            assert text in footer


async def test_the_footer_lays_out_again_when_the_terminal_narrows(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        wide = len(footer_keys(app))
        await pilot.resize_terminal(60, 20)
        await wait_for(
            pilot,
            lambda: (
                len(footer_keys(app)) < wide
                and all(key.region.right <= 60 for key in footer_keys(app))
            ),
            what="fewer hints at 60 columns",
        )
        footer = screen_text(app).splitlines()[-1]
        assert "? Help" in footer
        assert "q Back" in footer  # the thread is open: q goes back to the list
