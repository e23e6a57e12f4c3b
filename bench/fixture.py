"""A realistic seller's cache, built once per size and kept on disk for every benchmark.

100,000 conversations and 1,000,000 messages by default (1k and 10k selectable): Polish text whose words follow
a Zipf-like frequency (a few words everywhere, a long tail of rare ones), diacritics including ł, logins and
order ids shaped like Allegro's, a few long conversations and one with 2,000 messages. Every conversation's order
is in the order cache as store/orders.py keeps it: line items from a catalogue of products (a name with Polish
letters, a SKU shared by the orders of that product) and most with one or two waybills (InPost, DPD, Poczta
Polska shapes). It is built by bulk SQL into a database migrated to head; the search indexes are then filled the
way the app keeps them (their triggers are set aside during the bulk insert and put back exactly as the
migrations wrote them, then the indexes are rebuilt as the migrations build them).
The result is checked once through the real Store.

The built cache lives under the system temp folder, keyed by its parameters and the schema head revision, and is
never changed by a benchmark: `working_copy` gives each run its own copy of the data folder.

Run: python -m bench.fixture [--size 1k|10k|100k] [--rebuild]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sqlite3
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

# Bump when what the builder writes changes, so stale caches are not reused.
BUILDER_VERSION = 4  # 4: orders with line items and waybills in the order cache, for the identifier index
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
MESSAGES_PER_CONVERSATION = 10
LONG_CONVERSATION_MESSAGES = 2_000
SELLER_LOGIN = "sklep_magazyn"
ACCOUNT_ID = 1
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)

# Words with deliberately few occurrences, so a "rare word" search has a known answer.
RARE_WORDS = ("źdźbło", "żółwiątko", "chrząszczyk")
RARE_OCCURRENCES = 3

# Common words of a seller's inbox first: rank decides frequency.
_WORDS = (
    "dzień dobry proszę zamówienie paczka dziękuję kiedy czy jest będzie wysyłka przesyłka kurier paczkomat "
    "numer faktura zwrot reklamacja rozmiar kolor towar produkt uszkodzony wymiana gwarancja dostawa odbiór "
    "płatność przelew zapłaciłem zapłaciłam wysłałem wysłała otrzymałem otrzymałam dotarła doszła nie tak "
    "bardzo pozdrawiam serdecznie uprzejmie prośba pytanie odpowiedź informacja termin jutro dzisiaj wczoraj "
    "tydzień miesiąc złoty złotych cena rabat koszt bezpłatny darmowy opakowanie karton folia taśma etykieta "
    "adres ulica miasto kod pocztowy telefon mail wiadomość czekam oczekuję proszę pilne szybko dłużej "
    "później wcześniej zamówiłem zamówiłam kupiłem kupiłam aukcja oferta allegro smart punkt odbioru "
    "list polecony pobranie zwrotu pieniędzy środki konto rachunek paragon imienna firma nip zakup sztuka "
    "sztuki komplet zestaw brakuje brak części instrukcja montaż działa działał zepsuł pękł pęknięty "
    "porysowany zabrudzony mokry zgnieciony rozbity szkło ceramika drewno metal plastik tkanina bawełna "
    "skóra wełna łóżko łazienka kuchnia ogród półka szafka stół krzesło lampa żarówka kabel ładowarka "
    "bateria akumulator telefonu laptopa zegarek buty kurtka spodnie sukienka koszula bluza czapka rękawiczki "
    "zabawka gra książka płyta narzędzie wiertarka młotek śrubokręt klucz piła łopata grabie wąż doniczka "
    "nasiona nawóz karma pies kot rower kask łańcuch opona dętka pompka siodełko hamulec przerzutka "
    "mały duży średni czerwony niebieski zielony czarny biały szary żółty różowy brązowy beżowy granatowy "
    "pomyłka błąd zły inny właściwy prawidłowy poprawny dobry świetny polecam niezadowolony zadowolony "
    "wspaniały szybka miła obsługa sprzedawca kupujący klient sklep magazyn stan dostępność zapas "
    "zamienić wymienić oddać odesłać przysłać dosłać dołożyć zapakować nadać odebrać sprawdzić potwierdzić "
    "anulować zmienić poprawić wystawić przesłać skontaktować zadzwonić odpisać napisać czekać liczyć"
).split()
_SUFFIXES = ("", "ami", "ach", "owi", "ką", "ło", "łem", "ście", "ową", "ny")
_FIRST_NAMES = ("anna", "marek", "piotr", "kasia", "tomek", "agnieszka", "łukasz", "małgosia", "paweł", "ola",
                "michał", "ewa", "krzysiek", "basia", "wojtek", "zosia", "jarek", "iza", "bartek", "gosia")
_PRODUCTS = ("kubek", "lampa", "kurtka", "buty", "ładowarka", "kabel", "półka", "szafka", "krzesło", "łóżko",
             "żarówka", "zegarek", "plecak", "rower", "kask", "opona", "dętka", "pompka", "wiertarka", "młotek",
             "śrubokręt", "piła", "łopata", "grabie", "doniczka", "zabawka", "książka", "bluza", "czapka", "koszula")
_MATERIALS = ("ceramiczny", "drewniany", "metalowy", "bawełniany", "skórzany", "wełniany", "szklany", "plastikowy")
_COLOURS = ("żółty", "czerwony", "niebieski", "zielony", "czarny", "biały", "szary", "różowy", "brązowy", "beżowy")
CATALOGUE_SIZE = 5_000  # products: a SKU is shared by the orders of one product
_SURNAMES = ("kowalski", "nowak", "wiśniewska", "wójcik", "kamińska", "lewandowski", "zieliński", "szymańska",
             "woźniak", "dąbrowski", "kozłowska", "jankowski", "mazur", "krawczyk", "piotrowska", "grabowski")


def vocabulary() -> list[str]:
    """The words in rank order: each base word, then its inflected-looking forms further down the tail."""
    ranked = list(_WORDS)
    for suffix in _SUFFIXES[1:]:
        ranked.extend(word + suffix for word in _WORDS if len(word) > 3)
    return ranked


@dataclass(frozen=True)
class FixtureSpec:
    conversations: int
    messages: int
    seed: int = 11

    @classmethod
    def of_size(cls, name: str) -> FixtureSpec:
        conversations = SIZES[name]
        return cls(conversations=conversations, messages=conversations * MESSAGES_PER_CONVERSATION)

    @property
    def long_conversations(self) -> int:
        """Conversations of 100 messages besides the one of 2,000: one in a hundred."""
        return max(1, self.conversations // 100)


@dataclass(frozen=True)
class Fixture:
    """A built cache: its data folder (never to be written to) and what it promises."""

    spec: FixtureSpec
    data_dir: Path
    threads: int
    issues: int
    long_conversation_id: str
    probe_login: str  # a buyer login that appears on exactly one conversation
    probe_order_id: str  # an order id of exactly one conversation
    probe_waybill: str  # a waybill of that order
    probe_sku: str  # a SKU of one of its line items

    @property
    def database(self) -> Path:
        from magazyn_desktop.paths import DATABASE_NAME

        return self.data_dir / DATABASE_NAME


def _stored_time(moment: datetime) -> str:
    """As the UtcDateTime column stores it (SQLAlchemy's SQLite format, UTC, naive)."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _uuid(rng: random.Random) -> str:
    digest = f"{rng.getrandbits(128):032x}"
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:]}"


def _thread_id(rng: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(rng.choice(alphabet) for _ in range(43))


def _message_counts(spec: FixtureSpec, rng: random.Random) -> list[int]:
    """Messages per conversation: the first has 2,000, the next ones 100, the rest share what is left unevenly."""
    long_count = min(spec.long_conversations, spec.conversations - 1)
    counts = [LONG_CONVERSATION_MESSAGES] + [100] * long_count
    rest = spec.conversations - len(counts)
    left = spec.messages - sum(counts)
    if rest <= 0 or left < rest:
        raise ValueError(f"{spec} cannot hold its long conversations")
    average = left / rest
    shares = [rng.randint(1, max(1, round(2 * average - 1))) for _ in range(rest)]
    difference = left - sum(shares)
    while difference:
        position = rng.randrange(rest)
        if difference > 0:
            shares[position] += 1
            difference -= 1
        elif shares[position] > 1:
            shares[position] -= 1
            difference += 1
    return counts + shares


class _TextMaker:
    """Sentences of Zipf-distributed words; s a little over 1, as word counts of natural text are."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._words = vocabulary()
        weights = [1.0 / (rank ** 1.07) for rank in range(1, len(self._words) + 1)]
        total = 0.0
        self._cumulative = []
        for weight in weights:
            total += weight
            self._cumulative.append(total)

    def text(self, order_id: str | None) -> str:
        words = self._rng.choices(self._words, cum_weights=self._cumulative, k=self._rng.randint(4, 22))
        words[0] = words[0].capitalize()
        if order_id is not None and self._rng.random() < 0.15:
            words.insert(self._rng.randrange(len(words)), f"zamówienie {order_id}")
        return " ".join(words) + self._rng.choice((".", "?", "!", "."))


def catalogue(rng: random.Random) -> list[tuple[str, str]]:
    """(SKU, product name) of every product: "Kubek ceramiczny żółty 300 ml", "KUB-01234-ZOL"."""
    products = []
    for number in range(CATALOGUE_SIZE):
        product, material, colour = rng.choice(_PRODUCTS), rng.choice(_MATERIALS), rng.choice(_COLOURS)
        size = rng.choice(("", " 300 ml", " XL", " 40 cm", " 2 szt.", " M"))
        name = f"{product.capitalize()} {material} {colour}{size}"
        ascii_name = product.translate(str.maketrans("ąćęłńóśźż", "acelnoszz"))
        ascii_colour = colour.translate(str.maketrans("ąćęłńóśźż", "acelnoszz"))
        products.append((f"{ascii_name[:3].upper()}-{number:05d}-{ascii_colour[:3].upper()}", name))
    return products


def _waybill(rng: random.Random) -> str:
    """A tracking number as the carriers print them: InPost, DPD or Poczta Polska."""
    shape = rng.random()
    if shape < 0.6:
        return "6" + "".join(rng.choice("0123456789") for _ in range(23))
    if shape < 0.85:
        return f"0000{rng.randrange(10**9):09d}U"
    return f"PX{rng.randrange(10**9):09d}PL"


def _order_row(rng: random.Random, order_id: str, login: str, products: list[tuple[str, str]],
               bought_at: datetime) -> tuple[tuple[object, ...], list[tuple[str, str, str]], str]:
    """An orders row as store/orders.py writes it (the JSON of the Order record's fields), its tracking_numbers
    rows and its first SKU."""
    from magazyn_desktop.store.orders import ORDER_JSON_VERSION

    items = [{"offer_id": str(rng.randrange(10**10, 10**11)), "name": name, "sku": sku,
              "quantity": rng.randint(1, 3), "price": f"{rng.randint(5, 500)}.99", "currency": "PLN"}
             for sku, name in rng.sample(products, rng.choice((1, 1, 1, 2, 2, 3)))]
    carrier = rng.choice(("INPOST", "DPD", "POCZTA_POLSKA"))
    shipments = [{"waybill": _waybill(rng), "carrier": carrier, "created_at": None}
                 for _ in range(rng.choice((0, 1, 1, 1, 2)))]
    order = {"id": order_id, "buyer_login": login, "status": "READY_FOR_PROCESSING",
             "fulfillment_status": "SENT" if shipments else "NEW", "delivery_method": "Paczkomat InPost 24/7",
             "line_items": items, "shipments": shipments, "total": f"{rng.randint(10, 900)}.00", "currency": "PLN",
             "message_to_seller": None, "bought_at": bought_at.isoformat()}
    form = json.dumps({"version": ORDER_JSON_VERSION, "order": order}, ensure_ascii=False)
    waybills = json.dumps([{"waybill": s["waybill"], "carrier": s["carrier"]} for s in shipments], ensure_ascii=False)
    row = (order_id, ACCOUNT_ID, login, form, waybills, _stored_time(bought_at))
    return row, [(s["waybill"], order_id, s["carrier"]) for s in shipments], str(items[0]["sku"])


def cache_root() -> Path:
    return Path(tempfile.gettempdir()) / "magazyn-bench-fixtures"


def _key(spec: FixtureSpec) -> str:
    from magazyn_desktop.store.schema_version import HEAD_REVISION

    name = json.dumps({**asdict(spec), "head": HEAD_REVISION, "builder": BUILDER_VERSION}, sort_keys=True)
    return f"{spec.conversations}c-{spec.messages}m-{hashlib.sha256(name.encode()).hexdigest()[:12]}"


def fixture(spec: FixtureSpec, *, rebuild: bool = False, log: bool = True) -> Fixture:
    """The cache for `spec`, built when missing (or when `rebuild`)."""
    folder = cache_root() / _key(spec)
    manifest = folder / "fixture.json"
    if rebuild and folder.exists():
        shutil.rmtree(folder)
    if not manifest.exists():
        started = time.perf_counter()
        building = folder.with_name(folder.name + f".building-{time.time_ns()}")
        built = _build(spec, building / "data")
        check(built)
        (building / "fixture.json").write_text(json.dumps(_manifest(built), indent=1), encoding="utf-8")
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            building.rename(folder)
        except OSError:  # another run finished the same build first
            shutil.rmtree(building, ignore_errors=True)
        if log:
            print(f"built the {spec.conversations:,}-conversation fixture in {time.perf_counter() - started:.1f} s "
                  f"at {folder}", flush=True)
    return _load(spec, folder)


def _manifest(built: Fixture) -> dict[str, object]:
    return {"spec": asdict(built.spec), "threads": built.threads, "issues": built.issues,
            "long_conversation_id": built.long_conversation_id, "probe_login": built.probe_login,
            "probe_order_id": built.probe_order_id, "probe_waybill": built.probe_waybill,
            "probe_sku": built.probe_sku}


def _load(spec: FixtureSpec, folder: Path) -> Fixture:
    values = json.loads((folder / "fixture.json").read_text(encoding="utf-8"))
    return Fixture(spec=spec, data_dir=folder / "data", threads=values["threads"], issues=values["issues"],
                   long_conversation_id=values["long_conversation_id"], probe_login=values["probe_login"],
                   probe_order_id=values["probe_order_id"], probe_waybill=values["probe_waybill"],
                   probe_sku=values["probe_sku"])


def _build(spec: FixtureSpec, data_dir: Path) -> Fixture:
    from magazyn_desktop.paths import resolve_paths
    from magazyn_desktop.store.migrate import upgrade_to_head
    from magazyn_desktop.store.search_index import rebuild_search_index
    from magazyn_desktop.store.search_terms import rebuild_search_terms

    paths = resolve_paths(data_dir)
    paths.ensure()
    upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
    rng = random.Random(spec.seed)
    texts = _TextMaker(rng)
    counts = _message_counts(spec, rng)
    products = catalogue(random.Random(spec.seed + 1))  # its own stream: the conversations stay as they were
    order_rng = random.Random(spec.seed + 2)
    span = timedelta(days=730)  # two years of archive

    connection = sqlite3.connect(paths.database)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    triggers = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                                  "('messages', 'conversations', 'orders', 'tracking_numbers', 'order_choices')"
                                  ).fetchall()
    conversations: list[tuple[object, ...]] = []
    messages: list[tuple[object, ...]] = []
    order_rows: list[tuple[object, ...]] = []
    waybill_rows: list[tuple[str, str, str]] = []
    first_waybills: dict[str, tuple[str, str]] = {}  # per order: its first waybill and first SKU
    threads = issues = 0
    logins_seen: dict[str, int] = {}
    orders: list[str | None] = []
    logins: list[str] = []
    long_id = ""
    with connection:
        for name, _sql in triggers:  # put back below, exactly as the migration made them
            connection.execute(f"DROP TRIGGER {name}")
        connection.execute(
            "INSERT INTO accounts (id, environment, login, is_active, created_at) VALUES (?, 'demo', ?, 1, ?)",
            (ACCOUNT_ID, SELLER_LOGIN, _stored_time(NOW - span)))
        for number, count in enumerate(counts):
            is_issue = number % 10 == 3
            conversation_id = _uuid(rng) if is_issue else _thread_id(rng)
            if number == 0:
                long_id = conversation_id
            first = rng.choice(_FIRST_NAMES)
            login = rng.choice((f"{first}.{rng.choice(_SURNAMES)}{rng.randint(1, 99)}",
                                f"{first}_{rng.randint(1000, 99999)}", f"{rng.choice(_SURNAMES)}-{first}"))
            login = login.replace("ł", "l").replace("ś", "s").replace("ń", "n").replace("ą", "a").replace(
                "ę", "e").replace("ó", "o").replace("ż", "z").replace("ź", "z").replace("ć", "c")
            logins_seen[login] = logins_seen.get(login, 0) + 1
            logins.append(login)
            order_id = _uuid(rng) if is_issue or rng.random() < 0.66 else None
            orders.append(order_id)
            longest_step = 600 if count < 200 else 20  # minutes between messages; long talks are brisk
            # More recent conversations than old ones, and none running past NOW.
            started_at = min(NOW - span * rng.random() ** 0.6, NOW - timedelta(minutes=count * longest_step))
            moment = started_at
            if order_id is not None:
                order_row, waybills, sku = _order_row(order_rng, order_id, login, products, started_at)
                order_rows.append(order_row)
                waybill_rows.extend(waybills)
                if waybills:
                    first_waybills[order_id] = (waybills[0][0], sku)
            last_role = "BUYER"
            last_text = ""
            for position in range(count):
                moment += timedelta(minutes=rng.randint(1, longest_step))
                last_role = "BUYER" if position % 2 == 0 or rng.random() < 0.2 else "SELLER"
                last_text = texts.text(order_id)
                messages.append((_uuid(rng), conversation_id, last_role,
                                 login if last_role == "BUYER" else SELLER_LOGIN, last_text, _stored_time(moment),
                                 "DELIVERED" if is_issue else None, "REGULAR" if is_issue else None))
            closed = number % 7 == 0
            sub_kind = ("POST_PURCHASE_ISSUE", "DISPUTE", "CLAIM")[number // 10 % 3] if is_issue else "COMMON"
            status = ("CLOSED" if closed else "ONGOING") if is_issue else ("CLOSED" if closed else "OPEN")
            conversations.append((
                conversation_id, ACCOUNT_ID, "issue" if is_issue else "thread", sub_kind,
                "REFUND" if sub_kind == "POST_PURCHASE_ISSUE" else None, status, 0 if closed and is_issue else 1,
                int(rng.random() > 0.03), int(last_role == "BUYER" and not closed), _stored_time(moment), login,
                order_id, None, last_text[:240], _stored_time(moment), count if is_issue else None,
                "DELIVERED" if is_issue else None, _stored_time(moment), _stored_time(moment)))
            threads += not is_issue
            issues += is_issue
            if len(messages) >= 50_000:
                _insert(connection, conversations, messages, order_rows, waybill_rows)
        _insert(connection, conversations, messages, order_rows, waybill_rows)
        # The rare words, each in a few messages spread over the archive.
        for word in RARE_WORDS:
            rowids = rng.sample(range(1, spec.messages + 1), RARE_OCCURRENCES)
            connection.executemany("UPDATE messages SET text = text || ' ' || ? WHERE rowid = ?",
                                   ((word, rowid) for rowid in rowids))
        for _name, sql in triggers:
            connection.execute(sql)
        rebuild_search_index(connection)
        rebuild_search_terms(connection)
    connection.execute("ANALYZE")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    probe = next(number for number in range(spec.conversations // 2, spec.conversations)
                 if orders[number] in first_waybills and logins_seen[logins[number]] == 1)
    waybill, sku = first_waybills[str(orders[probe])]
    return Fixture(spec=spec, data_dir=paths.data, threads=threads, issues=issues, long_conversation_id=long_id,
                   probe_login=logins[probe], probe_order_id=str(orders[probe]), probe_waybill=waybill,
                   probe_sku=sku)


def _insert(connection: sqlite3.Connection, conversations: list[tuple[object, ...]],
            messages: list[tuple[object, ...]], order_rows: list[tuple[object, ...]],
            waybill_rows: list[tuple[str, str, str]]) -> None:
    connection.executemany(
        "INSERT INTO conversations (id, account_id, kind, sub_kind, sub_type, status, can_reply, read, needs_reply, "
        "last_activity_at, interlocutor_login, order_id, subject, last_message_snippet, remote_last_message_at, "
        "remote_messages_count, remote_last_message_status, messages_synced_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", conversations)
    connection.executemany(
        "INSERT INTO messages (id, conversation_id, author_role, author_login, text, created_at, remote_status, "
        "remote_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", messages)
    connection.executemany("INSERT INTO orders (id, account_id, buyer_login, checkout_form_json, shipments_json, "
                           "fetched_at) VALUES (?, ?, ?, ?, ?, ?)", order_rows)
    connection.executemany("INSERT INTO tracking_numbers (waybill, order_id, carrier) VALUES (?, ?, ?)", waybill_rows)
    for rows in (conversations, messages, order_rows, waybill_rows):
        rows.clear()


def check(built: Fixture) -> None:
    """Read the cache through the real Store: the counts it promises must be there."""
    from sqlalchemy import func, select

    from magazyn_desktop.store.models import Message
    from magazyn_desktop.store.repository import Store

    store = Store.open(built.database)
    try:
        threads = len(store.known_thread_state(ACCOUNT_ID))
        issues = len(store.known_issue_state(ACCOUNT_ID))
        long_messages = len(store.message_ids(built.long_conversation_id))
        with store.engine.connect() as connection:
            messages = connection.execute(select(func.count()).select_from(Message)).scalar_one()
        login = store.account_login(ACCOUNT_ID)
        probe_order = store.load_order(built.probe_order_id)
    finally:
        store.close()
    found = (threads, issues, messages, long_messages, login)
    promised = (built.threads, built.issues, built.spec.messages, LONG_CONVERSATION_MESSAGES, SELLER_LOGIN)
    if found != promised:
        raise AssertionError(f"the fixture holds {found}, it promised {promised}")
    if probe_order is None or built.probe_waybill not in {s.waybill for s in probe_order.shipments} \
            or built.probe_sku not in {item.sku for item in probe_order.line_items}:
        raise AssertionError(f"the order {built.probe_order_id} does not read back with its waybill and SKU")
    if threads + issues != built.spec.conversations:
        raise AssertionError(f"{threads + issues} conversations, {built.spec.conversations} promised")


def working_copy(built: Fixture, into: Path, *, environment: str = "demo", login: str = SELLER_LOGIN) -> Path:
    """A data folder of the fixture's cache for one run to change, its account in `environment` under `login`
    (a fake Allegro's seller, so that the backend adopts the account); returns it."""
    from magazyn_desktop.paths import resolve_paths

    paths = resolve_paths(into)
    paths.ensure()
    source = sqlite3.connect(built.database)
    target = sqlite3.connect(paths.database)
    try:
        source.backup(target)
        with target:
            target.execute("UPDATE accounts SET environment = ?, login = ? WHERE id = ?",
                           (environment, login, ACCOUNT_ID))
    finally:
        source.close()
        target.close()
    return paths.data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=SIZES, default="100k")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    built = fixture(FixtureSpec.of_size(args.size), rebuild=args.rebuild)
    print(f"fixture: {built.spec.conversations:,} conversations ({built.threads:,} threads, {built.issues:,} "
          f"issues), {built.spec.messages:,} messages, the long one {built.long_conversation_id}; "
          f"{built.database.stat().st_size / 1e6:.0f} MB; ready in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
