"""A team store's address: only PostgreSQL, TLS to anything but this computer, never a password on show."""

from __future__ import annotations

import pytest

from magazyn_desktop.store.store_address import AddressProblem, StoreAddressError, parse_store_address


def test_a_remote_server_without_sslmode_gets_verify_full() -> None:
    address = parse_store_address("postgresql://bench@db.sklep.pl/magazyn")
    assert address.sslmode == "verify-full"
    assert address.port == 5432 and address.database == "magazyn" and address.user == "bench"
    assert address.display() == "postgresql://bench@db.sklep.pl:5432/magazyn?sslmode=verify-full"


@pytest.mark.parametrize("mode", ["disable", "allow", "prefer"])
def test_a_plaintext_capable_mode_to_a_remote_server_is_refused(mode: str) -> None:
    with pytest.raises(StoreAddressError) as caught:
        parse_store_address(f"postgresql://bench@10.0.0.5/magazyn?sslmode={mode}")
    assert caught.value.problem is AddressProblem.PLAINTEXT_REMOTE
    assert mode in str(caught.value) and "10.0.0.5" in str(caught.value)


def test_plaintext_to_a_remote_server_when_told_the_network_is_trusted() -> None:
    address = parse_store_address("postgresql://bench@10.0.0.5/magazyn?sslmode=disable", allow_plaintext=True)
    assert address.sslmode == "disable"


@pytest.mark.parametrize("url", [
    "postgresql://bench@127.0.0.1:5433/magazyn",
    "postgresql://bench@localhost/magazyn?sslmode=disable",
    "postgresql://bench@[::1]/magazyn",
    "postgresql:///magazyn?host=/var/run/postgresql",
])
def test_this_computer_needs_no_tls(url: str) -> None:
    address = parse_store_address(url)
    assert address.local
    assert address.sslmode in (None, "disable")


def test_the_password_is_used_to_connect_but_never_shown() -> None:
    address = parse_store_address("postgresql://bench:p%40ss%3Aword@127.0.0.1:5433/magazyn")
    assert address.password == "p@ss:word"
    assert "p%40ss" not in address.display() and "word" not in address.display()
    assert address.libpq_url() == "postgresql://bench:p%40ss%3Aword@127.0.0.1:5433/magazyn"
    assert address.sqlalchemy_url("other").startswith("postgresql+psycopg://bench:other@127.0.0.1:5433/")
    assert address.without_password().password is None
    assert address.credential_key() == "store:bench@127.0.0.1:5433/magazyn"


def test_a_socket_folder_stays_in_the_query() -> None:
    address = parse_store_address("postgresql://bench@/magazyn?host=/run/pg")
    assert address.host == "/run/pg"
    assert address.libpq_url() == "postgresql://bench@/magazyn?host=%2Frun%2Fpg"


@pytest.mark.parametrize(("url", "problem"), [
    ("sqlite:///tmp/x.sqlite3", AddressProblem.NOT_POSTGRESQL),
    ("/home/ania/magazyn.sqlite3", AddressProblem.NOT_POSTGRESQL),
    ("mysql://db/magazyn", AddressProblem.NOT_POSTGRESQL),
    ("postgresql://bench@db.sklep.pl", AddressProblem.MALFORMED),
    ("postgresql:///magazyn", AddressProblem.MALFORMED),
    ("postgresql://bench@db.sklep.pl:port/magazyn", AddressProblem.MALFORMED),
    ("postgresql://bench@db.sklep.pl/magazyn?sslmode=sometimes", AddressProblem.MALFORMED),
])
def test_an_address_that_cannot_be_a_team_store_says_why(url: str, problem: AddressProblem) -> None:
    with pytest.raises(StoreAddressError) as caught:
        parse_store_address(url)
    assert caught.value.problem is problem
    assert str(caught.value)
