"""Turns the template corpora into realistic SMS texts, deterministically from a given RNG.

Texts look like a small business's two-way SMS line (a web shop, a clinic, a help desk and a
regular supplier) in Polish, Dutch/Flemish, French and English, plus one-way notifications from
alphanumeric senders such as InPost or PostNL. Outbound texts always pass the fake's own send
validation (at most 459 counted GSM characters, or 201 UCS-2 code units).
"""

from __future__ import annotations

import random

from smstui.fake import corpus_fr_en, corpus_nl, corpus_pl
from smstui.fake.sending import counted_length, fits_one_send

_Table = dict[str, dict[str, tuple[str, ...]]]

_LANGUAGES: dict[str, tuple[_Table, dict[str, tuple[str, ...]], str]] = {
    "pl": (corpus_pl.PHRASES, corpus_pl.LONG, corpus_pl.SIGN_OFF),
    "nl": (corpus_nl.PHRASES, corpus_nl.LONG, corpus_nl.SIGN_OFF),
    "fr": (corpus_fr_en.FRENCH, corpus_fr_en.FRENCH_LONG, corpus_fr_en.SIGN_OFF_FR),
    "en": (corpus_fr_en.ENGLISH, corpus_fr_en.ENGLISH_LONG, corpus_fr_en.SIGN_OFF_EN),
}

EMOJI = (
    "🙂", "👍", "🙏", "😊", "❤️", "🎉", "😅", "👍🏼", "😉",
    # Zero-width-joiner sequences: one glyph on screen, several code points.
    "👩‍⚕️", "🧑‍💻", "👨‍👩‍👧‍👦", "🏳️‍🌈", "❤️‍🔥", "🤷‍♀️", "🙋‍♂️",
)  # fmt: skip

ALPHA_SENDERS: dict[str, tuple[str, str]] = {
    # name: (country of the own number that receives it, language for amounts)
    "InPost": ("pl", "pl"),
    "mBank": ("pl", "pl"),
    "Allegro": ("pl", "pl"),
    "DHL": ("be", "en"),
    "PostNL": ("nl", "nl"),
    "bpost": ("be", "nl"),
    "KBC": ("be", "nl"),
    "Google": ("be", "en"),
}

_ALPHA_TEXTS: dict[str, tuple[str, ...]] = {
    "InPost": (
        "InPost: Twoja paczka {parcel} czeka w Paczkomacie {locker}. Kod odbioru: {code}. "
        "Odbierz do {date}.",
        "InPost: Paczka {parcel} została nadana. Śledź: https://inpost.example/s/{token}",
        "InPost: Przypominamy, paczka {parcel} czeka w Paczkomacie {locker} jeszcze 24h.",
        "InPost: Kurier doręczy paczkę {parcel} dziś między {time} a {time2}.",
    ),
    "mBank": (
        "mBank: Kod SMS do operacji nr {n} z dn. {date}: {code8}. Kwota: {amount}. "
        "Nie podawaj nikomu tego kodu.",
        "mBank: Logowanie z nowego urządzenia {date} {time}. To nie Ty? Zadzwoń: 42 6 300 800",
        "mBank: Uznanie rachunku kwotą {amount}; tytuł: {order}",
    ),
    "Allegro": (
        "Allegro: Kupujący opłacił zamówienie {order}. Wyślij do {date}.",
        "Allegro: Masz nową wiadomość od kupującego. Odpowiedz w ciągu 24h.",
    ),
    "DHL": (
        "DHL: Your parcel JVGL{code8} will be delivered today between {time} and {time2}. "
        "Manage: https://dhl.example/m/{token}",
        "DHL Express: shipment {parcel} is on hold, import duties of {amount} due. "
        "Pay at https://dhl.example/p/{token}",
    ),
    "PostNL": (
        "PostNL: Je pakket wordt vandaag tussen {time} en {time2} bezorgd. "
        "Volg je pakket: https://postnl.example/t/{token}",
        "PostNL: We konden je pakket niet bezorgen. Het ligt vanaf morgen klaar bij het "
        "PostNL-punt.",
    ),
    "bpost": (
        "bpost: Uw pakje {parcel} ligt klaar in afhaalpunt Carrefour Express Gent. "
        "Ophalen t.e.m. {date}.",
        "bpost: Votre colis {parcel} sera livré demain entre {time} et {time2}.",
    ),
    "KBC": (
        "KBC: uw bevestigingscode is {code}. Deel deze code nooit, ook niet met KBC.",
        "KBC: betaling van {amount} met uw kaart eindigend op 4821 geweigerd.",
    ),
    "Google": (
        "G-{code} is your Google verification code.",
        "Your Google verification code is {code}. Don't share it with anyone.",
    ),
}

_ORDER_PREFIX = {"pl": "ZAM-", "nl": "BST-", "fr": "CMD-", "en": "ORD-"}
_LOCKERS = ("KRA01M", "WAW22A", "POZ15N", "GDA08M", "WRO31H", "LOD04A")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


class _Values(dict[str, str]):
    """Placeholder values computed on first use, so a template costs only what it needs."""

    def __init__(self, rng: random.Random, lang: str, name: str) -> None:
        super().__init__(name=name)
        self._rng = rng
        self._lang = lang

    def __missing__(self, key: str) -> str:
        value = self._make(key)
        self[key] = value
        return value

    def _make(self, key: str) -> str:
        rng, lang = self._rng, self._lang
        if key == "time":
            return f"{rng.randint(8, 15):02d}:{rng.choice((0, 15, 30, 45)):02d}"
        if key == "time2":  # the end of a window that starts at {time}
            hour, minute = self["time"].split(":")
            return f"{int(hour) + rng.randint(1, 3):02d}:{minute}"
        if key == "date":
            day, month = rng.randint(1, 28), rng.randint(1, 12)
            if lang == "pl":
                return f"{day:02d}.{month:02d}"
            return f"{day} {_MONTHS[month - 1]}" if lang == "en" else f"{day}/{month}"
        if key == "amount":
            whole, cents = rng.randint(9, 480), rng.choice((0, 50, 99, 49, 90, 95))
            if lang == "pl":
                return f"{whole},{cents:02d} zł"
            if lang == "en":
                return f"€{whole}.{cents:02d}"
            return f"€ {whole},{cents:02d}" if lang == "nl" else f"{whole},{cents:02d} €"
        if key == "order":
            return f"{_ORDER_PREFIX[lang]}{rng.randint(10000, 99999)}"
        if key == "url":
            return f"https://smsshop.example/t/{''.join(rng.choices(_TOKEN_CHARS, k=6))}"
        if key == "token":
            return "".join(rng.choices(_TOKEN_CHARS, k=8))
        if key == "code":
            return f"{rng.randrange(10**6):06d}"
        if key == "code8":
            return f"{rng.randrange(10**8):08d}"
        if key == "n":
            return str(rng.randint(2, 40))
        if key == "product":
            return rng.choice(corpus_pl.PRODUCTS)
        if key == "parcel":
            return f"{rng.randrange(10**12):012d}{rng.randrange(10**12):012d}"
        if key == "locker":
            return rng.choice(_LOCKERS)
        raise KeyError(key)


def compose_text(rng: random.Random, lang: str, topic: str, inbound: bool, name: str) -> str:
    """Write one message of a two-way conversation.

    Args:
        rng: the message's own random generator.
        lang: ``pl``, ``nl``, ``fr`` or ``en``.
        topic: ``shop``, ``clinic``, ``helpdesk`` or ``supplier`` (Polish only; others fall
            back to ``shop``).
        inbound: True for a text from the counterparty, False for one we sent.
        name: the counterparty's first name, used in greetings.
    """
    table, long_texts, sign_off = _LANGUAGES[lang]
    phrases = (table.get(topic) or table["shop"])["in" if inbound else "out"]
    values = _Values(rng, lang, name)
    roll = rng.random()
    if roll < 0.03:
        text = rng.choice(long_texts["in" if inbound else "out"]).format_map(values)
    elif roll < 0.07:
        text = _multi_part(rng, phrases, values, sign_off if not inbound else "")
    else:
        text = rng.choice(phrases).format_map(values)
    if rng.random() < 0.1:
        text = f"{text} {rng.choice(EMOJI)}"
    if not inbound and not fits_one_send(text):
        text = rng.choice(phrases).format_map(values)
    return text


def _multi_part(
    rng: random.Random, phrases: tuple[str, ...], values: _Values, sign_off: str
) -> str:
    """Join several phrases into one 200–450 character text (a concatenated SMS)."""
    parts: list[str] = []
    limit = 450
    for phrase in rng.sample(phrases, k=min(len(phrases), 8)):
        candidate = " ".join([*parts, phrase.format_map(values)])
        if len(candidate) > limit or (sign_off and not fits_one_send(f"{candidate} {sign_off}")):
            break
        parts.append(phrase.format_map(values))
        if len(candidate) >= 200 and rng.random() < 0.5:
            break
    text = " ".join(parts)
    return f"{text}\n{sign_off}" if sign_off else text


def alpha_text(rng: random.Random, sender: str) -> str:
    """Write one notification from an alphanumeric sender such as ``InPost``."""
    lang = ALPHA_SENDERS[sender][1]
    return rng.choice(_ALPHA_TEXTS[sender]).format_map(_Values(rng, lang, ""))


def sms_parts(text: str) -> int:
    """Number of SMS parts a text is billed as (GSM 160/153, UCS-2 70/67)."""
    units, gsm = counted_length(text)
    single, multi = (160, 153) if gsm else (70, 67)
    return 1 if units <= single else -(-units // multi)
