"""The fake gateway's mutable state: conversations, new messages, sends and their statuses.

Historical messages are generated on demand from :mod:`.dataset` and cached; new messages
(sends, delivered inbound texts, scheduled arrivals) are kept per conversation and are always
newer than every historical one, so every list is "new messages, newest first" followed by
"historical messages, newest first". All public methods take the state's re-entrant lock, so
the server threads and test code may call them concurrently.
"""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from smstui.fake.content import (
    FileRef,
    StoredMessage,
    generate_message,
    make_files,
    new_message_id,
    row_id,
    send_outcome,
)
from smstui.fake.corpus import ALPHA_SENDERS, alpha_text, compose_text, sms_parts
from smstui.fake.dataset import (
    BLOCK,
    Contact,
    Directory,
    ThreadSpec,
    block_times,
    inbound_mask,
    own_number_for,
    thread_seed,
)
from smstui.fake.merge import MergedIndex, Position
from smstui.fake.names import mobile_number
from smstui.fake.sending import SendOrder, normalise_number

_CACHE_SIZE = 40_000
_LANG_BY_PREFIX = (("48", "pl"), ("31", "nl"), ("32", "nl"))


@dataclass(slots=True)
class Thread:
    """One conversation: its generated history plus the messages added since start."""

    spec: ThreadSpec
    activity: int
    added: list[StoredMessage] = field(default_factory=list)
    """New messages, oldest first."""
    masks: list[int] | None = None
    times: dict[int, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScheduledSend:
    """A send with a future ``date``, listed by ``GET /outbox`` until it is due."""

    outbox_id: str
    message_id: str
    number: str
    order: SendOrder


Page = tuple[int, list[StoredMessage]]
"""(total, items of the requested window)."""


class GatewayState:
    """Conversations and messages of one fake gateway (see module docstring)."""

    def __init__(
        self,
        directory: Directory,
        *,
        seed: int,
        anchor: int,
        status_delays: tuple[float, float],
        inbound_every: float | None,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float],
    ) -> None:
        self.lock = threading.RLock()
        self.directory = directory
        self._seed = seed
        self._delays = status_delays
        self._inbound_every = inbound_every
        self._monotonic = monotonic
        self._wall = wall
        self._threads = [Thread(spec, spec.newest) for spec in directory.threads]
        self._by_number = {t.spec.number: t for t in self._threads}
        self._added_in: list[StoredMessage] = []
        self._added_out: list[StoredMessage] = []
        self._indexes: dict[tuple[bool, str | None], MergedIndex] = {}
        self._cache: OrderedDict[tuple[int, int], StoredMessage] = OrderedDict()
        # New messages are never older than the data set's "now", nor than anything else.
        self._latest = max([anchor - 1, *(spec.newest for spec in directory.threads)])
        self._rng = random.Random(f"live:{seed}")
        self._scheduled: list[ScheduledSend] = []
        self._outbox_seq = 7300
        self._started: float | None = None
        self._arrivals = 0
        self._broken_key: tuple[int, int] | None = None

    # -- lookups -------------------------------------------------------------------------

    def thread(self, number: str) -> Thread | None:
        """The conversation with a counterparty (digits in any usual form, or a sender name)."""
        with self.lock:
            found = self._by_number.get(number)
            if found is None:
                digits = normalise_number(number)
                found = self._by_number.get(digits) if digits else None
            return found

    def conversation_numbers(self) -> list[str]:
        """All counterparties, newest activity first."""
        with self.lock:
            ordered = sorted(self._threads, key=lambda t: (-t.activity, t.spec.ordinal))
            return [t.spec.number for t in ordered]

    def name_contact(self, number: str, firstname: str, lastname: str) -> None:
        """Give an existing conversation's counterparty this address-book name.

        Raises:
            KeyError: No conversation with ``number``.
        """
        with self.lock:
            thread = self.thread(number)
            if thread is None:
                raise KeyError(number)
            spec = thread.spec
            contact = spec.contact or Contact(
                90_000 + spec.ordinal, spec.number, "", "", "", "", ""
            )
            named = replace(contact, firstname=firstname, lastname=lastname)
            thread.spec = replace(spec, contact=named)

    def contacts(self) -> list[Contact]:
        """Address-book entries, by ID."""
        with self.lock:
            return [t.spec.contact for t in self._threads if t.spec.contact is not None]

    # -- pages ---------------------------------------------------------------------------

    def conversation(self, number: str, offset: int, limit: int) -> Page:
        """A window of one conversation, newest first; an unknown number is an empty one."""
        with self.lock:
            thread = self.thread(number)
            if thread is None:
                return 0, []
            added = thread.added
            total = len(added) + thread.spec.count
            items = [
                added[-1 - pos] if pos < len(added) else self._generated(thread, pos - len(added))
                for pos in range(offset, min(total, offset + limit))
            ]
            return total, items

    def inbound(self, receiver: str | None, offset: int, limit: int) -> Page:
        """A window of received messages over all conversations (or one of our numbers)."""
        with self.lock:
            added = [m for m in reversed(self._added_in) if receiver in (None, m.receiver)]
            return self._merged_page(added, self._index(True, receiver), offset, limit)

    def outbound(self, offset: int, limit: int) -> Page:
        """A window of the sent history over all conversations."""
        with self.lock:
            added = list(reversed(self._added_out))
            return self._merged_page(added, self._index(False, None), offset, limit)

    def status(self, msg: StoredMessage) -> str:
        """Current delivery status; live sends move on with the real clock."""
        with self.lock:
            if msg.sent_at is None:
                return msg.status
            elapsed = self._monotonic() - msg.sent_at
            if elapsed >= self._delays[1]:
                msg.sent_at = None
                return msg.status
            return "BUFFERED" if elapsed >= self._delays[0] and msg.buffered else "SUBMITTED"

    def outbox(self) -> list[ScheduledSend]:
        """Scheduled sends not yet due, newest first."""
        with self.lock:
            return list(reversed(self._scheduled))

    def cancel_scheduled(self, outbox_id: str) -> bool:
        """Drop a scheduled send; False when there is no such ID."""
        with self.lock:
            kept = [s for s in self._scheduled if s.outbox_id != outbox_id]
            found = len(kept) != len(self._scheduled)
            self._scheduled = kept
            return found

    def now(self) -> float:
        """The gateway's wall clock: epoch seconds."""
        return self._wall()

    # -- changes -------------------------------------------------------------------------

    def start_clock(self) -> None:
        """Start the schedule of inbound arrivals (``inbound_every``)."""
        with self.lock:
            if self._started is None:
                self._started = self._wall()

    def send(self, order: SendOrder) -> list[str]:
        """Carry out a validated send and return the message IDs, one per recipient."""
        with self.lock:
            ids = [new_message_id(self._rng) for _ in order.recipients]
            if order.test:
                return ids
            for number, message_id in zip(order.recipients, ids, strict=True):
                if order.schedule_at is not None:
                    self._outbox_seq += 1
                    outbox_id = str(self._outbox_seq)
                    self._scheduled.append(ScheduledSend(outbox_id, message_id, number, order))
                else:
                    self._store_sent(number, message_id, order, None)
            return ids

    def deliver_inbound(
        self, sender: str, text: str, receiver: str | None = None, attachments: int = 0
    ) -> None:
        """Receive a new SMS now; the conversation is created when it is new."""
        with self.lock:
            thread = self._thread_for(normalise_number(sender) or sender.strip())
            files = make_files(self._rng, thread.spec.lang, attachments) if attachments else ()
            self._add_inbound(thread, text, receiver or thread.spec.own, files, None)

    def shift(self, number: str | None, count: int) -> None:
        """Insert ``count`` new inbound texts at the top of a conversation (or the newest)."""
        with self.lock:
            thread = self.thread(number) if number else None
            digits = normalise_number(number) if number else None
            if thread is None and digits:
                thread = self._thread_for(digits)
            if thread is None:
                thread = self._by_number[self.conversation_numbers()[0]]
            for _ in range(count):
                self._add_inbound(
                    thread, self._inbound_text(self._rng, thread), thread.spec.own, (), None
                )

    def advance_statuses(self) -> None:
        """Settle every live send on its final status immediately."""
        with self.lock:
            for msg in self._added_out:
                msg.sent_at = None

    def catch_up(self) -> None:
        """Carry out what the clock says is due: scheduled sends and scheduled arrivals."""
        with self.lock:
            now = self._wall()
            due = [s for s in self._scheduled if (s.order.schedule_at or 0) <= now]
            if due:
                self._scheduled = [s for s in self._scheduled if s not in due]
                for item in due:
                    self._store_sent(
                        item.number, item.message_id, item.order, item.order.schedule_at
                    )
            if self._inbound_every and self._started is not None:
                target = int((now - self._started) // self._inbound_every)
                self._arrivals = max(self._arrivals, target - 50)  # a long sleep: only the last 50
                while self._arrivals < target:
                    self._arrivals += 1
                    self._scheduled_arrival(self._started + self._arrivals * self._inbound_every)

    # -- internals -----------------------------------------------------------------------

    def _next_ts(self, at: float | None) -> int:
        """A timestamp for a new message: now, but always after everything that exists."""
        ts = max(int(self._wall() if at is None else at), self._latest + 1)
        self._latest = ts
        return ts

    def _thread_for(self, number: str) -> Thread:
        existing = self.thread(number)
        if existing is not None:
            return existing
        lang = next((lang for prefix, lang in _LANG_BY_PREFIX if number.startswith(prefix)), "en")
        spec = ThreadSpec(
            ordinal=len(self._threads), number=number, own=own_number_for(number), lang=lang,
            topic="shop", alpha=not number.isdigit(), count=0, newest=0, mean_gap=3600,
            greet="", seed=thread_seed(self._seed, number),
        )  # fmt: skip
        thread = Thread(spec, 0)
        self._threads.append(thread)
        self._by_number[number] = thread
        return thread

    def _store_sent(self, number: str, message_id: str, order: SendOrder, at: float | None) -> None:
        thread = self._thread_for(number)
        ts = self._next_ts(at)
        final, buffered = send_outcome(message_id)
        msg = StoredMessage(
            ts=ts, outbound=True, text=order.text, sender=order.sender, receiver=number, files=(),
            message_id=message_id, row_id=row_id(ts, thread.spec.ordinal),
            parts=sms_parts(order.text), status=final, sent_at=self._monotonic(),
            buffered=buffered, reference=order.reference,
        )  # fmt: skip
        thread.added.append(msg)
        thread.activity = ts
        self._added_out.append(msg)

    def _add_inbound(
        self, thread: Thread, text: str, receiver: str, files: tuple[FileRef, ...], at: float | None
    ) -> None:
        ts = self._next_ts(at)
        msg = StoredMessage(
            ts=ts, outbound=False, text=text, sender=thread.spec.number, receiver=receiver,
            files=files, message_id=None, row_id=row_id(ts, thread.spec.ordinal),
            parts=sms_parts(text), status="DELIVERED",
        )  # fmt: skip
        thread.added.append(msg)
        thread.activity = ts
        self._added_in.append(msg)

    @staticmethod
    def _inbound_text(rng: random.Random, thread: Thread) -> str:
        spec = thread.spec
        if spec.number in ALPHA_SENDERS:
            return alpha_text(rng, spec.number)
        return compose_text(rng, spec.lang, spec.topic, True, spec.greet or "")

    def _scheduled_arrival(self, at: float) -> None:
        rng = random.Random(self._seed * 7919 + self._arrivals)
        roll = rng.random()
        if roll < 0.15:
            thread = rng.choice([t for t in self._threads if t.spec.alpha and t.spec.count])
        elif roll < 0.25:
            thread = self._thread_for(mobile_number(rng, rng.choice(("pl", "be", "nl"))))
        else:
            recent = [n for n in self.conversation_numbers() if not self._by_number[n].spec.alpha]
            thread = self._by_number[rng.choice(recent[:25])]
        files = make_files(rng, thread.spec.lang, 1) if rng.random() < 0.06 else ()
        self._add_inbound(thread, self._inbound_text(rng, thread), thread.spec.own, files, at)

    def _masks(self, thread: Thread) -> list[int]:
        if thread.masks is None:
            blocks = -(-thread.spec.count // BLOCK)
            thread.masks = [inbound_mask(thread.spec, k) for k in range(blocks)]
        return thread.masks

    def _times(self, thread: Thread, block: int) -> tuple[int, ...]:
        times = thread.times.get(block)
        if times is None:
            times = thread.times[block] = block_times(thread.spec, block)
        return times

    def _generated(self, thread: Thread, index: int) -> StoredMessage:
        key = (thread.spec.ordinal, index)
        msg = self._cache.get(key)
        if msg is not None:
            self._cache.move_to_end(key)
            return msg
        block, j = divmod(index, BLOCK)
        inbound = bool(self._masks(thread)[block] >> j & 1)
        ts = self._times(thread, block)[j]
        msg = generate_message(thread.spec, index, ts, inbound, broken_mime=key == self._broken())
        self._cache[key] = msg
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return msg

    def _broken(self) -> tuple[int, int]:
        """Where the vendor's broken ``image/`` attachment lives: near the top of the largest."""
        if self._broken_key is None:
            largest = self._by_number[self.directory.largest]
            mask = self._masks(largest)[0]
            index = next((j for j in range(1, BLOCK) if mask >> j & 1), 1)
            self._broken_key = (largest.spec.ordinal, index)
        return self._broken_key

    def _positions(self, thread: Thread, inbound: bool) -> Iterator[Position]:
        for block, raw in enumerate(self._masks(thread)):
            size = min(BLOCK, thread.spec.count - block * BLOCK)
            mask = raw if inbound else ~raw & ((1 << size) - 1)
            if not mask:
                continue
            times = self._times(thread, block)
            base = block * BLOCK
            while mask:
                low = mask & -mask
                j = low.bit_length() - 1
                yield times[j], base + j
                mask ^= low

    def _index(self, inbound: bool, receiver: str | None) -> MergedIndex:
        index = self._indexes.get((inbound, receiver))
        if index is None:
            sources = []
            for thread in self._threads:
                spec = thread.spec
                if spec.count and receiver in (None, spec.own):
                    received = sum(mask.bit_count() for mask in self._masks(thread))
                    count = received if inbound else spec.count - received
                    sources.append((spec.ordinal, spec.newest, count))
            index = MergedIndex(sources, lambda o: self._positions(self._threads[o], inbound))
            self._indexes[(inbound, receiver)] = index
        return index

    def _merged_page(
        self, added: list[StoredMessage], index: MergedIndex, offset: int, limit: int
    ) -> Page:
        items = added[offset : offset + limit]
        rest = limit - len(items)
        if rest > 0:
            start = max(0, offset - len(added))
            for ordinal, gen_index in index.window(start, rest):
                items.append(self._generated(self._threads[ordinal], gen_index))
        return len(added) + index.total, items
