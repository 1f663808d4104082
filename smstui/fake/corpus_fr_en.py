"""French (Belgian) and English message templates for the fake gateway.

Placeholders (``{order}``, ``{time}`` …) are filled by :mod:`smstui.fake.corpus`.
"""

from __future__ import annotations

FRENCH: dict[str, dict[str, tuple[str, ...]]] = {
    "shop": {
        "out": (
            "Bonjour {name}, votre commande {order} a été expédiée ! Suivi : {url}",
            "Votre commande {order} vous attend en magasin jusqu'au {date}.",
            "Merci pour votre achat ! Nous avons bien reçu {amount}.",
            "Oui, il nous reste la taille 38 😊",
            "Le livreur passera demain entre {time} et 17h.",
            "Votre remboursement de {amount} est en cours.",
            "Code promo pour votre prochaine commande : {code} (valable jusqu'au {date}).",
            "Désolés pour le désagrément, nous renvoyons un nouvel article aujourd'hui.",
        ),
        "in": (
            "Bonjour, quand est-ce que mon colis arrive ? Commande {order}",
            "Je peux passer le chercher demain après {time} ?",
            "Le colis est arrivé abîmé, je vous envoie une photo",
            "Bien reçu, merci beaucoup ! 👍",
            "Vous avez encore la veste verte en M ?",
            "D'accord, merci",
            "Est-ce que je peux payer par Bancontact ?",
            "Toujours rien reçu…",
        ),
    },
    "clinic": {
        "out": (
            "Rappel : rendez-vous le {date} à {time}. Répondez OUI pour confirmer ou NON.",
            "Votre rendez-vous est confirmé. Merci d'arriver 10 minutes en avance.",
            "Vos résultats sont disponibles : {url}",
            "Une place s'est libérée demain à {time}. Intéressé(e) ?",
        ),
        "in": (
            "OUI",
            "NON, je dois annuler",
            "Est-ce que je peux déplacer mon rendez-vous à la semaine prochaine ?",
            "Je serai en retard de 10 minutes, désolée",
            "Merci 🙂",
        ),
    },
    "helpdesk": {
        "out": (
            "Votre ticket #{code} est enregistré. Un technicien vous rappelle avant {time}.",
            "Pouvez-vous redémarrer le modem (30 secondes éteint) ?",
            "La panne dans votre quartier est réparée. Désolés pour la gêne !",
        ),
        "in": (
            "Plus d'internet depuis ce matin",
            "J'ai redémarré, toujours rien",
            "Ça remarche, merci !",
            "Le voyant est rouge",
        ),
    },
}

FRENCH_LONG: dict[str, tuple[str, ...]] = {
    "in": (
        "Bonjour, j'ai commandé une veste la semaine passée (commande {order}) mais la taille ne "
        "convient pas du tout, elle taille très petit. Est-ce que je peux l'échanger contre une "
        "taille au-dessus en magasin, ou faut-il la renvoyer par la poste ? J'ai gardé "
        "l'étiquette et le ticket. Merci d'avance pour votre réponse, {name}",
    ),
    "out": (
        "Bonjour {name}, votre commande {order} a pris un peu de retard suite à une rupture de "
        "stock chez notre fournisseur. Elle sera expédiée demain et livrée entre {time} et 17h. "
        "Nous vous offrons la livraison. Toutes nos excuses pour ce contretemps.",
    ),
}

ENGLISH: dict[str, dict[str, tuple[str, ...]]] = {
    "shop": {
        "out": (
            "Hi {name}, your order {order} has shipped! Track it here: {url}",
            "Your order {order} is ready for pickup until {date}.",
            "Thanks for your purchase! We received {amount}.",
            "Yes, we still have it in size L 🙂",
            "The courier will come tomorrow between {time} and 17:00.",
            "Your refund of {amount} is on its way.",
            "Use code {code} for 10% off your next order (valid until {date}).",
            "Sorry about that! We'll send a replacement today, no charge.",
        ),
        "in": (
            "Hi, when will my parcel arrive? Order {order}",
            "Can I pick it up tomorrow after {time}?",
            "The box arrived damaged, photo attached",
            "Got it, thanks! 👍",
            "Do you ship to Germany?",
            "ok cheers",
            "Is the shop open on Sunday?",
            "Still nothing here…",
        ),
    },
    "clinic": {
        "out": (
            "Reminder: your appointment on {date} at {time}. Reply YES to confirm or NO to cancel.",
            "Your appointment is confirmed. Please arrive 10 minutes early.",
            "Your results are available at {url}",
        ),
        "in": (
            "YES",
            "NO, need to reschedule",
            "Running 10 min late, sorry!",
            "Do I need to fast before the blood test?",
        ),
    },
    "helpdesk": {
        "out": (
            "Ticket #{code} logged. An engineer will call you before {time}.",
            "Please restart the router (off for 30 seconds) and let us know.",
            "The outage in your area has been fixed. Sorry for the trouble!",
        ),
        "in": (
            "Internet down since this morning",
            "Restarted it, still nothing",
            "Working again, thank you!",
            "When is the engineer coming?",
        ),
    },
}

ENGLISH_LONG: dict[str, tuple[str, ...]] = {
    "in": (
        "Hi there, I ordered two mugs and a t-shirt last week (order {order}) and only the mugs "
        "arrived today. The packing slip lists the t-shirt too, so I guess it was left out by "
        "mistake? Could you send it separately or refund {amount}? I'm away from Friday, so "
        "delivery before then would be ideal. Thanks a lot, {name}",
    ),
    "out": (
        "Hi {name}, quick update on order {order}: one item was out of stock, so we shipped the "
        "rest today and the missing item follows next week at no extra cost. You can track both "
        "parcels at {url}. Thanks for your patience!",
    ),
}

SIGN_OFF_FR = "Cordialement, l'équipe SmsShop"
SIGN_OFF_EN = "Kind regards, the SmsShop team"
