"""Sending on behalf of the inbox screen: optimistic bubbles, failures, resends, reconciliation.

A send shows at once as an outbound bubble marked "sending" and the composer empties: the text
moves from the draft into the outbox on disk before the request leaves, so a crash neither
loses it nor brings it back as a draft to be sent twice. Sends go out one at a time, in order,
and are never retried by themselves: a failure says why on the bubble and waits for the user
(``R`` resends, ``e`` takes the text back into the composer).

A draft over ``max_parts`` parts goes out only after a question that names the parts and what
they cost (:meth:`SendFlow.request`); only ``y`` answers yes, so an Enter typed ahead
(a second Enter, the end of a paste) never does. ``n`` or Esc leaves the draft as it was.

When the request went out but no answer came back, the bubble reads "not confirmed" and stays
so until the gateway's copy turns up (:func:`smstui.domain.outbox.find_sent_copy`, matched on the
send's ``reference`` when the gateway echoes it) or the user decides: the conversation's newest
page is searched with a growing pause for minutes, again after every restart, and on every
refresh. Not finding a copy proves nothing (gateways commit late), so a resend of a
not-confirmed message asks first and names the risk of a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from smstui.api.errors import ApiError, AuthError
from smstui.domain.models import Message, Page
from smstui.domain.outbox import OUTCOME_UNKNOWN, Outgoing, find_sent_copy
from smstui.domain.segments import SegmentInfo
from smstui.sync.engine import SyncEngine
from smstui.sync.sender import Sender
from smstui.system.clock import Clock
from smstui.system.config import Settings
from smstui.ui.messages import AuthenticationLost
from smstui.ui.screens.confirm import ConfirmScreen
from smstui.ui.screens.inbox_parts import InboxParts
from smstui.ui.screens.reply_tools import OPT_OUT_ERROR

__all__ = ["RECONCILE_LOOKS", "RECONCILE_MAX_PAUSE", "SendFlow", "parts_question"]

RECONCILE_LOOKS = 12
"""Timed looks for a not-confirmed message's copy (per start of the app). With the default
3 s first pause, doubling up to :data:`RECONCILE_MAX_PAUSE`, they span about 16 minutes."""

RECONCILE_MAX_PAUSE = 120.0
"""Longest pause in seconds between two looks for a not-confirmed message's copy."""

RESEND_RISK = (
    "The gateway never confirmed this message and it has not shown up in the conversation, "
    "but it may still have been sent: gateways sometimes take the message and lose the "
    "answer. Sending it again may deliver it twice and charge for it twice."
)


def parts_question(info: SegmentInfo) -> ConfirmScreen:
    """The question asked before a message over ``max_parts`` is sent (or scheduled).

    Args:
        info: The draft's analysis.
    """
    parts = info.parts
    body = (
        f"The message needs {parts} SMS parts ({info.units:,} characters, {info.encoding}); "
        f"max_parts is {info.max_parts}. Each part is charged as one message, and the gateway "
        "may refuse a message this long. Only y sends it; n or Esc goes back to the draft, "
        "kept as it is."
    )
    return ConfirmScreen(
        f"{parts} parts, charged as {parts} messages — send?",
        body,
        yes=f"Send {parts} parts",
        no="Back to the draft",
    )


class SendFlow:
    """Sends messages and keeps their bubbles right, whichever conversation is open.

    Args:
        screen: The inbox screen (thread, pane, index, workers, timers).
        sender: The send path shared with ``smstui send`` (outbox entry, one POST, the result).
        engine: The sync engine (reads the conversation to confirm a send).
        settings: Page sizes and the status-check delay.
        clock: The app's clock (send times).
    """

    def __init__(
        self,
        screen: InboxParts,
        *,
        sender: Sender,
        engine: SyncEngine,
        settings: Settings,
        clock: Clock,
    ) -> None:
        self._screen = screen
        self._sender = sender
        self._engine = engine
        self._settings = settings
        self._clock = clock
        self.outbox = sender.outbox
        """Messages not (yet) confirmed by the gateway, in every conversation (kept on disk)."""
        self.confirmed: set[str] = set()
        """Gateway keys of the messages sent from this app since it started."""

    # Starting and restarting sends -------------------------------------------------------------

    def send(self, key: str, text: str) -> None:
        """Send a message in a conversation: a bubble at once, the request in the background.

        Args:
            key: The conversation key.
            text: The text, exactly as typed.
        """
        screen = self._screen
        summary = screen.session.summary(key)
        item = self._sender.record(
            key,
            to=summary.number if summary else key,
            sender=screen.compose_flow.sender_for(summary),
            text=text,
            now=self._clock.now(),
            known=self._known_keys(key),
        )
        self._report_outbox_problem()
        # The text is in the outbox file now: the draft goes at once, not after the typing
        # pause, so a crash cannot bring a sent text back as a draft to be sent again.
        screen.session.discard_draft(key)
        self._show(item, new=True)
        composer = screen.compose_flow.composer
        if composer.conversation_key == key:
            composer.clear()
        composer.set_sending(False)
        self._start(item)

    def request(self, key: str, text: str, info: SegmentInfo) -> None:
        """Send a draft; over ``max_parts`` only once the user answered ``y`` to the question.

        The composer stays in its sending state while the question is open, so no other send
        starts; a no gives it back its send key, with the text untouched.

        Args:
            key: The conversation key.
            text: The text, exactly as typed.
            info: Its analysis (the parts the question names).
        """

        def answered(send: bool | None) -> None:
            if send:
                self.send(key, text)
                return
            composer = self._screen.compose_flow.composer
            composer.set_sending(False)
            if composer.conversation_key == key:
                composer.text_area.focus()

        if info.needs_confirmation:
            self._screen.app.push_screen(parts_question(info), answered)
        else:
            self.send(key, text)

    def resend(self, message: Message, *, risk_accepted: bool = False) -> None:
        """Send a message again; its bubble moves to the bottom, marked "sending".

        A failed message goes at once. A not-confirmed one may already have been sent, so the
        user is asked first, with the risk of a duplicate spelled out.

        Args:
            message: The bubble (anything that cannot be resent is ignored with a bell).
            risk_accepted: The user already confirmed resending a not-confirmed message.
        """
        item = self.outbox.get(message.key)
        if item is not None and item.unconfirmed and not risk_accepted:
            self._ask_before_resending(message)
            return
        known = self._known_keys(item.conversation) if item else ()
        now = self._clock.now()
        if item is None or self.outbox.restart(item.key, now, known, risk_accepted=True) is None:
            self._screen.app.bell()
            return
        self._take_off_screen(item)
        self._show(item, new=True)
        self._start(item)

    def _ask_before_resending(self, message: Message) -> None:
        def answered(send_again: bool | None) -> None:
            if send_again:
                self.resend(message, risk_accepted=True)

        self._screen.app.push_screen(
            ConfirmScreen(
                "Send again? It may arrive twice.",
                RESEND_RISK,
                yes="Send again",
                no="Keep waiting for it",
            ),
            answered,
        )

    def restore(self) -> None:
        """Show the messages earlier runs left unsent, and look again for unconfirmed ones."""
        restored = self.outbox.restore()
        if restored:
            self._screen.session.messages_seen(
                (item.conversation, item.message) for item in restored
            )
        for item in restored:
            self._start_check(item)
        self._report_outbox_problem()

    def quit_warning(self) -> str:
        """What quitting now would leave unresolved, in a few sentences ("" when nothing)."""
        items = self.outbox.items()
        sending = sum(1 for i in items if i.in_flight)
        unconfirmed = sum(1 for i in items if i.unconfirmed)
        failed = sum(1 for i in items if i.resendable)
        counts = [
            (sending, "still being sent"),
            (unconfirmed, "not confirmed by the gateway"),
            (failed, "failed"),
        ]
        parts = [f"{n} {'message' if n == 1 else 'messages'} {what}" for n, what in counts if n]
        if not parts:
            return ""
        total = sending + unconfirmed + failed
        if self.outbox.kept():
            kept = "It stays" if total == 1 else "They stay"
            after = f"{kept} in the outbox on disk and will be shown when smstui starts again."
        else:  # the state is in memory this run: promising a restart would be a lie
            after = f"{'It is' if total == 1 else 'They are'} lost when smstui quits."
        sentences = [", ".join(parts) + ".", after]
        if sending:
            sentences.append("One still being sent may or may not reach the gateway.")
        if (sending or unconfirmed) and self.outbox.kept():
            sentences.append("Not confirmed messages are looked for again at the next start.")
        return " ".join(sentences)

    def _report_outbox_problem(self) -> None:
        if self.outbox.problem:
            self._screen.status_line.show(self.outbox.problem, "error")

    def edit(self, message: Message) -> None:
        """Take a failed message out of the conversation and put its text into the composer.

        Args:
            message: The failed bubble.
        """
        item = self.outbox.get(message.key)
        if item is None or not item.resendable:
            self._screen.app.bell()
            return
        self.outbox.remove(item.key)
        self._take_off_screen(item)
        self._screen.compose_flow.take_back(item.conversation, item.text)

    def local_messages(self, key: str) -> list[Outgoing]:
        """Return the unconfirmed messages of a conversation, to show when it opens."""
        return self.outbox.in_conversation(key)

    # The request -----------------------------------------------------------------------------

    def _start(self, item: Outgoing) -> None:
        self._screen.run_worker(self._deliver(item), group="send", exit_on_error=False, name="send")

    async def _deliver(self, item: Outgoing) -> None:
        """Send one message (one at a time, in order: :meth:`Sender.deliver`); show the result."""
        outcome = await self._sender.deliver(item)
        error = outcome.error
        if outcome.unknown:
            self._outcome_unknown(item)
        elif isinstance(error, AuthError):
            self._failed(item, error.user_message)
            self._screen.app.post_message(AuthenticationLost(error.user_message))
        elif error is not None:
            self._failed(item, error.user_message)
            if isinstance(error, ApiError) and error.code == OPT_OUT_ERROR:
                self._screen.compose_flow.replies.refused_as_opted_out(item.to)
        elif outcome.copy is not None and outcome.sent:
            self._confirm(item, outcome.copy)
        else:  # a dry run: the bubble says nothing went out
            self._show(item)

    def _failed(self, item: Outgoing, reason: str) -> None:
        self._show(item)
        if not self._is_open(item.conversation):
            self._screen.notify(f"Not sent: {reason}", severity="error", markup=False)

    # Outcome unknown: keep looking for the message; never conclude "not sent" ------------------

    def _outcome_unknown(self, item: Outgoing) -> None:
        self._show(item)
        self._start_check(item)

    def _start_check(self, item: Outgoing) -> None:
        if self.outbox.get(item.key) is item and item.status == OUTCOME_UNKNOWN:
            self._screen.run_worker(
                self._check(item), group="reconcile", exit_on_error=False, name="check sent message"
            )

    async def _check(self, item: Outgoing) -> None:
        """Fetch the conversation's newest page and look for the message in it."""
        page, _ = await self._screen.attempt(
            lambda: self._engine.conversation(
                item.conversation, item.to, page=1, limit=self._settings.conversation_page_size
            )
        )
        if self.outbox.get(item.key) is not item or item.status != OUTCOME_UNKNOWN:
            return  # found by a refresh meanwhile, or resent
        if page is not None:
            self._apply_page(item.conversation, page)
            if self.outbox.get(item.key) is not item:
                return  # found
        item.checks += 1
        if item.checks >= RECONCILE_LOOKS:
            # Still "not confirmed": a refresh, a restart or the user settles it, never a guess.
            self.outbox.stop_looking(item.key)
            self._show(item)
            return
        if item.checks == 1:
            self._show(item)  # the note says what is going on
        pause = min(self._settings.status_refresh * 2 ** (item.checks - 1), RECONCILE_MAX_PAUSE)
        self._screen.set_timer(pause, lambda: self._start_check(item))

    def _apply_page(self, conversation: str, page: Page[Message]) -> None:
        thread = self._screen.thread
        if thread is not None and thread.key == conversation and thread.pages_loaded:
            self._screen.live.merge_page(thread, page)
            return
        found = self.claim(conversation, page.items)
        self._screen.session.messages_seen((conversation, copy) for _, copy in found)

    def claim(self, conversation: str, items: Sequence[Message]) -> list[tuple[str, Message]]:
        """Match unconfirmed messages of a conversation with their copies on a fresh page.

        Call it before merging any newest page, so a copy never shows next to its bubble.

        Args:
            conversation: The conversation key.
            items: The page's messages.

        Returns:
            ``(bubble key, copy)`` for every message found; they leave the outbox.
        """
        found: list[tuple[str, Message]] = []
        taken = set(self.confirmed)
        for item in self.outbox.unresolved(conversation):
            copy = find_sent_copy(item, items, taken)
            if copy is not None:
                taken.add(copy.key)
                self.confirmed.add(copy.key)
                self.outbox.remove(item.key)
                found.append((item.key, copy))
        return found

    # Keeping the screen right ------------------------------------------------------------------

    def _is_open(self, conversation: str) -> bool:
        thread = self._screen.thread
        return thread is not None and thread.key == conversation and thread.pages_loaded > 0

    def _known_keys(self, conversation: str) -> Iterable[str]:
        thread = self._screen.thread
        if thread is None or thread.key != conversation:
            return ()
        return [message.key for message in thread.messages[-200:]]

    def _show(self, item: Outgoing, *, new: bool = False) -> None:
        """Draw a bubble's current state in the conversation (if open) and in the list."""
        screen = self._screen
        message = item.message
        if self._is_open(item.conversation) and screen.thread is not None:
            pane = screen.message_pane
            if new and screen.thread.newer_missing:
                # A window in the middle: the message goes under the newest, so show those.
                screen.threads.show_newest(item.conversation)
            elif new:
                screen.thread.append(message)
                pane.append_new([message], reveal=True)
            else:
                screen.thread.replace(message)
                pane.update_messages([message])
            pane.set_note(item.key, item.note)
        screen.session.messages_seen([(item.conversation, message)])

    def _take_off_screen(self, item: Outgoing) -> None:
        thread = self._screen.thread
        if thread is not None and thread.key == item.conversation:
            thread.remove(item.key)
            self._screen.message_pane.remove_message(item.key)

    def _confirm(self, item: Outgoing, message: Message) -> None:
        """The gateway took the message (it left the outbox): the bubble becomes its copy."""
        self.confirmed.add(message.key)
        thread = self._screen.thread
        if thread is not None and thread.key == item.conversation:
            thread.swap(item.key, message)
            self._screen.message_pane.replace_message(item.key, message)
        self._screen.session.reply_sent(item.conversation, message)
        self._screen.live.watch_delivery(restart=True)
