"""Keeping the inbox live: polling for new messages and following delivery statuses.

- Every ``poll_interval`` seconds the inbox's first page is fetched (never two at once). New
  received messages raise unread counts and move their conversations up; the open
  conversation's newest page comes along, so a new message appears in it (at the bottom when
  the view is there, else behind the pane's "N new messages" notice). While the gateway cannot
  be reached the polls back off (doubling up to ``poll_backoff_max``); everything loaded stays
  usable meanwhile. Trouble is said only once it lasts (:mod:`smstui.sync.trouble`): then the
  status line counts down to the next try, says "Connected again" when the gateway answers, and
  "Up to date" a few seconds later. A retry that works is never mentioned. A successful poll
  also asks again for sent-history pages that failed earlier, and refreshes the open
  conversation (loading it when it was opened while the gateway was away).
- While an outbound message of the open conversation is still on its way (sent from here, or
  recently), its newest page is fetched after ``status_refresh`` seconds, then twice as long
  each time up to ``status_refresh_max``; statuses change in place without moving the view.
- New messages are announced with a toast whose content follows ``notification_preview``
  (``none`` / ``sender`` / ``full``), and through the terminal (:mod:`smstui.system.notifications`:
  OSC 777,
  OSC 9, OSC 99 or the bell, wrapped for tmux; bursts combined; nothing in quiet hours).
  Muted conversations announce nothing. The conversation on screen announces nothing while
  the terminal has the focus (focus reporting); when the terminal is in the background it
  does.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

from textual.message import Message as TextualMessage
from textual.timer import Timer

from smstui.api.errors import Offline, SmsError
from smstui.domain.conversations import ThreadState
from smstui.domain.models import InboxItem, Message, Page
from smstui.domain.outbox import is_local
from smstui.domain.phones import conversation_key, display_number
from smstui.domain.sanitize import clean_line
from smstui.sync.engine import SyncEngine
from smstui.sync.trouble import GatewayTrouble, Say
from smstui.system.clock import Clock
from smstui.system.config import Settings
from smstui.system.notifications import (
    Arrival,
    Notifier,
    Signal,
    inside_tmux,
    parse_quiet_hours,
    resolve_method,
)
from smstui.ui.screens.inbox_parts import InboxParts

__all__ = ["RECENT_SECONDS", "LiveUpdates", "TerminalNotification", "arrival_toast"]

log = logging.getLogger(__name__)

RECENT_SECONDS = 24 * 3600
"""Outbound messages younger than this whose status is still in flight are followed."""

_IN_FLIGHT = frozenset({"", "SUBMITTED", "BUFFERED"})
"""Statuses that will still change ("UNKNOWN" means no report will come)."""

_WATCH_WINDOW = 100
"""Only the newest loaded messages are looked at for statuses in flight."""

_PREVIEW_CHARS = 120


class TerminalNotification(TextualMessage):
    """Tell the terminal about new messages: write ``sequence`` (may be "") and ring the bell.

    The app writes it through its driver, between two frames.
    """

    def __init__(self, sequence: str, *, bell: bool) -> None:
        super().__init__()
        self.sequence = sequence
        self.bell = bell


def arrival_toast(arrivals: Sequence[tuple[str, InboxItem]], preview: str) -> str:
    """Return the text of the toast for new messages, as private as ``preview`` says.

    Args:
        arrivals: ``(who, item)`` per new message, newest first; ``who`` is the contact name
            or the formatted number.
        preview: ``none`` (only how many), ``sender`` (who from) or ``full`` (who and what).

    Returns:
        One or two lines of plain text.
    """
    count = len(arrivals)
    if preview == "none" or not arrivals:
        return "1 new message" if count == 1 else f"{count} new messages"
    senders = list(dict.fromkeys(clean_line(who) for who, _ in arrivals))
    if preview == "full":
        who, item = arrivals[0]
        text = " ".join(clean_line(item.text).split())
        if len(text) > _PREVIEW_CHARS:
            text = text[: _PREVIEW_CHARS - 1].rstrip() + "…"
        more = f"\n+{count - 1} more" if count > 1 else ""
        return f"{clean_line(who)}: {text}{more}"
    shown = ", ".join(senders[:3])
    others = f" and {len(senders) - 3} more" if len(senders) > 3 else ""
    return f"From {shown}{others}" if count == 1 else f"{count} new messages from {shown}{others}"


class LiveUpdates:
    """Polls for new messages and follows delivery statuses for the inbox screen.

    Args:
        screen: The inbox screen (thread, pane, index, status line, timers, workers).
        engine: The sync engine (reads the pages polled and keeps them in the store).
        settings: Intervals, page sizes and notification preferences.
        clock: The app's clock (for the retry countdown and what is "recent").
    """

    def __init__(
        self, screen: InboxParts, *, engine: SyncEngine, settings: Settings, clock: Clock
    ) -> None:
        self._screen = screen
        self._engine = engine
        self._settings = settings
        self._clock = clock
        self._started = False
        self._stopped = False
        self._polling = False
        self._failures = 0
        self.trouble = GatewayTrouble(clock.now)
        """Decides when failures of reads are worth saying (one rule with ``smstui watch``)."""
        self._trouble_timer: Timer | None = None
        self._trouble_due: float | None = None
        self._poll_timer: Timer | None = None
        self._refreshing = False
        self._watch_timer: Timer | None = None
        self._watch_delay = settings.status_refresh
        environ = os.environ
        self.notifier = Notifier(
            method=resolve_method(settings.notification_method, environ),
            tmux=inside_tmux(environ),
            bell=settings.bell,
            preview=settings.notification_preview,
            quiet_hours=parse_quiet_hours(settings.quiet_hours),
            clock=clock,
            window=settings.notification_burst,
        )
        """Decides what the terminal is told about new messages (read from the environment
        once, here: ``TERM``, ``TERM_PROGRAM``, ``TMUX`` …)."""
        self._burst_timer: Timer | None = None

    @property
    def refresh_failed(self) -> bool:
        """A failure has been shown; the gateway's next answer says "Connected again"."""
        return self.trouble.said

    @refresh_failed.setter
    def refresh_failed(self, failed: bool) -> None:
        if failed:
            self.trouble.told()

    # Gateway trouble ----------------------------------------------------------------------------

    def gateway_failed(self, error: SmsError, retry_at: float) -> None:
        """A read failed and is tried again at ``retry_at``: say so once the trouble lasts."""
        label = "Offline" if isinstance(error, Offline) else error.user_message
        self._say(self.trouble.failed(label, retry_at))

    def gateway_answered(self) -> None:
        """The gateway answered a read: "Connected again" after trouble that was said."""
        self._say(self.trouble.answered())

    def _check_trouble(self) -> None:
        self._trouble_timer = None
        self._trouble_due = None
        self._say(self.trouble.check())

    def _say(self, say: Say | None) -> None:
        line = self._screen.status_line
        if say is None:
            pass
        elif say.kind == "trouble":
            retry_at = say.retry_at if say.retry_at is not None else self._clock.now()
            line.offline_until(retry_at, self._clock, label=say.problem)
        elif say.kind == "back":
            line.show("Connected again", "ok")
        elif line.text == "Connected again":  # settled; anything said since stays
            line.show("Up to date", "ok")
        # Look again when the trouble will have lasted, or "Connected again" stood, long enough.
        due = self.trouble.due()
        if due == self._trouble_due or self._stopped:
            return
        if self._trouble_timer is not None:
            self._trouble_timer.stop()
            self._trouble_timer = None
        self._trouble_due = due
        if due is not None:
            wait = max(0.0, due - self._clock.now())
            self._trouble_timer = self._screen.set_timer(wait, self._check_trouble)

    # Polling ------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start polling (after the first inbox page is in); later calls do nothing."""
        if not self._started:
            self._started = True
            self._schedule_poll(self._settings.poll_interval)

    def stop(self) -> None:
        """Stop polling and following statuses (the credentials were rejected)."""
        self._stopped = True
        for timer in (self._poll_timer, self._watch_timer, self._burst_timer, self._trouble_timer):
            if timer is not None:
                timer.stop()

    def poll_now(self) -> None:
        """Check for new messages now, unless a check is already on its way."""
        if self._polling or self._stopped:
            return
        if self._poll_timer is not None:
            self._poll_timer.stop()
            self._poll_timer = None
        self._polling = True
        self._screen.run_worker(self._poll(), group="poll", exit_on_error=False, name="poll")

    def _schedule_poll(self, delay: float) -> None:
        if self._stopped:
            return
        if self._poll_timer is not None:
            self._poll_timer.stop()
        self._poll_timer = self._screen.set_timer(delay, self.poll_now)

    async def _poll(self) -> None:
        delay: float | None = self._settings.poll_interval
        try:
            delay = await self._poll_once()
        finally:
            self._polling = False
            if delay is None:
                self.stop()
            else:
                self._schedule_poll(delay)

    async def _poll_once(self) -> float | None:
        """One poll; returns the wait before the next (None: stop, the sign-in is needed)."""
        screen = self._screen
        limit = self._settings.inbox_page_size
        page, error = await screen.attempt(lambda: self._engine.inbox(page=1, limit=limit))
        if page is None:
            if error is None:
                return None
            self._failures += 1
            delay = min(
                self._settings.poll_interval * float(2**self._failures),
                self._settings.poll_backoff_max,
            )
            self.gateway_failed(error, self._clock.now() + delay)
            return delay
        self._failures = 0  # "Connected again" was said by the client's answer (gateway_answered)
        screen.session.reload_mutes()  # another smstui on this state may have (un)muted
        news = screen.session.inbox_page_arrived(page)
        await screen.session.retry_sent_pages()
        screen.session.retry_account()  # our numbers, if the gateway was out of reach at start
        await self.refresh_open_thread()
        self._announce(news)
        return self._settings.poll_interval

    def _announce(self, news: Sequence[InboxItem]) -> None:
        """Toast and terminal notification for new messages that may announce themselves.

        Not those of muted conversations, nor of the conversation on screen while the terminal
        has the focus: that one shows them itself (at the bottom, or behind its "N new
        messages" notice).
        """
        screen = self._screen
        thread = screen.thread
        focused = screen.app.app_focus
        watched = thread.key if thread is not None and screen.thread_visible and focused else None
        muted = screen.session.muted
        arrivals: list[tuple[str, InboxItem]] = []
        for item in sorted(news, key=lambda item: item.timestamp or 0, reverse=True):
            key = conversation_key(item.sender)
            if key == watched or key in muted:
                continue
            summary = screen.session.summary(key)
            arrivals.append(
                (summary.name if summary and summary.name else display_number(key), item)
            )
        if not arrivals:
            return
        title = "New message" if len(arrivals) == 1 else "New messages"
        toast = arrival_toast(arrivals, self._settings.notification_preview)
        screen.notify(toast, title=title, markup=False)
        self._signal(
            self.notifier.arrived(
                [Arrival(conversation_key(item.sender), who, item.text) for who, item in arrivals]
            )
        )

    def _signal(self, signal: Signal | None) -> None:
        """Write a notification to the terminal, or wait for the end of the burst."""
        if signal is not None:
            log.debug("notification: %s", signal.notice.title)
            self._screen.post_message(TerminalNotification(signal.sequence, bell=signal.bell))
        wait = self.notifier.wait()
        if wait is not None and self._burst_timer is None and not self._stopped:
            self._burst_timer = self._screen.set_timer(wait, self._burst_over)

    def _burst_over(self) -> None:
        self._burst_timer = None
        self._signal(self.notifier.flush())

    # The open conversation's newest page ---------------------------------------------------

    async def refresh_open_thread(self, *, report: bool = False) -> bool:
        """Fetch the open conversation's newest page and merge it; False when skipped or failed.

        Skipped while a send of it is on its way (the answer decides what the new message is
        called) or while another refresh runs. A conversation whose first page never arrived
        (it was opened while the gateway was away) loads that page instead. A failure never
        drops what is shown.

        Args:
            report: Say on the status line when the refresh fails (the user asked for it).
        """
        screen = self._screen
        thread = screen.thread
        if thread is not None and not thread.pages_loaded:
            screen.threads.load_first_page()
            return False
        if thread is None or self._refreshing or screen.sending.outbox.busy(thread.key):
            return False
        summary = screen.session.summary(thread.key)
        number = summary.number if summary else thread.key
        limit = self._settings.conversation_page_size
        self._refreshing = True
        try:
            page, error = await screen.attempt(
                lambda: self._engine.conversation(thread.key, number, page=1, limit=limit)
            )
        finally:
            self._refreshing = False
        if report and error is not None:
            self.refresh_failed = True
            screen.status_line.show(f"Refresh failed: {error.user_message}", "error")
        if page is None or screen.thread is not thread:
            return False
        self.merge_page(thread, page)
        return True

    def merge_page(self, thread: ThreadState, page: Page[Message]) -> None:
        """Merge a fresh newest page into the open conversation without moving the view.

        Unconfirmed messages found on it become their copies first, then new messages are
        appended and changed ones (delivery statuses) replaced in place.

        Args:
            thread: The open conversation.
            page: Its page 1.
        """
        screen = self._screen
        pane = screen.message_pane
        for local_key, copy in screen.sending.claim(thread.key, page.items):
            thread.swap(local_key, copy)
            pane.replace_message(local_key, copy)
        appended, changed = thread.add_newest_page(page)  # the engine kept it in the store
        if changed:
            pane.update_messages(changed)
        if appended:
            pane.append_new(appended)
        # The conversation's newest message, for its list row: the last one loaded, unless the
        # pane shows a window further back (after Home or a search jump), whose last message
        # is an old one; then the page's first, the newest there is.
        newest = page.items[0] if thread.newer_missing and page.items else None
        if newest is None and thread.messages:
            newest = thread.messages[-1]
        screen.session.messages_seen(
            [(thread.key, newest)] if newest is not None else [], newest=True
        )
        screen.viewed()
        self.watch_delivery()

    # Delivery statuses ---------------------------------------------------------------------

    def watch_delivery(self, *, restart: bool = False) -> None:
        """Follow statuses in flight in the open conversation (no-op when there are none).

        Args:
            restart: Start again from the shortest wait (a message was just sent or opened).
        """
        if restart:
            self._watch_delay = self._settings.status_refresh
            if self._watch_timer is not None:
                self._watch_timer.stop()
                self._watch_timer = None
        if not self._needs_watch():
            self._watch_delay = self._settings.status_refresh
        elif self._watch_timer is None and not self._stopped:
            self._watch_timer = self._screen.set_timer(self._watch_delay, self._watch_tick)

    def _needs_watch(self) -> bool:
        thread = self._screen.thread
        if thread is None:
            return False
        confirmed = self._screen.sending.confirmed
        horizon = self._clock.now() - RECENT_SECONDS
        for message in thread.messages[-_WATCH_WINDOW:]:
            if not message.outbound or is_local(message.key):
                continue
            if message.status.strip().upper() in _IN_FLIGHT and (
                message.key in confirmed or message.timestamp >= horizon
            ):
                return True
        return False

    def _watch_tick(self) -> None:
        self._watch_timer = None
        if self._needs_watch():
            self._screen.run_worker(
                self._watch_refresh(), group="status", exit_on_error=False, name="delivery status"
            )

    async def _watch_refresh(self) -> None:
        self._watch_delay = min(self._watch_delay * 2, self._settings.status_refresh_max)
        await self.refresh_open_thread()
        self.watch_delivery()
