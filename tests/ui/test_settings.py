"""Settings survive a round trip; a damaged or odd file gives defaults instead of a failed start."""

from __future__ import annotations

import json
from pathlib import Path

from magazyn_desktop.app.settings import MIN_POLL_SECONDS, Settings, load_settings, save_settings


def test_round_trip_keeps_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"language": "en", "future_option": 7}), encoding="utf-8")
    settings = load_settings(path).with_changes(poll_interval_seconds=120, notifications=False)
    save_settings(path, settings)
    again = load_settings(path)
    assert (again.language, again.poll_interval_seconds, again.notifications) == ("en", 120, False)
    assert json.loads(path.read_text(encoding="utf-8"))["future_option"] == 7


def test_bad_values_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"language": "de", "poll_interval_seconds": 1, "mark_read_on_open": "yes"}),
                    encoding="utf-8")
    settings = load_settings(path)
    assert settings.language == "pl"
    assert settings.poll_interval_seconds == MIN_POLL_SECONDS
    assert settings.mark_read_on_open is True
    path.write_text("{not json", encoding="utf-8")
    assert load_settings(path) == Settings()
    assert load_settings(tmp_path / "missing.json") == Settings()
