"""Dutch and Flemish message templates for the fake gateway (shop, clinic, help desk).

Placeholders (``{order}``, ``{time}`` …) are filled by :mod:`smstui.fake.corpus`.
"""

from __future__ import annotations

PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "shop": {
        "out": (
            "Hallo {name}, je bestelling {order} is verzonden! Volg je pakket: {url}",
            "Uw bestelling {order} ligt klaar in de winkel tot {date}. Open: ma-za 10-18u.",
            "Bedankt voor je aankoop! Het bedrag van {amount} is goed ontvangen.",
            "Helaas is een artikel uit {order} uitverkocht. Alternatief of terugbetaling?",
            "Ja hoor, maat 42 is er nog 🙂",
            "De koerier komt morgen tussen {time} en 17u.",
            "Je terugbetaling van {amount} is onderweg.",
            "Kortingscode voor je volgende bestelling: {code} (geldig t.e.m. {date}).",
            "Dag {name}, we hebben je retour goed ontvangen. Bedankt!",
            "Sorry voor het ongemak, we sturen vandaag een nieuw exemplaar op.",
            "Je pakje is onderweg en wordt vandaag geleverd 📦",
            "Dag,\nde winkel is zaterdag {date} uitzonderlijk gesloten.",
        ),
        "in": (
            "Dag, wanneer komt mijn pakje? Bestelling {order}",
            "Kan ik het morgen na {time} komen ophalen?",
            "Pakket kwam beschadigd aan, foto in bijlage",
            "Alles goed ontvangen, merci! 👍",
            "Hebben jullie die blauwe jas nog in maat 40?",
            "Ik heb gisteren overgeschreven, kunnen jullie dat nakijken?",
            "Oké, top!",
            "Waar is de winkel precies? Ik sta voor de deur 😅",
            "Hoi, mijn pakket is nog steeds niet bezorgd",
            "Kan ik ook met Bancontact betalen?",
            "Ik wil graag iets ruilen, hoe gaat dat?",
            "Dank je wel! 🙏",
            "Is de winkel open op zondag?",
        ),
    },
    "clinic": {
        "out": (
            "Herinnering: uw afspraak op {date} om {time}. Antwoord JA om te bevestigen of NEE.",
            "Uw afspraak is bevestigd. Gelieve 10 minuten vroeger aanwezig te zijn.",
            "Uw resultaten zijn beschikbaar via {url}",
            "Er is morgen om {time} een plaats vrijgekomen. Interesse?",
            "Uw afspraak van {date} is geannuleerd.",
            "Vergeet uw identiteitskaart niet mee te brengen.",
        ),
        "in": (
            "JA",
            "NEE, graag verzetten",
            "Kan ik mijn afspraak verplaatsen naar volgende week?",
            "Ik ben 10 minuutjes te laat, sorry!",
            "Moet ik nuchter komen voor de bloedafname?",
            "Ja graag",
            "Bedankt 🙂",
        ),
    },
    "helpdesk": {
        "out": (
            "Uw melding #{code} is geregistreerd. Een technieker belt u voor {time}.",
            "Kunt u de modem 30 seconden uitschakelen en opnieuw opstarten?",
            "De storing in uw regio is opgelost. Excuses voor het ongemak!",
            "Tijdelijk wachtwoord: {code}. Wijzig het na het aanmelden: {url}",
            "De technieker komt langs op {date} tussen {time} en 15u.",
        ),
        "in": (
            "Mijn internet ligt al de hele ochtend plat",
            "Heb hem herstart, nog steeds niks",
            "Het werkt weer, bedankt!",
            "Wanneer komt de technieker langs?",
            "Het lampje knippert rood",
            "Ik kan niet meer inloggen",
        ),
    },
}

LONG: dict[str, tuple[str, ...]] = {
    "in": (
        "Dag, ik heb vorige week bestelling {order} geplaatst en vandaag kwam het pakket aan, "
        "maar de doos was volledig ingedeukt en twee bekers zijn gebroken. De koerier was al weg "
        "voor ik kon reageren. Ik stuur foto's mee. Kunnen jullie een nieuwe set opsturen of het "
        "bedrag terugstorten? Het was een cadeau voor zaterdag, dus liefst zo snel mogelijk. "
        "Alvast bedankt, {name}",
        "Hoi! Ik wil graag mijn afspraak van volgende week dinsdag verzetten, want ik moet die "
        "dag onverwacht werken. Woensdag of donderdag in de namiddag past mij het best, vrijdag "
        "kan eventueel ook. Laat maar weten wat er nog vrij is. Groetjes",
    ),
    "out": (
        "Beste {name}, excuses voor de vertraging van bestelling {order}. Door een storing bij "
        "onze vervoerder liep de levering een dag vertraging op. Je pakket is inmiddels "
        "onderweg en wordt morgen tussen {time} en 17u geleverd. Als compensatie krijg je "
        "10% korting op je volgende bestelling met code {code}. Met vriendelijke groeten",
        "Beste klant, vanaf maandag {date} verhuizen we naar de Veldstraat 12. De oude winkel "
        "blijft gesloten tijdens de verhuis. Bestellingen kan je gewoon online blijven plaatsen "
        "via {url} en afhalen kan vanaf dinsdag op het nieuwe adres. Tot dan!",
    ),
}

SIGN_OFF = "Groeten, team SmsShop"
