"""Polish message templates for the fake gateway: a web shop, a clinic, a help desk, a supplier.

Placeholders (``{order}``, ``{time}`` …) are filled by :mod:`smstui.fake.corpus`.
"""

from __future__ import annotations

PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "shop": {
        "out": (
            "Dzień dobry {name}, zamówienie nr {order} zostało wysłane. Śledzenie: {url}",
            "Zamówienie {order} czeka na odbiór w sklepie do {date}. Zapraszamy pn–pt 9–18.",
            "Dziękujemy za zakupy! Kwota do zapłaty: {amount}.",
            "Niestety jeden produkt z zamówienia {order} jest niedostępny. Zamiennik czy zwrot?",
            "Tak, mamy jeszcze rozmiar M i L 🙂",
            "Kurier będzie jutro między {time} a 16:00.",
            "Zwrot {amount} został zlecony, pieniądze będą na koncie w ciągu 3 dni roboczych.",
            "Oczywiście, proszę podać numer zamówienia, sprawdzimy.",
            "Kod rabatowy na kolejne zakupy: {code} (−10%, ważny do {date}).",
            "Przesyłka {order} została doręczona. Dziękujemy i zapraszamy ponownie!",
            "Płatność za zamówienie {order} nie została jeszcze zaksięgowana.",
            "Sprawdziliśmy – paczka jest w sortowni, jutro powinna być u Pani/Pana.",
            "Przepraszamy za kłopot! Wyślemy nowy egzemplarz bez dodatkowych kosztów.",
            "Dzień dobry,\nsklep w sobotę {date} będzie nieczynny. Zapraszamy w poniedziałek.",
            "Dziękujemy, przelew dotarł ✅",
        ),
        "in": (
            "Dzień dobry, kiedy dotrze moja paczka? Zamówienie {order}",
            "Czy mogę odebrać osobiście jutro po {time}?",
            "Paczka przyszła uszkodzona, wysyłam zdjęcie",
            "Dziękuję, wszystko doszło 👍",
            "Czy macie jeszcze ten żółty płaszcz w rozmiarze 38?",
            "Zapłaciłam przelewem wczoraj, proszę sprawdzić",
            "Chciałbym zwrócić buty, są za małe. Jak to zrobić?",
            "ok, dzięki",
            "Gdzie jest sklep? Nie mogę znaleźć wejścia 😅",
            "Jaki jest numer konta?",
            "Zamiennik może być, byle szybko",
            "Będę za 10 minut",
            "Super, dziękuję bardzo! 🙏",
            "Czy wysyłacie też do Niemiec?",
            "Halo? Dalej nic nie przyszło…",
            "Nie zamawiałem tego, to pomyłka",
            "A ile kosztuje dostawa kurierem?",
        ),
    },
    "clinic": {
        "out": (
            "Przypominamy o wizycie {date} o godz. {time}. Odpowiedz TAK lub NIE.",
            "Wizyta potwierdzona. Prosimy o przybycie 10 minut wcześniej.",
            "Wyniki badań są do odbioru w rejestracji lub online: {url}",
            "Gabinet dr Nowak: wizyta {date} przesunięta na {time}. Przepraszamy.",
            "Wolny termin: jutro {time}. Czy rezerwujemy?",
            "Wizyta odwołana. Zapraszamy do ponownej rejestracji.",
            "Proszę zabrać ze sobą dowód osobisty i listę leków.",
            "Recepta została wystawiona, kod: {code}",
        ),
        "in": (
            "TAK",
            "NIE, proszę odwołać",
            "Czy mogę przełożyć wizytę na przyszły tydzień?",
            "Dzień dobry, czy są już wyniki morfologii?",
            "Spóźnię się ok. 15 minut, przepraszam",
            "Czy potrzebne jest skierowanie?",
            "Tak, rezerwuję",
            "Czy trzeba być na czczo?",
            "Dziękuję 🙂",
        ),
    },
    "helpdesk": {
        "out": (
            "Zgłoszenie #{code} zostało przyjęte. Technik oddzwoni do {time}.",
            "Proszę zrestartować router (wyłączyć na 30 sekund) i dać znać, czy pomogło.",
            "Awaria w Pani/Pana okolicy została usunięta. Przepraszamy!",
            "Hasło tymczasowe: {code}. Zmień je po zalogowaniu: {url}",
            "Technik będzie {date} między {time} a 15:00.",
            "Czy dioda „Internet” na routerze świeci na zielono?",
        ),
        "in": (
            "Nie działa internet od rana",
            "Zrestartowałem, dalej to samo",
            "Teraz działa, dzięki!",
            "Kiedy przyjdzie technik?",
            "Świeci na czerwono",
            "Nie mogę się zalogować, hasło nie pasuje",
            "Telewizja też nie działa 😤",
        ),
    },
    "supplier": {
        "out": (
            "Poproszę na piątek: {n} szt. {product}.",
            "Dostawa odebrana, wszystko się zgadza 👍",
            "Brakuje {n} szt. z ostatniej dostawy, proszę o korektę faktury.",
            "Możemy przesunąć dostawę na {time}?",
            "Ok, dziękuję",
            "Proszę dorzucić jeszcze {n} szt. {product}.",
            "Faktura {order} zapłacona.",
            "Czy jest już nowy cennik?",
            "Rampa otwarta od 7:00.",
        ),
        "in": (
            "Dostawa jutro ok. {time}, {n} kartonów. Faktura w załączniku.",
            "Brak towaru: {product}. Będzie w czwartek.",
            "Cennik na przyszły miesiąc wysłany mailem.",
            "Kierowca stoi pod rampą, może ktoś otworzyć?",
            "Zamówienie przyjęte, wysyłka {date}.",
            "Korekta wystawiona, nr {order}.",
            "Promocja do końca miesiąca: {amount} za karton.",
            "Spóźnimy się ok. pół godziny, korki na obwodnicy.",
            "Dzień dobry, potwierdzam zamówienie na {date} 👍",
            "Dziś nie damy rady, jutro z samego rana.",
        ),
    },
}

LONG: dict[str, tuple[str, ...]] = {
    "in": (
        "Dzień dobry, piszę w sprawie zamówienia {order}. Paczka przyszła wczoraj, ale karton był "
        "cały mokry i połowa rzeczy jest do wyrzucenia. Kurier nie chciał spisać protokołu, "
        "powiedział że to nie jego sprawa. Wysyłam zdjęcia. Proszę o informację, czy mogę liczyć "
        "na wymianę czy na zwrot pieniędzy, bo potrzebuję tego na sobotę. Z góry dziękuję, "
        "{name}.",
        "Dzień dobry,\nmam pytanie odnośnie faktury {order}. Kwota się nie zgadza z tym, co było "
        "w koszyku – w sklepie było {amount}, a na fakturze jest więcej. Czy mogę prosić o "
        "korektę? Dane firmy się nie zmieniły. Dziękuję i pozdrawiam serdecznie 🙂",
        "Witam, od tygodnia próbuję się dodzwonić na infolinię i nikt nie odbiera. Internet "
        "działa co chwilę, zrywa połączenie kilka razy dziennie, a najgorzej jest wieczorem. "
        "Router już resetowałem, kabel też wymieniałem. Proszę o wizytę technika jak najszybciej, "
        "pracuję zdalnie i to jest dla mnie naprawdę poważny problem.",
    ),
    "out": (
        "Dzień dobry {name}, przepraszamy za opóźnienie zamówienia {order}. Wyślemy je jutro "
        "kurierem ekspresowym na nasz koszt.",
    ),
}

PRODUCTS = (
    "kartonów 40×30×20",
    "taśmy pakowej",
    "koszulek bawełnianych M",
    "kubków 330 ml",
    "etykiet termicznych",
    "folii bąbelkowej",
    "toreb papierowych",
)

SIGN_OFF = "Pozdrawiamy, zespół SmsShop"
