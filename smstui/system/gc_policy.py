"""Keep loaded history out of the cyclic GC's full passes without freezing garbage.

A full (generation 2) collection traverses every GC-tracked object: about 90,000 for Python,
Textual, the app and the demo gateway, plus about 1.1 per loaded message. On a shared 2-core
machine that is 45 ms with nothing loaded and over 50 ms at 100,000 messages, and it lands on
whatever key is being handled. ``gc.freeze()`` moves every tracked object into a permanent
generation that collections skip, so once a page is in, the passes cover only newer objects.

``gc.freeze()`` alone freezes whatever cyclic garbage exists at that moment too, and objects
that were alive when frozen (widgets rebuilt on a focus change, the finished page load's worker)
are never reclaimed when they die later: the app grew by megabytes per conversation switch.
So after a page is taken in (and painted, outside the worker that fetched it):

* a collection first reclaims the garbage. Frozen objects are skipped, so it only traverses
  what was created since the last freeze;
* then what is left, all of it live, is frozen.

Objects frozen alive that die later still wait in the permanent generation. When it has grown
by a quarter since the last full pass (the rule CPython uses for its own full passes), the first
page of the next conversation opened unfreezes everything, so that one collection is a full
pass. That costs one full pass every few dozen conversation switches, on opening one rather
than on a key in a long thread, and keeps the waiting garbage to a few megabytes.
"""

from __future__ import annotations

import gc

__all__ = ["HistoryGc", "history_gc"]

MIN_GROWTH = 20_000
"""Objects that may be frozen after a full pass before the next is due, however few were live."""


class HistoryGc:
    """When to collect, freeze and unfreeze (the GC is per process: see :data:`history_gc`).

    It counts what it freezes itself: ``gc.get_freeze_count()`` walks the whole permanent
    generation, several milliseconds at 100,000 frozen objects.
    """

    def __init__(self) -> None:
        self._live_after_full_pass = 0
        """Objects live after the last full pass (0: none yet)."""
        self._frozen_since = 0
        """Objects frozen since then (some may have died since: an estimate from above)."""
        self.full_passes = 0
        """How many full passes :meth:`page_taken_in` has made (for tests and benchmarks)."""

    def full_pass_due(self) -> bool:
        """Whether enough was frozen since the last full pass for it to be worth another."""
        return self._frozen_since > max(MIN_GROWTH, self._live_after_full_pass // 4)

    def page_taken_in(self, *, first_page: bool) -> None:
        """Collect, then freeze what is live; on a conversation's first page, a full pass if due.

        Call it once the page is painted and its load has finished, so neither the load's own
        objects nor its garbage are frozen.

        Args:
            first_page: The page is the newest page of a conversation just opened.
        """
        full = not self.full_passes or (first_page and self.full_pass_due())
        if full:
            gc.unfreeze()
        gc.collect()
        # A full collection leaves every survivor in the oldest generation: these are new.
        survivors = len(gc.get_objects(generation=2))
        gc.freeze()
        if full:
            self.full_passes += 1
            self._live_after_full_pass = survivors
            self._frozen_since = 0
        else:
            self._frozen_since += survivors


history_gc = HistoryGc()
"""The app's policy: one per process, like the garbage collector itself."""
