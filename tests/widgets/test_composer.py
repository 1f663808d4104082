"""The composer as a user meets it: the meter, the keys, drafts per conversation, the editor."""

from __future__ import annotations

import os
import shlex
import stat
import sys
from pathlib import Path

import pytest
from textual import events, on
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Static

from smstui.ui.editor import edit_in_external_editor, editor_command
from smstui.ui.widgets.composer import Composer
from tests.unit.hostile import HOSTILE_CORPUS

ANNA = "48512345678"
BOB = "48600000000"
SIZE = (100, 16)


class Host(App[None]):
    """A bare app holding one composer and recording what it posts."""

    def __init__(self) -> None:
        super().__init__()
        self.posted: list[Message] = []
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield Composer(id="composer")

    def bell(self) -> None:
        self.bells += 1

    @on(Composer.SendRequested)
    @on(Composer.DraftChanged)
    @on(Composer.EditorRequested)
    def record(self, message: Message) -> None:
        self.posted.append(message)

    def of(self, kind: type[Composer.SendRequested]) -> list[tuple[str, str]]:
        return [(m.key, m.text) for m in self.posted if isinstance(m, kind)]


async def open_composer(
    app: Host, draft: str = "", *, key: str = ANNA, can_reply: bool = True, reason: str = ""
) -> Composer:
    composer = app.query_one(Composer)
    composer.bind(
        key,
        draft=draft,
        sender="+32 460 12 34 56",
        recipient="+48 512 345 678",
        can_reply=can_reply,
        reason=reason,
    )
    composer.text_area.focus()
    composer.text_area.move_cursor(composer.text_area.document.end)
    return composer


def status_line(composer: Composer) -> str:
    """The meter line as drawn on screen (address, counts, badge)."""
    drawn = []
    for static in composer.query("#composer-status Static").results(Static):
        if static.size.width:
            drawn.append(static.render_lines(Region(0, 0, static.size.width, 1))[0].text)
    return " ".join(part.strip() for part in drawn)


def reason_lines(composer: Composer) -> list[str]:
    """The line(s) under the meter as drawn on screen (none when hidden)."""
    reason = composer.query_one("#composer-reason", Static)
    width, height = reason.region.size
    if not (width and height):
        return []
    return [line.text.strip() for line in reason.render_lines(Region(0, 0, width, height))]


def text_area_lines(composer: Composer) -> list[str]:
    area = composer.text_area
    return [area.render_line(y).text.rstrip() for y in range(area.size.height)]


# The meter -------------------------------------------------------------------------------


async def test_typing_updates_the_meter_across_the_gsm_boundary() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "a" * 158)
        await pilot.press("b")
        assert composer.meter_text.endswith("159/160 · 1 part · GSM-7")
        await pilot.press("c")
        assert "160/160 · 1 part · GSM-7" in status_line(composer)
        await pilot.press("d")
        # Two parts of 153: 161 used, 306 fit before a third part.
        assert "161/306 · 2 parts · GSM-7" in status_line(composer)
        await pilot.press("backspace")
        assert "160/160 · 1 part · GSM-7" in status_line(composer)


async def test_sender_and_recipient_are_shown() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "Hi")
        await pilot.pause()
        assert status_line(composer).startswith(
            "to +48 512 345 678 from +32 460 12 34 56 2/160 · 1 part · GSM-7"
        )


async def test_ucs2_boundary_and_the_character_that_forced_it() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "Dzień dobry" + "x" * 58)
        await pilot.press("y")
        assert "70/70 · 1 part · UCS-2 because of “ń” (col 5)" in status_line(composer)
        await pilot.press("z")
        assert "71/134 · 2 parts · UCS-2 because of “ń” (col 5)" in status_line(composer)


async def test_first_non_gsm_character_on_a_later_line_and_invisible_ones() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "Hello\nsee you → there")
        await pilot.pause()
        assert "UCS-2 because of “→” (line 2, col 9)" in status_line(composer)
        composer.set_text("no\u00a0break")
        await pilot.pause()
        assert "UCS-2 because of U+00A0 (col 3)" in status_line(composer)


async def test_extension_characters_count_double() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "€" * 79)
        await pilot.press("[")
        assert "160/160 · 1 part · GSM-7" in status_line(composer)
        await pilot.press("a")
        # 76 "€" fill 152 of the first 153 septets; the 77th cannot be split, so it starts
        # part two and one septet is lost: 305 fit, not 306.
        assert "161/305 · 2 parts · GSM-7" in status_line(composer)


async def test_fix_lookalikes_key_makes_the_draft_gsm() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "“Curly” quotes — and ‘single’…")
        await pilot.pause()
        assert "UCS-2" in status_line(composer)
        await pilot.press("ctrl+g")
        assert composer.text == "\"Curly\" quotes - and 'single'..."
        assert status_line(composer).endswith("· 1 part · GSM-7")
        await pilot.press("!")  # the cursor stayed at the end
        assert composer.text.endswith("...!")
        await pilot.pause()
        assert app.of(Composer.DraftChanged)[-1] == (ANNA, composer.text)


# Sending ---------------------------------------------------------------------------------


async def test_enter_sends_exactly_once_until_the_send_is_done() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "See you at 8")
        await pilot.press("enter", "enter", "enter")
        await pilot.pause()
        assert app.of(Composer.SendRequested) == [(ANNA, "See you at 8")]
        assert composer.text == "See you at 8"  # Enter inserted no newline
        assert composer.sending
        assert "Sending…" in status_line(composer)

        composer.clear()
        composer.set_sending(False)
        await pilot.press("O", "k", "enter")
        await pilot.pause()
        assert app.of(Composer.SendRequested) == [(ANNA, "See you at 8"), (ANNA, "Ok")]


async def test_enter_does_nothing_while_sending() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "Hello")
        composer.set_sending(True)
        await pilot.press("enter")
        await pilot.pause()
        assert app.of(Composer.SendRequested) == []
        assert composer.text == "Hello"


async def test_alt_enter_and_ctrl_j_insert_newlines() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "one")
        await pilot.press("alt+enter", "t", "w", "o", "ctrl+j", "x")
        await pilot.pause()
        assert composer.text == "one\ntwo\nx"
        assert app.of(Composer.SendRequested) == []
        assert text_area_lines(composer)[:3] == ["one", "two", "x"]


CEILING_REASON = (
    "Cannot be sent: 11 parts (1,531 characters), over hard_max_parts = 10; "
    "raise hard_max_parts under [sending] in the config to allow more"
)


def confirm_flags(app: Host) -> list[bool]:
    return [m.info.needs_confirmation for m in app.posted if isinstance(m, Composer.SendRequested)]


async def test_over_hard_max_parts_rings_and_shows_the_reason_instead_of_sending() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "a" * 1530)
        await pilot.press("b", "enter", "enter")
        await pilot.pause()
        assert app.of(Composer.SendRequested) == []
        assert app.bells == 2
        assert status_line(composer).endswith("1531/1683 · 11 parts · GSM-7")
        assert " ".join(reason_lines(composer)) == CEILING_REASON
        assert not composer.sending
        assert composer.text == "a" * 1530 + "b", "the text stays"
        await pilot.press("backspace", "enter")
        await pilot.pause()
        assert app.of(Composer.SendRequested) == [(ANNA, "a" * 1530)]
        assert confirm_flags(app) == [True], "ten parts: over max_parts, so asked about"


async def test_the_whole_reason_shows_on_its_own_lines_when_narrow() -> None:
    """At 40 columns the meter line is cut, the reason under it wraps and is read whole."""
    app = Host()
    async with app.run_test(size=(40, 16)) as pilot:
        composer = await open_composer(app, "a" * 1531)
        await pilot.pause()
        assert composer.reason_text == CEILING_REASON
        lines = reason_lines(composer)
        assert len(lines) > 1
        assert " ".join(lines) == CEILING_REASON


async def test_few_enough_units_in_four_parts_are_asked_about() -> None:
    """Pairs pushed to the next part make a fourth part: Enter asks, and a second Enter waits."""
    draft = "a" * 152 + "€" + "a" * 152 + "€" + "a" * 151
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, draft)
        assert composer.reason_text == (
            "4 parts, over max_parts = 3: charged as 4 messages; Enter asks before sending"
        )
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert app.of(Composer.SendRequested) == [(ANNA, draft)]
        assert confirm_flags(app) == [True]
        assert composer.sending, "the question is open: no other send starts"
        assert "Send? y/n" in status_line(composer)
        composer.set_sending(False)  # the answer was no
        await pilot.press("backspace", "enter")
        await pilot.pause()
        assert app.of(Composer.SendRequested)[-1] == (ANNA, draft[:-1])
        assert confirm_flags(app) == [True, False], "three parts: sent without a question"


POLISH_264 = ("Dzień dobry, paczka będzie jutro między 10 a 12. " * 6)[:264]


async def test_unicode_over_the_parts_limit_is_asked_about() -> None:
    """A 264-character Polish text (4 parts of 67) may be sent, after a question."""
    assert len(POLISH_264) == 264
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, POLISH_264)
        await pilot.pause()
        assert "264/268 · 4 parts · UCS-2" in status_line(composer)
        assert " ".join(reason_lines(composer)) == (
            "4 parts, over max_parts = 3: charged as 4 messages; Enter asks before sending "
            "UCS-2 · 4 parts → GSM-7 · 2 parts with accents removed: Ctrl+R"
        )
        await pilot.press("enter")
        await pilot.pause()
        assert app.bells == 0
        assert app.of(Composer.SendRequested) == [(ANNA, POLISH_264)]
        assert confirm_flags(app) == [True]


async def test_max_parts_and_hard_max_parts_are_the_limits() -> None:
    """set_max_parts (the two settings) moves the question and the ceiling."""
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "a" * 460)
        await pilot.pause()
        assert composer.segment_info.needs_confirmation
        composer.set_max_parts(4, 4)
        await pilot.pause()
        assert reason_lines(composer) == []
        await pilot.press("enter")
        await pilot.pause()
        assert app.of(Composer.SendRequested) == [(ANNA, "a" * 460)]
        assert confirm_flags(app) == [False]
        composer.set_sending(False)
        composer.set_max_parts(1, 1)
        composer.set_text("a" * 161)
        await pilot.pause()
        assert " ".join(reason_lines(composer)) == (
            "Cannot be sent: 2 parts (161 characters), over hard_max_parts = 1; "
            "raise hard_max_parts under [sending] in the config to allow more"
        )


async def test_ctrl_u_clears_the_draft_and_ctrl_z_brings_it_back() -> None:
    """One key instead of 300 backspaces; one undo restores it all, and only it."""
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "first line\nsecond")
        await pilot.press("!", "backspace", "x", "ctrl+u")
        await pilot.pause()
        assert composer.text == ""
        assert app.of(Composer.DraftChanged)[-1] == (ANNA, ""), "the saved draft follows"
        assert status_line(composer).endswith("0/160 · 0 parts · GSM-7")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert composer.text == "first line\nsecondx", "the typing before it stays"
        assert app.of(Composer.DraftChanged)[-1] == (ANNA, "first line\nsecondx")
        await pilot.press("ctrl+u", "h", "i", "ctrl+z")
        await pilot.pause()
        assert composer.text == "", "the typing after it is undone on its own"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert composer.text == "first line\nsecondx"
        assert app.of(Composer.SendRequested) == []


async def test_ctrl_u_follows_the_keymap_and_does_nothing_without_a_conversation() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        app.set_keymap({"composer.clear": "ctrl+k"})
        composer = await open_composer(app, "draft")
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert composer.text == ""
        composer.bind(BOB, draft="kept", sender="x", can_reply=False, reason="No")
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert composer.text == "kept"
        assert app.of(Composer.DraftChanged) == [(ANNA, "")]


async def test_blank_draft_sends_nothing() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "")
        await pilot.press("enter", "space", "ctrl+j", "space", "enter")
        await pilot.pause()
        assert app.of(Composer.SendRequested) == []
        assert app.bells == 0
        assert not composer.sending


async def test_ctrl_e_asks_for_the_editor_with_the_draft() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "draft")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.of(Composer.EditorRequested) == [(ANNA, "draft")]
        composer.set_text("draft, edited")
        await pilot.pause()
        assert app.of(Composer.DraftChanged)[-1] == (ANNA, "draft, edited")


async def test_dry_run_badge() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "Hi")
        await pilot.pause()
        assert "DRY RUN" not in status_line(composer)
        composer.set_dry_run(True)
        await pilot.pause()
        assert status_line(composer).endswith("GSM-7 DRY RUN")


# Drafts per conversation -----------------------------------------------------------------


async def test_typing_posts_draft_changed_for_the_bound_conversation() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await open_composer(app, "")
        await pilot.press("h", "i")
        await pilot.pause()
        assert app.of(Composer.DraftChanged) == [(ANNA, "h"), (ANNA, "hi")]


async def test_bind_swaps_drafts_without_announcing_the_load() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "for Anna")
        await pilot.pause()
        await pilot.press("!")
        composer.bind(BOB, draft="for Bob", sender="+32 460 12 34 56", can_reply=True)
        await pilot.pause()
        assert composer.conversation_key == BOB
        assert composer.text == "for Bob"
        # Anna's edit was announced for Anna; loading Bob's draft announced nothing.
        assert app.of(Composer.DraftChanged) == [(ANNA, "for Anna!")]

        # Undo cannot bring Anna's text into Bob's conversation.
        await pilot.press("ctrl+z")
        assert composer.text == "for Bob"
        composer.bind(ANNA, draft="", sender="x", can_reply=True)
        await pilot.pause()
        assert composer.text == ""
        assert app.of(Composer.DraftChanged) == [(ANNA, "for Anna!")]


async def test_rebinding_the_same_conversation_keeps_what_is_being_typed() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "saved")
        await pilot.press("!")
        composer.bind(ANNA, draft="saved", sender="+32 470 00 00 00", can_reply=True)
        await pilot.pause()
        assert composer.text == "saved!"
        assert "from +32 470 00 00 00" in status_line(composer)


async def test_alphanumeric_sender_disables_the_composer_with_the_reason() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(
            app, key="acme", can_reply=False, reason="ACME is a name, not a number"
        )
        await pilot.press("h", "enter", "ctrl+e")
        await pilot.pause()
        assert composer.text_area.disabled
        assert not composer.can_reply
        assert text_area_lines(composer)[0].startswith("ACME is a name, not a number")
        assert status_line(composer) == "", "said once, in the text area, not again below"
        assert composer.meter_text == ""
        assert reason_lines(composer) == []
        assert composer.text == ""
        assert app.posted == []


async def test_why_there_are_no_replies_is_read_whole_when_narrow() -> None:
    """The text area grows to show the whole reason instead of cutting it at one line."""
    reason = "mBank is a sender name or short code: it cannot get replies"
    app = Host()
    async with app.run_test(size=(40, 16)) as pilot:
        composer = await open_composer(app, key="mbank", can_reply=False, reason=reason)
        await pilot.pause()
        lines = [line.strip() for line in text_area_lines(composer) if line.strip()]
        assert len(lines) == 2
        assert " ".join(lines) == reason
        composer.bind(ANNA, draft="", sender="x", can_reply=True)
        await pilot.pause()
        assert text_area_lines(composer) == ["Write a message…"]


async def test_unbound_composer_is_disabled() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = app.query_one(Composer)
        await pilot.pause()
        assert composer.conversation_key is None
        assert composer.text_area.disabled
        assert text_area_lines(composer)[0].startswith("No conversation open")
        assert status_line(composer) == ""


async def test_hostile_text_renders_inert() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = app.query_one(Composer)
        for index, text in enumerate(HOSTILE_CORPUS):
            composer.bind(str(index), draft=text, sender=text, recipient=text, can_reply=True)
            await pilot.pause()
            drawn = "".join(text_area_lines(composer)) + status_line(composer)
            assert "\x1b" not in drawn
            assert not any("\x80" <= char <= "\x9f" for char in drawn)
            assert app.is_running
        composer.bind(ANNA, draft="[@click=app.quit]q[/]", sender="[b]x[/b]", can_reply=True)
        await pilot.pause()
        assert text_area_lines(composer)[0].startswith("[@click=app.quit]q[/]")
        assert "from [b]x[/b]" in status_line(composer)


async def test_pasted_escape_sequences_are_dropped() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(app, "")
        # A terminal's bracketed paste reaches the app, which forwards it to the focused widget.
        app.post_message(events.Paste("red \x1b[31mtext\x1b[0m\tand a\x07bell"))
        await pilot.pause()
        assert composer.text == "red text and a\u2407bell"


# The external editor -----------------------------------------------------------------------


def write_editor(tmp_path: Path, body: str) -> str:
    """Write a Python 'editor' script and return an $EDITOR value that runs it."""
    script = tmp_path / "fake editor.py"
    script.write_text(f"import os, sys\npath = sys.argv[-1]\n{body}\n", "utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def what_the_editor_saw(record: Path) -> tuple[str, Path]:
    mode, directory = record.read_text("utf-8").split(" ", 1)
    return mode, Path(directory)


async def test_editor_round_trip(tmp_path: Path) -> None:
    seen = tmp_path / "seen.txt"
    editor = write_editor(
        tmp_path,
        f"seen = open({str(seen)!r}, 'w')\n"
        "seen.write(oct(os.stat(path).st_mode & 0o777) + ' ' + os.path.dirname(path))\n"
        "text = open(path, encoding='utf-8').read()\n"
        "open(path, 'w', encoding='utf-8').write(text + ' edited\\n')",
    )
    app = Host()
    async with app.run_test(size=SIZE):
        env = {**os.environ, "EDITOR": editor}
        env.pop("VISUAL", None)
        assert edit_in_external_editor(app, "Zażółć draft", env=env) == "Zażółć draft edited"
    mode, directory = what_the_editor_saw(seen)
    assert mode == "0o600"
    assert not directory.exists()  # the temporary directory is gone


async def test_editor_failure_or_absence_gives_none(tmp_path: Path) -> None:
    failing = write_editor(tmp_path, "sys.exit(1)")
    app = Host()
    async with app.run_test(size=SIZE):
        assert edit_in_external_editor(app, "x", env={"EDITOR": failing}) is None
        missing = {"EDITOR": str(tmp_path / "no-such-editor")}
        assert edit_in_external_editor(app, "x", env=missing) is None
        assert edit_in_external_editor(app, "x", env={"EDITOR": "'unbalanced"}) is None


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"VISUAL": "code --wait", "EDITOR": "nano"}, ["code", "--wait"]),
        ({"VISUAL": " ", "EDITOR": "nano -w"}, ["nano", "-w"]),
        ({}, ["vi"]),
        ({"EDITOR": "'my editor' -x"}, ["my editor", "-x"]),
    ],
)
def test_editor_command_prefers_visual_then_editor_then_vi(
    env: dict[str, str], expected: list[str]
) -> None:
    assert editor_command(env) == expected


async def test_keys_follow_the_keymap() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        app.set_keymap({"composer.newline": "ctrl+n", "composer.send": "ctrl+s"})
        composer = await open_composer(app, "one")
        await pilot.press("ctrl+n", "t", "w", "o", "enter")
        await pilot.pause()
        assert app.of(Composer.SendRequested) == []
        assert composer.text == "one\ntwo\n"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.of(Composer.SendRequested) == [(ANNA, "one\ntwo\n")]
