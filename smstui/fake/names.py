"""People and phone numbers for the fake gateway's data set: Polish, Belgian and Dutch.

Everything here is pure data plus a few helpers that draw from a caller-supplied
:class:`random.Random`, so the data set stays deterministic for a given seed.
"""

from __future__ import annotations

import random
import unicodedata

POLISH_WOMEN = (
    "Zofia", "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Magdalena", "Joanna",
    "Ewa", "Aleksandra", "Natalia", "Julia", "Zuzanna", "Dorota", "Paulina", "Monika",
    "Barbara", "Weronika", "Łucja", "Jadwiga", "Bożena", "Grażyna", "Hanna", "Alicja",
)  # fmt: skip
POLISH_MEN = (
    "Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Marcin", "Jakub", "Łukasz",
    "Grzegorz", "Mateusz", "Adam", "Wojciech", "Kacper", "Szymon", "Andrzej", "Bartosz",
    "Jan", "Stanisław", "Mikołaj", "Józef", "Zbigniew", "Jarosław", "Przemysław", "Marek",
)  # fmt: skip
POLISH_SURNAMES = (
    "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
    "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
    "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski", "Pawłowski", "Michalski", "Król",
    "Wieczorek", "Jabłoński", "Wróbel", "Majewski", "Olszewski", "Stępień", "Malinowski",
    "Górski", "Sikora", "Ostrowski", "Baran", "Duda", "Szewczyk", "Pietrzak", "Marciniak",
    "Zalewski", "Jakubowski", "Jasiński", "Zawadzki", "Bąk", "Chmielewski", "Włodarczyk",
    "Czarnecki", "Sawicki", "Sokołowski", "Kubiak", "Szczepański", "Wilk", "Lis", "Mazurek",
    "Wysocki", "Kaźmierczak", "Cieślak", "Głowacki", "Kołodziej", "Szulc", "Ziółkowski",
    "Brzeziński", "Przybylski", "Gołębiowski", "Żak", "Ślusarczyk", "Nożyński",
)  # fmt: skip

FLEMISH_WOMEN = (
    "Lotte", "Sofie", "Lien", "Elke", "Hanne", "Marie", "Emma", "Nina", "Fien", "Ine", "An",
    "Katrien", "Eline", "Jolien", "Lore", "Griet",
)  # fmt: skip
FLEMISH_MEN = (
    "Pieter", "Jan", "Lucas", "Wout", "Jens", "Arne", "Thomas", "Bram", "Stijn", "Koen",
    "Tom", "Maarten", "Jonas", "Seppe", "Dries", "Joris",
)  # fmt: skip
FLEMISH_SURNAMES = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Vermeulen", "Van den Broeck", "De Clercq", "Pauwels", "Hermans",
    "Aerts", "Michiels", "Desmet", "Van Damme", "Verstraeten", "De Backer", "Cools", "Coppens",
    "Lambrechts", "Vandenberghe", "De Vos", "Segers", "Martens", "Van Acker", "D'Hondt",
)  # fmt: skip

WALLOON_WOMEN = (
    "Julie", "Camille", "Manon", "Chloé", "Léa", "Élise", "Aurélie", "Céline", "Véronique",
    "Noémie", "Hélène", "Amélie",
)  # fmt: skip
WALLOON_MEN = (
    "Thomas", "Nicolas", "Maxime", "Antoine", "Julien", "Mathieu", "François", "Benoît",
    "Sébastien", "Jérôme", "Cédric", "Raphaël",
)  # fmt: skip
WALLOON_SURNAMES = (
    "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent", "Leclercq", "Lejeune",
    "Renard", "Collin", "François", "Lemaire", "Denis", "Dumont", "Henry", "Lecomte",
    "Gérard", "Massart", "Hubert", "Delvaux",
)  # fmt: skip

DUTCH_WOMEN = (
    "Sanne", "Lieke", "Fleur", "Noa", "Julia", "Tess", "Anouk", "Femke", "Eva", "Maud",
    "Willemijn", "Iris", "Roos", "Lotte",
)  # fmt: skip
DUTCH_MEN = (
    "Daan", "Bram", "Thijs", "Sem", "Lars", "Ruben", "Joost", "Niels", "Jeroen", "Koen",
    "Sven", "Pim", "Wouter", "Gijs",
)  # fmt: skip
DUTCH_SURNAMES = (
    "de Vries", "Jansen", "de Jong", "van den Berg", "Bakker", "van Dijk", "Visser", "Smit",
    "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
    "van der Meer", "Kok", "van der Linden", "Verhoeven", "van 't Hof",
)  # fmt: skip

_ORIGINS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "pl": (POLISH_WOMEN, POLISH_MEN, POLISH_SURNAMES),
    "be-nl": (FLEMISH_WOMEN, FLEMISH_MEN, FLEMISH_SURNAMES),
    "be-fr": (WALLOON_WOMEN, WALLOON_MEN, WALLOON_SURNAMES),
    "nl": (DUTCH_WOMEN, DUTCH_MEN, DUTCH_SURNAMES),
}

# Mobile prefixes after the country code (digits only, as the API wants them).
_PL_PREFIXES = ("50", "51", "53", "57", "60", "66", "69", "72", "78", "79", "88")
_NL_VALID_FIRST = {"0": "1", "7": "2", "9": "3"}
"""The digits after 06 that no Dutch mobile has, each moved to one that does."""
_BE_PREFIXES = ("460", "465", "468", "470", "471", "472", "473", "474", "475", "476", "477",
                "478", "479", "483", "484", "485", "486", "487", "488", "489", "490", "491",
                "492", "493", "494", "495", "496", "497", "498", "499")  # fmt: skip


def feminine_surname(surname: str) -> str:
    """Return the feminine form of a Polish surname (Kowalski → Kowalska, Wójcik → Wójcik)."""
    if surname.endswith("ski"):
        return surname[:-1] + "a"
    if surname.endswith(("cki", "dzki")):
        return surname[:-1] + "a"
    return surname


def person_name(rng: random.Random, origin: str) -> tuple[str, str]:
    """Draw a realistic (first name, last name) for an origin: pl, be-nl, be-fr or nl."""
    women, men, surnames = _ORIGINS[origin]
    surname = rng.choice(surnames)
    if rng.random() < 0.5:
        first = rng.choice(women)
        if origin == "pl":
            surname = feminine_surname(surname)
        return first, surname
    return rng.choice(men), surname


def first_name(rng: random.Random, origin: str) -> str:
    """Draw a first name only, for greetings to customers who are not contacts."""
    women, men, _ = _ORIGINS[origin]
    return rng.choice(women if rng.random() < 0.5 else men)


def mobile_number(rng: random.Random, country: str) -> str:
    """Draw a digits-only international mobile number for ``pl``, ``be`` or ``nl``."""
    if country == "pl":
        prefix = "48" + rng.choice(_PL_PREFIXES)
        return prefix + f"{rng.randrange(10**7):07d}"
    if country == "be":
        return "32" + rng.choice(_BE_PREFIXES) + f"{rng.randrange(10**6):06d}"
    # Dutch mobiles are 06-1… to 06-6… and 06-8…: a number from outside those ranges is not a
    # valid number, and the app rightly shows it unformatted ("+31608812070"). The same draw
    # as before, moved into a valid range, so the other numbers stay as they were.
    digits = f"{rng.randrange(10**8):08d}"
    return "316" + _NL_VALID_FIRST.get(digits[0], digits[0]) + digits[1:]


def ascii_fold(text: str) -> str:
    """Fold a name to plain ASCII for e-mail addresses (Łucja Żak → Lucja Zak)."""
    text = text.replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and (ch.isalnum() or ch in " -."))


def email_for(first: str, last: str) -> str:
    """Build a plausible, non-routable e-mail address for a contact."""
    local = f"{ascii_fold(first)}.{ascii_fold(last)}".lower().replace(" ", "").replace("'", "")
    return f"{local}@mail.example"
