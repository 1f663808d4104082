"""Measurement machinery shared by the smstui benchmarks (method: README.md, perf-anchors §1).

* :func:`instrumented` makes an ``App`` subclass whose ``_display`` charges the ANSI
  serialisation the headless driver skips (``render_segments``) and records every frame.
* :func:`send_key` injects a key exactly like ``Pilot._press_keys`` (``driver.send_message``)
  but without Pilot's idle waits; :func:`press` times it to the end of the last frame written.
* :class:`GcMonitor` records every garbage-collector pause through ``gc.callbacks``.
* :func:`make_messages` / :func:`make_summaries` build deterministic synthetic data.
* :func:`isolate_home` keeps every benchmark away from the real home directory.

Each benchmark script prints one ``RESULT {json}`` line that ``run_all.py`` collects.
"""

from __future__ import annotations

import asyncio
import atexit
import gc
import inspect
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ANCHOR = 1795780800
"""2026-11-27 12:00 UTC: "now" on every fixed clock and in the fake gateway's data."""

SIZE = (120, 40)
"""Terminal size of every benchmark (as in perf-anchors)."""

QUIET = 0.06
"""A frame sequence is over when no frame came for this long (more than three 60 fps ticks)."""

RESULT_PREFIX = "RESULT "


# Environment -------------------------------------------------------------------------------------


def isolate_home() -> Path:
    """Point HOME and XDG_* at a private temporary directory (unless run_all already did).

    Also turns Textual's animations off, as in the anchors' measurements.
    """
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    existing = os.environ.get("SMSTUI_BENCH_HOME")
    if existing:
        home = Path(existing)  # run_all's; it removes the directory at the end
    else:
        home = Path(tempfile.mkdtemp(prefix="smstui-bench-"))
        atexit.register(shutil.rmtree, home, ignore_errors=True)
    for name, sub in (
        ("HOME", ""),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
    ):
        os.environ[name] = str(home / sub) if sub else str(home)
    os.environ["SMSTUI_BENCH_HOME"] = str(home)
    # No real credentials may leak in from the environment.
    os.environ.pop("SMSTOOLS_CLIENT_ID", None)
    os.environ.pop("SMSTOOLS_CLIENT_SECRET", None)
    os.environ.pop("SMSTOOLS_CONFIG", None)
    return home


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (``ru_maxrss``)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def emit(result: dict[str, Any]) -> None:
    """Print the machine-readable result line for run_all.py."""
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def ms(seconds: float | None) -> float | None:
    """Seconds to milliseconds, rounded to 0.1 (None stays None)."""
    return None if seconds is None else round(seconds * 1000, 1)


def median_ms(values: Iterable[float | None]) -> float | None:
    """Median in ms of the values that are not None."""
    present = [v for v in values if v is not None]
    return ms(statistics.median(present)) if present else None


def worst_ms(values: Iterable[float | None]) -> float | None:
    """Maximum in ms of the values that are not None."""
    present = [v for v in values if v is not None]
    return ms(max(present)) if present else None


# Frames ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame written (headless: serialised to ANSI and dropped)."""

    start: float
    end: float
    """``perf_counter`` after serialisation: when a terminal would have received it."""
    cpu: float
    """``process_time`` at ``end``."""
    size: int
    """Characters of terminal output."""


@dataclass
class FrameLog:
    """Every frame of an instrumented app, and listeners called after each one."""

    frames: list[Frame] = field(default_factory=list)
    listeners: list[Callable[[Frame], None]] = field(default_factory=list)

    def since(self, moment: float) -> list[Frame]:
        """Frames that started at or after ``moment``."""
        return [frame for frame in self.frames if frame.start >= moment]


class _FrameRecorder:
    """Mixin placed before an ``App`` class: records frames in :attr:`frame_log`."""

    frame_log: FrameLog

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.frame_log = FrameLog()
        super().__init__(*args, **kwargs)

    def _display(self, screen: Any, renderable: Any) -> None:
        from textual._compositor import CompositorUpdate

        app: Any = self
        if renderable is None or app._batch_count or not isinstance(renderable, CompositorUpdate):
            super()._display(screen, renderable)  # type: ignore[misc]
            return
        start = time.perf_counter()
        # The headless driver writes nothing; serialise anyway so the frame costs what it would
        # on a terminal (perf-anchors §1).
        output = renderable.render_segments(app.console)
        super()._display(screen, renderable)  # type: ignore[misc]
        frame = Frame(start, time.perf_counter(), time.process_time(), len(output))
        self.frame_log.frames.append(frame)
        for listener in list(self.frame_log.listeners):
            listener(frame)


def instrumented(app_class: type[Any]) -> type[Any]:
    """Return a subclass of ``app_class`` that records every frame (see :class:`FrameLog`).

    ``_BASE_PATH`` keeps a relative ``CSS_PATH`` resolving next to the original class.
    """
    return type(
        f"Instrumented{app_class.__name__}",
        (_FrameRecorder, app_class),
        {"_BASE_PATH": inspect.getfile(app_class)},
    )


async def settle(
    app: Any, since: float, *, quiet: float = QUIET, no_frame_timeout: float = 1.0
) -> Frame | None:
    """Wait until frames stop coming; return the last frame that started after ``since``.

    Returns None when no frame came within ``no_frame_timeout``.
    """
    log: FrameLog = app.frame_log
    while True:
        await asyncio.sleep(0.002)
        now = time.perf_counter()
        frames = log.since(since)
        if frames:
            if now - frames[-1].end >= quiet:
                return frames[-1]
        elif now - since >= no_frame_timeout:
            return None


def send_key(app: Any, key: str) -> None:
    """Inject one key event exactly as ``App._press_keys`` does, without its waits."""
    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    char: str | None
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


@dataclass(frozen=True, slots=True)
class KeyTiming:
    """One key press: key → end of the last frame it caused, and process CPU until then."""

    key: str
    latency: float | None
    """None when the key caused no frame."""
    cpu: float | None
    frames: int
    gc: float = 0.0
    """Seconds of GC pauses inside the latency (when a monitor was given)."""


async def press(app: Any, key: str, gc_monitor: GcMonitor | None = None) -> KeyTiming:
    """Press one key and time it to the end of the last frame written."""
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    send_key(app, key)
    last = await settle(app, t0, no_frame_timeout=0.3)
    if last is None:
        return KeyTiming(key, None, None, 0)
    count = len(app.frame_log.since(t0))
    paused = gc_monitor.within(t0, last.end) if gc_monitor else 0.0
    return KeyTiming(key, last.end - t0, last.cpu - cpu0, count, paused)


async def first_idle(app: Any) -> None:
    """Wait for the app's start-up frames to end."""
    await settle(app, 0.0, quiet=0.15, no_frame_timeout=5.0)


# Garbage collection ------------------------------------------------------------------------------


class GcMonitor:
    """Records each GC pause (start, seconds, generation) while installed in ``gc.callbacks``."""

    def __init__(self) -> None:
        self.pauses: list[tuple[float, float, int]] = []
        self._started = 0.0
        self._mark = 0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            duration = time.perf_counter() - self._started
            self.pauses.append((self._started, duration, info["generation"]))

    def __enter__(self) -> GcMonitor:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def mark(self) -> None:
        """Start a new phase: :meth:`largest_since_mark` looks only at later pauses."""
        self._mark = len(self.pauses)

    def largest_since_mark(self) -> tuple[float, int]:
        """Largest pause (seconds, generation) since :meth:`mark`; (0, -1) if none."""
        recent = [(duration, generation) for _, duration, generation in self.pauses[self._mark :]]
        return max(recent, default=(0.0, -1))

    def within(self, start: float, end: float) -> float:
        """Seconds spent in GC pauses that began between ``start`` and ``end``."""
        return sum(duration for began, duration, _ in self.pauses if start <= began <= end)


# Synthetic data ----------------------------------------------------------------------------------

_VOCABULARY = (
    "ok yes no see you at the station tomorrow call me when you are free thanks a lot "
    "meeting moved to three invoice sent please confirm the delivery address parcel "
    "arrives friday morning running late sorry traffic on the ring road can you pick up "
    "milk and bread on the way home dinner is ready appointment reminder your code is "
    "verification happy birthday congratulations on the new job let me know how it went"
)
_WORDS = _VOCABULARY.split()
_EXOTIC = ("🎉", "👍", "😀", "🙏", "東京で会いましょう", "谢谢你的帮助", "좋아요", "✅")
_STATUSES = ("DELIVERED",) * 8 + ("SUBMITTED", "FAILED")


def _body(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.55:
        count = rng.randint(1, 12)
    elif roll < 0.90:
        count = rng.randint(12, 40)
    else:
        count = rng.randint(40, 120)
    words = rng.choices(_WORDS, k=count)
    if rng.random() < 0.08:
        words.insert(rng.randrange(len(words) + 1), rng.choice(_EXOTIC))
    if rng.random() < 0.03:
        path = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=rng.randint(40, 130)))
        words.insert(rng.randrange(len(words) + 1), f"https://example.com/t/{path}")
    if rng.random() < 0.05 and len(words) > 2:
        words.insert(rng.randrange(1, len(words)), "\n")
    text = " ".join(words).replace(" \n ", "\n")
    return text[:1].upper() + text[1:]


def make_messages(count: int, *, seed: int = 1, newest: int = ANCHOR) -> list[Any]:
    """Return ``count`` deterministic messages, oldest first, the newest at ``newest``.

    Generated from the newest backwards, so the newest messages (what a pane opens on) are the
    same whatever ``count`` is: key timings at different N scroll through identical bubbles.
    Bodies follow perf-anchors §1: 55% short, 35% medium, 10% long, 8% emoji/CJK, 3% long URL,
    5% a newline; 4% carry attachments; inbound/outbound 50/50; 1-30 minutes apart.
    """
    from smstui.domain.models import Attachment, Message

    rng = random.Random(seed)
    ours, theirs = "32470000001", "48512345678"
    messages = []
    stamp = newest
    for age in range(count):
        outbound = rng.random() < 0.5
        attachments: tuple[Attachment, ...] = ()
        if rng.random() < 0.04:
            attachments = tuple(
                Attachment(f"photo-{age}-{n}.jpg", f"https://example.com/f/{age}/{n}", "image")
                for n in range(rng.randint(1, 2))
            )
        messages.append(
            Message(
                key=f"id:{seed}-{age}",
                message_id=f"{seed}-{age}",
                outbound=outbound,
                sender=ours if outbound else theirs,
                receiver=theirs if outbound else ours,
                text=_body(rng),
                attachments=attachments,
                timestamp=stamp,
                status=rng.choice(_STATUSES) if outbound else "",
            )
        )
        stamp -= rng.randint(60, 1800)
    messages.reverse()
    return messages


def make_summaries(count: int, *, seed: int = 2, newest: int = ANCHOR) -> list[Any]:
    """Return ``count`` deterministic conversation rows, newest first."""
    from smstui.domain.conversations import ConversationSummary

    rng = random.Random(seed)
    rows = []
    stamp = newest
    first = ("Anna", "Piotr", "Marie", "Jan", "Sofie", "Lukas", "Eva", "Tomasz", "")
    last = ("Nowak", "Peeters", "Dubois", "Kowalski", "Janssens", "Wójcik", "")
    for index in range(count):
        stamp -= rng.randint(30, 7200)
        number = f"48{500000000 + index * 7919 % 400000000:09d}"
        name = f"{rng.choice(first)} {rng.choice(last)}".strip()
        outbound = rng.random() < 0.3
        rows.append(
            ConversationSummary(
                key=number,
                number=number,
                name=name,
                preview=_body(rng),
                timestamp=stamp,
                own_number="32470000001",
                unread=rng.choice((0, 0, 0, 1, 3)),
                last_outbound=outbound,
                last_status="DELIVERED" if outbound else "",
            )
        )
    return rows


def screen_rows(app: Any, width: int | None = None) -> list[tuple[str, str | None]]:
    """Every screen row as (plain text, first ``message_key`` meta on it or None).

    ``width`` crops each row (to leave out a scrollbar, whose thumb moves when content is added).
    """
    rows = []
    for full in app.screen._compositor.render_strips():
        strip = full if width is None else full.crop(0, width)
        key = None
        for segment in strip:
            style = segment.style
            if style is not None and style.meta.get("message_key"):
                key = style.meta["message_key"]
                break
        rows.append((strip.text, key))
    return rows
