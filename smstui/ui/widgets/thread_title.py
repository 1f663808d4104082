"""The line above the open conversation: who it is with and which of our numbers it runs on."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

from smstui.domain.conversations import ConversationSummary
from smstui.domain.phones import can_reply, conversation_number, display_number
from smstui.domain.sanitize import display_text


class ThreadTitle(Static):
    """Name and number of the open conversation; empty until one is open."""

    DEFAULT_CSS = """
    ThreadTitle {
        height: 1;
        padding: 0 1;
        background: $boost;
        color: $foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    _shown: tuple[ConversationSummary | None, str, Sequence[str]] | None = None
    replying = ""
    """Who else is replying here (team mode): "Anna is replying…", or ""."""

    read_by = ""
    """Who else read this conversation last (team mode): "read by Anna 10:42", or ""."""

    def set_replying(self, text: str) -> None:
        """Show (or, with "", stop showing) who else is writing a reply here."""
        self.set_team(text, self.read_by)

    def set_team(self, replying: str, read_by: str) -> None:
        """Show who else is replying here and who else read it last ("": nobody)."""
        if (replying, read_by) != (self.replying, self.read_by):
            self.replying, self.read_by = replying, read_by
            if self._shown is not None:
                self.show(*self._shown)

    def show(
        self, summary: ConversationSummary | None, key: str, own_numbers: Sequence[str] = ()
    ) -> None:
        """Describe the conversation with ``key`` (its summary when the list knows it).

        ``own_numbers`` (ours, when known) name the number it runs on when it names none.
        """
        self._shown = (summary, key, own_numbers)
        number = summary.number if summary else key
        shown_number = display_number(number)
        # Faint text on the focused title's cyan is grey on cyan in 16 colours (3.4:1).
        dim = "" if self.app.current_theme.ansi else "dim"
        parts: list[str | tuple[str, str]] = []
        if summary and summary.name:
            parts += [(summary.name, "bold"), "  ", (shown_number, dim)]
        else:
            parts.append((shown_number, "bold"))
        if self.replying:  # before the rest: the title is cut at the pane's width
            parts += ["  ", (self.replying, "bold italic")]
        if self.read_by:
            parts += ["  ", (self.read_by, f"{dim} italic")]
        # Only a real number of ours: the API fills a sender it has no number for with a
        # placeholder word ("Sender"), which is no number a reply could go out from. The
        # commands name the same number (conversation_number).
        own = conversation_number(summary.own_number, own_numbers) if summary else ""
        if own:
            parts += ["  ", (f"via {display_number(own)}", dim)]
        if not can_reply(number):
            parts += ["  ", ("no replies to this sender", f"{dim} italic")]
        # Joined emoji apart, so the title is cut where the terminal's drawing ends.
        shown = [display_text(part) if isinstance(part, str) else (display_text(part[0]), part[1])
                 for part in parts]  # fmt: skip
        self.update(Content.assemble(*shown))

    def clear_title(self) -> None:
        """Show nothing (no conversation open)."""
        self._shown = None
        self.update("")
