"""Polish vocabulary for the demo data set: logins, products, message texts, carriers.

Kept apart from the generator so the wording can be tuned without touching the logic that uses it.
"""

from __future__ import annotations

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

# (name, SKU prefix, price range in PLN)
PRODUCTS: tuple[tuple[str, str, tuple[int, int]], ...] = (
    ("Buty trekkingowe męskie wodoodporne", "BUT-TRK", (149, 399)),
    ("Kurtka zimowa damska z kapturem", "KRT-ZIM", (189, 459)),
    ("Czajnik elektryczny 1,7 l stal nierdzewna", "AGD-CZJ", (69, 189)),
    ("Zestaw garnków 8 el. indukcja", "KUC-GRN", (199, 549)),
    ("Słuchawki bezprzewodowe Bluetooth 5.3", "ELE-SLU", (79, 299)),
    ("Ładowarka USB-C 65W GaN", "ELE-LAD", (59, 149)),
    ("Plecak szkolny ergonomiczny 25 l", "PLC-SZK", (89, 229)),
    ("Klocki konstrukcyjne 500 el.", "ZAB-KLO", (49, 179)),
    ("Pościel bawełniana 160x200 komplet", "DOM-POS", (99, 249)),
    ("Lampka biurkowa LED ze ściemniaczem", "DOM-LMP", (59, 159)),
    ("Wiertarko-wkrętarka 18V z 2 akumulatorami", "NRZ-WKR", (249, 699)),
    ("Rower dziecięcy 16 cali", "SPT-ROW", (399, 899)),
    ("Etui silikonowe do telefonu", "ELE-ETU", (19, 49)),
    ("Kawa ziarnista 1 kg arabika", "SPZ-KAW", (59, 129)),
    ("Filtr do oczyszczacza powietrza HEPA", "AGD-FLT", (49, 139)),
    ("Koszulka sportowa termoaktywna", "ODZ-KSZ", (39, 99)),
    ("Dywan łazienkowy antypoślizgowy", "DOM-DYW", (29, 89)),
    ("Karma dla psa sucha 12 kg", "ZWI-KAR", (139, 289)),
)
SIZES: tuple[str, ...] = ("S", "M", "L", "XL", "38", "40", "42", "44")

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

THREAD_SUBJECTS: tuple[str, ...] = (
    "Pytanie o przedmiot", "Pytanie o dostawę", "Faktura", "Zwrot towaru", "Uszkodzona przesyłka", "Rozmiar",
)

# Buyer openers, grouped by topic: {product} and {size} are filled in by the generator.
BUYER_OPENERS: tuple[str, ...] = (
    "Dzień dobry, kiedy wyślą Państwo moje zamówienie? Potrzebuję {product} do piątku.",
    "Witam, czy {product} jest dostępny w rozmiarze {size}?",
    "Dzień dobry, proszę o fakturę VAT na firmę, NIP podałem w formularzu zamówienia.",
    "Czy mogę prosić o wystawienie faktury? Zapomniałem zaznaczyć przy zakupie.",
    "Paczka przyszła uszkodzona, karton był zgnieciony, a {product} ma pęknięcie. Co mam zrobić?",
    "Chciałabym zwrócić towar, rozmiar {size} jest za mały. Jak zrobić zwrot?",
    "Dzień dobry, paczkomat pokazuje, że przesyłka utknęła w sortowni od trzech dni.",
    "W paczce zabrakło jednego elementu zestawu. Proszę o dosłanie.",
    "Czy można zmienić adres dostawy? Wpisałem zły numer mieszkania.",
    "Witam, ile trwa wysyłka kurierem DPD? Zamówienie jest opłacone od wczoraj.",
    "Dostałam inny kolor niż zamówiony. Proszę o wymianę.",
    "Czy {product} ma gwarancję producenta? Ile miesięcy?",
    "Zwrot odesłałem tydzień temu, a pieniądze jeszcze nie wróciły. Kiedy mogę się spodziewać?",
    "Numer przesyłki nie działa na stronie przewoźnika. Czy to poprawny numer?",
    "Czy mogę odebrać zamówienie osobiście w Poznaniu?",
)
BUYER_FOLLOWUPS: tuple[str, ...] = (
    "Dziękuję za szybką odpowiedź.",
    "A kiedy dokładnie będzie wysyłka?",
    "Nadal nic nie dostałem, proszę o informację.",
    "Przesyłam zdjęcie uszkodzenia w załączniku.",
    "Dobrze, w takim razie czekam na kuriera.",
    "Faktura nie doszła na maila, proszę wysłać jeszcze raz.",
    "Czy zwrot mam wysłać na adres z oferty?",
    "OK, a czy mogę dopłacić do szybszej dostawy?",
    "Paczka dotarła, wszystko w porządku. Pozdrawiam!",
    "Proszę o pilny kontakt, sprawa jest ważna.",
    "Jaki jest numer przesyłki?",
    "Zamówienie nadal ma status „w realizacji”.",
)
SELLER_REPLIES: tuple[str, ...] = (
    "Dzień dobry, zamówienie zostanie wysłane dzisiaj, numer przesyłki pojawi się w szczegółach zamówienia.",
    "Dzień dobry, faktura została wystawiona i wysłana na adres e-mail z Allegro.",
    "Przepraszamy za kłopot. Prosimy o zdjęcia uszkodzenia, od razu wyślemy nowy egzemplarz.",
    "Zwrot prosimy nadać przez Allegro Paczkomaty InPost, kod zwrotu jest w zakładce Moje zakupy.",
    "Rozmiar {size} jest dostępny, możemy wymienić bez dodatkowych kosztów.",
    "Dzień dobry, przesyłka jest już u kuriera, powinna dotrzeć jutro.",
    "Zmieniliśmy adres dostawy zgodnie z prośbą.",
    "Pieniądze za zwrot zostały przelane, powinny być na koncie w ciągu 2 dni roboczych.",
    "Brakujący element wysłaliśmy osobną paczką.",
    "Dziękujemy za zakup i pozdrawiamy z magazynu!",
)

ISSUE_SUBJECTS: tuple[tuple[str, str], ...] = (
    # (reason type from the contract enum, Polish subject text as Allegro shows it)
    ("PRODUCT_AND_PARCEL_DAMAGED_IN_TRANSIT", "Produkt i paczka uszkodzone w transporcie"),
    ("NO_PRODUCT_IN_PARCEL", "Brak produktu w paczce"),
    ("MISSING_PRODUCT_ELEMENT", "Brak elementu produktu"),
    ("DEFECT_FOUND_DURING_USE", "Wada wykryta podczas używania"),
    ("NOT_AS_DESCRIBED", "Produkt niezgodny z opisem"),
    ("NO_PRODUCT_RECEIVED", "Nie otrzymałem produktu"),
    ("NO_REFUND_AFTER_RETURNING_PRODUCT", "Brak zwrotu pieniędzy po odesłaniu produktu"),
)
ISSUE_BUYER_TEXTS: tuple[str, ...] = (
    "Produkt przyszedł uszkodzony, w załączeniu zdjęcia.",
    "Po tygodniu używania przestał działać. Proszę o naprawę albo zwrot pieniędzy.",
    "W paczce nie było zamówionego towaru, tylko wypełniacz.",
    "Odesłałem towar 10 dni temu i nadal nie mam zwrotu pieniędzy.",
    "Kolor zupełnie inny niż na zdjęciach w ofercie.",
    "Proszę o wymianę na nowy egzemplarz.",
    "Kurier zostawił paczkę pod drzwiami i była mokra.",
    "Czekam na odpowiedź już trzeci dzień.",
)
ISSUE_SELLER_TEXTS: tuple[str, ...] = (
    "Dzień dobry, bardzo przepraszamy. Prosimy odesłać produkt, koszt pokrywamy my.",
    "Zwrot pieniędzy został zlecony, prosimy sprawdzić konto.",
    "Wysłaliśmy nowy egzemplarz, numer przesyłki w zamówieniu.",
    "Prosimy o dodatkowe zdjęcia tabliczki znamionowej.",
    "Reklamację przekazaliśmy do serwisu producenta.",
)
ISSUE_SYSTEM_TEXTS: tuple[str, ...] = (
    "Kupujący otworzył dyskusję.",
    "Doradca Allegro dołączył do rozmowy.",
    "Status reklamacji został zmieniony.",
)
ATTACHMENT_NAMES: tuple[tuple[str, str], ...] = (
    ("zdjecie_uszkodzenia.jpg", "image/jpeg"),
    ("paczka.png", "image/png"),
    ("paragon.pdf", "application/pdf"),
    ("faktura_FV_2026_11.pdf", "application/pdf"),
    ("etykieta_zwrotna.pdf", "application/pdf"),
    ("IMG_20261112_1043.jpg", "image/jpeg"),
)
