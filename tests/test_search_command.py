"""`magazyn-desktop search` through the command line: a data folder with a migrated cache, conversations written the
way the store writes them (the search index's triggers included), and caches it must refuse."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from magazyn_desktop import cli
from magazyn_desktop.paths import LOCK_NAME, AppPaths
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.schema_version import KNOWN_REVISIONS, read_schema_status
from tests.launch.helpers import APP, app_env, migrate_to, run_app

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
REAL_ACCOUNT, DEMO_ACCOUNT = 2, 1
HOSTILE_TEXTS = {
    "ten thousand characters": "paczka " + "ż" * 9993,
    "punctuation only": "!?.,;:()[]{}<>/\\|@#$%&=+~`'",
    "a quote": '"',
    "an unclosed quote": '"paczka',
    "a star": "*",
    "a prefix star": "pacz*",
    "NEAR": "NEAR(",
    "NEAR with words": "NEAR(paczka gdzie, 2)",
    "a minus": "-",
    "a caret": "^",
    "a caret before a word": "^paczka",
    "operators": "paczka AND OR NOT gdzie",
    "a column filter": "text:paczka",
}


def _stamp(value: datetime) -> str:
    return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")


def add_conversation(connection: sqlite3.Connection, conversation_id: str, *, account_id: int = REAL_ACCOUNT,
                     login: str = "kupujacy", sub_kind: str = "COMMON", order_id: str | None = None,
                     minutes_ago: int = 0, texts: tuple[str, ...] = ("Dzień dobry",)) -> None:
    """A conversation and its messages, oldest first, the last one `minutes_ago` before NOW."""
    last = NOW - timedelta(minutes=minutes_ago)
    connection.execute(
        "INSERT INTO conversations (id, account_id, kind, sub_kind, can_reply, read, needs_reply, last_activity_at, "
        "interlocutor_login, order_id, last_message_snippet, updated_at) VALUES (?,?,?,?,1,0,1,?,?,?,?,?)",
        (conversation_id, account_id, "thread" if sub_kind == "COMMON" else "issue", sub_kind, _stamp(last), login,
         order_id, texts[-1][:200], _stamp(NOW)))
    for number, text in enumerate(texts):
        connection.execute(
            "INSERT INTO messages (id, conversation_id, author_role, text, created_at) VALUES (?,?,?,?,?)",
            (f"{conversation_id}-m{number}", conversation_id, "BUYER", text,
             _stamp(last - timedelta(minutes=len(texts) - 1 - number))))


@pytest.fixture
def data(paths: AppPaths) -> Path:
    """A migrated data folder: a demo account and a real one, the real one's conversations matching "przesyłka"."""
    connection = connect(paths.database)
    with connection:
        connection.execute("INSERT INTO accounts (id, environment, login, is_active, created_at) "
                           "VALUES (?, 'demo', 'demo', 1, ?)", (DEMO_ACCOUNT, _stamp(NOW)))
        connection.execute("INSERT INTO accounts (id, environment, login, is_active, created_at) "
                           "VALUES (?, 'production', 'sklep', 1, ?)", (REAL_ACCOUNT, _stamp(NOW)))
        add_conversation(connection, "thread-1", login="ewa_gdynianka682", minutes_ago=1,
                         texts=("Gdzie jest moja przesyłka do Łodzi?", "Dziękuję, czekam."))
        add_conversation(connection, "issue-2", login="marek_zolty", sub_kind="CLAIM", order_id="order-22",
                         minutes_ago=2, texts=("Przesyłka dotarła uszkodzona.",))
        add_conversation(connection, "thread-3", login="ola", minutes_ago=3,
                         texts=("Czy przesyłka jest już wysłana?",))
        add_conversation(connection, "thread-4", login="jan", minutes_ago=4, texts=("Faktura proszę",))
        add_conversation(connection, "demo-1", account_id=DEMO_ACCOUNT, login="demo_kupujacy",
                         texts=("Demo: przesyłka w drodze",))
    connection.close()
    return paths.data


def search(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["search", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def lines(output: str) -> list[list[str]]:
    return [line.split("\t") for line in output.splitlines()]


def json_lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines()]


def _contents(folder: Path) -> dict[str, str]:
    """Every file's digest, SQLite's WAL index aside; an empty WAL, which a reader may leave, is no content."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.name.endswith("-shm")
            and not (path.name.endswith("-wal") and path.stat().st_size == 0)}


# Results ----------------------------------------------------------------------------------------------------------


def test_lines_give_id_kind_login_order_and_the_matching_message(data: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = search(capsys, "przesylka", "--data-dir", str(data))
    assert (code, err) == (0, "")
    assert lines(out) == [
        # The list's snippet is the newest message; the line shows the one that holds the words.
        ["thread-1", "Wiadomość", "ewa_gdynianka682", "", "Gdzie jest moja przesyłka do Łodzi?"],
        ["issue-2", "Reklamacja", "marek_zolty", "order-22", "Przesyłka dotarła uszkodzona."],
        ["thread-3", "Wiadomość", "ola", "", "Czy przesyłka jest już wysłana?"],
    ]


def test_english_labels(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = search(capsys, "uszkodzona", "--data-dir", str(data), "--lang", "en")
    assert code == 0
    assert lines(out) == [["issue-2", "Claim", "marek_zolty", "order-22", "Przesyłka dotarła uszkodzona."]]


def test_json_gives_one_object_per_conversation(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = search(capsys, "lodz", "--data-dir", str(data), "--json")
    assert (code, err) == (0, "")
    assert json_lines(out) == [{"id": "thread-1", "kind": "COMMON", "login": "ewa_gdynianka682", "order_id": None,
                                "snippet": "Gdzie jest moja przesyłka do Łodzi?"}]
    code, out, _err = search(capsys, "order-22", "--data-dir", str(data), "--json")
    assert json_lines(out) == [{"id": "issue-2", "kind": "CLAIM", "login": "marek_zolty", "order_id": "order-22",
                                "snippet": "Przesyłka dotarła uszkodzona."}]


def test_every_typed_word_must_be_in_one_message(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = search(capsys, "przesylka", "lodzi", "--data-dir", str(data))
    assert code == 0
    assert [line[0] for line in lines(out)] == ["thread-1"]


def test_an_identifier_match_shows_the_lists_snippet(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = search(capsys, "ewa_gdy", "--data-dir", str(data))
    assert code == 0
    assert lines(out) == [["thread-1", "Wiadomość", "ewa_gdynianka682", "", "Dziękuję, czekam."]]


def test_limit(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = search(capsys, "przesylka", "--data-dir", str(data), "--limit", "2")
    assert code == 0
    assert [line[0] for line in lines(out)] == ["thread-1", "issue-2"]


def test_limit_beyond_one_page_of_the_list(paths: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    connection = connect(paths.database)
    with connection:
        connection.execute("INSERT INTO accounts (id, environment, is_active, created_at) "
                           "VALUES (1, 'production', 1, ?)", (_stamp(NOW),))
        for number in range(130):
            add_conversation(connection, f"c{number:03d}", account_id=1, minutes_ago=number,
                             texts=(f"paczka numer {number}",))
    connection.close()
    code, out, _err = search(capsys, "paczka", "--data-dir", str(paths.data), "--limit", "120")
    assert code == 0
    assert [line[0] for line in lines(out)] == [f"c{number:03d}" for number in range(120)]
    code, out, _err = search(capsys, "paczka", "--data-dir", str(paths.data))
    assert len(lines(out)) == 50  # the default


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_a_limit_that_is_not_a_positive_number_is_a_usage_error(data: Path, value: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["search", "paczka", "--data-dir", str(data), "--limit", value])
    assert stopped.value.code == 2


def test_no_result_exits_0_and_prints_nothing(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert search(capsys, "hulajnoga", "--data-dir", str(data)) == (0, "", "")
    assert search(capsys, "hulajnoga", "--data-dir", str(data), "--json") == (0, "", "")


def test_a_text_too_short_to_search_is_not_the_whole_list(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = search(capsys, " p ", "--data-dir", str(data))
    assert (code, out) == (0, "")
    assert "co najmniej 2 znaki" in err


def test_the_active_real_account_is_searched_not_the_demo_one(data: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = search(capsys, "drodze", "--data-dir", str(data))
    assert out == ""
    connection = connect(data / "magazyn.sqlite3")
    with connection:
        connection.execute("UPDATE accounts SET is_active = 0 WHERE id = ?", (REAL_ACCOUNT,))
    connection.close()
    _code, out, _err = search(capsys, "drodze", "--data-dir", str(data))
    assert [line[0] for line in lines(out)] == ["demo-1"]


def test_a_long_message_is_cut_to_one_line_around_the_match(paths: AppPaths,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    text = "Dzień dobry,\n" + "bardzo długi wstęp " * 15 + "i w końcu numer przesyłki.\n\nPozdrawiam " * 3
    connection = connect(paths.database)
    with connection:
        connection.execute("INSERT INTO accounts (id, environment, is_active, created_at) "
                           "VALUES (1, 'production', 1, ?)", (_stamp(NOW),))
        add_conversation(connection, "long", account_id=1, texts=(text,))
    connection.close()
    _code, out, _err = search(capsys, "przesylki", "--data-dir", str(paths.data))
    [[_id, _kind, _login, _order, snippet]] = lines(out)
    assert "numer przesyłki. Pozdrawiam" in snippet
    assert snippet.startswith("…wstęp") and snippet.endswith("…") and len(snippet) <= 100


def test_a_match_near_the_end_of_a_long_message_shows_its_end(paths: AppPaths,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    text = "zamówienie-" * 14 + "AB123"  # no space to begin the snippet at
    connection = connect(paths.database)
    with connection:
        connection.execute("INSERT INTO accounts (id, environment, is_active, created_at) "
                           "VALUES (1, 'production', 1, ?)", (_stamp(NOW),))
        add_conversation(connection, "long", account_id=1, texts=(text,))
    connection.close()
    _code, out, _err = search(capsys, "ab123", "--data-dir", str(paths.data))
    [[_id, _kind, _login, _order, snippet]] = lines(out)
    assert snippet.startswith("…") and snippet.endswith("zamówienie-AB123") and len(snippet) <= 100


def test_control_characters_are_shown_never_obeyed(paths: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    text = "paczka \x1b[2J\x1b]0;tytuł\x07 \u202eexe.jpg \x9b31m koniec"
    connection = connect(paths.database)
    with connection:
        connection.execute("INSERT INTO accounts (id, environment, is_active, created_at) "
                           "VALUES (1, 'production', 1, ?)", (_stamp(NOW),))
        add_conversation(connection, "esc", account_id=1, login="zły\tlogin", texts=(text,))
    connection.close()
    unsafe = ("\x1b", "\x07", "\u202e", "\x9b", "\t")
    _code, out, _err = search(capsys, "paczka", "--data-dir", str(paths.data))
    [[_id, _kind, login, _order, snippet]] = lines(out)
    assert login == "zły⟨U+0009⟩login"
    assert snippet.startswith("paczka ⟨U+001B⟩[2J⟨U+001B⟩]0;tytuł⟨U+0007⟩ ⟨U+202E⟩exe.jpg ⟨U+009B⟩31m")
    _code, out, _err = search(capsys, "paczka", "--data-dir", str(paths.data), "--json")
    assert not any(character in out.rstrip("\n") for character in unsafe)
    [found] = json_lines(out)
    assert found["login"] == "zły\tlogin" and found["snippet"] == " ".join(text.split())


@pytest.mark.parametrize("text", list(HOSTILE_TEXTS.values()), ids=list(HOSTILE_TEXTS))
def test_hostile_texts_give_results_or_none(data: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    # A text of one character is not searched (as in the window); it says so and exits 0.
    said = "" if len(text) > 1 else "Nic nie wyszukano: tekst musi mieć co najmniej 2 znaki (nie licząc spacji).\n"
    code, out, err = search(capsys, "--data-dir", str(data), "--", text)
    assert (code, err) == (0, said)
    assert all(len(line) == 5 for line in lines(out))
    code, out, err = search(capsys, "--data-dir", str(data), "--json", "--", text)
    assert (code, err) == (0, said)
    assert all(set(hit) == {"id", "kind", "login", "order_id", "snippet"} for hit in json_lines(out))


@pytest.mark.parametrize("text", ['"przesylka', "przesylka*", "^przesylka", "-przesylka", "(przesylka)",
                                  "przesylka:", "PRZESYŁKA?!"])
def test_fts_syntax_is_searched_for_as_words(data: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    _code, out, _err = search(capsys, "--data-dir", str(data), "--", text)
    assert "thread-1" in [line[0] for line in lines(out)]


# Caches it refuses ---------------------------------------------------------------------------------------------------


def test_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "nothing-here"
    code, out, err = search(capsys, "paczka", "--data-dir", str(folder))
    assert (code, out) == (1, "")
    assert err.startswith("Nie ma jeszcze bazy danych") and err.count("\n") == 1
    assert not folder.exists()  # nothing created
    _code, _out, err = search(capsys, "paczka", "--data-dir", str(folder), "--lang", "en")
    assert err.startswith("There is no database")


def test_empty_database_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "magazyn.sqlite3").write_bytes(b"")
    code, out, err = search(capsys, "paczka", "--data-dir", str(tmp_path))
    assert (code, out) == (1, "")
    assert "magazyn-desktop migrate" in err


def test_damaged_database_is_named_and_left_where_it_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "magazyn.sqlite3"
    database.write_bytes(b"not a database at all " * 400)
    code, out, err = search(capsys, "paczka", "--data-dir", str(tmp_path), "--lang", "en")
    assert (code, out) == (1, "")
    assert err.startswith("SQLite reports the database file") and "damaged" in err
    assert database.read_bytes() == b"not a database at all " * 400
    assert sorted(path.name for path in tmp_path.iterdir()) == ["magazyn.sqlite3"]


def test_database_behind_asks_for_migrate_and_is_not_upgraded(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "magazyn.sqlite3"
    migrate_to(database, KNOWN_REVISIONS[-2])
    before = _contents(tmp_path)
    code, out, err = search(capsys, "paczka", "--data-dir", str(tmp_path))
    assert (code, out) == (1, "")
    assert "starszej wersji" in err and "magazyn-desktop migrate" in err and KNOWN_REVISIONS[-2] in err
    assert read_schema_status(database).revision == KNOWN_REVISIONS[-2]
    assert _contents(tmp_path) == before


def _set_revision(database: Path, revision: str) -> None:
    connection = sqlite3.connect(database)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    connection.close()


def test_database_from_a_newer_version_is_searched_with_a_warning(data: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _set_revision(data / "magazyn.sqlite3", "0042_newer")
    code, out, err = search(capsys, "uszkodzona", "--data-dir", str(data))
    assert code == 0
    assert [line[0] for line in lines(out)] == ["issue-2"]
    assert "nowszej wersji" in err and "0042_newer" in err


def test_database_from_a_newer_version_that_cannot_be_read(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = data / "magazyn.sqlite3"
    _set_revision(database, "0042_newer")
    connection = sqlite3.connect(database)
    connection.execute("ALTER TABLE conversations RENAME TO conversations_v2")
    connection.commit()
    connection.close()
    code, out, err = search(capsys, "uszkodzona", "--data-dir", str(data), "--lang", "en")
    assert (code, out) == (1, "")
    assert "install the newer magazyn-desktop" in err


# Beside a running window ------------------------------------------------------------------------------------------


@pytest.fixture
def writing(data: Path) -> Iterator[sqlite3.Connection]:
    """Another connection in the middle of a write transaction: what a sync does while the window runs."""
    writer = connect(data / "magazyn.sqlite3")
    writer.isolation_level = None
    writer.execute("BEGIN IMMEDIATE")
    add_conversation(writer, "thread-new", login="nowy", texts=("Nowa przesyłka",))
    yield writer
    writer.execute("ROLLBACK")
    writer.close()


def test_search_while_another_process_writes(data: Path, writing: sqlite3.Connection,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    code, out, err = search(capsys, "przesylka", "--data-dir", str(data), "--json")
    assert (code, err) == (0, "")
    assert [hit["id"] for hit in json_lines(out)] == ["thread-1", "issue-2", "thread-3"]  # not what is uncommitted
    assert time.monotonic() - started < 4  # it did not wait out the busy timeout (5 s)
    writing.execute("COMMIT")
    writing.execute("BEGIN")  # for the fixture's rollback
    _code, out, _err = search(capsys, "przesylka", "--data-dir", str(data), "--json")
    assert [hit["id"] for hit in json_lines(out)][0] == "thread-new"


def test_search_writes_nothing(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = data / "magazyn.sqlite3"
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    before, stamp = _contents(data), database.stat().st_mtime_ns
    code, out, _err = search(capsys, "przesylka", "--data-dir", str(data))
    assert code == 0 and out
    assert database.stat().st_mtime_ns == stamp
    assert _contents(data) == before  # no lock, no log, no settings


def test_search_as_its_own_process_loads_no_sqlalchemy(data: Path) -> None:
    probe = ("import sys\n"
             "from magazyn_desktop.cli import main\n"
             f"code = main(['search', 'przesylka', '--data-dir', {str(data)!r}, '--json'])\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic', 'httpx', 'PySide6'}))\n"
             "sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    *found, loaded = result.stdout.splitlines()
    assert [json.loads(line)["id"] for line in found] == ["thread-1", "issue-2", "thread-3"]
    assert loaded == "[]"


def test_a_reader_that_stops_early_is_no_failure(paths: AppPaths) -> None:
    """`search ... | head -1`: the pipe closes while lines are still being written."""
    connection = connect(paths.database)
    with connection:
        connection.execute("INSERT INTO accounts (id, environment, is_active, created_at) "
                           "VALUES (1, 'production', 1, ?)", (_stamp(NOW),))
        for number in range(600):  # far more output than a pipe's buffer holds
            add_conversation(connection, f"c{number:03d}", account_id=1, minutes_ago=number,
                             texts=(f"paczka numer {number} " + "długi opis zamówienia " * 10,))
    connection.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "magazyn_desktop", "search", "paczka", "--data-dir", str(paths.data),
         "--limit", "600"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"c000\t")
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0 and error == ""


@pytest.mark.slow
def test_search_beside_the_running_window(data_dir: Path) -> None:
    """The window holds the data folder (its lock, its readers, a sync writing): search answers beside it."""
    first = run_app(["--data-dir", str(data_dir), "--demo", "--smoke-test"], timeout=180)
    assert first.returncode == 0, first.stderr
    [report] = [json.loads(line) for line in first.stdout.splitlines() if line.startswith("{")]
    conversation_id = report["opened"]
    window = subprocess.Popen([*APP, "--data-dir", str(data_dir), "--demo", "--smoke-test",
                               "--smoke-expect-activations", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=app_env(MAGAZYN_LOG_LEVEL="INFO"))
    assert window.stderr is not None
    try:
        for line in window.stderr:
            if "launch step 'activation channel' took" in line:
                break
        assert (data_dir / LOCK_NAME).exists()
        found = run_app(["search", conversation_id, "--data-dir", str(data_dir), "--json"], timeout=60)
        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout.splitlines()[0])["id"] == conversation_id
        words = run_app(["search", "paczka", "--data-dir", str(data_dir)], timeout=60)
        assert words.returncode == 0 and words.stdout.count("\n") >= 1, words.stderr
    finally:
        second = run_app(["--data-dir", str(data_dir), "--open", conversation_id], timeout=120)  # lets it finish
        window.communicate(timeout=180)
    assert second.returncode == 0 and window.returncode == 0
