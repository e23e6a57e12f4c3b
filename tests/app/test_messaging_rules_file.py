"""The shipped messaging rules load; a damaged or missing file is logged and leaves the check empty, not a crash."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from magazyn_desktop.app.messaging_rules_file import MAX_RULES_FILE_BYTES, load_messaging_rules
from magazyn_desktop.app.template_file import default_templates
from magazyn_desktop.domain.templates import Field, fill


def test_the_shipped_rules_load_without_problems() -> None:
    rules = load_messaging_rules()
    assert rules.problems == () and len(rules.rules) == 5


@pytest.mark.parametrize("content", [b"{damaged", b"x" * (MAX_RULES_FILE_BYTES + 1)])
def test_a_damaged_file_is_logged_and_checks_nothing(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes) -> None:
    path = tmp_path / "rules.json"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING):
        rules = load_messaging_rules(path)
    assert rules.rules == () and rules.problems
    assert any("messaging rules" in record.getMessage() for record in caplog.records)


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    rules = load_messaging_rules(tmp_path / "absent.json")
    assert rules.rules == () and "cannot be read" in rules.problems[0]


VALUES = {Field.LOGIN: "anna_k", Field.ORDER_NUMBER: "29b4b6e0-3c5a-11ef-9a1b-7bd8d44c1e1f",
          Field.WAYBILLS: "620000111222", Field.CARRIER: "InPost", Field.TODAY: "05.03.2026"}


def test_the_default_templates_pass_the_rules_as_replies() -> None:
    rules = load_messaging_rules()
    for template in default_templates():
        text = fill(template.body, VALUES).text
        assert rules.check(text, (), is_reply_in_existing_conversation=True) == [], template.name


def test_only_the_shipping_template_would_be_stopped_outside_a_reply() -> None:
    # It repeats Allegro's shipment notice: fine as an answer to "where is my parcel", not as a message of its own.
    rules = load_messaging_rules()
    flagged = {template.name for template in default_templates()
               if rules.check(fill(template.body, VALUES).text, (), is_reply_in_existing_conversation=False)}
    assert flagged == {"Status wysyłki"}
