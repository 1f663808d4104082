"""Ctrl+P: a first name typed in full finds that person first, above any command.

"Ewa" fuzzily matches the command "New message…" (nEW messAge) and, in Textual 8, scored above
every conversation; "Jan" did the same with "Jump to conversation…".
"""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

from smstui.domain.folding import fold
from smstui.ui.screens.palette import exact_word
from tests.app.compose_helpers import inbox_of, wait_for
from tests.app_fixtures import STANDARD, MakeApp, settle


def test_exact_word_ignores_case_and_accents() -> None:
    assert exact_word("Jan Peeters", "jan")
    assert exact_word("Benoît François", "benoit francois")
    assert not exact_word("Jana Peeters", "jan")
    assert not exact_word("Zuzanna Bąk", "anna")
    assert not exact_word("", "jan")


async def test_a_first_name_typed_in_full_is_the_first_hit(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        firsts = sorted({row.name.split()[0] for row in inbox.conversation_list.rows if row.name})
        assert "Ewa" in firsts, "the data this test was written against"
        for first in firsts:
            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
            await pilot.press(*first)
            hits = app.screen.query_one(CommandList)
            await wait_for(pilot, lambda hits=hits: hits.option_count > 0, what=f"hits for {first}")
            await pilot.pause()
            top = str(hits.get_option_at_index(0).prompt)
            assert top.startswith("Open "), f"{first}: {top!r} came first"
            assert fold(first) in fold(top).split(), f"{first}: {top!r} came first"
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette), what="shut")
