"""The lines under the composer's text area: who it goes to, the meter, and why not.

The first line holds the address (``to … from …``), the counts (``80/134 · 2 parts · UCS-2
because of “ą” (col 14)``) and the dry-run badge; it may be cut at narrow widths. A reason the
message is never sent (over ``hard_max_parts``) or is sent only after a question (over
``max_parts``) gets a line of its own under it and wraps, so it is always read whole.

While the conversation cannot be replied to, both lines are hidden: the text area's placeholder
already says why, and once is enough.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from smstui.domain.segments import SegmentInfo
from smstui.ui.widgets.composer_meter import ERROR_STYLE, meter_content, reason_content

__all__ = ["ComposerStatus"]

_BADGE = Content(" DRY RUN ")


class ComposerStatus(Widget):
    """The meter line and, when there is one, the line that says why the draft won't do."""

    DEFAULT_CSS = """
    ComposerStatus {
        height: auto;
        layout: vertical;
    }
    ComposerStatus.-blocked {
        display: none;
    }
    ComposerStatus > #composer-status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    ComposerStatus #composer-address {
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ComposerStatus #composer-meter {
        width: auto;
        margin-left: 1;
        max-width: 100%;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ComposerStatus #composer-badge {
        display: none;
        width: auto;
        margin-left: 1;
        background: $warning-muted;
        color: $text-warning;
        text-style: bold;
    }
    ComposerStatus.-dry-run #composer-badge {
        display: block;
    }
    ComposerStatus > #composer-reason {
        display: none;
        height: auto;
        padding: 0 1;
    }
    ComposerStatus.-reason > #composer-reason {
        display: block;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._address_content = Content("")
        self._meter_content = Content("")
        self._reason_content = Content("")
        self._address = Static(self._address_content, id="composer-address", markup=False)
        self._meter = Static(self._meter_content, id="composer-meter", markup=False)
        self._badge = Static(_BADGE, id="composer-badge", markup=False)
        self._reason = Static(self._reason_content, id="composer-reason", markup=False)

    def compose(self) -> ComposeResult:
        """The meter line, then the reason line."""
        with Horizontal(id="composer-status"):
            yield self._address
            yield self._meter
            yield self._badge
        yield self._reason

    @property
    def text(self) -> str:
        """What the lines say, as plain text: address, counts, badge, then the reason."""
        if self.has_class("-blocked"):
            return ""
        parts = [self._address_content.plain, self._meter_content.plain]
        if self.has_class("-dry-run"):
            parts.append(_BADGE.plain.strip())
        parts.append(self._reason_content.plain)
        return " ".join(part for part in parts if part)

    @property
    def reason(self) -> str:
        """The line under the meter as plain text ("" when it is hidden)."""
        return self._reason_content.plain

    def set_address(self, address: Content) -> None:
        """Show who the message goes to and from."""
        self._address_content = address
        self._address.update(address)

    def set_dry_run(self, dry_run: bool) -> None:
        """Show or hide the "dry run" badge."""
        self.set_class(dry_run, "-dry-run")

    def show(
        self,
        text: str,
        info: SegmentInfo,
        *,
        sending: bool,
        asking: bool = False,
        blocked: bool,
        stop: str = "",
        hint: Content | None = None,
    ) -> None:
        """Show the counts of a draft and, under them, why it won't do (if it won't).

        Args:
            text: The draft.
            info: Its analysis.
            sending: True while a send is in flight.
            asking: True while the question about its parts waits for an answer.
            blocked: True when the conversation cannot be replied to (both lines hide).
            stop: Why the draft is not sent though it fits (an opted-out number, a template
                blank not filled in), shown first in the error colour; "" for none.
            hint: A line offered under the reason (what removing accents would save).
        """
        self.set_class(blocked, "-blocked")
        self._meter_content = meter_content(text, info, sending=sending, asking=asking)
        self._meter.update(self._meter_content)
        lines = [Content.styled(stop, ERROR_STYLE)] if stop else []
        lines += [reason_content(info), hint or Content("")]
        self._reason_content = Content("\n").join(line for line in lines if line.plain)
        self._reason.update(self._reason_content)
        self.set_class(bool(self._reason_content.plain), "-reason")
