"""The help screen: every key that works where the user is, generated from the live bindings.

Rows come from :attr:`textual.screen.Screen.active_bindings` and key names from
:meth:`textual.app.App.get_key_display`, so keymap overrides from the config show up as the
keys that really work, and bindings a widget hides via ``check_action`` do not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

HelpRow = tuple[str, str, str]
"""(key as displayed, description, group)."""

KEY_SEPARATOR = " / "
"""Joins several keys bound to the same thing, e.g. ``"j / ↓"``."""

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z]+")


def group_name(node: DOMNode) -> str:
    """Name the part of the app a binding belongs to, for a heading in the help.

    Args:
        node: The widget, screen or app that defines the binding.

    Returns:
        The class's ``HELP_GROUP`` when it has one; "App" for an app without one; otherwise the
        class name split into words ("ConversationList" becomes "Conversation list").
    """
    explicit = getattr(type(node), "HELP_GROUP", None)
    if isinstance(explicit, str) and explicit:
        return explicit
    if isinstance(node, App):
        return "App"
    words = _WORD.findall(type(node).__name__) or [type(node).__name__]
    first, *rest = words
    tail = [word if word.isupper() and len(word) > 1 else word.lower() for word in rest]
    return " ".join([first[:1].upper() + first[1:], *tail])


HIDDEN_ACTIONS = frozenset({"scroll_left", "scroll_right", "page_left", "page_right"})
"""Textual's horizontal scrolling keys: smstui's panes never scroll sideways."""


def collect_bindings(screen: Screen[Any]) -> list[HelpRow]:
    """List the keys that work on ``screen`` right now, most specific first.

    Bindings without a description are skipped (they are internal). Several keys bound to the
    same action with the same description in the same group become one row.

    Args:
        screen: The screen the user is looking at (not the help screen itself).

    Returns:
        ``(key display, description, group)`` rows in the order Textual resolves them: focused
        widget first, then its containers, the screen and the app.
    """
    app = screen.app
    rows: dict[tuple[str, str, str], list[str]] = {}
    for active in screen.active_bindings.values():
        binding: Binding = active.binding
        description = binding.description.strip()
        if not description or binding.action in HIDDEN_ACTIONS:
            continue
        description = description[:1].upper() + description[1:]
        key = app.get_key_display(binding)
        group = group_name(active.node)
        keys = rows.setdefault((group, binding.action, description), [])
        if key not in keys:
            keys.append(key)
    return [
        (KEY_SEPARATOR.join(keys), description, group)
        for (group, _action, description), keys in rows.items()
    ]


def default_tips(rows: Sequence[HelpRow]) -> list[str]:
    """Short tips, naming the keys as they are bound now where the rows know them.

    Args:
        rows: The binding rows shown in the help.

    Returns:
        One sentence per tip.
    """
    filter_key = next((key for key, description, _ in rows if description == "Filter"), "/")
    return [
        f"Press {filter_key} in the conversation list and type a name or number to filter it.",
        "Ctrl+P opens the command palette: commands, themes and this help.",
        "Over SSH, attachments open on your own computer: click the link (often Shift+click) "
        "or press y in the attachments panel to copy it.",
    ]


class HelpScreen(ModalScreen[None]):
    """A scrollable list of keys by group, with a few tips; Escape, q or ? closes it."""

    HELP_GROUP = "Help"
    BINDINGS = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("q", "close", "Close", show=False),
        Binding("question_mark", "close", "Close", show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > #help-card {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        border: round $primary;
        border-title-color: $text-primary;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen .help-group {
        margin-top: 1;
        text-style: bold;
        color: $text-accent;
    }
    HelpScreen .help-row, HelpScreen .help-tips {
        height: auto;
    }
    HelpScreen .help-key {
        width: 18;
        color: $text-primary;
        text-style: bold;
    }
    HelpScreen .help-description {
        width: 1fr;
    }
    HelpScreen .help-tip {
        color: $text-muted;
    }
    """

    def __init__(self, bindings: Sequence[HelpRow], *, tips: Sequence[str] | None = None) -> None:
        super().__init__()
        self.rows: tuple[HelpRow, ...] = tuple(bindings)
        self.tips: tuple[str, ...] = tuple(default_tips(self.rows) if tips is None else tips)

    def compose(self) -> ComposeResult:
        """Groups of (key, description) rows, then the tips, in one scrollable card."""
        scroll = VerticalScroll(id="help-card")
        scroll.border_title = "Keys"
        scroll.border_subtitle = "Esc closes"
        groups: dict[str, list[tuple[str, str]]] = {}
        for key, description, group in self.rows:
            groups.setdefault(group, []).append((key, description))
        with scroll:
            for group, rows in groups.items():
                yield Static(Content(group), classes="help-group")
                for key, description in rows:
                    with Horizontal(classes="help-row"):
                        yield Static(Content(key), classes="help-key")
                        yield Static(Content(description), classes="help-description")
            if self.tips:
                yield Static(Content("Tips"), classes="help-group")
                with Vertical(classes="help-tips"):
                    for tip in self.tips:
                        yield Static(Content("• " + tip), classes="help-tip")

    def on_mount(self) -> None:
        """Focus the scroll area so arrow keys and Page Up/Down scroll it."""
        self.query_one("#help-card").focus()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
