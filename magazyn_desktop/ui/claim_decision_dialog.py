"""Deciding a claim: the choices Allegro's ClaimStatusChangeRequest allows, grouped into accepting and rejecting, a
message to the buyer, a partial refund's amount; then a confirmation that names the buyer, the order and the amount.

The checks are the domain's (checked_decision), shown inline on the form: nothing leaves this dialog that the store
would refuse. The dialog only asks; the window stores the decision (in its writer) and sends it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from magazyn_desktop.domain.claim_decision import (
    ACCEPTING_CHOICES,
    REJECTING_CHOICES,
    ClaimDecision,
    DecisionChoice,
    DecisionRefused,
    Money,
    checked_decision,
    choice_words,
)
from magazyn_desktop.ui import i18n
from magazyn_desktop.ui.visible_text import visible_controls

ORDER_ID_SHOWN = 8  # "29738e61…": enough to find the order, short enough for one sentence

# A currency written after the amount ("10 EUR", "25,50 zł"): the amount is checked against the order's currency.
_TRAILING_CURRENCY = re.compile(r"^(?P<amount>.*?)\s*(?P<currency>[A-Za-z]{3}|zł|zl|€|\$)$", re.IGNORECASE)
_SYMBOLS = {"zł": "PLN", "zl": "PLN", "€": "EUR", "$": "USD"}


def amount_and_currency(text: str) -> tuple[str, str | None]:
    """The amount typed and the currency written after it, if any ("10 EUR" -> ("10", "EUR"))."""
    match = _TRAILING_CURRENCY.match(text.strip())
    if match is None or not match.group("amount"):
        return text.strip(), None
    currency = match.group("currency")
    return match.group("amount"), _SYMBOLS.get(currency.lower(), currency.upper())


def short_order_id(order_id: str) -> str:
    shown = visible_controls(order_id)
    return shown if len(shown) <= ORDER_ID_SHOWN else f"{shown[:ORDER_ID_SHOWN]}\u2026"


class ClaimDecisionDialog(QDialog):
    def __init__(self, *, buyer: str, order_id: str | None, order_total: str | None, order_currency: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("claimDecisionDialog")
        self.setWindowTitle(self.tr("Decide the claim"))
        self._buyer = buyer
        self._order_id = order_id
        self._order_total = order_total
        self._order_currency = order_currency
        self._decision: ClaimDecision | None = None

        self._pages = QStackedWidget()
        self._pages.addWidget(self._build_form())
        self._pages.addWidget(self._build_confirmation())
        layout = QVBoxLayout(self)
        layout.addWidget(self._pages)
        self.resize(620, 560)
        self._choice_changed()

    # --- construction ----------------------------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        form = QWidget()
        intro = QLabel(self.tr("The claim of %1. Allegro sends the decision and the message to the buyer; "
                               "a decision sent cannot be changed.").replace("%1", self._buyer))
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self._choices = QButtonGroup(self)
        self._buttons: dict[DecisionChoice, QRadioButton] = {}
        groups = QHBoxLayout()
        for title, choices in ((self.tr("Accept the claim"), ACCEPTING_CHOICES),
                               (self.tr("Reject or close the claim"), REJECTING_CHOICES)):
            box = QGroupBox(title)
            column = QVBoxLayout(box)
            for choice in choices:
                button = QRadioButton(choice_words(choice, i18n.current_language()).replace("&", "&&"))
                button.setProperty("choice", choice.value)
                self._choices.addButton(button)
                self._buttons[choice] = button
                column.addWidget(button)
            column.addStretch(1)
            groups.addWidget(box, 1, Qt.AlignmentFlag.AlignTop)
        self._choices.buttonToggled.connect(lambda _button, _checked: self._choice_changed())

        self._amount = QLineEdit()
        self._amount.setObjectName("refundAmount")
        self._amount.setPlaceholderText(self.tr("for example 25,50"))
        self._amount.setAccessibleName(self.tr("Amount refunded"))
        self._amount.textEdited.connect(lambda _text: self._clear_problem())
        currency = QLabel(self._order_currency_words())
        currency.setObjectName("refundCurrency")
        amount_row = QHBoxLayout()
        self._amount_label = QLabel(self.tr("Amount refunded:"))
        amount_row.addWidget(self._amount_label)
        amount_row.addWidget(self._amount, 1)
        amount_row.addWidget(currency)

        self._message = QPlainTextEdit()
        self._message.setObjectName("decisionMessage")
        self._message.setTabChangesFocus(True)
        self._message.setAccessibleName(self.tr("Message to the buyer"))
        self._message.setPlaceholderText(self.tr("Why you decide so, and what happens next (required)"))
        self._message.textChanged.connect(self._clear_problem)

        self._problem = QLabel()
        self._problem.setObjectName("decisionProblem")
        self._problem.setWordWrap(True)
        self._problem.setTextFormat(Qt.TextFormat.PlainText)
        self._problem.setStyleSheet("color: #a0213a;")

        self._next = QPushButton(self.tr("Next…"))
        self._next.setDefault(True)
        self._next.clicked.connect(self.go_to_confirmation)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self._next)

        layout = QVBoxLayout(form)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(groups)
        layout.addLayout(amount_row)
        layout.addWidget(QLabel(self.tr("Message to the buyer:")))
        layout.addWidget(self._message, 1)
        layout.addWidget(self._problem)
        layout.addLayout(buttons)
        return form

    def _build_confirmation(self) -> QWidget:
        page = QWidget()
        self._question = QLabel()
        self._question.setObjectName("decisionConfirmation")
        self._question.setWordWrap(True)
        self._question.setTextFormat(Qt.TextFormat.PlainText)
        self._question.setStyleSheet("font-weight: bold;")
        note = QLabel(self.tr("Allegro applies the decision at once and the buyer is told; it cannot be undone."))
        note.setWordWrap(True)
        self._confirm = QPushButton(self.tr("Yes, send the decision"))
        self._confirm.clicked.connect(self.accept)
        back = QPushButton(self.tr("Back"))
        back.clicked.connect(lambda: self._pages.setCurrentIndex(0))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(back)
        buttons.addWidget(self._confirm)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._question)
        layout.addWidget(note)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _order_currency_words(self) -> str:
        code = (self._order_currency or "").upper()
        if not code:
            return ""
        return "zł" if code == "PLN" and i18n.current_language() == "pl" else code

    # --- the form --------------------------------------------------------------------------------------------

    def choice_buttons(self) -> dict[DecisionChoice, QRadioButton]:
        return dict(self._buttons)

    def choose(self, choice: DecisionChoice) -> None:
        self._buttons[choice].setChecked(True)

    def chosen(self) -> DecisionChoice | None:
        for choice, button in self._buttons.items():
            if button.isChecked():
                return choice
        return None

    def message_editor(self) -> QPlainTextEdit:
        return self._message

    def amount_box(self) -> QLineEdit:
        return self._amount

    def problem_text(self) -> str:
        return self._problem.text()

    def next_button(self) -> QPushButton:
        return self._next

    def confirm_button(self) -> QPushButton:
        return self._confirm

    def confirmation_text(self) -> str:
        """The question of the confirmation step; empty while the form is shown."""
        return self._question.text() if self._pages.currentIndex() == 1 else ""

    def decision(self) -> ClaimDecision | None:
        """The checked decision, once the confirmation step was reached."""
        return self._decision

    def _choice_changed(self) -> None:
        needs_amount = self.chosen() is DecisionChoice.ACCEPTED_PARTIAL_REFUND
        self._amount.setEnabled(needs_amount)
        self._amount_label.setEnabled(needs_amount)
        self._next.setEnabled(self.chosen() is not None)
        self._clear_problem()

    def _clear_problem(self) -> None:
        self._problem.clear()

    def go_to_confirmation(self) -> bool:
        """Check the form with the domain's rules: its refusal shown inline, else the confirmation step."""
        choice = self.chosen()
        if choice is None:
            return False
        amount, currency = amount_and_currency(self._amount.text()) if choice.needs_amount else ("", None)
        try:
            decision = checked_decision(choice, self._message.toPlainText(), amount=amount or None,
                                        currency=currency, order_total=self._order_total,
                                        order_currency=self._order_currency)
        except DecisionRefused as refused:
            self._problem.setText(refused.words(i18n.current_language()))
            return False
        self._decision = decision
        self._question.setText(self._question_text(decision))
        self._pages.setCurrentIndex(1)
        self._confirm.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _question_text(self, decision: ClaimDecision) -> str:
        choice = decision.choice
        if choice.accepts:
            question = (self.tr("Accept the claim of buyer %1 for order %2: %3?") if self._order_id
                        else self.tr("Accept the claim of buyer %1: %3?"))
        elif choice is DecisionChoice.REJECTED_CLAIM_WITHDRAWN_BY_BUYER:
            question = (self.tr("Close the claim of buyer %1 for order %2 as withdrawn by the buyer?")
                        if self._order_id else self.tr("Close the claim of buyer %1 as withdrawn by the buyer?"))
        else:
            question = (self.tr("Reject the claim of buyer %1 for order %2? Reason: %3.") if self._order_id
                        else self.tr("Reject the claim of buyer %1? Reason: %3."))
        return (question.replace("%1", self._buyer).replace("%2", short_order_id(self._order_id or ""))
                .replace("%3", self._outcome_words(decision)))

    def _outcome_words(self, decision: ClaimDecision) -> str:
        words = {
            DecisionChoice.ACCEPTED_REPAIR: self.tr("repair of the product"),
            DecisionChoice.ACCEPTED_REFUND: self.tr("refund of the money"),
            DecisionChoice.ACCEPTED_EXCHANGE: self.tr("exchange for a new one"),
            DecisionChoice.REJECTED_ADDITIONAL_REQUIREMENTS_NOT_COMPLETED: self.tr(
                "the buyer did not send what we asked for"),
            DecisionChoice.REJECTED_PRODUCT_NOT_RETURNED: self.tr("the product was not sent back to us"),
            DecisionChoice.REJECTED_PRODUCT_DAMAGED_BY_USER: self.tr("the buyer damaged the product"),
            DecisionChoice.REJECTED_PRODUCT_CONFORMS_TO_CONTRACT: self.tr(
                "the product works and is as the offer says"),
            DecisionChoice.REJECTED_MINOR_DEFECT: self.tr("the defect is minor"),
            DecisionChoice.REJECTED_OTHER: self.tr("another reason, given in the message"),
        }
        refund = decision.partial_refund
        if decision.choice is DecisionChoice.ACCEPTED_PARTIAL_REFUND and refund is not None:
            return self.tr("partial refund of %1").replace("%1", _money_words(refund))
        return words.get(decision.choice, "")


def _money_words(money: Money) -> str:
    return money.words(i18n.current_language())
