"""The composer's key bindings, and the name of the key that runs an action now.

Kept apart from :mod:`smstui.ui.widgets.composer` so the widget stays about the draft. The hints the
composer shows ("Ctrl+R removes them", "Ctrl+O to allow again") name the key the user really
has, after the config's ``[keys]`` table moved it: :func:`key_for`.

Keys (binding ids for ``[keys]`` in the config):

- ``composer.send`` (Enter): send. Blank drafts do nothing; drafts above ``max_parts`` parts
  are posted for the screen to ask about first; drafts above ``hard_max_parts``
  (:meth:`Composer.set_max_parts`) ring the bell and the line under the meter says why
  (:mod:`smstui.ui.widgets.composer_status`). One press never sends twice: posting a send puts the
  composer in the *sending* state until the screen calls ``set_sending(False)``.
- ``composer.newline`` (Ctrl+J, Alt+Enter, Shift+Enter, Ctrl+Enter): insert a line break.
  Terminals send Alt+Enter as ESC CR, which Textual alone reads as Enter (a send!); the app's
  input parser (:mod:`smstui.ui.terminal_input`) reports it, and the CSI-u / modifyOtherKeys
  forms of all three, as the modified key. Enter with any other modifier never sends. Many
  terminals send Shift+Enter and Ctrl+Enter as a plain CR unless asked (xterm, once
  modifyOtherKeys is set; kitty and foot with the kitty protocol), or not at all (alacritty,
  urxvt), and whether they were heard cannot be known before the key is pressed; xterm keeps
  Alt+Enter for itself. Ctrl+J (LF, never CR) works in every terminal, so it is listed first:
  the footer shows it beside "⏎ Send" (:data:`NEWLINE_HINT`).
- ``composer.editor`` (Ctrl+E): ask for ``$VISUAL``/``$EDITOR`` (this takes Ctrl+E away from
  the text area's own "end of line"; End still does that).
- ``composer.fix_lookalikes`` (Ctrl+G): replace curly quotes, dashes, ellipses and odd spaces
  by their GSM-7 equivalents (:func:`smstui.domain.segments.replace_lookalikes`); Ctrl+Z undoes it.
- ``composer.remove_accents`` (Ctrl+R): remove accents outside GSM-7 (ą→a, ž→z) when that
  saves something (:mod:`smstui.domain.accents`); the line under the meter offers it first.
- ``composer.template`` (Ctrl+T): post :class:`Composer.TemplateRequested`; the screen picks
  one and calls :meth:`Composer.insert_text`. Blanks of a template left unfilled (``{day}``,
  :meth:`Composer.set_template_variables`) block sending, and the status line names them.
- ``composer.allow_number`` (Ctrl+O): while the number is on the opt-out list
  (:meth:`Composer.set_opt_out`, sending is blocked), post :class:`Composer.AllowRequested`.
- ``composer.clear`` (Ctrl+U): empty the draft in one go; Ctrl+Z brings it back. (This takes
  Ctrl+U away from the text area's "delete to the start of the line".)

The bindings are *priority* bindings on the composer because the text area consumes Enter
itself (it would insert a newline before any ordinary binding is looked at). They only apply
while focus is inside the composer.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

__all__ = ["COMPOSER_BINDINGS", "NEWLINE_HINT", "key_for", "readable_key"]

NEWLINE_HINT = "New line"
"""The footer's name for the newline key (shown with the first of its keys, Ctrl+J)."""

COMPOSER_BINDINGS: list[BindingType] = [
    Binding("enter", "send", "Send", priority=True, id="composer.send"),
    Binding(
        # Ctrl+J first: the footer names the first key, and it is the one every terminal sends
        # apart from Enter.
        "ctrl+j,alt+enter,shift+enter,ctrl+enter",
        "newline",
        NEWLINE_HINT,
        priority=True,
        tooltip="Insert a line break (Shift+Enter too where the terminal tells it from Enter)",
        id="composer.newline",
    ),
    Binding("ctrl+e", "open_editor", "Editor", priority=True, id="composer.editor"),
    Binding(
        "ctrl+g",
        "fix_lookalikes",
        "GSM quotes",
        priority=True,
        tooltip="Replace curly quotes, dashes and similar by GSM-7 characters",
        id="composer.fix_lookalikes",
    ),
    Binding(
        "ctrl+r",
        "remove_accents",
        "No accents",
        show=False,  # the line under the meter offers it, with its key, when it helps
        priority=True,
        tooltip="Remove accents (ą→a, ł→l, ž→z) when the message then fits GSM-7 or fewer parts",
        id="composer.remove_accents",
    ),
    Binding(
        "ctrl+t",
        "pick_template",
        "Template",
        priority=True,
        tooltip="Insert a reply template, filled in for this contact",
        id="composer.template",
    ),
    Binding(
        "ctrl+o",
        "allow_number",
        "Allow again",
        priority=True,
        tooltip="This number asked not to get messages: allow sending to it again",
        id="composer.allow_number",
    ),
    Binding(
        "ctrl+u",
        "clear_draft",
        "Clear",
        show=False,
        priority=True,
        tooltip="Empty the draft (Ctrl+Z brings it back)",
        id="composer.clear",
    ),
]
"""The composer's bindings (priority: the text area would take Enter first)."""

_MODIFIERS = {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "super": "Super"}


def readable_key(key: str) -> str:
    """``ctrl+r`` → ``Ctrl+R``; ``f5`` → ``F5``; ``escape`` → ``Escape``."""
    *modifiers, name = key.split("+")
    shown = name.upper() if len(name) == 1 or (name[:1] == "f" and name[1:].isdigit()) else name
    return "+".join([*(_MODIFIERS.get(m, m.title()) for m in modifiers), shown.title()])


def key_for(node: DOMNode, action: str) -> str:
    """The first key that runs ``action`` on ``node`` now (the keymap applied), readable.

    Args:
        node: The widget whose binding it is.
        action: The action name (``"remove_accents"``).

    Returns:
        ``"Ctrl+R"``, or "" when no key runs it.
    """
    bindings = node._bindings.copy()
    try:
        keymap = node.app._keymap
    except Exception:  # not mounted: the default keys
        keymap = {}
    if keymap:
        bindings.apply_keymap(keymap)
    for key, found in bindings.key_to_bindings.items():
        if any(binding.action == action for binding in found):
            return readable_key(key)
    return ""
