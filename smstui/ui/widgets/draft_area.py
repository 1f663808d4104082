"""The composer's text area, which cleans every text that enters it.

A pasted or loaded draft could hold escape sequences, which :class:`~textual.widgets.TextArea`
would pass straight to the terminal (DESIGN §9), and control characters have no place in an
SMS. So everything goes through :func:`smstui.domain.sanitize.clean_text` on the way in: escape
sequences are dropped, other controls become visible control pictures, CR/CRLF become LF, a
tab becomes a space, and bidi controls (including LRM/RLM) are removed.

An empty area is as tall as its placeholder wrapped, so a reason shown there (why this
conversation takes no replies) is read whole, not cut at the first line.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.geometry import Size
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult

from smstui.domain.sanitize import clean_text
from smstui.domain.segments import replace_lookalikes

__all__ = ["DraftArea"]


class DraftArea(TextArea):
    """A text area whose typing, pasting, replacements and loads are all cleaned.

    Every change but a load goes through :meth:`edit` (typing, pasting, ``replace``,
    ``insert``); undo replays edits that were already cleaned. Ordinary text takes
    clean_text's fast path, so typing stays cheap.
    """

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The text's height, or the wrapped placeholder's while there is no text."""
        height = super().get_content_height(container, viewport, width)
        if self.placeholder and not self.text:
            height = max(height, len(Content.from_text(self.placeholder).wrap(width)))
        return height

    def watch_placeholder(self) -> None:
        """A new placeholder may take more or fewer lines."""
        self.refresh(layout=True)

    def edit(self, edit: Edit) -> EditResult:
        """Perform an edit, with its inserted text cleaned."""
        edit.text = clean_text(edit.text)
        return super().edit(edit)

    def load_text(self, text: str) -> None:
        """Replace the whole text (clearing undo history), cleaned."""
        super().load_text(clean_text(text))

    def insert_line_break(self) -> None:
        """Insert a line break at the cursor, replacing any selection."""
        start, end = self.selection
        self.replace("\n", start, end, maintain_selection_offset=False)

    def clear_draft(self) -> None:
        """Empty the text as one edit of its own, so one Ctrl+Z brings all of it back."""
        if not self.text:
            return
        self.history.checkpoint()  # not batched with the typing before it …
        self.replace("", (0, 0), self.document.end, maintain_selection_offset=False)
        self.history.checkpoint()  # … nor with the typing after it

    def fix_lookalikes(self) -> bool:
        """Replace typographic look-alikes by GSM-7 characters, keeping the cursor in place.

        Returns:
            True when something was replaced (one edit, so Ctrl+Z undoes it).
        """
        return self.transform(replace_lookalikes)

    def transform(self, change: Callable[[str], str]) -> bool:
        """Replace the text by ``change(text)`` as one undoable edit, keeping the cursor.

        ``change`` must not add or remove line breaks (look-alikes, accents): the cursor then
        keeps its row, and its column becomes what ``change`` makes of the line before it.

        Returns:
            True when the text changed (one edit, so Ctrl+Z undoes it).
        """
        text = self.text
        fixed = change(text)
        if fixed == text:
            return False
        row, column = self.cursor_location
        new_column = len(change(self.document.get_line(row)[:column]))
        self.history.checkpoint()
        self.replace(fixed, (0, 0), self.document.end, maintain_selection_offset=False)
        self.history.checkpoint()
        self.move_cursor((row, new_column))
        return True
