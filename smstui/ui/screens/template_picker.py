"""Ctrl+T in the composer: pick a reply template, filled in for this contact.

Typing filters the templates by name and text (letters in order, case and accents ignored;
:func:`smstui.domain.templates.fuzzy_filter`). Under the list, the highlighted template is shown as
it
will be inserted — the contact's name and numbers filled in — with the SMS meter of that text
and the blanks still to fill (``{order_no}``). Enter inserts it at the composer's cursor; Esc
closes. With no templates the dialog says where to put them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from smstui.domain.sanitize import clean_line, clean_text
from smstui.domain.segments import analyse
from smstui.domain.templates import Template, expand, fuzzy_filter
from smstui.ui.widgets.composer_meter import ERROR_STYLE, meter_content

__all__ = ["TemplatePicker"]


class TemplatePicker(ModalScreen[str | None]):
    """Choose a template; dismiss with its text filled in (None when closed).

    Args:
        templates: The templates, sorted by name.
        values: The built-in variables for this conversation (name, numbers).
        max_parts: The ``max_parts`` setting, for the meter.
        directory: Where templates live (named when there are none).
        problems: Template files that could not be read, to show.
    """

    HELP_GROUP = "Templates"
    BINDINGS = [
        Binding("escape", "cancel", "Close", id="template.cancel"),
        Binding("down", "move(1)", "Next template", show=False, id="template.down"),
        Binding("up", "move(-1)", "Previous template", show=False, id="template.up"),
    ]

    DEFAULT_CSS = """
    TemplatePicker {
        align: center middle;
        background: $background 60%;
    }
    TemplatePicker > #template-dialog {
        width: 80;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 0 1;
        background: $panel;
        border: round $accent;
    }
    TemplatePicker #template-list {
        height: auto;
        max-height: 8;
        border: none;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    TemplatePicker #template-hint { color: $text-muted; height: auto; }
    TemplatePicker #template-preview {
        height: auto;
        max-height: 8;
        padding: 0 1;
        background: $boost;
    }
    TemplatePicker #template-meter { color: $text-muted; height: auto; }
    """

    def __init__(
        self,
        templates: Sequence[Template],
        values: Mapping[str, str],
        *,
        max_parts: int,
        directory: Path,
        problems: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self._templates = list(templates)
        self._values = dict(values)
        self._max_parts = max_parts
        self._directory = directory
        self._problems = list(problems)
        self.shown: list[Template] = []
        """The templates listed now, in order."""

    def compose(self) -> ComposeResult:
        """The filter field, the list, the preview and its meter."""
        with Vertical(id="template-dialog"):
            yield Input(placeholder="Filter templates by name or text", id="template-field")
            yield OptionList(id="template-list")
            yield Static("", id="template-preview", markup=False)
            yield Static("", id="template-meter", markup=False)
            yield Static("", id="template-hint", markup=False)

    def on_mount(self) -> None:
        """List every template and put the cursor in the field."""
        self._show("")
        self.query_one(Input).focus()

    @property
    def preview_text(self) -> str:
        """The highlighted template as it would be inserted ("" when none)."""
        template = self._highlighted()
        return expand(template.body, self._values).text if template else ""

    @on(Input.Changed, "#template-field")
    def _query_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def _show(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        self.shown = fuzzy_filter(query, self._templates)
        for template in self.shown:
            body = " ".join(clean_line(template.body).split())
            options.add_option(
                Option(Content.assemble((clean_line(template.name), "bold"), "  ", (body, "dim")))
            )
        if self.shown:
            options.highlighted = 0
        self._preview()

    def _highlighted(self) -> Template | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    @on(OptionList.OptionHighlighted, "#template-list")
    def _highlight_moved(self) -> None:
        self._preview()

    def _preview(self) -> None:
        preview = self.query_one("#template-preview", Static)
        meter = self.query_one("#template-meter", Static)
        hint = self.query_one("#template-hint", Static)
        template = self._highlighted()
        problems = " · ".join(clean_line(problem) for problem in self._problems)
        unreadable = f"Not read: {problems}" if problems else ""
        preview.display = meter.display = template is not None
        if template is None:
            where = clean_line(str(self._directory))
            if self._templates:
                hint.update(f"No template matches · Esc close {unreadable}".strip())
            else:
                hint.update(
                    f"No templates yet: put one .txt file per template in {where} "
                    f"(the file name is the template's name) · Esc close {unreadable}".strip()
                )
            return
        expansion = expand(template.body, self._values)
        text = clean_text(expansion.text)
        preview.update(Content(text))
        info = analyse(text, self._max_parts)
        pieces: list[Content | str] = [meter_content(text, info)]
        if expansion.unresolved:
            blanks = ", ".join(f"{{{name}}}" for name in expansion.unresolved)
            pieces += [" · ", Content.styled(f"fill in {blanks} before sending", ERROR_STYLE)]
        meter.update(Content.assemble(*pieces))
        found = f"{len(self.shown)} of {len(self._templates)}"
        hint.update(f"{found} · ↑↓ choose · Enter insert · Esc close {unreadable}".strip())

    def action_move(self, steps: int) -> None:
        """Move the highlight through the templates."""
        options = self.query_one(OptionList)
        if self.shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self.shown) - 1, current + steps))

    @on(Input.Submitted, "#template-field")
    def _submitted(self) -> None:
        self._choose()

    @on(OptionList.OptionSelected, "#template-list")
    def _selected(self) -> None:
        self._choose()

    def _choose(self) -> None:
        template = self._highlighted()
        if template is None:
            self.app.bell()
            return
        self.dismiss(expand(template.body, self._values).text)

    def action_cancel(self) -> None:
        """Close without inserting."""
        self.dismiss(None)
