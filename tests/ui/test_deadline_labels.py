"""Time left to a deadline in words, with the Polish noun and verb in the form the number takes."""

from __future__ import annotations

from typing import Any

import pytest

from magazyn_desktop.domain.deadlines import TimeLeft, TimeUnit
from magazyn_desktop.ui import i18n
from magazyn_desktop.ui.labels import time_left_label

DAYS, HOURS, MINUTES = TimeUnit.DAYS, TimeUnit.HOURS, TimeUnit.MINUTES


@pytest.mark.parametrize(("left", "expected"), [
    (TimeLeft(False, 1, DAYS), "został 1 dzień"),
    (TimeLeft(False, 2, DAYS), "zostały 2 dni"),
    (TimeLeft(False, 4, DAYS), "zostały 4 dni"),
    (TimeLeft(False, 5, DAYS), "zostało 5 dni"),
    (TimeLeft(False, 12, DAYS), "zostało 12 dni"),
    (TimeLeft(False, 14, DAYS), "zostało 14 dni"),
    (TimeLeft(False, 21, DAYS), "zostało 21 dni"),
    (TimeLeft(False, 22, DAYS), "zostały 22 dni"),
    (TimeLeft(False, 1, HOURS), "została 1 h"),
    (TimeLeft(False, 3, HOURS), "zostały 3 h"),
    (TimeLeft(False, 5, HOURS), "zostało 5 h"),
    (TimeLeft(False, 23, HOURS), "zostały 23 h"),
    (TimeLeft(False, 47, HOURS), "zostało 47 h"),
    (TimeLeft(False, 1, MINUTES), "została 1 min"),
    (TimeLeft(False, 2, MINUTES), "zostały 2 min"),
    (TimeLeft(False, 40, MINUTES), "zostało 40 min"),
    (TimeLeft(True, 1, DAYS), "po terminie 1 dzień"),
    (TimeLeft(True, 2, DAYS), "po terminie 2 dni"),
    (TimeLeft(True, 5, DAYS), "po terminie 5 dni"),
    (TimeLeft(True, 3, HOURS), "po terminie 3 h"),
    (TimeLeft(True, 12, MINUTES), "po terminie 12 min"),
])
def test_polish(qapp: Any, left: TimeLeft, expected: str) -> None:
    assert i18n.install_translator("pl")
    assert time_left_label(left) == expected


@pytest.mark.parametrize(("left", "expected"), [
    (TimeLeft(False, 1, DAYS), "1 day left"),
    (TimeLeft(False, 2, DAYS), "2 days left"),
    (TimeLeft(False, 5, HOURS), "5 h left"),
    (TimeLeft(False, 40, MINUTES), "40 min left"),
    (TimeLeft(True, 3, HOURS), "3 h overdue"),
    (TimeLeft(True, 1, DAYS), "1 day overdue"),
    (TimeLeft(True, 2, DAYS), "2 days overdue"),
])
def test_english(qapp: Any, left: TimeLeft, expected: str) -> None:
    assert i18n.install_translator("en")
    assert time_left_label(left) == expected
