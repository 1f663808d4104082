r"""Desktop notifications through the terminal, so they reach the user over SSH and in tmux.

A terminal can raise a desktop notification when the program inside it writes one of these
(``ESC ]`` is OSC, ``ESC \`` is ST, the string terminator):

- **OSC 777** ``ESC ] 777 ; notify ; TITLE ; BODY ST``: urxvt (with its ``notify`` extension),
  foot, WezTerm, Ghostty, VTE terminals built with Fedora's patch (GNOME Terminal, Ptyxis).
- **OSC 9** ``ESC ] 9 ; TEXT ST``: iTerm2, ConEmu, Windows Terminal, WezTerm, Ghostty.
- **OSC 99** kitty's protocol: ``ESC ] 99 ; i=ID:d=0 ; TITLE ST`` then
  ``ESC ] 99 ; i=ID:d=1:p=body ; BODY ST``; a payload that is not plain printable ASCII is sent
  base64-encoded with ``e=1``.
- **The bell** (BEL): every terminal; tmux marks the window, many terminals set the urgency
  hint. The fallback.

``method = "auto"`` picks from the environment only, never by asking the terminal or running
anything (:func:`detect_method`): kitty (``KITTY_WINDOW_ID``, ``TERM=xterm-kitty``) → OSC 99;
iTerm2 (``TERM_PROGRAM=iTerm.app``, ``LC_TERMINAL=iTerm2``, which ssh forwards with ``LC_*``),
Windows Terminal (``WT_SESSION``), ConEmu (``ConEmuPID``) → OSC 9; WezTerm, Ghostty, foot,
urxvt, VTE (``VTE_VERSION``) → OSC 777; anything else → the bell. Over SSH usually only ``TERM``
and ``LC_*`` arrive, so set ``method`` when auto cannot tell.

Inside tmux (``TMUX`` set) the sequence is wrapped for passthrough
(``ESC P tmux; <sequence, every ESC doubled> ESC \``), which tmux forwards to the outer terminal
only with ``set -g allow-passthrough on`` (tmux 3.3+); otherwise tmux drops it silently. So
inside tmux the bell rings as well (when ``bell`` is on): tmux then flags the window at least.

Network text never reaches the terminal as control: titles and bodies are cleaned
(:func:`clean_field`: escape sequences, C0/C1 controls, DEL, bidi overrides and lone surrogates
removed, whitespace flattened, length capped), ``;`` — the field separator of OSC 777 and the
command separator of OSC 9 in ConEmu and Windows Terminal (``9;4;…`` sets a progress bar) —
becomes ``,`` there, and kitty payloads that are not plain ASCII go as base64.

:class:`Notifier` decides *whether* and *what*: bursts within a short window combine into one
("3 new messages from 2 people"), nothing is written during quiet hours, and the preview level
(``none`` / ``sender`` / ``full``) decides how much shows. Mutes and focus are the caller's:
it passes only arrivals that may notify. Pure: no Textual; time comes from an injected clock.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from smstui.domain.sanitize import clean_line
from smstui.system.clock import Clock

__all__ = [
    "METHODS",
    "Arrival",
    "Notice",
    "Notifier",
    "Signal",
    "clean_field",
    "compose_notice",
    "detect_method",
    "in_quiet_hours",
    "inside_tmux",
    "osc9",
    "osc99",
    "osc777",
    "parse_quiet_hours",
    "resolve_method",
    "tmux_passthrough",
]

METHODS = ("auto", "osc777", "osc9", "osc99", "bell", "off")
"""The values of ``[notifications] method``."""

TITLE_CHARS = 80
BODY_CHARS = 200
"""Longest title and body, in characters (kitty allows 2048 bytes; others have no stated
limit, and a notification is a glance, not a reader)."""

ESC = "\x1b"
ST = "\x1b\\"
BEL = "\x07"

_JOINERS = frozenset("\u200c\u200d")
"""Zero-width (non-)joiners: format characters that emoji and some scripts need."""


@dataclass(frozen=True, slots=True)
class Arrival:
    """One new received message that may be notified."""

    key: str
    """Its conversation key (to count the people)."""
    who: str
    """The contact name or the formatted number (untrusted: a contact name is network text)."""
    text: str
    """The message text (untrusted)."""


@dataclass(frozen=True, slots=True)
class Notice:
    """What a notification says: a title and a body (either may be empty, not both)."""

    title: str
    body: str = ""


@dataclass(frozen=True, slots=True)
class Signal:
    """What to write to the terminal for one notification."""

    sequence: str
    """The escape sequence(s) to write ("" for none)."""
    bell: bool
    """Ring the bell too."""
    notice: Notice
    """What it says (kept for the log and the tests)."""


# Detection ----------------------------------------------------------------------------------


def inside_tmux(environ: Mapping[str, str]) -> bool:
    """Whether this process runs inside tmux (``TMUX`` is set)."""
    return bool(environ.get("TMUX"))


def detect_method(environ: Mapping[str, str]) -> str:
    """Pick the notification method the terminal most likely understands, from the environment.

    Args:
        environ: The process environment.

    Returns:
        ``"osc99"``, ``"osc9"``, ``"osc777"`` or ``"bell"`` (see the module docstring).
    """
    term = environ.get("TERM", "").lower()
    program = environ.get("TERM_PROGRAM", "").lower()
    if environ.get("KITTY_WINDOW_ID") or term == "xterm-kitty":
        return "osc99"
    if (
        program == "iterm.app"
        or environ.get("LC_TERMINAL", "").lower() == "iterm2"
        or environ.get("ITERM_SESSION_ID")
        or environ.get("WT_SESSION")
        or environ.get("ConEmuPID")
    ):
        return "osc9"
    if (
        program in ("wezterm", "ghostty")
        or any(name.startswith("WEZTERM_") for name in environ)
        or environ.get("GHOSTTY_RESOURCES_DIR")
        or term in ("wezterm", "xterm-ghostty")
        or term.startswith(("foot", "rxvt-unicode"))
        or environ.get("VTE_VERSION")
    ):
        return "osc777"
    return "bell"


def resolve_method(setting: str, environ: Mapping[str, str]) -> str:
    """The method to use: the setting, or what :func:`detect_method` finds for ``auto``."""
    return detect_method(environ) if setting == "auto" else setting


# Sequences ----------------------------------------------------------------------------------


def clean_field(text: str, limit: int) -> str:
    """Make untrusted text safe inside an OSC payload: one line, no controls, at most ``limit``.

    Escape sequences are dropped and controls shown as pictures by
    :func:`smstui.domain.sanitize.clean_line`; then every character that is not printable (controls
    of any kind, bidi and other format characters but the zero-width joiners, surrogates,
    unassigned code points) is removed, so no ESC, BEL, ST or C1 byte can remain.

    Args:
        text: Untrusted text.
        limit: The most characters kept (a longer text ends with ``…``).
    """
    line = clean_line(text)
    kept = "".join(ch for ch in line if ch.isprintable() or ch in _JOINERS)
    kept = " ".join(kept.split())
    if len(kept) > limit:
        kept = kept[: max(limit - 1, 0)].rstrip() + "…"
    return kept


def _no_semicolons(text: str) -> str:
    return text.replace(";", ",")


def osc777(notice: Notice) -> str:
    """``ESC ] 777 ; notify ; TITLE ; BODY ST`` (``;`` in the fields becomes ``,``)."""
    title = _no_semicolons(notice.title) or "smstui"
    return f"{ESC}]777;notify;{title};{_no_semicolons(notice.body)}{ST}"


def osc9(notice: Notice) -> str:
    """``ESC ] 9 ; TEXT ST``: one text, "title: body".

    ``;`` becomes ``,``, so a text such as "4;1" can never turn into a ConEmu or Windows
    Terminal command (``9;4`` sets a progress bar there).
    """
    text = f"{notice.title}: {notice.body}" if notice.title and notice.body else notice.title
    return f"{ESC}]9;{_no_semicolons(text or notice.body)}{ST}"


_PLAIN = re.compile(r"[\x20-\x7e]*")


def _osc99_chunk(metadata: str, payload: str) -> str:
    if _PLAIN.fullmatch(payload):
        return f"{ESC}]99;{metadata};{payload}{ST}"
    encoded = base64.b64encode(payload.encode("utf-8")).decode("ascii")
    return f"{ESC}]99;{metadata}:e=1;{encoded}{ST}"


def osc99(notice: Notice, ident: str) -> str:
    """OSC 99, kitty's protocol: the title, then the body, under one notification id.

    Args:
        notice: What to say.
        ident: The notification id (``[a-zA-Z0-9_.+-]``).
    """
    if not notice.body:
        return _osc99_chunk(f"i={ident}:d=1", notice.title)
    return _osc99_chunk(f"i={ident}:d=0", notice.title) + _osc99_chunk(
        f"i={ident}:d=1:p=body", notice.body
    )


def tmux_passthrough(sequence: str) -> str:
    r"""Wrap a sequence for tmux: ``ESC P tmux; <sequence, every ESC doubled> ESC \``."""
    return f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ST}"


# What to say --------------------------------------------------------------------------------


def _count(count: int) -> str:
    return "New message" if count == 1 else f"{count} new messages"


def compose_notice(arrivals: Sequence[Arrival], preview: str) -> Notice:
    """Say what arrived, as private as ``preview`` allows.

    - ``none``: "New message" / "3 new messages".
    - ``sender``: "New message from Anna" / "3 new messages from Anna" /
      "3 new messages from 2 people" with the names in the body.
    - ``full``: as ``sender``, with the newest text in the body ("Anna: text" when several
      people wrote).

    Args:
        arrivals: Newest first; at least one.
        preview: ``none``, ``sender`` or ``full``.
    """
    count = len(arrivals)
    if preview not in ("sender", "full") or not arrivals:
        return Notice(_count(count))
    people: dict[str, str] = {}
    for arrival in arrivals:
        people.setdefault(arrival.key, clean_field(arrival.who, 40))
    names = list(people.values())
    if len(names) == 1:
        title = f"{_count(count)} from {names[0]}"
        names_line = ""
    else:
        title = f"{_count(count)} from {len(names)} people"
        names_line = ", ".join(names[:3]) + (
            f" and {len(names) - 3} more" if len(names) > 3 else ""
        )
    if preview == "sender":
        return Notice(clean_field(title, TITLE_CHARS), names_line)
    newest = arrivals[0]
    text = clean_field(newest.text, BODY_CHARS)
    body = text if len(names) == 1 else f"{people[newest.key]}: {text}"
    return Notice(clean_field(title, TITLE_CHARS), clean_field(body, BODY_CHARS))


# Quiet hours --------------------------------------------------------------------------------

_QUIET = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


def parse_quiet_hours(value: str) -> tuple[int, int] | None:
    """Read ``"22:00-07:00"`` as (start, end) minutes after local midnight; ``""`` is None.

    The start is inside, the end outside; a start after the end runs past midnight; the end
    may be ``24:00``.

    Raises:
        ValueError: Not ``HH:MM-HH:MM``, a time out of range, or start equal to end.
    """
    text = value.strip()
    if not text:
        return None
    match = _QUIET.fullmatch(text)
    if match is None:
        raise ValueError(f'must look like "22:00-07:00" (got "{value}")')
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if h1 > 23 or m1 > 59 or m2 > 59 or end > 24 * 60:
        raise ValueError(f'has a time out of range (got "{value}")')
    if start == end:
        raise ValueError(f'must not start and end at the same time (got "{value}")')
    return start, end


def in_quiet_hours(
    hours: tuple[int, int] | None,
    ts: float,
    localtime: Callable[[float], time.struct_time] = time.localtime,
) -> bool:
    """Whether ``ts`` falls inside quiet hours, read in local time."""
    if hours is None:
        return False
    local = localtime(ts)
    minute = local.tm_hour * 60 + local.tm_min
    start, end = hours
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


# Deciding -----------------------------------------------------------------------------------


class Notifier:
    """Turns arrivals into terminal notifications: combined in bursts, silent in quiet hours.

    The first arrivals notify at once; arrivals within ``window`` seconds of the last
    notification are held and come out together when :meth:`flush` is called (the caller
    sets a timer for :meth:`wait` seconds).

    Args:
        method: A resolved method (``osc777``, ``osc9``, ``osc99``, ``bell`` or ``off``).
        tmux: Wrap sequences for tmux passthrough (and ring the bell alongside).
        bell: Whether the bell may ring at all (the ``bell`` setting).
        preview: ``none``, ``sender`` or ``full``.
        quiet_hours: From :func:`parse_quiet_hours`.
        clock: The app's clock.
        window: Seconds within which arrivals combine.
        localtime: Turns epoch seconds into local time (tests pin it).
    """

    def __init__(
        self,
        *,
        method: str,
        tmux: bool,
        bell: bool,
        preview: str,
        quiet_hours: tuple[int, int] | None,
        clock: Clock,
        window: float = 2.0,
        localtime: Callable[[float], time.struct_time] = time.localtime,
    ) -> None:
        self.method = method
        self._tmux = tmux
        self._bell = bell
        self._preview = preview
        self._quiet = quiet_hours
        self._clock = clock
        self._window = window
        self._localtime = localtime
        self._held: list[Arrival] = []
        self._last: float | None = None
        self._sent = 0

    def arrived(self, arrivals: Sequence[Arrival]) -> Signal | None:
        """New messages arrived (newest first); return what to write now, if anything.

        None when there is nothing to say, during quiet hours, or when they are held for the
        burst (then :meth:`wait` tells when to :meth:`flush`).
        """
        if not arrivals or self.method == "off":
            return None
        now = self._clock.now()
        if self._held or (self._last is not None and now - self._last < self._window):
            self._held[:0] = arrivals  # newest first
            return None
        return self._emit(arrivals, now)

    def wait(self) -> float | None:
        """Seconds until the held arrivals are due (None when none are held)."""
        if not self._held:
            return None
        last = self._last if self._last is not None else self._clock.now()
        return max(0.0, last + self._window - self._clock.now())

    def flush(self) -> Signal | None:
        """Say what was held for the burst (None when nothing was, or in quiet hours)."""
        held, self._held = self._held, []
        return self._emit(held, self._clock.now()) if held else None

    def _emit(self, arrivals: Sequence[Arrival], now: float) -> Signal | None:
        if in_quiet_hours(self._quiet, now, self._localtime):
            return None
        self._last = now
        notice = compose_notice(arrivals, self._preview)
        return self.signal(notice)

    def signal(self, notice: Notice) -> Signal | None:
        """The bytes for one notice with this notifier's method (None for ``off``)."""
        if self.method == "off":
            return None
        if self.method == "bell":
            return Signal("", self._bell, notice) if self._bell else None
        self._sent += 1
        if self.method == "osc99":
            sequence = osc99(notice, f"smstui-{self._sent}")
        elif self.method == "osc9":
            sequence = osc9(notice)
        else:
            sequence = osc777(notice)
        if self._tmux:
            return Signal(tmux_passthrough(sequence), self._bell, notice)
        return Signal(sequence, False, notice)
