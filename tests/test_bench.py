"""The benchmarks' instrument: the fixture holds what it promises, and every verdict can fail.

A benchmark whose verdict can only say PASS measures nothing, so each verdict function is fed a figure over its
target here (and one under it).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from bench import fixture as fixtures
from bench import memory, schema, startup, sync, window
from magazyn_desktop.store import inbox_queries as queries
from magazyn_desktop.store.repository import Store
from tests.store.search_index_checks import assert_index_is_exact, assert_terms_are_exact


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> fixtures.Fixture:
    root = tmp_path_factory.mktemp("fixtures")
    original = fixtures.cache_root
    fixtures.cache_root = lambda: root  # never the shared cache in the system temp folder
    try:
        return fixtures.fixture(fixtures.FixtureSpec.of_size("1k"), log=False)
    finally:
        fixtures.cache_root = original


def test_the_smallest_fixture_reads_through_the_real_store_with_its_promised_counts(
        small: fixtures.Fixture) -> None:
    assert small.threads + small.issues == 1_000
    store = Store.open(small.database)
    try:
        assert len(store.known_thread_state(fixtures.ACCOUNT_ID)) == small.threads
        assert len(store.known_issue_state(fixtures.ACCOUNT_ID)) == small.issues
        assert len(store.message_ids(small.long_conversation_id)) == fixtures.LONG_CONVERSATION_MESSAGES
        assert store.account_login(fixtures.ACCOUNT_ID) == fixtures.SELLER_LOGIN
    finally:
        store.close()
    connection = sqlite3.connect(small.database)
    try:
        assert connection.execute("SELECT count(*) FROM messages").fetchone()[0] == 10_000
        assert queries.counts(connection, account_id=fixtures.ACCOUNT_ID)[queries.Filter.ALL] == 1_000
        # The search index is the app's: its triggers are back, and it holds exactly what the builder put in.
        triggers = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('messages', 'conversations')")}
        assert triggers == {"messages_fts_after_insert", "messages_fts_after_delete", "messages_fts_after_update",
                            "conversations_fts_after_insert", "conversations_fts_after_activity",
                            "conversations_fts_before_delete", "search_terms_after_conversation_insert",
                            "search_terms_after_conversation_update", "search_terms_after_conversation_delete"}
        assert_index_is_exact(connection)
        # The identifier index too, over the cached orders, whose triggers are back as well.
        assert connection.execute("SELECT count(*) FROM orders").fetchone()[0] > 600
        assert connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                  "AND tbl_name IN ('orders', 'tracking_numbers', 'order_choices')").fetchone()[0] == 9
        assert_terms_are_exact(connection)
        for code in (small.probe_waybill, small.probe_sku.lower(), small.probe_login[1:]):
            found = queries.list_page(connection, search=code, account_id=fixtures.ACCOUNT_ID).rows
            assert small.probe_order_id in {row.order_id for row in found}, code
        rare = queries.list_page(connection, search=fixtures.RARE_WORDS[0], account_id=fixtures.ACCOUNT_ID)
        assert 1 <= len(rare.rows) <= fixtures.RARE_OCCURRENCES
        assert queries.list_page(connection, search=small.probe_login, account_id=fixtures.ACCOUNT_ID).rows
        texts = [text for (text,) in connection.execute("SELECT text FROM messages")]
    finally:
        connection.close()
    words = Counter(word.strip(".?!").lower() for text in texts for word in text.split())
    ranked = [count for _word, count in words.most_common()]
    assert ranked[0] > 20 * ranked[len(ranked) // 2]  # skewed: a few words everywhere, a long tail
    assert any("ł" in word for word in words)


def test_a_working_copy_is_a_separate_file_with_the_chosen_account(small: fixtures.Fixture, tmp_path: Path) -> None:
    data_dir = fixtures.working_copy(small, tmp_path / "data", environment="custom", login="someone")
    connection = sqlite3.connect(data_dir / small.database.name)
    try:
        assert connection.execute("SELECT environment, login FROM accounts").fetchall() == [("custom", "someone")]
    finally:
        connection.close()
    connection = sqlite3.connect(small.database)
    try:
        assert connection.execute("SELECT environment FROM accounts").fetchone() == ("demo",)
    finally:
        connection.close()


@pytest.mark.parametrize(("line", "expected"), [
    (lambda: window.latency_line("switch", [10.0] * 19 + [31.0, 31.0]), "FAIL"),
    (lambda: window.latency_line("switch", [10.0] * 20), "PASS"),
    (lambda: window.stall_line("during a sync", 50.5, 100), "FAIL"),
    (lambda: window.stall_line("during a sync", 12.0, 100), "PASS"),
    (lambda: window.refresh_line("idle", 0.061, 0.02, 2), "FAIL"),
    (lambda: window.refresh_line("idle", 0.050, 0.02, 2), "PASS"),
    (lambda: window.bound_line("open", 151.0, window.TARGET_OPEN_MS, "ms"), "FAIL"),
    (lambda: window.bound_line("open", 90.0, window.TARGET_OPEN_MS, "ms"), "PASS"),
    (lambda: window.depth_line(0.2, 8.0, 100_000), "FAIL"),
    (lambda: window.depth_line(0.2, 0.21, 100_000), "PASS"),
    (lambda: window.slowest_kind_line({"waybill": 31.0, "word": 5.0}), "FAIL"),
    (lambda: window.slowest_kind_line({"waybill": 12.0, "word": 5.0}), "PASS"),
    (lambda: window.diacritics_line(["dziekuje"], ["dziekuje", "przesylka"]), "FAIL"),
    (lambda: window.diacritics_line(["dziekuje"], ["dziekuje"]), "PASS"),
    (lambda: memory.peak_line(251.0), "FAIL"),
    (lambda: memory.peak_line(180.0), "PASS"),
])
def test_each_window_and_memory_verdict_fails_over_its_target(line: object, expected: str) -> None:
    assert callable(line)
    assert str(line()).endswith(f"-> {expected}")


def test_the_start_up_verdict_fails_on_a_high_ratio_and_on_growth() -> None:
    assert startup.growth_verdict({"1k": 2.0, "10k": 2.1, "100k": 2.2})[2] == "PASS"
    assert startup.growth_verdict({"1k": 2.0, "10k": 2.6, "100k": 2.2})[2] == "FAIL"  # over 2.5x at one size
    assert startup.growth_verdict({"1k": 1.5, "10k": 1.7, "100k": 2.0})[2] == "FAIL"  # grows with the inbox


def test_the_schema_and_sync_verdicts_fail_over_their_targets() -> None:
    assert schema.at_head_line("check", 10.5).endswith("FAIL")
    assert schema.at_head_line("check", 0.4).endswith("PASS")
    assert sync.changes_verdict(requests=22, budget=21, updated=10, touched=10) == "FAIL"
    assert sync.changes_verdict(requests=21, budget=21, updated=9, touched=10) == "FAIL"
    assert sync.changes_verdict(requests=21, budget=21, updated=10, touched=10) == "PASS"
    assert sync.ratio_verdict(1.16) == "FAIL" and sync.ratio_verdict(1.1) == "PASS"


def test_the_session_line_of_the_app_process_is_read_as_numbers() -> None:
    figures = memory.parse_session("session rows=100000 rows_peak_mb=150.5 rows_current_mb=140.0 peak_mb=438.0 "
                                   "current_mb=420.1")
    assert figures["rows"] == 100_000 and figures["peak_mb"] == 438.0


def test_the_migrate_step_is_read_from_the_launchs_own_log_lines(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    from magazyn_desktop import logsetup
    from magazyn_desktop.app.launch_steps import step

    log_file = tmp_path / "logs" / "magazyn-desktop.log"
    log_file.parent.mkdir()
    monkeypatch.setattr(logsetup, "_crash_file", object())  # the test process keeps its own crash reporting
    root = logging.getLogger()
    monkeypatch.setattr(root, "level", logging.DEBUG)
    logsetup.configure_file(log_file, tmp_path / "logs" / "crash.log")  # the launch's log file, as it writes it
    try:
        for name in ("guard", "migrate", "window", "migrate"):  # as two launches log them, into one file
            with step(name):
                pass
    finally:
        for handler in [h for h in root.handlers if getattr(h, "_magazyn_file", False)]:
            root.removeHandler(handler)
            handler.close()
    durations = startup.logged_step_ms(log_file.read_text(encoding="utf-8"), "migrate")
    assert len(durations) == 2 and all(0 <= ms < 1000 for ms in durations)
    assert startup.logged_step_ms("launch step 'migrate' took 15.3 ms\n", "migrate") == [15.3]
    assert startup.migrate_step_line([1.2, 15.3, 16.0]).endswith("FAIL")
    assert startup.migrate_step_line([1.2, 1.4, 16.0]).endswith("PASS")


def test_the_start_up_runs_have_their_bytecode_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    env = startup.child_env(tmp_path / "home")
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert Path(env["PYTHONPYCACHEPREFIX"]).parent == tmp_path
