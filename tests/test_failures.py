"""One classifier of failures: the client's errors carry their kind, local problems are read from errno and SQLite."""

from __future__ import annotations

import errno
import sqlite3

import pytest

from magazyn_desktop.allegro.errors import (
    AllegroError,
    AuthError,
    ConflictError,
    ConversationNotFoundError,
    DeadlineExceededError,
    NetworkError,
    NotFoundError,
    OutcomeUnknownError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    SignInError,
    ValidationError,
)
from magazyn_desktop.allegro.ids import InvalidIdError
from magazyn_desktop.domain.failures import Failure, FailureKind, stored_failure_kind
from magazyn_desktop.failures import failure_of


def _sqlite(message: str, code: int | None) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    if code is not None:
        error.sqlite_errorcode = code  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(("error", "kind"), [
    (NetworkError("could not reach Allegro"), FailureKind.OFFLINE),
    (ConnectionRefusedError(), FailureKind.OFFLINE),
    (TimeoutError(), FailureKind.OFFLINE),
    (DeadlineExceededError("out of time"), FailureKind.TIMED_OUT),
    (ServerError("Allegro answered 503", status=503), FailureKind.UNAVAILABLE),
    (RateLimitedError("Allegro answered 429", retry_after=60), FailureKind.RATE_LIMITED),
    (AuthError("not signed in"), FailureKind.SIGN_IN_NEEDED),
    (SignInError("sign-in ended", reason="access_denied"), FailureKind.SIGN_IN_NEEDED),
    (NotFoundError("Allegro answered 404"), FailureKind.NOT_FOUND),
    (InvalidIdError("id is not valid"), FailureKind.NOT_FOUND),
    (ConversationNotFoundError("c1", thread_error=NotFoundError("404"), issue_error=ValidationError("422")),
     FailureKind.NOT_FOUND),
    (ValidationError("Allegro answered 422", status=422), FailureKind.REJECTED),
    (AllegroError("Allegro answered 410", status=410), FailureKind.REJECTED),
    (ProtocolError("missing field 'id'"), FailureKind.BAD_ANSWER),
    (OutcomeUnknownError("no answer after the request was written"), FailureKind.OUTCOME_UNKNOWN),
    (OSError(errno.ENOSPC, "No space left on device"), FailureKind.DISK_FULL),
    (_sqlite("database or disk is full", sqlite3.SQLITE_FULL), FailureKind.DISK_FULL),
    (_sqlite("database is locked", sqlite3.SQLITE_BUSY), FailureKind.DATABASE_LOCKED),
    (_sqlite("database is locked", None), FailureKind.DATABASE_LOCKED),
    (_sqlite("attempt to write a readonly database", sqlite3.SQLITE_READONLY), FailureKind.READ_ONLY),
    (_sqlite("attempt to write a readonly database", None), FailureKind.READ_ONLY),
    (PermissionError(errno.EACCES, "Permission denied"), FailureKind.READ_ONLY),
    (OSError(errno.EROFS, "Read-only file system"), FailureKind.READ_ONLY),
    (sqlite3.DatabaseError("database disk image is malformed"), FailureKind.DAMAGED),
    (_sqlite("file is not a database", sqlite3.SQLITE_NOTADB), FailureKind.DAMAGED),
    (OSError(errno.EIO, "Input/output error"), FailureKind.FILE_ERROR),
    (KeyError("conversation_id"), FailureKind.BUG),
    (_sqlite("no such table: outbox", sqlite3.SQLITE_ERROR), FailureKind.BUG),
    (ValueError("bad"), FailureKind.BUG),
])
def test_each_failure_has_its_kind(error: BaseException, kind: FailureKind) -> None:
    assert failure_of(error).kind is kind


def test_allegros_own_message_comes_along() -> None:
    rejected = ConflictError("Allegro answered 409", code="THREAD_CLOSED", user_message="Wątek jest zamknięty. ")
    assert failure_of(rejected) == Failure(FailureKind.REJECTED, "Wątek jest zamknięty.")
    assert failure_of(ConflictError("Allegro answered 409", user_message="  ")).allegro_message is None


def test_names_decide_nothing() -> None:
    class NetworkTimeoutNotFoundAuthError(Exception):
        pass

    assert failure_of(NetworkTimeoutNotFoundAuthError()).kind is FailureKind.BUG


def test_what_an_error_was_raised_from_or_wraps_counts() -> None:
    class DatabaseWrapper(Exception):  # how SQLAlchemy keeps the driver's error
        def __init__(self, orig: BaseException) -> None:
            super().__init__("wrapped")
            self.orig = orig

    assert failure_of(DatabaseWrapper(_sqlite("database is locked", sqlite3.SQLITE_BUSY))).kind \
        is FailureKind.DATABASE_LOCKED
    try:
        try:
            raise NetworkError("no answer")
        except NetworkError as exc:
            raise RuntimeError("loading failed") from exc
    except RuntimeError as wrapped:
        assert failure_of(wrapped).kind is FailureKind.OFFLINE


def test_a_bug_while_handling_a_network_error_is_still_a_bug() -> None:
    try:
        try:
            raise NetworkError("no answer")
        except NetworkError:
            {}["missing"]
    except KeyError as bug:
        assert failure_of(bug).kind is FailureKind.BUG


def test_offline_has_one_definition() -> None:
    offline = [kind for kind in FailureKind if Failure(kind).offline]
    assert offline == [FailureKind.OFFLINE]


def test_a_real_sqlalchemy_error_is_read_through_its_driver_error(tmp_path: object) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    engine = create_engine("sqlite:///file:missing/folder/x.db?mode=ro&uri=true")
    with pytest.raises(OperationalError) as caught:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    engine.dispose()
    assert failure_of(caught.value).kind is FailureKind.FILE_ERROR


def test_stored_codes() -> None:
    assert stored_failure_kind("REJECTED") is FailureKind.REJECTED
    assert stored_failure_kind("THREAD_CLOSED") is None  # written before the kinds existed: Allegro's own code
    assert stored_failure_kind(None) is None and stored_failure_kind("") is None


def test_a_team_database_that_does_not_answer_is_its_own_kind_also_through_sqlalchemy() -> None:
    psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")
    from sqlalchemy.exc import OperationalError

    refused = psycopg.OperationalError("connection to server at \"10.0.0.5\", port 5432 failed: Connection refused")
    assert failure_of(refused).kind is FailureKind.TEAM_STORE_AWAY
    wrapped = OperationalError("SELECT 1", {}, refused)
    assert failure_of(wrapped).kind is FailureKind.TEAM_STORE_AWAY
    assert failure_of(psycopg.errors.UndefinedTable("no such table")).kind is FailureKind.BUG  # a bug, not away
