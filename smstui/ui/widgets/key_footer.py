"""The footer: the key hints that fit whole, and always the app's own (``?`` Help, ``q`` Quit).

Textual's footer lays every hint out in one row and clips what does not fit: at 60 columns the
app's hints (which come last) disappeared and a hint was cut in half under the palette key.
This footer measures the hints first. The app's own always stay; the others are kept in the
order Textual gives them (the focused widget's first, then its containers' and the screen's)
until the next one would not fit whole. The palette key on the right is shown when there is
room for it too. It lays itself out again when its width changes.

It also does not leak. Textual 8.2.8's ``Footer`` binds each ``FooterKey`` to its ``compact``
with ``data_bind``, which leaves a watcher holding the key on the footer; the watchers are only
pruned when ``compact`` changes, which it never does, so every key the footer ever built (it
builds them again on each focus change) stayed alive (Textualize/textual#6666). This footer
gives each key its ``compact`` value directly and passes a change on to its keys itself.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["KeyFooter"]


@runtime_checkable
class OffersHints(Protocol):
    """A widget whose key can run where its hint is not shown (``o``: "Nothing to open")."""

    def offers_hint(self, action: str) -> bool:
        """Whether the footer shows the key of ``action`` now."""


KEPT_LIKE_THE_APPS = frozenset({"message_pane.back"})
"""Binding ids kept whole like the app's own: in the thread ``q`` goes back instead of quitting,
and the way out must stay in sight."""


class KeyFooter(Footer):
    """A footer whose hints never overflow and always include the app's own keys."""

    _laid_out_width = 0

    def _hint_width(self, key_display: str, description: str) -> int:
        if self.compact:  # "k description" and a margin of one
            return cell_len(key_display) + 1 + cell_len(description) + 1
        return cell_len(key_display) + 2 + cell_len(description) + 1  # " k " "description "

    def _palette_width(self, key_display: str, description: str) -> int:
        # A border on its left; compact drops the padding on its right.
        return 1 + self._hint_width(key_display, description) - (1 if self.compact else -1)

    def _key(self, binding: Binding, *, enabled: bool, tooltip: str) -> FooterKey:
        """A hint, compact like the footer, with no watcher left on the footer."""
        key = FooterKey(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            binding.action,
            disabled=not enabled,
            tooltip=tooltip,
            classes="-compact" if self.compact else "",
        )
        # Set before mounting, so FooterKey's own watcher does not run: hence the class above.
        key.set_reactive(FooterKey.compact, self.compact)
        return key

    def watch_compact(self, compact: bool) -> None:
        """Pass a change of ``compact`` on to the hints (the palette key stays compact)."""
        for key in self.query_children(FooterKey):
            if not key.has_class("-command-palette"):
                key.compact = compact

    def compose(self) -> ComposeResult:
        """One hint per action, the app's always; others while they fit; then the palette key."""
        if not self._bindings_ready:
            return
        width = self.size.width or self.app.size.width
        self._laid_out_width = width
        active = self.screen.active_bindings
        hints: list[tuple[Binding, bool, str, bool]] = []
        actions: set[str] = set()
        for node, binding, enabled, tooltip in active.values():
            hidden = isinstance(node, OffersHints) and not node.offers_hint(binding.action)
            if binding.show and binding.action not in actions and not hidden:
                actions.add(binding.action)
                own = node is self.app or binding.id in KEPT_LIKE_THE_APPS
                hints.append((binding, enabled, tooltip, own))
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)

        def width_of(binding: Binding) -> int:
            return self._hint_width(self.app.get_key_display(binding), binding.description)

        room = width - sum(width_of(binding) for binding, _, _, own in hints if own)
        kept: set[str] = set()
        for binding, _, _, own in hints:
            if not own:
                if width_of(binding) > room:
                    break
                room -= width_of(binding)
                kept.add(binding.action)
        if palette is not None:
            display = self.app.get_key_display(palette.binding)
            if self._palette_width(display, palette.binding.description) > room:
                palette = None
        for binding, enabled, tooltip, own in hints:
            if own or binding.action in kept:
                yield self._key(binding, enabled=enabled, tooltip=tooltip)
        if palette is not None:
            binding = palette.binding
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not palette.enabled,
                tooltip=binding.tooltip or binding.description,
            )

    def on_resize(self, event: Resize) -> None:
        """Choose the hints again when the width changed."""
        if self._bindings_ready and event.size.width != self._laid_out_width:
            self._laid_out_width = event.size.width
            self.call_after_refresh(self.recompose)
