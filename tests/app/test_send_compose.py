"""The composer in the inbox: focus keys, drafts per conversation, $EDITOR, and n (new message)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from smstui.fake import FakeGateway
from smstui.ui.screens.new_message import NewMessageScreen
from tests.app.compose_helpers import inbox_of, start, store_file, stored_drafts, wait_for
from tests.app_fixtures import STANDARD, MakeApp, screen_text, settle


async def test_tab_enter_and_escape_move_between_list_thread_and_composer(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Tab: list → thread → composer; Esc: composer → thread; Enter in the thread: composer."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.conversation_list.has_focus
        await pilot.press("tab")
        assert inbox.message_pane.has_focus
        await pilot.press("tab")
        assert inbox.composer.text_area.has_focus
        await pilot.press("escape")
        assert inbox.message_pane.has_focus
        await pilot.press("enter")
        assert inbox.composer.text_area.has_focus
        assert "from +48 732 104" in screen_text(app), "the sender is the number it came in on"


async def test_drafts_stay_with_their_conversation_and_survive_a_restart(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """A draft never follows into another conversation, and is there after a restart."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        first = inbox.conversation_list.rows[0].key
        second = inbox.conversation_list.rows[1].key
        await pilot.press("tab", "tab", *"Draft for the first")
        assert inbox.composer.text == "Draft for the first"
        inbox.conversation_list.focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert inbox.thread is not None
        assert inbox.thread.key == second
        assert inbox.composer.text == "", "the draft did not follow"
        await pilot.press("tab", *"Second draft")
        inbox.open_conversation(first)
        await settle(pilot)
        assert inbox.composer.text == "Draft for the first"
        inbox.open_conversation(second)
        await settle(pilot)
        assert inbox.composer.text == "Second draft"
    assert stat.S_IMODE(store_file(fresh_gateway).stat().st_mode) == 0o600
    assert stored_drafts(fresh_gateway) == {
        first: "Draft for the first",
        second: "Second draft",
    }

    again = make_app(fresh_gateway)
    async with again.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        assert inbox.thread.key == second, "the conversation open at quitting opens again"
        assert inbox.composer.text == "Second draft"
        inbox.open_conversation(first)
        await settle(pilot)
        assert inbox.composer.text == "Draft for the first"


async def test_a_sent_message_leaves_no_draft_behind(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Once sent, the draft is gone from the disk too."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        await start(pilot)
        await pilot.press("tab", "tab", *"Sent soon")
        await wait_for(  # the draft is written after the typing pause
            pilot,
            lambda: "Sent soon" in stored_drafts(fresh_gateway).values(),
            what="the draft on disk",
        )
        await pilot.press("enter")
        await settle(pilot)
    assert stored_drafts(fresh_gateway) == {}


async def test_ctrl_e_edits_the_draft_in_the_editor(
    make_app: MakeApp, fresh_gateway: FakeGateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+E hands the draft to $EDITOR and brings the edited text back."""
    script = tmp_path / "editor.sh"
    script.write_text('#!/bin/sh\nprintf " and a second thought" >> "$1"\n')
    script.chmod(0o700)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        await pilot.press("tab", "tab", *"First thought")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert inbox.composer.text == "First thought and a second thought"
        assert inbox.composer.text_area.has_focus


async def open_new_message(pilot: object, text: str) -> NewMessageScreen:
    await pilot.press("n")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    dialog = pilot.app.screen  # type: ignore[attr-defined]
    assert isinstance(dialog, NewMessageScreen)
    await pilot.press(*text)  # type: ignore[attr-defined]
    return dialog


@pytest.mark.parametrize(
    ("typed", "key", "shown"),
    [
        ("+48 512 345 678", "48512345678", "+48 512 345 678"),
        ("0470 12 34 56", "32470123456", "+32 470 12 34 56"),  # national, read as Belgian
    ],
)
async def test_n_with_a_new_number_starts_an_empty_conversation(
    make_app: MakeApp, fresh_gateway: FakeGateway, typed: str, key: str, shown: str
) -> None:
    """n, a number not in the list: a new conversation at the top, composer ready.

    A national number is read in the country of our own (Belgian) number.
    """
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        count = len(inbox.conversation_list.rows)
        await open_new_message(pilot, typed)
        assert f"→ {shown}" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        inbox = inbox_of(app)
        assert len(inbox.conversation_list.rows) == count + 1
        assert inbox.conversation_list.rows[0].key == key
        assert inbox.thread is not None
        assert inbox.thread.key == key
        assert inbox.composer.text_area.has_focus
        assert f"to {shown}" in screen_text(app)


async def test_n_with_an_existing_number_reuses_its_conversation(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """n, a number already in the list (typed in another spelling): that conversation opens."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        rows = inbox.conversation_list.rows
        target = next(r for r in rows[3:] if r.number.isdigit() and len(r.number) > 8)
        await open_new_message(pilot, f"00{target.number}")
        await pilot.press("enter")
        await settle(pilot)
        inbox = inbox_of(app)
        assert len(inbox.conversation_list.rows) == len(rows)
        assert inbox.thread is not None
        assert inbox.thread.key == target.key
        assert inbox.composer.text_area.has_focus


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("12ab", "A phone number cannot contain letters."),
        ("+48 51", "That is not a complete number for +48; check the digits."),
    ],
)
async def test_n_with_an_invalid_number_says_why_and_stays_open(
    make_app: MakeApp, fresh_gateway: FakeGateway, typed: str, error: str
) -> None:
    """An invalid number is refused with the reason; Esc closes the dialog."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        opened = inbox.thread.key if inbox.thread else None
        dialog = await open_new_message(pilot, typed)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert error in " ".join(screen_text(app).split())
        await pilot.press("escape")
        await pilot.pause()
        inbox = inbox_of(app)
        assert (inbox.thread.key if inbox.thread else None) == opened


async def test_a_sender_name_cannot_be_answered_and_the_composer_says_why(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """mBank is a sender name: the composer is disabled and explains; Enter only rings."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        bank = next(r for r in inbox.conversation_list.rows if r.key == "mbank")
        inbox.open_conversation(bank.key)
        await settle(pilot)
        assert not inbox.composer.can_reply
        assert "mBank is a sender name or short code" in " ".join(screen_text(app).split())
        await pilot.press("enter")
        assert not inbox.composer.text_area.has_focus


async def test_narrow_terminal_thread_composer_and_back(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """60 columns: Enter opens the thread, Enter again writes, Esc twice goes back to the list."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=(60, 20)) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is None
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter", *"Hi")
        assert inbox.composer.text == "Hi"
        await pilot.press("enter")
        await settle(pilot)
        assert "Hi" in [m.text for m in inbox.thread.messages]  # type: ignore[union-attr]
        await pilot.press("escape", "escape")
        assert inbox.conversation_list.has_focus
