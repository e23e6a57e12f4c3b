"""Polish vocabulary for the demo data set: logins, products, message texts, carriers.

Kept apart from the generator so the wording can be tuned without touching the logic that uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SELLER_LOGIN = "sklep_magazyn"
SELLER_ID = "48213377"

FIRST_NAMES: tuple[str, ...] = (
    "Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Joanna", "Magdalena", "Ewa", "Monika", "Zofia", "Aleksandra",
    "Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Marcin", "Łukasz", "Jakub", "Grzegorz", "Wojciech",
)
LAST_NAMES: tuple[str, ...] = (
    "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
    "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Krawczyk", "Piotrowski", "Grabowski", "Pawlak",
)
LOGIN_WORDS: tuple[str, ...] = (
    "kasia", "tomek", "ania", "pawel", "gosia", "marek", "ola", "kuba", "zosia", "bartek", "ewa", "michal",
    "rowerzysta", "mama", "ogrodnik", "majster", "kotek", "krakus", "gdynianka", "poznaniak", "wedkarz", "dziadek",
)
CITIES: tuple[tuple[str, str, str], ...] = (
    # city, post code, street
    ("Warszawa", "02-495", "Aleje Jerozolimskie 212"),
    ("Kraków", "31-153", "ul. Długa 44"),
    ("Poznań", "60-166", "ul. Grunwaldzka 182"),
    ("Wrocław", "50-077", "ul. Ruska 19"),
    ("Gdańsk", "80-831", "ul. Ogarna 7"),
    ("Łódź", "90-136", "ul. Piotrkowska 120"),
    ("Lublin", "20-072", "ul. Narutowicza 3"),
    ("Białystok", "15-281", "ul. Lipowa 30"),
    ("Rzeszów", "35-064", "ul. 3 Maja 15"),
    ("Szczecin", "70-562", "ul. Wojska Polskiego 9"),
)


@dataclass(frozen=True)
class Product:
    name: str  # as the offer's title
    sku_prefix: str
    prices: tuple[int, int]  # PLN, lowest and highest
    sizes: tuple[str, ...] = ()  # the offer's variants; empty: sold in one version
    device: bool = False  # something that can stop working, be repaired or have a manufacturer's warranty


PRODUCTS: tuple[Product, ...] = (
    Product("Buty trekkingowe męskie wodoodporne", "BUT-TRK", (149, 399), sizes=("41", "42", "43", "44", "45")),
    Product("Kurtka zimowa damska z kapturem", "KRT-ZIM", (189, 459), sizes=("XS", "S", "M", "L", "XL")),
    Product("Czajnik elektryczny 1,7 l stal nierdzewna", "AGD-CZJ", (69, 189), device=True),
    Product("Zestaw garnków 8 el. indukcja", "KUC-GRN", (199, 549)),
    Product("Słuchawki bezprzewodowe Bluetooth 5.3", "ELE-SLU", (79, 299), device=True),
    Product("Ładowarka USB-C 65W GaN", "ELE-LAD", (59, 149), device=True),
    Product("Plecak szkolny ergonomiczny 25 l", "PLC-SZK", (89, 229)),
    Product("Klocki konstrukcyjne 500 el.", "ZAB-KLO", (49, 179)),
    Product("Pościel bawełniana 160x200 komplet", "DOM-POS", (99, 249)),
    Product("Lampka biurkowa LED ze ściemniaczem", "DOM-LMP", (59, 159), device=True),
    Product("Wiertarko-wkrętarka 18V z 2 akumulatorami", "NRZ-WKR", (249, 699), device=True),
    Product("Rower dziecięcy 16 cali", "SPT-ROW", (399, 899)),
    Product("Etui silikonowe do telefonu", "ELE-ETU", (19, 49)),
    Product("Kawa ziarnista 1 kg arabika", "SPZ-KAW", (59, 129)),
    Product("Filtr do oczyszczacza powietrza HEPA", "AGD-FLT", (49, 139)),
    Product("Koszulka sportowa termoaktywna", "ODZ-KSZ", (39, 99), sizes=("S", "M", "L", "XL", "XXL")),
    Product("Dywan łazienkowy antypoślizgowy", "DOM-DYW", (29, 89)),
    Product("Karma dla psa sucha 12 kg", "ZWI-KAR", (139, 289)),
)

# (delivery method name, carrier id for the waybill, tracking number style)
DELIVERY_METHODS: tuple[tuple[str, str, str], ...] = (
    ("Allegro Paczkomaty InPost", "INPOST", "inpost"),
    ("Allegro Kurier DPD", "DPD", "dpd"),
    ("Kurier DPD", "DPD", "dpd"),
    ("Allegro One Box, DHL", "ALLEGRO", "allegro"),
    ("Allegro One Kurier", "ALLEGRO", "allegro"),
    ("Allegro Kurier Pocztex", "POCZTA_POLSKA", "pocztex"),
    ("Poczta Polska - list polecony", "POCZTA_POLSKA", "pocztex"),
    ("Allegro Paczkomaty InPost pobranie", "INPOST", "inpost"),
)
PICKUP_POINTS: tuple[tuple[str, str], ...] = (
    ("POZ08A", "Stacja paliw BP"),
    ("WAW123M", "Przy Żabce"),
    ("KRA45N", "Parking Biedronki"),
    ("WRO77A", "Obok apteki"),
    ("GDA12B", "Centrum handlowe, wejście B"),
)

Needs = Literal["any", "sizes", "device"]


@dataclass(frozen=True)
class Topic:
    """What a buyer writes about first, with the subject of an e-mail and the seller's first answer.

    {product} is the offer's title, {size} the variant bought and {other_size} another variant of the same offer;
    `needs` says which products the topic fits ("sizes": one sold in variants, "device": one that can break).
    """

    subject: str
    opener: str
    reply: str
    needs: Needs = "any"


TOPICS: tuple[Topic, ...] = (
    Topic("Pytanie o dostawę",
          "Dzień dobry, kiedy wyślą Państwo moje zamówienie? Potrzebuję go do piątku.",
          "Dzień dobry, zamówienie wyślemy dzisiaj, a numer przesyłki pojawi się w szczegółach zamówienia."),
    Topic("Pytanie o przedmiot",
          "Dzień dobry, czy ten produkt („{product}”) jest dostępny także w rozmiarze {other_size}?",
          "Rozmiar {other_size} jest dostępny, możemy wymienić bez dodatkowych kosztów.",
          needs="sizes"),
    Topic("Faktura",
          "Dzień dobry, proszę o fakturę VAT na firmę, NIP podałem w formularzu zamówienia.",
          "Dzień dobry, faktura została wystawiona i wysłana na adres e-mail z Allegro."),
    Topic("Faktura",
          "Czy mogę prosić o fakturę? Zapomniałem zaznaczyć tego przy zakupie.",
          "Oczywiście, proszę tylko podać NIP i dane firmy, fakturę wyślemy jeszcze dziś."),
    Topic("Uszkodzona przesyłka",
          "Paczka przyszła uszkodzona: karton był zgnieciony, a zawartość jest porysowana. Co mam zrobić?",
          "Przepraszamy za kłopot. Prosimy o zdjęcia uszkodzenia, od razu wyślemy nowy egzemplarz."),
    Topic("Zwrot towaru",
          "Chciałabym zwrócić „{product}”: rozmiar {size} jest za mały. Jak zrobić zwrot?",
          "Zwrot można nadać w Allegro Paczkomatach InPost; kod zwrotu jest w zakładce Moje zakupy.",
          needs="sizes"),
    Topic("Zwrot towaru",
          "Dzień dobry, chcę odstąpić od umowy i zwrócić zamówienie. Na jaki adres mam je odesłać?",
          "Zwrot można nadać w Allegro Paczkomatach InPost; kod zwrotu jest w zakładce Moje zakupy."),
    Topic("Pytanie o dostawę",
          "Dzień dobry, według śledzenia przesyłka od trzech dni stoi w sortowni.",
          "Dzień dobry, zgłosiliśmy to przewoźnikowi. Przesyłka jest już w drodze i powinna dotrzeć jutro."),
    Topic("Brakujący element",
          "W paczce nie było paragonu ani instrukcji. Czy mogą je Państwo dosłać?",
          "Brakujące dokumenty wysłaliśmy dziś listem, paragon jest też w załączniku do zamówienia."),
    Topic("Zmiana adresu",
          "Czy można zmienić adres dostawy? Wpisałem zły numer mieszkania.",
          "Zmieniliśmy adres dostawy zgodnie z prośbą."),
    Topic("Pytanie o dostawę",
          "Witam, ile trwa wysyłka kurierem DPD? Zamówienie jest opłacone od wczoraj.",
          "Dzień dobry, przesyłka jest już u kuriera, powinna dotrzeć jutro."),
    Topic("Pomyłka w zamówieniu",
          "Zamówiłam „{product}” w rozmiarze {size}, a dostałam {other_size}. Proszę o wymianę.",
          "Przepraszamy za pomyłkę. Rozmiar {size} wyślemy od razu, a źle wysłany prosimy odesłać na nasz koszt.",
          needs="sizes"),
    Topic("Pytanie o przedmiot",
          "Czy produkt „{product}” ma gwarancję producenta? Na ile miesięcy?",
          "Dzień dobry, gwarancja producenta obowiązuje 24 miesiące od daty zakupu, karta jest w pudełku.",
          needs="device"),
    Topic("Zwrot pieniędzy",
          "Zwrot odesłałem tydzień temu, a pieniądze jeszcze nie wróciły. Kiedy mogę się ich spodziewać?",
          "Pieniądze za zwrot zostały przelane, powinny być na koncie w ciągu 2 dni roboczych."),
    Topic("Numer przesyłki",
          "Numer przesyłki nie działa na stronie przewoźnika. Czy to na pewno dobry numer?",
          "Numer jest poprawny, przewoźnik pokazuje go zwykle kilka godzin po nadaniu."),
    Topic("Odbiór osobisty",
          "Czy mogę odebrać zamówienie osobiście w Poznaniu?",
          "Niestety nie mamy punktu odbioru, wysyłamy tylko przez przewoźników."),
)
BUYER_FOLLOWUPS: tuple[str, ...] = (
    "Dziękuję za szybką odpowiedź.",
    "A kiedy dokładnie będzie wysyłka?",
    "Nadal nic nie dostałem, proszę o informację.",
    "Dobrze, w takim razie czekam na kuriera.",
    "Faktura nie doszła na maila, proszę wysłać jeszcze raz.",
    "OK, a czy mogę dopłacić do szybszej dostawy?",
    "Paczka dotarła, wszystko w porządku. Pozdrawiam!",
    "Proszę o pilny kontakt, sprawa jest ważna.",
    "Jaki jest numer przesyłki?",
    "Zamówienie nadal ma status „w realizacji”.",
)
SELLER_REPLIES: tuple[str, ...] = (
    "Dzień dobry, przesyłka jest już u kuriera, powinna dotrzeć jutro.",
    "Numer przesyłki jest w szczegółach zamówienia w zakładce Moje zakupy.",
    "Sprawdziliśmy: paczka została nadana wczoraj po południu.",
    "Dziękujemy za zakup i pozdrawiamy z magazynu!",
)

@dataclass(frozen=True)
class IssueReason:
    """A reason type from the contract's enum, its Polish subject as Allegro shows it, the buyer's first words and
    the seller's first answer."""

    reason_type: str
    subject: str
    buyer_text: str
    reply: str
    needs: Needs = "any"


_SEND_NEW = "Bardzo przepraszamy. Wyślemy nowy egzemplarz, a numer przesyłki pojawi się w zamówieniu."
_SEND_BACK = "Dzień dobry, bardzo przepraszamy. Prosimy odesłać produkt, koszt przesyłki pokrywamy my."


ISSUE_REASONS: tuple[IssueReason, ...] = (
    IssueReason("PRODUCT_AND_PARCEL_DAMAGED_IN_TRANSIT", "Produkt i paczka uszkodzone w transporcie",
                "Produkt przyszedł uszkodzony, w załączeniu zdjęcia.", _SEND_NEW),
    IssueReason("PRODUCT_AND_PARCEL_DAMAGED_IN_TRANSIT", "Produkt i paczka uszkodzone w transporcie",
                "Kurier zostawił paczkę pod drzwiami i była mokra.",
                "Prosimy o zdjęcia produktu i etykiety z paczki, zgłosimy szkodę przewoźnikowi."),
    IssueReason("NO_PRODUCT_IN_PARCEL", "Brak produktu w paczce",
                "W paczce nie było zamówionego towaru, tylko wypełniacz.",
                "Przepraszamy, sprawdzamy to z magazynem. Prosimy o zdjęcie zawartości paczki i etykiety."),
    IssueReason("MISSING_PRODUCT_ELEMENT", "Brak elementu produktu",
                "W pudełku brakuje części, której nie da się dokupić osobno.",
                "Brakującą część wyślemy osobną paczką, numer przesyłki podamy w wiadomości."),
    IssueReason("DEFECT_FOUND_DURING_USE", "Wada wykryta podczas używania",
                "Po tygodniu używania urządzenie przestało działać. Proszę o naprawę albo zwrot pieniędzy.",
                "Reklamację przekazaliśmy do serwisu producenta. Prosimy odesłać urządzenie, koszt pokrywamy my.",
                needs="device"),
    IssueReason("NOT_AS_DESCRIBED", "Produkt niezgodny z opisem",
                "Kolor zupełnie inny niż na zdjęciach w ofercie.", _SEND_BACK),
    IssueReason("NOT_AS_DESCRIBED", "Produkt niezgodny z opisem",
                "„{product}” w rozmiarze {size} jest wyraźnie mniejsze, niż podaje tabela rozmiarów w ofercie.",
                "Możemy wymienić na rozmiar {other_size} bez dodatkowych kosztów albo zwrócić pieniądze.",
                needs="sizes"),
    IssueReason("NO_PRODUCT_RECEIVED", "Nie otrzymałem produktu",
                "Minęły dwa tygodnie, a paczka nadal do mnie nie dotarła.",
                "Złożyliśmy reklamację u przewoźnika. Jeśli paczka nie dotrze do piątku, wyślemy nową."),
    IssueReason("NO_REFUND_AFTER_RETURNING_PRODUCT", "Brak zwrotu pieniędzy po odesłaniu produktu",
                "Odesłałem towar 10 dni temu i nadal nie mam zwrotu pieniędzy.",
                "Zwrot pieniędzy został zlecony, prosimy sprawdzić konto."),
)
ISSUE_BUYER_TEXTS: tuple[str, ...] = (
    "Proszę o wymianę na nowy egzemplarz.",
    "Czekam na odpowiedź już trzeci dzień.",
    "Dołączam zdjęcia, proszę o szybką decyzję.",
    "Wolę zwrot pieniędzy niż wymianę.",
)
ISSUE_SELLER_TEXTS: tuple[str, ...] = (
    "Dziękujemy, sprawdzamy i odpiszemy jeszcze dziś.",
    "Prosimy o cierpliwość, sprawa jest w toku.",
    "Dziękujemy za informację, przekazaliśmy ją do działu reklamacji.",
)
# What Allegro itself writes into an issue's chat after it was opened, by the issue's type.
ISSUE_SYSTEM_TEXTS: dict[str, tuple[str, ...]] = {
    "DISPUTE": ("Kupujący poprosił Allegro o pomoc w rozwiązaniu dyskusji.", "Doradca Allegro dołączył do rozmowy."),
    "CLAIM": ("Status reklamacji został zmieniony.", "Kupujący dodał nowe informacje do reklamacji."),
}
ATTACHMENT_NAMES: tuple[tuple[str, str], ...] = (
    ("zdjecie_uszkodzenia.jpg", "image/jpeg"),
    ("paczka.png", "image/png"),
    ("paragon.pdf", "application/pdf"),
    ("faktura_FV_2026_11.pdf", "application/pdf"),
    ("etykieta_zwrotna.pdf", "application/pdf"),
    ("IMG_20261112_1043.jpg", "image/jpeg"),
)
