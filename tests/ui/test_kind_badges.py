"""The kind badges in the list and the conversation's header: told apart by more than hue, readable on their fill."""

from __future__ import annotations

from itertools import combinations
from typing import Any, Callable

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from ui_sample_data import CLAIM_ID, MAREK

from magazyn_desktop.domain.vocabulary import SubKind
from magazyn_desktop.ui.kind_badge import BADGE_STYLES, badge_style, badge_width, contrast_ratio, paint_badge

KINDS = [kind.value for kind in SubKind]


def test_every_kind_has_its_own_style() -> None:
    assert set(BADGE_STYLES) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_each_badge_text_has_aa_contrast_on_its_fill(kind: str) -> None:
    style = badge_style(kind)
    assert contrast_ratio(style.text, style.fill) >= 4.5


def test_the_former_pinks_would_have_failed_the_hue_rule() -> None:
    # Dyskusja #f6d9d2 and Reklamacja #f3cfd6, as they were: in grey they were one colour.
    assert abs(QColor("#f6d9d2").lightness() - QColor("#f3cfd6").lightness()) < 10


@pytest.mark.parametrize("first, second", list(combinations(KINDS, 2)))
def test_two_kinds_differ_in_more_than_hue(first: str, second: str) -> None:
    """In grey, with the same text, two badges still differ: in lightness, outline, or a leading mark."""
    def without_hue(kind: str) -> tuple[object, ...]:
        style = badge_style(kind)
        dark_fill = QColor(style.fill).lightness() < 128
        return (dark_fill, style.border is not None, style.border_style, style.marker)

    assert without_hue(first) != without_hue(second)


def _grey_render(qapp: Any, kind: str, font: QFont) -> QImage:
    image = QImage(badge_width(font, kind), 22, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    paint_badge(painter, QRect(0, 1, image.width(), 20), kind, font)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_Grayscale8)


def test_dispute_and_claim_look_different_in_grey(qapp: Any) -> None:
    font = QFont()
    font.setPointSizeF(9)
    dispute = _grey_render(qapp, SubKind.DISPUTE.value, font)
    claim = _grey_render(qapp, SubKind.CLAIM.value, font)

    def mean_grey(image: QImage) -> float:
        values = [image.pixelColor(x, y).value() for x in range(image.width()) for y in range(image.height())]
        return sum(values) / len(values)

    assert abs(mean_grey(dispute) - mean_grey(claim)) > 60  # a dark badge beside a light, outlined one


def test_the_header_shows_the_kinds_badge(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(CLAIM_ID)
    view = window.conversation_view()
    assert view.kind_badge().sub_kind == SubKind.CLAIM.value
    assert view.kind_badge().accessibleName() == "Reklamacja"
    assert view.kind_badge().isVisible() and view.kind_badge().width() > 0
    assert view.title_text() == "ewa_w"
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(MAREK)
    assert view.kind_badge().sub_kind == SubKind.POST_PURCHASE_ISSUE.value  # a thread about an order
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def test_the_list_paints_its_rows_with_the_badges(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    list_view = window.list_view()
    list_view.viewport().grab()  # paints every row shown
    assert list_view.itemDelegate()._unpaintable == set()  # no row failed to paint
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)

