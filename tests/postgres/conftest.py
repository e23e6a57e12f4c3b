"""The PostgreSQL server the team-mode tests run against: its address comes from MAGAZYN_TEST_POSTGRES_URL (.ci/run
starts a throwaway one and sets it). Without it these tests skip and say why, unless MAGAZYN_REQUIRE_POSTGRES=1
(set by .ci/run), which makes the missing server a failure."""

from __future__ import annotations

import os

import pytest

URL_VARIABLE = "MAGAZYN_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "MAGAZYN_REQUIRE_POSTGRES"


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get(URL_VARIABLE, "").strip()
    if url:
        return url
    reason = (f"no PostgreSQL server for the team-mode tests: set {URL_VARIABLE} to a postgresql:// address "
              "(.ci/run starts one)")
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{REQUIRE_VARIABLE}=1 but {reason}", pytrace=False)
    pytest.skip(reason)
