"""An issue's deadlines as Allegro gives them: the claim example of the contract carries decisionDueDate,
currentState.statusDueDate and openedDate; the dispute example has no status date."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from magazyn_desktop.allegro.errors import ProtocolError
from magazyn_desktop.allegro.parsing import parse_issue

CONTRACT = Path(__file__).parent / "data" / "allegro-conversations-contract.yaml"
BETA = "application/vnd.allegro.beta.v1+json"


def _examples() -> dict[str, Any]:
    with CONTRACT.open(encoding="utf-8") as handle:
        contract = yaml.safe_load(handle)
    content = contract["paths"]["/sale/issues/{issueId}"]["get"]["responses"]["200"]["content"][BETA]
    return {name: example["value"] for name, example in content["examples"].items()}


def test_the_claim_example_gives_its_status_date_and_its_opening() -> None:
    claim = parse_issue(_examples()["claim"], "/sale/issues/{issueId}")
    assert claim.status_due_at == datetime(2025, 6, 24, 12, 12, 12, 19000, tzinfo=timezone.utc)
    assert claim.decision_due_at == datetime(2025, 6, 25, 12, 12, 12, 19000, tzinfo=timezone.utc)
    assert claim.opened_at == datetime(2025, 6, 10, 12, 12, 12, 19000, tzinfo=timezone.utc)


def test_the_dispute_example_has_no_status_date() -> None:
    dispute = parse_issue(_examples()["dispute"], "/sale/issues/{issueId}")
    assert dispute.status_due_at is None
    assert dispute.opened_at is not None


def test_a_status_date_that_is_not_a_date_is_refused_like_the_other_dates() -> None:
    body = dict(_examples()["claim"])
    body["currentState"] = {**body["currentState"], "statusDueDate": "jutro"}
    with pytest.raises(ProtocolError):
        parse_issue(body, "/sale/issues/{issueId}")
