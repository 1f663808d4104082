"""The attachments panel: name, type, host and the full link of each attachment.

It appears when ``o`` cannot simply start an opener (over SSH, without a display) or when a
message has several attachments to choose from. Each link is an OSC 8 hyperlink whose visible
text is the URL itself, so the user's own terminal opens it on their own computer; ``y`` copies
it with OSC 52. The host is shown on its own line because a link's text is the easiest place to
hide where it really goes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.style import Style
from textual.widgets import Footer, Static

from smstui.api.models import Attachment
from smstui.opener import validate_url
from smstui.sanitize import clean_line

Launch = Callable[[str], str | None]
"""Starts the external opener for a URL; returns a problem to show, or None."""

COPIED_NOTICE = "Link copied to clipboard (inside tmux, enable `set -s set-clipboard on`)"


@dataclass(frozen=True, slots=True)
class AttachmentView:
    """What the panel shows for one attachment, worked out once."""

    name: str
    kind: str
    url: str
    """The validated URL (what is copied and opened), or the cleaned original if invalid."""
    host: str
    problem: str
    """Why the URL cannot be used, or "" when it is fine."""

    @property
    def usable(self) -> bool:
        """Whether the link may be copied and opened."""
        return not self.problem


def describe_kind(mime: str) -> str:
    """Say what kind of file an attachment is: ``"image"`` for any image, else the MIME type.

    Args:
        mime: The MIME type as the gateway gave it.

    Returns:
        A short label; "unknown type" when the gateway gave none.
    """
    mime = clean_line(mime).lower()
    if mime.startswith("image/"):
        return "image"
    return mime or "unknown type"


def host_label(hostname: str) -> str:
    """Show a host so look-alikes stand out: internationalised names also in their ASCII form.

    Args:
        hostname: The host part of a URL, possibly with non-ASCII letters.

    Returns:
        ``"example.com"``, or ``"bаnk.com (xn--bnk-8cd.com)"`` for an internationalised name.
    """
    if hostname.isascii():
        return hostname
    try:
        ascii_form = hostname.encode("idna").decode("ascii")
    except UnicodeError:
        return f"{hostname} (not a valid international name)"
    return f"{hostname} ({ascii_form})"


def view_of(attachment: Attachment) -> AttachmentView:
    """Validate an attachment's URL and prepare everything the panel shows for it.

    Args:
        attachment: The attachment as parsed from the gateway.

    Returns:
        Its display values; ``problem`` says why an invalid URL cannot be used.
    """
    name = clean_line(attachment.name) or "(no name)"
    kind = describe_kind(attachment.mime)
    try:
        url = validate_url(attachment.url)
    except ValueError as error:
        return AttachmentView(name, kind, clean_line(attachment.url), "", clean_line(str(error)))
    try:
        hostname = urlsplit(url).hostname or ""
    except ValueError:
        hostname = ""
    return AttachmentView(name, kind, url, host_label(clean_line(hostname)) or "(no host)", "")


def card_content(view: AttachmentView) -> Content:
    """The lines of one attachment: name and type, host, then the link (or why it is unusable).

    Args:
        view: The attachment's display values.

    Returns:
        Plain content; only the URL span carries a style with ``link`` set, and only when the
        URL passed validation.
    """
    heading = Content.assemble((view.name, "bold"), "  ", (view.kind, "dim"))
    if not view.usable:
        return Content.assemble(
            heading,
            "\n",
            ("Cannot be opened or copied: ", "bold"),
            view.problem,
            "\n",
            (view.url, "dim"),
        )
    return Content.assemble(
        heading,
        "\n",
        ("Host ", "dim"),
        (view.host, "bold"),
        "\n",
        (view.url, Style(underline=True, link=view.url)),
    )


class AttachmentCard(Static):
    """One attachment in the panel; highlighted when the cursor is on it."""

    DEFAULT_CSS = """
    AttachmentCard {
        padding: 0 1;
        margin-bottom: 1;
        border-left: blank;
    }
    AttachmentCard.-highlight {
        background: $boost;
        border-left: thick $accent;
    }
    AttachmentCard.-unusable {
        color: $text-error;
    }
    """

    class Clicked(Message):
        """The user clicked a card (to move the cursor there)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, view: AttachmentView, index: int) -> None:
        super().__init__(card_content(view), classes="" if view.usable else "-unusable")
        self.view = view
        self.index = index

    def on_click(self) -> None:
        """Move the cursor to this card."""
        self.post_message(self.Clicked(self.index))


class AttachmentsScreen(ModalScreen[None]):
    """Choose an attachment, then click its link, copy it (``y``) or open it (``o``)."""

    HELP_GROUP = "Attachments"
    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Previous", id="attachments.up", show=False),
        Binding("down,j", "cursor(1)", "Next", id="attachments.down", show=False),
        Binding("y", "copy_link", "Copy link", id="attachments.copy"),
        Binding("o,enter", "open_link", "Open", id="attachments.open"),
        Binding("escape,q", "close", "Close", id="attachments.close"),
    ]

    DEFAULT_CSS = """
    AttachmentsScreen {
        align: center middle;
    }
    AttachmentsScreen > #attachments-card {
        width: 90;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        border: round $primary;
        border-title-color: $text-primary;
        background: $surface;
        padding: 0 1;
    }
    AttachmentsScreen #attachments-note {
        color: $text-muted;
        margin-bottom: 1;
    }
    """

    def __init__(
        self,
        attachments: Sequence[Attachment],
        *,
        environment_note: str,
        can_launch: bool,
        launch: Launch | None,
    ) -> None:
        super().__init__()
        self.views: tuple[AttachmentView, ...] = tuple(view_of(item) for item in attachments)
        self._environment_note = clean_line(environment_note)
        self._can_launch = can_launch
        self._launch = launch
        self._cursor = 0

    @property
    def cursor(self) -> int:
        """Index of the highlighted attachment."""
        return self._cursor

    @property
    def highlighted(self) -> AttachmentView | None:
        """The highlighted attachment, or None when there are none."""
        return self.views[self._cursor] if self.views else None

    def compose(self) -> ComposeResult:
        """The note on how links open here, the cards, and the footer with the keys."""
        card = VerticalScroll(id="attachments-card", can_focus=False)
        card.border_title = "Attachment" if len(self.views) == 1 else "Attachments"
        with card:
            yield Static(Content(self._environment_note), id="attachments-note")
            for index, view in enumerate(self.views):
                yield AttachmentCard(view, index)
            if not self.views:
                yield Static(Content("This message has no attachments."))
        yield Footer()

    def on_mount(self) -> None:
        """Highlight the first attachment."""
        self._move_to(0)

    def _move_to(self, index: int) -> None:
        if not self.views:
            return
        self._cursor = max(0, min(index, len(self.views) - 1))
        for card in self.query(AttachmentCard):
            card.set_class(card.index == self._cursor, "-highlight")
            if card.index == self._cursor:
                card.scroll_visible()

    def action_cursor(self, step: int) -> None:
        """Move the highlight up or down."""
        self._move_to(self._cursor + step)

    def on_attachment_card_clicked(self, event: AttachmentCard.Clicked) -> None:
        """A click moves the highlight."""
        self._move_to(event.index)

    def action_copy_link(self) -> None:
        """Copy the highlighted link with OSC 52 (reaches the user's clipboard over SSH)."""
        view = self.highlighted
        if view is None:
            return
        if not view.usable:
            self.notify(
                f"This link can't be copied: {view.problem}", severity="error", markup=False
            )
            return
        self.app.copy_to_clipboard(view.url)
        self.notify(COPIED_NOTICE, markup=False)

    def action_open_link(self) -> None:
        """Start the opener for the highlighted link, or say why nothing was started."""
        view = self.highlighted
        if view is None:
            return
        if not view.usable:
            self.notify(
                f"This link can't be opened: {view.problem}", severity="error", markup=False
            )
            return
        if not self._can_launch:
            self.notify(
                "Nothing was opened: this session can't show a program on your screen. "
                "Click the link, or press y to copy it.",
                severity="warning",
                markup=False,
            )
            return
        if self._launch is None:
            self.notify(
                "No program to open links is set up here; press y to copy the link.",
                severity="warning",
                markup=False,
            )
            return
        # launch() only starts a detached process (Popen), so it is quick enough for the loop;
        # it must stay on the event loop because a configured text browser needs App.suspend().
        problem = self._launch(view.url)
        if problem:
            self.notify(clean_line(problem), severity="error", markup=False)
        else:
            self.notify(f"Opening {view.name}…", markup=False)

    def action_close(self) -> None:
        """Close the panel."""
        self.dismiss(None)
