"""What the inbox screen's commands do: new message, search, unread keys and the palette.

The screen binds the keys (``n``, ``u``, ``]``, ``M``) and the palette asks for the entries;
the dialogs live here, and what a command changes (unread, mutes, the list) is the session's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from textual.app import SystemCommand
from textual.command import SimpleCommand
from textual.widgets import Input

from smstui.domain.phones import conversation_key, display_number, reading_regions
from smstui.ui.screens.inbox_parts import InboxParts
from smstui.ui.screens.new_message import NewMessageScreen
from smstui.ui.screens.search import SearchChoice, SearchScreen

__all__ = ["InboxCommands"]


class InboxCommands:
    """Carries out the inbox screen's commands.

    Args:
        screen: The inbox screen.
    """

    def __init__(self, screen: InboxParts) -> None:
        self._screen = screen

    def new_message(self) -> None:
        """Ask for a number (read in the country of our own number) and start a message."""
        self._screen.app.push_screen(NewMessageScreen(self.home_regions()), self.start_conversation)

    def home_regions(self) -> tuple[str, ...]:
        """Where a number typed without ``+`` is read (:func:`reading_regions`)."""
        screen = self._screen
        return reading_regions(
            screen.compose_flow.sender_for(None),
            screen.session.own_numbers,
            screen.session.own_countries,
            screen.settings.country,
        )

    def start_conversation(self, number: str | None) -> None:
        """Open the conversation with a number, adding it to the list when it is new.

        A new conversation runs on the number a message to it goes out from (none when our
        numbers are not known yet), so its title names our real number.

        Args:
            number: Digits-only international number; None (cancelled) does nothing.
        """
        if not number:
            return
        screen = self._screen
        key = conversation_key(number)
        if screen.session.summary(key) is None:
            own = screen.compose_flow.sender_for(None)
            screen.session.add_conversation(key, number, own_number=own)
        screen.conversation_list.highlight_key(key)
        if screen.thread is None or screen.thread.key != key:
            screen.open_conversation(key)
        else:
            screen.show_thread_pane(True)
        if screen.composer.can_reply:
            screen.composer.text_area.focus()

    def open_top_match(self) -> None:
        """Enter in the filter: open the first conversation listed and go to it.

        With nothing typed the list gets the focus, as before; with no match the bell rings and
        the filter keeps the focus.
        """
        screen = self._screen
        rows = screen.conversation_list.rows
        if not screen.query_one("#filter", Input).value.strip():
            screen.conversation_list.focus()
            return
        if not rows:
            screen.app.bell()
            return
        key = rows[0].key
        screen.conversation_list.highlight_key(key)
        if screen.thread is None or screen.thread.key != key:
            screen.open_conversation(key)
        else:
            screen.show_thread_pane(True)

    def search(self) -> None:
        """Open the search over everything stored; go to what the user picks."""
        screen = self._screen
        screen.app.push_screen(
            SearchScreen(screen.store.search, clock=screen.clock, regions=self.home_regions()),
            self.go_to_result,
        )

    def go_to_result(self, choice: SearchChoice | None) -> None:
        """Open what the search found: a conversation, a message in it, or a new number."""
        screen = self._screen
        if choice is None:
            return
        if choice.new:
            self.start_conversation(choice.number)
            return
        screen.session.add_conversation(  # when unknown: listed last, where old ones go
            choice.conversation_key, choice.number, own_number="", timestamp=0
        )
        screen.conversation_list.highlight_key(choice.conversation_key)
        if choice.message_key is not None:
            screen.threads.open_at(choice.conversation_key, choice.message_key)
        elif screen.thread is not None and screen.thread.key == choice.conversation_key:
            screen.show_thread_pane(True)
        else:
            screen.open_conversation(choice.conversation_key)

    def target_key(self) -> str | None:
        """The conversation a command applies to: highlighted in the list, else the open one."""
        screen = self._screen
        if screen.conversation_list.has_focus or screen.thread is None:
            return screen.conversation_list.highlighted_key
        return screen.thread.key

    def mark_unread(self) -> None:
        """Mark the highlighted (or open) conversation unread until it is viewed again."""
        key = self.target_key()
        if key is not None:
            self._screen.session.mark_unread(key)

    def toggle_mute(self) -> None:
        """Mute or unmute the highlighted (or open) conversation and say which it is now."""
        key = self.target_key()
        if key is None:
            self._screen.app.bell()
        else:
            self._screen.session.toggle_mute(key)

    def next_unread(self) -> None:
        """Open the next conversation in the list that has unread messages."""
        screen = self._screen
        key = screen.session.next_unread(self.target_key())
        if key is None:
            screen.notify("No unread conversations", markup=False)
            return
        screen.conversation_list.highlight_key(key)
        stay_in_list = screen.conversation_list.has_focus and not screen.has_class("-narrow")
        screen.open_conversation(key, focus=not stay_in_list)

    def palette(self) -> Iterable[SystemCommand]:
        """Commands the inbox adds to the Ctrl+P palette."""
        screen = self._screen
        yield SystemCommand(
            "Jump to conversation…", "Search conversations by name or number", self.jump
        )
        yield SystemCommand("New message…", "Write to any number", self.new_message)
        yield SystemCommand("Next unread", "Open the next unread conversation", self.next_unread)
        yield SystemCommand(
            "Mute / unmute conversation",
            "No notifications from it, and its unread messages leave the title's count",
            self.toggle_mute,
        )
        yield SystemCommand(
            "Filter conversations", "Filter the list as you type", screen.action_filter
        )
        yield SystemCommand(
            "Refresh", "Reload the inbox and this conversation", screen.action_refresh
        )

    def jump(self) -> None:
        """Search every loaded conversation by name or number and open the one chosen."""
        screen = self._screen
        commands: list[Any] = []
        for summary in screen.session.conversations.summaries():
            label = display_number(summary.number)
            title = f"{summary.name} · {label}" if summary.name else label
            commands.append(
                SimpleCommand(title, lambda key=summary.key: screen.open_conversation(key), None)
            )
        screen.app.search_commands(commands, placeholder="Jump to conversation…")


class Scheduling(Protocol):
    """What :class:`CommandRouting` needs of the schedule flow."""

    def ask_when(self) -> None:
        """Ask when to send the draft."""

    def show_list(self) -> None:
        """Show what is scheduled."""


class CommandRouting:
    """Routes the inbox screen's command keys to :class:`InboxCommands` (a mixin)."""

    commands: InboxCommands
    scheduling: Scheduling

    def action_send_later(self) -> None:
        """Ctrl+S: send the draft later, at a time asked for."""
        self.scheduling.ask_when()

    def action_scheduled(self) -> None:
        """``S``: what is scheduled (the open conversation's first; ``a`` for all)."""
        self.scheduling.show_list()

    def action_search(self) -> None:
        """Search names, numbers and message text over everything stored (``s``, Ctrl+F)."""
        self.commands.search()

    def action_new_message(self) -> None:
        """Ask for a number and start a message to it (``n``)."""
        self.commands.new_message()

    def start_conversation(self, number: str | None) -> None:
        """Open the conversation with a number (new or existing) with the composer focused."""
        self.commands.start_conversation(number)

    def action_mark_unread(self) -> None:
        """Mark the highlighted (or open) conversation unread until it is viewed again."""
        self.commands.mark_unread()

    def action_next_unread(self) -> None:
        """Open the next conversation with unread messages."""
        self.commands.next_unread()

    def action_toggle_mute(self) -> None:
        """Mute or unmute the highlighted (or open) conversation (``M``)."""
        self.commands.toggle_mute()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Commands this screen adds to the Ctrl+P palette."""
        return self.commands.palette()
