"""The help screen: every key of smstui by area, with the binding id to move it in ``[keys]``.

Rows are generated from the real ``BINDINGS`` of the app, the inbox, its panes and the dialogs,
with the config's keymap applied, so a key moved in the config shows where it really is now. A
binding's tooltip, when it has one, is the longer description shown here (the footer shows the
short one).
Textual's own bindings are left out (text selection, scrolling sideways, a text field's editing
keys) except the few that matter here: Ctrl+Q, Ctrl+P, Tab and Shift+Tab, undo and redo.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.keys import format_key
from textual.screen import ModalScreen, Screen
from textual.widgets import Static, TextArea

KEY_SEPARATOR = " / "
"""Joins several keys bound to the same thing, e.g. ``"j / ↓"``."""

_KEY_NAMES = {
    "enter": "Enter",
    "escape": "Esc",
    "tab": "Tab",
    "space": "Space",
    "backspace": "Backspace",
    "delete": "Del",
    "insert": "Ins",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
}
_MODIFIERS = {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "meta": "Meta", "super": "Super"}

TEXTUAL_KEYS = {
    "quit": "Quit, also while typing",
    "command_palette": "Command palette: conversations, commands, themes",
    "app.focus_next": "Next pane or field",
    "app.focus_previous": "Previous pane or field",
    "undo": "Undo",
    "redo": "Redo",
}
"""Textual's own bindings that matter in smstui (by action), with what they do here."""

UNNAMED_KEYS = {
    "next_field": "Next field",
    "previous_field": "Previous field",
    "client_id_entered": "In the client id: go to the secret",
}
"""Descriptions for smstui's bindings that the footer does not show (by action)."""

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z]+")


@dataclass(frozen=True, slots=True)
class HelpRow:
    """One thing a key does, in one area of the app."""

    keys: tuple[str, ...]
    """The keys as shown (``"Ctrl+J"``, ``"Enter"``, ``"?"``), in binding order."""
    description: str
    binding_id: str
    """The id to use in the config's ``[keys]`` table; "" for Textual's own keys."""
    area: str

    @property
    def key_text(self) -> str:
        """All keys on one line."""
        return KEY_SEPARATOR.join(self.keys)


def key_label(key: str) -> str:
    """Name a Textual key the way people write it: ``ctrl+j`` → ``Ctrl+J``, ``slash`` → ``/``.

    Args:
        key: A key as written in a binding or the config (``"right_square_bracket"``, ``"G"``).

    Returns:
        A short, readable name.
    """
    *modifiers, name = key.strip().split("+")
    if name in _KEY_NAMES:
        shown = _KEY_NAMES[name]
    elif re.fullmatch(r"f\d{1,2}", name):
        shown = name.upper()
    elif len(name) == 1:
        shown = name.upper() if modifiers else name
    else:
        shown = format_key(name)
    return "+".join([*(_MODIFIERS.get(m, m.title()) for m in modifiers), shown])


def group_name(node: DOMNode | type[DOMNode]) -> str:
    """Name the part of the app a class of bindings belongs to.

    Args:
        node: A widget, screen or app, or its class.

    Returns:
        The class's ``HELP_GROUP`` when it has one; otherwise the class name split into words
        ("ConversationList" becomes "Conversation list").
    """
    cls = node if isinstance(node, type) else type(node)
    explicit = getattr(cls, "HELP_GROUP", None)
    if isinstance(explicit, str) and explicit:
        return explicit
    words = _WORD.findall(cls.__name__) or [cls.__name__]
    first, *rest = words
    tail = [word if word.isupper() and len(word) > 1 else word.lower() for word in rest]
    return " ".join([first[:1].upper() + first[1:], *tail])


def help_areas(app: App[Any]) -> list[tuple[str, tuple[type[DOMNode], ...]]]:
    """The areas of smstui, in the order the help lists them, with the classes that bind keys.

    Args:
        app: The running app (its class gives the keys that work everywhere).

    Returns:
        ``(area, classes)`` pairs.
    """
    from smstui.ui.screens.assign import AssignScreen
    from smstui.ui.screens.attachments import AttachmentsScreen
    from smstui.ui.screens.confirm import ConfirmScreen
    from smstui.ui.screens.inbox import InboxScreen
    from smstui.ui.screens.new_message import NewMessageScreen
    from smstui.ui.screens.note_entry import NoteEntryScreen
    from smstui.ui.screens.scheduled import ScheduledScreen
    from smstui.ui.screens.search import SearchScreen
    from smstui.ui.screens.send_later import SendLaterScreen
    from smstui.ui.screens.sign_in import SignInScreen
    from smstui.ui.screens.template_picker import TemplatePicker
    from smstui.ui.widgets.composer import Composer, DraftArea
    from smstui.ui.widgets.conversation_list import ConversationList
    from smstui.ui.widgets.message_pane import MessagePane

    return [
        ("Everywhere", (type(app), Screen)),
        ("Inbox", (InboxScreen,)),
        ("Conversation list", (ConversationList,)),
        ("Thread", (MessagePane,)),
        ("Composer", (Composer, DraftArea)),
        ("New message", (NewMessageScreen,)),
        ("Search", (SearchScreen,)),
        ("Send later", (SendLaterScreen,)),
        ("Scheduled", (ScheduledScreen,)),
        ("Templates", (TemplatePicker,)),
        ("Links and attachments", (AttachmentsScreen,)),
        ("Assign", (AssignScreen,)),
        ("Internal note", (NoteEntryScreen,)),
        ("Yes/no questions", (ConfirmScreen,)),
        ("Sign in", (SignInScreen,)),
        ("Help", (HelpScreen,)),
    ]


def _class_bindings(
    cls: type[DOMNode], textual: tuple[type[DOMNode], ...]
) -> Iterable[tuple[Binding, str]]:
    """Every binding a class declares or inherits, with what it does, the class's own first.

    Of Textual's classes only those in ``textual`` count, and of their bindings only those in
    :data:`TEXTUAL_KEYS`.
    """
    for klass in cls.__mro__:
        declared = klass.__dict__.get("BINDINGS", ())
        ours = klass.__module__.split(".")[0] != "textual"
        if ours or klass in textual:
            for binding in Binding.make_bindings(declared):
                description = (binding.tooltip or binding.description).strip()
                if not ours:
                    if binding.action not in TEXTUAL_KEYS:
                        continue
                    description = TEXTUAL_KEYS[binding.action]
                elif not description:
                    if binding.id is None:
                        continue  # internal: a fallback of another binding
                    description = UNNAMED_KEYS.get(binding.action, "")
                    description = description or binding.action.replace("_", " ")
                yield binding, description[:1].upper() + description[1:]


def _palette_binding(app: App[Any]) -> Binding | None:
    if not app.ENABLE_COMMAND_PALETTE:
        return None
    return Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "palette")


def collect_bindings(screen: Screen[Any]) -> list[HelpRow]:
    """List every key of the app by area, with the config's keymap applied.

    Several keys of one binding (or of bindings with the same id, or without one but with the
    same action and description) make one row.

    Args:
        screen: The screen the user is looking at (gives the app and its keymap).

    Returns:
        The rows, area by area in :func:`help_areas` order, each area in declaration order.
    """
    app = screen.app
    keymap: dict[str, str] = dict(getattr(app, "_keymap", {}) or {})
    rows: dict[tuple[str, str, str], list[str]] = {}
    for area, classes in help_areas(app):
        textual = (App, Screen) if area == "Everywhere" else (TextArea,)
        found = [item for cls in classes for item in _class_bindings(cls, textual)]
        if area == "Everywhere" and (palette := _palette_binding(app)) is not None:
            found.append((palette, TEXTUAL_KEYS["command_palette"]))
        for binding, description in found:
            keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
            ident = binding.id or f"({binding.action})"
            labels = rows.setdefault((area, ident, description), [])
            for key in keys.split(","):
                if key.strip() and not key.strip().startswith("super+"):
                    label = key_label(key)
                    if label not in labels:
                        labels.append(label)
    return [
        HelpRow(tuple(keys), description, "" if ident.startswith("(") else ident, area)
        for (area, ident, description), keys in rows.items()
        if keys
    ]


def default_tips(rows: Sequence[HelpRow]) -> list[str]:
    """Short tips, naming the keys as they are bound now where the rows know them.

    Args:
        rows: The binding rows shown in the help.

    Returns:
        One sentence per tip.
    """
    by_id = {row.binding_id: row.keys[0] for row in rows if row.binding_id}
    filter_key = by_id.get("inbox.filter", "/")
    open_key = by_id.get("message_pane.open_attachments", "o")
    copy_key = by_id.get("attachments.copy", "y")
    return [
        f"Press {filter_key} and type a name or number to filter the conversation list.",
        f"{open_key} on a message lists its links and attachments with the host they lead to.",
        "Over SSH nothing opens on the server: click the link (often Shift+click) or press "
        f"{copy_key} in the links panel to copy it.",
        'To move a key, put its id in the config\'s [keys] table: "inbox.refresh" = "f5".',
    ]


class HelpScreen(ModalScreen[None]):
    """A scrollable list of keys by area, with their ids and a few tips; Esc, q or ? closes."""

    HELP_GROUP = "Help"
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > #help-card {
        width: 92;
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
        width: 17;
        padding-right: 1;
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
        """Areas of (keys, description and id) rows, then the tips, in one scrollable card."""
        scroll = VerticalScroll(id="help-card")
        scroll.border_title = Content("Keys · the id moves a key in the config's [keys]")
        scroll.border_subtitle = "Esc closes"
        areas: dict[str, list[HelpRow]] = {}
        for row in self.rows:
            areas.setdefault(row.area, []).append(row)
        with scroll:
            for area, rows in areas.items():
                yield Static(Content(area), classes="help-group")
                for row in rows:
                    with Horizontal(classes="help-row"):
                        yield Static(Content(row.key_text), classes="help-key")
                        text = Content(row.description)
                        if row.binding_id:
                            text = Content.assemble(text, "  ", (row.binding_id, "dim"))
                        yield Static(text, classes="help-description")
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
