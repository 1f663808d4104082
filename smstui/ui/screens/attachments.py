"""The links panel: every link in a message's text and every attachment, with host and URL.

It appears when ``o`` cannot simply start an opener (over SSH, without a display), when a
message has several things to choose from, or when its text holds a link (the host is shown
before anything is opened: links in texts are a favourite of phishers). Each link is an OSC 8
hyperlink whose visible text is the URL itself, so the user's own terminal opens it on their
own computer; ``y`` copies it with OSC 52. Where no program can be started here (over SSH,
without a display) "Open" is not offered at all. The host is shown on its own line because a
link's text is the easiest place to hide where it really goes.
"""

from __future__ import annotations

import os
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
from textual.widgets import Static

from smstui.domain.links import FoundLink
from smstui.domain.models import Attachment
from smstui.domain.sanitize import clean_line
from smstui.domain.urls import validate_url
from smstui.system.clipboard import copied_notice, tmux_set_clipboard
from smstui.ui.widgets.key_footer import KeyFooter

Launch = Callable[[str], str | None]
"""Starts the external opener for a URL; returns a problem to show, or None."""

LINK_NAME = "Link in the message"


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
    return _view(
        clean_line(attachment.name) or "(no name)", describe_kind(attachment.mime), attachment.url
    )


def view_of_link(link: FoundLink) -> AttachmentView:
    """Prepare what the panel shows for a link found in the message's text.

    Args:
        link: The link and, when it failed validation, why.

    Returns:
        Its display values, headed "Link in the message".
    """
    if link.problem:
        return AttachmentView(LINK_NAME, "", clean_line(link.url), "", clean_line(link.problem))
    return _view(LINK_NAME, "", link.url)


def _view(name: str, kind: str, raw_url: str) -> AttachmentView:
    try:
        url = validate_url(raw_url)
    except ValueError as error:
        return AttachmentView(name, kind, clean_line(raw_url), "", clean_line(str(error)))
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
    heading = Content.assemble((view.name, "bold"))
    if view.kind:
        heading = Content.assemble(heading, "  ", (view.kind, "dim"))
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


def panel_title(links: int, attachments: int) -> str:
    """The panel's title: "Link", "Attachments", "Links and attachment" and so on."""
    parts = [
        f"{noun}{'s' if count > 1 else ''}"
        for noun, count in (("Link", links), ("Attachment", attachments))
        if count
    ]
    return " and ".join(parts).capitalize() or "Links and attachments"


class AttachmentsScreen(ModalScreen[None]):
    """Choose a link or attachment, then click its link, copy it (``y``) or open it (``o``)."""

    HELP_GROUP = "Links and attachments"
    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Previous", id="attachments.up", show=False),
        Binding("down,j", "cursor(1)", "Next", id="attachments.down", show=False),
        Binding("y", "copy_link", "Copy link", id="attachments.copy"),
        Binding("o,enter", "open_link", "Open", id="attachments.open"),
        # Where nothing can be opened "Open" is not offered; these keys then only say why.
        Binding("o,enter", "explain_no_open", show=False),
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
        links: Sequence[FoundLink] = (),
    ) -> None:
        super().__init__()
        self.views: tuple[AttachmentView, ...] = (
            *(view_of_link(link) for link in links),
            *(view_of(item) for item in attachments),
        )
        self._title = panel_title(len(links), len(attachments))
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
        card.border_title = self._title
        with card:
            yield Static(Content(self._environment_note), id="attachments-note")
            for index, view in enumerate(self.views):
                yield AttachmentCard(view, index)
            if not self.views:
                yield Static(Content("This message has no links or attachments."))
        yield KeyFooter()

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "Open" only where a program can be started for the user (not over SSH)."""
        if action == "open_link":
            return self._can_launch
        return True

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
        # Say what was sent; the tmux hint only where tmux may hold it back (asks tmux: a worker).
        self.run_worker(self._tell_copied(), group="clipboard", exit_on_error=False)

    async def _tell_copied(self) -> None:
        tmux = await tmux_set_clipboard(os.environ)
        self.notify(copied_notice("The link", tmux), markup=False)

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
            self.action_explain_no_open()
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
            shown = view.host if view.name == LINK_NAME else view.name
            self.notify(f"Opening {shown}…", markup=False)

    def action_explain_no_open(self) -> None:
        """Say why nothing opens here and what works instead."""
        self.notify(
            "Nothing was opened: this session can't show a program on your screen. "
            "Click the link, or press y to copy it.",
            severity="warning",
            markup=False,
        )

    def action_close(self) -> None:
        """Close the panel."""
        self.dismiss(None)
