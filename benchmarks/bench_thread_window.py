"""Reading the thread pane's window back from the store (issue 18): 50 and 500 messages.

Run::

    .venv/bin/python benchmarks/bench_thread_window.py [--messages 12345] [--runs 200]

What the pane draws is read from the store: a page from the gateway is written, then read back
with ``MessageStore.as_stored`` (the page's span, in the store's order); a follower's page and
the first paint of a conversation are ``MessageStore.messages(key, limit=…, before=…)``. Both
are timed on a SQLite store file in a private temporary directory (removed at exit) holding one
conversation of ``--messages`` messages written through ``add_messages`` as gateway pages of
2,000, plus 200 small conversations around it. Windows of 50 and 500 messages are read at the
newest end and deep in the history; p50/p95/max in ms over ``--runs`` reads each. Goal: well
under a millisecond. Prints the figures and one ``RESULT {json}`` line.

``as_stored N`` reads as the engine does (it passes the page's first and last second); ``cold``
empties the store's cache of built messages before each read (a page never read before: every
message is built); ``by keys`` finds the seconds by looking every key up.

Measured on a shared 2-core machine at load average 0.7–1.1 (p50, ms; 12,345 messages):

=====================  =======  =========================================
read                    before   after
=====================  =======  =========================================
as_stored 50 newest      0.95     0.09 (cold 0.13, by keys 0.12)
as_stored 50 deep        1.12     0.09 (cold 0.13, by keys 0.12)
as_stored 500 newest     3.34     0.82 (cold 1.25, by keys 1.20)
as_stored 500 deep       3.65     0.84 (cold 1.24, by keys 1.19)
messages 50 deep         3.63     1.17
messages 500 deep        5.68     2.04
=====================  =======  =========================================

Before, each read looked its page's ends up with the conversation as an indexed term, so the
planner walked the whole conversation's index twice (O(conversation), not O(page)); it sorted
every row again for the ids within a second and parsed the attachments' JSON of every row.
Now the page's seconds come from the caller (or one key-index lookup each), one range of the
(conversation_key, timestamp) index is read in its order and the few same-second rows sorted in
Python; a message whose row comes back unchanged is the one built before (``BuiltMessages``,
2,048 messages at most); a new one is built positionally without JSON when it has no
attachments. A deep ``messages`` window counts its offset in the index alone.

What is left of a cold 500 is SQLite handing over 500 rows of 14 columns (about 0.65 ms) and
building the messages (about 0.4 ms). The index is (conversation_key, timestamp, key), not
(…, timestamp, id): a schema migration to the latter would let SQL return the exact order and
``messages`` skip its sort too.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import harness

from smstui.domain.models import Message
from smstui.store import SqliteStore

GOAL_MS = 1.0
ANCHOR = 1795780800
KEY = "48500100200"


def _message(index: int, number: str, now: int) -> Message:
    outbound = index % 3 == 0
    return Message(
        key=f"{number}-{index}",
        message_id=f"m{number}{index}" if outbound else None,
        outbound=outbound,
        sender="48600000001" if outbound else number,
        receiver=number if outbound else "48600000001",
        text=f"Message {index}: the order for week {index % 52} is on its way, thanks!",
        attachments=(),
        timestamp=now - 90 * (10**6) + index * 60,
        status="DELIVERED" if outbound else "",
    )


def build(path: Path, count: int) -> SqliteStore:
    store = SqliteStore.open(path)
    messages = [_message(i, KEY, ANCHOR) for i in range(count)]
    newest_first = messages[::-1]
    for start in range(0, count, 2000):
        store.add_messages(KEY, newest_first[start : start + 2000])
    rng = random.Random(18)
    for n in range(200):
        number = f"4851{n:07d}"
        small = [_message(i, number, ANCHOR - rng.randrange(10**6)) for i in range(30)]
        store.add_messages(number, small[::-1])
    return store


def timed(
    read: Callable[[], list[Message]],
    runs: int,
    size: int,
    before: Callable[[], None] = lambda: None,
) -> dict[str, float]:
    for _ in range(5):  # warm the page cache and the statement cache
        assert len(read()) == size
    times = []
    for _ in range(runs):
        before()
        started = time.perf_counter()
        read()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 3),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 3),
        "max_ms": round(times[-1], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=12_345)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="smstui-bench-window-"))
    try:
        store = build(directory / "store.sqlite3", args.messages)
        newest = store.messages(KEY, limit=args.messages)[::-1]  # newest first
        results: dict[str, dict[str, float]] = {}
        for size in (50, 500):
            for where, skip in (("newest", 0), ("deep", args.messages // 2)):
                window = newest[skip : skip + size]
                keys = [m.key for m in window]
                seconds = (window[-1].timestamp, window[0].timestamp)

                def engine_read(
                    keys: list[str] = keys, seconds: tuple[int, int] = seconds
                ) -> list[Message]:
                    return store.as_stored(KEY, keys, seconds=seconds)  # as the engine reads

                results[f"as_stored {size} {where}"] = timed(engine_read, args.runs, size)
                results[f"as_stored {size} {where} cold"] = timed(
                    engine_read,
                    args.runs,
                    size,
                    before=store._built.clear,  # every message built again
                )
                results[f"as_stored {size} {where} by keys"] = timed(
                    lambda keys=keys: store.as_stored(KEY, keys), args.runs, size
                )
                results[f"messages {size} {where}"] = timed(
                    lambda size=size, skip=skip: store.messages(KEY, limit=size, before=skip),
                    args.runs,
                    size,
                )
        store.close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print(f"One conversation of {args.messages:,} messages in SQLite; {args.runs} reads each")
    print(f"{'read':<31}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}   goal < {GOAL_MS} ms")
    for name, figures in results.items():
        verdict = "met" if figures["p95_ms"] < GOAL_MS else "NOT MET"
        print(
            f"{name:<31}{figures['p50_ms']:>9.3f}{figures['p95_ms']:>9.3f}"
            f"{figures['max_ms']:>9.3f}   {verdict}"
        )
    harness.emit({"bench": "thread_window", "messages": args.messages, "reads": results})


if __name__ == "__main__":
    main()
