"""The fake gateway's deterministic data set: who we talk to, how much, and when.

Building the directory is cheap (a few ms for 500+ conversations). Messages themselves are
never generated up front: each conversation is cut into blocks of :data:`BLOCK` messages whose
timestamps and directions come from a per-block seed, and each message's text from a
per-message seed (see :mod:`smstui.fake.content`). So the 50,000-message conversation costs
nothing until a page of it is asked for, and then only that page's block.

Timestamps inside a conversation strictly decrease newest-first: block ``k`` owns the time
window ``[newest - (k+1)·W, newest - k·W)`` with ``W = BLOCK · mean_gap``, and the gaps inside
a block mix chat bursts (minutes) with quiet spells (days).
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass

from smstui.fake.corpus import ALPHA_SENDERS
from smstui.fake.names import email_for, first_name, mobile_number, person_name

BLOCK = 200
OWN_BE = "32460123456"
OWN_PL = "48732104455"
DAY = 86_400
YEAR = 365 * DAY


@dataclass(frozen=True, slots=True)
class Contact:
    """An address-book entry (``GET /contact`` item)."""

    id: int
    phone: str
    firstname: str
    lastname: str
    email: str
    memo: str
    birthday: str


@dataclass(frozen=True, slots=True)
class ThreadSpec:
    """Everything needed to generate one conversation's history on demand."""

    ordinal: int
    number: str
    """Digits-only number, or the alphanumeric sender name (``InPost``)."""
    own: str
    """Which of our numbers this conversation uses."""
    lang: str
    topic: str
    alpha: bool
    """True for one-way alphanumeric senders: every message is inbound."""
    count: int
    """Number of generated (historical) messages."""
    newest: int
    """Epoch seconds of the newest generated message."""
    mean_gap: int
    greet: str
    """First name used in greetings."""
    seed: int
    contact: Contact | None = None


@dataclass(frozen=True, slots=True)
class Directory:
    """All conversations of a data set, in creation order (``ordinal``)."""

    threads: tuple[ThreadSpec, ...]
    own_numbers: tuple[str, ...]
    largest: str


def thread_seed(seed: int, number: str) -> int:
    """A 64-bit seed for one conversation, stable across runs and Python versions."""
    digest = hashlib.blake2b(f"{seed}:{number}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def own_number_for(number: str) -> str:
    """Which of our numbers talks to a counterparty: Polish numbers use the Polish one."""
    return OWN_PL if number.startswith("48") else OWN_BE


def block_count(spec: ThreadSpec) -> int:
    """Number of blocks the generated history is cut into."""
    return -(-spec.count // BLOCK)


def _block_len(spec: ThreadSpec, block: int) -> int:
    return min(BLOCK, spec.count - block * BLOCK)


def inbound_mask(spec: ThreadSpec, block: int) -> int:
    """Directions of a block as a bit mask: bit ``j`` set means message ``j`` is inbound.

    Runs of the same direction come from a prefix XOR over flip bits that are set with
    probability 5/8, which gives short back-and-forth exchanges.
    """
    size = _block_len(spec, block)
    full = (1 << size) - 1
    if spec.alpha:
        return full
    raw = hashlib.shake_128(b"%d:%d:dir" % (spec.seed, block)).digest(75)
    a, b, c = (int.from_bytes(raw[i : i + 25], "little") for i in (0, 25, 50))
    bits = a | (b & c)
    shift = 1
    while shift < size:
        bits ^= bits << shift
        shift <<= 1
    return bits & full


def block_times(spec: ThreadSpec, block: int) -> tuple[int, ...]:
    """Timestamps of a block's messages, newest first, strictly decreasing."""
    size = _block_len(spec, block)
    window = (BLOCK if size == BLOCK else size) * spec.mean_gap
    rng = random.Random(spec.seed * 1_000_003 + block)
    weights = []
    for _ in range(size):
        roll = rng.random()
        if roll < 0.55:
            weights.append(rng.uniform(0.5, 15.0))  # a chat burst
        elif roll < 0.85:
            weights.append(rng.uniform(15.0, 480.0))  # later that day
        else:
            weights.append(rng.uniform(480.0, 10_000.0))  # days of silence
    min_gap = max(1, min(30, window // (2 * size)))
    scale = (window - min_gap * size) / sum(weights)
    top = spec.newest - block * BLOCK * spec.mean_gap
    times = []
    offset = 0
    for weight in weights:
        times.append(top - offset)
        offset += min_gap + int(weight * scale)
    return tuple(times)


def build_directory(seed: int, scale: str, anchor: int) -> Directory:
    """Create the conversation directory for a seed and scale (``full`` or ``small``)."""
    if scale not in ("full", "small"):
        raise ValueError(f"scale must be 'full' or 'small', not {scale!r}")
    rng = random.Random(f"smstui-fake:{seed}:{scale}")
    builder = _Builder(seed, anchor, rng)
    full = scale == "full"
    supplier = builder.add_supplier(50_000 + rng.randrange(1000) if full else 600)
    for _ in range(6 if full else 3):
        count = rng.randint(1000, 5000) if full else rng.randint(100, 250)
        builder.add_person(count, span=rng.uniform(1.5, 4.0) * YEAR, recent=3 * DAY, named=True)
    alpha_names = list(ALPHA_SENDERS) if full else ["InPost", "PostNL", "DHL", "mBank"]
    for name in alpha_names:
        builder.add_alpha(name, rng.randint(10, 150) if full else rng.randint(5, 30))
    for _ in range(505 if full else 32):
        size = round(rng.lognormvariate(2.5, 1.1))
        count = max(1, min(200 if full else 60, size))
        gap = math.exp(rng.uniform(math.log(1200), math.log(5 * DAY)))
        builder.add_person(count, span=gap * count, recent=90 * DAY, named=rng.random() < 0.6)
    return Directory(tuple(builder.threads), (OWN_BE, OWN_PL), supplier)


class _Builder:
    """Accumulates thread specs and contacts with unique numbers."""

    def __init__(self, seed: int, anchor: int, rng: random.Random) -> None:
        self.seed = seed
        self.anchor = anchor
        self.rng = rng
        self.threads: list[ThreadSpec] = []
        self._numbers: set[str] = set()
        self._contact_ids = 3100

    def _unique_number(self, country: str) -> str:
        while True:
            number = mobile_number(self.rng, country)
            if number not in self._numbers:
                self._numbers.add(number)
                return number

    def _contact(self, number: str, first: str, last: str, memo: str = "") -> Contact:
        self._contact_ids += self.rng.randint(1, 9)
        birthday = ""
        if self.rng.random() < 0.4:
            year, month = self.rng.randint(1950, 2005), self.rng.randint(1, 12)
            birthday = f"{year:04d}-{month:02d}-{self.rng.randint(1, 28):02d}"
        email = email_for(first, last) if self.rng.random() < 0.7 else ""
        return Contact(self._contact_ids, number, first, last, email, memo, birthday)

    def add_supplier(self, count: int) -> str:
        number = self._unique_number("pl")
        contact = self._contact(number, "Marek", "Zieliński", "Hurtownia Opakowań — dostawy wt/pt")
        newest = self.anchor - self.rng.randint(5, 40) * 60
        self.threads.append(
            ThreadSpec(
                ordinal=len(self.threads), seed=thread_seed(self.seed, number),
                number=number, own=OWN_PL, lang="pl", topic="supplier",
                alpha=False, count=count, newest=newest, mean_gap=max(60, int(5.5 * YEAR / count)),
                greet="Marek", contact=contact,
            )
        )  # fmt: skip
        return number

    def add_alpha(self, name: str, count: int) -> None:
        country, lang = ALPHA_SENDERS[name]
        newest = self.anchor - int(30 * DAY * self.rng.random() ** 2) - 120
        gap = self.rng.randint(3 * DAY, 20 * DAY)
        self.threads.append(
            ThreadSpec(
                ordinal=len(self.threads), seed=thread_seed(self.seed, name),
                number=name, own=OWN_PL if country == "pl" else OWN_BE,
                lang=lang, topic="notification", alpha=True, count=count, newest=newest,
                mean_gap=gap, greet="",
            )
        )  # fmt: skip

    def add_person(self, count: int, *, span: float, recent: int, named: bool) -> None:
        rng = self.rng
        country = rng.choices(("pl", "be", "nl"), weights=(45, 35, 20))[0]
        number = self._unique_number(country)
        if country == "pl":
            lang, origin = ("pl" if rng.random() < 0.92 else "en"), "pl"
        elif country == "nl":
            lang, origin = ("nl" if rng.random() < 0.9 else "en"), "nl"
        else:
            lang = rng.choices(("nl", "fr", "en"), weights=(60, 30, 10))[0]
            origin = "be-fr" if lang == "fr" else "be-nl"
        topic = rng.choices(("shop", "clinic", "helpdesk"), weights=(55, 25, 20))[0]
        contact = None
        if named:
            first, last = person_name(rng, origin)
            regular = "Stały klient" if lang == "pl" else "Vaste klant"
            contact = self._contact(number, first, last, rng.choice(("", "", "", "VIP", regular)))
            greet = first
        else:
            greet = first_name(rng, origin)
        age = int(recent * rng.random() ** 1.8) + rng.randint(60, 900)
        self.threads.append(
            ThreadSpec(
                ordinal=len(self.threads), seed=thread_seed(self.seed, number),
                number=number, own=OWN_PL if country == "pl" else OWN_BE,
                lang=lang, topic=topic, alpha=False, count=count, newest=self.anchor - age,
                mean_gap=max(60, int(span / max(1, count))), greet=greet, contact=contact,
            )
        )  # fmt: skip
