"""Sending a draft later (Ctrl+S) and the list of what is scheduled (``S``) on the inbox.

A schedule is one ``POST /message/send`` with the ``date`` (in UTC, see
:func:`smstui.domain.timeparse.gateway_date`), never retried, like every send. The draft is
cleared only once the gateway has accepted it; a refusal keeps the text and says why; an answer
that got lost says to look at the scheduled list before trying again.
"""

from __future__ import annotations

from datetime import datetime

from smstui.api.errors import SendOutcomeUnknown, SmsError
from smstui.api.scheduled import ScheduledMessage
from smstui.domain.phones import conversation_key
from smstui.domain.schedule_time import describe_send_time
from smstui.sync.engine import SyncEngine
from smstui.sync.sender import Sender
from smstui.system.clock import Clock
from smstui.ui.screens.inbox_parts import InboxParts
from smstui.ui.screens.scheduled import ScheduledScreen
from smstui.ui.screens.send_flow import parts_question
from smstui.ui.screens.send_later import SendLaterScreen

__all__ = ["ScheduleFlow"]

MAX_LISTED = 1000
"""Scheduled messages listed at most (10 pages of 100)."""


class ScheduleFlow:
    """Schedules drafts and shows the scheduled list for the inbox screen.

    Args:
        screen: The inbox screen.
        sender: The send path shared with ``smstui send --at`` (one POST, never retried).
        engine: The sync engine (reads the scheduled list; cancels one).
        clock: The app's clock.
    """

    def __init__(
        self, screen: InboxParts, *, sender: Sender, engine: SyncEngine, clock: Clock
    ) -> None:
        self._screen = screen
        self._sender = sender
        self._engine = engine
        self._clock = clock

    def ask_when(self) -> None:
        """Ctrl+S: ask when to send the draft; a draft that could not be sent now rings."""
        screen = self._screen
        composer = screen.composer
        key = composer.conversation_key
        text = composer.text
        info = composer.segment_info
        if (
            key is None
            or not composer.can_reply
            or composer.sending
            or not text.strip()
            or info.too_long
            or composer.stop_reason
        ):
            screen.app.bell()
            return
        summary = screen.session.summary(key)
        number = summary.number if summary else key

        def chosen(when: datetime | None) -> None:
            if when is None:
                return

            def schedule(agreed: bool | None = True) -> None:
                if agreed:
                    screen.run_worker(
                        self._schedule(key, number, text, when),
                        group="schedule",
                        exit_on_error=False,
                        name="schedule",
                    )

            if info.needs_confirmation:  # over max_parts: the same question as Enter asks
                screen.app.push_screen(parts_question(info), schedule)
            else:
                schedule()

        screen.app.push_screen(SendLaterScreen(number, clock=self._clock), chosen)

    async def _schedule(self, key: str, number: str, text: str, when: datetime) -> None:
        screen = self._screen
        composer = screen.composer
        sender = screen.compose_flow.sender_for(screen.session.summary(key))
        composer.set_sending(True)
        try:
            await self._sender.schedule(to=number, text=text, sender=sender, when=when)
        except SendOutcomeUnknown:
            screen.status_line.show(
                "Not confirmed: the gateway's answer got lost · S shows what is scheduled; "
                "look there before scheduling again",
                "warn",
            )
            return
        except SmsError as error:
            screen.status_line.show(f"Not scheduled: {error.user_message}", "error")
            return
        finally:
            composer.set_sending(False)
        if composer.conversation_key == key and composer.text == text:
            composer.clear()
        screen.session.discard_draft(key)
        trial = " (dry run: nothing will be sent)" if screen.settings.dry_run else ""
        when_text = describe_send_time(when, self._clock.now())
        screen.status_line.show(f"Scheduled for {when_text}{trial} · S to see it", "ok")

    def show_list(self) -> None:
        """``S``: the scheduled messages; Enter opens one's conversation."""
        screen = self._screen

        def name_of(number: str) -> str:
            summary = screen.session.summary(conversation_key(number))
            return summary.name if summary else ""

        def opened(number: str | None) -> None:
            if number:
                screen.start_conversation(number)

        thread = screen.thread
        summary = screen.session.summary(thread.key) if thread is not None else None
        screen.app.push_screen(
            ScheduledScreen(
                self._load,
                self._engine.cancel_scheduled,
                name_of=name_of,
                now=self._clock.now(),
                conversation=summary.number if summary else None,
            ),
            opened,
        )

    async def _load(self) -> list[ScheduledMessage]:
        found: list[ScheduledMessage] = []
        page_number = 1
        while len(found) < MAX_LISTED:
            page = await self._engine.scheduled(page=page_number, limit=100)
            found.extend(page.items)
            if page.is_last:
                break
            page_number += 1
        return found
